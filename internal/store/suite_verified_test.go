package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// verifiedSetup is a store with the department's teams and an open verified wave.
func verifiedSetup(t *testing.T, open opener) (*Store, Wave, map[string]Team) {
	t.Helper()
	s := open(t, WithClock(newClock().Now))
	teams := importDepartment(t, s)
	createWave(t, s, smallDefinition(t), "2026-verified", ModeVerified)
	w, err := s.OpenWave(context.Background(), "2026-verified")
	if err != nil {
		t.Fatal(err)
	}
	return s, w, teams
}

// answered is a response of a verified wave from person.
func answered(t *testing.T, w Wave, team Team, submissionID, answers, person string) NewResponse {
	t.Helper()
	r := newResponse(t, smallDefinition(t), w.ID, team.ID, submissionID, answers)
	r.Person = person
	return r
}

// countResponses is a wave's count of stored responses.
func countResponses(t *testing.T, s *Store, w Wave) int64 {
	t.Helper()
	n, err := s.CountResponses(context.Background(), w.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func testVerifiedOnce(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := verifiedSetup(t, open)
	ann, bob := sha("ann"), sha("bob")
	first := answered(t, w, teams["digital"], "submission-1", answersA, ann)
	if _, created, err := s.SaveResponse(ctx, first); err != nil || !created {
		t.Fatalf("first answer: created = %v, err = %v", created, err)
	}
	if yes, err := s.HasAnswered(ctx, w.ID, ann); err != nil || !yes {
		t.Errorf("HasAnswered(ann) = %v, %v; want true", yes, err)
	}
	if yes, err := s.HasAnswered(ctx, w.ID, bob); err != nil || yes {
		t.Errorf("HasAnswered(bob) = %v, %v; want false", yes, err)
	}
	// The same person again, under a new submission_id, other answers and another team: refused.
	second := answered(t, w, teams["press"], "submission-2", answersB, ann)
	if _, _, err := s.SaveResponse(ctx, second); !errors.Is(err, ErrAlreadyAnswered) {
		t.Errorf("second answer: err = %v, want ErrAlreadyAnswered", err)
	}
	if _, err := s.FindResponse(ctx, w.ID, second.SubmissionHash, second.ContentHash); !errors.Is(err, ErrNotFound) {
		t.Errorf("the refused answer is stored: %v", err)
	}
	// A retry of the first gets its first receipt, and writes nothing.
	if saved, created, err := s.SaveResponse(ctx, first); err != nil || created || saved.TeamID != teams["digital"].ID {
		t.Errorf("retry: %s, created = %v, err = %v; want the stored response", savedString(saved), created, err)
	}
	// Someone else answers as usual.
	if _, created, err := s.SaveResponse(ctx, answered(t, w, teams["press"], "submission-3", answersB, bob)); err != nil || !created {
		t.Errorf("another person: created = %v, err = %v", created, err)
	}
	if n := countResponses(t, s, w); n != 2 {
		t.Errorf("CountResponses = %d, want 2", n)
	}
	checkTalliesOf(t, s, w.ID, []NewResponse{first, answered(t, w, teams["press"], "submission-3", answersB, bob)})
}

// testVerifiedConcurrent: one person sending many answers at once, each under its own
// submission_id, leaves one of them.
func testVerifiedConcurrent(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := verifiedSetup(t, open)
	const n = 20
	errs := make([]error, n)
	created := make([]bool, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		r := answered(t, w, teams["digital"], fmt.Sprintf("submission-%d", i), answersA, sha("ann"))
		wg.Go(func() {
			<-start
			_, created[i], errs[i] = s.SaveResponse(ctx, r)
		})
	}
	close(start)
	wg.Wait()
	stored := 0
	for i := range n {
		switch {
		case created[i] && errs[i] == nil:
			stored++
		case !errors.Is(errs[i], ErrAlreadyAnswered):
			t.Errorf("answer %d: created = %v, err = %v; want stored or ErrAlreadyAnswered", i, created[i], errs[i])
		}
	}
	if stored != 1 || countResponses(t, s, w) != 1 {
		t.Errorf("%d stored, %d counted; want 1", stored, countResponses(t, s, w))
	}
}

// testVerifiedBatch: two answers of one person in one batch: the first stored, the second refused,
// their neighbours stored.
func testVerifiedBatch(t *testing.T, open opener) {
	s, w, teams := verifiedSetup(t, open)
	rs := []NewResponse{
		answered(t, w, teams["digital"], "submission-1", answersA, sha("ann")),
		answered(t, w, teams["press"], "submission-2", answersB, sha("ann")),
		answered(t, w, teams["press"], "submission-3", answersB, sha("bob")),
	}
	outcomes := s.SaveBatch(context.Background(), rs)
	if !outcomes[0].Created || outcomes[0].Err != nil || !outcomes[2].Created || outcomes[2].Err != nil {
		t.Errorf("outcomes %+v, want the first and third stored", outcomes)
	}
	if !errors.Is(outcomes[1].Err, ErrAlreadyAnswered) {
		t.Errorf("the second answer of the same person: %v, want ErrAlreadyAnswered", outcomes[1].Err)
	}
	checkTalliesOf(t, s, w.ID, []NewResponse{rs[0], rs[2]})
}

// testVerifiedNeedsPerson: the store is the last guard of the once-only rule: a verified wave's
// response without a person is refused, and so is a person for any other wave.
func testVerifiedNeedsPerson(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := verifiedSetup(t, open)
	if _, _, err := s.SaveResponse(ctx, answered(t, w, teams["digital"], "submission-1", answersA, "")); err == nil {
		t.Error("a verified wave's response without a person was stored")
	}
	createWave(t, s, smallDefinition(t), "2026-open", ModeOpen)
	other, err := s.OpenWave(ctx, "2026-open")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SaveResponse(ctx, answered(t, other, teams["digital"], "submission-1", answersA, sha("ann"))); err == nil {
		t.Error("an open wave's response with a person was stored")
	}
	if countResponses(t, s, w) != 0 || countResponses(t, s, other) != 0 {
		t.Error("a refused response was stored")
	}
	if yes, err := s.HasAnswered(ctx, other.ID, sha("ann")); err != nil || yes {
		t.Errorf("HasAnswered after a refused response = %v, %v; want false", yes, err)
	}
}
