// Package suppression decides which figures of a report may be shown without exposing fewer than
// k responses, directly or by adding and subtracting the figures that are shown. The rules are
// checked in rules.go and scattered.go and mended in mend.go; state.go holds what a reader knows
// about each node, and linear.go, cosets.go and wide.go the exact linear algebra it is worked out
// with. steps.go holds the rule by which an open wave's published figures move, and final.go
// decides a closed wave's figures given what it published while open.
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
//  5. Nor any other set of 1 to k-1 responses, scattered over nodes and columns as it may be (two
//     teams' totals, less the unanswered of their department, leave the few in those two teams
//     who chose an option). Rules 3 and 4 find the usual shapes cheaply and mend them well; rule
//     5 is the exact search that leaves none (scattered.go).
//
// How. What can be worked out about a node is a subspace of the linear functions of its column
// counts (linear.go, state.go). A subtree meets the rest of the table only through its column
// counts, so two messages along the tree give that subspace exactly: inside, what the subtree
// gives (the node's figures; and where the node has no responses of its own in some columns,
// whatever every child's subtree gives there); outside, what the rest gives (what is known about
// the parent, from its figures and from outside, where it has no responses of its own and every
// sibling's subtree gives it too). What is known about the node's own responses follows. Rule 5
// follows a combination of figures down the tree as the function it adds up to at each node, and
// searches, up the tree, the cosets of those functions that hold fewer than k (scattered.go).
//
// Mending. A broken rule is mended by withholding one more shown figure: among the figures near
// it, the smallest that mends it alone (by count; a cell, then all the cells of a node, then a
// total, which takes its cells with it and which its parent then gives away). A figure that
// cannot change what is known there is not tried. If no single figure mends it (it can be worked
// out in more than one way), the smallest that closes one of the ways is withheld, and the next
// pass looks again. Rules 1 to 4 are mended first; then rule 5 looks, and withholds the smallest
// figure that closes the set it finds (derivable.go), and rules 1 to 4 look again. Each pass that
// finds something withholds something, so it ends: with nothing shown, nothing can be worked out.
// A figure withheld in within stays withheld, and is protected.
//
// Open waves. While a wave is open the report is published again as answers arrive, and a reader
// may keep every publication; atoms are then split by the step their answers arrived at too, and
// the reader knows which of those are empty. A family is published per node's own answers (not
// its subtree's): they are published again once they have grown by at least k since last
// published, and by at least half (Moves: so a node moves a handful of times, and closing checks
// few blocks), and a node's figure is the sum, over its subtree, of each node's own answers
// as last published. So every figure is a sum of blocks, a block being the at least k answers of
// one node that arrived between two of its moves. Each block can be worked out (a node's figure
// less its children's is its own answers as published; that less the same a publication earlier,
// the block), and every figure is a sum of blocks: what the reader can work out from all the
// publications together is the span of the blocks. They are disjoint, so a set of answers in that
// span is a union of blocks, none or k or more: nothing below k. No breakdown is published while a
// wave is open (a cell would split a block); each node's own answers are split over the options
// at each move, and recorded, for the closing.
//
// When the wave closes, its figures are decided by FinalMoves on the closing counts, with each
// block as a child of its node whose total is known (Table.Known: shown, never withheld to mend)
// and whose cells are never shown: what is left attached to the node is what arrived since its
// last move. A figure that would give away fewer than k of those late answers, or part of a
// block, is withheld, and the report shows the node's last live figure instead, which the reader
// has anyway: a node whose late answers are fewer than k keeps its last figures. The plain report
// is decided first, then the breakdown of the same moment with the totals the plain report shows
// known, so the breakdown never withholds a total the plain report shows, nor adds a way to work
// anything out. A breakdown needs every move, not the last one only: a reader who kept the
// publications knows each block apart, and a block whose answers all chose some options can be
// taken from a cell (team A moved at 6, 5 of them option a and 1 option b, then at 11 with 5 more
// option b: A's cell a, 5, less the first 6 is that one b). Final, given the last move only, is
// exact without a breakdown; with one, it withholds the cells of a node that may have moved more
// than once over more than one column, and of its ancestors. TestOpenWaveSteps reads random waves
// so: each publication alone, the closing ones together, and all of them.
//
// Not guaranteed. Anything here holds for the figures of one family, read alone or, for an open
// wave, with its earlier publications, by a reader who knows nothing of the answers but the
// figures. Not against:
//   - a reader who already knows some of the responses, such as their own;
//   - figures of different families read together (the groups' count less a dimension's, say,
//     is how many skipped it): each family is suppressed on its own, tied to the groups only
//     by within. The plain and breakdown reports of one family and moment agree through Known,
//     but breakdowns by different questions are decided apart, and so are different families,
//     such as a dimension and the groups' count, whether the wave is open or closed.
package suppression

import "slices"

// Table is the counts of one family of figures (a group's responses, one dimension, one skill...).
type Table struct {
	// Parent of each node, -1 at the top; a parent comes before its children.
	Parent []int
	// Total is the count behind each node's figure.
	Total []int
	// Cells[node][option] is the count behind each breakdown cell; nil without a breakdown.
	Cells [][]int
	// Known marks the totals a reader already has from elsewhere (another report of the same
	// moment, or what an open wave published): shown whatever their count, and never withheld to
	// protect another, since withholding them here would hide nothing. Nor is anything they give
	// on their own guarded (a cell equal to a known total, say). They should give nobody away on
	// their own, as the totals a decision of this package showed, or an open wave's blocks of at
	// least k, do not; where they do (one below k, say), Suppress cannot hide it, and may withhold
	// other figures in vain. nil for none.
	Known []bool
}

// Shown says which figures of a table may be shown.
type Shown struct {
	Node []bool
	Cell [][]bool
	// NodeWhy and CellWhy say why each withheld figure is withheld ("" where shown).
	NodeWhy []Reason
	CellWhy [][]Reason
}

// Reason says why a figure is withheld, in words a reader of the report can be given.
type Reason string

const (
	// Small: fewer answered it than the threshold.
	Small Reason = "small"
	// ProtectsAnother: enough answered it, but shown it would let a smaller group, or another
	// withheld figure, be worked out by adding and subtracting.
	ProtectsAnother Reason = "protects another"
)

// Suppress decides which figures of t may be shown with threshold k. A figure withheld in
// within (the group-level decision, for a family of figures inside the groups) stays withheld,
// but is guarded against being worked out only where fewer than k answered it in this family
// (see mustProtect); within may be nil.
func Suppress(t Table, k int, within *Shown) Shown {
	if optionCount(t) > 62 {
		panic("suppression: a breakdown of more than 62 options")
	}
	sp := newSuppressor(t, k, primary(t, k, within), within)
	defer sp.release()
	if t.Known != nil {
		sp.given = newSuppressor(t, k, knownOnly(t), within)
		defer sp.given.release()
	}
	for {
		for sp.pass() {
		}
		if set := sp.scattered(); set == nil || !sp.mendSet(set) {
			break
		}
	}
	sp.shown.explain(t, k, within)
	return sp.shown
}

// explain says why each withheld figure is withheld: too few answered it; it is withheld in within
// (for its reason there); or else it protects another. A cell of a withheld node is withheld for
// the node's reason.
func (s *Shown) explain(t Table, k int, within *Shown) {
	why := func(shown bool, count int, inWithin *Reason) Reason {
		switch {
		case shown:
			return ""
		case count < k:
			return Small
		case inWithin != nil && *inWithin != "":
			return *inWithin
		}
		return ProtectsAnother
	}
	s.NodeWhy = make([]Reason, len(s.Node))
	for i, shown := range s.Node {
		var w *Reason
		if within != nil && !within.Node[i] && within.NodeWhy != nil {
			w = &within.NodeWhy[i]
		}
		s.NodeWhy[i] = why(shown, t.Total[i], w)
	}
	if s.Cell == nil {
		return
	}
	s.CellWhy = make([][]Reason, len(s.Cell))
	for i, cells := range s.Cell {
		s.CellWhy[i] = make([]Reason, len(cells))
		for o, shown := range cells {
			if !shown && !s.Node[i] {
				s.CellWhy[i][o] = s.NodeWhy[i]
				continue
			}
			var w *Reason
			if within != nil && within.Cell != nil && !within.Cell[i][o] && within.CellWhy != nil {
				w = &within.CellWhy[i][o]
			}
			s.CellWhy[i][o] = why(shown, t.Cells[i][o], w)
		}
	}
}

func (t Table) known(i int) bool { return t.Known != nil && t.Known[i] }

func optionCount(t Table) int {
	if len(t.Cells) == 0 {
		return 0
	}
	return len(t.Cells[0])
}

// knownOnly shows the known totals, and nothing else.
func knownOnly(t Table) Shown {
	s := Shown{Node: slices.Clone(t.Known)}
	if t.Cells != nil {
		s.Cell = make([][]bool, len(t.Parent))
		for i := range s.Cell {
			s.Cell[i] = make([]bool, optionCount(t))
		}
	}
	return s
}

// primary withholds every figure below k, and every cell of a withheld node.
func primary(t Table, k int, within *Shown) Shown {
	n := len(t.Parent)
	s := Shown{Node: make([]bool, n)}
	if t.Cells != nil {
		s.Cell = make([][]bool, n)
	}
	for i := range n {
		s.Node[i] = t.known(i) || t.Total[i] >= k && (within == nil || within.Node[i])
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
