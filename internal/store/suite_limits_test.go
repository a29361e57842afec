package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"skillsurvey/internal/hierarchy"
)

// The caps on waves, teams, users and tokens are lowered with withLimits: the rule is the same at 3
// as at 100,000, and reaching the real one would take minutes of inserts.

// checkLimit checks that err is the limit's conflict, with its message.
func checkLimit(t *testing.T, what string, err error, message string) {
	t.Helper()
	if !errors.Is(err, ErrLimit) || !errors.Is(err, ErrConflict) {
		t.Fatalf("%s: err = %v, want ErrLimit, which is an ErrConflict", what, err)
	}
	if !strings.Contains(err.Error(), message) {
		t.Errorf("%s: err = %q, want it to say %q", what, err, message)
	}
}

func testWaveLimit(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t, withLimits(func(l *limits) { l.waves = 2 }))
	def := smallDefinition(t)
	createWave(t, s, def, "first", ModeOpen)
	createWave(t, s, def, "second", ModeInvite)
	for _, key := range []string{"third", "first"} {
		_, err := s.CreateWave(ctx, def, NewWave{Key: key, Title: "One too many", Mode: ModeOpen, Threshold: 5})
		checkLimit(t, "wave "+key, err, "there are already 2 waves, the most a service keeps")
	}
	if ws, err := s.Waves(ctx); err != nil || len(ws) != 2 {
		t.Errorf("Waves = %d waves, %v; want the 2 created before the limit", len(ws), err)
	}
}

func testTeamLimit(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t, withLimits(func(l *limits) { l.teams = 8 }))
	importDepartment(t, s) // 7 teams
	count := func(want int) {
		t.Helper()
		teams, err := s.Teams(ctx, true)
		if err != nil || len(teams) != want {
			t.Fatalf("Teams = %d teams, %v; want %d", len(teams), err, want)
		}
	}
	newTeam := func(key string) hierarchy.Team { return hierarchy.Team{Key: key, Name: key, Parent: "dept"} }
	renamed := make([]hierarchy.Team, 0, 7)
	for _, tm := range department() {
		tm.Key = "new-" + tm.Key
		if tm.Parent != "" {
			tm.Parent = "new-" + tm.Parent
		}
		renamed = append(renamed, tm)
	}

	refused := []struct {
		name  string
		teams []hierarchy.Team
		want  string
	}{
		{"two new teams", append(department(), newTeam("one"), newTeam("two")),
			"the import would make 9 teams, retired ones included, more than the 8 a service keeps"},
		// Leaving every team out would retire them all, but retired teams are kept, so they count.
		{"every key new", renamed,
			"the import would make 14 teams, retired ones included, more than the 8 a service keeps"},
	}
	for _, tc := range refused {
		_, err := s.ImportTeams(ctx, tc.teams)
		checkLimit(t, tc.name, err, tc.want)
		count(7)
	}
	if active, err := s.Teams(ctx, false); err != nil || len(active) != 7 {
		t.Errorf("active teams after refused imports = %d, %v; want all 7, none retired", len(active), err)
	}

	// Up to the limit, and re-importing at it, is fine.
	if _, err := s.ImportTeams(ctx, append(department(), newTeam("one"))); err != nil {
		t.Fatalf("an import making 8 teams: %v", err)
	}
	if _, err := s.ImportTeams(ctx, department()); err != nil {
		t.Fatalf("re-import at the limit, retiring one: %v", err)
	}
	count(8)
}

func testUserLimit(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t, withLimits(func(l *limits) { l.users = 2 }))
	createUser(t, s, "ana@example.org", "admin", "")
	if _, err := s.SaveSSOUser(ctx, NewUser{Subject: "sub-sam", Email: "sam@example.org", Role: "hr"}); err != nil {
		t.Fatalf("SaveSSOUser: %v", err)
	}
	const message = "there are already 2 users, the most a service keeps"
	_, err := s.CreateUser(ctx, NewUser{Email: "bo@example.org", PasswordHash: passwordHash, Role: "hr"})
	checkLimit(t, "CreateUser", err, message)
	_, err = s.SaveSSOUser(ctx, NewUser{Subject: "sub-new", Email: "new@example.org", Role: "hr"})
	checkLimit(t, "SaveSSOUser of a new person", err, message)

	// A known person still signs in, and removing one account makes room for another.
	if _, err := s.SaveSSOUser(ctx, NewUser{Subject: "sub-sam", Email: "sam@example.org", Role: "admin"}); err != nil {
		t.Errorf("SaveSSOUser of a known person at the limit: %v", err)
	}
	if err := s.RemoveUser(ctx, "ana@example.org"); err != nil {
		t.Fatal(err)
	}
	createUser(t, s, "bo@example.org", "hr", "")
	if us, err := s.Users(ctx); err != nil || len(us) != 2 {
		t.Errorf("Users = %d users, %v; want 2", len(us), err)
	}
}

func testTokenLimit(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t, withLimits(func(l *limits) { l.tokens = 2 }))
	createToken(t, s, "first", "admin", "")
	createToken(t, s, "second", "hr", "")
	if _, err := s.RevokeToken(ctx, "first", t0); err != nil {
		t.Fatal(err)
	}
	// A revoked token is kept, so it still counts.
	_, err := s.CreateToken(ctx, NewToken{Name: "third", Hash: sha("ssv_third"), Role: "hr"})
	checkLimit(t, "CreateToken", err, "there are already 2 tokens, revoked ones included, the most a service keeps")
	if toks, err := s.Tokens(ctx); err != nil || len(toks) != 2 {
		t.Errorf("Tokens = %d tokens, %v; want 2", len(toks), err)
	}
}
