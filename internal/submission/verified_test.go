package submission

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// verifiedEnv is env with two verified waves and the passes of the respondent key.
type verifiedEnv struct {
	*env
	passes          *access.Passes
	verified, other store.Wave
	clock           time.Time
}

func newVerifiedEnv(t *testing.T) *verifiedEnv {
	t.Helper()
	e := &verifiedEnv{env: newEnv(t), clock: testNow}
	var err error
	if e.passes, err = access.NewPasses(bytes.Repeat([]byte("k"), access.MinRespondentKeyBytes), func() time.Time { return e.clock }); err != nil {
		t.Fatal(err)
	}
	for key, w := range map[string]*store.Wave{"verified": &e.verified, "other": &e.other} {
		if *w, err = e.st.CreateWave(context.Background(), e.def, store.NewWave{Key: key, Title: key, Mode: store.ModeVerified, Threshold: 5}); err != nil {
			t.Fatal(err)
		}
	}
	e.svc = NewService(e.st, e.svc.definitions, func() time.Time { return testNow }, WithPasses(e.passes))
	return e
}

// pass is the pass of the person with subject sub, signed in to wave w.
func (e *verifiedEnv) pass(w store.Wave, sub string) string {
	return e.passes.Issue(access.Respondent{WaveID: w.ID, Issuer: "https://login.example", Subject: sub})
}

func TestVerifiedAnswersOnce(t *testing.T) {
	e := newVerifiedEnv(t)
	ctx := context.Background()
	sub := Submission{ID: id, Team: "digital", Pass: e.pass(e.verified, "ann"), Answers: answers(t, fullAnswers)}
	c := e.check(t, e.verified, sub)
	if c.response.Person == "" || c.response.Person == "ann" {
		t.Fatalf("the response's person is %q, want Ann's keyed hash", c.response.Person)
	}
	// The content hash, stored with the response, does not hold who answered.
	bob := sub
	bob.Pass = e.pass(e.verified, "bob")
	if e.check(t, e.verified, bob).response.ContentHash != c.response.ContentHash {
		t.Error("two people's same answers hash differently: the content hash holds who answered")
	}
	first, created := e.save(t, e.verified, sub)
	if !created {
		t.Fatal("the first answer was not stored")
	}
	if rc, created := e.save(t, e.verified, sub); created || !sameReceipt(rc, first) {
		t.Errorf("a retry: created = %v, receipt %+v; want the first receipt", created, rc)
	}
	// Ann again, signed in again, with a new submission_id and other answers.
	again := Submission{ID: "5b6f7c9e-5d7a-4a37-9d2c-3f1e2a9b8c71", Team: "campaigns", Pass: e.pass(e.verified, "ann"),
		Answers: answers(t, `{"role-type":"non-specialist","consult":1}`)}
	if _, _, err := e.svc.Save(ctx, e.check(t, e.verified, again)); !errors.Is(err, ErrAlreadyAnswered) {
		t.Errorf("a second answer: err = %v, want ErrAlreadyAnswered", err)
	}
	// Ann answers the other wave as anyone would.
	other := Submission{ID: id, Team: "digital", Pass: e.pass(e.other, "ann"), Answers: answers(t, fullAnswers)}
	if _, created := e.save(t, e.other, other); !created {
		t.Error("Ann's answer to another wave was not stored")
	}
	if n, err := e.st.CountResponses(ctx, e.verified.ID); err != nil || n != 1 {
		t.Errorf("%d responses (%v), want 1", n, err)
	}
}

// TestVerifiedNeedsAPass: nothing is checked, let alone stored, without a valid pass for the wave.
func TestVerifiedNeedsAPass(t *testing.T) {
	e := newVerifiedEnv(t)
	ctx := context.Background()
	good := e.pass(e.verified, "ann")
	e.clock = testNow.Add(-access.PassLifetime - time.Minute)
	expired := e.pass(e.verified, "ann")
	e.clock = testNow
	person := e.passes.Person(access.Respondent{WaveID: e.verified.ID, Issuer: "https://login.example", Subject: "ann"})
	for name, tc := range map[string]struct{ pass, answers string }{
		"none":                                 {"", fullAnswers},
		"of another wave":                      {e.pass(e.other, "ann"), fullAnswers},
		"expired":                              {expired, fullAnswers},
		"forged":                               {good[:len(good)-2] + "AA", fullAnswers},
		"made up":                              {"p1.1.x.1.x", fullAnswers},
		"a person's hash":                      {person, fullAnswers},
		"none, with bad answers (asked first)": {"", `{"consult":9}`},
	} {
		sub := Submission{ID: id, Team: "digital", Pass: tc.pass, Answers: answers(t, tc.answers)}
		if _, err := e.svc.Check(ctx, e.verified, sub, nil); !errors.Is(err, ErrSignInRequired) {
			t.Errorf("%s: err = %v, want ErrSignInRequired", name, err)
		}
	}
	// Where respondents cannot sign in, a verified wave cannot be answered.
	without := NewService(e.st, e.svc.definitions, func() time.Time { return testNow })
	if _, err := without.Check(ctx, e.verified, Submission{ID: id, Team: "digital", Pass: good, Answers: answers(t, fullAnswers)}, nil); !errors.Is(err, ErrSignInUnavailable) {
		t.Errorf("no passes: err = %v, want ErrSignInUnavailable", err)
	}
	// A pass sent to an open wave is not read.
	if c := e.check(t, e.open, Submission{ID: id, Team: "digital", Pass: good, Answers: answers(t, fullAnswers)}); c.response.Person != "" {
		t.Error("an open wave's response names a person")
	}
}

// TestVerifiedReplay: after a verified wave closes, a retry with its pass gets the first receipt;
// without one, the wave has closed.
func TestVerifiedReplay(t *testing.T) {
	e := newVerifiedEnv(t)
	ctx := context.Background()
	sub := Submission{ID: id, Team: "digital", Pass: e.pass(e.verified, "ann"), Answers: answers(t, fullAnswers)}
	first, _ := e.save(t, e.verified, sub)
	if rc, err := e.svc.Replay(ctx, e.verified, sub, nil); err != nil || !sameReceipt(rc, first) {
		t.Errorf("a retry after closing: %+v, %v; want the first receipt", rc, err)
	}
	sub.Pass = ""
	if _, err := e.svc.Replay(ctx, e.verified, sub, nil); !errors.Is(err, ErrWaveClosed) {
		t.Errorf("without a pass: err = %v, want ErrWaveClosed", err)
	}
}
