package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"skillsurvey/internal/demo"
	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// env is a real SQLite store with a hierarchy and an open wave of the shipped survey, for report
// tests. The clock is settable.
type env struct {
	t     *testing.T
	st    *store.Store
	def   *survey.Definition
	wave  store.Wave
	teams map[string]store.Team
	gen   *demo.Generator
	now   time.Time
}

func newEnv(t *testing.T, teams []hierarchy.Team, threshold int) *env {
	t.Helper()
	src, err := os.ReadFile(shippedDefinition)
	if err != nil {
		t.Fatal(err)
	}
	return newEnvFrom(t, src, teams, threshold)
}

const shippedDefinition = "../../survey-definitions/digital-communications.yaml"

// newEnvFrom is newEnv with a definition of the test's own, such as the shipped one changed.
func newEnvFrom(t *testing.T, definition []byte, teams []hierarchy.Team, threshold int) *env {
	t.Helper()
	e := &env{t: t, now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	ctx := context.Background()
	var err error
	if e.st, err = store.Open(ctx, filepath.Join(t.TempDir(), "report.db"), store.WithClock(e.clock)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.st.Close() })
	if e.def, err = survey.Parse("digital-communications.yaml", definition); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.ImportTeams(ctx, teams); err != nil {
		t.Fatal(err)
	}
	all, err := e.st.Teams(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	e.teams = map[string]store.Team{}
	for _, tm := range all {
		e.teams[tm.Key] = tm
	}
	if _, err := e.st.CreateWave(ctx, e.def, store.NewWave{Key: "w", Title: "Wave", Mode: store.ModeInvite, Threshold: threshold}); err != nil {
		t.Fatal(err)
	}
	if e.wave, err = e.st.OpenWave(ctx, "w"); err != nil {
		t.Fatal(err)
	}
	e.gen = demo.New(e.def, 7)
	return e
}

func (e *env) clock() time.Time { return e.now }

// add stores n synthetic responses for a team.
func (e *env) add(team string, n int) {
	e.t.Helper()
	var rs []store.NewResponse
	for range n {
		r, err := e.gen.Response(e.wave.ID, e.teams[team].ID, 0.5, e.now.Format(time.DateOnly))
		if err != nil {
			e.t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if err := e.st.SaveResponses(context.Background(), rs); err != nil {
		e.t.Fatal(err)
	}
}

// reload reads the wave again, after it opened or closed.
func (e *env) reload() {
	e.t.Helper()
	w, err := e.st.Wave(context.Background(), e.wave.Key)
	if err != nil {
		e.t.Fatal(err)
	}
	e.wave = w
}

// group finds a group in a report.
func group(t *testing.T, rep *Report, key string) Group {
	t.Helper()
	for _, g := range rep.Groups {
		if g.Key == key {
			return g
		}
	}
	t.Fatalf("no group %q in the report", key)
	return Group{}
}

// shownN is a group's n, or -1 when it is withheld.
func shownN(g Group) int {
	if g.Withheld || g.N == nil {
		return -1
	}
	return *g.N
}

func team(line int, key, parent string) hierarchy.Team {
	return hierarchy.Team{Line: line, Key: key, Name: key, Parent: parent}
}
