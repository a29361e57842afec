package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"sort"
	"syscall"
	"time"

	"skillsurvey/internal/bench"
	"skillsurvey/internal/example"
	"skillsurvey/internal/survey"
	definitions "skillsurvey/survey-definitions"
)

// benchFlags are bench's flags. It takes no --database from SKILLSURVEY_DATABASE, as the other
// commands do: a benchmark writes thousands of responses, and must never land on the service's
// own database because a variable happened to be set.
type benchFlags struct {
	clients, responses, crash int
	duration                  time.Duration
	database, build           string
	seed                      uint64
}

func (f *benchFlags) add(fs *flag.FlagSet) {
	fs.IntVar(&f.clients, "clients", 64, "clients at once, 1 to 1024")
	fs.DurationVar(&f.duration, "duration", 15*time.Second, "how long each phase lasts, 1s to 10m")
	fs.StringVar(&f.database, "database", "", "run against this existing database, in place (made with --build); default: a fresh one")
	fs.StringVar(&f.build, "build", "", "only fill the database at this path with --responses synthetic responses, then stop")
	fs.IntVar(&f.responses, "responses", 1_000_000, "with --build: how many responses the database should hold, 1 to 10000000")
	fs.IntVar(&f.crash, "crash", 0, "only run the crash test, for this many kill cycles, 1 to 10000")
	fs.Uint64Var(&f.seed, "seed", 1, "seed the answers (and the crash test's kill moments) are drawn from")
}

// check refuses values out of range and flags that do not go together; set names the flags given.
func (f *benchFlags) check(set map[string]bool) error {
	// bench's three uses, the flag that picks each ("" for the benchmark itself) and the flags it takes.
	modes := []struct {
		flag    string
		allowed []string
	}{
		{"build", []string{"build", "responses", "seed"}},
		{"crash", []string{"crash", "clients", "seed"}},
		{"", []string{"clients", "duration", "database", "seed"}},
	}
	for _, m := range modes {
		if m.flag != "" && !set[m.flag] {
			continue
		}
		if err := onlyAllowed(m.flag, m.allowed, set); err != nil {
			return err
		}
		break
	}
	switch {
	case f.clients < 1 || f.clients > 1024:
		return fmt.Errorf("--clients %d: use 1 to 1024", f.clients)
	case f.duration < time.Second || f.duration > 10*time.Minute:
		return fmt.Errorf("--duration %v: use 1s to 10m", f.duration)
	case f.responses < 1 || f.responses > 10_000_000:
		return fmt.Errorf("--responses %d: use 1 to 10000000", f.responses)
	case set["crash"] && (f.crash < 1 || f.crash > 10_000):
		return fmt.Errorf("--crash %d: use 1 to 10000 cycles", f.crash)
	case set["build"] && f.build == "", set["database"] && f.database == "":
		return fmt.Errorf("--build and --database need a file path")
	}
	return nil
}

// onlyAllowed refuses any flag given that the mode picked by mode's flag does not take.
func onlyAllowed(mode string, allowed []string, set map[string]bool) error {
	names := make([]string, 0, len(set))
	for name := range set {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if slices.Contains(allowed, name) {
			continue
		}
		if mode == "" {
			return fmt.Errorf("--%s goes with --build", name)
		}
		return fmt.Errorf("--%s does not go with --%s", name, mode)
	}
	return nil
}

// benchCmd measures the service from outside (internal/bench); with --build it fills a large
// database to measure against, and with --crash it runs the crash test for longer.
func benchCmd(c *call) error {
	var f benchFlags
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	f.add(fs)
	fs.Usage = func() { benchUsage(fs) }
	if err := c.parseNone(fs, c.args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if err := f.check(set); err != nil {
		return err
	}
	def, err := builtInDefinition()
	if err != nil {
		return err
	}
	// Ctrl+C ends the run cleanly: the server it started is stopped, not left running.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if f.build != "" {
		return bench.Build(ctx, f.build, def, f.responses, f.seed, c.stdout)
	}
	// The server is this very binary, so what is measured is what was built.
	binary, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this program's executable: %w", err)
	}
	cfg := bench.Config{Binary: binary, Definition: def, Database: f.database, Clients: f.clients, Duration: f.duration, Seed: f.seed}
	if f.crash > 0 {
		return bench.Crash(ctx, cfg, f.crash, c.stdout)
	}
	return bench.Run(ctx, cfg, c.stdout)
}

// builtInDefinition is the definition the example wave is made of, as built into the binary: the
// server the benchmark starts runs in a folder of its own, so it uses the built-in copy too.
func builtInDefinition() (*survey.Definition, error) {
	defs, err := survey.LoadFS(definitions.Files, "(built in)")
	if err != nil {
		return nil, err
	}
	return findDefinition(defs, example.SurveyID)
}

func benchUsage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, `usage:
  skillsurvey bench [--clients 64] [--duration 15s] [--database PATH] [--seed N]
      start this binary as a server on loopback (on a fresh database unless --database names
      one), load it from --clients clients, and print submissions, respondent paths and report
      reads a second with their p50/p95/p99, the bare limit of SQLite, and the server's peak
      memory, each beside its aim
  skillsurvey bench --build PATH [--responses 1000000] [--seed N]
      make (or finish making) a database of that many responses to run against, once:
      a stopped build resumes; then run 'skillsurvey bench --database PATH'
  skillsurvey bench --crash N [--clients 64] [--seed N]
      run the crash test for N cycles of load and SIGKILL

flags:
`)
	fs.PrintDefaults()
}
