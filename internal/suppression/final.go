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

// Move is one publication of a node's own answers while a wave was open (see Moves): how many it
// had then, and how they split over the breakdown's options (nil without a breakdown), as of that
// publication, not since the one before.
type Move struct {
	Own   int
	Cells []int
}

// Final decides which of a closed wave's figures may be shown, given the own answers each node
// last published while the wave was open: FinalMoves with one move per node. That is exact
// without a breakdown. With one it is exact for a node whose own answers moved once, but a
// reader who kept every publication also knows each move's block apart, and a block whose
// answers all chose some options can be taken from a cell (team A moved at 6, 5 of them option a
// and 1 option b, then at 11 with 5 more option b: A's cell a, 5, less the first 6 would be that
// one b). Where Final cannot tell (a node published 2k or more own answers, in more than one
// column), it shows no cell of the node or of its ancestors, which is safe whatever the moves
// were; FinalMoves, given every move, decides those cells exactly.
func Final(t Table, live Live, k int, within *Shown) Shown {
	n := len(t.Parent)
	if len(live.Own) != n {
		panic(fmt.Sprintf("suppression: live answers for %d nodes of %d", len(live.Own), n))
	}
	moves := make([][]Move, n)
	for i, own := range live.Own {
		if own > 0 {
			moves[i] = []Move{{Own: own}}
			if live.Cells != nil {
				moves[i][0].Cells = live.Cells[i]
			}
		}
	}
	inside := withinFinal(t, within)
	for i, m := range moves {
		if t.Cells != nil && len(m) > 0 && m[0].Own >= 2*k && liveColumns(m[0], optionCount(t)) > 1 {
			for x := i; x >= 0; x = t.Parent[x] {
				clear(inside.Cell[x])
			}
		}
	}
	return final(t, moves, k, inside)
}

// liveColumns counts the columns (options, then the unanswered) a move's answers are in.
func liveColumns(m Move, options int) int {
	columns, answered := 0, 0
	for o := range min(options, len(m.Cells)) {
		if m.Cells[o] > 0 {
			columns++
		}
		answered += m.Cells[o]
	}
	if m.Own > answered {
		columns++
	}
	return columns
}

// FinalMoves decides which of a closed wave's figures may be shown, given every move of each
// node's own answers while the wave was open (moves[node], in order; none for a node that never
// moved). The reader kept every publication. What they can work out from them is each move's
// block of own answers (a publication less the one before: at least k answers of one node), and
// the sums of those; the closing figures add the answers that arrived since. So the table is
// checked with each block as a child of its node whose total is known (Table.Known) and whose
// cells are not (they were never shown): what is left attached to the node is what arrived since.
// A final figure that would give away fewer than k of those late answers, or a part of a block,
// is withheld, and the report shows the node's figure as last published instead, which the
// reader had anyway. The result is about t's nodes.
func FinalMoves(t Table, moves [][]Move, k int, within *Shown) Shown {
	if len(moves) != len(t.Parent) {
		panic(fmt.Sprintf("suppression: moves for %d nodes of %d", len(moves), len(t.Parent)))
	}
	return final(t, moves, k, withinFinal(t, within))
}

// withinFinal is the decision a closing table is made within: within, or everything shown.
func withinFinal(t Table, within *Shown) Shown {
	n, width := len(t.Parent), optionCount(t)
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
	return inside
}

// final suppresses t with each move's block as a known child of its node, within inside.
func final(t Table, moves [][]Move, k int, inside Shown) Shown {
	n, width := len(t.Parent), optionCount(t)
	withLive := Table{Parent: append([]int(nil), t.Parent...), Total: append([]int(nil), t.Total...),
		Known: make([]bool, n)}
	if t.Known != nil {
		copy(withLive.Known, t.Known)
	}
	if t.Cells != nil {
		withLive.Cells = append([][]int(nil), t.Cells...)
	}
	for i, ms := range moves {
		before := Move{Cells: make([]int, width)}
		for _, m := range ms {
			block := Move{Own: m.Own - before.Own, Cells: make([]int, width)}
			for o := range min(width, len(m.Cells)) {
				block.Cells[o] = m.Cells[o] - before.Cells[o]
			}
			before = Move{Own: m.Own, Cells: make([]int, width)}
			copy(before.Cells, m.Cells)
			withLive.Parent = append(withLive.Parent, i)
			withLive.Total = append(withLive.Total, block.Own)
			withLive.Known = append(withLive.Known, true)
			inside.Node = append(inside.Node, true)
			if t.Cells != nil {
				withLive.Cells = append(withLive.Cells, block.Cells)
				inside.Cell = append(inside.Cell, make([]bool, width)) // never shown
			}
			if inside.NodeWhy != nil {
				inside.NodeWhy = append(inside.NodeWhy, "")
			}
			if inside.CellWhy != nil {
				inside.CellWhy = append(inside.CellWhy, make([]Reason, width))
			}
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

// checkLive panics where a move took answers back, or a node's published own answers exceed what
// it holds now, in some column: answers are never taken back, so the published state was not
// this table's.
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
				if i >= n && x < 0 {
					panic(fmt.Sprintf("suppression: node %d's moves took answers back", p))
				}
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
