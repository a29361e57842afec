package store

import (
	"context"
	"fmt"
	"math"
	"sort"
	"testing"
)

// rawItemSums is what the item tallies must always equal: the sums over every stored answer.
func rawItemSums(t *testing.T, s *Store, waveID uint) []string {
	t.Helper()
	var rows []ItemSum
	err := s.read.Raw(`SELECT team_id, question, role, proficiency AS level, complete,
			COUNT(*) AS n, SUM(score) AS sum, SUM(score * score) AS sum_sq
		FROM response_items WHERE wave_id = ? GROUP BY team_id, question, role, proficiency, complete`, waveID).Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
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

// rawScoreCounts is what the score tallies must always equal: the sums over every stored score.
func rawScoreCounts(t *testing.T, s *Store, waveID uint) []string {
	t.Helper()
	var rows []ScoreCount
	err := s.scan(context.Background(), func(r scanner) error {
		var c ScoreCount
		if err := r.Scan(&c.TeamID, &c.Dimension, &c.Score, &c.N, &c.GapN, &c.Aspiration, &c.Reality, &c.CompleteN, &c.Total, &c.TotalSq); err != nil {
			return err
		}
		rows = append(rows, c)
		return nil
	}, `SELECT team_id, dimension, score, COUNT(*), COUNT(aspiration), COALESCE(SUM(aspiration), 0), COALESCE(SUM(reality), 0),
			SUM(CASE WHEN complete THEN 1 ELSE 0 END), SUM(CASE WHEN complete THEN total ELSE 0 END),
			SUM(CASE WHEN complete THEN total * total ELSE 0 END)
		FROM response_scores WHERE wave_id = ? AND (score IS NOT NULL OR aspiration IS NOT NULL)
		GROUP BY team_id, dimension, score
		UNION ALL
		SELECT team_id, '', overall, COUNT(*), COUNT(aspiration), COALESCE(SUM(aspiration), 0), COALESCE(SUM(reality), 0), 0, 0, 0
		FROM responses WHERE wave_id = ? GROUP BY team_id, overall`, waveID, waveID)
	if err != nil {
		t.Fatal(err)
	}
	return scoreCountLines(rows)
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

// TestItemTalliesMatchTheAnswers: tallies kept as responses arrive, one at a time or in batches,
// equal the sums over the stored answers.
func TestItemTalliesMatchTheAnswers(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	teams := importDepartment(t, s)
	def := smallDefinition(t)
	w := createWave(t, s, def, "2026-spring", ModeOpen)
	for i := range 6 {
		answers := answersA
		if i%2 == 1 {
			answers = answersB
		}
		team := []string{"digital", "press", "social"}[i%3]
		if _, _, err := s.SaveResponse(ctx, newResponse(t, def, w.ID, teams[team].ID, fmt.Sprint("single-", i), answers)); err != nil {
			t.Fatal(err)
		}
	}
	var batch []NewResponse
	for i := range 25 {
		answers := answersA
		if i%3 == 0 {
			answers = answersB
		}
		batch = append(batch, newResponse(t, def, w.ID, teams[[]string{"digital", "strategy"}[i%2]].ID, fmt.Sprint("batch-", i), answers))
	}
	if err := s.SaveResponses(ctx, batch); err != nil {
		t.Fatal(err)
	}
	got, err := s.ItemSums(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := rawItemSums(t, s, w.ID)
	if len(want) == 0 {
		t.Fatal("no answers stored")
	}
	if g := itemSumLines(got); fmt.Sprint(g) != fmt.Sprint(want) {
		t.Errorf("tallies:\n%v\nwant the sums over the answers:\n%v", g, want)
	}
	checkScoreTallies(t, s, w.ID)
}

// checkScoreTallies compares the score tallies of a wave with the sums over its stored scores.
func checkScoreTallies(t *testing.T, s *Store, waveID uint) {
	t.Helper()
	got, err := s.ScoreCounts(context.Background(), waveID)
	if err != nil {
		t.Fatal(err)
	}
	if g, want := scoreCountLines(got), rawScoreCounts(t, s, waveID); fmt.Sprint(g) != fmt.Sprint(want) || len(want) == 0 {
		t.Errorf("score tallies:\n%v\nwant the sums over the scores:\n%v", g, want)
	}
}
