package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"skillsurvey/api"
	"skillsurvey/internal/example"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// TestReadmeCurl sends the submission the README shows to a service set up as `make run` sets it
// up, so the README's example keeps working as the shipped survey changes.
func TestReadmeCurl(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)curl -s -X POST http://127\.0\.0\.1:8080(/api/v1/waves/example/responses).*?-d '(.*?)'`).FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no curl submission to the example wave")
	}
	path, body := string(m[1]), m[2]
	if !json.Valid(body) {
		t.Fatalf("README's curl body is not valid JSON:\n%s", body)
	}

	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "readme.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	def, err := survey.Load("survey-definitions/digital-communications.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if done, err := example.Setup(ctx, st, def); err != nil || !done {
		t.Fatalf("example setup: done=%v err=%v", done, err)
	}
	srv := httptest.NewServer(api.New(api.Config{Store: st}))
	defer srv.Close()

	for _, want := range []int{http.StatusCreated, http.StatusOK} {
		resp, err := http.Post(srv.URL+path, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("README's curl: status %d, want %d: %s", resp.StatusCode, want, got)
		}
	}
}
