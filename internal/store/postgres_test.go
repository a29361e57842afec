package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for making schemas
)

// postgresEnv names the PostgreSQL database the tests may use: a URL whose role owns the database
// (each test makes and drops a schema of its own in it). .ci/run makes one and sets it.
const postgresEnv = "SKILLSURVEY_TEST_POSTGRES"

// postgresURL is the tests' PostgreSQL database. Without one the test is skipped, loudly, except in
// CI (CI=true), where it fails: the PostgreSQL suite must run there.
func postgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(postgresEnv)
	if u == "" {
		const how = "set " + postgresEnv + "=postgres://USER:PASSWORD@127.0.0.1:5432/DATABASE?sslmode=disable " +
			"(a role that owns the database; .ci/run makes one) to run them"
		if os.Getenv("CI") == "true" {
			t.Fatal("PostgreSQL tests cannot run in CI: " + how)
		}
		t.Skip("SKIPPED: the PostgreSQL tests did not run: " + how)
	}
	return u
}

// freshSchema makes an empty schema for one test, dropped when it ends, and returns the database
// URL with its search_path set to it: every table the store makes goes there.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := postgresURL(t)
	var b [8]byte
	rand.Read(b[:])
	name := "test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", postgresEnv, err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + name); err != nil {
		admin.Close()
		t.Fatalf("make schema %s in %s: %v", name, postgresEnv, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + name + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// openPostgresTestStore opens a store in a fresh schema of the tests' PostgreSQL database.
func openPostgresTestStore(t testing.TB, opts ...Option) *Store {
	t.Helper()
	return openStoreAt(t, freshSchema(t), opts...)
}

// openStoreAt opens a store on the database at url, closed when the test ends.
func openStoreAt(t testing.TB, url string, opts ...Option) *Store {
	t.Helper()
	opts = append([]Option{WithReassess(reassessForTests)}, opts...)
	s, err := Open(context.Background(), url, opts...)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return s
}

func TestStorePostgres(t *testing.T) {
	postgresURL(t)
	runSuite(t, openPostgresTestStore)
}

// TestOpenPostgresUnreachable: a PostgreSQL URL is taken as one (not as a file name), and the
// error of a server that does not answer names it without its password.
func TestOpenPostgresUnreachable(t *testing.T) {
	for _, u := range []string{
		"postgres://survey:secret-word@127.0.0.1:1/survey?sslmode=disable&connect_timeout=5",
		"postgresql://survey:secret-word@127.0.0.1:1/survey?sslmode=disable&connect_timeout=5",
	} {
		s, err := Open(context.Background(), u)
		if err == nil {
			s.Close()
			t.Fatalf("Open(%q) succeeded", u)
		}
		if strings.Contains(err.Error(), "secret-word") || !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("Open: err = %q, want it to name the server and not the password", err)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"skillsurvey.db": "skillsurvey.db",
		"postgres://survey:secret-word@db.internal:5432/survey?sslmode=require": "postgres://survey:xxxxx@db.internal:5432/survey?sslmode=require",
		"postgresql://survey@db.internal/survey":                                "postgresql://survey@db.internal/survey",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
