package suppression

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The open-wave model, as the report publishes a family of figures. Answers arrive in steps. At
// each step a node's own answers (not its subtree's) are published again where they have grown by
// at least k since last published (Moves); a node's figure is the sum, over its subtree, of each
// node's own answers as last published, and the figures are suppressed by Suppress and shown as
// it allows. No breakdown is shown while the wave is open, but at each move the split of the
// node's own answers over the options is recorded. When the wave closes, the plain report's
// totals are decided by FinalMoves (or Final, given each node's last move only), then the
// breakdown's (where there is one) the same way with the plain report's shown totals known. A
// node whose closing total is withheld shows its last live figure.
//
// The reader keeps every publication. A shown figure is a vector over atoms split by the step
// their answers arrived at: for each node of its subtree, the answers that had arrived by the
// step that node's own answers were last published at.

// stepCase is a hierarchy whose atoms receive answers in steps: arrive[step][node][column], the
// last column being those who left the breakdown question unanswered. The report is published
// after each step but, where quietEnd, the last: its answers reach the closing publications only.
type stepCase struct {
	parent   []int
	m, k     int
	arrive   [][][]int
	quietEnd bool
}

func randomStepCase(r *rand.Rand) stepCase {
	for {
		n := 1 + r.IntN(5)
		c := stepCase{parent: make([]int, n), m: r.IntN(3), k: 2 + r.IntN(4), quietEnd: r.IntN(2) == 0}
		for i := range n {
			c.parent[i] = -1
			if i > 0 {
				c.parent[i] = r.IntN(i)
			}
		}
		atoms := 0
		for range 2 + r.IntN(3) {
			step := make([][]int, n)
			for i := range n {
				step[i] = make([]int, c.m+1)
				for o := range step[i] {
					if r.IntN(3) == 0 { // answers arrive in a few atoms at each step
						step[i][o] = 1 + r.IntN(6)
						atoms++
					}
				}
			}
			c.arrive = append(c.arrive, step)
		}
		if atoms <= 32 { // the auditor's arithmetic is exact up to 32 atoms
			return c
		}
	}
}

func (c stepCase) String() string {
	return fmt.Sprintf("k=%d options=%d parent=%v arrive=%v quietEnd=%v", c.k, c.m, c.parent, c.arrive, c.quietEnd)
}

func (c stepCase) inSubtree(node, top int) bool {
	return suppressCase{parent: c.parent}.inSubtree(node, top)
}

// own is node's own answers in a column (-1 for all) arrived by step t.
func (c stepCase) own(node, column, t int) int {
	sum := 0
	for s := 0; s <= t; s++ {
		for o, x := range c.arrive[s][node] {
			if column < 0 || o == column {
				sum += x
			}
		}
	}
	return sum
}

// table is the counts of every figure over the answers arrived by step t.
func (c stepCase) table(t int) Table {
	n := len(c.parent)
	tab := Table{Parent: c.parent, Total: make([]int, n)}
	if c.m > 0 {
		tab.Cells = make([][]int, n)
		for i := range n {
			tab.Cells[i] = make([]int, c.m)
		}
	}
	for a := range n {
		for top := range n {
			if c.inSubtree(a, top) {
				tab.Total[top] += c.own(a, -1, t)
				for o := range c.m {
					tab.Cells[top][o] += c.own(a, o, t)
				}
			}
		}
	}
	return tab
}

// figure is a shown figure: a node's total (option -1) or one of its cells, counting, for each
// node of its subtree, the own answers arrived by through[node] (none for -1).
type figure struct {
	node, option int
	through      []int
}

// publication is the figures a reader sees together, named for the failure message.
type publication struct {
	name    string
	figures []figure
}

// closer decides a closed wave's figures from its counts and what it published while open: the
// own answers each node last published, and every move of them.
type closer func(t Table, live Live, moves [][]Move, k int) Shown

func closeByFinal(t Table, live Live, _ [][]Move, k int) Shown { return Final(t, live, k, nil) }

func closeByMoves(t Table, _ Live, moves [][]Move, k int) Shown { return FinalMoves(t, moves, k, nil) }

// wave is what a case's wave publishes: a publication per step while open, then the closing
// ones (the plain report, then the breakdown where the case has one), with their decisions.
type wave struct {
	live, closing []publication
	decided       []Shown
}

// publish runs the wave as the report does, closing it by close.
func (c stepCase) publish(close closer) wave {
	n, last := len(c.parent), len(c.arrive)-1
	live := Live{Own: make([]int, n)}
	if c.m > 0 {
		live.Cells = make([][]int, n)
	}
	moves := make([][]Move, n)
	through := slices.Repeat([]int{-1}, n) // the step each node's own answers were last published at
	var w wave
	figures := make([]figure, n) // the last live publication's, by node (through nil: not shown)
	for t := range c.arrive {
		if t == last && c.quietEnd {
			break
		}
		for i := range n {
			if own := c.own(i, -1, t); Moves(live.Own[i], own, c.k) {
				live.Own[i], through[i] = own, t
				m := Move{Own: own}
				if c.m > 0 {
					m.Cells = make([]int, c.m)
					for o := range c.m {
						m.Cells[o] = c.own(i, o, t)
					}
					live.Cells[i] = m.Cells
				}
				moves[i] = append(moves[i], m)
			}
		}
		tab := Table{Parent: c.parent, Total: make([]int, n)}
		for i := range n {
			for j := range n {
				if c.inSubtree(j, i) {
					tab.Total[i] += live.Own[j]
				}
			}
		}
		s := Suppress(tab, c.k, nil)
		pub := publication{name: fmt.Sprintf("live %d", t)}
		figures = make([]figure, n)
		for i, shown := range s.Node {
			figures[i] = figure{i, -1, nil}
			if shown {
				figures[i].through = slices.Clone(through)
				pub.figures = append(pub.figures, figures[i])
			}
		}
		w.live = append(w.live, pub)
	}
	now := c.table(last)
	cells := now.Cells
	now.Cells = nil
	plain := close(now, live, moves, c.k)
	w.closing = append(w.closing, c.closing("closing", plain, figures))
	w.decided = append(w.decided, plain)
	if c.m > 0 {
		now.Cells, now.Known = cells, plain.Node
		byOption := close(now, live, moves, c.k)
		w.closing = append(w.closing, c.closing("closing by option", byOption, figures))
		w.decided = append(w.decided, byOption)
	}
	return w
}

// closing is a closed wave's publication: the totals and cells s shows, counting every answer,
// and for a withheld total the node's last live figure where that was shown.
func (c stepCase) closing(name string, s Shown, live []figure) publication {
	all := slices.Repeat([]int{len(c.arrive) - 1}, len(c.parent))
	pub := publication{name: name}
	for i, shown := range s.Node {
		switch {
		case shown:
			pub.figures = append(pub.figures, figure{i, -1, all})
		case live[i].through != nil:
			pub.figures = append(pub.figures, live[i])
		}
		for o := range c.m {
			if shown && s.Cell != nil && s.Cell[i][o] {
				pub.figures = append(pub.figures, figure{i, o, all})
			}
		}
	}
	return pub
}

// together is the figures of every publication given.
func together(pubs ...[]publication) []figure {
	var figures []figure
	for _, ps := range pubs {
		for _, p := range ps {
			figures = append(figures, p.figures...)
		}
	}
	return figures
}

// leak is a set below k that some reading of a wave gives away.
type leak struct {
	reading string
	set     []stepAtom
}

// audit reads a wave's publications each alone, the closing ones together (a reader who never
// looked while the wave was open) and all of them together, and returns the first set below k
// any of these readings gives away, or nil.
func (c stepCase) audit(w wave) *leak {
	readings := append(slices.Clone(w.live), w.closing...)
	readings = append(readings, publication{"the closing ones together", together(w.closing)},
		publication{"every publication together", together(w.live, w.closing)})
	for _, p := range readings {
		if set := newStepAuditor(c, p.figures).smallSet(); set != nil {
			return &leak{p.name, set}
		}
	}
	return nil
}

// TestOpenWaveSteps runs random open waves, publishes them as the report does and reads them as
// the strongest reader would: each publication alone, the closing ones together, and every one
// of them together. None may give away a set of 1 to k-1 answers (see suppression.go, "Open
// waves"), whether the wave closes by FinalMoves, given every move, or by Final, given the last.
func TestOpenWaveSteps(t *testing.T) {
	cases := 10000
	if testing.Short() {
		cases = 2000
	}
	for _, close := range []struct {
		name  string
		close closer
	}{{"FinalMoves", closeByMoves}, {"Final", closeByFinal}} {
		r := rand.New(rand.NewPCG(2026, 12))
		start := time.Now()
		breakdowns, cells, shown := 0, 0, 0
		for i := range cases {
			c := randomStepCase(r)
			w := c.publish(close.close)
			if l := c.audit(w); l != nil {
				t.Fatalf("closed by %s, case %d: %s gives away %v\n%s", close.name, i, l.reading, l.set, c)
			}
			if c.m > 0 {
				breakdowns++
				for _, cs := range w.decided[1].Cell {
					for _, ok := range cs {
						cells++
						if ok {
							shown++
						}
					}
				}
			}
		}
		t.Logf("closed by %s: %d random open waves (%d with a breakdown) in %v: nothing given away; "+
			"%d of %d closing cells shown", close.name, cases, breakdowns, time.Since(start), shown, cells)
	}
}

// publishPerGroup publishes a wave's totals by the rule the report had before: a group's figure
// moved when its subtree had grown by at least k since last shown (or had never been), and only
// where its parent's moved too or was up to date. It returns the publications while open.
func (c stepCase) publishPerGroup() []publication {
	n := len(c.parent)
	count, since := make([]int, n), slices.Repeat([]int{-1}, n) // as last published, and when
	var pubs []publication
	for t := range c.arrive {
		if t == len(c.arrive)-1 && c.quietEnd {
			break
		}
		now := c.table(t)
		due := make([]bool, n)
		for i, p := range c.parent { // parents first
			cur, nested := now.Total[i], p < 0 || due[p]
			switch {
			case cur == 0 && since[i] < 0: // the report has no figure for nobody
			case nested && (count[i] < c.k || cur-count[i] >= c.k):
				due[i], count[i], since[i] = true, cur, t
			case count[i] == cur:
				due[i] = true // up to date: what nests in it may move
			}
		}
		s := Suppress(Table{Parent: c.parent, Total: count}, c.k, nil)
		pub := publication{name: fmt.Sprintf("per group %d", t)}
		for i, shown := range s.Node {
			if shown {
				pub.figures = append(pub.figures, figure{i, -1, slices.Repeat([]int{since[i]}, n)})
			}
		}
		pubs = append(pubs, pub)
	}
	return pubs
}

// TestOpenWaveAuditorCatchesOtherSchemes keeps the step auditor honest: it finds sets below k,
// across publications, in many random waves published by the rule the report had before (a
// group's figure moving with k new answers in its subtree), or closed ignoring what was published
// while open (Suppress on the closing counts), or closed knowing only each node's last move.
func TestOpenWaveAuditorCatchesOtherSchemes(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 13))
	closeBySuppress := func(t Table, _ Live, _ [][]Move, k int) Shown { return Suppress(t, k, nil) }
	closeByLastMove := func(t Table, _ Live, moves [][]Move, k int) Shown {
		last := make([][]Move, len(moves))
		for i, m := range moves {
			if len(m) > 0 {
				last[i] = m[len(m)-1:]
			}
		}
		return FinalMoves(t, last, k, nil)
	}
	waves := 1000
	perGroup, ignoringLive, lastMove := 0, 0, 0
	for range waves {
		c := randomStepCase(r)
		if newStepAuditor(c, together(c.publishPerGroup())).smallSet() != nil {
			perGroup++
		}
		if w := c.publish(closeBySuppress); newStepAuditor(c, together(w.live, w.closing)).smallSet() != nil {
			ignoringLive++
		}
		if w := c.publish(closeByLastMove); newStepAuditor(c, together(w.live, w.closing)).smallSet() != nil {
			lastMove++
		}
	}
	t.Logf("of %d random waves read together, sets below k are given away in %d by the per-group rule, "+
		"%d closed ignoring the live publications, %d closed knowing only the last move", waves, perGroup,
		ignoringLive, lastMove)
	if perGroup < 100 || ignoringLive < 200 || lastMove < 40 {
		t.Errorf("the step auditor found too few: %d, %d and %d of %d waves", perGroup, ignoringLive, lastMove, waves)
	}
}
