package access

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/store"
)

var accountsT0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// accountsEnv is a real SQLite store with a small hierarchy (department > comms > digital) and a
// retired team "old", and the rules over it at a fixed time.
func accountsEnv(t *testing.T) (*Accounts, *store.Store) {
	t.Helper()
	ctx := context.Background()
	now := func() time.Time { return accountsT0 }
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "test.db"), store.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	teams := []hierarchy.Team{
		{Line: 2, Key: "department", Name: "The department"},
		{Line: 3, Key: "comms", Name: "Communications", Parent: "department"},
		{Line: 4, Key: "digital", Name: "Digital", Parent: "comms"},
		{Line: 5, Key: "old", Name: "Old team", Parent: "department"},
	}
	if _, err := st.ImportTeams(ctx, teams); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportTeams(ctx, teams[:3]); err != nil { // retires "old"
		t.Fatal(err)
	}
	return NewAccounts(st, now), st
}

var cliActor = Actor{Name: CommandLineActor}

func auditEvents(t *testing.T, st *store.Store) []store.AuditEvent {
	t.Helper()
	events, _, err := st.AuditEvents(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// problemFields returns the sorted fields of a Problems error, or fails.
func problemFields(t *testing.T, err error) []string {
	t.Helper()
	var p Problems
	if !errors.As(err, &p) {
		t.Fatalf("err = %v (%T), want Problems", err, err)
	}
	var fields []string
	for f, msg := range p {
		fields = append(fields, f)
		if msg == "" {
			t.Errorf("field %s has an empty message", f)
		}
		if len(msg) > 200 {
			t.Errorf("field %s: a message of %d bytes echoes the input", f, len(msg))
		}
	}
	slices.Sort(fields)
	return fields
}

func TestAddPersonRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, st := accountsEnv(t)
	long := strings.Repeat("a", 300) + "@example.org"
	cases := []struct {
		name string
		np   NewPerson
		want []string // fields with a problem; nil: accepted
	}{
		{"admin", NewPerson{Email: "admin@example.org", Role: Admin}, nil},
		{"lead with a scope", NewPerson{Email: "lead@example.org", Role: Lead, Scope: "comms"}, nil},
		{"lead of a leaf team", NewPerson{Email: "lead2@example.org", Role: Lead, Scope: "digital"}, nil},
		{"hr with comments", NewPerson{Email: "hr@example.org", Role: HR, Comments: true}, nil},
		{"hr with a given password", NewPerson{Email: "hr2@example.org", Role: HR, Password: "correct horse battery"}, nil},
		{"email in capitals with spaces around", NewPerson{Email: "  Jane.Doe+HR@Example.ORG \n", Role: HR}, nil},
		{"email with a one-label domain", NewPerson{Email: "root@localhost", Role: Admin}, nil},

		{"no email", NewPerson{Role: Admin}, []string{"email"}},
		{"email without @", NewPerson{Email: "jane.example.org", Role: Admin}, []string{"email"}},
		{"email with two @", NewPerson{Email: "jane@doe@example.org", Role: Admin}, []string{"email"}},
		{"email with nothing before @", NewPerson{Email: "@example.org", Role: Admin}, []string{"email"}},
		{"email with nothing after @", NewPerson{Email: "jane@", Role: Admin}, []string{"email"}},
		{"email with an empty domain label", NewPerson{Email: "jane@example..org", Role: Admin}, []string{"email"}},
		{"email with a trailing dot", NewPerson{Email: "jane@example.org.", Role: Admin}, []string{"email"}},
		{"email with a newline inside", NewPerson{Email: "jane@example.org\nBcc: eve@example.org", Role: Admin}, []string{"email"}},
		{"email with a carriage return", NewPerson{Email: "jane\r@example.org", Role: Admin}, []string{"email"}},
		{"email with a NUL", NewPerson{Email: "jane\x00@example.org", Role: Admin}, []string{"email"}},
		{"email with a terminal escape", NewPerson{Email: "jane\x1b[2J@example.org", Role: Admin}, []string{"email"}},
		{"email with a space", NewPerson{Email: "jane doe@example.org", Role: Admin}, []string{"email"}},
		{"email with a display name", NewPerson{Email: "Jane <jane@example.org>", Role: Admin}, []string{"email"}},
		{"email of 300 characters", NewPerson{Email: long, Role: Admin}, []string{"email"}},
		{"email with a local part of 65", NewPerson{Email: strings.Repeat("j", 65) + "@example.org", Role: Admin}, []string{"email"}},
		{"email not UTF-8", NewPerson{Email: "jane\xff@example.org", Role: Admin}, []string{"email"}},
		{"role root", NewPerson{Email: "r1@example.org", Role: "root"}, []string{"role"}},
		{"no role", NewPerson{Email: "r2@example.org"}, []string{"role"}},
		{"role in capitals", NewPerson{Email: "r3@example.org", Role: "Admin"}, []string{"role"}},
		{"role with a space", NewPerson{Email: "r4@example.org", Role: "admin "}, []string{"role"}},
		{"lead without a scope", NewPerson{Email: "s1@example.org", Role: Lead}, []string{"scope"}},
		{"admin with a scope", NewPerson{Email: "s2@example.org", Role: Admin, Scope: "comms"}, []string{"scope"}},
		{"hr with a scope", NewPerson{Email: "s3@example.org", Role: HR, Scope: "comms"}, []string{"scope"}},
		{"scope that is not a team", NewPerson{Email: "s4@example.org", Role: Lead, Scope: "nowhere"}, []string{"scope"}},
		{"scope of a retired team", NewPerson{Email: "s5@example.org", Role: Lead, Scope: "old"}, []string{"scope"}},
		{"scope climbing out of a folder", NewPerson{Email: "s6@example.org", Role: Lead, Scope: "../comms"}, []string{"scope"}},
		{"scope of 1000 characters", NewPerson{Email: "s7@example.org", Role: Lead, Scope: strings.Repeat("c", 1000)}, []string{"scope"}},
		{"scope that is SQL", NewPerson{Email: "s8@example.org", Role: Lead, Scope: "comms' OR '1'='1"}, []string{"scope"}},
		{"comments for an admin", NewPerson{Email: "c1@example.org", Role: Admin, Comments: true}, []string{"comments"}},
		{"comments for a lead", NewPerson{Email: "c2@example.org", Role: Lead, Scope: "comms", Comments: true}, []string{"comments"}},
		{"short password", NewPerson{Email: "p1@example.org", Role: HR, Password: "short"}, []string{"password"}},
		{"password of 257 bytes", NewPerson{Email: "p2@example.org", Role: HR, Password: strings.Repeat("p", 257)}, []string{"password"}},
		{"password not UTF-8", NewPerson{Email: "p3@example.org", Role: HR, Password: "long enough \xff\xfe\xfd"}, []string{"password"}},
		{"unknown role with an unknown scope", NewPerson{Email: "x@example.org", Role: "root", Scope: "nowhere"}, []string{"role", "scope"}},
		{"every problem at once", NewPerson{Email: "no", Role: Admin, Scope: "comms", Comments: true, Password: "x"},
			[]string{"comments", "email", "password", "scope"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(auditEvents(t, st))
			u, generated, err := a.AddPerson(ctx, cliActor, tc.np)
			if tc.want != nil {
				if got := problemFields(t, err); !reflect.DeepEqual(got, tc.want) {
					t.Errorf("problems on %v, want %v: %v", got, tc.want, err)
				}
				if n := len(auditEvents(t, st)); n != before {
					t.Errorf("a refused account wrote %d audit events", n-before)
				}
				return
			}
			if err != nil {
				t.Fatalf("AddPerson: %v", err)
			}
			stored, err := st.UserByEmail(ctx, tc.np.Email)
			if err != nil {
				t.Fatalf("UserByEmail: %v", err)
			}
			if stored.Email != strings.ToLower(strings.TrimSpace(tc.np.Email)) || stored.Role != string(tc.np.Role) ||
				stored.Comments != tc.np.Comments || stored.Source != store.SourceLocal || stored.ID != u.ID {
				t.Errorf("stored %+v for %+v", stored, tc.np)
			}
			if scope := scopeKey(stored.ScopeTeam); scope != tc.np.Scope {
				t.Errorf("scope %q, want %q", scope, tc.np.Scope)
			}
			password := tc.np.Password
			if password == "" {
				password = generated
				if CheckPasswordRules(generated) != nil {
					t.Errorf("generated password %q breaks the rules", generated)
				}
			} else if generated != "" {
				t.Errorf("a password was generated although one was given")
			}
			if !PasswordMatches(stored.PasswordHash, password) {
				t.Errorf("the stored hash does not match the password")
			}
			events := auditEvents(t, st)
			if len(events) != before+1 {
				t.Fatalf("%d audit events written, want 1", len(events)-before)
			}
			e := events[0]
			if e.Actor != "cli" || e.Action != ActionUserAdd || e.Target != stored.Email || !strings.HasPrefix(e.Detail, "role "+string(tc.np.Role)) {
				t.Errorf("audit event %+v", e)
			}
		})
	}
}

func scopeKey(t *store.Team) string {
	if t == nil {
		return ""
	}
	return t.Key
}

func TestAddPersonConflictAndActor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, st := accountsEnv(t)
	if _, _, err := a.AddPerson(ctx, cliActor, NewPerson{Email: "jane@example.org", Role: Admin}); err != nil {
		t.Fatal(err)
	}
	_, _, err := a.AddPerson(ctx, cliActor, NewPerson{Email: "JANE@example.org", Role: HR})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("the same email in capitals: err = %v, want ErrConflict", err)
	}
	if _, _, err := a.AddPerson(ctx, Actor{Name: " "}, NewPerson{Email: "eve@example.org", Role: Admin}); err == nil {
		t.Error("AddPerson without an actor: no error")
	}
	if _, err := st.UserByEmail(ctx, "eve@example.org"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an account was made without an actor: %v", err)
	}
	if n := len(auditEvents(t, st)); n != 1 {
		t.Errorf("%d audit events, want only the first add", n)
	}
	// Through the API, the actor is the signed-in admin and their address.
	admin := Principal{Kind: Person, Name: "jane@example.org", Role: Admin}
	if _, _, err := a.AddPerson(ctx, ActorOf(admin, "192.0.2.7"), NewPerson{Email: "bob@example.org", Role: HR}); err != nil {
		t.Fatal(err)
	}
	if e := auditEvents(t, st)[0]; e.Actor != "user:jane@example.org" || e.Address != "192.0.2.7" || e.Target != "bob@example.org" {
		t.Errorf("audit event %+v, want the admin and their address", e)
	}
}

// TestSecretsStayOutOfTheAuditLog: the generated password, the given one, the token and their
// hashes appear in no column of any audit row.
func TestSecretsStayOutOfTheAuditLog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, st := accountsEnv(t)
	u, generated, err := a.AddPerson(ctx, cliActor, NewPerson{Email: "jane@example.org", Role: Admin})
	if err != nil || generated == "" {
		t.Fatalf("AddPerson = %q, %v", generated, err)
	}
	given := "a given password, long enough"
	u2, _, err := a.AddPerson(ctx, cliActor, NewPerson{Email: "bob@example.org", Role: HR, Password: given})
	if err != nil {
		t.Fatal(err)
	}
	tok, token, err := a.CreateToken(ctx, cliActor, TokenRequest{Name: "powerbi", Role: HR, Expires: 90 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.RevokeToken(ctx, cliActor, "powerbi"); err != nil {
		t.Fatal(err)
	}
	if err := a.RemovePerson(ctx, cliActor, "bob@example.org"); err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{
		"generated password": generated, "its hash": u.PasswordHash,
		"given password": given, "its hash too": u2.PasswordHash,
		"token": token, "token without prefix": strings.TrimPrefix(token, TokenPrefix), "token hash": tok.Hash,
	}
	events := auditEvents(t, st)
	if len(events) != 5 {
		t.Errorf("%d audit events, want 5 (two adds, create, revoke, remove)", len(events))
	}
	for _, e := range events {
		row := strings.Join([]string{e.Actor, e.Action, e.Target, e.Detail, e.Address}, "|")
		for what, secret := range secrets {
			if secret == "" {
				t.Fatalf("%s is empty", what)
			}
			if strings.Contains(row, secret) {
				t.Errorf("the audit row %q holds the %s", row, what)
			}
		}
	}
}

func TestRemovePerson(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, st := accountsEnv(t)
	u, _, err := a.AddPerson(ctx, cliActor, NewPerson{Email: "jane@example.org", Role: Admin})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSession(ctx, store.Session{IDHash: Hash("cookie"), UserID: u.ID, CSRFToken: "x",
		CreatedAt: accountsT0, LastSeenAt: accountsT0, ExpiresAt: accountsT0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	before := len(auditEvents(t, st))
	cases := []struct {
		name  string
		actor Actor
		email string
		want  func(error) bool
	}{
		{"no email", cliActor, " ", func(err error) bool { var p Problems; return errors.As(err, &p) && p["email"] != "" }},
		{"unknown email", cliActor, "nobody@example.org", func(err error) bool { return errors.Is(err, store.ErrNotFound) }},
		{"hostile email", cliActor, "jane@example.org\n' OR 1=1 --", func(err error) bool { return errors.Is(err, store.ErrNotFound) }},
		{"no actor", Actor{}, "jane@example.org", func(err error) bool { return err != nil }},
		{"an admin removing themselves", ActorOf(Principal{Kind: Person, Name: "jane@example.org", Role: Admin}, "192.0.2.1"),
			"Jane@Example.org", func(err error) bool { return errors.Is(err, store.ErrConflict) }},
	}
	for _, tc := range cases {
		if err := a.RemovePerson(ctx, tc.actor, tc.email); !tc.want(err) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
	if n := len(auditEvents(t, st)); n != before {
		t.Errorf("refused removals wrote %d audit events", n-before)
	}
	if err := a.RemovePerson(ctx, cliActor, " JANE@example.org"); err != nil {
		t.Fatalf("RemovePerson: %v", err)
	}
	if _, err := st.UserByEmail(ctx, "jane@example.org"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the account is still there: %v", err)
	}
	if _, err := st.SessionByHash(ctx, Hash("cookie")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the removed person's session lives on: %v", err)
	}
	if e := auditEvents(t, st)[0]; e.Action != ActionUserRemove || e.Target != "jane@example.org" || e.Actor != "cli" {
		t.Errorf("audit event %+v", e)
	}
	people, err := a.People(ctx)
	if err != nil || len(people) != 0 {
		t.Errorf("People = %v, %v; want none", people, err)
	}
}

func TestCreateTokenRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, st := accountsEnv(t)
	day := 24 * time.Hour
	cases := []struct {
		name string
		tr   TokenRequest
		want []string
	}{
		{"hr for 90 days", TokenRequest{Name: "hr-powerbi", Role: HR, Expires: 90 * day}, nil},
		{"hr with comments, never expiring", TokenRequest{Name: "hr.comments_1", Role: HR, Comments: true}, nil},
		{"lead with a scope", TokenRequest{Name: "comms-lead", Role: Lead, Scope: "comms", Expires: time.Hour}, nil},
		{"admin for five years", TokenRequest{Name: "9admin", Role: Admin, Expires: MaxExpiry}, nil},
		{"name of 100 characters", TokenRequest{Name: strings.Repeat("n", 100), Role: HR}, nil},

		{"no name", TokenRequest{Role: HR}, []string{"name"}},
		{"name with a space", TokenRequest{Name: "hr powerbi", Role: HR}, []string{"name"}},
		{"name climbing out of a folder", TokenRequest{Name: "../admin", Role: HR}, []string{"name"}},
		{"name of two dots", TokenRequest{Name: "..", Role: HR}, []string{"name"}},
		{"name starting with a dot", TokenRequest{Name: ".hidden", Role: HR}, []string{"name"}},
		{"name with a slash", TokenRequest{Name: "hr/powerbi", Role: HR}, []string{"name"}},
		{"name in capitals", TokenRequest{Name: "PowerBI", Role: HR}, []string{"name"}},
		{"name with a newline", TokenRequest{Name: "hr\nadmin", Role: HR}, []string{"name"}},
		{"name of 101 characters", TokenRequest{Name: strings.Repeat("n", 101), Role: HR}, []string{"name"}},
		{"name that looks like a token", TokenRequest{Name: "ssv_" + strings.Repeat("a", 52), Role: HR}, []string{"name"}},
		{"role root", TokenRequest{Name: "t1", Role: "root"}, []string{"role"}},
		{"lead without a scope", TokenRequest{Name: "t2", Role: Lead}, []string{"scope"}},
		{"hr with a scope", TokenRequest{Name: "t3", Role: HR, Scope: "comms"}, []string{"scope"}},
		{"scope that is not a team", TokenRequest{Name: "t4", Role: Lead, Scope: "nowhere"}, []string{"scope"}},
		{"scope of a retired team", TokenRequest{Name: "t5", Role: Lead, Scope: "old"}, []string{"scope"}},
		{"comments for an admin", TokenRequest{Name: "t6", Role: Admin, Comments: true}, []string{"comments"}},
		{"negative life", TokenRequest{Name: "t7", Role: HR, Expires: -5 * day}, []string{"expires"}},
		{"life of a minute", TokenRequest{Name: "t8", Role: HR, Expires: time.Minute}, []string{"expires"}},
		{"life over five years", TokenRequest{Name: "t9", Role: HR, Expires: MaxExpiry + time.Hour}, []string{"expires"}},
		{"every problem at once", TokenRequest{Name: "../x", Role: Admin, Scope: "comms", Comments: true, Expires: -1},
			[]string{"comments", "expires", "name", "scope"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(auditEvents(t, st))
			tok, token, err := a.CreateToken(ctx, cliActor, tc.tr)
			if tc.want != nil {
				if got := problemFields(t, err); !reflect.DeepEqual(got, tc.want) {
					t.Errorf("problems on %v, want %v: %v", got, tc.want, err)
				}
				if n := len(auditEvents(t, st)); n != before {
					t.Errorf("a refused token wrote %d audit events", n-before)
				}
				return
			}
			if err != nil {
				t.Fatalf("CreateToken: %v", err)
			}
			if !strings.HasPrefix(token, TokenPrefix) || len(token) < 50 {
				t.Errorf("token %q: want %s and 256 random bits", token, TokenPrefix)
			}
			stored, err := st.TokenByHash(ctx, Hash(token))
			if err != nil {
				t.Fatalf("the token's hash is not stored: %v", err)
			}
			if stored.ID != tok.ID || stored.Name != tc.tr.Name || stored.Role != string(tc.tr.Role) ||
				stored.Comments != tc.tr.Comments || scopeKey(stored.ScopeTeam) != tc.tr.Scope || stored.RevokedAt != nil {
				t.Errorf("stored %+v for %+v", stored, tc.tr)
			}
			switch {
			case tc.tr.Expires == 0 && stored.ExpiresAt != nil:
				t.Errorf("a token that never expires expires at %v", stored.ExpiresAt)
			case tc.tr.Expires != 0 && (stored.ExpiresAt == nil || !stored.ExpiresAt.Equal(accountsT0.Add(tc.tr.Expires))):
				t.Errorf("expires at %v, want %v", stored.ExpiresAt, accountsT0.Add(tc.tr.Expires))
			}
			e := auditEvents(t, st)[0]
			if e.Actor != "cli" || e.Action != ActionTokenCreate || e.Target != tc.tr.Name || !strings.HasPrefix(e.Detail, "role "+string(tc.tr.Role)) {
				t.Errorf("audit event %+v", e)
			}
		})
	}
	t.Run("the same name again", func(t *testing.T) {
		if _, _, err := a.CreateToken(ctx, cliActor, TokenRequest{Name: "hr-powerbi", Role: Admin}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("err = %v, want ErrConflict", err)
		}
	})
	t.Run("listed in name order", func(t *testing.T) {
		toks, err := a.Tokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tok := range toks {
			names = append(names, tok.Name)
		}
		if !slices.IsSorted(names) || len(names) != 5 {
			t.Errorf("Tokens = %v", names)
		}
	})
}

func TestRevokeToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, st := accountsEnv(t)
	_, token, err := a.CreateToken(ctx, cliActor, TokenRequest{Name: "powerbi", Role: HR})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.RevokeToken(ctx, cliActor, ""); problemFields(t, err)[0] != "name" {
		t.Errorf("no name: err = %v", err)
	}
	if err := a.RevokeToken(ctx, cliActor, "nothing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown name: err = %v, want ErrNotFound", err)
	}
	if err := a.RevokeToken(ctx, Actor{}, "powerbi"); err == nil {
		t.Error("no actor: no error")
	}
	admin := ActorOf(Principal{Kind: Person, Name: "jane@example.org", Role: Admin}, "192.0.2.9")
	if err := a.RevokeToken(ctx, admin, "powerbi"); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	stored, err := st.TokenByHash(ctx, Hash(token))
	if err != nil || stored.RevokedAt == nil || !stored.RevokedAt.Equal(accountsT0) {
		t.Errorf("after revoking: %+v, %v; want revoked at %v", stored, err, accountsT0)
	}
	if err := a.RevokeToken(ctx, cliActor, "powerbi"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("revoked twice: err = %v, want ErrConflict", err)
	}
	events := auditEvents(t, st)
	if len(events) != 2 || events[0].Action != ActionTokenRevoke || events[0].Target != "powerbi" ||
		events[0].Actor != "user:jane@example.org" || events[0].Address != "192.0.2.9" {
		t.Errorf("audit events %+v, want the create and one revoke", events)
	}
}

func TestParseExpiry(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	good := map[string]time.Duration{
		"never": 0, "90d": 90 * day, "12h": 12 * time.Hour, "1h": time.Hour, "1d": day,
		"1826d": MaxExpiry, "43824h": MaxExpiry, "0090d": 90 * day,
	}
	for in, want := range good {
		if got, err := ParseExpiry(in); err != nil || got != want {
			t.Errorf("ParseExpiry(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	bad := []string{"0d", "0h", "-5d", "99999d", "1827d", "43825h", "90x", "90", "d", "", "+5d", " 90d", "90d ",
		"90D", "1.5d", "90m", "Never", "never\n", "9999999999999999999999d", "5y", strings.Repeat("9", 10000) + "d"}
	for _, in := range bad {
		got, err := ParseExpiry(in)
		var p Problems
		if !errors.As(err, &p) || p["expires"] == "" || len(p) != 1 || got != 0 {
			t.Errorf("ParseExpiry(%.20q) = %v, %v; want a problem on expires", in, got, err)
		}
	}
}

func TestProblemsError(t *testing.T) {
	t.Parallel()
	p := Problems{"role": "use one of admin, lead, hr", "email": "is required"}
	if got, want := p.Error(), "email: is required; role: use one of admin, lead, hr"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !reflect.DeepEqual(p.Fields(), map[string]string(p)) {
		t.Errorf("Fields() = %v", p.Fields())
	}
}
