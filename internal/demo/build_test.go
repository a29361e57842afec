package demo_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/demo"
	"skillsurvey/internal/report"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

var (
	now   = time.Date(2026, 11, 20, 15, 4, 5, 0, time.UTC)
	actor = access.Actor{Name: access.CommandLineActor}
)

func shipped(t *testing.T) *survey.Definition {
	t.Helper()
	def, err := survey.Load("../../survey-definitions/digital-communications.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return def
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "demo.db"), store.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// built is one demonstration department and its reports, built once for the tests that read it.
type built struct {
	st      *store.Store
	dep     demo.Department
	reports []*report.Report // one per wave, oldest first
	took    time.Duration
}

func build(t *testing.T, def *survey.Definition, seed uint64, responses int) built {
	t.Helper()
	ctx := context.Background()
	st := openStore(t)
	start := time.Now()
	dep, err := demo.Build(ctx, st, def, demo.Options{Responses: responses, Seed: seed, Now: now, Actor: actor})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	b := built{st: st, dep: dep, took: took}
	for _, w := range dep.Waves {
		rep, err := report.Build(ctx, st, w, def, report.Request{}, now)
		if err != nil {
			t.Fatal(err)
		}
		b.reports = append(b.reports, rep)
	}
	return b
}

// TestDepartment: the sizes, the waves and the patterns a lead would recognise, read from the
// reports' figures.
func TestDepartment(t *testing.T) {
	def := shipped(t)
	b := build(t, def, 2026, 0)
	t.Logf("built %d teams, responses %v, %d focus areas in %v", b.dep.Teams, b.dep.Responses, b.dep.FocusAreas, b.took)
	if b.took > 10*time.Second && !race {
		t.Errorf("building took %v, want under 10s", b.took)
	}

	t.Run("sizes", func(t *testing.T) {
		levels := map[string]int{}
		for _, g := range b.reports[2].Groups {
			levels[g.Level]++
		}
		if levels[report.LevelDepartment] != 1 || levels[report.LevelDirectorate] != 5 || levels[report.LevelTeam] != 40 {
			t.Errorf("levels %v, want 1 department, 5 directorates, 40 teams", levels)
		}
		if got := b.dep.Responses; len(got) != 3 || got[2] != demo.DefaultResponses || got[0] != 1200 || got[1] != 1200 {
			t.Errorf("responses per wave %v, want [1200 1200 1500]", got)
		}
	})

	t.Run("waves", func(t *testing.T) {
		ws := b.dep.Waves
		if len(ws) != 3 {
			t.Fatalf("%d waves, want 3", len(ws))
		}
		for i, w := range ws {
			if w.State(now) != store.StateClosed {
				t.Errorf("wave %s is %s, want closed", w.Key, w.State(now))
			}
			if i > 0 && !ws[i-1].ClosesAt.Before(*w.OpensAt) {
				t.Errorf("wave %s opens before wave %s closed", w.Key, ws[i-1].Key)
			}
		}
		if ago := now.Sub(*ws[2].ClosesAt); ago < 7*24*time.Hour || ago > 8*24*time.Hour {
			t.Errorf("the current wave closed %v ago, want about a week", now.Sub(*ws[2].ClosesAt))
		}
	})

	t.Run("a few teams under the threshold", func(t *testing.T) {
		small := 0
		for _, g := range b.reports[2].Groups {
			if g.Level == report.LevelTeam && g.Withheld && g.Reason == report.ReasonSmall {
				small++
			}
			if g.Withheld {
				t.Logf("withheld: %s (%s)", g.Key, g.Reason)
			}
		}
		if small < 2 || small > 6 {
			t.Errorf("%d teams withheld as small, want a few (2 to 6)", small)
		}
	})

	t.Run("specialist teams score above mainstream teams on skills", func(t *testing.T) {
		spec, main := meanOver(b.reports[2], "skills", isSpecialistTeam), meanOver(b.reports[2], "skills", isMainstreamTeam)
		t.Logf("skills: specialist teams %.1f, policy, partnership and corporate teams %.1f", spec, main)
		if !(spec > main+10) {
			t.Errorf("specialist teams' skills %.1f, mainstream teams' %.1f: want the specialists well above", spec, main)
		}
		// Thin mainstream coverage: mainstream teams' coverage of writing for the web is low.
		cov := coverageOver(b.reports[2], "writing-for-the-web", isMainstreamTeam)
		if cov > 0.6 {
			t.Errorf("mainstream teams' coverage of writing for the web %.2f, want thin (under 0.6)", cov)
		}
	})

	t.Run("every team's target is above its now", func(t *testing.T) {
		checked := 0
		for _, g := range b.reports[2].Groups {
			if g.Withheld || g.Overall == nil || g.Overall.Gap == nil {
				continue
			}
			checked++
			if *g.Overall.Gap <= 0 {
				t.Errorf("%s: target %.1f, now %.1f: want the target above", g.Key, *g.Overall.Target, *g.Overall.Now)
			}
		}
		if checked < 20 {
			t.Errorf("only %d groups show a gap to check", checked)
		}
	})

	t.Run("focus areas narrow their gap", func(t *testing.T) {
		ctx := context.Background()
		chosen := map[string]map[string]bool{} // dimension → teams
		for _, g := range b.reports[1].Groups {
			if g.Level != report.LevelTeam {
				continue
			}
			team, err := b.st.Team(ctx, g.Key)
			if err != nil {
				t.Fatal(err)
			}
			areas, err := b.st.FocusAreas(ctx, team.ID, b.dep.Waves[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range areas {
				day := b.dep.Waves[1].ClosesAt.Format(time.DateOnly)
				if a.ChosenOn <= day || a.ChosenOn >= b.dep.Waves[2].OpensAt.Format(time.DateOnly) {
					t.Errorf("%s chose %s on %s, want after the second wave closed (%s) and before the current one opened", g.Key, a.Dimension, a.ChosenOn, day)
				}
				if chosen[a.Dimension] == nil {
					chosen[a.Dimension] = map[string]bool{}
				}
				chosen[a.Dimension][g.Key] = true
			}
		}
		if len(chosen) < 2 {
			t.Fatalf("focus areas in %d dimensions, want a few", len(chosen))
		}
		for dim, teams := range chosen {
			with := narrowing(b.reports[1], b.reports[2], dim, func(key string) bool { return teams[key] })
			without := narrowing(b.reports[1], b.reports[2], dim, func(key string) bool { return !teams[key] })
			t.Logf("%s: the gap narrowed by %.1f where it was a focus area, %.1f elsewhere", dim, with, without)
			if !(with > without+5) {
				t.Errorf("%s: the gap narrowed by %.1f where it was a focus area, %.1f elsewhere: want clearly more", dim, with, without)
			}
		}
	})

}

// TestSameSeedSameFigures: two builds from one seed give the same figures in every wave, and
// another seed other ones (at a smaller size, which draws the same way, to keep the test quick).
func TestSameSeedSameFigures(t *testing.T) {
	def := shipped(t)
	one, again, other := build(t, def, 11, 300), build(t, def, 11, 300), build(t, def, 12, 300)
	for i := range one.reports {
		a, _ := json.Marshal(one.reports[i].Groups)
		c, _ := json.Marshal(again.reports[i].Groups)
		if string(a) != string(c) {
			t.Errorf("wave %d: the same seed gave other figures", i)
		}
	}
	a, _ := json.Marshal(one.reports[2].Groups)
	c, _ := json.Marshal(other.reports[2].Groups)
	if string(a) == string(c) {
		t.Error("another seed gave the same figures")
	}
}

// TestRefusesADatabaseWithData: teams or waves already there stop the demonstration before it
// writes anything.
func TestRefusesADatabaseWithData(t *testing.T) {
	ctx := context.Background()
	def := shipped(t)
	st := openStore(t)
	if _, err := demo.Build(ctx, st, def, demo.Options{Seed: 1, Now: now, Actor: actor, Responses: 100}); err != nil {
		t.Fatal(err)
	}
	ws, _ := st.Waves(ctx)
	_, err := demo.Build(ctx, st, def, demo.Options{Seed: 1, Now: now, Actor: actor})
	if !errors.Is(err, demo.ErrNotEmpty) {
		t.Errorf("a second build: %v, want ErrNotEmpty", err)
	}
	if again, _ := st.Waves(ctx); len(again) != len(ws) {
		t.Errorf("the refused build left %d waves, want %d", len(again), len(ws))
	}
	if _, err := demo.Build(ctx, openStore(t), def, demo.Options{Seed: 1, Now: now, Actor: actor, Responses: demo.Headcount() + 1}); err == nil {
		t.Error("more responses than the department's headcount were accepted")
	}
}

func isSpecialistTeam(key string) bool {
	switch key {
	case "digital-communications", "content-design", "insight-and-evaluation", "digital-services",
		"user-research", "data-and-analytics", "web-platforms", "service-design", "ddat-capability":
		return true
	}
	return false
}

// isMainstreamTeam: the policy, partnership and corporate services teams.
func isMainstreamTeam(key string) bool {
	return parentOf[key] == "policy-and-strategy" || parentOf[key] == "places-and-partnerships" || parentOf[key] == "corporate-services"
}

var parentOf = func() map[string]string {
	m := map[string]string{}
	for _, t := range demo.Teams() {
		m[t.Key] = t.Parent
	}
	return m
}()

// meanOver is the mean over the shown teams that pass keep of their dimension means.
func meanOver(rep *report.Report, dim string, keep func(string) bool) float64 {
	sum, n := 0.0, 0
	for _, g := range rep.Groups {
		if g.Level != report.LevelTeam || g.Withheld || !keep(g.Key) {
			continue
		}
		if f := g.Dimensions[dim]; f != nil && !f.Withheld {
			sum += f.Mean
			n++
		}
	}
	return sum / float64(n)
}

func coverageOver(rep *report.Report, skill string, keep func(string) bool) float64 {
	sum, n := 0.0, 0
	for _, g := range rep.Groups {
		if g.Level != report.LevelTeam || g.Withheld || !keep(g.Key) {
			continue
		}
		if s := g.Skills[skill]; s != nil && !s.Withheld {
			sum += s.Coverage
			n++
		}
	}
	return sum / float64(n)
}

// narrowing is the mean, over the teams that pass keep with the dimension's gap shown in both
// waves, of how far the gap narrowed from before to after.
func narrowing(before, after *report.Report, dim string, keep func(string) bool) float64 {
	gaps := map[string]float64{}
	for _, g := range before.Groups {
		if f := gapOf(g, dim); f != nil && g.Level == report.LevelTeam && keep(g.Key) {
			gaps[g.Key] = *f
		}
	}
	sum, n := 0.0, 0
	for _, g := range after.Groups {
		if f := gapOf(g, dim); f != nil {
			if was, ok := gaps[g.Key]; ok {
				sum += was - *f
				n++
			}
		}
	}
	return sum / float64(n)
}

func gapOf(g report.Group, dim string) *float64 {
	if g.Withheld {
		return nil
	}
	f := g.Dimensions[dim]
	if f == nil || f.Withheld {
		return nil
	}
	return f.Gap
}
