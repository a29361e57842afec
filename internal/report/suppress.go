package report

import (
	"cmp"
	"math/bits"
	"slices"
)

// Suppression: which figures may be shown without exposing fewer than k responses, directly or by
// adding and subtracting the figures that are shown.
//
// The reader. A table is a hierarchy; each node's figure covers its whole subtree, the responses
// attached to the node itself included, and may be split into breakdown cells (node × option of a
// single-choice question; whoever left it unanswered is in no cell). Split each node's own
// responses into atoms, one per option and one for the unanswered: every figure is then the sum
// of some atoms. The reader knows every shown figure and which atoms are empty (it is no secret
// that nobody answers for a directorate directly, or that a team has nobody in some option), and
// may add and subtract shown figures in any combination: what they can work out is the linear
// span of the shown figures, as 0/1 vectors over the non-empty atoms. A figure's sum of scores
// adds up over the same responses as its count, so what holds for counts holds for scores.
//
// The rules, each checked exactly against that reader:
//  1. No figure below k is shown, nor a cell of a withheld node (primary suppression).
//  2. No withheld figure holding any response can be worked out. This is complementary
//     suppression: where a parent is shown and one of its parts is withheld, another is too.
//  3. No group of 1 to k-1 responses can be worked out, among the sets of columns (say the
//     unanswered, or two options together) of a node's subtree and of the node's own responses.
//     This covers every atom, and the responses attached directly to a parent.
//  4. Nor any remainder of 1 to k-1: in a set of columns, a node that can be worked out less the
//     parts of its subtree that can (its nearest such descendants, and the own responses of the
//     nodes in between, that can), as when two withheld teams of two sit under a shown parent.
//     Up to three options every set of columns is checked; beyond, each column, all of them, and
//     all but one.
//
// How. What can be worked out about a node is a subspace of the linear functions of its column
// counts (suppress_columns.go). A subtree meets the rest of the table only through its column
// counts, so two messages along the tree give that subspace exactly: inside, what the subtree
// gives (the node's figures; and where the node has no responses of its own in some columns,
// whatever every child's subtree gives there); outside, what the rest gives (what is known about
// the parent, from its figures and from outside, where it has no responses of its own and every
// sibling's subtree gives it too). What is known about the node's own responses follows.
//
// Mending. A broken rule is mended by withholding one more shown figure: among the figures near
// it, the smallest that mends it alone (by count; a cell, then all the cells of a node, then a
// total, which takes its cells with it and which its parent then gives away). A figure that
// cannot change what is known there is not tried. If no single figure mends it (it can be worked
// out in more than one way), the smallest that closes one of the ways is withheld, and the next
// pass looks again. Each pass that finds something withholds something, so it ends: with nothing
// shown, nothing can be worked out. A figure withheld in within stays withheld, and is protected.
//
// Not guaranteed. A set of fewer than k responses scattered over several nodes and columns can
// still be reached by a combination that mixes columns (two teams' totals, less the unanswered of
// their department, leave the few in those two teams who chose an option). The property test
// counts them: 11 of its 4,000 random small tables. An exact search (a dynamic programme over the
// sets below k, up the tree) closed that, but took some 10 ms for one 300-node table with six
// options: too slow for the forty-odd families of a report. Nor does anything here hold against
// a reader who already knows some of the responses, such as their own.

// Table is the counts of one family of figures (a group's responses, one dimension, one skill...).
type Table struct {
	// Parent of each node, -1 at the top; a parent comes before its children.
	Parent []int
	// Total is the count behind each node's figure.
	Total []int
	// Cells[node][option] is the count behind each breakdown cell; nil without a breakdown.
	Cells [][]int
}

// Shown says which figures of a table may be shown.
type Shown struct {
	Node []bool
	Cell [][]bool
}

// Suppress decides which figures of t may be shown with threshold k. A figure withheld in
// within (the group-level decision, for a family of figures inside the groups) stays withheld;
// within may be nil.
func Suppress(t Table, k int, within *Shown) Shown {
	if optionCount(t) > 62 {
		panic("report: a breakdown of more than 62 options")
	}
	sp := newSuppressor(t, k, primary(t, k, within))
	defer sp.release()
	for sp.pass() {
	}
	return sp.shown
}

func optionCount(t Table) int {
	if len(t.Cells) == 0 {
		return 0
	}
	return len(t.Cells[0])
}

// primary withholds every figure below k, and every cell of a withheld node.
func primary(t Table, k int, within *Shown) Shown {
	n := len(t.Parent)
	s := Shown{Node: make([]bool, n)}
	if t.Cells != nil {
		s.Cell = make([][]bool, n)
	}
	for i := range n {
		s.Node[i] = t.Total[i] >= k && (within == nil || within.Node[i])
		if t.Cells == nil {
			continue
		}
		s.Cell[i] = make([]bool, len(t.Cells[i]))
		for o, c := range t.Cells[i] {
			s.Cell[i][o] = s.Node[i] && c >= k && (within == nil || within.Cell == nil || within.Cell[i][o])
		}
	}
	return s
}

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

// pass mends what is broken, and reports whether it withheld anything.
func (sp *suppressor) pass() bool {
	mended := false
	for _, v := range sp.violations() {
		if sp.without(noFigure).broken(v) {
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
			if !sp.isShown(f) && sp.figureCount(f) > 0 && sp.hasMask(known[n], sp.figureMask(f)) {
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
			if f := (figureRef{n, o}); sp.isShown(f) && (v == nil || sp.mayMend(f, *v)) {
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
