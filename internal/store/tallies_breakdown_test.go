package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"skillsurvey/internal/survey"
)

// Answers to testdata/breakdowns.yaml beside answersA and answersB: answersC has a gap in
// engagement but, with "don't know" for consult, too few answers for a score there.
const (
	answersC = `{"role-type": "specialist", "grade": "junior", "consult": "dont_know", "now-and-next": {"now": 3, "target": 4},
		"social-media": "working", "data": "expert", "channels": ["email"], "team-size": 7}`
	answersD = `{"role-type": "non-specialist", "grade": "senior", "consult": 2, "now-and-next": {"now": 1, "target": 2},
		"social-media": "none", "channels": ["none"], "team-size": 120}`
)

func breakdownsDefinition(t testing.TB) *survey.Definition {
	t.Helper()
	def, err := survey.Load("testdata/breakdowns.yaml")
	if err != nil {
		t.Fatalf("load definition: %v", err)
	}
	return def
}

// storeBreakdowns stores responses of every kind to breakdowns.yaml, one at a time and in batches.
func storeBreakdowns(t *testing.T, s *Store) (Wave, []NewResponse) {
	t.Helper()
	ctx := context.Background()
	teams := importDepartment(t, s)
	def := breakdownsDefinition(t)
	w := createWave(t, s, def, "2026-spring", ModeOpen)
	answers := []string{answersA, answersB, answersC, answersD}
	var stored, batch []NewResponse
	for i := range 30 {
		team := []string{"digital", "press", "social", "strategy"}[i%4]
		r := newResponse(t, def, w.ID, teams[team].ID, fmt.Sprint("r-", i), answers[i%len(answers)])
		stored = append(stored, r)
		if i < 5 {
			if _, _, err := s.SaveResponse(ctx, r); err != nil {
				t.Fatal(err)
			}
			continue
		}
		batch = append(batch, r)
	}
	for _, o := range s.SaveBatch(ctx, batch[:12]) {
		if !o.Created {
			t.Fatalf("batch: %+v", o)
		}
	}
	if err := s.SaveResponses(ctx, batch[12:]); err != nil {
		t.Fatal(err)
	}
	return w, stored
}

// TestBreakdownTallies: cell tallies (with gap sums, and rows for a dimension with gap answers but
// no score), cell skills and distributions kept as responses arrive equal the sums over the responses stored.
func TestBreakdownTallies(t *testing.T) {
	s := openTestStore(t)
	w, stored := storeBreakdowns(t, s)
	checkTalliesOf(t, s, w.ID, stored)

	ctx := context.Background()
	for _, q := range []string{"role-type", "grade"} {
		if skills, err := s.CellSkills(ctx, w.ID, q); err != nil || len(skills) == 0 {
			t.Errorf("skill tallies of %s's cells: %v, %v; want some", q, skills, err)
		}
	}
	var noScore int64
	if err := s.read.Model(&CellTally{}).Where("dimension = ? AND score = -1 AND gap_n > 0", "engagement").Count(&noScore).Error; err != nil || noScore == 0 {
		t.Errorf("cell tallies of engagement gaps without a score: %d, %v; want some (answersC)", noScore, err)
	}
	// team-size's bins start at 1, 5, 10 and 50: 7 is in bin 1, 120 in bin 3.
	dists, err := s.Distributions(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	bins := map[string]int{}
	for _, d := range dists {
		if d.Question == "team-size" {
			bins[d.Value] += d.N
		}
	}
	if fmt.Sprint(bins) != "map[:14 1:7 3:7]" {
		t.Errorf("team-size distribution = %v; want 14 answers, 7 in bin 1 (answersC) and 7 in bin 3 (answersD)", bins)
	}
}

// TestBackfillBreakdowns: migration 15 fills the breakdown and distribution tallies from the stored
// responses alone (here emptied as a database of schema 14 would have them), to the same sums as
// the write keeps; and without the submission rules it refuses, saying why.
func TestBackfillBreakdowns(t *testing.T) {
	s := openTestStore(t)
	w, stored := storeBreakdowns(t, s)
	asBefore := func(tx *gorm.DB) error {
		return tx.Migrator().DropTable(&CellSkillTally{}, &DistributionTally{})
	}
	err := s.write.Transaction(func(tx *gorm.DB) error {
		if err := asBefore(tx); err != nil {
			return err
		}
		return breakdownFigures(tx, nil)
	})
	if err == nil || !strings.Contains(err.Error(), "WithReassess") {
		t.Errorf("back-fill without the submission rules: %v; want a refusal naming WithReassess", err)
	}
	err = s.write.Transaction(func(tx *gorm.DB) error {
		if err := asBefore(tx); err != nil {
			return err
		}
		return breakdownFigures(tx, reassessForTests)
	})
	if err != nil {
		t.Fatal(err)
	}
	checkTalliesOf(t, s, w.ID, stored)
	// Run again over its own tables, it changes nothing.
	if err := s.write.Transaction(func(tx *gorm.DB) error { return breakdownFigures(tx, reassessForTests) }); err != nil {
		t.Fatal(err)
	}
	checkTalliesOf(t, s, w.ID, stored)
}
