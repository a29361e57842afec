package report

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the driver GORM's SQLite uses, for the bare query

	"skillsurvey/internal/demo"
	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/store"
	"skillsurvey/internal/submission"
	"skillsurvey/internal/survey"
)

// The report benchmark: a full wave report at 100,000 responses over 200 teams, beside the bare SQL
// GROUP BY over the same stored scores, in the same run. Run it with
//
//	go test -tags nomsgpack -run '^$' -bench Report -benchtime 20x ./internal/report/
//
// Set SKILLSURVEY_BENCH_RESPONSES to change the size, and SKILLSURVEY_BENCH_DIR to keep the wave in
// that folder and reuse it on the next run (setting up 100,000 responses takes minutes). Figures go
// in docs/benchmarks.md.

type benchWave struct {
	dir  string
	st   *store.Store
	def  *survey.Definition
	wave store.Wave
	err  error
}

var (
	benchOnce sync.Once
	bench     benchWave
)

func benchResponses() int {
	n := 100_000
	if v := os.Getenv("SKILLSURVEY_BENCH_RESPONSES"); v != "" {
		fmt.Sscan(v, &n)
	}
	return n
}

// benchHierarchy is a department of 200 groups: 8 directorates, each with 23 or 24 teams, a few
// of them with sub-teams.
func benchHierarchy() []hierarchy.Team {
	teams := []hierarchy.Team{{Line: 2, Key: "dept", Name: "Department"}}
	line := 3
	add := func(key, parent string) {
		teams = append(teams, hierarchy.Team{Line: line, Key: key, Name: key, Parent: parent})
		line++
	}
	for d := range 8 {
		dir := fmt.Sprintf("dir-%d", d)
		add(dir, "dept")
		for t := 0; len(teams) < 200 && t < 24; t++ {
			team := fmt.Sprintf("%s-team-%d", dir, t)
			add(team, dir)
			if t%8 == 0 && len(teams) < 200 {
				add(team+"-sub", team)
			}
		}
	}
	return teams
}

func setUpBench() {
	ctx := context.Background()
	b := &bench
	if b.dir = os.Getenv("SKILLSURVEY_BENCH_DIR"); b.dir == "" {
		if b.dir, b.err = os.MkdirTemp("", "skillsurvey-bench-"); b.err != nil {
			return
		}
	}
	_, statErr := os.Stat(filepath.Join(b.dir, "bench.db"))
	// A wave kept from a run of an older schema is migrated, its tallies filled from its responses.
	if b.st, b.err = store.Open(ctx, filepath.Join(b.dir, "bench.db"), store.WithReassess(submission.Reassess)); b.err != nil {
		return
	}
	if b.def, b.err = survey.Load("../../survey-definitions/digital-communications.yaml"); b.err != nil {
		return
	}
	if statErr == nil { // a wave kept from an earlier run
		b.wave, b.err = b.st.Wave(ctx, "bench")
		return
	}
	if _, b.err = b.st.ImportTeams(ctx, benchHierarchy()); b.err != nil {
		return
	}
	if _, b.err = b.st.CreateWave(ctx, b.def, store.NewWave{Key: "bench", Title: "Bench", Mode: store.ModeInvite, Threshold: 5}); b.err != nil {
		return
	}
	if b.wave, b.err = b.st.OpenWave(ctx, "bench"); b.err != nil {
		return
	}
	teams, err := b.st.Teams(ctx, false)
	if b.err = err; err != nil {
		return
	}
	rs, err := demo.Wave(b.def, b.wave.ID, teams, benchResponses(), "2026-03-10", 1)
	if b.err = err; err != nil {
		return
	}
	if b.err = b.st.SaveResponses(ctx, rs); b.err != nil {
		return
	}
	b.wave, b.err = b.st.CloseWave(ctx, "bench")
}

func benchSetup(tb testing.TB) *benchWave {
	start := time.Now()
	benchOnce.Do(setUpBench)
	if bench.err != nil {
		tb.Fatal(bench.err)
	}
	if d := time.Since(start); d > time.Second {
		tb.Logf("set up %d responses over 200 teams in %v", benchResponses(), d.Round(time.Millisecond))
	}
	return &bench
}

func BenchmarkReport(b *testing.B) {
	w := benchSetup(b)
	ctx := context.Background()
	b.Run("bare-group-by", func(b *testing.B) {
		db, err := sql.Open("sqlite3", "file:"+filepath.Join(w.dir, "bench.db")+"?_query_only=true")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		for b.Loop() {
			rows, err := db.QueryContext(ctx, `SELECT team_id, dimension, SUM(n), SUM(score * n) / SUM(n) FROM score_tallies
				WHERE wave_id = ? AND score >= 0 GROUP BY team_id, dimension`, w.wave.ID)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var team int
				var dim string
				var count int
				var mean float64
				if err := rows.Scan(&team, &dim, &count, &mean); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rows.Close()
			if n == 0 {
				b.Fatal("no rows")
			}
		}
	})
	b.Run("bare-group-by-responses", func(b *testing.B) {
		// The measure of the aims before the lean write (docs/benchmarks.md): one row per response
		// and dimension, as response_scores held them until schema 10, in a table of the benchmark's
		// own with the covering index the report used.
		db, err := sql.Open("sqlite3", "file:"+filepath.Join(w.dir, "bench.db")+"?_busy_timeout=10000")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		for _, stmt := range []string{
			`CREATE TABLE IF NOT EXISTS bench_response_scores (wave_id INTEGER, team_id INTEGER, dimension TEXT, score REAL)`,
			`INSERT INTO bench_response_scores SELECT r.wave_id, r.team_id, j.key, j.value FROM responses r, json_each(r.dimension_scores) j
				WHERE NOT EXISTS (SELECT 1 FROM bench_response_scores)`,
			`CREATE INDEX IF NOT EXISTS bench_response_scores_report ON bench_response_scores (wave_id, team_id, dimension, score)`,
		} {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				b.Fatal(err)
			}
		}
		for b.Loop() {
			rows, err := db.QueryContext(ctx, `SELECT team_id, dimension, COUNT(*), AVG(score) FROM bench_response_scores
				WHERE wave_id = ? AND score IS NOT NULL GROUP BY team_id, dimension`, w.wave.ID)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if n == 0 {
				b.Fatal("no rows")
			}
		}
	})
	b.Run("full-report", func(b *testing.B) {
		for b.Loop() {
			if _, err := Build(ctx, w.st, w.wave, w.def, Request{}, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("full-report-by-role", func(b *testing.B) {
		for b.Loop() {
			if _, err := Build(ctx, w.st, w.wave, w.def, Request{Breakdown: "role-type"}, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("open-wave-refresh", func(b *testing.B) {
		// An open wave's report computed afresh at each read (a new service each time), publishing
		// into a snapshot kept in memory: it loads every breakdown's cells, to record how each batch
		// published splits, and publishes nothing new after the first read.
		open := w.wave
		open.ClosesAt = nil
		snaps := &memSnapshots{Snapshots: w.st}
		for b.Loop() {
			if _, err := NewService(w.st, snaps, time.Now).Report(ctx, open, w.def, Request{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("closed-after-open-by-role", func(b *testing.B) {
		// The same wave closed after the reads above published it (one batch per team and family):
		// its report broken down by role type, computed afresh each time, checks each batch.
		snaps := &memSnapshots{Snapshots: w.st}
		open := w.wave
		open.ClosesAt = nil
		if _, err := NewService(w.st, snaps, time.Now).Report(ctx, open, w.def, Request{}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := NewService(w.st, snaps, time.Now).Report(ctx, w.wave, w.def, Request{Breakdown: "role-type"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached-closed-report", func(b *testing.B) {
		svc := NewService(w.st, w.st, time.Now)
		if _, err := svc.Report(ctx, w.wave, w.def, Request{}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := svc.Report(ctx, w.wave, w.def, Request{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// memSnapshots keeps a wave's report snapshot in memory, so a benchmark may publish an open wave's
// figures without writing into the benchmark's database.
type memSnapshots struct {
	Snapshots
	snap *store.ReportSnapshot
}

func (m *memSnapshots) Snapshot(context.Context, uint) (*store.ReportSnapshot, error) {
	return m.snap, nil
}

func (m *memSnapshots) UpdateSnapshot(_ context.Context, _ uint, change func(old *store.ReportSnapshot) (*store.ReportSnapshot, error)) error {
	next, err := change(m.snap)
	if err == nil && next != nil {
		m.snap = next
	}
	return err
}
