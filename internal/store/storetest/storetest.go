// Package storetest gives tests a PostgreSQL database of their own: a fresh schema in the
// database named by SKILLSURVEY_TEST_POSTGRES, dropped when the test ends. Without that variable
// the test is skipped, loudly, except in CI (CI=true), where it fails.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for making schemas
)

// PostgresEnv names the PostgreSQL database the tests may use: a URL whose role owns the database
// (each test makes and drops a schema of its own in it). .ci/run makes one and sets it.
const PostgresEnv = "SKILLSURVEY_TEST_POSTGRES"

// PostgresURL is the tests' PostgreSQL database. Without one the test is skipped, loudly, except
// in CI (CI=true), where it fails: the PostgreSQL tests must run there.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(PostgresEnv)
	if u == "" {
		const how = "set " + PostgresEnv + "=postgres://USER:PASSWORD@127.0.0.1:5432/DATABASE?sslmode=disable " +
			"(a role that owns the database; .ci/run makes one) to run them"
		if os.Getenv("CI") == "true" {
			t.Fatal("PostgreSQL tests cannot run in CI: " + how)
		}
		t.Skip("SKIPPED: the PostgreSQL tests did not run: " + how)
	}
	return u
}

// FreshSchema makes an empty schema for one test, dropped when it ends, and returns the database
// URL with its search_path set to it: every table a store makes goes there.
func FreshSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	var b [8]byte
	rand.Read(b[:])
	name := "test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresEnv, err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + name); err != nil {
		admin.Close()
		t.Fatalf("make schema %s in %s: %v", name, PostgresEnv, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + name + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
