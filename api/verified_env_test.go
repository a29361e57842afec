package api

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// testRespondentKey is the respondent key of the tests' services.
var testRespondentKey = bytes.Repeat([]byte("respondent-key/"), 3)

// testPasses are passes under testRespondentKey on the given clock (nil: time.Now).
func testPasses(t testing.TB, now func() time.Time) *access.Passes {
	t.Helper()
	p, err := access.NewPasses(testRespondentKey, now)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The waves of the verified environment.
const (
	waveSpring = "spring" // verified, open now
	waveAutumn = "autumn" // verified, open now
	waveWinter = "winter" // verified, closed
	waveOpenly = "openly" // open mode, open now
)

// verifiedEnv is the service with single sign-on and the respondent key, over a fresh SQLite file,
// with an identity provider on loopback, and its log kept for reading.
type verifiedEnv struct {
	path  string
	store *store.Store
	clock *testClock
	idp   *mockoidc.MockOIDC
	srv   *httptest.Server
	// transport is shared by every browser; answers under /api/v1 are checked against the OpenAPI document.
	transport http.RoundTripper
	log       *lockedBuffer
	waves     map[string]store.Wave
	// admin is an admin's API token.
	admin string
}

func newVerifiedEnv(t *testing.T) *verifiedEnv {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{}
	clock.Set(testNow.Add(-48 * time.Hour))
	path := filepath.Join(t.TempDir(), "survey.db")
	st, err := store.Open(ctx, path, store.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.ImportTeams(ctx, firstImport); err != nil {
		t.Fatal(err)
	}
	def, err := survey.Load("../internal/survey/testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := &verifiedEnv{path: path, store: st, clock: clock, idp: startProvider(t), log: &lockedBuffer{}, waves: map[string]store.Wave{}}
	for key, mode := range map[string]string{waveSpring: store.ModeVerified, waveAutumn: store.ModeVerified,
		waveWinter: store.ModeVerified, waveOpenly: store.ModeOpen} {
		if _, err := st.CreateWave(ctx, def, store.NewWave{Key: key, Title: key, Mode: mode, Threshold: 5}); err != nil {
			t.Fatal(err)
		}
		if e.waves[key], err = st.OpenWave(ctx, key); err != nil {
			t.Fatal(err)
		}
	}
	clock.Set(testNow.Add(-24 * time.Hour))
	if e.waves[waveWinter], err = st.CloseWave(ctx, waveWinter); err != nil {
		t.Fatal(err)
	}
	clock.Set(testNow)
	e.admin = access.NewToken()
	if _, err := st.CreateToken(ctx, store.NewToken{Name: "admin", Hash: access.Hash(e.admin), Role: "admin"}); err != nil {
		t.Fatal(err)
	}

	srv := httptest.NewUnstartedServer(nil)
	rules, err := access.ParseClaimRules("skills-admins=admin")
	if err != nil {
		t.Fatal(err)
	}
	// The provider stamps its tokens with the real time, so single sign-on checks them by it; the
	// passes and the waves go by the test's clock.
	sso, err := access.NewSSO(ctx, access.SSOConfig{Issuer: e.idp.Issuer(), ClientID: e.idp.ClientID,
		ClientSecret: e.idp.ClientSecret, RedirectURL: "http://" + srv.Listener.Addr().String() + "/sign-in/callback",
		Rules: rules}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewJSONHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv.Config.Handler = New(Config{Store: st, SSO: sso, Passes: testPasses(t, clock.Now), Now: clock.Now,
		Logger: logger, Definitions: []*survey.Definition{def}, Limits: Limits{SignIn: roomy}})
	srv.Start()
	e.srv = srv
	transport := &http.Transport{}
	t.Cleanup(func() {
		transport.CloseIdleConnections()
		srv.Close()
	})
	var validated atomic.Int64
	e.transport = &validatingTransport{t: t, base: transport, spec: mustSpec(t), checked: &validated}
	return e
}

// browser is a new browser: its own cookies, and redirects shown rather than followed.
func (e *verifiedEnv) browser() *http.Client {
	return (&ssoEnv{transport: e.transport}).browser()
}

// send makes a request in a browser and reads the answer; header holds name, value pairs.
func (e *verifiedEnv) send(t *testing.T, b *http.Client, method, path, body string, header ...string) result {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{status: res.StatusCode, header: res.Header, body: got}
}

// signIn signs who in, in browser b, to answer wave, the whole way through the provider, and
// returns the callback's answer.
func (e *verifiedEnv) signIn(t *testing.T, b *http.Client, wave string, who *mockoidc.MockUser) result {
	t.Helper()
	start := e.send(t, b, http.MethodGet, "/waves/"+wave+"/sign-in", "")
	loc := start.header.Get("Location")
	if start.status != http.StatusSeeOther || !strings.HasPrefix(loc, e.idp.AuthorizationEndpoint()+"?") {
		t.Fatalf("GET /waves/%s/sign-in: %s to %q", wave, start, loc)
	}
	callback := (&ssoEnv{idp: e.idp, srv: e.srv}).atProvider(t, b, loc, who)
	u, err := url.Parse(callback)
	if err != nil {
		t.Fatal(err)
	}
	return e.send(t, b, http.MethodGet, u.RequestURI(), "")
}

// submit sends a submission to wave in browser b, as the survey page does.
func (e *verifiedEnv) submit(t *testing.T, b *http.Client, wave, body string, header ...string) result {
	t.Helper()
	return e.send(t, b, http.MethodPost, "/api/v1/waves/"+wave+"/responses", body, header...)
}

// count is how many responses a wave holds.
func (e *verifiedEnv) count(t *testing.T, wave string) int64 {
	t.Helper()
	n, err := e.store.CountResponses(context.Background(), e.waves[wave].ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// table reads a whole table of the database file, as someone holding a copy of it could.
func (e *verifiedEnv) table(t *testing.T, name string) (columns []string, rows [][]string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+e.path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Query(`SELECT * FROM "` + name + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	if columns, err = res.Columns(); err != nil {
		t.Fatal(err)
	}
	for res.Next() {
		values := make([]sql.NullString, len(columns))
		ptrs := make([]any, len(columns))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := res.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(values))
		for i, v := range values {
			row[i] = v.String
		}
		rows = append(rows, row)
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	return columns, rows
}
