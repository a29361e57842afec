package suppression

import (
	"fmt"
	"slices"
)

// Live is what an open wave published of one family, per node of its table: the node's own
// answers (not its subtree's) that its figures took in when last published, and how those split
// over the breakdown's options (nil without a breakdown). Own answers are published in steps of
// at least k (see Moves), so each node's are at least k, or none.
type Live struct {
	Own   []int
	Cells [][]int
}

// Final decides which of a closed wave's figures may be shown, given what the wave published
// while it was open. The reader keeps every publication. Each held blocks of own answers of at
// least k, and those are all they can work out from them; the closing figures add the answers
// that arrived since. So the table is checked with each node's published own answers as a child
// of its own whose total is known (Table.Known) and whose cells are not (they were never shown):
// what is left attached to the node is what arrived since. A final figure that would give away
// fewer than k of those late answers is withheld, and the report shows the node's figure as last
// published instead, which the reader had anyway. The result is about t's nodes.
func Final(t Table, live Live, k int, within *Shown) Shown {
	n := len(t.Parent)
	if len(live.Own) != n {
		panic(fmt.Sprintf("suppression: live answers for %d nodes of %d", len(live.Own), n))
	}
	width := optionCount(t)
	withLive := Table{Parent: append([]int(nil), t.Parent...), Total: append([]int(nil), t.Total...),
		Known: make([]bool, n)}
	if t.Known != nil {
		copy(withLive.Known, t.Known)
	}
	if t.Cells != nil {
		withLive.Cells = append([][]int(nil), t.Cells...)
	}
	inside := Shown{Node: make([]bool, n)}
	if t.Cells != nil {
		inside.Cell = make([][]bool, n)
	}
	for i := range n {
		inside.Node[i] = within == nil || within.Node[i]
		if t.Cells != nil {
			inside.Cell[i] = make([]bool, width)
			for o := range width {
				inside.Cell[i][o] = within == nil || within.Cell == nil || within.Cell[i][o]
			}
		}
	}
	if within != nil { // clipped: appended to below, they must not write into within's arrays
		inside.NodeWhy, inside.CellWhy = slices.Clip(within.NodeWhy), slices.Clip(within.CellWhy)
	}
	for i, own := range live.Own {
		if own == 0 {
			continue
		}
		withLive.Parent = append(withLive.Parent, i)
		withLive.Total = append(withLive.Total, own)
		withLive.Known = append(withLive.Known, true)
		inside.Node = append(inside.Node, true)
		if t.Cells != nil {
			cells := make([]int, width)
			if live.Cells != nil && live.Cells[i] != nil {
				copy(cells, live.Cells[i])
			}
			withLive.Cells = append(withLive.Cells, cells)
			inside.Cell = append(inside.Cell, make([]bool, width)) // never shown
		}
		if inside.NodeWhy != nil {
			inside.NodeWhy = append(inside.NodeWhy, "")
		}
		if inside.CellWhy != nil {
			inside.CellWhy = append(inside.CellWhy, make([]Reason, width))
		}
	}
	checkLive(t, withLive)
	s := Suppress(withLive, k, &inside)
	s.Node, s.NodeWhy = s.Node[:n], s.NodeWhy[:n]
	if s.Cell != nil {
		s.Cell, s.CellWhy = s.Cell[:n], s.CellWhy[:n]
	}
	return s
}

// checkLive panics where a node's published own answers exceed what it holds now in some column:
// answers are never taken back, so the published state was not this table's.
func checkLive(t Table, withLive Table) {
	n := len(t.Parent)
	own := make([][]int, len(withLive.Parent)) // per node, per column, the unanswered last
	for i := range withLive.Parent {
		own[i] = make([]int, optionCount(t)+1)
		own[i][len(own[i])-1] = withLive.Total[i]
		for o := range optionCount(t) {
			own[i][o] = withLive.Cells[i][o]
			own[i][len(own[i])-1] -= withLive.Cells[i][o]
		}
	}
	for i := len(withLive.Parent) - 1; i >= 0; i-- {
		if p := withLive.Parent[i]; p >= 0 {
			for o, x := range own[i] {
				own[p][o] -= x
			}
		}
	}
	for i := range n {
		for _, x := range own[i] {
			if x < 0 {
				panic(fmt.Sprintf("suppression: node %d published more own answers than it holds", i))
			}
		}
	}
}
