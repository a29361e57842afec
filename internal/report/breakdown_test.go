package report

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"skillsurvey/internal/demo"
	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/survey"
)

// cellsTeam is figuresTeam (four non-specialists, two specialists, worked in figures_test.go) and
// a third specialist, so both cells of a breakdown by role reach a threshold of 3:
//
//	resp 7: pe 4 4 4, pe-now-and-next now L4 75 (target L5 100); culture 5 4 5, now L4 75 (target L4 75);
//	        writing for the web practitioner, user research expert.
var cellsTeam = append(append([]respondent(nil), figuresTeam...), respondent{
	"role-type": "specialist", "team-work": []string{"policy"},
	"pe-channels": 4, "pe-reach": 4, "pe-feedback": 4, "pe-now-and-next": map[string]int{"now": 4, "target": 5},
	"cul-open": 5, "cul-collaboration": 4, "cul-new-approaches": 5, "cul-now-and-next": map[string]int{"now": 4, "target": 4},
	"skill-writing-for-the-web": "practitioner", "skill-user-research": "expert",
})

// findCell finds a cell of a group.
func findCell(t *testing.T, g Group, option string) Cell {
	t.Helper()
	for _, c := range g.Cells {
		if c.Option == option {
			return c
		}
	}
	t.Fatalf("group %s has no cell %q", g.Key, option)
	return Cell{}
}

// TestBreakdownCellFigures checks a breakdown cell's now, target, gap and skills against values
// worked by hand, and that a cell's gap resting on fewer than k answers is withheld, together with
// the other cell's, since the group's gap less one cell would give it.
func TestBreakdownCellFigures(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{
		{Line: 2, Key: "cells-dept", Name: "Department"},
		{Line: 3, Key: "cells-team", Name: "Team of seven", Parent: "cells-dept"},
	}, 3)
	storeRespondents(t, e, "cells-team", cellsTeam)
	rep, err := Build(context.Background(), e.st, e.wave, e.def, Request{Breakdown: "role-type"}, e.now)
	if err != nil {
		t.Fatal(err)
	}
	g := group(t, rep, "cells-team")
	non, spec := findCell(t, g, "non-specialist"), findCell(t, g, "specialist")
	if non.Withheld || spec.Withheld || *non.N != 4 || *spec.N != 3 {
		t.Fatalf("cells: %+v, %+v; want 4 non-specialists and 3 specialists shown", non, spec)
	}
	const tol = 1e-9

	// Culture's gap (cul-now-and-next; levels of 5 score 25·(level−1)):
	//   non-specialists 1-4: now 0, 25, 50, 50 → 125/4 = 31.25; target 50, 75, 75, 100 → 300/4 = 75; gap 43.75
	//   specialists 5-7:     now 50, 75, 75 → 200/3;            target 75, 100, 75 → 250/3;      gap 50/3
	c := non.Dimensions["culture"]
	nearPtr(t, "non-specialists' culture now", c.Now, 31.25, tol)
	nearPtr(t, "non-specialists' culture target", c.Target, 75, tol)
	nearPtr(t, "non-specialists' culture gap", c.Gap, 43.75, tol)
	c = spec.Dimensions["culture"]
	nearPtr(t, "specialists' culture now", c.Now, 200.0/3, tol)
	nearPtr(t, "specialists' culture target", c.Target, 250.0/3, tol)
	nearPtr(t, "specialists' culture gap", c.Gap, 50.0/3, tol)

	// Policy engagement: the specialists' gap rests on 2 answers (respondent 5 said "don't know"),
	// below 3: withheld. The group's gap (6 answers) is shown, so the non-specialists' (4 answers)
	// would give the specialists' by subtraction: it is withheld to protect it. Their scores (3
	// specialists with a score) are shown, without a gap.
	pe := spec.Dimensions["policy-engagement"]
	if pe.Withheld || pe.N != 3 || pe.Now != nil || pe.Target != nil || pe.Gap != nil {
		t.Errorf("specialists' policy engagement: %+v; want 3 scores and no gap (2 answers)", pe)
	}
	if pe := non.Dimensions["policy-engagement"]; pe.Withheld || pe.N != 4 || pe.Gap != nil {
		t.Errorf("non-specialists' policy engagement: %+v; want 4 scores and the gap withheld to protect the specialists'", pe)
	}
	// Group: now 0, 25, 50, 50, 100, 75 → 300/6 = 50; target 50, 50, 75, 100, 100, 100 → 475/6.
	gpe := g.Dimensions["policy-engagement"]
	nearPtr(t, "team's policy engagement now", gpe.Now, 50, tol)
	nearPtr(t, "team's policy engagement target", gpe.Target, 475.0/6, tol)

	// Overall: each response's sides are the means of its in-overall dimensions' (weights 1). Policy
	// engagement is asked only of teams doing policy work, so it is reported beside overall, not in
	// it; of the in-overall dimensions only culture has an aspiration-reality pair, so overall's
	// sides are culture's, as above.
	nearPtr(t, "non-specialists' overall now", non.Overall.Now, 31.25, tol)
	nearPtr(t, "non-specialists' overall target", non.Overall.Target, 75, tol)
	nearPtr(t, "non-specialists' overall gap", non.Overall.Gap, 43.75, tol)
	nearPtr(t, "specialists' overall now", spec.Overall.Now, 200.0/3, tol)
	nearPtr(t, "specialists' overall target", spec.Overall.Target, 250.0/3, tol)
	nearPtr(t, "specialists' overall gap", spec.Overall.Gap, 50.0/3, tol)

	// Skills. Writing for the web: non-specialists none, awareness, working, working: coverage
	// 2/4, depth 0, meets expected (working) 2/4; specialists working, expert, practitioner:
	// coverage 3/3, depth 2, meets expected (practitioner) 2/3.
	w := non.Skills["writing-for-the-web"]
	if w == nil || w.Withheld || w.N != 4 || w.Depth != 0 {
		t.Fatalf("non-specialists' writing for the web: %+v", w)
	}
	near(t, "non-specialists' coverage", w.Coverage, 0.5, tol)
	near(t, "non-specialists' share at working", w.Levels["working"], 0.5, tol)
	nearPtr(t, "non-specialists' meets expected", w.MeetsExpected, 0.5, tol)
	w = spec.Skills["writing-for-the-web"]
	if w == nil || w.Withheld || w.N != 3 || w.Depth != 2 {
		t.Fatalf("specialists' writing for the web: %+v", w)
	}
	near(t, "specialists' coverage", w.Coverage, 1, tol)
	nearPtr(t, "specialists' meets expected", w.MeetsExpected, 2.0/3, tol)
	// Nobody answered social media: withheld in both cells.
	if s := spec.Skills["social-media"]; s == nil || !s.Withheld {
		t.Errorf("specialists' social media: %+v; want withheld", s)
	}

	// The department, whose only team this is, shows the same cells.
	d := group(t, rep, "cells-dept")
	nearPtr(t, "department's specialists' culture gap", findCell(t, d, "specialist").Dimensions["culture"].Gap, 50.0/3, tol)
}

// TestNoCellFigureBelowThreshold is the attack on breakdown cells: over random hierarchies and
// responses, broken down by the roles question and by another, no cell shows a figure (scores,
// gap, skill) resting on fewer than k answers, and none can be worked out as a shown total less the
// shown cells of its node, or a shown cell of a node less the same shown cells of its children.
func TestNoCellFigureBelowThreshold(t *testing.T) {
	rounds := 12
	if testing.Short() {
		rounds = 3
	}
	var shown, withheld int
	defer func() {
		// The waves must exercise both sides, or the test proves nothing.
		if shown == 0 || withheld == 0 {
			t.Errorf("%d cell figures shown and %d withheld over the waves; want some of each", shown, withheld)
		}
	}()
	for round := range rounds {
		t.Run(fmt.Sprint("wave ", round), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(round), 10))
			k := 3 + rng.IntN(3)
			teams, leaves := randomDepartment(rng, true)
			e := newEnv(t, teams, k)
			e.gen = demo.New(e.def, uint64(round)+100)
			for _, key := range leaves {
				if n := rng.IntN(14) - 2; n > 0 {
					e.add(key, n)
				}
			}
			for _, question := range []string{"role-type", "grade-band"} {
				s, w := checkCellsAgainstThreshold(t, e, question)
				shown, withheld = shown+s, withheld+w
			}
		})
	}
}

// checkCellsAgainstThreshold builds a report broken down by question and checks its cells; it
// counts the cell figures of the families split by the breakdown shown and withheld.
func checkCellsAgainstThreshold(t *testing.T, e *env, question string) (shown, withheld int) {
	t.Helper()
	ctx := context.Background()
	req := Request{Breakdown: question}
	tr, options, err := current(ctx, e.st, e.wave, e.def, req, false)
	if err != nil {
		t.Fatal(err)
	}
	tr.rollUp(tr.own)
	b := suppressed(e.def, tr, e.wave, req, options, false)
	rep := b.render(e.wave, req, e.now)
	k := e.wave.Threshold
	count := func(i, o int, family string) int {
		if o < 0 {
			return tr.nodes[i].count(family)
		}
		return tr.nodes[i].count(cellKey(cellOf(question, options[o].Key), family))
	}
	small := func(n int) bool { return n > 0 && n < k }
	for _, f := range b.families() {
		if !f.cells {
			continue
		}
		s := b.shown[f.key]
		for i, n := range tr.nodes {
			var shownCells int
			for o := range options {
				if !s.Cell[i][o] {
					if count(i, o, f.key) > 0 {
						withheld++
					}
					continue
				}
				shown++
				if c := count(i, o, f.key); c < k {
					t.Errorf("%s by %s: %s cell %s shown with %d answers (k = %d)", f.key, question, n.team.Key, options[o].Key, c, k)
				}
				shownCells += count(i, o, f.key)
			}
			if s.Node[i] && small(count(i, -1, f.key)-shownCells) {
				t.Errorf("%s by %s: %s's total %d less its shown cells leaves %d (k = %d)", f.key, question, n.team.Key,
					count(i, -1, f.key), count(i, -1, f.key)-shownCells, k)
			}
			for o := range options {
				if !s.Cell[i][o] {
					continue
				}
				rest := count(i, o, f.key)
				for j, child := range tr.nodes {
					if child.parent == i && s.Cell[j][o] {
						rest -= count(j, o, f.key)
					}
				}
				if small(rest) {
					t.Errorf("%s by %s: %s's cell %s less its children's shown cells leaves %d (k = %d)", f.key, question,
						n.team.Key, options[o].Key, rest, k)
				}
			}
		}
	}
	// What is rendered follows the decisions: a cell shows a gap or skill only where it may.
	for _, g := range rep.Groups {
		i := nodeIndex(t, tr, g.Key)
		for o, c := range g.Cells {
			if c.Withheld {
				continue
			}
			for dim, fs := range c.Dimensions {
				if fs.Gap != nil && (!b.shown[gapKey(dim)].Cell[i][o] || count(i, o, gapKey(dim)) < k) {
					t.Errorf("by %s: %s cell %s shows a gap in %s it may not", question, g.Key, c.Option, dim)
				}
			}
			for skill, sf := range c.Skills {
				q := skillQuestion(t, e, skill)
				if !sf.Withheld && (!b.shown[skillKey(q)].Cell[i][o] || sf.N < k) {
					t.Errorf("by %s: %s cell %s shows %s with %d answers", question, g.Key, c.Option, skill, sf.N)
				}
			}
		}
	}
	return shown, withheld
}

func nodeIndex(t *testing.T, tr *tree, key string) int {
	t.Helper()
	for i, n := range tr.nodes {
		if n.team.Key == key {
			return i
		}
	}
	t.Fatalf("no node %q", key)
	return -1
}

// skillQuestion is the proficiency question asking about a skill.
func skillQuestion(t *testing.T, e *env, skill string) string {
	t.Helper()
	for _, q := range e.def.Questions() {
		if q.Skill == skill {
			return q.Key
		}
	}
	t.Fatalf("no question asks about %s", skill)
	return ""
}

// randomDepartment draws a department of 2 or 3 directorates of 1 to 3 teams each, and the groups
// responses are given for: every team and, with directAnswers, every directorate itself.
func randomDepartment(rng *rand.Rand, directAnswers bool) (teams []hierarchy.Team, answering []string) {
	teams = []hierarchy.Team{{Line: 2, Key: "d", Name: "Department"}}
	for i := range 2 + rng.IntN(2) {
		dir := fmt.Sprintf("dir-%d", i)
		teams = append(teams, team(len(teams)+2, dir, "d"))
		for j := range 1 + rng.IntN(3) {
			key := fmt.Sprintf("%s-t%d", dir, j)
			teams = append(teams, team(len(teams)+2, key, dir))
			answering = append(answering, key)
		}
		if directAnswers {
			answering = append(answering, dir) // responses given for a directorate itself
		}
	}
	return teams, answering
}

// TestDerivedCellsMatchTheStoredOnes: where everyone answers the breakdown question, the cells of
// its option with the most tally rows are worked out as the group less the other options, and the roles question's
// cell skills are taken from the group's skills by role. Both must equal what the cell tallies
// hold: read once that way and once from the tallies (the question made optional and the roles
// unnamed, so nothing is worked out), every cell part of every node is the same.
func TestDerivedCellsMatchTheStoredOnes(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "d", "dept"), team(4, "a", "d"), team(5, "b", "d")}, 5)
	e.add("a", 40)
	e.add("b", 25)
	e.add("d", 7)
	ctx := context.Background()
	load := func(def *survey.Definition) *tree {
		t.Helper()
		tr, _, err := current(ctx, e.st, e.wave, def, Request{Breakdown: "role-type"}, false)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	derived := load(e.def)
	plain, err := survey.Load(shippedDefinition)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := plain.Question("role-type")
	if !everyoneAnswers(q) {
		t.Fatal("the shipped role-type question is not one everyone answers: nothing is worked out")
	}
	q.Required, plain.Roles = false, nil
	stored := load(plain)
	compared := 0
	for i := range derived.own {
		for key, want := range stored.own[i] {
			if nestsIn(key) == "" {
				continue
			}
			got := derived.own[i][key]
			if got == nil {
				t.Errorf("node %d: %s read from the tallies, but not worked out", i, key)
				continue
			}
			compared++
			if got.Count != want.Count || !slices.Equal(got.scores, want.scores) || got.Gap.N != want.Gap.N ||
				got.Gap.Respondents != want.Gap.Respondents || math.Abs(got.Gap.Aspiration-want.Gap.Aspiration) > 1e-9 ||
				math.Abs(got.Gap.Reality-want.Gap.Reality) > 1e-9 || !maps.EqualFunc(got.Skills, want.Skills, maps.Equal) {
				t.Errorf("node %d: %s worked out as %+v, stored as %+v", i, key, got, want)
			}
		}
		for key := range derived.own[i] {
			if nestsIn(key) != "" && stored.own[i][key] == nil {
				t.Errorf("node %d: %s worked out, but the tallies have no such cell", i, key)
			}
		}
	}
	if compared < 40 {
		t.Errorf("only %d cell parts compared", compared)
	}
}

// TestCellTotalsMatchTheCells: an open wave reads its cells' totals alone, summed in the database,
// to record how each batch it publishes splits; every cell's count must be the count of the cell
// read whole.
func TestCellTotalsMatchTheCells(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "d", "dept"), team(4, "a", "d"), team(5, "b", "d")}, 5)
	e.add("a", 40)
	e.add("b", 25)
	e.add("d", 7)
	ctx := context.Background()
	totals, _, err := current(ctx, e.st, e.wave, e.def, Request{}, true) // every breakdown, totals only
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, question := range []string{"role-type", "grade-band"} {
		whole, _, err := current(ctx, e.st, e.wave, e.def, Request{Breakdown: question}, false)
		if err != nil {
			t.Fatal(err)
		}
		for i := range whole.own {
			for key, want := range whole.own[i] {
				if nestsIn(key) == "" {
					continue
				}
				compared++
				if got := totals.own[i][key]; got == nil || got.Count != want.Count {
					t.Errorf("node %d: %s totals %+v, read whole %d", i, key, got, want.Count)
				}
			}
		}
	}
	if compared < 80 {
		t.Errorf("only %d cells compared", compared)
	}
}

// TestDerivedOptionIsTheLargest: the option worked out is the one with the most tally rows (the
// most to read); of equals, the later in the definition; with no counts, the last; and none for a
// question not everyone answers.
func TestDerivedOptionIsTheLargest(t *testing.T) {
	def, err := survey.Load(shippedDefinition)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := def.Question("role-type")
	first, last := q.Options[0].Key, q.Options[len(q.Options)-1].Key
	for _, tc := range []struct {
		rows map[string]int
		want string
	}{
		{map[string]int{first: 30, last: 10}, first},
		{map[string]int{first: 10, last: 30}, last},
		{map[string]int{first: 20, last: 20}, last},
		{map[string]int{first: 5}, first},
		{nil, last},
	} {
		b := newBreakdown(def, "role-type", false, tc.rows)
		if b.derived != tc.want || len(b.read) != len(q.Options)-1 || slices.Contains(b.read, b.derived) {
			t.Errorf("rows %v: works out %q and reads %v, want %q worked out and the rest read", tc.rows, b.derived, b.read, tc.want)
		}
	}
	q.Required = false
	if b := newBreakdown(def, "role-type", false, map[string]int{first: 30}); b.derived != "" || len(b.read) != len(q.Options) {
		t.Errorf("a question not everyone answers: works out %q, reads %v", b.derived, b.read)
	}
}
