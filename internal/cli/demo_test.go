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

// TestDemoCommand: demo builds the department into an empty database, says what it made, and
// refuses a database with data, or a size it cannot make, without writing anything.
func TestDemoCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	e := env{"SKILLSURVEY_DATABASE": db, "SKILLSURVEY_DEFINITIONS": shippedDefinitions}

	runCLI(t, e, "demo", "--responses", "0").want(t, 1, nil, []string{"skillsurvey demo: --responses 0: use 1 to"})
	assertNoFile(t, db)
	runCLI(t, e, "demo", "-h").want(t, 2, nil, []string{"Every wave is closed", "-seed"})

	start := time.Now()
	runCLI(t, e, "demo", "--responses", "200", "--seed", "5").want(t, 0, []string{
		"Built the demonstration department: 46 teams", "with 160, 160 and 200 synthetic responses; 6 focus areas.",
	}, nil)
	t.Logf("demo --responses 200 took %v", time.Since(start))
	runCLI(t, e, "demo").want(t, 1, nil, []string{
		"skillsurvey demo: the database already has teams or waves: the demonstration department goes only into an empty database",
	})
	withStore(t, db, func(ctx context.Context, st *store.Store) {
		ws, err := st.Waves(ctx)
		if err != nil || len(ws) != 3 {
			t.Fatalf("%d waves (%v), want 3: the refused run added some", len(ws), err)
		}
		if n, err := st.CountResponses(ctx, ws[0].ID); err != nil || n != 200 {
			t.Errorf("the current wave holds %d responses (%v), want 200", n, err)
		}
	})
}

var (
	demoSignIn   = regexp.MustCompile(`Sign in at http://127\.0\.0\.1:0/sign-in as demo-admin@example\.org with this password, shown only this once \(only its hash is kept\):\n  (\S+)\nThen see the dashboard at http://127\.0\.0\.1:0/dashboard\?wave=([a-z0-9-]+)\n`)
	serveRunning = regexp.MustCompile(`skillsurvey is running at http://127\.0\.0\.1:[0-9]+/`)
)

// serveUntilRunning runs the service on cfg until it listens, then stops it and returns what it
// printed.
func serveUntilRunning(t *testing.T, cfg Config) string {
	t.Helper()
	sv := launch(t, cfg)
	if err := sv.stop(); err != nil {
		t.Errorf("run = %v", err)
	}
	return sv.stdout.String()
}

// TestServeDemo: serve --demo on an empty database builds the department, makes an admin whose
// password it prints once, and names the dashboard; a second start on the same database adds
// nothing and prints no password.
func TestServeDemo(t *testing.T) {
	t.Parallel()
	cfg := Config{Database: filepath.Join(t.TempDir(), "demo.db"), Definitions: shippedDefinitions, Listen: "127.0.0.1:0", Demo: true}
	first := serveUntilRunning(t, cfg)
	if !strings.Contains(first, "Built the demonstration department: 46 teams") {
		t.Errorf("the first start does not say it built the department:\n%s", first)
	}
	m := demoSignIn.FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("the first start does not say how to sign in:\n%s", first)
	}
	password, wave := m[1], m[2]
	withStore(t, cfg.Database, func(ctx context.Context, st *store.Store) {
		u, err := st.UserByEmail(ctx, demoAdmin)
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != string(access.Admin) || !access.PasswordMatches(u.PasswordHash, password) {
			t.Errorf("the demo account is %s and its hash matches the printed password: %v", u.Role, access.PasswordMatches(u.PasswordHash, password))
		}
		ws, err := st.Waves(ctx)
		if err != nil || len(ws) != 3 || ws[0].Key != wave {
			t.Errorf("waves %v (%v), want three with the current one, %s, newest", ws, err, wave)
		}
	})

	second := serveUntilRunning(t, cfg)
	if strings.Contains(second, "password") || strings.Contains(second, "Built the") {
		t.Errorf("the second start built or printed a password again:\n%s", second)
	}
	if !strings.Contains(second, "--demo: the database already has teams or waves, so no demonstration was added") {
		t.Errorf("the second start does not say it left the database alone:\n%s", second)
	}
}
