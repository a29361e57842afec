package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// testCellReads: a breakdown's cells read for some of its options (as a report reads them,
// leaving out the option it works out) are the rows of those options among the cells read whole:
// two options, one option (read without its name, which is given back), and none.
func testCellReads(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := responseSetup(t, open)
	def := smallDefinition(t)
	var rs []NewResponse
	for i := range 12 {
		answers := answersA
		if i%3 == 0 {
			answers = answersB
		}
		rs = append(rs, newResponse(t, def, w.ID, teams[[]string{"digital", "press", "strategy"}[i%3]].ID, fmt.Sprint("cells-", i), answers))
	}
	if err := s.SaveResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	questions := map[string]bool{}
	for _, r := range rs {
		for _, c := range r.Choices {
			questions[c.Question] = true
		}
	}
	if len(questions) == 0 {
		t.Fatal("no breakdown choices among the responses")
	}
	for q := range questions {
		all, err := s.CellCounts(ctx, w.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		allSkills, err := s.CellSkills(ctx, w.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) == 0 || len(allSkills) == 0 {
			t.Fatalf("%s: %d cell rows, %d cell skill rows: nothing to compare", q, len(all), len(allSkills))
		}
		var options []string
		for _, c := range all {
			if !slices.Contains(options, c.Option) {
				options = append(options, c.Option)
			}
		}
		slices.Sort(options)
		if len(options) < 2 {
			t.Fatalf("%s: answers chose %v; the test needs two options", q, options)
		}
		for _, read := range [][]string{options, options[1:2], options[:1], {}} {
			var want, got []CellCount
			for _, c := range all {
				if slices.Contains(read, c.Option) {
					want = append(want, c)
				}
			}
			err := s.EachCellCount(ctx, w.ID, q, read, func(c CellCount) {
				if c.Dimension != "" && c.Score == nil {
					return // gap answers without a score, which CellCounts leaves out
				}
				if c.Score != nil {
					v := *c.Score // valid only during the call
					c.Score = &v
				}
				c.GapN, c.Aspiration, c.Reality = 0, 0, 0
				got = append(got, c)
			})
			if err != nil {
				t.Fatal(err)
			}
			if g, w := cellCountLines(got), cellCountLines(want); fmt.Sprint(g) != fmt.Sprint(w) || len(read) > 0 && len(w) == 0 {
				t.Errorf("%s: cells of %v:\n%v\nwant:\n%v", q, read, g, w)
			}
			var wantSkills, gotSkills []CellSkill
			for _, c := range allSkills {
				if slices.Contains(read, c.Option) {
					wantSkills = append(wantSkills, c)
				}
			}
			if err := s.EachCellSkill(ctx, w.ID, q, read, func(c CellSkill) { gotSkills = append(gotSkills, c) }); err != nil {
				t.Fatal(err)
			}
			if g, w := cellSkillLines(gotSkills), cellSkillLines(wantSkills); fmt.Sprint(g) != fmt.Sprint(w) {
				t.Errorf("%s: cell skills of %v:\n%v\nwant:\n%v", q, read, g, w)
			}
		}
	}
}
