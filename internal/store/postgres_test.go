package store

import (
	"context"
	"strings"
	"testing"

	"skillsurvey/internal/store/storetest"
)

// openPostgresTestStore opens a store in a fresh schema of the tests' PostgreSQL database.
func openPostgresTestStore(t testing.TB, opts ...Option) *Store {
	t.Helper()
	return openStoreAt(t, storetest.FreshSchema(t), opts...)
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
	storetest.PostgresURL(t)
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
