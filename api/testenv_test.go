package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/metrics"
	"skillsurvey/internal/store"
	"skillsurvey/internal/store/storetest"
	"skillsurvey/internal/survey"
)

// testNow is the fixed "now" of every test environment: responses are dated testDay.
var testNow = time.Date(2026, time.March, 10, 9, 30, 0, 0, time.UTC)

const testDay = "2026-03-10"

// The waves of every test environment.
const (
	waveOpen      = "open"      // open mode, open now
	waveScheduled = "scheduled" // opens in a week
	waveClosed    = "closed"    // opened two days ago, closed yesterday
	waveInvite    = "invite"    // invite mode, open now, with codes for team "campaigns"
)

var allWaves = []string{waveOpen, waveScheduled, waveClosed, waveInvite}

// The hierarchy: dept → comms (digital-engagement, campaigns) and policy (policy-unit, and
// old-team, retired by a second import).
var firstImport = []hierarchy.Team{
	{Line: 1, Key: "dept", Name: "Department", Headcount: intp(300)},
	{Line: 2, Key: "comms", Name: "Communications directorate", Parent: "dept"},
	{Line: 3, Key: "policy", Name: "Policy directorate", Parent: "dept"},
	{Line: 4, Key: "digital-engagement", Name: "Digital engagement", Parent: "comms", Headcount: intp(12)},
	{Line: 5, Key: "campaigns", Name: "Campaigns", Parent: "comms", Headcount: intp(8)},
	{Line: 6, Key: "policy-unit", Name: "Policy unit", Parent: "policy"},
	{Line: 7, Key: "old-team", Name: "Old team", Parent: "policy"},
}

func intp(n int) *int { return &n }

// testClock is a settable clock shared by the store and the router.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// testEnv is a real service over a fresh SQLite file, reached through real HTTP.
type testEnv struct {
	t testing.TB
	// database is where store keeps its data: a SQLite file or a PostgreSQL URL.
	database string
	store    *store.Store
	// faults put the store's writer in the states of a full disk or a read-only file (faults_test.go).
	faults *store.Faults
	dbPath string // the SQLite file, "" on PostgreSQL
	// metrics are the service's metrics, which the router never serves (metrics_test.go).
	metrics *metrics.Metrics
	def     *survey.Definition
	clock   *testClock
	srv     *httptest.Server
	// client validates every answer under /api/v1 against the OpenAPI document (openapi_test.go).
	client *http.Client
	// served and validated count the answers under /api/v1 the service gave and the client
	// validated: at the end they must be equal, so no test reaches the service around the client.
	served, validated atomic.Int64
	waves             map[string]store.Wave
	// codes are unused invitation codes of the invite wave, all for team "campaigns".
	codes []string
	// as holds the credentials of each kind of caller (access_env_test.go); requests that name no
	// caller go as the admin's API token.
	as map[string]http.Header
}

// testDatabase is a new, empty database for one test: a SQLite file, or, under a test whose
// name ends in OnPostgres (postgres_test.go), a fresh schema in the tests' PostgreSQL database.
func testDatabase(t testing.TB) string {
	if top, _, _ := strings.Cut(t.Name(), "/"); strings.HasSuffix(top, "OnPostgres") {
		return storetest.FreshSchema(t)
	}
	return filepath.Join(t.TempDir(), "survey.db")
}

// newTestEnv builds an environment whose logs are thrown away.
func newTestEnv(t testing.TB) *testEnv { return newTestEnvLogging(t, io.Discard) }

// newTestEnvLogging builds an environment whose request log goes to w as JSON lines.
func newTestEnvLogging(t testing.TB, w io.Writer) *testEnv {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{}
	clock.Set(testNow.Add(-72 * time.Hour))

	faults := &store.Faults{}
	database := testDatabase(t)
	dbPath := database
	if strings.HasPrefix(database, "postgres") {
		dbPath = ""
	}
	st, err := store.Open(ctx, database, store.WithClock(clock.Now), store.WithFaults(faults))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	def, err := survey.Load("../internal/survey/testdata/small.yaml")
	if err != nil {
		t.Fatalf("load definition: %v", err)
	}

	if err := hierarchy.Check("teams.yaml", firstImport); err != nil {
		t.Fatalf("hierarchy: %v", err)
	}
	if _, err := st.ImportTeams(ctx, firstImport); err != nil {
		t.Fatalf("import teams: %v", err)
	}
	second := firstImport[:len(firstImport)-1] // old-team is left out, so retired
	if sum, err := st.ImportTeams(ctx, second); err != nil || sum.Retired != 1 {
		t.Fatalf("re-import teams: %+v, %v", sum, err)
	}

	e := &testEnv{t: t, database: database, store: st, faults: faults, dbPath: dbPath, def: def, clock: clock, waves: map[string]store.Wave{}}
	opensLater := testNow.Add(7 * 24 * time.Hour)
	for _, nw := range []store.NewWave{
		{Key: waveOpen, Title: "Spring 2026", Mode: store.ModeOpen, Threshold: 5},
		{Key: waveScheduled, Title: "Summer 2026", Mode: store.ModeOpen, Threshold: 5, OpensAt: &opensLater},
		{Key: waveClosed, Title: "Winter 2025", Mode: store.ModeOpen, Threshold: 5},
		{Key: waveInvite, Title: "Spring 2026 (invited)", Mode: store.ModeInvite, Threshold: 5},
	} {
		if _, err := st.CreateWave(ctx, def, nw); err != nil {
			t.Fatalf("create wave %s: %v", nw.Key, err)
		}
	}
	// The closed wave opens three days ago and closes two days ago; the others open two days ago.
	e.mustChange(st.OpenWave(ctx, waveClosed))
	clock.Set(testNow.Add(-48 * time.Hour))
	e.mustChange(st.CloseWave(ctx, waveClosed))
	e.mustChange(st.OpenWave(ctx, waveOpen))
	e.mustChange(st.OpenWave(ctx, waveInvite))
	clock.Set(testNow)
	if e.codes, err = st.CreateInvitations(ctx, waveInvite, "campaigns", 5); err != nil {
		t.Fatalf("create invitations: %v", err)
	}
	for _, key := range allWaves {
		if e.waves[key], err = st.Wave(ctx, key); err != nil {
			t.Fatalf("wave %s: %v", key, err)
		}
	}

	logger := slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	spec := mustSpec(t)
	e.addCallers()
	// Test clients reach the service through a trusted proxy (this machine), so each can name its
	// own address in X-Forwarded-For, as the abuse-limit tests need.
	proxies, err := access.ParseProxies("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	e.metrics = metrics.New()
	e.srv = httptest.NewServer(countServed(New(Config{Store: st, Logger: logger, Now: clock.Now, Proxies: proxies,
		Definitions: []*survey.Definition{def}, Metrics: e.metrics}), &e.served))
	transport := &http.Transport{MaxIdleConns: 100, MaxIdleConnsPerHost: 100}
	e.client = &http.Client{
		Transport: &validatingTransport{t: t, base: transport, spec: spec, checked: &e.validated},
		Timeout:   20 * time.Second,
		// Redirects are answers to check (sign-in sends people on), not to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.Cleanup(func() {
		transport.CloseIdleConnections()
		e.srv.Close() // waits for every request to finish
		if served, validated := e.served.Load(), e.validated.Load(); served != validated {
			t.Errorf("the service answered %d requests under /api/v1 but only %d went through the validating client (e.client)", served, validated)
		}
	})
	return e
}

func (e *testEnv) mustChange(_ store.Wave, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("change wave: %v", err)
	}
}

// result is one HTTP answer, read whole.
type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) String() string { return fmt.Sprintf("%d %s", r.status, r.body) }

// do sends a request to the test server and reads the answer. It may be called from any goroutine:
// it reports failures with t.Errorf and returns status 0.
func (e *testEnv) do(method, path string, body io.Reader, header http.Header) result {
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Errorf("%s %s: %v", method, path, err)
		return result{}
	}
	if header.Get("Authorization") == "" && header.Get("Cookie") == "" && header.Get(testAnonymous) == "" {
		req.Header.Set("Authorization", e.as[tokenAdmin].Get("Authorization"))
	}
	for k, vs := range header {
		if k != testAnonymous {
			req.Header[k] = vs
		}
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Errorf("%s %s: %v", method, path, err)
		return result{}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Errorf("%s %s: read body: %v", method, path, err)
	}
	return result{status: res.StatusCode, header: res.Header, body: b}
}

// submit posts a raw body to a wave's responses.
// submit sends a submission as a respondent does: with no credentials.
func (e *testEnv) submit(wave, body string) result {
	return e.do(http.MethodPost, "/api/v1/waves/"+wave+"/responses", strings.NewReader(body), http.Header{testAnonymous: {"y"}})
}

func (e *testEnv) get(path string) result { return e.do(http.MethodGet, path, nil, nil) }

// count is how many responses a wave holds.
func (e *testEnv) count(wave string) int64 {
	e.t.Helper()
	n, err := e.store.CountResponses(context.Background(), e.waves[wave].ID)
	if err != nil {
		e.t.Fatalf("count responses of %s: %v", wave, err)
	}
	return n
}

// errorBody is the one error shape.
type errorBody struct {
	Code    string
	Message string
	Fields  map[string]string
}

// checkError asserts r is an error in exactly the shape {"error": {"code", "message", "fields"?}}
// with a JSON content type, and returns it.
func checkError(t *testing.T, r result) errorBody {
	t.Helper()
	checkJSON(t, r)
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &outer); err != nil {
		t.Fatalf("error body is not a JSON object: %v: %s", err, r.body)
	}
	if len(outer) != 1 || outer["error"] == nil {
		t.Fatalf("error body has keys %v, want only \"error\": %s", keys(outer), r.body)
	}
	var inner map[string]json.RawMessage
	if err := json.Unmarshal(outer["error"], &inner); err != nil {
		t.Fatalf("error is not an object: %s", r.body)
	}
	for k := range inner {
		if k != "code" && k != "message" && k != "fields" {
			t.Errorf("error has unexpected key %q: %s", k, r.body)
		}
	}
	var eb errorBody
	if err := json.Unmarshal(inner["code"], &eb.Code); err != nil || eb.Code == "" {
		t.Errorf("error code missing or not a string: %s", r.body)
	}
	if err := json.Unmarshal(inner["message"], &eb.Message); err != nil || eb.Message == "" {
		t.Errorf("error message missing or not a string: %s", r.body)
	}
	if raw, ok := inner["fields"]; ok {
		if err := json.Unmarshal(raw, &eb.Fields); err != nil || len(eb.Fields) == 0 {
			t.Errorf("error fields must be a non-empty object of strings: %s", r.body)
		}
		for f, msg := range eb.Fields {
			if msg == "" {
				t.Errorf("field %q has an empty message", f)
			}
		}
	}
	return eb
}

// checkJSON asserts a JSON content type.
func checkJSON(t *testing.T, r result) {
	t.Helper()
	mt, _, err := mime.ParseMediaType(r.header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		t.Errorf("Content-Type %q, want application/json", r.header.Get("Content-Type"))
	}
}

// checkHeaders asserts the headers every answer carries, and no-store under /api/.
func checkHeaders(t *testing.T, r result, api bool) {
	t.Helper()
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"X-Frame-Options":        "DENY",
	}
	if api {
		want["Cache-Control"] = "no-store"
	}
	for h, v := range want {
		if got := r.header.Get(h); got != v {
			t.Errorf("header %s = %q, want %q", h, got, v)
		}
	}
	csp := r.header.Get("Content-Security-Policy")
	for _, part := range []string{"default-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, part)
		}
	}
	if len(r.header.Get("X-Request-Id")) != 16 {
		t.Errorf("X-Request-Id %q, want 16 hex digits", r.header.Get("X-Request-Id"))
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
