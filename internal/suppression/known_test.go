package suppression

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKnownTotalIsShown, worked by hand: a department of 12 with teams of 9 and 3, k = 5 (as in
// TestReasons). Alone, the team of 3 is small and the team of 9 is withheld to protect it. With
// the team of 9 known (shown by another report of the same moment, say), it shows, and the
// department is withheld instead: shown, it would give the team of 3 away. The reader, who has
// the 9 anyway, can work out nothing else.
func TestKnownTotalIsShown(t *testing.T) {
	tab := Table{Parent: []int{-1, 0, 0}, Total: []int{12, 9, 3}, Known: []bool{false, true, false}}
	s := Suppress(tab, 5, nil)
	if want := []bool{false, true, false}; !slices.Equal(s.Node, want) {
		t.Errorf("shown %v, want %v", s.Node, want)
	}
	if want := []Reason{ProtectsAnother, "", Small}; !slices.Equal(s.NodeWhy, want) {
		t.Errorf("reasons %q, want %q", s.NodeWhy, want)
	}
	c := suppressCase{k: 5, parent: tab.Parent, direct: [][]int{{0}, {9}, {3}}}
	if leaks := newSuppressAuditor(c, s).audit(tab, s); len(leaks) > 0 {
		t.Error(leaks)
	}
}

// TestKnownTotalBelowK: a known total is shown whatever its count, as documented: withholding it
// would hide nothing from a reader who has it.
func TestKnownTotalBelowK(t *testing.T) {
	s := Suppress(Table{Parent: []int{-1, 0, 0}, Total: []int{12, 9, 3}, Known: []bool{false, false, true}}, 5, nil)
	if !s.Node[2] || s.NodeWhy[2] != "" {
		t.Errorf("the known team of 3: shown %v, reason %q", s.Node[2], s.NodeWhy[2])
	}
}

// TestKnownTotalsFromThePlainReport: the report decides a family's totals alone, then its
// breakdown with the totals it showed known, as the plain and breakdown reports of one moment.
// Over random hierarchies every known total shows, none is withheld to mend, and the strongest
// reader of the breakdown, known totals shown in it, works out nothing below k. Some known totals
// are those the breakdown alone would have withheld.
func TestKnownTotalsFromThePlainReport(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 14))
	forced := 0
	for i := range 5000 {
		c := randomSuppressCase(r)
		tab := c.table()
		plain := Suppress(Table{Parent: tab.Parent, Total: tab.Total}, c.k, nil)
		tab.Known = slices.Clone(plain.Node)
		if i%2 == 1 { // some of them only
			for n := range tab.Known {
				tab.Known[n] = tab.Known[n] && r.IntN(2) == 0
			}
		}
		s := Suppress(tab, c.k, nil)
		alone := Suppress(Table{Parent: tab.Parent, Total: tab.Total, Cells: tab.Cells}, c.k, nil)
		for n, known := range tab.Known {
			if known && !s.Node[n] {
				t.Fatalf("case %d: known total %d withheld as %q\n%s", i, n, s.NodeWhy[n], c)
			}
			if known && !alone.Node[n] {
				forced++
			}
		}
		if err := checkReasons(tab, s, c.k); err != nil {
			t.Fatalf("case %d: %v\n%s", i, err, c)
		}
		au, given := newSuppressAuditor(c, s), newSuppressAuditor(c, knownOnly(tab))
		au.given = &given
		if leaks := au.audit(tab, s); len(leaks) > 0 {
			t.Fatalf("case %d: %v\n%s", i, leaks, c)
		}
	}
	t.Logf("5000 random hierarchies: %d known totals shown that the breakdown alone withheld", forced)
	if forced == 0 {
		t.Error("no known total changed a decision: nothing was tested")
	}
}

// TestKnownTotalsLeaveWhatTheyGive, worked by hand: a directorate with 2 answers of its own
// (unanswered), a team under it with 7 of its own (unanswered), and the team's sub-team with 6,
// all option a; k = 5. The plain report shows the directorate's 15 and the sub-team's 6, and
// withholds the team's 13 (less it, the directorate would give away its own 2). In the
// breakdown those two totals are known. Every a is the sub-team's, so the cells a of all three
// are 6, which the sub-team's known total gives: the team's cell, withheld with its total, can
// be worked out whatever else is withheld, and nothing is withheld for it. The directorate's and
// the sub-team's cells show (they tell nothing the 6 did not). Suppress used to try to hide the
// team's cell, and withheld the other two in vain.
func TestKnownTotalsLeaveWhatTheyGive(t *testing.T) {
	c := suppressCase{k: 5, m: 1, parent: []int{-1, 0, 1}, direct: [][]int{{0, 2}, {0, 7}, {6, 0}}}
	tab := c.table()
	plain := Suppress(Table{Parent: tab.Parent, Total: tab.Total}, c.k, nil)
	if want := []bool{true, false, true}; !slices.Equal(plain.Node, want) {
		t.Fatalf("the plain report shows %v, want %v", plain.Node, want)
	}
	tab.Known = plain.Node
	s := Suppress(tab, c.k, nil)
	if want := [][]bool{{true}, {false}, {true}}; !slices.Equal(s.Node, plain.Node) || !slices.EqualFunc(s.Cell, want, slices.Equal) {
		t.Errorf("the breakdown shows %v, cells %v; want %v, cells %v", s.Node, s.Cell, plain.Node, want)
	}
	au, given := newSuppressAuditor(c, s), newSuppressAuditor(c, knownOnly(tab))
	au.given = &given
	if leaks := au.audit(tab, s); len(leaks) > 0 {
		t.Error(leaks)
	}
}
