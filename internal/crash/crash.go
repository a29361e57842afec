// Package crash checks that an acknowledged submission survives the process being killed: it runs
// the real binary on a database, submits from many clients, kills it with SIGKILL at a random
// moment, starts it again on the same database, and after the last cycle checks that every
// submission_id answered 201 is stored exactly once, that a retry of any submission gets its first
// receipt, and that SQLite finds the file sound. The normal tests run a few cycles; a benchmark can
// run Run with many.
package crash

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"skillsurvey/internal/demo"
	"skillsurvey/internal/survey"
)

// Config says what to run and how hard.
type Config struct {
	// Binary is the skillsurvey executable; Dir is a folder of its own for the database and the
	// server's logs, in which the server runs, so it uses its built-in definitions.
	Binary, Dir string
	// Definition is the definition of the example wave: the clients draw their answers from it.
	Definition *survey.Definition
	// Cycles is how many times the server is started, loaded and killed.
	Cycles int
	// Clients is how many clients submit at once.
	Clients int
	// MinUp and MaxUp bound how long the server runs under load before it is killed.
	MinUp, MaxUp time.Duration
	// Seed draws the answers, the kill moments and the clients' choices.
	Seed uint64
	// Log receives a line per cycle; nil discards them.
	Log io.Writer
}

// Result is what happened, and what was found wrong.
type Result struct {
	Cycles int
	// Requests is how many submissions were sent, retries included; IDs how many distinct
	// submission_ids, all of which are stored once the final retries are done.
	Requests, IDs int
	// Acknowledged is how many submission_ids were answered 201 during the cycles.
	Acknowledged int
	// Lost is how many submission_ids had a request fail as the server died; a later retry found
	// StoredBefore of them stored already (200: the answer, not the response, was lost) and stored
	// StoredNow (201). Unanswered is how many were still without an answer when the cycles ended:
	// the final retry answers them.
	Lost, StoredBefore, StoredNow, Unanswered int
	// Rows is how many responses the database holds at the end.
	Rows int64
	// Problems are the broken promises; none is the pass.
	Problems []string
}

// Run runs cfg.Cycles cycles of load and SIGKILL, then restarts the server once more to retry
// every submission, stops it cleanly and checks the database. An error is a run that could not be
// carried out (the server would not start, say); what the run found wrong is in Result.Problems.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Cycles < 1 || cfg.Clients < 1 || cfg.MinUp <= 0 || cfg.MaxUp < cfg.MinUp || cfg.Definition == nil {
		return Result{}, errors.New("crash: give at least one cycle and client, an up time and the definition")
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0xc4a5))
	l := newLedger(cfg.Seed)
	for cycle := 1; cycle <= cfg.Cycles; cycle++ {
		if err := runCycle(ctx, cfg, cycle, rng, l); err != nil {
			return l.result(cycle - 1), err
		}
	}
	srv, err := startServer(ctx, cfg, cfg.Cycles+1)
	if err != nil {
		return l.result(cfg.Cycles), err
	}
	unanswered := l.result(cfg.Cycles).Unanswered
	retryAll(ctx, cfg, srv.url(), l)
	if err := srv.stop(); err != nil {
		l.problem("final stop: %v", err)
	}
	rows := checkDatabase(ctx, cfg, l)
	res := l.result(cfg.Cycles)
	res.Unanswered, res.Rows = unanswered, rows
	return res, nil
}

// runCycle starts the server, loads it from cfg.Clients clients and kills it at a random moment.
func runCycle(ctx context.Context, cfg Config, cycle int, rng *rand.Rand, l *ledger) error {
	srv, err := startServer(ctx, cfg, cycle)
	if err != nil {
		return err
	}
	if l.bodies == nil {
		if err := l.prepare(ctx, cfg, srv.url()); err != nil {
			srv.kill()
			return err
		}
	}
	before := l.snapshot()
	up := cfg.MinUp + time.Duration(rng.Int64N(int64(cfg.MaxUp-cfg.MinUp)+1))
	loadCtx, stopLoad := context.WithCancel(ctx)
	done := l.load(loadCtx, cfg, srv.url(), cycle)
	select {
	case <-time.After(up):
	case <-ctx.Done():
	}
	// Killed first, the clients cancelled after: requests in flight meet a dead server, as they would.
	if err := srv.kill(); err != nil {
		l.problem("cycle %d: %v", cycle, err)
	}
	stopLoad()
	<-done
	after := l.snapshot()
	fmt.Fprintf(cfg.Log, "cycle %d: killed after %v: %d requests, %d answered 201, %d retries answered 200, %d without an answer\n",
		cycle, up.Round(time.Millisecond), after.requests-before.requests, after.created-before.created,
		after.replayed-before.replayed, after.failed-before.failed)
	return ctx.Err()
}

// prepare draws the answer sets the clients send and reads the teams they answer for, as a
// respondent's page does.
func (l *ledger) prepare(ctx context.Context, cfg Config, base string) error {
	teams, err := fetchTeams(ctx, base)
	if err != nil {
		return err
	}
	sets, err := demo.New(cfg.Definition, cfg.Seed).AnswerSets(256)
	if err != nil {
		return fmt.Errorf("crash: draw answers: %w", err)
	}
	for i, answers := range sets {
		l.bodies = append(l.bodies, answerSet{team: teams[i%len(teams)], answers: answers})
	}
	return nil
}
