package suppression

// violation is a broken rule: a figure or group that can be worked out, or a remainder.
type violation struct {
	rule  rule
	node  int
	mask  uint64 // the columns
	inner bool   // it can be worked out from the figures in the node's subtree alone
}

type rule int

const (
	ruleSubtree   rule = iota // the node's subtree in the columns (rules 2 and 3)
	ruleOwn                   // the node's own responses in the columns (rule 3)
	ruleRemainder             // rule 4
)

// figureRef is a node's total (option -1), one of its cells, or all its shown cells (option -2).
type figureRef struct{ node, option int }

var noFigure = figureRef{-1, -1}

// pass mends what is broken, and reports whether it withheld anything. What the known totals
// give on their own is left: withholding other figures cannot hide it, and trying withheld them
// in vain (a cell that a known total less another gives, say).
func (sp *suppressor) pass() bool {
	mended := false
	for _, v := range sp.violations() {
		if sp.without(noFigure).broken(v) && (sp.given == nil || !sp.given.without(noFigure).broken(v)) {
			mended = sp.mend(v) || mended
		}
	}
	return mended
}

func (sp *suppressor) violations() []violation {
	var found []violation
	now := sp.without(noFigure)
	known, knownOwn := make([]colSpace, len(sp.parent)), make([]colSpace, len(sp.parent))
	for n := range sp.parent {
		known[n], knownOwn[n] = now.known(n), now.knownOwn(n)
		for o := -1; o < sp.width-1; o++ {
			f := figureRef{n, o}
			if !sp.isShown(f) && sp.figureCount(f) > 0 && sp.mustProtect(f) && sp.hasMask(known[n], sp.figureMask(f)) {
				found = append(found, violation{rule: ruleSubtree, node: n, mask: sp.figureMask(f)})
			}
		}
		for _, mask := range sp.smallSub[n] {
			if sp.hasMask(known[n], mask) {
				found = append(found, violation{rule: ruleSubtree, node: n, mask: mask})
			}
		}
		for _, mask := range sp.smallOwn[n] {
			if sp.hasMask(knownOwn[n], mask) {
				found = append(found, violation{rule: ruleOwn, node: n, mask: mask})
			}
		}
	}
	parts := make([]int, len(sp.parent))
	for _, mask := range sp.remainderColumnSets() {
		for n := len(sp.parent) - 1; n >= 0; n-- {
			if r := sp.remainder(n, mask, parts, known[n], knownOwn[n]); r > 0 && r < sp.k {
				found = append(found, violation{rule: ruleRemainder, node: n, mask: mask})
			}
		}
	}
	return found
}

// mustProtect says whether a withheld figure must not be worked out (rule 2). One withheld here
// only because it is withheld in within (its group withheld in the groups' family, say, to protect
// a sibling) need not be, where at least k answered it in this family: working it out gives away
// k or more answers, and any smaller set it would open up is guarded by rules 3 and 4 all the
// same. Guarding it in every family blanked figures that protected nobody: a directorate's
// campaigns figure, 22 answers, withheld because one of its teams was withheld in the groups'
// family for a sibling of 3 who did not answer about campaigns.
func (sp *suppressor) mustProtect(f figureRef) bool {
	if sp.within == nil || sp.figureCount(f) < sp.k {
		return true
	}
	inWithin := !sp.within.Node[f.node] || f.option >= 0 && sp.within.Cell != nil && !sp.within.Cell[f.node][f.option]
	return !inWithin
}

// smallColumnSets lists the sets of columns whose counts add up to between 1 and k-1.
func smallColumnSets(counts []int, k int) []uint64 {
	var sets []uint64
	var grow func(from int, set uint64, sum int)
	grow = func(from int, set uint64, sum int) {
		for o := from; o < len(counts); o++ {
			if c := counts[o]; c > 0 && sum+c < k {
				sets = append(sets, set|1<<o)
				grow(o+1, set|1<<o, sum+c)
			}
		}
	}
	grow(0, 0, 0)
	return sets
}

// remainderColumnSets lists the sets of columns for rule 4.
func (sp *suppressor) remainderColumnSets() []uint64 {
	all := uint64(1)<<sp.width - 1
	if sp.width <= 4 {
		sets := make([]uint64, all)
		for i := range sets {
			sets[i] = uint64(i + 1)
		}
		return sets
	}
	sets := []uint64{all}
	for o := range sp.width {
		sets = append(sets, 1<<o, all&^(1<<o))
	}
	return sets
}

// remainder sets parts[n], what the known parts of n's subtree cover in the columns (all of it
// when n is known; else its children's parts, and its own responses when those are known), from
// its children's; and returns, when n is known, how much it exceeds its known parts by, else 0.
func (sp *suppressor) remainder(n int, mask uint64, parts []int, known, knownOwn colSpace) int {
	covered := 0
	for _, c := range sp.children[n] {
		covered += parts[c]
	}
	if sp.hasMask(knownOwn, mask) {
		covered += columnCount(sp.own[n], mask)
	}
	if !sp.hasMask(known, mask) {
		parts[n] = covered
		return 0
	}
	parts[n] = columnCount(sp.sub[n], mask)
	return parts[n] - covered
}

// broken says whether the violation holds in this state of knowledge.
func (v whatIf) broken(x violation) bool {
	switch x.rule {
	case ruleSubtree:
		return v.sp.hasMask(v.known(x.node), x.mask)
	case ruleOwn:
		return v.sp.hasMask(v.knownOwn(x.node), x.mask)
	}
	parts := make([]int, len(v.sp.parent))
	for _, n := range v.sp.descendants(x.node) {
		v.sp.remainder(n, x.mask, parts, v.known(n), v.knownOwn(n))
	}
	r := v.sp.remainder(x.node, x.mask, parts, v.known(x.node), v.knownOwn(x.node))
	return r > 0 && r < v.sp.k
}

// descendants lists the nodes below n (all of them for -1), from the bottom up.
func (sp *suppressor) descendants(n int) []int {
	var nodes []int
	for d := len(sp.parent) - 1; d >= 0; d-- { // a parent comes before its children
		if d != n && (n < 0 || sp.inSubtree(d, n)) {
			nodes = append(nodes, d)
		}
	}
	return nodes
}
