package bench

import (
	"context"
	"sync"
	"time"
)

// maxExamples is how many failures a tally tells in full: a broken service fails every request.
const maxExamples = 5

// tally is what one phase measured.
type tally struct {
	// done counts the operations that went as they should, and latencies holds how long each took.
	done      int
	latencies []time.Duration
	// elapsed runs from the clients' start to the last one's finish.
	elapsed time.Duration
	// failed counts the operations that did not; examples tells the first few.
	failed   int
	examples []string
}

// rate is operations done per second.
func (t *tally) rate() float64 {
	if t.elapsed <= 0 {
		return 0
	}
	return float64(t.done) / t.elapsed.Seconds()
}

func (t *tally) fail(err error) {
	t.failed++
	if len(t.examples) < maxExamples {
		t.examples = append(t.examples, err.Error())
	}
}

func (t *tally) add(o *tally) {
	t.done += o.done
	t.latencies = append(t.latencies, o.latencies...)
	t.failed += o.failed
	for _, e := range o.examples {
		if len(t.examples) < maxExamples {
			t.examples = append(t.examples, e)
		}
	}
}

// operation is one thing a client does and waits for, such as a submission; an error is an
// operation that did not go as it should.
type operation func(ctx context.Context) error

// drive runs clients clients, each doing op again and again until the clock passes until. An
// operation under way then is let finish and counts, so none is cut off into a false failure;
// the phase's time runs to the last one's end.
func drive(ctx context.Context, clients int, until time.Time, op operation) *tally {
	var mu sync.Mutex
	total := &tally{}
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			mine := runClient(ctx, until, op)
			mu.Lock()
			defer mu.Unlock()
			total.add(mine)
		})
	}
	wg.Wait()
	total.elapsed = time.Since(start)
	return total
}

// runClient is one client: it keeps its own tally, so clients never wait on each other to count.
func runClient(ctx context.Context, until time.Time, op operation) *tally {
	mine := &tally{}
	for ctx.Err() == nil && time.Now().Before(until) {
		began := time.Now()
		if err := op(ctx); err != nil {
			mine.fail(err)
			continue
		}
		mine.done++
		mine.latencies = append(mine.latencies, time.Since(began))
	}
	return mine
}
