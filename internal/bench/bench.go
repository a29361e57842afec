// Package bench measures the service from outside, as its users meet it: it runs the real binary
// as a server on loopback, drives it from many clients at once, as respondents and HR's tools
// would, and prints throughput and latency beside the aims the service is held to. The bare limit
// of SQLite, measured in the same run, is what the submissions are compared with.
//
// A run has phases, each as long as Config.Duration: submissions while two clients read the
// report, then respondents' whole path (questionnaire, then submission), then the simplest
// request the server answers (what an HTTP round trip costs on the machine, for scale), then the
// bare limit.
// The server's peak memory is read at the end. Build fills a database of a real department's
// size once, to run against with Config.Database; Crash runs the crash test for longer.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"skillsurvey/internal/crash"
	"skillsurvey/internal/survey"
)

// reportReaders is how many clients read the report while the submissions run: HR's tools and a
// dashboard or two, not a crowd.
const reportReaders = 2

// defaultWarmup lets the server settle (connections open, caches filled) before the clock starts.
const defaultWarmup = 2 * time.Second

// Config says what to run and how hard.
type Config struct {
	// Binary is the skillsurvey executable run as the server: the benchmark's own, as a rule.
	Binary string
	// Definition is the definition of the example wave, from which the answers are drawn.
	Definition *survey.Definition
	// Database is an existing database to run against, in place (see Build); empty is a fresh
	// one in a temporary folder.
	Database string
	// Clients is how many clients submit at once; Duration how long each phase lasts; Warmup how
	// long the clients submit before the first, unmeasured (0 is 2s).
	Clients          int
	Duration, Warmup time.Duration
	// Seed draws the answers.
	Seed uint64
}

// check refuses a run that cannot be carried out. A database it names must exist: the server
// would otherwise make an empty one there, and the run would measure something else than asked.
func (cfg Config) check() error {
	if cfg.Binary == "" || cfg.Definition == nil || cfg.Clients < 1 || cfg.Duration <= 0 || cfg.Warmup < 0 {
		return errors.New("bench: give the binary, the definition, at least one client and a duration")
	}
	if cfg.Database == "" {
		return nil
	}
	if _, err := os.Stat(cfg.Database); err != nil {
		return fmt.Errorf("bench: --database %s: %w; make one with bench --build %s", cfg.Database, err, cfg.Database)
	}
	return nil
}

// Run measures the service and prints what it found. An error is a run that could not be carried
// out, or one in which a request failed; a missed aim is a finding, printed, not an error.
func Run(ctx context.Context, cfg Config, out io.Writer) (err error) {
	if err := cfg.check(); err != nil {
		return err
	}
	if cfg.Warmup == 0 {
		cfg.Warmup = defaultWarmup
	}
	dir, err := os.MkdirTemp("", "skillsurvey-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer keepOnFailure(dir, out, &err)
	fmt.Fprintf(out, "skillsurvey bench: %d clients, %v a phase, seed %d, %d CPUs; database %s\n",
		cfg.Clients, cfg.Duration, cfg.Seed, runtime.NumCPU(), describe(cfg))
	r, err := measureService(ctx, cfg, dir, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "bare limit: %d clients, one JSON row per transaction, for %v\n", cfg.Clients, cfg.Duration)
	if r.bare, err = bareLimit(ctx, filepath.Join(dir, "bare.db"), cfg.Clients, cfg.Duration, r.pool); err != nil {
		return err
	}
	if err := r.print(out); err != nil {
		return err
	}
	if n := r.failed(); n > 0 {
		return fmt.Errorf("bench: %s requests failed", thousands(n))
	}
	return nil
}

func describe(cfg Config) string {
	if cfg.Database == "" {
		return "fresh, in a temporary folder"
	}
	return cfg.Database + ", in place"
}

// keepOnFailure removes the run's folder, unless the run failed: then it holds the server's log.
func keepOnFailure(dir string, out io.Writer, err *error) {
	if *err != nil {
		fmt.Fprintf(out, "kept %s: the server's log is serve.log\n", dir)
		return
	}
	os.RemoveAll(dir)
}

// measureService runs the server and the phases that load it, then stops it cleanly.
func measureService(ctx context.Context, cfg Config, dir string, out io.Writer) (*results, error) {
	database, err := databaseFor(cfg, dir)
	if err != nil {
		return nil, err
	}
	token, err := createToken(ctx, cfg, dir, database)
	if err != nil {
		return nil, err
	}
	srv, err := startServer(ctx, cfg, dir, database)
	if err != nil {
		return nil, err
	}
	r, err := load(ctx, cfg, srv, token, out)
	if err != nil {
		srv.Kill()
		return nil, err
	}
	if err := srv.Stop(); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return r, nil
}

// load runs the phases against the server, and reads its peak memory before it stops.
func load(ctx context.Context, cfg Config, srv *crash.Server, token string, out io.Writer) (*results, error) {
	teams, err := crash.Teams(ctx, srv.URL())
	if err != nil {
		return nil, err
	}
	p, err := drawPool(cfg.Definition, teams, cfg.Seed)
	if err != nil {
		return nil, err
	}
	svc := newService(srv.URL(), token, p, cfg.Clients+reportReaders)
	defer svc.close()
	r := &results{clients: cfg.Clients, pool: p}
	fmt.Fprintf(out, "warm-up: %d clients submitting for %v\n", cfg.Clients, cfg.Warmup)
	r.warmup = drive(ctx, cfg.Clients, time.Now().Add(cfg.Warmup), svc.submit)
	fmt.Fprintf(out, "submissions: %d clients for %v, while %d read the report\n", cfg.Clients, cfg.Duration, reportReaders)
	r.submissions, r.reports = submitWhileReading(ctx, cfg, svc)
	fmt.Fprintf(out, "respondent paths: %d clients for %v, each fetching the questionnaire, then submitting\n", cfg.Clients, cfg.Duration)
	r.respondent = drive(ctx, cfg.Clients, time.Now().Add(cfg.Duration), svc.respond)
	fmt.Fprintf(out, "simplest request: %d clients for %v, GET /healthz, for scale\n", cfg.Clients, cfg.Duration)
	r.simplest = drive(ctx, cfg.Clients, time.Now().Add(cfg.Duration), svc.health)
	r.peak, r.peakKnown, err = peakMemory(srv.PID())
	return r, errors.Join(err, ctx.Err())
}

// submitWhileReading runs the submissions phase with the report readers beside it, to the same
// deadline, so the report's latency is measured while the writer is busy.
func submitWhileReading(ctx context.Context, cfg Config, svc *service) (submissions, reports *tally) {
	until := time.Now().Add(cfg.Duration)
	done := make(chan struct{})
	go func() {
		defer close(done)
		reports = drive(ctx, reportReaders, until, svc.readReport)
	}()
	submissions = drive(ctx, cfg.Clients, until, svc.submit)
	<-done
	return submissions, reports
}
