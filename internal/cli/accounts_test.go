package cli

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// accountsDB makes a database holding the good teams, and returns it with a function that runs a
// command against it ("user add" ... → "user add --database DB" ...).
func accountsDB(t *testing.T) (string, func(stdin string, words ...string) result) {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "test.db")
	runCLI(t, env{}, "import-teams", "--database", db, writeFile(t, dir, "teams.csv", goodTeams)).want(t, 0, nil, nil)
	return db, func(stdin string, words ...string) result {
		t.Helper()
		args := append([]string{}, words[:2]...)
		args = append(args, "--database", db)
		return runCLIInput(t, env{}, stdin, append(args, words[2:]...)...)
	}
}

// withStore opens the test's database for a look behind the command line.
func withStore(t *testing.T, db string, f func(ctx context.Context, st *store.Store)) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f(ctx, st)
}

var generatedLine = regexp.MustCompile(`(?m)^generated password, shown only this once \(only its hash is kept\): (\S+)$`)

func TestUserCommands(t *testing.T) {
	t.Parallel()
	db, cmd := accountsDB(t)

	r := cmd("", "user", "add", "--email", "Admin@Example.org", "--role", "admin")
	r.want(t, 0, []string{"added admin admin@example.org\n"}, nil)
	m := generatedLine.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no generated password line:\n%s", r.stdout)
	}
	generated := m[1]

	r = cmd("correct horse battery staple\n", "user", "add", "--email", "lead@example.org", "--role", "lead", "--scope", "comms", "--password-stdin")
	r.want(t, 0, []string{"added lead lead@example.org, scope comms\n"}, nil)
	if strings.Contains(r.stdout, "password") {
		t.Errorf("a given password is echoed or a new one generated:\n%s", r.stdout)
	}
	// A Windows line ending and a second line: only the first line, without \r, is the password.
	r = cmd("hr password, long enough\r\nsecond line\n", "user", "add", "--email", "hr@example.org", "--role", "hr", "--comments", "--password-stdin")
	r.want(t, 0, []string{"added hr hr@example.org, reads comments\n"}, nil)

	withStore(t, db, func(ctx context.Context, st *store.Store) {
		for email, password := range map[string]string{
			"admin@example.org": generated, "lead@example.org": "correct horse battery staple", "hr@example.org": "hr password, long enough",
		} {
			u, err := st.UserByEmail(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			if !access.PasswordMatches(u.PasswordHash, password) {
				t.Errorf("%s: the stored hash does not match the password", email)
			}
		}
	})

	cases := []struct {
		name     string
		stdin    string
		args     []string
		inStderr []string
	}{
		{"email with a newline", "", []string{"--email", "eve@example.org\nadmin@example.org", "--role", "admin"}, []string{"skillsurvey user: --email: must not contain spaces, line breaks"}},
		{"email of 300 characters", "", []string{"--email", strings.Repeat("e", 288) + "@example.org", "--role", "admin"}, []string{"--email: is longer than 254 characters"}},
		{"email without @", "", []string{"--email", "eve", "--role", "admin"}, []string{"--email: is not an email address"}},
		{"role root", "", []string{"--email", "eve@example.org", "--role", "root"}, []string{"--role: use one of admin, lead, hr"}},
		{"lead without a scope", "", []string{"--email", "eve@example.org", "--role", "lead"}, []string{"--scope: is required for a lead"}},
		{"hr with a scope", "", []string{"--email", "eve@example.org", "--role", "hr", "--scope", "comms"}, []string{"--scope: only a lead has a scope: hr sees every team"}},
		{"scope that is not a team", "", []string{"--email", "eve@example.org", "--role", "lead", "--scope", "nowhere"}, []string{"--scope: no team has this key"}},
		{"comments for an admin", "", []string{"--email", "eve@example.org", "--role", "admin", "--comments"}, []string{"--comments: only hr is granted comments"}},
		{"short password", "short\n", []string{"--email", "eve@example.org", "--role", "hr", "--password-stdin"}, []string{"--password-stdin: the password must be at least 12 characters long"}},
		{"huge password", strings.Repeat("p", 10000), []string{"--email", "eve@example.org", "--role", "hr", "--password-stdin"}, []string{"--password-stdin: the password must be at most 256 bytes long"}},
		{"empty standard input", "", []string{"--email", "eve@example.org", "--role", "hr", "--password-stdin"}, []string{"--password-stdin: standard input holds no password"}},
		{"an empty first line", "\nsecond line is not read\n", []string{"--email", "eve@example.org", "--role", "hr", "--password-stdin"}, []string{"standard input holds no password"}},
		{"the same email again", "", []string{"--email", "ADMIN@example.org", "--role", "hr"}, []string{`user "admin@example.org" already exists`}},
		{"every problem at once", "", []string{"--email", "x", "--role", "admin", "--scope", "comms", "--comments"}, []string{"--comments: ", "--email: ", "--scope: "}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := cmd(tc.stdin, append([]string{"user", "add"}, tc.args...)...)
			r.want(t, 1, nil, tc.inStderr)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}

	r = cmd("", "user", "list")
	r.want(t, 0, nil, nil)
	today := time.Now().UTC().Format(time.DateOnly)
	wantRows := []string{
		"EMAIL ROLE SCOPE SOURCE COMMENTS CREATED",
		"admin@example.org admin - local all " + today,
		"hr@example.org hr - local yes " + today,
		"lead@example.org lead comms local in scope " + today,
	}
	if got := fieldsOf(r.stdout); strings.Join(got, "\n") != strings.Join(wantRows, "\n") {
		t.Errorf("user list:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantRows, "\n"))
	}

	cmd("", "user", "remove", "LEAD@example.org").want(t, 0, []string{"removed lead@example.org; their sessions have ended\n"}, nil)
	cmd("", "user", "remove", "lead@example.org").want(t, 1, nil, []string{`user "lead@example.org": not found`})
	cmd("", "user", "remove", "").want(t, 1, nil, []string{"--email: is required"})

	r = cmd("", "audit", "list")
	r.want(t, 0, nil, nil)
	rows := fieldsOf(r.stdout)
	wantActions := []string{"user.remove lead@example.org", "user.add hr@example.org", "user.add lead@example.org", "user.add admin@example.org", "teams.import teams"}
	if len(rows) != len(wantActions)+1 {
		t.Fatalf("audit list shows %d rows, want %d:\n%s", len(rows)-1, len(wantActions), r.stdout)
	}
	for i, want := range wantActions {
		f := strings.Fields(rows[i+1])
		if f[1] != "cli" || f[2]+" "+f[3] != want || f[4] != "-" {
			t.Errorf("audit row %d = %q, want cli %s from no address", i, rows[i+1], want)
		}
	}
	for _, secret := range []string{generated, "correct horse", "hr password", "argon2id"} {
		if strings.Contains(r.stdout, secret) {
			t.Errorf("the audit log shows %q:\n%s", secret, r.stdout)
		}
	}
}

// fieldsOf turns a table's lines into space-separated fields, so column widths do not matter.
func fieldsOf(table string) []string {
	var rows []string
	for _, l := range strings.Split(strings.TrimSuffix(table, "\n"), "\n") {
		rows = append(rows, strings.Join(strings.Fields(l), " "))
	}
	return rows
}

func TestTokenCommands(t *testing.T) {
	t.Parallel()
	db, cmd := accountsDB(t)
	before := time.Now()

	r := cmd("", "token", "create", "--name", "hr-powerbi", "--role", "hr", "--comments")
	r.want(t, 0, []string{`created token "hr-powerbi": role hr, reads comments, expires `, "shown only this once"}, nil)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	secret := lines[len(lines)-1]
	if !regexp.MustCompile(`^ssv_[a-z2-7]{52}$`).MatchString(secret) {
		t.Fatalf("last line %q is not a token", secret)
	}
	if strings.Count(r.stdout, secret) != 1 {
		t.Errorf("the token is printed more than once:\n%s", r.stdout)
	}

	cmd("", "token", "create", "--name", "comms.lead_1", "--role", "lead", "--scope", "comms", "--expires", "12h").
		want(t, 0, []string{`created token "comms.lead_1": role lead, scope comms, expires `}, nil)
	cmd("", "token", "create", "--name", "admin-script", "--role", "admin", "--expires", "never").
		want(t, 0, []string{`created token "admin-script": role admin, never expires`}, nil)

	withStore(t, db, func(ctx context.Context, st *store.Store) {
		tok, err := st.TokenByHash(ctx, access.Hash(secret))
		if err != nil {
			t.Fatalf("the printed token is not the stored one: %v", err)
		}
		want := before.Add(90 * 24 * time.Hour)
		if tok.Name != "hr-powerbi" || tok.Role != "hr" || !tok.Comments || tok.ExpiresAt == nil ||
			tok.ExpiresAt.Before(want.Add(-time.Minute)) || tok.ExpiresAt.After(want.Add(time.Minute)) {
			t.Errorf("stored %+v, want hr with comments expiring in 90 days (%v)", tok, want)
		}
	})

	cases := []struct {
		name     string
		args     []string
		inStderr []string
	}{
		{"--expires 0d", []string{"--name", "t", "--role", "hr", "--expires", "0d"}, []string{"skillsurvey token: --expires: use 1h to 1826d (five years), or never"}},
		{"--expires -5d", []string{"--name", "t", "--role", "hr", "--expires", "-5d"}, []string{"--expires: use a number of days or hours"}},
		{"--expires 99999d", []string{"--name", "t", "--role", "hr", "--expires", "99999d"}, []string{"--expires: use 1h to 1826d"}},
		{"--expires 90x", []string{"--name", "t", "--role", "hr", "--expires", "90x"}, []string{"--expires: use a number of days or hours, such as 90d or 12h, or never"}},
		{"name with a space", []string{"--name", "hr powerbi", "--role", "hr"}, []string{"--name: use 1 to 100 lower-case letters"}},
		{"name climbing out of a folder", []string{"--name", "../admin", "--role", "hr"}, []string{"--name: use 1 to 100 lower-case letters"}},
		{"a token pasted as the name", []string{"--name", secret, "--role", "hr"}, []string{"--name: must not start with ssv_"}},
		{"role root", []string{"--name", "t", "--role", "root"}, []string{"--role: use one of admin, lead, hr"}},
		{"lead without a scope", []string{"--name", "t", "--role", "lead"}, []string{"--scope: is required for a lead"}},
		{"admin with a scope", []string{"--name", "t", "--role", "admin", "--scope", "comms"}, []string{"--scope: only a lead has a scope: an admin sees every team"}},
		{"scope that is not a team", []string{"--name", "t", "--role", "lead", "--scope", "nowhere"}, []string{"--scope: no team has this key"}},
		{"comments for a lead", []string{"--name", "t", "--role", "lead", "--scope", "comms", "--comments"}, []string{"--comments: only hr is granted comments"}},
		{"the same name again", []string{"--name", "hr-powerbi", "--role", "hr"}, []string{`token "hr-powerbi" already exists`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := cmd("", append([]string{"token", "create"}, tc.args...)...)
			r.want(t, 1, nil, tc.inStderr)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}

	cmd("", "token", "revoke", "comms.lead_1").want(t, 0, []string{`revoked token "comms.lead_1": programs using it are refused from now on`}, nil)
	cmd("", "token", "revoke", "comms.lead_1").want(t, 1, nil, []string{`token "comms.lead_1" is already revoked`})
	cmd("", "token", "revoke", "nothing").want(t, 1, nil, []string{`token "nothing": not found`})

	r = cmd("", "token", "list")
	r.want(t, 0, nil, nil)
	today := time.Now().UTC().Format(time.DateOnly)
	in90 := time.Now().UTC().Add(90 * 24 * time.Hour).Format(time.DateOnly)
	in12h := time.Now().UTC().Add(12 * time.Hour).Format(time.DateOnly)
	wantRows := []string{
		"NAME ROLE SCOPE COMMENTS EXPIRES LAST USED REVOKED",
		"admin-script admin - all never never no",
		"comms.lead_1 lead comms in scope " + in12h + " never " + today,
		"hr-powerbi hr - yes " + in90 + " never no",
	}
	if got := fieldsOf(r.stdout); strings.Join(got, "\n") != strings.Join(wantRows, "\n") {
		t.Errorf("token list:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantRows, "\n"))
	}

	r = cmd("", "audit", "list", "--limit", "2")
	r.want(t, 0, nil, []string{"showing the newest 2 of 5 events; use --limit for more"})
	rows := fieldsOf(r.stdout)
	if len(rows) != 3 || !strings.Contains(rows[1], " cli token.revoke comms.lead_1 ") || !strings.Contains(rows[2], " cli token.create admin-script ") {
		t.Errorf("audit list --limit 2:\n%s", r.stdout)
	}
	r = cmd("", "audit", "list")
	if strings.Contains(r.stdout, secret) || strings.Contains(r.stdout, strings.TrimPrefix(secret, "ssv_")) {
		t.Errorf("the audit log shows the token:\n%s", r.stdout)
	}
}

// TestChangesAreAudited: every command that changes state writes one event with actor cli, worded
// as through the API (package waves writes both), and never an invitation code.
func TestChangesAreAudited(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "test.db")
	common := []string{"--database", db, "--definitions", testDefinitions(t)}
	cmd := func(words ...string) result {
		t.Helper()
		return runCLI(t, env{}, append(append(append([]string{}, words[:2]...), common...), words[2:]...)...)
	}
	runCLI(t, env{}, "import-teams", "--database", db, writeFile(t, dir, "teams.csv", goodTeams)).want(t, 0, nil, nil)
	cmd("wave", "create", "--survey", "small", "--key", "w1", "--mode", "invite", "--threshold", "4").want(t, 0, nil, nil)
	cmd("wave", "open", "w1").want(t, 0, nil, nil)
	codes := cmd("invitations", "create", "--wave", "w1", "--team", "digital", "--count", "3")
	codes.want(t, 0, nil, nil)
	cmd("wave", "close", "w1").want(t, 0, nil, nil)
	// Refused changes write nothing.
	cmd("wave", "create", "--survey", "small", "--key", "w1").want(t, 1, nil, nil)
	cmd("wave", "open", "w1").want(t, 1, nil, nil)

	withStore(t, db, func(ctx context.Context, st *store.Store) {
		// A hostile value in the log must not reach the terminal as it is.
		if err := st.Audit(ctx, store.NewAuditEvent{Actor: "anonymous", Action: "sign-in.failed", Detail: "x\x1b[2J\ty\nz"}); err != nil {
			t.Fatal(err)
		}
	})

	r := runCLI(t, env{}, "audit", "list", "--database", db)
	r.want(t, 0, nil, nil)
	want := []string{
		"anonymous sign-in.failed - - x\\x1b[2J\\ty\\nz",
		"cli wave.close wave:w1 -",
		"cli invitations.create wave:w1 - team=digital count=3",
		"cli wave.open wave:w1 -",
		"cli wave.create wave:w1 - survey=small mode=invite threshold=4",
		"cli teams.import teams - teams=4 created=4 updated=0 renamed=0 retired=0",
	}
	rows := fieldsOf(r.stdout)
	if len(rows) != len(want)+1 {
		t.Fatalf("audit list:\n%s\nwant %d events", r.stdout, len(want))
	}
	at := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	for i, w := range want {
		at0, rest, _ := strings.Cut(rows[i+1], " ")
		if !at.MatchString(at0) || rest != w {
			t.Errorf("audit row %d = %q, want a time and %q", i, rows[i+1], w)
		}
	}
	for _, line := range strings.Split(codes.stdout, "\n")[1:] {
		if f := strings.Split(line, ","); len(f) == 3 && strings.Contains(r.stdout, f[2]) {
			t.Errorf("the audit log shows invitation code %s", f[2])
		}
	}
}
