package access

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/store"
)

// sessionWorld is a real store with one team and a person, and a settable clock.
func sessionWorld(t testing.TB) (*store.Store, *fakeClock, store.User) {
	t.Helper()
	ctx := context.Background()
	clock := &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "access.db"), store.WithClock(clock.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.ImportTeams(ctx, []hierarchy.Team{{Line: 1, Key: "dept", Name: "Department"}, {Line: 2, Key: "comms", Name: "Comms", Parent: "dept"}}); err != nil {
		t.Fatal(err)
	}
	hash, err := HashPassword("the right password")
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, store.NewUser{Email: "lead@example.gov.uk", PasswordHash: hash, Role: "lead", Scope: "comms"})
	if err != nil {
		t.Fatal(err)
	}
	return st, clock, u
}

func TestSessionLifetimes(t *testing.T) {
	ctx := context.Background()
	st, clock, _ := sessionWorld(t)
	s := NewService(st, clock.now, 30*time.Minute, 2*time.Hour)

	if _, _, err := s.SignIn(ctx, "lead@example.gov.uk", "the wrong password", "192.0.2.1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, _, err := s.SignIn(ctx, "nobody@example.gov.uk", "the right password", "192.0.2.1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("unknown email: %v", err)
	}
	cookie, p, err := s.SignIn(ctx, " Lead@Example.gov.uk ", "the right password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != Person || p.Role != Lead || p.Scope != "comms" || p.CSRF == "" || p.Name != "lead@example.gov.uk" {
		t.Fatalf("principal %+v", p)
	}
	// Active every 20 minutes, the session lives; the hard maximum ends it at 2 hours anyway.
	for i := 1; i <= 5; i++ {
		clock.add(20 * time.Minute)
		got, err := s.Session(ctx, cookie)
		if err != nil {
			t.Fatalf("after %d×20 min of activity: %v", i, err)
		}
		if got.Scope != "comms" || got.CSRF != p.CSRF {
			t.Errorf("the session changed: %+v", got)
		}
	}
	clock.add(20 * time.Minute) // 2 h since sign-in
	if _, err := s.Session(ctx, cookie); !errors.Is(err, ErrNoSession) {
		t.Errorf("at the hard maximum: %v, want ErrNoSession", err)
	}
	// Idle: a new session left alone for 30 minutes is over, and stays over.
	cookie, _, err = s.SignIn(ctx, "lead@example.gov.uk", "the right password", "")
	if err != nil {
		t.Fatal(err)
	}
	clock.add(29 * time.Minute)
	if _, err := s.Session(ctx, cookie); err != nil {
		t.Fatalf("after 29 idle minutes: %v", err)
	}
	clock.add(30 * time.Minute)
	if _, err := s.Session(ctx, cookie); !errors.Is(err, ErrNoSession) {
		t.Errorf("after 30 idle minutes: %v", err)
	}
	clock.add(-30 * time.Minute) // even if the clock went back, the row is gone
	if _, err := s.Session(ctx, cookie); !errors.Is(err, ErrNoSession) {
		t.Errorf("an expired session came back: %v", err)
	}
	for _, forged := range []string{"", "x", NewSessionID(), string(make([]byte, 5000))} {
		if _, err := s.Session(ctx, forged); !errors.Is(err, ErrNoSession) {
			t.Errorf("forged cookie %.10q: %v", forged, err)
		}
	}
}

// TestShortIdleTime: with the shortest idle time, a person active every 10 seconds stays signed in.
func TestShortIdleTime(t *testing.T) {
	ctx := context.Background()
	st, clock, u := sessionWorld(t)
	s := NewService(st, clock.now, time.Minute, time.Hour)
	cookie, _, err := s.StartSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 30; i++ {
		clock.add(10 * time.Second)
		if _, err := s.Session(ctx, cookie); err != nil {
			t.Fatalf("active every 10 s, signed out after %d s: %v", i*10, err)
		}
	}
	clock.add(time.Minute)
	if _, err := s.Session(ctx, cookie); !errors.Is(err, ErrNoSession) {
		t.Errorf("after a minute idle: %v", err)
	}
}

// TestEverySignInPaysForOneCheck: an unknown email, a wrong password, a single sign-on account
// (no password) and the right password each cost one argon2id check, so timing cannot tell which
// emails have accounts. (docs/benchmarks.md measures the times.) Not parallel: it counts every
// check the package makes.
func TestEverySignInPaysForOneCheck(t *testing.T) {
	ctx := context.Background()
	st, clock, _ := sessionWorld(t)
	if _, err := st.SaveSSOUser(ctx, store.NewUser{Email: "sso@example.gov.uk", Subject: "s1", Role: "hr"}); err != nil {
		t.Fatal(err)
	}
	s := NewService(st, clock.now, 0, 0)
	for _, tc := range []struct{ email, password string }{
		{"nobody@example.gov.uk", "the right password"},
		{"lead@example.gov.uk", "the wrong password"},
		{"sso@example.gov.uk", "any password at all"},
		{"lead@example.gov.uk", "the right password"},
		{"lead@example.gov.uk", strings.Repeat("x", 5000)},
	} {
		before := checks.Load()
		_, _, _ = s.SignIn(ctx, tc.email, tc.password, "")
		if n := checks.Load() - before; n != 1 {
			t.Errorf("signing in as %s with %.20q ran %d argon2id checks, want 1", tc.email, tc.password, n)
		}
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	ctx := context.Background()
	st, clock, u := sessionWorld(t)
	s := NewService(st, clock.now, 0, 0)
	cookie, p, err := s.StartSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := s.StartSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SignOut(ctx, p, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, cookie); !errors.Is(err, ErrNoSession) {
		t.Errorf("after sign-out: %v", err)
	}
	if _, err := s.Session(ctx, other); err != nil {
		t.Errorf("signing out of one browser ended another: %v", err)
	}
	// Removing the person ends every session they had.
	if err := st.RemoveUser(ctx, u.Email); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, other); !errors.Is(err, ErrNoSession) {
		t.Errorf("a removed person's session lives: %v", err)
	}
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	st, clock, _ := sessionWorld(t)
	s := NewService(st, clock.now, 0, 0)
	tomorrow := clock.now().Add(24 * time.Hour)
	good, expiring, revoked := NewToken(), NewToken(), NewToken()
	for name, tk := range map[string]struct {
		secret  string
		expires *time.Time
	}{"good": {good, nil}, "expiring": {expiring, &tomorrow}, "revoked": {revoked, nil}} {
		if _, err := st.CreateToken(ctx, store.NewToken{Name: name, Hash: Hash(tk.secret), Role: "lead", Scope: "comms", ExpiresAt: tk.expires}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.RevokeToken(ctx, "revoked", clock.now()); err != nil {
		t.Fatal(err)
	}
	p, err := s.Token(ctx, good)
	if err != nil || p.Kind != Program || p.Name != "good" || p.Scope != "comms" || p.CSRF != "" {
		t.Fatalf("good token: %+v, %v", p, err)
	}
	if _, err := s.Token(ctx, expiring); err != nil {
		t.Errorf("a token before its expiry: %v", err)
	}
	clock.add(24 * time.Hour)
	for name, secret := range map[string]string{"expired": expiring, "revoked": revoked, "flipped": flipLast(good),
		"no prefix": good[len(TokenPrefix):], "empty": "", "huge": TokenPrefix + string(make([]byte, 4096))} {
		if _, err := s.Token(ctx, secret); !errors.Is(err, ErrBadToken) {
			t.Errorf("%s token: %v, want ErrBadToken", name, err)
		}
	}
	tokens, err := st.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tokens {
		if tk.Name == "good" && tk.LastUsedOn != "2026-03-02" {
			t.Errorf("good token last used on %q, want 2026-03-02", tk.LastUsedOn)
		}
	}
}

// flipLast changes a secret's last character to another one.
func flipLast(s string) string {
	if s[len(s)-1] == 'a' {
		return s[:len(s)-1] + "b"
	}
	return s[:len(s)-1] + "a"
}
