package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// testSaveBatchMixed: one batch of new, retried, conflicting, duplicated, invited and failing
// responses; each gets exactly its own outcome and its neighbours are stored.
func testSaveBatchMixed(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := responseSetup(t, open)
	def := smallDefinition(t)
	createWave(t, s, def, "2026-invite", ModeInvite)
	invite, err := s.OpenWave(ctx, "2026-invite")
	if err != nil {
		t.Fatal(err)
	}
	codes := invitations(t, s, "2026-invite", "press", 3)
	invited := func(submissionID, answers, code string) NewResponse {
		r := newResponse(t, def, invite.ID, teams["digital"].ID, submissionID, answers)
		r.InvitationHash = HashCode(code)
		return r
	}
	digital := teams["digital"].ID

	stored := newResponse(t, def, w.ID, digital, "stored", answersA)
	first, _, err := s.SaveResponse(ctx, stored)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SaveResponse(ctx, invited("invited-before", answersA, codes[0])); err != nil {
		t.Fatal(err)
	}

	newOne := newResponse(t, def, w.ID, digital, "new", answersA)
	dup := newResponse(t, def, w.ID, teams["press"].ID, "duplicated", answersB)
	unknownTeam := newResponse(t, def, w.ID, 999_999, "unknown-team", answersA)
	badDay := newResponse(t, def, w.ID, digital, "bad-day", answersA)
	badDay.SubmittedOn = "2026-03-04T09:41:00Z"
	// Its response row fails to insert (it has no answers) after its code is spent: rolled back,
	// the code is unused again for the next response of the batch.
	failsLate := invited("fails-late", answersA, codes[1])
	failsLate.Answers = nil
	usesCodeAgain := invited("uses-code-again", answersB, codes[1])
	last := newResponse(t, def, w.ID, digital, "last", answersB)

	pressSaved := wantSaved(usesCodeAgain)
	pressSaved.TeamID = teams["press"].ID
	tests := []struct {
		name        string
		r           NewResponse
		wantErr     error // nil: saved
		anyErr      bool
		wantCreated bool
		want        Saved
	}{
		{name: "new", r: newOne, wantCreated: true, want: wantSaved(newOne)},
		{name: "retried", r: stored, want: first},
		{name: "conflicting", r: newResponse(t, def, w.ID, digital, "stored", answersB), wantErr: ErrDifferentAnswers},
		{name: "first of a duplicate", r: dup, wantCreated: true, want: wantSaved(dup)},
		{name: "second of a duplicate", r: dup, want: wantSaved(dup)},
		{name: "duplicate with other answers", r: newResponse(t, def, w.ID, teams["press"].ID, "duplicated", answersA), wantErr: ErrDifferentAnswers},
		{name: "used invitation", r: invited("invited-again", answersB, codes[0]), wantErr: ErrInvitation},
		{name: "unknown team", r: unknownTeam, anyErr: true},
		{name: "not a day", r: badDay, anyErr: true},
		{name: "fails after spending its code", r: failsLate, anyErr: true},
		{name: "the code failsLate gave back", r: usesCodeAgain, wantCreated: true, want: pressSaved},
		{name: "last", r: last, wantCreated: true, want: wantSaved(last)},
	}
	batch := make([]NewResponse, len(tests))
	for i, tt := range tests {
		batch[i] = tt.r
	}
	outcomes := s.SaveBatch(ctx, batch)
	if len(outcomes) != len(tests) {
		t.Fatalf("%d outcomes for %d responses", len(outcomes), len(tests))
	}
	for i, tt := range tests {
		o := outcomes[i]
		switch {
		case tt.wantErr != nil || tt.anyErr:
			if o.Err == nil || tt.wantErr != nil && !errors.Is(o.Err, tt.wantErr) || o.Created {
				t.Errorf("%s: created = %v, err = %v; want error %v", tt.name, o.Created, o.Err, tt.wantErr)
			}
		case o.Err != nil || o.Created != tt.wantCreated || !reflect.DeepEqual(o.Saved, tt.want):
			t.Errorf("%s: created = %v, err = %v, Saved = %s; want created = %v, Saved = %s",
				tt.name, o.Created, o.Err, savedString(o.Saved), tt.wantCreated, savedString(tt.want))
		}
	}
	for wave, want := range map[uint]int64{w.ID: 4, invite.ID: 2} { // stored, new, duplicated, last; invited-before, uses-code-again
		if n, err := s.CountResponses(ctx, wave); err != nil || n != want || responseRows(t, s, wave) != want {
			t.Errorf("wave %d: CountResponses = %d, %v, %d rows; want %d", wave, n, err, responseRows(t, s, wave), want)
		}
	}
	// What failed is not there to be found: a retry of it is new.
	for _, r := range []NewResponse{unknownTeam, failsLate} {
		r.TeamID, r.InvitationHash, r.Answers = digital, "", last.Answers
		if _, created, err := s.SaveResponse(ctx, r); err != nil || !created {
			t.Errorf("%s saved after failing in a batch: created = %v, err = %v; want new", r.SubmissionHash[:8], created, err)
		}
	}
}

// testSaveBatchCommitFails: when the transaction cannot be written, every outcome says so, and
// none is stored.
func testSaveBatchCommitFails(t *testing.T, open opener) {
	s, w, teams := responseSetup(t, open)
	def := smallDefinition(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	batch := []NewResponse{
		newResponse(t, def, w.ID, teams["digital"].ID, "one", answersA),
		newResponse(t, def, w.ID, teams["digital"].ID, "two", answersB),
	}
	for i, o := range s.SaveBatch(ctx, batch) {
		if o.Err == nil || o.Created {
			t.Errorf("outcome %d: created = %v, err = %v; want the transaction's error", i, o.Created, o.Err)
		}
	}
	if n, err := s.CountResponses(context.Background(), w.ID); err != nil || n != 0 || responseRows(t, s, w.ID) != 0 {
		t.Errorf("CountResponses = %d, %v, %d rows; want 0", n, err, responseRows(t, s, w.ID))
	}
}
