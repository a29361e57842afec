package access

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"skillsurvey/internal/store"
)

const testRules = "skills-admins=admin,comms-leads=lead:comms,sales-leads=lead:sales,hr-analysts=hr,hr-comments=hr+comments"

const callback = "http://127.0.0.1:8080/sign-in/callback"

// person is someone at the provider, with the claims of their ID token beyond the registered ones.
// A claim set here replaces the provider's own (aud, iss, nonce), which forges a token the provider
// itself signs.
type person struct {
	sub    string
	claims map[string]any
}

func (p person) ID() string { return p.sub }

func (p person) Userinfo([]string) ([]byte, error) { return json.Marshal(p.claims) }

func (p person) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return idClaims{base, p.claims}, nil
}

// idClaims is the provider's registered claims with the person's laid over them.
type idClaims struct {
	*mockoidc.IDTokenClaims
	extra map[string]any
}

func (c idClaims) MarshalJSON() ([]byte, error) {
	base, err := json.Marshal(c.IDTokenClaims)
	if err != nil {
		return nil, err
	}
	all := map[string]any{}
	if err := json.Unmarshal(base, &all); err != nil {
		return nil, err
	}
	maps.Copy(all, c.extra)
	return json.Marshal(all)
}

// member is a verified person in the given groups.
func member(email string, groups ...string) person {
	return person{sub: "sub-" + email, claims: map[string]any{"email": email, "email_verified": true, "groups": groups}}
}

// testClock is a clock the test moves; it starts now, since the provider stamps tokens with the real time.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newProvider starts an OpenID Connect provider on loopback. setup runs before it starts, the only
// time mockoidc takes middleware.
func newProvider(t *testing.T, setup ...func(*mockoidc.MockOIDC)) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	// mockoidc keeps its sessions in a plain map: one request at a time keeps it, and the race
	// detector, content.
	var mu sync.Mutex
	if err := m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			next.ServeHTTP(w, r)
		})
	}); err != nil {
		t.Fatal(err)
	}
	for _, f := range setup {
		f(m)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return m
}

// openStore opens a fresh SQLite store.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "skillsurvey.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// ssoHarness is single sign-on against a provider, a real store and a clock the test moves.
type ssoHarness struct {
	t     *testing.T
	idp   *mockoidc.MockOIDC
	st    *store.Store
	clock *testClock
	sso   *SSO
	cfg   SSOConfig
}

func newSSOHarness(t *testing.T, setup ...func(*mockoidc.MockOIDC)) *ssoHarness {
	t.Helper()
	h := &ssoHarness{t: t, idp: newProvider(t, setup...), st: openStore(t), clock: &testClock{t: time.Now()}}
	rules, err := ParseClaimRules(testRules)
	if err != nil {
		t.Fatal(err)
	}
	h.cfg = SSOConfig{Issuer: h.idp.Issuer(), ClientID: h.idp.ClientID, ClientSecret: h.idp.ClientSecret,
		RedirectURL: callback, Rules: rules}
	h.sso = h.newSSO()
	return h
}

// newSSO is another instance of the service, sharing the store.
func (h *ssoHarness) newSSO() *SSO {
	h.t.Helper()
	s, err := NewSSO(context.Background(), h.cfg, h.st, h.clock.Now)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// authorize starts a sign-in and plays the browser at the provider, where who signs in; it returns
// the state and the code the provider sends back to the callback.
func (h *ssoHarness) authorize(s *SSO, who person, returnTo string) (state, code string) {
	h.t.Helper()
	authURL, state, err := s.Start(context.Background(), returnTo)
	if err != nil {
		h.t.Fatal(err)
	}
	return state, h.atProvider(authURL, state, who)
}

// atProvider plays the browser at the provider's authURL, where who signs in, and returns the code
// the provider sends back to the callback.
func (h *ssoHarness) atProvider(authURL, state string, who person) (code string) {
	h.t.Helper()
	h.idp.QueueUser(who)
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(authURL)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		h.t.Fatalf("authorize: status %d, want 302", resp.StatusCode)
	}
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		h.t.Fatal(err)
	}
	if got := back.Scheme + "://" + back.Host + back.Path; got != callback {
		h.t.Fatalf("the provider sent the browser to %s, want %s", got, callback)
	}
	if back.Query().Get("state") != state {
		h.t.Fatalf("the provider returned state %q, want %q", back.Query().Get("state"), state)
	}
	return back.Query().Get("code")
}

// signIn goes through a whole sign-in on the harness's instance.
func (h *ssoHarness) signIn(who person) (Identity, error) {
	state, code := h.authorize(h.sso, who, "/dashboard")
	id, _, err := h.sso.Finish(context.Background(), state, state, code)
	return id, err
}

func TestSSOIdentity(t *testing.T) {
	h := newSSOHarness(t)
	tests := []struct {
		name string
		who  person
		want Identity
		err  error
	}{
		{"a lead gets their team", member("Ann@Example.org", "staff", "comms-leads"),
			Identity{Email: "ann@example.org", Subject: "sub-Ann@Example.org", Role: Lead, Scope: "comms"}, nil},
		{"the highest role wins", member("bo@example.org", "comms-leads", "skills-admins", "hr-analysts"),
			Identity{Email: "bo@example.org", Subject: "sub-bo@example.org", Role: Admin}, nil},
		{"hr rules add up", member("cy@example.org", "hr-analysts", "hr-comments"),
			Identity{Email: "cy@example.org", Subject: "sub-cy@example.org", Role: HR, Comments: true}, nil},
		{"hr without comments", member("di@example.org", "hr-analysts"),
			Identity{Email: "di@example.org", Subject: "sub-di@example.org", Role: HR}, nil},
		{"the role claim as one string", person{"s1", map[string]any{"email": "ed@example.org", "groups": "sales-leads"}},
			Identity{Email: "ed@example.org", Subject: "s1", Role: Lead, Scope: "sales"}, nil},
		{"no email_verified claim is accepted", person{"s2", map[string]any{"email": "fi@example.org", "groups": []string{"skills-admins"}}},
			Identity{Email: "fi@example.org", Subject: "s2", Role: Admin}, nil},
		{"email_verified as the string true", person{"s3", map[string]any{"email": "gu@example.org", "email_verified": "true", "groups": []string{"skills-admins"}}},
			Identity{Email: "gu@example.org", Subject: "s3", Role: Admin}, nil},

		{"the same lead rule twice is no conflict", member("ha@example.org", "comms-leads", "comms-leads"),
			Identity{Email: "ha@example.org", Subject: "sub-ha@example.org", Role: Lead, Scope: "comms"}, nil},
		{"lead of two teams is ambiguous", member("io@example.org", "comms-leads", "sales-leads"),
			Identity{Email: "io@example.org", Subject: "sub-io@example.org"}, ErrAmbiguous},
		{"no rule matches", member("jo@example.org", "staff", "Skills-Admins"),
			Identity{Email: "jo@example.org", Subject: "sub-jo@example.org"}, ErrNotMapped},
		{"no role claim", person{"s4", map[string]any{"email": "ka@example.org"}},
			Identity{Email: "ka@example.org", Subject: "s4"}, ErrNotMapped},
		{"a role claim of numbers", person{"s5", map[string]any{"email": "li@example.org", "groups": []int{1, 2}}},
			Identity{Email: "li@example.org", Subject: "s5"}, ErrNotMapped},

		{"no email", person{"s6", map[string]any{"groups": []string{"skills-admins"}}}, Identity{}, ErrEmail},
		{"an email the provider has not verified", person{"s7", map[string]any{"email": "mo@example.org", "email_verified": false, "groups": []string{"skills-admins"}}},
			Identity{}, ErrEmail},
		{"email_verified as the string false", person{"s8", map[string]any{"email": "nu@example.org", "email_verified": "false", "groups": []string{"skills-admins"}}},
			Identity{}, ErrEmail},
		{"an email that is not an address", person{"s9", map[string]any{"email": "admin", "groups": []string{"skills-admins"}}},
			Identity{}, ErrEmail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.signIn(tt.who)
			if !errors.Is(err, tt.err) || (err != nil && tt.err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("identity = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSSOStartAsksForCodeWithPKCE(t *testing.T) {
	h := newSSOHarness(t)
	authURL, state, err := h.sso.Start(context.Background(), "/dashboard")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	checks := map[string]string{
		"response_type": "code", "client_id": h.idp.ClientID, "redirect_uri": callback, "state": state,
		"code_challenge_method": "S256", "scope": "openid email groups",
	}
	for k, want := range checks {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	if len(q.Get("code_challenge")) != 43 || len(q.Get("nonce")) < 40 || len(state) < 40 {
		t.Errorf("challenge %q, nonce %q, state %q: want a S256 challenge and 256-bit values", q.Get("code_challenge"), q.Get("nonce"), state)
	}

	// Only the state's hash is kept.
	if _, err := h.st.TakeSignInFlow(context.Background(), state, time.Time{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("flow found under the raw state: %v", err)
	}
	flow, err := h.st.TakeSignInFlow(context.Background(), Hash(state), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if flow.Nonce != q.Get("nonce") || flow.Verifier == "" || flow.ReturnTo != "/dashboard" {
		t.Errorf("stored flow %+v", flow)
	}
	if strings.Contains(authURL, flow.Verifier) {
		t.Error("the verifier itself went to the browser")
	}
}

func TestSSOScopeOnlyWhenOffered(t *testing.T) {
	h := newSSOHarness(t)
	h.cfg.RoleClaim = "roles" // mockoidc offers no such scope: asking for it would be refused
	authURL, _, err := h.newSSO().Start(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(authURL)
	if got := u.Query().Get("scope"); got != "openid email" {
		t.Errorf("scope = %q, want openid email", got)
	}
}

func TestSSOReturnTo(t *testing.T) {
	h := newSSOHarness(t)
	for in, want := range map[string]string{
		"/admin/users?page=2":  "/admin/users?page=2",
		"":                     "",
		"//evil.example/x":     "",
		`/\evil.example`:       "",
		"https://evil.example": "",
		"dashboard":            "",
		"/x\r\nSet-Cookie: a":  "",
	} {
		state, code := h.authorize(h.sso, member("ann@example.org", "skills-admins"), in)
		_, got, err := h.sso.Finish(context.Background(), state, state, code)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("return to %q: got %q, want %q", in, got, want)
		}
	}
}

func TestSSOState(t *testing.T) {
	ctx := context.Background()
	ann := member("ann@example.org", "skills-admins")

	t.Run("another instance finishes what one started", func(t *testing.T) {
		h := newSSOHarness(t)
		state, code := h.authorize(h.sso, ann, "/dashboard")
		id, back, err := h.newSSO().Finish(ctx, state, state, code)
		if err != nil || id.Role != Admin || back != "/dashboard" {
			t.Fatalf("got %+v %q %v", id, back, err)
		}
	})
	t.Run("a replayed answer fails", func(t *testing.T) {
		h := newSSOHarness(t)
		state, code := h.authorize(h.sso, ann, "")
		if _, _, err := h.sso.Finish(ctx, state, state, code); err != nil {
			t.Fatal(err)
		}
		if _, _, err := h.sso.Finish(ctx, state, state, code); !errors.Is(err, ErrState) {
			t.Fatalf("replay: err = %v, want ErrState", err)
		}
		if _, _, err := h.newSSO().Finish(ctx, state, state, code); !errors.Is(err, ErrState) {
			t.Fatalf("replay on another instance: err = %v, want ErrState", err)
		}
	})
	t.Run("a state that is not the cookie's fails, and leaves the browser's sign-in alone", func(t *testing.T) {
		h := newSSOHarness(t)
		state, code := h.authorize(h.sso, ann, "")
		other, _ := h.authorize(h.sso, ann, "")
		for _, cookie := range []string{"", other, state + "x", strings.ToUpper(state)} {
			if _, _, err := h.sso.Finish(ctx, cookie, state, code); !errors.Is(err, ErrState) {
				t.Errorf("cookie %q: err = %v, want ErrState", cookie, err)
			}
		}
		if _, _, err := h.sso.Finish(ctx, "", "", code); !errors.Is(err, ErrState) {
			t.Errorf("no state at all: err = %v, want ErrState", err)
		}
		if _, _, err := h.sso.Finish(ctx, state, state, code); err != nil {
			t.Errorf("the right browser: %v", err)
		}
	})
	t.Run("a state nobody started fails", func(t *testing.T) {
		h := newSSOHarness(t)
		_, code := h.authorize(h.sso, ann, "")
		forged := NewSessionID()
		if _, _, err := h.sso.Finish(ctx, forged, forged, code); !errors.Is(err, ErrState) {
			t.Fatalf("err = %v, want ErrState", err)
		}
	})
	t.Run("a sign-in older than ten minutes fails", func(t *testing.T) {
		h := newSSOHarness(t)
		state, code := h.authorize(h.sso, ann, "")
		h.clock.Add(SignInFlowLifetime + time.Second)
		if _, _, err := h.sso.Finish(ctx, state, state, code); !errors.Is(err, ErrState) {
			t.Fatalf("err = %v, want ErrState", err)
		}
	})
	t.Run("a wrong code fails, and uses the sign-in up", func(t *testing.T) {
		h := newSSOHarness(t)
		for _, bad := range []string{"", "not-the-code"} {
			state, code := h.authorize(h.sso, ann, "")
			_, _, err := h.sso.Finish(ctx, state, state, bad)
			if !errors.Is(err, ErrExchange) {
				t.Fatalf("code %q: err = %v, want ErrExchange", bad, err)
			}
			if strings.Contains(err.Error(), "not-the-code") {
				t.Errorf("the error repeats the code: %v", err)
			}
			if _, _, err := h.sso.Finish(ctx, state, state, code); !errors.Is(err, ErrState) {
				t.Errorf("the right code after a wrong one: err = %v, want ErrState", err)
			}
		}
	})
	t.Run("the code is useless without this sign-in's PKCE verifier", func(t *testing.T) {
		h := newSSOHarness(t)
		state, code := h.authorize(h.sso, ann, "")
		flow, err := h.st.TakeSignInFlow(ctx, Hash(state), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		flow.Verifier = strings.Repeat("x", 43)
		if err := h.st.SaveSignInFlow(ctx, flow); err != nil {
			t.Fatal(err)
		}
		if _, _, err := h.sso.Finish(ctx, state, state, code); !errors.Is(err, ErrExchange) {
			t.Fatalf("err = %v, want ErrExchange", err)
		}
	})
}

// rewriteIDToken has the provider's token endpoint pass its ID token through change on the way out;
// "" removes it.
func rewriteIDToken(change func(t *testing.T, raw string) string, t *testing.T) func(*mockoidc.MockOIDC) {
	return func(m *mockoidc.MockOIDC) {
		err := m.AddMiddleware(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != mockoidc.TokenEndpoint {
					next.ServeHTTP(w, r)
					return
				}
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, r)
				var body map[string]any
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
					t.Errorf("token response: %v", err)
				}
				if raw, ok := body["id_token"].(string); ok {
					if body["id_token"] = change(t, raw); body["id_token"] == "" {
						delete(body, "id_token")
					}
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(rec.Code)
				_ = json.NewEncoder(w).Encode(body)
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// jwtParts splits a compact JWT and decodes its header and payload.
func jwtParts(t *testing.T, raw string) (header, payload map[string]any, sig string) {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("ID token has %d parts", len(parts))
	}
	for i, into := range []*map[string]any{&header, &payload} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatal(err)
		}
	}
	return header, payload, parts[2]
}

func encodePart(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func TestSSORejectsForgedTokens(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, raw string) string
	}{
		{"a signature byte flipped", func(t *testing.T, raw string) string {
			b := []byte(raw)
			i := strings.LastIndex(raw, ".") + (len(raw)-strings.LastIndex(raw, "."))/2
			if b[i] == 'A' {
				b[i] = 'B'
			} else {
				b[i] = 'A'
			}
			return string(b)
		}},
		{"claims changed after signing", func(t *testing.T, raw string) string {
			header, payload, sig := jwtParts(t, raw)
			payload["groups"] = []string{"skills-admins"}
			return encodePart(t, header) + "." + encodePart(t, payload) + "." + sig
		}},
		{"not signed (alg none)", func(t *testing.T, raw string) string {
			_, payload, _ := jwtParts(t, raw)
			return encodePart(t, map[string]any{"alg": "none", "typ": "JWT"}) + "." + encodePart(t, payload) + "."
		}},
		{"signed with another key under the provider's key id", func(t *testing.T, raw string) string {
			header, payload, _ := jwtParts(t, raw)
			key, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				t.Fatal(err)
			}
			forged := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(payload))
			forged.Header["kid"] = header["kid"]
			s, err := forged.SignedString(key)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
		{"no ID token at all", func(*testing.T, string) string { return "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newSSOHarness(t, rewriteIDToken(tt.change, t))
			id, err := h.signIn(member("ann@example.org", "comms-leads"))
			if !errors.Is(err, ErrToken) || id != (Identity{}) {
				t.Fatalf("got %+v, %v; want ErrToken", id, err)
			}
		})
	}
}

func TestSSORejectsTokensForOthers(t *testing.T) {
	h := newSSOHarness(t)
	ann := member("ann@example.org", "skills-admins")
	with := func(claim string, v any) person {
		p := person{sub: ann.sub, claims: maps.Clone(ann.claims)}
		p.claims[claim] = v
		return p
	}
	tests := []struct {
		name string
		who  person
	}{
		{"another client's token (audience)", with("aud", "someone-else")},
		{"another client's token among several audiences", with("aud", []string{"someone-else", "and-another"})},
		{"another provider's token (issuer)", with("iss", "https://idp.example.org/oidc")},
		{"another sign-in's token (nonce)", with("nonce", "not-this-one")},
		{"a token without a nonce", with("nonce", "")},
		{"a token that expired an hour ago", with("exp", time.Now().Add(-time.Hour).Unix())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.signIn(tt.who)
			if !errors.Is(err, ErrToken) {
				t.Fatalf("err = %v, want ErrToken", err)
			}
		})
	}
}

func TestSSOExpiredTokenByTheServiceClock(t *testing.T) {
	// The provider's tokens live a minute; the service's clock, which the verifier uses, moves two
	// minutes between the redirect and the answer: the sign-in is still fresh, its token is not.
	h := newSSOHarness(t, func(m *mockoidc.MockOIDC) { m.AccessTTL = time.Minute })
	state, code := h.authorize(h.sso, member("ann@example.org", "skills-admins"), "")
	h.clock.Add(2 * time.Minute)
	_, _, err := h.sso.Finish(context.Background(), state, state, code)
	var expired *oidc.TokenExpiredError
	if !errors.Is(err, ErrToken) || !errors.As(err, &expired) {
		t.Fatalf("err = %v, want ErrToken for an expired token", err)
	}
}

func TestNewSSO(t *testing.T) {
	st := openStore(t)
	rules := []ClaimRule{{Value: "skills-admins", Role: Admin}}
	if _, err := NewSSO(context.Background(), SSOConfig{Rules: rules}, st, nil); err == nil {
		t.Error("an empty configuration was accepted")
	}
	// Nothing listens on port 1 of loopback: discovery fails at start, not at the first sign-in.
	cfg := SSOConfig{Issuer: "http://127.0.0.1:1/oidc", ClientID: "c", ClientSecret: "s", RedirectURL: callback, Rules: rules}
	if _, err := NewSSO(context.Background(), cfg, st, nil); err == nil || !strings.Contains(err.Error(), "discover") {
		t.Errorf("unreachable provider: err = %v", err)
	}
	// The issuer the provider states must be the one configured.
	idp := newProvider(t)
	cfg.Issuer, cfg.ClientID, cfg.ClientSecret = idp.Addr()+"/oidc/", idp.ClientID, idp.ClientSecret
	if _, err := NewSSO(context.Background(), cfg, st, nil); err == nil {
		t.Error("an issuer other than the provider's own was accepted")
	}
}

func TestParseClaimRules(t *testing.T) {
	got, err := ParseClaimRules(" skills-admins=admin , comms-leads=lead:comms,hr-analysts=hr,hr-comments=hr+comments,team=a=hr")
	if err != nil {
		t.Fatal(err)
	}
	want := []ClaimRule{
		{Value: "skills-admins", Role: Admin},
		{Value: "comms-leads", Role: Lead, Scope: "comms"},
		{Value: "hr-analysts", Role: HR},
		{Value: "hr-comments", Role: HR, Comments: true},
		{Value: "team=a", Role: HR}, // the value ends at the last =
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	for _, r := range got {
		if again, err := ParseClaimRules(r.String()); err != nil || again[0] != r {
			t.Errorf("%+v written as %q reads back as %+v, %v", r, r.String(), again, err)
		}
	}
	if rules, err := ParseClaimRules("  "); err != nil || rules != nil {
		t.Errorf("blank: %v, %v; want no rules", rules, err)
	}

	bad := []struct{ in, want string }{
		{"skills-admins", `claim rule 1 "skills-admins": want VALUE=ROLE`},
		{"a=admin,,b=hr", `claim rule 2 "": want VALUE=ROLE`},
		{"a=admin,=hr", `claim rule 2 "=hr": the claim value is empty`},
		{"a=boss", `claim rule 1 "a=boss": "boss" is not a role`},
		{"a=lead", `claim rule 1 "a=lead": a lead needs a team`},
		{"a=lead:", `claim rule 1 "a=lead:": the team after : is empty`},
		{"a=admin:comms", `claim rule 1 "a=admin:comms": admin takes no team`},
		{"a=hr:comms", `claim rule 1 "a=hr:comms": hr takes no team`},
		{"a=admin+comments", `claim rule 1 "a=admin+comments": +comments is for hr only`},
		{"a=lead:comms+comments", `claim rule 1 "a=lead:comms+comments": +comments is for hr only`},
		{"a=hr+everything", `claim rule 1 "a=hr+everything": the only option after + is comments`},
		{"a=Admin", `"Admin" is not a role`},
		{"a=admin,b=hr,a=hr", `claim rule 3 "a=hr": "a" has a rule already`},
	}
	for _, tt := range bad {
		if _, err := ParseClaimRules(tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestSSOConfigValidate(t *testing.T) {
	good := SSOConfig{Issuer: "https://login.example.org/tenant/v2.0", ClientID: "id", ClientSecret: "secret",
		RedirectURL: "https://skills.example.org/sign-in/callback", Rules: []ClaimRule{{Value: "g", Role: Admin}}}
	if err := good.Validate(); err != nil {
		t.Fatalf("good: %v", err)
	}
	tests := []struct {
		name   string
		change func(*SSOConfig)
		want   string
	}{
		{"no issuer", func(c *SSOConfig) { c.Issuer = "" }, "issuer"},
		{"a relative issuer", func(c *SSOConfig) { c.Issuer = "login.example.org" }, "issuer"},
		{"plain http elsewhere", func(c *SSOConfig) { c.Issuer = "http://login.example.org" }, "issuer: \"http://login.example.org\": use https"},
		{"no client id", func(c *SSOConfig) { c.ClientID = "" }, "client id"},
		{"no client secret", func(c *SSOConfig) { c.ClientSecret = "" }, "client secret"},
		{"no redirect", func(c *SSOConfig) { c.RedirectURL = "" }, "redirect URL"},
		{"a plain http redirect elsewhere", func(c *SSOConfig) { c.RedirectURL = "http://skills.example.org/sign-in/callback" }, "redirect URL"},
		{"no rules", func(c *SSOConfig) { c.Rules = nil }, "claim rules: give at least one"},
		{"a rule made in code that breaks the rules", func(c *SSOConfig) { c.Rules = []ClaimRule{{Value: "g", Role: Lead}} }, `claim rule "g=lead": a lead needs a team`},
		{"two rules for one value", func(c *SSOConfig) {
			c.Rules = []ClaimRule{{Value: "g", Role: Admin}, {Value: "g", Role: HR}}
		}, `"g" has another rule already`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.change(&c)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	local := good
	local.Issuer, local.RedirectURL = "http://localhost:5556/dex", "http://127.0.0.1:8080/sign-in/callback"
	if err := local.Validate(); err != nil {
		t.Errorf("plain http on loopback: %v", err)
	}
}
