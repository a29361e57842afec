package submission

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"skillsurvey/internal/store"
)

// variedAnswers is a valid answer set of small.yaml that differs with n.
func variedAnswers(n int) string {
	levels := []string{"none", "awareness", "working", "practitioner", "expert"}
	return fmt.Sprintf(`{"role-type":"non-specialist","consult":%d,"now-and-next":{"now":%d,"target":%d},"social-media":%q,"comments":"note %d"}`,
		1+n%4, 1+n%5, 1+(n/5)%5, levels[n%5], n)
}

func uuidOf(n int) string { return fmt.Sprintf("%08x-5d7a-4a37-9d2c-3f1e2a9b8c71", n) }

// TestSavesShareBatches: submissions saved at once are written in batches of more than one, and
// each caller gets its own receipt; copies of one submission leave one response and one receipt.
func TestSavesShareBatches(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	var sizes []int
	e.svc.commits.batched = func(n int) {
		mu.Lock()
		defer mu.Unlock()
		sizes = append(sizes, n)
	}
	const distinct, copies = 200, 20
	teams := []string{"digital", "campaigns"}
	checked := make([]Checked, distinct+copies)
	for n := range distinct {
		checked[n] = e.check(t, e.open, Submission{ID: uuidOf(n), Team: teams[n%2], Answers: answers(t, variedAnswers(n))})
	}
	for n := distinct; n < distinct+copies; n++ {
		checked[n] = e.check(t, e.open, Submission{ID: id, Team: "digital", Answers: answers(t, fullAnswers)})
	}
	type result struct {
		rc      Receipt
		created bool
		err     error
	}
	results := make([]result, len(checked))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for n, c := range checked {
		wg.Go(func() {
			<-start
			rc, created, err := e.svc.Save(context.Background(), c)
			results[n] = result{rc, created, err}
		})
	}
	close(start)
	wg.Wait()

	copiesCreated := 0
	for n, res := range results {
		c := checked[n]
		switch {
		case res.err != nil:
			t.Errorf("submission %d: %v", n, res.err)
			continue
		case n < distinct && !res.created:
			t.Errorf("submission %d was not created", n)
		case n >= distinct && res.created:
			copiesCreated++
		}
		want := c.response.Result.Overall
		if res.rc.SubmissionID != c.sub.ID || res.rc.Team != c.sub.Team || res.rc.Overall.Value == nil ||
			math.Abs(*res.rc.Overall.Value-*want) > 1e-9 {
			t.Errorf("submission %d: receipt %s %s %v, want its own: %s %s %v", n, res.rc.SubmissionID, res.rc.Team,
				res.rc.Overall.Value, c.sub.ID, c.sub.Team, *want)
		}
		if n > distinct && !sameReceipt(res.rc, results[distinct].rc) {
			t.Errorf("copy %d: receipt %+v, want the same as every copy's", n-distinct, res.rc)
		}
	}
	if copiesCreated != 1 {
		t.Errorf("%d copies of one submission created, want 1", copiesCreated)
	}
	if n, err := e.st.CountResponses(context.Background(), e.open.ID); err != nil || n != distinct+1 {
		t.Errorf("%d responses stored (%v), want %d", n, err, distinct+1)
	}
	mu.Lock()
	defer mu.Unlock()
	total, largest := 0, 0
	for _, n := range sizes {
		total += n
		largest = max(largest, n)
	}
	t.Logf("%d submissions in %d batches, the largest of %d", total, len(sizes), largest)
	if total != len(checked) || largest < 2 || largest > maxBatch {
		t.Errorf("batches of %v: want %d submissions in all, some batches of more than one, none over %d", sizes, len(checked), maxBatch)
	}
}

// TestSaveCallerLeaves: a caller that leaves before its batch is taken is not written; one that
// leaves once it is taken is written, though nobody hears of it.
func TestSaveCallerLeaves(t *testing.T) {
	e := newEnv(t)
	taken, release := make(chan int), make(chan struct{})
	e.svc.commits.batched = func(n int) {
		taken <- n
		<-release
	}
	save := func(ctx context.Context, n int) <-chan error {
		c := e.check(t, e.open, Submission{ID: uuidOf(n), Team: "digital", Answers: answers(t, variedAnswers(n))})
		done := make(chan error, 1)
		go func() {
			_, _, err := e.svc.Save(ctx, c)
			done <- err
		}()
		return done
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("waited too long for %s", what)
			}
		}
	}
	waiting := func() int {
		e.svc.commits.mu.Lock()
		defer e.svc.commits.mu.Unlock()
		return len(e.svc.commits.waiting)
	}

	stays := save(context.Background(), 1)
	if n := <-taken; n != 1 {
		t.Fatalf("first batch of %d, want 1", n)
	}
	ctxBefore, leaveBefore := context.WithCancel(context.Background())
	ctxAfter, leaveAfter := context.WithCancel(context.Background())
	leftBefore := save(ctxBefore, 2)
	waitFor("the second to wait", func() bool { return waiting() == 1 })
	leftAfter := save(ctxAfter, 3)
	waitFor("the third to wait", func() bool { return waiting() == 2 })
	leaveBefore()
	if err := <-leftBefore; !errors.Is(err, context.Canceled) {
		t.Errorf("a caller that left: err = %v, want context.Canceled", err)
	}
	release <- struct{}{}
	if err := <-stays; err != nil {
		t.Errorf("the first: %v", err)
	}
	if n := <-taken; n != 1 {
		t.Errorf("second batch of %d, want 1: the caller that left is left out", n)
	}
	leaveAfter()
	if err := <-leftAfter; !errors.Is(err, context.Canceled) {
		t.Errorf("a caller that left after its batch was taken: err = %v, want context.Canceled", err)
	}
	release <- struct{}{}
	waitFor("the committer to stop", func() bool {
		e.svc.commits.mu.Lock()
		defer e.svc.commits.mu.Unlock()
		return !e.svc.commits.running
	})
	e.svc.commits.batched = nil
	for n, want := range map[int]bool{1: false, 2: true, 3: false} { // stored already: not created again
		_, created := e.save(t, e.open, Submission{ID: uuidOf(n), Team: "digital", Answers: answers(t, variedAnswers(n))})
		if created != want {
			t.Errorf("submission %d saved again: created = %v, want %v", n, created, want)
		}
	}
}

// TestPanicFailsOnlyItsBatch: a bug that panics while writing fails the callers of that batch with
// an error, and the next batch is written as usual.
func TestPanicFailsOnlyItsBatch(t *testing.T) {
	calls := 0
	c := &committer{saveBatch: func(_ context.Context, rs []store.NewResponse) []store.Outcome {
		calls++
		if calls == 1 {
			panic("a bug")
		}
		return make([]store.Outcome, len(rs))
	}}
	if o := c.save(context.Background(), store.NewResponse{}); o.Err == nil || !strings.Contains(o.Err.Error(), "panic: a bug") {
		t.Errorf("the panicking batch: %v, want its error", o.Err)
	}
	if o := c.save(context.Background(), store.NewResponse{}); o.Err != nil {
		t.Errorf("the next batch: %v", o.Err)
	}
}
