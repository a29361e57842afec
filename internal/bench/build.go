package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"skillsurvey/internal/demo"
	"skillsurvey/internal/example"
	"skillsurvey/internal/store"
	"skillsurvey/internal/submission"
	"skillsurvey/internal/survey"
)

// buildChunk is how many responses are drawn and stored at a time: a count an interrupted build
// loses at most, and little memory.
const buildChunk = 10_000

// buildProgress is how often, in responses, a build says how far it is.
const buildProgress = 50_000

// Build makes the database at path hold at least n responses in the example wave, so the
// benchmark can run against a department's worth of answers (with Config.Database) without
// building it each time. A new database gets the example teams and wave first. A build that is
// stopped resumes where it stopped: it counts what is there and adds the rest.
func Build(ctx context.Context, path string, def *survey.Definition, n int, seed uint64, out io.Writer) error {
	st, err := store.Open(ctx, path, store.WithReassess(submission.Reassess))
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := example.Setup(ctx, st, def); err != nil {
		return fmt.Errorf("bench: example: %w", err)
	}
	w, err := st.Wave(ctx, example.WaveKey)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("bench: %s has waves but no %q wave: --build fills a database of its own; give a new path", path, example.WaveKey)
	}
	if err != nil {
		return err
	}
	have, err := st.CountResponses(ctx, w.ID)
	if err != nil {
		return err
	}
	if have >= int64(n) {
		fmt.Fprintf(out, "%s holds %s responses in wave %q already: nothing to add\n", path, thousands(int(have)), example.WaveKey)
		return nil
	}
	f := filler{st: st, def: def, wave: w, seed: seed, out: out}
	fmt.Fprintf(out, "%s holds %s responses in wave %q: adding %s\n", path, thousands(int(have)), w.Key, thousands(n-int(have)))
	return f.fill(ctx, int(have), n)
}

// filler adds synthetic responses to a wave.
type filler struct {
	st   *store.Store
	def  *survey.Definition
	wave store.Wave
	seed uint64
	out  io.Writer
}

// fill adds responses from have up to n, a chunk at a time, saying how far it is now and then.
func (f filler) fill(ctx context.Context, have, n int) error {
	teams, err := f.st.Teams(ctx, false)
	if err != nil {
		return err
	}
	day := time.Now().UTC().Format(time.DateOnly)
	start, from := time.Now(), have
	for have < n {
		size := min(buildChunk, n-have)
		// The seed moves with the count, which only grows, so no chunk draws the submission_ids
		// of one stored before, even across a resumed build. The teams' maturities are drawn
		// afresh for each chunk: a benchmark needs realistic answers, not a consistent story.
		rs, err := demo.Wave(f.def, f.wave.ID, teams, size, day, f.seed^(uint64(have)*0x9e3779b97f4a7c15))
		if err != nil {
			return err
		}
		if err := f.st.SaveResponses(ctx, rs); err != nil {
			return err
		}
		if (have+size)/buildProgress > have/buildProgress || have+size == n {
			fmt.Fprintf(f.out, "  %s of %s responses (%s)\n", thousands(have+size), thousands(n),
				perSecond(float64(have+size-from)/time.Since(start).Seconds()))
		}
		have += size
	}
	fmt.Fprintf(f.out, "added %s responses in %v\n", thousands(n-from), time.Since(start).Round(time.Second))
	return nil
}
