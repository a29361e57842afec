package api

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// variedAnswers is a valid answer set that differs with n.
func variedAnswers(n int) string {
	roles := []string{"specialist", "non-specialist"}
	levels := []string{"none", "awareness", "working", "practitioner", "expert"}
	channels := []string{`["email"]`, `["email","social"]`, `["web"]`}
	return fmt.Sprintf(`{"role-type":%q,"consult":%d,"now-and-next":{"now":%d,"target":%d},"social-media":%q,"team-size":%d,"channels":%s,"comments":"note %d"}`,
		roles[n%2], 1+n%4, 1+n%5, 1+(n/5)%5, levels[n%5], 1+n%500, channels[n%3], n)
}

func TestConcurrentSubmissions(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const workers, each = 50, 20
	teams := []string{"digital-engagement", "campaigns", "policy-unit", "comms"}

	statuses := make(chan int, workers*each)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			<-start
			for i := range each {
				n := w*each + i
				r := e.submit(waveOpen, openSubmission(newSubmissionID(), teams[n%len(teams)], variedAnswers(n)))
				if r.status != http.StatusCreated {
					t.Errorf("submission %d: %s", n, r)
				}
				statuses <- r.status
			}
		})
	}
	began := time.Now()
	close(start)
	wg.Wait()
	took := time.Since(began)
	close(statuses)
	created := 0
	for s := range statuses {
		if s == http.StatusCreated {
			created++
		}
	}
	t.Logf("%d distinct submissions from %d goroutines in %v (%.0f/s)", workers*each, workers, took, float64(workers*each)/took.Seconds())
	if created != workers*each {
		t.Errorf("%d of %d submissions created", created, workers*each)
	}
	if n := e.count(waveOpen); n != workers*each {
		t.Fatalf("%d responses stored, want %d", n, workers*each)
	}

	// The same submission from 20 goroutines at once: one row, one 201, and the same receipt for all.
	const copies = 20
	id := newSubmissionID()
	body := openSubmission(id, "digital-engagement", fullAnswers)
	results := make([]result, copies)
	start = make(chan struct{})
	for i := range copies {
		wg.Go(func() {
			<-start
			results[i] = e.submit(waveOpen, body)
		})
	}
	began = time.Now()
	close(start)
	wg.Wait()
	t.Logf("%d copies of one submission in %v", copies, time.Since(began))
	var first []byte
	count := map[int]int{}
	for _, r := range results {
		count[r.status]++
		if r.status != http.StatusCreated && r.status != http.StatusOK {
			t.Errorf("copy answered %s", r)
			continue
		}
		if first == nil {
			first = r.body
		} else if !bytes.Equal(r.body, first) {
			t.Errorf("receipts differ:\n%s\n%s", r.body, first)
		}
	}
	if count[http.StatusCreated] != 1 || count[http.StatusOK] != copies-1 {
		t.Errorf("statuses %v, want one 201 and %d 200", count, copies-1)
	}
	if !sameJSON(t, first, fullReceipt(id, waveOpen, "digital-engagement")) {
		t.Errorf("receipt %s, want %s", first, fullReceipt(id, waveOpen, "digital-engagement"))
	}
	if n := e.count(waveOpen); n != workers*each+1 {
		t.Errorf("%d responses stored, want %d", n, workers*each+1)
	}
}

// TestConcurrentInvitation races ten submissions for one code: exactly one is stored.
func TestConcurrentInvitation(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const racers = 10
	statuses := make([]int, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			<-start
			body := fmt.Sprintf(`{"submission_id":%q,"invitation_code":%q,"answers":%s}`, newSubmissionID(), e.codes[0], variedAnswers(i))
			statuses[i] = e.submit(waveInvite, body).status
		})
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[http.StatusCreated] != 1 || count[http.StatusForbidden] != racers-1 {
		t.Errorf("statuses %v, want one 201 and %d 403", count, racers-1)
	}
	if n := e.count(waveInvite); n != 1 {
		t.Errorf("%d responses stored, want 1", n)
	}
}
