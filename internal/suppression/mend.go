package suppression

import (
	"cmp"
	"math/bits"
	"slices"
)

// mend withholds the smallest figure near v that mends it on its own (a cell before all the
// cells of a node, before a total, which takes its cells with it and makes its parent give it
// away). Failing that (it can be worked out in more than one way), it withholds the smallest that
// closes one of the ways, or else may help; the next pass looks again.
func (sp *suppressor) mend(v violation) bool {
	nodes := sp.neighbourhood(v.node)
	if v.rule == ruleRemainder { // and the parts that are known
		for _, d := range sp.descendants(v.node) {
			if sp.hasMask(sp.without(noFigure).known(d), v.mask) {
				nodes = append(nodes, d)
			}
		}
	}
	slices.Sort(nodes)
	switch v.rule {
	case ruleSubtree:
		v.inner = sp.hasMask(sp.inside[v.node], v.mask)
	case ruleOwn:
		v.inner = sp.hasMask(sp.plus(sp.empty[v.node], sp.meet(sp.fig[v.node], sp.kids[v.node])), v.mask)
	}
	if v.inner { // only figures in the subtree can mend it
		nodes = slices.DeleteFunc(nodes, func(n int) bool { return !sp.inSubtree(n, v.node) })
	}
	candidates := sp.candidates(slices.Compact(nodes), &v)
	if len(candidates) == 0 { // never seen: some shown figure is involved, anywhere will do
		if candidates = sp.candidates(sp.descendants(-1), nil); len(candidates) == 0 {
			return false // cannot happen: with nothing shown, nothing can be worked out
		}
	}
	now, progress := sp.without(noFigure).ways(v), -1
	for i, f := range candidates {
		then := sp.without(f)
		if !then.broken(v) {
			sp.withhold(f)
			return true
		}
		for j, way := range then.ways(v) {
			if progress < 0 && sp.hasMask(now[j], v.mask) && !sp.hasMask(way, v.mask) {
				progress = i
			}
		}
	}
	sp.withhold(candidates[max(progress, 0)])
	return true
}

// ways are the sources of what is known at v's node: for its subtree, its figures, its
// children's subtrees (where it has no responses of its own) and the rest of the table; for its
// own responses, its figures, the rest of the table, and its children's subtrees.
func (v whatIf) ways(x violation) [3]colSpace {
	n := x.node
	if x.rule == ruleOwn {
		return [3]colSpace{v.figOf(n), v.outsideOf(n), v.kidsOf(n)}
	}
	return [3]colSpace{v.figOf(n), v.sp.meet(v.sp.empty[n], v.kidsOf(n)), v.outsideOf(n)}
}

// neighbourhood lists n, its parent, grandparent, children, grandchildren and siblings.
func (sp *suppressor) neighbourhood(n int) []int {
	nodes := []int{n}
	for _, c := range sp.children[n] {
		nodes = append(append(nodes, c), sp.children[c]...)
	}
	if p := sp.parent[n]; p >= 0 {
		nodes = append(append(nodes, p), sp.children[p]...)
		if g := sp.parent[p]; g >= 0 {
			nodes = append(nodes, g)
		}
	}
	return nodes
}

// candidates lists the figures shown at the nodes that may mend v (any, for nil), smallest first.
func (sp *suppressor) candidates(nodes []int, v *violation) []figureRef {
	type candidate struct {
		figureRef
		count, rank int
	}
	var cs []candidate
	for _, n := range nodes {
		for o := -2; o < sp.width-1; o++ {
			if f := (figureRef{n, o}); sp.isShown(f) && !sp.isKnown(f) && (v == nil || sp.mayMend(f, *v)) {
				cs = append(cs, candidate{f, sp.figureCount(f), (3 + min(o, 0)) % 3})
			}
		}
	}
	slices.SortFunc(cs, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.count, b.count), cmp.Compare(a.rank, b.rank), cmp.Compare(a.node, b.node),
			cmp.Compare(a.option, b.option))
	})
	figs := make([]figureRef, len(cs))
	for i, c := range cs {
		figs[i] = c.figureRef
	}
	return figs
}

// mayMend says whether withholding f could mend v, judging by what it changes. What can be worked
// out at v's node combines what its subtree gives (only figures inside can change that) and what
// is known from outside: the figures above, and the meet of what the subtrees of its siblings,
// and of its ancestors' siblings, give. A figure elsewhere matters only if it changes that meet.
func (sp *suppressor) mayMend(f figureRef, v violation) bool {
	y, n := f.node, v.node
	switch {
	case sp.inSubtree(y, n):
		return true
	case v.inner:
		return false // what is known from outside always includes 0
	case sp.inSubtree(n, y):
		return true
	}
	for in := sp.plus(sp.figSpace(y, f), sp.meet(sp.empty[y], sp.kids[y])); in != sp.inside[y]; {
		p := sp.parent[y]
		if p < 0 {
			return false
		}
		if m := sp.childTowards(p, n); m >= 0 {
			return sp.meet(sp.siblings[m], in) != sp.siblings[m]
		}
		y, in = p, sp.plus(sp.fig[p], sp.meet(sp.empty[p], sp.meet(sp.siblings[y], in)))
	}
	return false
}

// childTowards is the child of p whose subtree holds n, or -1.
func (sp *suppressor) childTowards(p, n int) int {
	for ; n >= 0 && sp.parent[n] != p; n = sp.parent[n] {
	}
	return n
}

func (sp *suppressor) inSubtree(node, top int) bool {
	return node == top || node >= 0 && sp.childTowards(top, node) >= 0
}

func (sp *suppressor) isShown(f figureRef) bool {
	switch {
	case !sp.shown.Node[f.node]:
		return false
	case f.option == -2:
		return bits.OnesCount64(sp.shownCells(f.node)) > 1
	}
	return f.option < 0 || sp.shown.Cell[f.node][f.option]
}

// isKnown says whether f is a total the reader has from elsewhere, which withholding would not hide.
func (sp *suppressor) isKnown(f figureRef) bool {
	return f.option == -1 && sp.known != nil && sp.known[f.node]
}

// shownCells is the columns of n's shown cells.
func (sp *suppressor) shownCells(n int) uint64 {
	cells := uint64(0)
	for o := range sp.width - 1 {
		if sp.shown.Cell[n][o] {
			cells |= 1 << o
		}
	}
	return cells
}

// figureMask is the columns a figure adds up (all of them for the cells of a node).
func (sp *suppressor) figureMask(f figureRef) uint64 {
	switch f.option {
	case -1:
		return 1<<sp.width - 1
	case -2:
		return sp.shownCells(f.node)
	}
	return 1 << f.option
}

func (sp *suppressor) figureCount(f figureRef) int {
	return columnCount(sp.sub[f.node], sp.figureMask(f))
}

// columnCount adds up the counts of the columns in mask.
func columnCount(counts []int, mask uint64) int {
	sum := 0
	for o, x := range counts {
		sum += x * int(mask>>o&1)
	}
	return sum
}

// withhold withholds f (a total with its cells) and brings the knowledge up to date.
func (sp *suppressor) withhold(f figureRef) {
	sp.shown.Node[f.node] = sp.shown.Node[f.node] && f.option != -1
	for o := range sp.width - 1 {
		sp.shown.Cell[f.node][o] = sp.shown.Cell[f.node][o] && f.option >= 0 && o != f.option
	}
	sp.fig[f.node] = sp.figSpace(f.node, noFigure)
	sp.refresh(f.node)
}

// mendSet withholds a figure so that a set of fewer than k responses scattered over nodes and
// columns can no longer be worked out (rule 5): the smallest near it that closes it on its own,
// else anywhere; failing that (it can be worked out in more than one way), the smallest that
// closes one of the ways, or else the smallest near it. The next pass looks again.
func (sp *suppressor) mendSet(set []atom) bool {
	near, all := sp.candidates(sp.around(set), nil), sp.candidates(sp.descendants(-1), nil)
	for _, candidates := range [][]figureRef{near, all} {
		for _, f := range candidates {
			if !sp.derivable(set, sp.without(f)) {
				sp.withhold(f)
				return true
			}
		}
	}
	ways := sp.ways(set, sp.without(noFigure))
	for _, f := range near {
		if sp.ways(set, sp.without(f)) < ways {
			sp.withhold(f)
			return true
		}
	}
	if len(all) == 0 {
		return false // cannot happen: with nothing shown, nothing can be worked out
	}
	sp.withhold(append(near, all...)[0])
	return true
}

// around lists the nodes of a set's atoms, their children, their ancestors and the children of
// those.
func (sp *suppressor) around(set []atom) []int {
	var nodes []int
	for _, a := range set {
		nodes = append(nodes, sp.children[a.node]...)
		for n := a.node; n >= 0; n = sp.parent[n] {
			nodes = append(nodes, n)
			if p := sp.parent[n]; p >= 0 {
				nodes = append(nodes, sp.children[p]...)
			}
		}
	}
	slices.Sort(nodes)
	return slices.Compact(nodes)
}
