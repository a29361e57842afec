package api

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// The callers of every test environment, by name.
const (
	anonymous        = "anonymous"
	sessionAdmin     = "admin (session)"
	sessionHR        = "hr (session)"
	sessionLeadComms = "lead of comms (session)"
	sessionLeadTeam  = "lead of campaigns (session)"
	sessionLeadOther = "lead of policy (session)"
	sessionExpired   = "expired session"
	sessionEnded     = "signed-out session"
	sessionForged    = "forged cookie"
	tokenAdmin       = "admin token"
	tokenHR          = "hr token"
	tokenHRComments  = "hr token with comments"
	tokenLeadComms   = "lead of comms token"
	tokenLeadOther   = "lead of policy token"
	tokenExpired     = "expired token"
	tokenRevoked     = "revoked token"
	tokenFlipped     = "token with a flipped character"
)

// testAnonymous, as a header, sends a request with no credentials at all.
const testAnonymous = "X-Test-Anonymous"

// testPassword is every test person's password.
const testPassword = "correct horse battery staple"

// addCallers makes the people and tokens of the environment and signs the people in.
func (e *testEnv) addCallers() {
	t := e.t
	t.Helper()
	ctx := context.Background()
	hash, err := access.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	e.as = map[string]http.Header{anonymous: {testAnonymous: {"yes"}}}
	people := []struct{ caller, email, role, scope string }{
		{sessionAdmin, "admin@example.gov.uk", "admin", ""},
		{sessionHR, "hr@example.gov.uk", "hr", ""},
		{sessionLeadComms, "lead.comms@example.gov.uk", "lead", "comms"},
		{sessionLeadTeam, "lead.campaigns@example.gov.uk", "lead", "campaigns"},
		{sessionLeadOther, "lead.policy@example.gov.uk", "lead", "policy"},
		{sessionExpired, "idle@example.gov.uk", "admin", ""},
		{sessionEnded, "gone@example.gov.uk", "admin", ""},
	}
	sessions := access.NewService(e.store, e.clock.Now, 0, 0)
	for _, p := range people {
		u, err := e.store.CreateUser(ctx, store.NewUser{Email: p.email, PasswordHash: hash, Role: p.role, Scope: p.scope})
		if err != nil {
			t.Fatalf("add %s: %v", p.email, err)
		}
		starts := sessions
		if p.caller == sessionExpired {
			// Started, and last used, longer ago than the idle time: the router finds it stored and
			// idle. (Asking for it here would delete it, leaving only an unknown cookie.)
			starts = access.NewService(e.store, func() time.Time { return e.clock.Now().Add(-access.DefaultIdle - time.Minute) }, 0, 0)
		}
		cookie, pr, err := starts.StartSession(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		e.as[p.caller] = http.Header{"Cookie": {sessionCookiePlain + "=" + cookie}, "X-Csrf-Token": {pr.CSRF}}
		switch p.caller {
		case sessionEnded:
			if err := sessions.SignOut(ctx, pr, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.as[sessionForged] = http.Header{"Cookie": {sessionCookiePlain + "=" + access.NewSessionID()}, "X-Csrf-Token": {"forged"}}

	yesterday := e.clock.Now().Add(-24 * time.Hour)
	tokens := []struct {
		caller, role, scope string
		comments            bool
		expires             *time.Time
	}{
		{tokenAdmin, "admin", "", false, nil},
		{tokenHR, "hr", "", false, nil},
		{tokenHRComments, "hr", "", true, nil},
		{tokenLeadComms, "lead", "comms", false, nil},
		{tokenLeadOther, "lead", "policy", false, nil},
		{tokenExpired, "admin", "", false, &yesterday},
		{tokenRevoked, "admin", "", false, nil},
	}
	for i, tk := range tokens {
		secret := access.NewToken()
		name := "test-" + strings.ReplaceAll(regexp.MustCompile(`[^a-z]+`).ReplaceAllString(tk.caller, "-"), "--", "-")
		_, err := e.store.CreateToken(ctx, store.NewToken{Name: name, Hash: access.Hash(secret), Role: tk.role,
			Scope: tk.scope, Comments: tk.comments, ExpiresAt: tk.expires})
		if err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
		if tk.caller == tokenRevoked {
			if _, err := e.store.RevokeToken(ctx, name, e.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		e.as[tk.caller] = http.Header{"Authorization": {"Bearer " + secret}}
		if tk.caller == tokenAdmin {
			flipped := []byte(secret)
			last := len(flipped) - 1
			flipped[last] = map[bool]byte{true: 'b', false: 'a'}[flipped[last] == 'a']
			e.as[tokenFlipped] = http.Header{"Authorization": {"Bearer " + string(flipped)}}
		}
	}
}

// from returns a copy of a caller's headers with the client address set, as a proxy would.
func from(h http.Header, address string) http.Header {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	out.Set("X-Forwarded-For", address)
	return out
}

// csrfField is the sign-in form's hidden token, which differs on every page.
var csrfField = regexp.MustCompile(`name="csrf_token" value="[^"]+"`)

// signInForm fetches the sign-in page and returns its form cookie and token, as a browser would.
func (e *testEnv) signInForm(t *testing.T, address string) (cookie, token string) {
	t.Helper()
	r := e.do(http.MethodGet, "/sign-in", nil, from(e.as[anonymous], address))
	if r.status != http.StatusOK {
		t.Fatalf("GET /sign-in: %s", r)
	}
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == formCookiePlain {
			cookie = c.Value
		}
	}
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(r.body)
	if cookie == "" || m == nil {
		t.Fatalf("the sign-in page set no form cookie or token: %s", r)
	}
	return cookie, string(m[1])
}

// postSignIn sends the sign-in form from an address and returns the answer.
func (e *testEnv) postSignIn(t *testing.T, address, email, password string) result {
	t.Helper()
	cookie, token := e.signInForm(t, address)
	form := url.Values{"email": {email}, "password": {password}, "csrf_token": {token}, "return": {"/dashboard?wave=open"}}
	h := from(e.as[anonymous], address)
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("Cookie", formCookiePlain+"="+cookie)
	return e.do(http.MethodPost, "/sign-in", strings.NewReader(form.Encode()), h)
}

// sessionOf reads the session cookie a sign-in set, as headers for later requests, with the
// CSRF token read from GET /api/v1/session.
func (e *testEnv) sessionOf(t *testing.T, r result) http.Header {
	t.Helper()
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == sessionCookiePlain && c.Value != "" {
			h := http.Header{"Cookie": {c.Name + "=" + c.Value}}
			who := e.do(http.MethodGet, "/api/v1/session", nil, h)
			m := regexp.MustCompile(`"csrf_token":"([^"]+)"`).FindSubmatch(who.body)
			if who.status != http.StatusOK || m == nil {
				t.Fatalf("GET /api/v1/session after signing in: %s", who)
			}
			h.Set("X-Csrf-Token", string(m[1]))
			return h
		}
	}
	t.Fatalf("signing in set no session cookie: %s %v", r, r.header)
	return nil
}

// httpBody is a request body from a string.
func httpBody(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }
