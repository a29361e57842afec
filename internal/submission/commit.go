package submission

import (
	"context"
	"fmt"
	"sync"

	"skillsurvey/internal/store"
)

// maxBatch bounds how many responses share one transaction, so a batch commits in a few
// milliseconds even when many are waiting.
const maxBatch = 256

// committer writes the responses waiting at a moment in one transaction, so that they share one
// sync to disk (group commit), and only then answers each: an answer still means the response is
// on disk. No delay gathers a batch: while one commits, the next gathers on its own. Its goroutine
// runs only while responses wait, so there is nothing to start or stop, and nothing to leak.
type committer struct {
	saveBatch func(ctx context.Context, rs []store.NewResponse) []store.Outcome
	// batched, when set, is told the size of each batch before it is written (metrics, tests).
	batched func(n int)

	mu      sync.Mutex
	waiting []*pending
	running bool // the goroutine is writing or about to
}

// pending is a response waiting for its batch, and the caller waiting for its outcome.
type pending struct {
	ctx      context.Context
	response store.NewResponse
	// outcome is buffered: a caller that gave up is never waited for.
	outcome chan store.Outcome
}

// save stores r in the next batch and returns its outcome. A caller whose ctx ends before its
// batch is taken is left out of it; once taken, the response is written and the caller only stops
// waiting.
func (c *committer) save(ctx context.Context, r store.NewResponse) store.Outcome {
	p := &pending{ctx: ctx, response: r, outcome: make(chan store.Outcome, 1)}
	c.mu.Lock()
	c.waiting = append(c.waiting, p)
	if !c.running {
		c.running = true
		go c.run()
	}
	c.mu.Unlock()
	select {
	case o := <-p.outcome:
		return o
	case <-ctx.Done():
		return store.Outcome{Err: context.Cause(ctx)}
	}
}

// run writes batches until none is waiting.
func (c *committer) run() {
	for {
		batch := c.take()
		if len(batch) == 0 {
			return
		}
		if c.batched != nil {
			c.batched(len(batch))
		}
		rs := make([]store.NewResponse, len(batch))
		for i, p := range batch {
			rs[i] = p.response
		}
		outcomes := c.write(rs)
		for i, p := range batch {
			p.outcome <- outcomes[i]
		}
	}
}

// write stores a batch. Not any caller's context: a batch once taken is written whoever leaves. A
// panic while writing (a bug) fails this batch's callers, as it failed one request before batches,
// rather than the whole service.
func (c *committer) write(rs []store.NewResponse) (outcomes []store.Outcome) {
	defer func() {
		if r := recover(); r != nil {
			err := fmt.Errorf("save a batch of %d responses: panic: %v", len(rs), r)
			outcomes = make([]store.Outcome, len(rs))
			for i := range outcomes {
				outcomes[i].Err = err
			}
		}
	}()
	return c.saveBatch(context.Background(), rs)
}

// queued is how many responses wait for a batch.
func (c *committer) queued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiting)
}

// take removes up to maxBatch waiting responses, leaving out those whose caller has gone; with
// none waiting, it marks the goroutine stopped.
func (c *committer) take() []*pending {
	c.mu.Lock()
	defer c.mu.Unlock()
	var batch []*pending
	for len(c.waiting) > 0 && len(batch) < maxBatch {
		p := c.waiting[0]
		c.waiting[0] = nil
		c.waiting = c.waiting[1:]
		if p.ctx.Err() == nil {
			batch = append(batch, p)
		}
	}
	if len(batch) == 0 {
		c.running = false
		c.waiting = nil
	}
	return batch
}
