package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"skillsurvey/internal/crash"
)

// Crash runs the crash test (internal/crash) for cycles cycles with cfg's clients, in a folder of
// its own, and prints what it found. The tests run a few cycles; this is the longer run, to find
// what only turns up now and then. A broken promise fails it.
func Crash(ctx context.Context, cfg Config, cycles int, out io.Writer) (err error) {
	if cfg.Binary == "" || cfg.Definition == nil || cfg.Clients < 1 || cycles < 1 {
		return fmt.Errorf("bench: the crash test needs the binary, the definition, a client and a cycle")
	}
	dir, err := os.MkdirTemp("", "skillsurvey-crash-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer keepOnFailure(dir, out, &err)
	fmt.Fprintf(out, "crash test: %d cycles of %d clients submitting until SIGKILL, seed %d\n", cycles, cfg.Clients, cfg.Seed)
	start := time.Now()
	res, err := crash.Run(ctx, crash.Config{
		Binary: cfg.Binary, Dir: dir, Definition: cfg.Definition, Cycles: cycles, Clients: cfg.Clients,
		MinUp: 500 * time.Millisecond, MaxUp: 2500 * time.Millisecond, Seed: cfg.Seed, Log: out,
	})
	fmt.Fprintf(out, "\n%d cycles in %v: %s requests for %s submissions; %s answered 201 during the cycles;\n"+
		"%s had an answer lost, of which a later retry found %s stored and stored %s (%s answered only by the final retry);\n"+
		"the database holds %s responses\n",
		res.Cycles, time.Since(start).Round(time.Second), thousands(res.Requests), thousands(res.IDs), thousands(res.Acknowledged),
		thousands(res.Lost), thousands(res.StoredBefore), thousands(res.StoredNow), thousands(res.Unanswered), thousands(int(res.Rows)))
	if err != nil {
		return err
	}
	if len(res.Problems) == 0 {
		fmt.Fprintln(out, "problems: none")
		return nil
	}
	fmt.Fprintln(out, "problems:")
	for _, p := range res.Problems {
		fmt.Fprintf(out, "  %s\n", p)
	}
	return fmt.Errorf("bench: the crash test found %d problems", len(res.Problems))
}
