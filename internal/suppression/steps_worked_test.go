package suppression

import (
	"slices"
	"testing"
)

// Open waves worked by hand: what is published while open and at closing, and what a reader who
// keeps every publication can work out.

func equalFigures(a, b []figure) bool {
	return slices.EqualFunc(a, b, func(x, y figure) bool {
		return x.node == y.node && x.option == y.option && slices.Equal(x.through, y.through)
	})
}

func checkPublication(t *testing.T, got publication, want []figure) {
	t.Helper()
	if !equalFigures(got.figures, want) {
		t.Errorf("%s shows %v, want %v", got.name, got.figures, want)
	}
}

// TestOpenWaveAcrossPublications: a department with no answers of its own and two teams, k = 5.
// First step: team a has 6 answers, team b 3. a's 6 are published, b's 3 are not (fewer than 5):
// the department shows 6, a 6, b nothing. Second step: 4 more in a, 2 in b. a's own answers have
// grown by 4 since published and stay at 6; b's by 5 since nothing, and move to 5: the department
// shows 11, a 6, b 5. Together the reader has a's first 6 (step 1) and b's 5 (steps 1 and 2),
// nothing smaller. The wave closes. The only answers not yet published are a's 4: a's 10 would
// give them away (less its 6), and so would the department's 15 (less its 11), so both keep
// their live figures, and b shows 5, which it already did.
//
// By the rule the report had before, the department's 9 was shown first, then 15 and a's 6: 9
// less 6 gave away b's first 3.
func TestOpenWaveAcrossPublications(t *testing.T) {
	c := stepCase{parent: []int{-1, 0, 0}, k: 5, arrive: [][][]int{{{0}, {6}, {3}}, {{0}, {4}, {2}}}}
	w := c.publish(closeByFinal)
	first, second := []int{-1, 0, -1}, []int{-1, 0, 1}
	checkPublication(t, w.live[0], []figure{{0, -1, first}, {1, -1, first}})
	checkPublication(t, w.live[1], []figure{{0, -1, second}, {1, -1, second}, {2, -1, second}})
	checkPublication(t, w.closing[0], []figure{{0, -1, second}, {1, -1, second}, {2, -1, []int{1, 1, 1}}})
	if l := c.audit(w); l != nil {
		t.Errorf("%s gives away %v", l.reading, l.set)
	}
	if set := newStepAuditor(c, together(c.publishPerGroup())).smallSet(); !slices.Equal(set, []stepAtom{{2, 0, 0, 3}}) {
		t.Errorf("by the per-group rule, the publications together give away %v, want team b's first 3", set)
	}
}

// TestOpenWaveClosingKeepsLiveFigure: a directorate with no answers of its own, teams T and U,
// k = 5. T's 10 answers arrive first and are published: the directorate and T show 10, U nothing.
// Then 2 more arrive in T and 4 in U, not enough to move either, and the wave closes at 16, T 12,
// U 4. T's 12 less its live 10 would give its 2 late answers away: T keeps showing 10. U's 4 are
// below k. The directorate's 16 less T's 10 are the 6 late answers of T and U together: it shows.
func TestOpenWaveClosingKeepsLiveFigure(t *testing.T) {
	c := stepCase{parent: []int{-1, 0, 0}, k: 5, arrive: [][][]int{{{0}, {10}, {0}}, {{0}, {2}, {4}}}}
	w := c.publish(closeByFinal)
	live := []int{-1, 0, -1}
	checkPublication(t, w.live[1], []figure{{0, -1, live}, {1, -1, live}})
	if want := []bool{true, false, false}; !slices.Equal(w.decided[0].Node, want) {
		t.Errorf("closing shows %v, want %v", w.decided[0].Node, want)
	}
	checkPublication(t, w.closing[0], []figure{{0, -1, []int{1, 1, 1}}, {1, -1, live}})
	if l := c.audit(w); l != nil {
		t.Errorf("%s gives away %v", l.reading, l.set)
	}
}

// TestOpenWaveClosingBreakdown: team A, k = 5, options a and b. 6 answers arrive, 5 a and 1 b,
// and are published: A shows 6. Then 5 more arrive, all b, just before the wave closes, so they
// are never published while open. At closing A has 11: a 5, b 6. The plain report shows 11 (less
// the live 6, the 5 late answers). The breakdown may show neither cell: the live 6 less cell a
// would be the one b who came first, and cell b is 11 less cell a.
func TestOpenWaveClosingBreakdown(t *testing.T) {
	c := stepCase{parent: []int{-1}, m: 2, k: 5, arrive: [][][]int{{{5, 1, 0}}, {{0, 5, 0}}}, quietEnd: true}
	for _, close := range []closer{closeByFinal, closeByMoves} {
		w := c.publish(close)
		byOption := w.decided[1]
		if !byOption.Node[0] || byOption.Cell[0][0] || byOption.Cell[0][1] {
			t.Errorf("the breakdown shows total %v and cells %v, want the total alone", byOption.Node[0], byOption.Cell[0])
		}
		if l := c.audit(w); l != nil {
			t.Errorf("%s gives away %v", l.reading, l.set)
		}
	}
}

// TestOpenWaveClosingAfterTwoMoves: as TestOpenWaveClosingBreakdown, but the 5 b arrive while the
// wave is open and move A to 11. The reader has both blocks: the first 6 (5 a, 1 b) and the next
// 5 (all b). At closing, cell a (5) less the first 6 would be that one b, so neither cell shows,
// though A's 11 split 5 and 6 looks safe to a decision that knows only A's last 11. Final, given
// only that, cannot tell the blocks apart and shows no cell; FinalMoves, given both moves, shows
// none either.
//
// Had each block split 3 and 3, no cell would give anyone away: FinalMoves shows both, 6 and 6,
// where Final, not knowing how A moved, still shows neither.
func TestOpenWaveClosingAfterTwoMoves(t *testing.T) {
	for _, tc := range []struct {
		arrive     [][][]int
		byMoves    []bool // the cells FinalMoves shows; Final shows none
		lastOnly   bool   // whether a decision knowing only the last move gives someone away
		blockSplit string
	}{
		{[][][]int{{{5, 1, 0}}, {{0, 5, 0}}}, []bool{false, false}, true, "5 a, 1 b; then 5 b"},
		{[][][]int{{{3, 3, 0}}, {{3, 3, 0}}}, []bool{true, true}, false, "3 a, 3 b; twice"},
	} {
		c := stepCase{parent: []int{-1}, m: 2, k: 5, arrive: tc.arrive}
		w := c.publish(closeByMoves)
		if got := w.decided[1].Cell[0]; !slices.Equal(got, tc.byMoves) {
			t.Errorf("%s: FinalMoves shows cells %v, want %v", tc.blockSplit, got, tc.byMoves)
		}
		if l := c.audit(w); l != nil {
			t.Errorf("%s, closed by FinalMoves: %s gives away %v", tc.blockSplit, l.reading, l.set)
		}
		w = c.publish(closeByFinal)
		if got := w.decided[1].Cell[0]; slices.Contains(got, true) {
			t.Errorf("%s: Final shows cells %v, want none", tc.blockSplit, got)
		}
		if l := c.audit(w); l != nil {
			t.Errorf("%s, closed by Final: %s gives away %v", tc.blockSplit, l.reading, l.set)
		}
		last := func(t Table, live Live, _ [][]Move, k int) Shown {
			return FinalMoves(t, [][]Move{{{Own: live.Own[0], Cells: live.Cells[0]}}}, k, nil)
		}
		if l := c.audit(c.publish(last)); (l != nil) != tc.lastOnly {
			t.Errorf("%s: knowing only the last move, the closing gives away %v, want something: %v", tc.blockSplit, l, tc.lastOnly)
		}
	}
}
