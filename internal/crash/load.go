package crash

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"sync"
	"time"

	"skillsurvey/internal/example"
)

// answerSet is a team and answers a client may send.
type answerSet struct {
	team    string
	answers json.RawMessage
}

// sent is what is known of one submission_id.
type sent struct {
	body []byte
	// receipt is the first receipt the service gave for it, with 201 or, after a lost answer, 200.
	receipt []byte
	created bool // answered 201
	lost    bool // a request for it failed before any receipt came back
	waiting bool // in the queue of retries
}

// ledger records every submission sent and every answer, and checks each answer against what came
// before: one 201 per submission_id at most, and every receipt the same.
type ledger struct {
	mu       sync.Mutex
	seed     uint64
	bodies   []answerSet
	ids      map[string]*sent
	created  []string // ids answered 201, for retries during the load
	retries  []string // ids whose answer was lost, to send again
	problems []string
	found    int // problems found; the first maxProblems are told
	count    counts
}

// counts are running totals. Of the submissions whose answer was lost, lostStored were found
// stored by a later retry (200) and lostNew were stored by it (201).
type counts struct{ requests, created, replayed, failed, lostStored, lostNew int }

func newLedger(seed uint64) *ledger { return &ledger{seed: seed, ids: map[string]*sent{}} }

// maxProblems is how many problems are told in full: a broken service breaks every request.
const maxProblems = 50

// problem records a problem.
func (l *ledger) problem(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.note(format, args...)
}

// note records a problem; the caller holds l.mu.
func (l *ledger) note(format string, args ...any) {
	if len(l.problems) < maxProblems {
		l.problems = append(l.problems, fmt.Sprintf(format, args...))
	}
	l.found++
	if l.found > maxProblems {
		l.problems[maxProblems-1] = fmt.Sprintf("... and %d more problems", l.found-maxProblems+1)
	}
}

func (l *ledger) snapshot() counts {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count
}

func (l *ledger) result(cycles int) Result {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := Result{Cycles: cycles, Requests: l.count.requests, IDs: len(l.ids), Acknowledged: len(l.created),
		StoredBefore: l.count.lostStored, StoredNow: l.count.lostNew, Problems: slices.Clone(l.problems)}
	for _, s := range l.ids {
		if s.lost {
			r.Lost++
		}
		if s.receipt == nil {
			r.Unanswered++
		}
	}
	return r
}

// load runs cfg.Clients clients against base until ctx ends; done closes when all have stopped.
func (l *ledger) load(ctx context.Context, cfg Config, base string, cycle int) <-chan struct{} {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Clients}}
	var wg sync.WaitGroup
	for i := range cfg.Clients {
		rng := rand.New(rand.NewPCG(l.seed+uint64(cycle), uint64(i)))
		wg.Go(func() { l.client(ctx, client, base, rng) })
	}
	done := make(chan struct{})
	go func() { wg.Wait(); client.CloseIdleConnections(); close(done) }()
	return done
}

// client submits until ctx ends: first any submission whose answer was lost (a respondent trying
// again), now and then a retry of an acknowledged one, now and then the same new submission twice
// at once, and otherwise a new one.
func (l *ledger) client(ctx context.Context, client *http.Client, base string, rng *rand.Rand) {
	for ctx.Err() == nil {
		id, body, twice := l.next(rng)
		if !twice {
			l.send(ctx, client, base, id, body)
			continue
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() { l.send(ctx, client, base, id, body) })
		}
		wg.Wait()
	}
}

// next picks what to send next.
func (l *ledger) next(rng *rand.Rand) (id string, body []byte, twice bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.retries); n > 0 {
		id, l.retries = l.retries[n-1], l.retries[:n-1]
		l.ids[id].waiting = false
		return id, l.ids[id].body, false
	}
	if len(l.created) > 0 && rng.IntN(8) == 0 {
		id = l.created[rng.IntN(len(l.created))]
		return id, l.ids[id].body, false
	}
	id = newUUID()
	a := l.bodies[rng.IntN(len(l.bodies))]
	body, err := json.Marshal(map[string]any{"submission_id": id, "team": a.team, "answers": a.answers})
	if err != nil {
		panic(err) // plain values: cannot happen
	}
	l.ids[id] = &sent{body: body}
	return id, body, rng.IntN(16) == 0
}

// send posts one submission and records the answer.
func (l *ledger) send(ctx context.Context, client *http.Client, base, id string, body []byte) {
	l.mu.Lock()
	answered := l.ids[id].receipt != nil
	l.mu.Unlock()
	status, answer, err := post(ctx, client, base, body)
	l.record(id, answered, status, answer, err)
	if err != nil && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond) // the server is gone: do not spin until the cycle ends
	}
}

// record checks an answer against what came before and notes it; answered says whether the
// submission had a receipt when this request was sent.
func (l *ledger) record(id string, answered bool, status int, answer []byte, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.ids[id]
	l.count.requests++
	l.countLost(s, status, err)
	switch {
	case err != nil:
		l.count.failed++
		if s.receipt == nil {
			s.lost = true
			l.queue(id, s)
		}
	case status == http.StatusCreated:
		l.count.created++
		switch {
		case s.created:
			l.note("%s answered 201 twice: stored twice", id)
		case answered:
			l.note("%s answered 201 after a 200 had answered it: stored twice", id)
		case s.receipt != nil && !sameJSON(s.receipt, answer):
			// The same submission sent twice at once: the 200 may come back before the 201.
			l.note("%s answered 201 with receipt %s, and 200 with %s", id, answer, s.receipt)
		default:
			s.receipt = answer
			s.created = true
			l.created = append(l.created, id)
		}
	case status == http.StatusOK:
		l.count.replayed++
		if s.receipt == nil {
			s.receipt = answer
		} else if !sameJSON(s.receipt, answer) {
			l.note("%s: a retry answered 200 with receipt %s, not its first %s", id, answer, s.receipt)
		}
	default:
		l.note("%s answered %d: %s", id, status, answer)
		if s.receipt == nil {
			l.queue(id, s)
		}
	}
}

// countLost counts the first answer to a submission whose earlier answer was lost.
func (l *ledger) countLost(s *sent, status int, err error) {
	if !s.lost || s.receipt != nil || err != nil {
		return
	}
	switch status {
	case http.StatusOK:
		l.count.lostStored++
	case http.StatusCreated:
		l.count.lostNew++
	}
}

func (l *ledger) queue(id string, s *sent) {
	if !s.waiting {
		s.waiting = true
		l.retries = append(l.retries, id)
	}
}

// post sends one submission; err is a request that got no answer.
func post(ctx context.Context, client *http.Client, base string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/waves/"+example.WaveKey+"/responses", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err // the answer was cut off: the client cannot know it was stored
	}
	return resp.StatusCode, answer, nil
}

// fetchTeams reads the keys of the teams a respondent of the example wave may choose.
func fetchTeams(ctx context.Context, base string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/waves/"+example.WaveKey+"/teams", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("crash: teams: %w", err)
	}
	defer resp.Body.Close()
	var body struct {
		Teams []struct{ Key string } `json:"teams"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK || len(body.Teams) == 0 {
		return nil, fmt.Errorf("crash: teams: status %d, %d teams, %v", resp.StatusCode, len(body.Teams), err)
	}
	keys := make([]string, len(body.Teams))
	for i, t := range body.Teams {
		keys[i] = t.Key
	}
	return keys, nil
}

// sameJSON reports whether two receipts hold the same value.
func sameJSON(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// newUUID makes a fresh submission_id, a version 4 UUID.
func newUUID() string {
	var b [16]byte
	crand.Read(b[:])        // never fails (Go 1.24 on)
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
