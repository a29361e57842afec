package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// passwordHash is a made-up argon2id hash: the store keeps it as it is given.
const passwordHash = "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"

// createUser adds a local account.
func createUser(t *testing.T, s *Store, email, role, scope string) User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), NewUser{Email: email, PasswordHash: passwordHash, Role: role, Scope: scope})
	if err != nil {
		t.Fatalf("CreateUser %s: %v", email, err)
	}
	return u
}

// scopeKey is a user's or token's scope as a team key, "" for none.
func scopeKey(team *Team) string {
	if team == nil {
		return ""
	}
	return team.Key
}

func testCreateUser(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t, WithClock(newClock().Now))
	teams := importDepartment(t, s)
	u, err := s.CreateUser(ctx, NewUser{Email: "  Ana.Lead@Example.ORG ", PasswordHash: passwordHash, Role: "lead", Scope: "digital"})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if u.ID == 0 || u.Email != "ana.lead@example.org" || u.Source != SourceLocal || u.ScopeTeamID == nil ||
		*u.ScopeTeamID != teams["digital"].ID || scopeKey(u.ScopeTeam) != "digital" || !u.CreatedAt.Equal(t0) {
		t.Errorf("CreateUser = %+v, want a local lead of digital, email in lower case, created at %v", u, t0)
	}
	got, err := s.UserByEmail(ctx, "ANA.LEAD@example.org ")
	if err != nil {
		t.Fatalf("UserByEmail in capitals: %v", err)
	}
	if got.ID != u.ID || got.Email != u.Email || got.PasswordHash != passwordHash || got.Role != "lead" || got.Comments ||
		got.Source != SourceLocal || scopeKey(got.ScopeTeam) != "digital" || !got.CreatedAt.Equal(t0) {
		t.Errorf("UserByEmail = %+v, want what was created", got)
	}

	if _, err := s.CreateUser(ctx, NewUser{Email: "hr@example.org", PasswordHash: passwordHash, Role: "hr", Comments: true}); err != nil {
		t.Fatal(err)
	}
	createUser(t, s, "admin@example.org", "admin", "")
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	var listed []string
	for _, u := range users {
		listed = append(listed, u.Email+" "+u.Role+" "+scopeKey(u.ScopeTeam))
	}
	want := []string{"admin@example.org admin ", "ana.lead@example.org lead digital", "hr@example.org hr "}
	if strings.Join(listed, "\n") != strings.Join(want, "\n") {
		t.Errorf("Users =\n%s\nwant, in email order:\n%s", strings.Join(listed, "\n"), strings.Join(want, "\n"))
	}
	if len(users) == 3 && !users[2].Comments {
		t.Error("the hr account lost its comments permission")
	}
	if _, err := s.CreateUser(ctx, NewUser{Email: "x@example.org", Role: "admin", Source: "ldap"}); err == nil {
		t.Error("CreateUser with an unknown source succeeded")
	}
}

func testDuplicateUser(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	createUser(t, s, "ana@example.org", "admin", "")
	_, err := s.CreateUser(ctx, NewUser{Email: "Ana@Example.org", PasswordHash: passwordHash, Role: "hr"})
	if !errors.Is(err, ErrConflict) {
		t.Errorf("a second account with the same email in other case: err = %v, want ErrConflict", err)
	}
	if u, err := s.UserByEmail(ctx, "ana@example.org"); err != nil || u.Role != "admin" {
		t.Errorf("the first account after the refused second: %+v, %v", u, err)
	}
}

// testUserScope: the scope is a team key; an unknown team is not found, a retired one a conflict.
func testUserScope(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	importDepartment(t, s)
	if _, err := s.ImportTeams(ctx, department()[:6]); err != nil { // leaves out strategy
		t.Fatal(err)
	}
	_, err := s.CreateUser(ctx, NewUser{Email: "lead@example.org", PasswordHash: passwordHash, Role: "lead", Scope: "nowhere"})
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `team "nowhere"`) {
		t.Errorf("an unknown scope team: err = %v, want ErrNotFound naming the team", err)
	}
	_, err = s.CreateUser(ctx, NewUser{Email: "lead@example.org", PasswordHash: passwordHash, Role: "lead", Scope: "strategy"})
	if !errors.Is(err, ErrConflict) {
		t.Errorf("a retired scope team: err = %v, want ErrConflict", err)
	}
	if users, err := s.Users(ctx); err != nil || len(users) != 0 {
		t.Errorf("refused accounts left %d users (%v)", len(users), err)
	}
}

func testUnknownUser(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	if _, err := s.UserByEmail(ctx, "nobody@example.org"); !errors.Is(err, ErrNotFound) {
		t.Errorf("UserByEmail of no account: err = %v, want ErrNotFound", err)
	}
	if err := s.RemoveUser(ctx, "nobody@example.org"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RemoveUser of no account: err = %v, want ErrNotFound", err)
	}
}

// testRemoveUser: removing an account ends its sessions, and no one else's.
func testRemoveUser(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	gone := createUser(t, s, "gone@example.org", "admin", "")
	kept := createUser(t, s, "kept@example.org", "admin", "")
	createSession(t, s, gone.ID, "gone-1", t0, t0.Add(8*time.Hour))
	createSession(t, s, gone.ID, "gone-2", t0, t0.Add(8*time.Hour))
	createSession(t, s, kept.ID, "kept", t0, t0.Add(8*time.Hour))

	if err := s.RemoveUser(ctx, " Gone@Example.org"); err != nil {
		t.Fatalf("RemoveUser: %v", err)
	}
	if _, err := s.UserByEmail(ctx, "gone@example.org"); !errors.Is(err, ErrNotFound) {
		t.Errorf("UserByEmail after RemoveUser: err = %v, want ErrNotFound", err)
	}
	for _, id := range []string{"gone-1", "gone-2"} {
		if _, err := s.SessionByHash(ctx, sha(id)); !errors.Is(err, ErrNotFound) {
			t.Errorf("session %s of the removed account: err = %v, want ErrNotFound", id, err)
		}
	}
	if sess, err := s.SessionByHash(ctx, sha("kept")); err != nil || sess.UserID != kept.ID {
		t.Errorf("the other account's session: %+v, %v", sess, err)
	}
	if err := s.RemoveUser(ctx, "gone@example.org"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RemoveUser twice: err = %v, want ErrNotFound", err)
	}
}

// testSaveSSOUser: the first sign-in makes the account, later ones bring its role and scope up to
// date with the provider's claims.
func testSaveSSOUser(t *testing.T, open opener) {
	ctx := context.Background()
	clock := newClock()
	s := open(t, WithClock(clock.Now))
	importDepartment(t, s)
	first, err := s.SaveSSOUser(ctx, NewUser{Subject: "sub-sam", Email: "Sam@Example.org", PasswordHash: passwordHash, Role: "hr", Comments: true})
	if err != nil {
		t.Fatalf("first SaveSSOUser: %v", err)
	}
	if first.ID == 0 || first.Email != "sam@example.org" || first.Source != SourceOIDC || first.PasswordHash != "" ||
		first.Role != "hr" || !first.Comments || first.ScopeTeam != nil || !first.CreatedAt.Equal(t0) {
		t.Errorf("first SaveSSOUser = %+v, want a single sign-on hr account without a password", first)
	}

	clock.Set(t0.Add(48 * time.Hour))
	second, err := s.SaveSSOUser(ctx, NewUser{Subject: "sub-sam", Email: "sam@example.org", Role: "lead", Scope: "comms"})
	if err != nil {
		t.Fatalf("second SaveSSOUser: %v", err)
	}
	if second.ID != first.ID || second.Role != "lead" || second.Comments || scopeKey(second.ScopeTeam) != "comms" ||
		!second.CreatedAt.Equal(t0) {
		t.Errorf("second SaveSSOUser = %+v, want the same account, now a lead of comms, created at %v", second, t0)
	}
	got, err := s.UserByEmail(ctx, "sam@example.org")
	if err != nil || got.Role != "lead" || got.Comments || scopeKey(got.ScopeTeam) != "comms" || got.Source != SourceOIDC {
		t.Errorf("UserByEmail after the second sign-in: %+v, %v", got, err)
	}

	third, err := s.SaveSSOUser(ctx, NewUser{Subject: "sub-sam", Email: "sam@example.org", Role: "admin"})
	if err != nil || third.ScopeTeamID != nil || third.ScopeTeam != nil {
		t.Errorf("third SaveSSOUser, as admin: %+v, %v; want the scope gone", third, err)
	}
	if got, err := s.UserByEmail(ctx, "sam@example.org"); err != nil || got.Role != "admin" || got.ScopeTeam != nil {
		t.Errorf("UserByEmail after the third sign-in: %+v, %v", got, err)
	}
	if _, err := s.SaveSSOUser(ctx, NewUser{Subject: "sub-sam", Email: "sam@example.org", Role: "lead", Scope: "nowhere"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("SaveSSOUser with an unknown scope team: err = %v, want ErrNotFound", err)
	}
	if users, err := s.Users(ctx); err != nil || len(users) != 1 {
		t.Errorf("after three sign-ins there are %d accounts (%v), want 1", len(users), err)
	}
	// Another person at the provider, now carrying Sam's email, cannot become Sam here; nor can a
	// provider answer without a subject.
	if _, err := s.SaveSSOUser(ctx, NewUser{Subject: "sub-other", Email: "sam@example.org", Role: "lead", Scope: "comms"}); !errors.Is(err, ErrConflict) {
		t.Errorf("SaveSSOUser with Sam's email and another subject: err = %v, want ErrConflict", err)
	}
	if _, err := s.SaveSSOUser(ctx, NewUser{Email: "nosub@example.org", Role: "hr"}); err == nil {
		t.Error("SaveSSOUser without a subject was accepted")
	}
	if got, err := s.UserByEmail(ctx, "sam@example.org"); err != nil || got.Role != "admin" || got.Subject != "sub-sam" {
		t.Errorf("Sam's account after the refused sign-on: %+v, %v", got, err)
	}
}

// testSSORefusesLocal: single sign-on cannot take over an account that signs in with a password.
func testSSORefusesLocal(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	importDepartment(t, s)
	createUser(t, s, "ana@example.org", "lead", "digital")
	if _, err := s.SaveSSOUser(ctx, NewUser{Subject: "sub-ana", Email: "ANA@example.org", Role: "admin"}); !errors.Is(err, ErrConflict) {
		t.Errorf("SaveSSOUser over a local account: err = %v, want ErrConflict", err)
	}
	got, err := s.UserByEmail(ctx, "ana@example.org")
	if err != nil || got.Source != SourceLocal || got.Role != "lead" || got.PasswordHash != passwordHash || scopeKey(got.ScopeTeam) != "digital" {
		t.Errorf("the local account after the refused sign-on: %+v, %v", got, err)
	}
}
