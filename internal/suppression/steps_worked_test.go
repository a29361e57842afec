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
