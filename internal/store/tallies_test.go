package store

import (
	"context"
	"fmt"
	"math"
	"sort"
	"testing"
)

// wantItemSums is what the item tallies must equal: the sums, worked out here, over the scored
// answers of the responses stored (each once, with the team it was stored for).
func wantItemSums(rs []NewResponse) []string {
	type key struct {
		team           uint
		question, role string
		level          int
		complete       bool
	}
	sums := map[key]*ItemSum{}
	for _, r := range rs {
		for _, it := range r.Result.Items {
			k := key{r.TeamID, it.Question, r.Role, it.Proficiency, it.Dimension != "" && r.Result.Dimensions[it.Dimension].Complete}
			if sums[k] == nil {
				sums[k] = &ItemSum{TeamID: r.TeamID, Question: it.Question, Role: r.Role, Complete: k.complete}
				if it.Proficiency >= 0 {
					sums[k].Level = &k.level
				}
			}
			sums[k].N++
			sums[k].Sum += it.Score
			sums[k].SumSq += it.Score * it.Score
		}
	}
	var rows []ItemSum
	for _, s := range sums {
		rows = append(rows, *s)
	}
	return itemSumLines(rows)
}

func itemSumLines(rows []ItemSum) []string {
	lines := make([]string, len(rows))
	for i, r := range rows {
		level := "-"
		if r.Level != nil {
			level = fmt.Sprint(*r.Level)
		}
		lines[i] = fmt.Sprintf("%d %s %s %s %v n=%d sum=%.6f sq=%.4f", r.TeamID, r.Question, r.Role, level, r.Complete,
			r.N, math.Round(r.Sum*1e6)/1e6, math.Round(r.SumSq*1e4)/1e4)
	}
	sort.Strings(lines)
	return lines
}

// wantScoreCounts is what the score tallies must equal: the counts and sums, worked out here, over
// the responses stored.
func wantScoreCounts(rs []NewResponse) []string {
	type key struct {
		team      uint
		dimension string
		score     string
	}
	sums := map[key]*ScoreCount{}
	add := func(team uint, dim string, score, aspiration, reality *float64, complete bool, total float64) {
		k := key{team, dim, fmt.Sprint(ptrOr(score, -1))}
		if sums[k] == nil {
			sums[k] = &ScoreCount{TeamID: team, Dimension: dim, Score: score}
		}
		c := sums[k]
		c.N++
		if aspiration != nil {
			c.GapN++
			c.Aspiration += *aspiration
			c.Reality += *reality
		}
		if complete {
			c.CompleteN++
			c.Total += total
			c.TotalSq += total * total
		}
	}
	for _, r := range rs {
		add(r.TeamID, "", r.Result.Overall, r.Result.Aspiration, r.Result.Reality, false, 0)
		for dim, d := range r.Result.Dimensions {
			if d.Score != nil || d.Aspiration != nil {
				add(r.TeamID, dim, d.Score, d.Aspiration, d.Reality, d.Complete, d.Total)
			}
		}
	}
	var rows []ScoreCount
	for _, c := range sums {
		rows = append(rows, *c)
	}
	return scoreCountLines(rows)
}

// wantCellCounts is what the breakdown tallies of one question must equal, worked out here: the
// count per score (dimensions with a score only), and the gap sums per team, option and dimension.
func wantCellCounts(rs []NewResponse, question string) (counts, gaps []string) {
	n := map[string]int{}
	type gap struct {
		n                   int
		aspiration, reality float64
	}
	g := map[string]*gap{}
	add := func(team uint, option, dim string, score, aspiration, reality *float64) {
		if dim == "" || score != nil {
			n[fmt.Sprintf("%d %s %q %v", team, option, dim, ptrOr(score, -1))]++
		}
		if aspiration == nil {
			return
		}
		k := fmt.Sprintf("%d %s %q", team, option, dim)
		if g[k] == nil {
			g[k] = &gap{}
		}
		g[k].n++
		g[k].aspiration += *aspiration
		g[k].reality += *reality
	}
	for _, r := range rs {
		for _, c := range r.Choices {
			if c.Question != question {
				continue
			}
			add(r.TeamID, c.Option, "", r.Result.Overall, r.Result.Aspiration, r.Result.Reality)
			for dim, d := range r.Result.Dimensions {
				add(r.TeamID, c.Option, dim, d.Score, d.Aspiration, d.Reality)
			}
		}
	}
	for line, c := range n {
		counts = append(counts, fmt.Sprintf("%s n=%d", line, c))
	}
	for line, s := range g {
		gaps = append(gaps, fmt.Sprintf("%s gap=%d %.6f %.6f", line, s.n, s.aspiration, s.reality))
	}
	sort.Strings(counts)
	sort.Strings(gaps)
	return counts, gaps
}

func cellCountLines(rows []CellCount) []string {
	lines := make([]string, len(rows))
	for i, c := range rows {
		lines[i] = fmt.Sprintf("%d %s %q %v n=%d", c.TeamID, c.Option, c.Dimension, ptrOr(c.Score, -1), c.N)
	}
	sort.Strings(lines)
	return lines
}

func cellGapLines(rows []CellGap) []string {
	lines := make([]string, len(rows))
	for i, g := range rows {
		lines[i] = fmt.Sprintf("%d %s %q gap=%d %.6f %.6f", g.TeamID, g.Option, g.Dimension, g.N, g.Aspiration, g.Reality)
	}
	sort.Strings(lines)
	return lines
}

// wantCellSkills is what the breakdown skill tallies of one question must equal: proficiency
// levels per team, option, skill question and role.
func wantCellSkills(rs []NewResponse, question string) []string {
	n := map[string]int{}
	for _, r := range rs {
		for _, c := range r.Choices {
			if c.Question != question {
				continue
			}
			for _, it := range r.Result.Items {
				if it.Proficiency >= 0 {
					n[fmt.Sprintf("%d %s %s %q %d", r.TeamID, c.Option, it.Question, r.Role, it.Proficiency)]++
				}
			}
		}
	}
	return countLines(n)
}

func cellSkillLines(rows []CellSkill) []string {
	n := map[string]int{}
	for _, c := range rows {
		n[fmt.Sprintf("%d %s %s %q %d", c.TeamID, c.Option, c.Skill, c.Role, c.Level)] += c.N
	}
	return countLines(n)
}

// wantDistributions is what the distribution tallies must equal: per team, question and value.
func wantDistributions(rs []NewResponse) []string {
	n := map[string]int{}
	for _, r := range rs {
		for _, c := range r.Counted {
			n[fmt.Sprintf("%d %s %q", r.TeamID, c.Question, c.Value)]++
		}
	}
	return countLines(n)
}

func distributionLines(rows []DistributionCount) []string {
	n := map[string]int{}
	for _, d := range rows {
		n[fmt.Sprintf("%d %s %q", d.TeamID, d.Question, d.Value)] += d.N
	}
	return countLines(n)
}

func countLines(n map[string]int) []string {
	var lines []string
	for line, c := range n {
		lines = append(lines, fmt.Sprintf("%s n=%d", line, c))
	}
	sort.Strings(lines)
	return lines
}

func ptrOr(p *float64, none float64) float64 {
	if p == nil {
		return none
	}
	return *p
}

func scoreCountLines(rows []ScoreCount) []string {
	r := func(x float64) float64 { return math.Round(x*1e6) / 1e6 }
	lines := make([]string, len(rows))
	for i, c := range rows {
		score := "none"
		if c.Score != nil {
			score = fmt.Sprint(r(*c.Score))
		}
		lines[i] = fmt.Sprintf("%d %q %s n=%d gap=%d %.6f %.6f complete=%d %.6f %.3f", c.TeamID, c.Dimension, score, c.N,
			c.GapN, r(c.Aspiration), r(c.Reality), c.CompleteN, r(c.Total), math.Round(c.TotalSq*1e3)/1e3)
	}
	sort.Strings(lines)
	return lines
}

// TestTalliesMatchTheResponses: tallies kept as responses arrive, one at a time, in batches of
// SaveBatch (with retries and a conflict among them) or of SaveResponses, equal the sums over the
// responses stored, each counted once.
func TestTalliesMatchTheResponses(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	teams := importDepartment(t, s)
	def := smallDefinition(t)
	w := createWave(t, s, def, "2026-spring", ModeOpen)
	var stored []NewResponse
	for i := range 6 {
		answers := answersA
		if i%2 == 1 {
			answers = answersB
		}
		team := []string{"digital", "press", "social"}[i%3]
		r := newResponse(t, def, w.ID, teams[team].ID, fmt.Sprint("single-", i), answers)
		if _, _, err := s.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, r)
	}
	var batch []NewResponse
	for i := range 10 {
		batch = append(batch, newResponse(t, def, w.ID, teams[[]string{"press", "strategy"}[i%2]].ID, fmt.Sprint("group-", i), answersA))
	}
	retry := stored[0]
	conflict := newResponse(t, def, w.ID, teams["digital"].ID, "single-1", answersA) // single-1 was answersB
	mixed := append([]NewResponse{retry, conflict}, batch...)
	mixed = append(mixed, batch[3]) // the same submission twice in one batch
	for i, o := range s.SaveBatch(ctx, mixed) {
		wantCreated := i >= 2 && i < 2+len(batch)
		if o.Created != wantCreated || (i == 1) != (o.Err != nil) {
			t.Errorf("batch outcome %d: created = %v, err = %v", i, o.Created, o.Err)
		}
	}
	stored = append(stored, batch...)
	var many []NewResponse
	for i := range 25 {
		answers := answersA
		if i%3 == 0 {
			answers = answersB
		}
		many = append(many, newResponse(t, def, w.ID, teams[[]string{"digital", "strategy"}[i%2]].ID, fmt.Sprint("batch-", i), answers))
	}
	if err := s.SaveResponses(ctx, many); err != nil {
		t.Fatal(err)
	}
	stored = append(stored, many...)
	checkTalliesOf(t, s, w.ID, stored)
}

// checkTalliesOf compares a wave's tallies and response count with those worked out over the
// responses stored in it.
func checkTalliesOf(t *testing.T, s *Store, waveID uint, stored []NewResponse) {
	t.Helper()
	ctx := context.Background()
	items, err := s.ItemSums(ctx, waveID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := itemSumLines(items), wantItemSums(stored); fmt.Sprint(got) != fmt.Sprint(want) || len(want) == 0 {
		t.Errorf("item tallies:\n%v\nwant the sums over the answers:\n%v", got, want)
	}
	scores, err := s.ScoreCounts(ctx, waveID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := scoreCountLines(scores), wantScoreCounts(stored); fmt.Sprint(got) != fmt.Sprint(want) || len(want) == 0 {
		t.Errorf("score tallies:\n%v\nwant the sums over the scores:\n%v", got, want)
	}
	questions := map[string]bool{}
	for _, r := range stored {
		for _, c := range r.Choices {
			questions[c.Question] = true
		}
	}
	if len(questions) == 0 {
		t.Fatal("no breakdown choices among the responses: nothing to check the breakdown tallies with")
	}
	for q := range questions {
		checkCellTallies(t, s, waveID, q, stored)
	}
	dists, err := s.Distributions(ctx, waveID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := distributionLines(dists), wantDistributions(stored); fmt.Sprint(got) != fmt.Sprint(want) || len(want) == 0 {
		t.Errorf("distribution tallies:\n%v\nwant the counts over the answers:\n%v", got, want)
	}
	if n, err := s.CountResponses(ctx, waveID); err != nil || n != int64(len(stored)) {
		t.Errorf("CountResponses = %d, %v; want %d", n, err, len(stored))
	}
}

// checkCellTallies compares one breakdown question's tallies with those worked out over the
// responses stored.
func checkCellTallies(t *testing.T, s *Store, waveID uint, question string, stored []NewResponse) {
	t.Helper()
	ctx := context.Background()
	wantCounts, wantGaps := wantCellCounts(stored, question)
	cells, err := s.CellCounts(ctx, waveID, question)
	if err != nil {
		t.Fatal(err)
	}
	if got := cellCountLines(cells); fmt.Sprint(got) != fmt.Sprint(wantCounts) || len(wantCounts) == 0 {
		t.Errorf("breakdown tallies of %s:\n%v\nwant the counts over the responses:\n%v", question, got, wantCounts)
	}
	gaps, err := s.CellGaps(ctx, waveID, question)
	if err != nil {
		t.Fatal(err)
	}
	if got := cellGapLines(gaps); fmt.Sprint(got) != fmt.Sprint(wantGaps) || len(wantGaps) == 0 {
		t.Errorf("breakdown gap sums of %s:\n%v\nwant the sums over the responses:\n%v", question, got, wantGaps)
	}
	skills, err := s.CellSkills(ctx, waveID, question)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cellSkillLines(skills), wantCellSkills(stored, question); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("breakdown skill tallies of %s:\n%v\nwant the levels over the responses:\n%v", question, got, want)
	}
}
