package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// ssoEnv is the service with single sign-on, over a fresh SQLite file, and an OpenID Connect
// provider, both on loopback.
type ssoEnv struct {
	store *store.Store
	idp   *mockoidc.MockOIDC
	srv   *httptest.Server
	// transport is shared by every browser; answers under /api/v1 are checked against the OpenAPI document.
	transport http.RoundTripper
}

const ssoRules = "skills-admins=admin,comms-leads=lead:comms,old-leads=lead:old-team,ghost-leads=lead:ghost"

// roomy lets a test sign in as often as it likes from one address.
var roomy = Limit{Every: time.Millisecond, Burst: 1000}

// newSSOEnv builds the environment; signIn is the sign-in limit.
// startProvider runs a mock identity provider on loopback for the test's life.
func startProvider(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	idp, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	var one sync.Mutex // mockoidc keeps its sessions in a plain map
	if err := idp.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			one.Lock()
			defer one.Unlock()
			next.ServeHTTP(w, r)
		})
	}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := idp.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	return idp
}

func newSSOEnv(t *testing.T, signIn Limit) *ssoEnv {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "survey.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	// comms is a team; old-team is retired by the second import; ghost never was.
	if _, err := st.ImportTeams(ctx, firstImport); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportTeams(ctx, firstImport[:len(firstImport)-1]); err != nil {
		t.Fatal(err)
	}

	idp := startProvider(t)

	// The service's address goes into the single sign-on settings before the service exists.
	srv := httptest.NewUnstartedServer(nil)
	rules, err := access.ParseClaimRules(ssoRules)
	if err != nil {
		t.Fatal(err)
	}
	sso, err := access.NewSSO(ctx, access.SSOConfig{Issuer: idp.Issuer(), ClientID: idp.ClientID,
		ClientSecret: idp.ClientSecret, RedirectURL: "http://" + srv.Listener.Addr().String() + "/sign-in/callback",
		Rules: rules}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	limits := DefaultLimits
	limits.SignIn = signIn
	srv.Config.Handler = New(Config{Store: st, SSO: sso, Limits: limits, Logger: slog.New(slog.DiscardHandler)})
	srv.Start()
	transport := &http.Transport{}
	t.Cleanup(func() {
		transport.CloseIdleConnections()
		srv.Close()
	})
	var validated atomic.Int64
	return &ssoEnv{store: st, idp: idp, srv: srv,
		transport: &validatingTransport{t: t, base: transport, spec: mustSpec(t), checked: &validated}}
}

// browser is a new browser: its own cookies, and redirects shown rather than followed.
func (e *ssoEnv) browser() *http.Client {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &http.Client{Jar: jar, Transport: e.transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// get fetches an address in a browser and reads the answer.
func (e *ssoEnv) get(t *testing.T, b *http.Client, address string, header ...string) result {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, address, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{status: res.StatusCode, header: res.Header, body: body}
}

// toProvider starts single sign-on in a browser and returns the provider's address it is sent to.
func (e *ssoEnv) toProvider(t *testing.T, b *http.Client, returnTo string) string {
	t.Helper()
	r := e.get(t, b, e.srv.URL+"/sign-in/sso?return="+url.QueryEscape(returnTo))
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, e.idp.AuthorizationEndpoint()+"?") {
		t.Fatalf("GET /sign-in/sso: %s to %q", r, loc)
	}
	return loc
}

// atProvider is who signs in at the provider: it returns the callback address the provider sends
// the browser back to.
func (e *ssoEnv) atProvider(t *testing.T, b *http.Client, authURL string, who *mockoidc.MockUser) string {
	t.Helper()
	e.idp.QueueUser(who)
	r := e.get(t, b, authURL)
	loc := r.header.Get("Location")
	if r.status != http.StatusFound || !strings.HasPrefix(loc, e.srv.URL+"/sign-in/callback?") {
		t.Fatalf("authorize: %s to %q", r, loc)
	}
	return loc
}

// signIn goes the whole way in a browser and returns the callback's answer.
func (e *ssoEnv) signIn(t *testing.T, b *http.Client, who *mockoidc.MockUser) result {
	t.Helper()
	return e.get(t, b, e.atProvider(t, b, e.toProvider(t, b, "/dashboard?wave=open"), who))
}

// lastAudit is the newest audit event.
func (e *ssoEnv) lastAudit(t *testing.T) store.AuditEvent {
	t.Helper()
	events, _, err := e.store.AuditEvents(context.Background(), 0, 1)
	if err != nil || len(events) != 1 {
		t.Fatalf("audit log: %v, %v", events, err)
	}
	return events[0]
}

func person(email string, groups ...string) *mockoidc.MockUser {
	return &mockoidc.MockUser{Subject: "sub-" + strings.ToLower(email), Email: email, EmailVerified: true, Groups: groups}
}

func cookieOf(r result, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestSSOSignIn(t *testing.T) {
	e := newSSOEnv(t, roomy)
	b := e.browser()

	start := e.get(t, b, e.srv.URL+"/sign-in/sso?return="+url.QueryEscape("/dashboard?wave=open"))
	state := cookieOf(start, ssoCookiePlain)
	if start.status != http.StatusSeeOther || state == nil || !state.HttpOnly || state.SameSite != http.SameSiteLaxMode ||
		state.MaxAge != int(access.SignInFlowLifetime.Seconds()) || state.Path != "/" {
		t.Fatalf("GET /sign-in/sso: %s, state cookie %+v", start, state)
	}
	if got := start.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}
	authURL, _ := url.Parse(start.header.Get("Location"))
	if q := authURL.Query(); q.Get("state") != state.Value || q.Get("code_challenge_method") != "S256" {
		t.Errorf("the provider is asked %v", q)
	}

	back := e.get(t, b, e.atProvider(t, b, start.header.Get("Location"), person("Ann@Example.gov.uk", "staff", "comms-leads")))
	if back.status != http.StatusSeeOther || back.header.Get("Location") != "/dashboard?wave=open" {
		t.Fatalf("callback: %s to %q", back, back.header.Get("Location"))
	}
	if c := cookieOf(back, ssoCookiePlain); c == nil || c.MaxAge >= 0 {
		t.Errorf("the state cookie is not cleared: %+v", c)
	}
	session := cookieOf(back, sessionCookiePlain)
	if session == nil || session.Value == "" || !session.HttpOnly {
		t.Fatalf("no session cookie: %v", back.header)
	}

	who := e.get(t, b, e.srv.URL+"/api/v1/session")
	for _, want := range []string{`"name":"ann@example.gov.uk"`, `"role":"lead"`, `"scope":"comms"`, `"kind":"person"`} {
		if who.status != http.StatusOK || !strings.Contains(string(who.body), want) {
			t.Errorf("GET /api/v1/session: %s, want %s", who, want)
		}
	}
	if ev := e.lastAudit(t); ev.Actor != "user:ann@example.gov.uk" || ev.Action != access.ActionSignIn || ev.Detail != "sso" || ev.Address != "127.0.0.1" {
		t.Errorf("audit: %+v", ev)
	}
	u, err := e.store.UserByEmail(context.Background(), "ann@example.gov.uk")
	if err != nil || u.Source != store.SourceOIDC || u.PasswordHash != "" {
		t.Fatalf("stored user %+v, %v", u, err)
	}

	t.Run("the provider's groups decide the role at every sign-in", func(t *testing.T) {
		b := e.browser()
		if r := e.signIn(t, b, person("ann@example.gov.uk", "skills-admins")); r.status != http.StatusSeeOther {
			t.Fatalf("callback: %s", r)
		}
		if who := e.get(t, b, e.srv.URL+"/api/v1/session"); !strings.Contains(string(who.body), `"role":"admin","scope":null`) {
			t.Errorf("GET /api/v1/session: %s", who)
		}
	})
	t.Run("another person at the provider with the same email is refused", func(t *testing.T) {
		impostor := person("ann@example.gov.uk", "skills-admins")
		impostor.Subject = "sub-someone-else"
		if r := e.signIn(t, e.browser(), impostor); r.status != http.StatusConflict {
			t.Errorf("callback for another subject: %s, want 409", r)
		}
		if u, err := e.store.UserByEmail(context.Background(), "ann@example.gov.uk"); err != nil || u.Subject != "sub-ann@example.gov.uk" {
			t.Errorf("Ann's account after the impostor: %+v, %v", u, err)
		}
	})
	t.Run("a person the provider no longer maps is signed out everywhere", func(t *testing.T) {
		kept := e.browser()
		if r := e.signIn(t, kept, person("bob@example.gov.uk", "comms-leads")); r.status != http.StatusSeeOther {
			t.Fatalf("callback: %s", r)
		}
		if who := e.get(t, kept, e.srv.URL+"/api/v1/session"); who.status != http.StatusOK {
			t.Fatalf("GET /api/v1/session: %s", who)
		}
		if r := e.signIn(t, e.browser(), person("bob@example.gov.uk", "staff")); r.status != http.StatusForbidden {
			t.Fatalf("callback without a mapped group: %s, want 403", r)
		}
		if who := e.get(t, kept, e.srv.URL+"/api/v1/session"); who.status != http.StatusUnauthorized {
			t.Errorf("the session of a person no longer mapped: %s, want 401", who)
		}
	})
	t.Run("a person signed in already is sent on", func(t *testing.T) {
		r := e.get(t, b, e.srv.URL+"/sign-in/sso?return=/dashboard")
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/dashboard" || cookieOf(r, ssoCookiePlain) != nil {
			t.Errorf("%s to %q", r, r.header.Get("Location"))
		}
	})
	t.Run("a return address elsewhere is dropped", func(t *testing.T) {
		b := e.browser()
		authURL := e.toProvider(t, b, "https://evil.example/")
		r := e.get(t, b, e.atProvider(t, b, authURL, person("ann@example.gov.uk", "comms-leads")))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/dashboard" {
			t.Errorf("%s to %q", r, r.header.Get("Location"))
		}
	})
}

func TestSSOCallbackRefusals(t *testing.T) {
	e := newSSOEnv(t, roomy)
	if _, err := e.store.CreateUser(context.Background(), store.NewUser{Email: "local@example.gov.uk", PasswordHash: "x", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		who    *mockoidc.MockUser
		status int
		actor  string
		detail string
	}{
		{"no rule gives a role", person("bo@example.gov.uk", "staff"), 403, "user:bo@example.gov.uk", "sso: no role"},
		{"the rules make them lead of two teams", person("bo@example.gov.uk", "comms-leads", "old-leads"), 403, "user:bo@example.gov.uk", "sso: conflicting roles"},
		{"a provider that leaves email_verified out is believed", &mockoidc.MockUser{Subject: "s", Email: "cy@example.gov.uk", Groups: []string{"skills-admins"}}, 303, "user:cy@example.gov.uk", "sso"},
		{"no email", &mockoidc.MockUser{Subject: "s", Groups: []string{"skills-admins"}}, 403, "anonymous", "sso: email"},
		{"an account with a password has the email", person("local@example.gov.uk", "skills-admins"), 409, "user:local@example.gov.uk", "sso: account or team conflict"},
		{"the rule's team is retired", person("di@example.gov.uk", "old-leads"), 409, "user:di@example.gov.uk", "sso: account or team conflict"},
		{"the rule's team does not exist", person("ed@example.gov.uk", "ghost-leads"), 403, "user:ed@example.gov.uk", "sso: unknown team"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.signIn(t, e.browser(), tt.who)
			if r.status != tt.status {
				t.Fatalf("callback: %s, want %d", r, tt.status)
			}
			if tt.status != http.StatusSeeOther && cookieOf(r, sessionCookiePlain) != nil {
				t.Error("a refused sign-in set a session cookie")
			}
			if ev := e.lastAudit(t); ev.Actor != tt.actor || ev.Detail != tt.detail {
				t.Errorf("audit: %+v, want %s %q", ev, tt.actor, tt.detail)
			}
		})
	}
}

func TestSSOCallbackState(t *testing.T) {
	e := newSSOEnv(t, roomy)
	ann := person("ann@example.gov.uk", "skills-admins")

	t.Run("an answer used once is not used again, even with the right cookie", func(t *testing.T) {
		b := e.browser()
		authURL := e.toProvider(t, b, "/dashboard")
		state, _ := url.Parse(authURL)
		callback := e.atProvider(t, b, authURL, ann)
		if r := e.get(t, b, callback); r.status != http.StatusSeeOther {
			t.Fatalf("first: %s", r)
		}
		cookie := ssoCookiePlain + "=" + state.Query().Get("state")
		r := e.get(t, e.browser(), callback, "Cookie", cookie)
		if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "already used") {
			t.Errorf("replay: %s", r)
		}
		if ev := e.lastAudit(t); ev.Action != access.ActionSignInFailed || ev.Actor != "anonymous" || ev.Detail != "sso: state" {
			t.Errorf("audit: %+v", ev)
		}
	})
	t.Run("an answer brought to another browser is refused (login CSRF)", func(t *testing.T) {
		b := e.browser()
		callback := e.atProvider(t, b, e.toProvider(t, b, "/dashboard"), ann)
		victim := e.browser()
		if r := e.get(t, victim, callback); r.status != http.StatusBadRequest || cookieOf(r, sessionCookiePlain) != nil {
			t.Errorf("another browser: %s", r)
		}
		// The browser that started it can still finish: a stranger cannot spoil a sign-in.
		if r := e.get(t, b, callback); r.status != http.StatusSeeOther {
			t.Errorf("the browser that started: %s", r)
		}
	})
	t.Run("the provider's refusal is shown and audited", func(t *testing.T) {
		for code, detail := range map[string]string{"access_denied": "sso: provider: access_denied", "<script>": "sso: provider: other"} {
			r := e.get(t, e.browser(), e.srv.URL+"/sign-in/callback?state=x&error="+url.QueryEscape(code))
			if r.status != http.StatusUnauthorized || strings.Contains(string(r.body), "<script>") {
				t.Errorf("%s: %s", code, r)
			}
			if ev := e.lastAudit(t); ev.Detail != detail {
				t.Errorf("audit: %+v, want %q", ev, detail)
			}
		}
	})
}

func TestSSOLimits(t *testing.T) {
	e := newSSOEnv(t, Limit{Every: time.Hour, Burst: 3})
	// Sign-ins that work spend nothing: an office signing in one after another never meets the limit.
	for i := range 5 {
		if r := e.signIn(t, e.browser(), person(fmt.Sprintf("person%d@example.gov.uk", i), "skills-admins")); r.status != http.StatusSeeOther {
			t.Fatalf("sign-in %d: %s", i, r)
		}
	}
	// Three forged answers spend the three attempts; then neither starting nor answering is served.
	for range 3 {
		if r := e.get(t, e.browser(), e.srv.URL+"/sign-in/callback?state=forged&code=x", "Cookie", ssoCookiePlain+"=forged"); r.status != http.StatusBadRequest {
			t.Fatalf("forged answer: %s", r)
		}
	}
	for _, path := range []string{"/sign-in/sso", "/sign-in/callback?state=forged&code=x"} {
		r := e.get(t, e.browser(), e.srv.URL+path)
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Errorf("GET %s after three failures: %s", path, r)
		}
	}
}
