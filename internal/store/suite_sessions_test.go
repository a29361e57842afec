package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// createSession stores a session for a user, its hash that of the given cookie value.
func createSession(t *testing.T, s *Store, userID uint, cookie string, lastSeen, expires time.Time) {
	t.Helper()
	sess := Session{IDHash: sha(cookie), UserID: userID, CSRFToken: sha("csrf " + cookie),
		CreatedAt: lastSeen, LastSeenAt: lastSeen, ExpiresAt: expires}
	if err := s.CreateSession(context.Background(), sess); err != nil {
		t.Fatalf("CreateSession %s: %v", cookie, err)
	}
}

// sessionExists says whether the session of the given cookie value is stored.
func sessionExists(t *testing.T, s *Store, cookie string) bool {
	t.Helper()
	_, err := s.SessionByHash(context.Background(), sha(cookie))
	if err != nil && !errors.Is(err, ErrNotFound) {
		t.Fatalf("SessionByHash %s: %v", cookie, err)
	}
	return err == nil
}

func testSessionByHash(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	importDepartment(t, s)
	u := createUser(t, s, "lead@example.org", "lead", "digital")
	created, expires := t0.Add(-time.Minute), t0.Add(8*time.Hour)
	want := Session{IDHash: sha("cookie"), UserID: u.ID, CSRFToken: sha("csrf"), CreatedAt: created, LastSeenAt: t0, ExpiresAt: expires}
	if err := s.CreateSession(ctx, want); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	got, err := s.SessionByHash(ctx, sha("cookie"))
	if err != nil {
		t.Fatalf("SessionByHash: %v", err)
	}
	if got.IDHash != want.IDHash || got.UserID != u.ID || got.CSRFToken != want.CSRFToken || !got.CreatedAt.Equal(created) ||
		!got.LastSeenAt.Equal(t0) || !got.ExpiresAt.Equal(expires) {
		t.Errorf("SessionByHash = %+v, want %+v", got, want)
	}
	if got.User.ID != u.ID || got.User.Email != "lead@example.org" || got.User.Role != "lead" || scopeKey(got.User.ScopeTeam) != "digital" {
		t.Errorf("SessionByHash's user = %+v, want the lead with its scope team", got.User)
	}
	if _, err := s.SessionByHash(ctx, sha("forged")); !errors.Is(err, ErrNotFound) {
		t.Errorf("SessionByHash of an unknown cookie: err = %v, want ErrNotFound", err)
	}
	if err := s.CreateSession(ctx, want); !errors.Is(err, ErrConflict) {
		t.Errorf("CreateSession twice: err = %v, want ErrConflict", err)
	}
	orphan := Session{IDHash: sha("orphan"), UserID: u.ID + 100, CSRFToken: sha("csrf"), CreatedAt: t0, LastSeenAt: t0, ExpiresAt: expires}
	if err := s.CreateSession(ctx, orphan); !errors.Is(err, ErrNotFound) {
		t.Errorf("CreateSession for no account: err = %v, want ErrNotFound", err)
	}
}

func testTouchSession(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	u := createUser(t, s, "admin@example.org", "admin", "")
	createSession(t, s, u.ID, "cookie", t0, t0.Add(8*time.Hour))
	later := t0.Add(10 * time.Minute)
	if err := s.TouchSession(ctx, sha("cookie"), later); err != nil {
		t.Fatalf("TouchSession: %v", err)
	}
	got, err := s.SessionByHash(ctx, sha("cookie"))
	if err != nil || !got.LastSeenAt.Equal(later) || !got.CreatedAt.Equal(t0) {
		t.Errorf("after TouchSession: %+v, %v; want last seen at %v", got, err, later)
	}
	if err := s.TouchSession(ctx, sha("gone"), later); !errors.Is(err, ErrNotFound) {
		t.Errorf("TouchSession of no session: err = %v, want ErrNotFound", err)
	}
}

func testDeleteSession(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	u := createUser(t, s, "admin@example.org", "admin", "")
	createSession(t, s, u.ID, "cookie", t0, t0.Add(8*time.Hour))
	createSession(t, s, u.ID, "other", t0, t0.Add(8*time.Hour))
	if err := s.DeleteSession(ctx, sha("cookie")); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if sessionExists(t, s, "cookie") || !sessionExists(t, s, "other") {
		t.Error("DeleteSession did not delete exactly its session")
	}
	if err := s.DeleteSession(ctx, sha("cookie")); err != nil {
		t.Errorf("DeleteSession of a deleted session: %v, want nil", err)
	}
}

func testDeleteUserSessions(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	a := createUser(t, s, "a@example.org", "admin", "")
	b := createUser(t, s, "b@example.org", "hr", "")
	createSession(t, s, a.ID, "a-1", t0, t0.Add(8*time.Hour))
	createSession(t, s, a.ID, "a-2", t0, t0.Add(8*time.Hour))
	createSession(t, s, b.ID, "b", t0, t0.Add(8*time.Hour))
	if err := s.DeleteUserSessions(ctx, a.ID); err != nil {
		t.Fatalf("DeleteUserSessions: %v", err)
	}
	if sessionExists(t, s, "a-1") || sessionExists(t, s, "a-2") || !sessionExists(t, s, "b") {
		t.Error("DeleteUserSessions did not delete exactly the account's sessions")
	}
	if _, err := s.UserByEmail(ctx, "a@example.org"); err != nil {
		t.Errorf("the account after DeleteUserSessions: %v", err)
	}
}

// testDeleteExpiredSessions: a session goes when idle since before the cut-off or at its hard end.
func testDeleteExpiredSessions(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	u := createUser(t, s, "admin@example.org", "admin", "")
	idleBefore := t0.Add(-30 * time.Minute)
	sessions := []struct {
		cookie         string
		lastSeen       time.Time
		expires        time.Time
		wantKept       bool
		whyKeptOrWhyGo string
	}{
		{"fresh", t0, t0.Add(8 * time.Hour), true, "active and within its end"},
		{"idle", idleBefore.Add(-time.Minute), t0.Add(7 * time.Hour), false, "idle too long"},
		{"just-idle", idleBefore.Add(-time.Millisecond), t0.Add(7 * time.Hour), false, "idle a millisecond too long"},
		{"at-cut-off", idleBefore, t0.Add(7 * time.Hour), true, "last seen at the cut-off itself"},
		{"half-second", idleBefore.Add(500 * time.Millisecond), t0.Add(7 * time.Hour), true, "last seen just after the cut-off"},
		{"ended", t0, t0, false, "at its hard end"},
		{"ended-before", t0, t0.Add(-time.Second), false, "past its hard end"},
		{"ends-soon", t0, t0.Add(time.Millisecond), true, "not yet at its hard end"},
	}
	wantDeleted := int64(0)
	for _, sess := range sessions {
		createSession(t, s, u.ID, sess.cookie, sess.lastSeen, sess.expires)
		if !sess.wantKept {
			wantDeleted++
		}
	}
	n, err := s.DeleteExpiredSessions(ctx, idleBefore, t0)
	if err != nil {
		t.Fatalf("DeleteExpiredSessions: %v", err)
	}
	if n != wantDeleted {
		t.Errorf("DeleteExpiredSessions deleted %d, want %d", n, wantDeleted)
	}
	for _, sess := range sessions {
		if kept := sessionExists(t, s, sess.cookie); kept != sess.wantKept {
			t.Errorf("session %s (%s): kept = %v, want %v", sess.cookie, sess.whyKeptOrWhyGo, kept, sess.wantKept)
		}
	}
	if n, err := s.DeleteExpiredSessions(ctx, idleBefore, t0); err != nil || n != 0 {
		t.Errorf("DeleteExpiredSessions again = %d, %v; want 0", n, err)
	}
}

// testSignInFlow: a flow is taken once; a second answer with the same state finds nothing.
func testSignInFlow(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t, WithClock(newClock().Now))
	want := SignInFlow{StateHash: sha("state"), Nonce: "nonce-1", Verifier: "verifier-1", ReturnTo: "/admin/users"}
	if err := s.SaveSignInFlow(ctx, want); err != nil {
		t.Fatalf("SaveSignInFlow: %v", err)
	}
	if err := s.SaveSignInFlow(ctx, want); !errors.Is(err, ErrConflict) {
		t.Errorf("SaveSignInFlow of a state in use: err = %v, want ErrConflict", err)
	}
	got, err := s.TakeSignInFlow(ctx, sha("state"), t0.Add(-10*time.Minute))
	if err != nil {
		t.Fatalf("TakeSignInFlow: %v", err)
	}
	if got.StateHash != want.StateHash || got.Nonce != want.Nonce || got.Verifier != want.Verifier || got.ReturnTo != want.ReturnTo ||
		!got.CreatedAt.Equal(t0) {
		t.Errorf("TakeSignInFlow = %+v, want %+v created at the clock's %v", got, want, t0)
	}
	if _, err := s.TakeSignInFlow(ctx, sha("state"), t0.Add(-10*time.Minute)); !errors.Is(err, ErrNotFound) {
		t.Errorf("TakeSignInFlow twice: err = %v, want ErrNotFound", err)
	}
	if _, err := s.TakeSignInFlow(ctx, sha("never"), time.Time{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("TakeSignInFlow of an unknown state: err = %v, want ErrNotFound", err)
	}
}

// testSignInFlowTooOld: a flow started before notBefore is refused, and gone afterwards.
func testSignInFlowTooOld(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	flow := SignInFlow{StateHash: sha("state"), Nonce: "nonce", Verifier: "verifier", CreatedAt: t0}
	if err := s.SaveSignInFlow(ctx, flow); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TakeSignInFlow(ctx, sha("state"), t0.Add(time.Millisecond)); !errors.Is(err, ErrNotFound) {
		t.Errorf("TakeSignInFlow of a flow too old: err = %v, want ErrNotFound", err)
	}
	if _, err := s.TakeSignInFlow(ctx, sha("state"), time.Time{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("TakeSignInFlow after it was refused as too old: err = %v, want ErrNotFound", err)
	}
	// One started exactly at notBefore is still good.
	flow.StateHash = sha("state-2")
	if err := s.SaveSignInFlow(ctx, flow); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TakeSignInFlow(ctx, sha("state-2"), t0); err != nil {
		t.Errorf("TakeSignInFlow of a flow started at notBefore: %v", err)
	}
}

func testDeleteOldSignInFlows(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	for _, f := range []SignInFlow{
		{StateHash: sha("old"), Nonce: "n", Verifier: "v", CreatedAt: t0.Add(-time.Hour)},
		{StateHash: sha("new"), Nonce: "n", Verifier: "v", CreatedAt: t0},
	} {
		if err := s.SaveSignInFlow(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteOldSignInFlows(ctx, t0.Add(-30*time.Minute)); err != nil {
		t.Fatalf("DeleteOldSignInFlows: %v", err)
	}
	if _, err := s.TakeSignInFlow(ctx, sha("old"), time.Time{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("the old flow: err = %v, want ErrNotFound", err)
	}
	if _, err := s.TakeSignInFlow(ctx, sha("new"), time.Time{}); err != nil {
		t.Errorf("the new flow: %v", err)
	}
}
