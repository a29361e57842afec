package suppression

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSuppressionScatteredSet, worked by hand: a set of two responses scattered over two nodes,
// which rules 1 to 4 left open (they are what Suppress gave before rule 5). Node 0 (3, 6, 0 own
// responses in option 0, option 1, unanswered) has children 1 (0, 0, 5), 3 (7, 0, 7), 5 (7, 1, 7)
// and 6 (5, 1, 0); node 1 has child 2 (6, 1, 0), which has child 4 (4, 0, 4). Shown: every total,
// both cells of node 0, and option 0 of nodes 1, 2, 3 and 5. Node 0's total less its two cells is
// the unanswered (23); less node 1's total less node 2's (node 1's own 5), and node 3's total less
// its option 0 (7), that leaves the unanswered of nodes 4 and 5 (11); node 2's and 5's totals less
// their option 0 (5 and 8) less those 11 leave the two who chose option 1 in nodes 2 and 5.
//
// Rule 5 finds that set and withholds the smallest figure that closes it: node 6's total (6) is
// not in any way to it, node 3's option 0 (7) is. With it withheld, a combination giving nodes 4
// and 5's unanswered 0 and their option 1 1 cannot be had: node 0's own options 0 and 1 hold
// people, so the coefficients of node 0's figures cancel in both (H_0 is 0 in options 0 and 1);
// node 3, its total alone shown and nobody in its option 1, then gives 0 to its option 0 and its
// unanswered alike only if H_0 is the same in both, so 0 in the unanswered too; node 5's total must
// then count 0 for its unanswered, and so 0 for its option 1 as well, not 1.
func TestSuppressionScatteredSet(t *testing.T) {
	c := suppressCase{k: 5, m: 2, parent: []int{-1, 0, 1, 0, 2, 0, 0},
		direct: [][]int{{3, 6, 0}, {0, 0, 5}, {6, 1, 0}, {7, 0, 7}, {4, 0, 4}, {7, 1, 7}, {5, 1, 0}}}
	s := Shown{Node: []bool{true, true, true, true, true, true, true},
		Cell: [][]bool{{true, true}, {true, false}, {true, false}, {true, false}, {false, false}, {true, false}, {false, false}}}
	tab := c.table()
	leaks := newSuppressAuditor(c, s).audit(tab, s)
	if len(leaks) != 1 || !errors.Is(leaks[0], errScattered) {
		t.Fatalf("the auditor found %v, want the scattered set of atoms 2×1 and 5×1", leaks)
	}
	if before := suppressRules1To4(tab, c.k); !slices.EqualFunc(before.Cell, s.Cell, slices.Equal) || !slices.Equal(before.Node, s.Node) {
		t.Errorf("rules 1 to 4 give %v, want the shown figures above", before)
	}
	sp := newSuppressor(tab, c.k, s, nil)
	if set := sp.scattered(); !slices.Equal(set, []atom{{2, 1}, {5, 1}}) && !slices.Equal(set, []atom{{5, 1}, {2, 1}}) {
		t.Fatalf("rule 5 found %v, want atoms 2×1 and 5×1", set)
	}
	if !sp.derivable([]atom{{2, 1}, {5, 1}}, sp.without(figureRef{6, -1})) {
		t.Error("withholding node 6's total closes the set, yet it is in no way to it")
	}
	got := Suppress(tab, c.k, nil)
	want := slices.Clone(s.Cell)
	want[3] = []bool{false, false}
	if !slices.Equal(got.Node, s.Node) || !slices.EqualFunc(got.Cell, want, slices.Equal) {
		t.Errorf("Suppress shows %v, want the figures above less node 3's option 0", got)
	}
	if leaks := newSuppressAuditor(c, got).audit(tab, got); len(leaks) > 0 {
		t.Errorf("after rule 5: %v", leaks)
	}
	if got.CellWhy[3][0] != ProtectsAnother {
		t.Errorf("node 3's option 0 withheld as %q, want %q", got.CellWhy[3][0], ProtectsAnother)
	}
}

// TestScatteredSearchIsExact: in random states of knowledge (primary suppression with some more
// figures withheld at random, not only the states Suppress ends in), the search finds a set below
// k exactly when the auditor does, and what it finds is one the auditor can work out.
func TestScatteredSearchIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	found := 0
	for i := range 20000 {
		c := randomSuppressCase(r)
		tab := c.table()
		s := primary(tab, c.k, nil)
		for n := range s.Node {
			if r.IntN(4) == 0 {
				s.Node[n] = false
			}
			if s.Cell == nil {
				continue
			}
			for o := range s.Cell[n] {
				s.Cell[n][o] = s.Cell[n][o] && s.Node[n] && r.IntN(3) > 0
			}
		}
		au := newSuppressAuditor(c, s)
		var small []int
		for a := range au.atoms {
			if au.count([]int{a}) < c.k {
				small = append(small, a)
			}
		}
		want := au.smallSet(small, nil)
		sp := newSuppressor(tab, c.k, s, nil)
		got := sp.scattered()
		sp.release()
		if (got == nil) != (want == nil) {
			t.Fatalf("case %d: the search found %v, the auditor %v\n%s\nshown %v", i, got, want, c, s)
		}
		if got == nil {
			continue
		}
		found++
		var set []int
		for _, a := range got {
			set = append(set, slices.Index(au.atoms, a.node*(c.m+1)+a.column))
		}
		if n := au.count(set); slices.Contains(set, -1) || n < 1 || n >= c.k || !au.derivable(set) {
			t.Fatalf("case %d: the search found %v (n=%d), which the auditor cannot work out\n%s", i, got, n, c)
		}
	}
	t.Logf("a set below k in %d of 20000 states", found)
}

// TestDerivableAgreesWithAuditor: the check mending relies on (whether one given set can be worked
// out, with a figure withheld or not) agrees with the auditor.
func TestDerivableAgreesWithAuditor(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	yes := 0
	for range 2000 {
		c := randomSuppressCase(r)
		tab := c.table()
		s := primary(tab, c.k, nil)
		sp := newSuppressor(tab, c.k, s, nil)
		au := newSuppressAuditor(c, s)
		if len(au.atoms) == 0 {
			continue
		}
		var set []atom
		var idx []int
		for j, a := range au.atoms {
			if r.IntN(len(au.atoms)) < 2 {
				set, idx = append(set, atom{a / (c.m + 1), a % (c.m + 1)}), append(idx, j)
			}
		}
		if len(set) == 0 {
			continue
		}
		got, want := sp.derivable(set, sp.without(noFigure)), au.derivable(idx)
		if got != want {
			t.Fatalf("set %v: derivable says %v, the auditor %v\n%s", set, got, want, c)
		}
		if got {
			yes++
		}
		sp.release()
	}
	t.Logf("%d derivable sets", yes)
}
