package suppression

import (
	"slices"
)

// suppressor holds what the reader knows about each node, as subspaces of the functions of its
// columns, and which figures are shown.
type suppressor struct {
	*colSpaces
	parent   []int
	children [][]int
	k, width int     // width: one column per option, then the unanswered (one without breakdown)
	sub      [][]int // responses in each node's subtree, per column
	own      [][]int // responses attached to the node itself, per column
	// the sets of columns in which the subtree, and the node itself, hold between 1 and k-1
	smallSub, smallOwn [][]uint64
	shown              Shown
	within             *Shown     // the decision this family is made within (see mustProtect); nil for none
	known              []bool     // totals the reader has from elsewhere, never withheld (Table.Known)
	empty              []colSpace // the columns where the node has no responses of its own
	fig                []colSpace // what the node's shown figures give
	inside             []colSpace // what the figures and empty atoms of the node's subtree give
	kids               []colSpace // what every child's subtree gives (the meet of their inside)
	siblings           []colSpace // what every sibling's subtree gives
	outside            []colSpace // what the rest of the table gives

	// given is what the known totals alone give (nil without any), which nothing withheld can hide.
	given *suppressor
}

func newSuppressor(t Table, k int, s Shown, within *Shown) *suppressor {
	n, w := len(t.Parent), optionCount(t)+1
	sp := &suppressor{colSpaces: newColSpaces(w), parent: t.Parent, children: make([][]int, n), k: k,
		width: w, shown: s, within: within, known: t.Known, sub: make([][]int, n), own: make([][]int, n), smallSub: make([][]uint64, n),
		smallOwn: make([][]uint64, n), empty: make([]colSpace, n), fig: make([]colSpace, n),
		inside: make([]colSpace, n), kids: make([]colSpace, n), siblings: make([]colSpace, n),
		outside: make([]colSpace, n)}
	for i, p := range t.Parent {
		if p >= 0 {
			sp.children[p] = append(sp.children[p], i)
		}
		sp.sub[i] = make([]int, w)
		sp.sub[i][w-1] = t.Total[i]
		for o := range w - 1 {
			sp.sub[i][o] = t.Cells[i][o]
			sp.sub[i][w-1] -= t.Cells[i][o]
		}
	}
	for i := n - 1; i >= 0; i-- {
		sp.own[i] = slices.Clone(sp.sub[i])
		empty := uint64(0)
		for o := range w {
			for _, c := range sp.children[i] {
				sp.own[i][o] -= sp.sub[c][o]
			}
			if sp.own[i][o] == 0 {
				empty |= 1 << o
			}
		}
		sp.smallSub[i], sp.smallOwn[i] = smallColumnSets(sp.sub[i], k), smallColumnSets(sp.own[i], k)
		sp.empty[i], sp.fig[i], sp.kids[i] = sp.span(empty, false), sp.figSpace(i, noFigure), spaceAll
		for _, c := range sp.children[i] {
			sp.kids[i] = sp.meet(sp.kids[i], sp.inside[c])
		}
		sp.inside[i] = sp.plus(sp.fig[i], sp.meet(sp.empty[i], sp.kids[i]))
		sp.outside[i], sp.siblings[i] = spaceNone, spaceAll
	}
	for i := range n {
		sp.passDown(i)
	}
	return sp
}

// figSpace is what n's shown figures give, leaving out skip.
func (sp *suppressor) figSpace(n int, skip figureRef) colSpace {
	if !sp.shown.Node[n] || skip == (figureRef{n, -1}) {
		return spaceNone
	}
	cells := sp.shownCells(n)
	if skip.node == n {
		cells &^= sp.figureMask(skip)
	}
	return sp.span(cells, true)
}

// passDown recomputes what is known about p's children from outside their subtrees: what is
// known about p (from its figures, and from outside) where p has no responses of its own and
// every sibling's subtree gives it too. It returns the children for which that changed.
func (sp *suppressor) passDown(p int) []int {
	cs := sp.children[p]
	above := sp.meet(sp.plus(sp.fig[p], sp.outside[p]), sp.empty[p])
	suffix := make([]colSpace, len(cs)+1)
	suffix[len(cs)] = spaceAll
	for i := len(cs) - 1; i >= 0; i-- {
		suffix[i] = sp.meet(suffix[i+1], sp.inside[cs[i]])
	}
	var changed []int
	prefix := spaceAll
	for i, c := range cs {
		sp.siblings[c] = sp.meet(prefix, suffix[i+1])
		if out := sp.meet(above, sp.siblings[c]); out != sp.outside[c] {
			sp.outside[c] = out
			changed = append(changed, c)
		}
		prefix = sp.meet(prefix, sp.inside[c])
	}
	return changed
}

// refresh brings the knowledge up to date after x's figures changed.
func (sp *suppressor) refresh(x int) {
	dirty := []int{x} // nodes whose children's outside knowledge may have changed
	for n, in := x, sp.plus(sp.fig[x], sp.meet(sp.empty[x], sp.kids[x])); in != sp.inside[n]; {
		sp.inside[n] = in
		p := sp.parent[n]
		if p < 0 {
			break
		}
		sp.kids[p] = sp.meet(sp.siblings[n], in)
		dirty = append(dirty, p)
		n, in = p, sp.plus(sp.fig[p], sp.meet(sp.empty[p], sp.kids[p]))
	}
	for i := len(dirty) - 1; i >= 0; i-- {
		sp.pushDown(dirty[i])
	}
}

func (sp *suppressor) pushDown(p int) {
	for _, c := range sp.passDown(p) {
		sp.pushDown(c)
	}
}

// whatIf is the knowledge as it would be with one more figure withheld (or none): the figures at
// that node change, and so may the inside of the node and of its ancestors, and what is known
// from outside below them; these are worked out as needed, without touching the suppressor.
type whatIf struct {
	sp      *suppressor
	node    int
	fig     colSpace
	changed []int // the nodes whose inside changes, upward
	inside  []colSpace
}

func (sp *suppressor) without(f figureRef) whatIf {
	v := whatIf{sp: sp, node: f.node}
	if f.node < 0 {
		return v
	}
	v.fig = sp.figSpace(f.node, f)
	for n, in := f.node, sp.plus(v.fig, sp.meet(sp.empty[f.node], sp.kids[f.node])); in != sp.inside[n]; {
		v.changed, v.inside = append(v.changed, n), append(v.inside, in)
		p := sp.parent[n]
		if p < 0 {
			break
		}
		n, in = p, sp.plus(sp.fig[p], sp.meet(sp.empty[p], sp.meet(sp.siblings[n], in)))
	}
	return v
}

func (v whatIf) figOf(n int) colSpace {
	if n == v.node {
		return v.fig
	}
	return v.sp.fig[n]
}

func (v whatIf) insideOf(n int) colSpace {
	if i := slices.Index(v.changed, n); i >= 0 {
		return v.inside[i]
	}
	return v.sp.inside[n]
}

// changedChild is p's child whose inside changes, or -1.
func (v whatIf) changedChild(p int) int {
	if i := slices.IndexFunc(v.changed, func(c int) bool { return v.sp.parent[c] == p }); i >= 0 {
		return v.changed[i]
	}
	return -1
}

func (v whatIf) kidsOf(n int) colSpace {
	if c := v.changedChild(n); c >= 0 {
		return v.sp.meet(v.sp.siblings[c], v.insideOf(c))
	}
	return v.sp.kids[n]
}

func (v whatIf) siblingsOf(m int) colSpace {
	p := v.sp.parent[m]
	c := v.changedChild(p)
	if p < 0 || c < 0 || c == m || v.sp.meet(v.sp.siblings[m], v.insideOf(c)) == v.sp.siblings[m] {
		return v.sp.siblings[m] // the change does not reach their meet
	}
	s := spaceAll
	for _, x := range v.sp.children[p] {
		if x != m {
			s = v.sp.meet(s, v.insideOf(x))
		}
	}
	return s
}

func (v whatIf) outsideOf(m int) colSpace {
	if p := v.sp.parent[m]; v.node >= 0 && p >= 0 {
		return v.sp.meet(v.sp.meet(v.sp.plus(v.figOf(p), v.outsideOf(p)), v.sp.empty[p]), v.siblingsOf(m))
	}
	return v.sp.outside[m]
}

// known is what can be worked out about n's subtree, per column.
func (v whatIf) known(n int) colSpace { return v.sp.plus(v.insideOf(n), v.outsideOf(n)) }

// knownOwn is what can be worked out about the responses attached to n itself: what is known
// about n from its figures and from outside, where every child's subtree gives it too, and the
// columns where n has none.
func (v whatIf) knownOwn(n int) colSpace {
	return v.sp.plus(v.sp.empty[n], v.sp.meet(v.sp.plus(v.figOf(n), v.outsideOf(n)), v.kidsOf(n)))
}
