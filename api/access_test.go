package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// commsSubtree is every name and key of the comms directorate's subtree: a lead of policy must see
// none of them, anywhere.
var commsSubtree = []string{"comms", "Communications directorate", "digital-engagement", "Digital engagement", "campaigns", "Campaigns"}

// TestLeadCannotReachAnotherSubtree plays a lead of the policy directorate trying every way to
// reach the comms directorate's figures: asking for its groups by key in the report (JSON, CSV,
// XLSX, every level) and the trend, and reading every report whole.
func TestLeadCannotReachAnotherSubtree(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.addResponses(waveOpen, "digital-engagement", 6)
	e.addResponses(waveOpen, "campaigns", 6)
	e.addResponses(waveOpen, "policy-unit", 6)
	for _, caller := range []string{sessionLeadOther, tokenLeadOther} {
		as := e.as[caller]
		for _, group := range []string{"comms", "digital-engagement", "campaigns", "no-such-team"} {
			for _, format := range []string{"json", "csv", "xlsx"} {
				for _, level := range []string{"all", "team", "directorate", "department"} {
					r := e.do("GET", "/api/v1/waves/open/report?format="+format+"&level="+level+"&group="+group, nil, as)
					if r.status != http.StatusNotFound || checkError(t, r).Code != "group_not_found" {
						t.Errorf("%s: report of %s as %s (%s): %s, want 404 group_not_found", caller, group, format, level, r)
					}
				}
			}
			r := e.do("GET", "/api/v1/waves/open/trend?group="+group, nil, as)
			if r.status != http.StatusNotFound || checkError(t, r).Code != "group_not_found" {
				t.Errorf("%s: trend of %s: %s, want 404 group_not_found", caller, group, r)
			}
		}
		// The whole report, in every form, names nothing of the comms subtree.
		for _, format := range []string{"json", "csv", "xlsx"} {
			for _, q := range []string{"", "&breakdown=role-type", "&comments=true"} {
				r := e.do("GET", "/api/v1/waves/open/report?format="+format+q, nil, as)
				if r.status != http.StatusOK {
					t.Fatalf("%s: whole report %s%s: %s", caller, format, q, r)
				}
				text := downloadText(t, format, r.body)
				for _, name := range commsSubtree {
					if strings.Contains(text, name) {
						t.Errorf("%s: the %s report%s names %q of another subtree", caller, format, q, name)
					}
				}
				for _, want := range []string{"policy-unit", "dept"} {
					if !strings.Contains(text, want) {
						t.Errorf("%s: the %s report%s lacks %q, which the lead may see", caller, format, q, want)
					}
				}
			}
		}
	}
	// The same lead reads their own team and the department.
	for _, path := range []string{"/api/v1/waves/open/report?group=policy-unit", "/api/v1/waves/open/trend?group=dept", "/api/v1/waves/open/trend?group=policy"} {
		if r := e.do("GET", path, nil, e.as[sessionLeadOther]); r.status != http.StatusOK {
			t.Errorf("lead of policy: %s: %s, want 200", path, r)
		}
	}
}

// downloadText is a report's text whatever its format: an XLSX's every cell, joined.
func downloadText(t *testing.T, format string, body []byte) string {
	t.Helper()
	if format != "xlsx" {
		return string(body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		b.WriteString(sheet + "\n")
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return b.String()
}

// TestLeadSeesOwnSubtreeAndDepartment: a lead of comms gets comms, its teams and the department,
// and nothing of policy; comments only within comms.
func TestLeadSeesOwnSubtreeAndDepartment(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.addResponses(waveOpen, "digital-engagement", 6)
	e.addResponses(waveOpen, "campaigns", 6)
	e.addResponses(waveOpen, "policy-unit", 6)
	r := e.do("GET", "/api/v1/waves/open/report", nil, e.as[sessionLeadComms])
	got := map[string]bool{}
	for key := range reportGroups(t, r) {
		got[key] = true
	}
	for _, want := range []string{"dept", "comms", "digital-engagement", "campaigns"} {
		if !got[want] {
			t.Errorf("lead of comms does not see %s: %v", want, got)
		}
	}
	for _, not := range []string{"policy", "policy-unit", "old-team"} {
		if got[not] {
			t.Errorf("lead of comms sees %s", not)
		}
	}
	// hr without the grant may not ask for comments; with it, may.
	if r := e.do("GET", "/api/v1/waves/open/report?comments=true", nil, e.as[tokenHR]); r.status != http.StatusForbidden || checkError(t, r).Code != "comments_not_granted" {
		t.Errorf("hr without comments asking for comments: %s, want 403 comments_not_granted", r)
	}
	if r := e.do("GET", "/api/v1/waves/open/report?comments=true", nil, e.as[tokenHRComments]); r.status != http.StatusOK {
		t.Errorf("hr with comments: %s, want 200", r)
	}
}

// TestCSRF: a change made with a session cookie needs the session's CSRF token; a token from
// another session, or none, is refused and changes nothing.
func TestCSRF(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	admin := e.as[sessionAdmin]
	other := e.as[sessionHR].Get("X-Csrf-Token")
	body := `{"email":"csrf-victim@example.gov.uk","role":"hr"}`
	for name, token := range map[string]string{"none": "", "another session's": other, "made up": "x"} {
		h := admin.Clone()
		h.Del("X-Csrf-Token")
		if token != "" {
			h.Set("X-Csrf-Token", token)
		}
		r := e.do("POST", "/api/v1/users", strings.NewReader(body), h)
		if r.status != http.StatusForbidden || checkError(t, r).Code != "csrf" {
			t.Errorf("%s CSRF token: %s, want 403 csrf", name, r)
		}
	}
	if users, _ := e.store.Users(context.Background()); containsUser(users, "csrf-victim@example.gov.uk") {
		t.Fatal("a refused request added the person")
	}
	if r := e.do("POST", "/api/v1/users", strings.NewReader(body), admin); r.status != http.StatusCreated {
		t.Errorf("with the CSRF token: %s, want 201", r)
	}
	// A form post through the browser: the field works as the header does.
	h := admin.Clone()
	h.Del("X-Csrf-Token")
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := e.do("POST", "/sign-out", strings.NewReader("csrf_token=wrong"), h); r.status != http.StatusForbidden {
		t.Errorf("sign-out form with a wrong token: %s, want 403", r)
	}
	if r := e.do("GET", "/api/v1/session", nil, admin); r.status != http.StatusOK {
		t.Errorf("the refused sign-out ended the session: %s", r)
	}
	if r := e.do("POST", "/sign-out", strings.NewReader("csrf_token="+url.QueryEscape(admin.Get("X-Csrf-Token"))), h); r.status != http.StatusSeeOther {
		t.Errorf("sign-out form with the token: %s, want 303", r)
	}
	// A token needs no CSRF token: a program sends no cookie a browser could be tricked into sending.
	if r := e.do("POST", "/api/v1/users", strings.NewReader(`{"email":"by-token@example.gov.uk","role":"hr"}`), e.as[tokenAdmin]); r.status != http.StatusCreated {
		t.Errorf("with a bearer token: %s, want 201", r)
	}
}

func containsUser(users []store.User, email string) bool {
	for _, u := range users {
		if u.Email == email {
			return true
		}
	}
	return false
}

// TestBruteForce: 50 wrong passwords from one address are stopped with 429 after the limit, and the
// right password still works from another address; the same for invitation codes.
func TestBruteForce(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const attacker, colleague = "203.0.113.66", "198.51.100.7"
	limited := 0
	for i := range 50 {
		r := e.postSignIn(t, attacker, "admin@example.gov.uk", "wrong password "+string(rune('a'+i%26)))
		switch r.status {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			limited++
			if r.header.Get("Retry-After") == "" {
				t.Errorf("429 without Retry-After")
			}
		default:
			t.Fatalf("attempt %d: %s", i, r)
		}
	}
	if limited != 40 { // the clock stands still, so nothing refills: 10 attempts, then none
		t.Errorf("%d of 50 wrong passwords were limited, want 40", limited)
	}
	if r := e.postSignIn(t, attacker, "admin@example.gov.uk", testPassword); r.status != http.StatusTooManyRequests {
		t.Errorf("the right password from the limited address: %d, want 429", r.status)
	}
	r := e.postSignIn(t, colleague, "admin@example.gov.uk", testPassword)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/dashboard?wave=open" {
		t.Fatalf("the right password from another address: %s %v", r, r.header)
	}
	e.sessionOf(t, r)

	// Invitation codes: 50 wrong codes from one address.
	limited = 0
	for i := range 50 {
		body := `{"submission_id":"` + newSubmissionID() + `","invitation_code":"WRONG-CODE-` + string(rune('A'+i%26)) + `","answers":{` + minimal + `}}`
		h := from(e.as[anonymous], attacker)
		r := e.do("POST", "/api/v1/waves/invite/responses", strings.NewReader(body), h)
		switch r.status {
		case http.StatusForbidden:
		case http.StatusTooManyRequests:
			limited++
		default:
			t.Fatalf("code attempt %d: %s", i, r)
		}
	}
	if limited != 30 { // 20 wrong codes, then none
		t.Errorf("%d of 50 wrong codes were limited, want 30", limited)
	}
	body := `{"submission_id":"` + newSubmissionID() + `","invitation_code":"` + e.codes[0] + `","answers":{` + minimal + `}}`
	if r := e.do("POST", "/api/v1/waves/invite/responses", strings.NewReader(body), from(e.as[anonymous], colleague)); r.status != http.StatusCreated {
		t.Errorf("a right code from another address: %s, want 201", r)
	}
	// The forwarding header counts only from a trusted proxy: a client cannot name a new address
	// for each guess. Here the peer is trusted by nobody, and guesses bad tokens.
	h := New(Config{Store: e.store, Now: e.clock.Now, Proxies: nil, Limits: Limits{SignIn: Limit{Every: 1 << 40, Burst: 2},
		Codes: DefaultLimits.Codes, Submissions: DefaultLimits.Submissions}})
	statuses := []int{}
	for i := range 4 {
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.RemoteAddr, req.Host = "192.0.2.1:1000", "127.0.0.1"
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.0.0.%d", i+1))
		req.Header.Set("Authorization", "Bearer "+access.NewToken())
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		statuses = append(statuses, rec.Code)
	}
	if fmt.Sprint(statuses) != "[401 401 429 429]" {
		t.Errorf("guesses naming a new X-Forwarded-For each from an untrusted peer: %v, want [401 401 429 429]", statuses)
	}
}

// TestSignIn: what a person meets signing in and out, and what an attacker meets trying.
func TestSignIn(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const addr = "198.51.100.20"
	wrong := e.postSignIn(t, addr, "admin@example.gov.uk", "not the password")
	unknown := e.postSignIn(t, addr, "nobody@example.gov.uk", "not the password")
	for _, r := range []result{wrong, unknown} {
		if r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), "The email address or password is not right") {
			t.Errorf("a failed sign-in: %d, want 401 with the one message", r.status)
		}
		if cookieNamed(r, sessionCookiePlain) != nil {
			t.Error("a failed sign-in set a session cookie")
		}
	}
	// The two failures differ only in the email echoed back and the fresh form token.
	strip := func(r result) string {
		s := strings.ReplaceAll(string(r.body), "nobody@example.gov.uk", "")
		s = strings.ReplaceAll(s, "admin@example.gov.uk", "")
		return csrfField.ReplaceAllString(s, "")
	}
	if strip(wrong) != strip(unknown) {
		t.Error("an unknown email and a wrong password get different pages")
	}
	// The audit log has both failures, without the typed password, naming only the real account.
	events, _, err := e.store.AuditEvents(context.Background(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actors []string
	for _, ev := range events {
		if ev.Action == access.ActionSignInFailed {
			actors = append(actors, ev.Actor)
		}
		if strings.Contains(ev.Actor+ev.Detail+ev.Target, "not the password") {
			t.Errorf("the audit log holds the typed password: %+v", ev)
		}
	}
	if strings.Join(actors, ",") != "anonymous,user:admin@example.gov.uk" {
		t.Errorf("sign-in failures audited as %v", actors)
	}

	ok := e.postSignIn(t, addr, "ADMIN@example.gov.uk ", testPassword)
	c := cookieNamed(ok, sessionCookiePlain)
	if ok.status != http.StatusSeeOther || c == nil {
		t.Fatalf("signing in: %s", ok)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure || c.Domain != "" {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, no Domain, not Secure over plain HTTP", c)
	}
	session := e.sessionOf(t, ok)
	// Signing in again from the same browser leaves no second session behind.
	cookie, token := e.signInForm(t, addr)
	again := from(e.as[anonymous], addr)
	again.Set("Content-Type", "application/x-www-form-urlencoded")
	again.Set("Cookie", formCookiePlain+"="+cookie+"; "+session.Get("Cookie"))
	form := url.Values{"email": {"hr@example.gov.uk"}, "password": {testPassword}, "csrf_token": {token}}
	if r := e.do("POST", "/sign-in", strings.NewReader(form.Encode()), again); r.status != http.StatusSeeOther {
		t.Fatalf("signing in again: %s", r)
	}
	if r := e.do("GET", "/api/v1/session", nil, session); r.status != http.StatusUnauthorized {
		t.Errorf("the first session outlived a second sign-in: %s", r)
	}
	session = e.sessionOf(t, e.postSignIn(t, addr, "admin@example.gov.uk", testPassword))
	// Signing out ends the session on the server: the old cookie is worthless.
	if r := e.do("DELETE", "/api/v1/session", nil, session); r.status != http.StatusNoContent {
		t.Fatalf("sign out: %s", r)
	}
	if r := e.do("GET", "/api/v1/session", nil, session); r.status != http.StatusUnauthorized {
		t.Errorf("the cookie after signing out: %s, want 401", r)
	}
	// The return address stays on this site.
	for _, ret := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "dashboard"} {
		cookie, token := e.signInForm(t, addr)
		form := url.Values{"email": {"admin@example.gov.uk"}, "password": {testPassword}, "csrf_token": {token}, "return": {ret}}
		h := from(e.as[anonymous], addr)
		h.Set("Content-Type", "application/x-www-form-urlencoded")
		h.Set("Cookie", formCookiePlain+"="+cookie)
		r := e.do("POST", "/sign-in", strings.NewReader(form.Encode()), h)
		if r.header.Get("Location") != "/dashboard" {
			t.Errorf("return %q sent the browser to %q, want /dashboard", ret, r.header.Get("Location"))
		}
	}
	// A form without the sign-in page's cookie is refused (login CSRF).
	h := from(e.as[anonymous], addr)
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	form = url.Values{"email": {"admin@example.gov.uk"}, "password": {testPassword}, "csrf_token": {"guess"}}
	if r := e.do("POST", "/sign-in", strings.NewReader(form.Encode()), h); r.status != http.StatusForbidden {
		t.Errorf("sign-in without the form cookie: %d, want 403", r.status)
	}
}

func cookieNamed(r result, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestServedOverTLS: behind a trusted proxy that says HTTPS, cookies take the __Host- prefix and
// Secure, and answers carry HSTS; a client that says HTTPS itself is not believed.
func TestServedOverTLS(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	h := from(e.as[anonymous], "198.51.100.30")
	h.Set("X-Forwarded-Proto", "https")
	r := e.do("GET", "/sign-in", nil, h)
	c := cookieNamed(r, formCookieTLS)
	if c == nil || !c.Secure || !c.HttpOnly {
		t.Errorf("over TLS the form cookie is %+v, want __Host- and Secure", c)
	}
	if !strings.HasPrefix(r.header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS over TLS: %v", r.header)
	}
	// From an untrusted peer the header is not believed.
	srv := httptest.NewServer(New(Config{Store: e.store, Now: e.clock.Now}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/sign-in", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent because an untrusted client said https")
	}
}

// TestHostHeader: a page that rebinds its own DNS name to this machine cannot reach the service
// through a visitor's browser.
func TestHostHeader(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	h := New(Config{Store: e.store, Now: e.clock.Now, Hosts: []string{"skills.example.gov.uk"}})
	for host, want := range map[string]int{
		"evil.example": http.StatusMisdirectedRequest, "evil.example:8080": http.StatusMisdirectedRequest,
		"skills.example.gov.uk": http.StatusOK, "SKILLS.example.gov.uk:443": http.StatusOK,
		"127.0.0.1:8080": http.StatusOK, "localhost": http.StatusOK, "[::1]:8080": http.StatusOK,
	} {
		req := httptest.NewRequest("GET", "/api/v1/waves/open/questionnaire", nil)
		req.Host = host
		if rec := e.serve(h, req); rec.Code != want {
			t.Errorf("Host %s: %d, want %d", host, rec.Code, want)
		}
	}
	// Load balancers probe by IP address; the probes reveal nothing, so any Host may ask.
	for _, path := range []string{"/healthz", "/readyz"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Host = "10.1.2.3:8080"
		if rec := e.serve(h, req); rec.Code != http.StatusOK {
			t.Errorf("%s by IP: %d, want 200", path, rec.Code)
		}
	}
	// The refusal itself, over TLS, still carries HSTS.
	req := httptest.NewRequest("GET", "/api/v1/waves", nil)
	req.Host = "evil.example"
	req.TLS = &tls.ConnectionState{}
	if rec := e.serve(h, req); rec.Code != http.StatusMisdirectedRequest || rec.Header().Get("Strict-Transport-Security") == "" {
		t.Errorf("a foreign Host over TLS: %d, HSTS %q", rec.Code, rec.Header().Get("Strict-Transport-Security"))
	}
}

// TestSubmissionsOnlyAsJSON: another site's plain form cannot post a submission through a
// visitor's browser.
func TestSubmissionsOnlyAsJSON(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	body := openSubmission(newSubmissionID(), "digital-engagement", `{`+minimal+`}`)
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"} {
		r := e.do("POST", "/api/v1/waves/open/responses", strings.NewReader(body), http.Header{"Content-Type": {ct}, testAnonymous: {"y"}})
		if r.status != http.StatusUnsupportedMediaType || checkError(t, r).Code != "unsupported_media_type" {
			t.Errorf("Content-Type %s: %s, want 415", ct, r)
		}
	}
	if n := e.count(waveOpen); n != 0 {
		t.Errorf("%d responses stored from refused posts", n)
	}
	r := e.do("POST", "/api/v1/waves/open/responses", strings.NewReader(body), http.Header{"Content-Type": {"application/json; charset=utf-8"}, testAnonymous: {"y"}})
	if r.status != http.StatusCreated {
		t.Errorf("application/json; charset=utf-8: %s, want 201", r)
	}
}

// TestHeadersOnEveryAnswer: the new headers are on errors too.
func TestHeadersOnEveryAnswer(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, path := range []string{"/api/v1/waves", "/api/v1/waves/nope/report", "/sign-in", "/api/v1/audit"} {
		r := e.do("GET", path, nil, e.as[anonymous])
		checkHeaders(t, r, strings.HasPrefix(path, "/api/"))
		if r.header.Get("Permissions-Policy") == "" || r.header.Get("Cross-Origin-Opener-Policy") != "same-origin" {
			t.Errorf("%s (%d): Permissions-Policy %q, COOP %q", path, r.status, r.header.Get("Permissions-Policy"), r.header.Get("Cross-Origin-Opener-Policy"))
		}
	}
}

// TestAnsweringIgnoresTheSession: a signed-in member of staff who answers the survey is not
// identified: their session's last-seen time does not move, whatever they submit.
func TestAnsweringIgnoresTheSession(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	h := e.as[sessionLeadComms].Clone()
	hash := access.Hash(strings.TrimPrefix(h.Get("Cookie"), sessionCookiePlain+"="))
	before, err := e.store.SessionByHash(ctx, hash)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(e.clock.Now().Add(10 * time.Minute)) // long enough that any use would be recorded
	h.Set("Content-Type", "application/json")
	for _, path := range []string{"/api/v1/waves/open/questionnaire", "/api/v1/waves/open/teams"} {
		if r := e.do("GET", path, nil, h); r.status != http.StatusOK {
			t.Fatalf("%s: %s", path, r)
		}
	}
	body := openSubmission(newSubmissionID(), "digital-engagement", `{`+minimal+`}`)
	if r := e.do("POST", "/api/v1/waves/open/responses", strings.NewReader(body), h); r.status != http.StatusCreated {
		t.Fatalf("submit: %s", r)
	}
	after, err := e.store.SessionByHash(ctx, hash)
	if err != nil {
		t.Fatal(err)
	}
	if !after.LastSeenAt.Equal(before.LastSeenAt) {
		t.Errorf("answering moved the session's last-seen time from %s to %s", before.LastSeenAt, after.LastSeenAt)
	}
	// The same session reading a report is seen (and so kept alive).
	if r := e.do("GET", "/api/v1/waves", nil, e.as[sessionLeadComms]); r.status != http.StatusOK {
		t.Fatal(r)
	}
	if later, _ := e.store.SessionByHash(ctx, hash); later.LastSeenAt.Equal(before.LastSeenAt) {
		t.Error("reading a report did not touch the session: the test would pass whatever answering did")
	}
}

// TestAuditRecordsExportsAndSignIns: every download, every report a program reads, every token's
// trend and every sign-in is in the audit log, newest first and paged; a person reading the
// dashboard's JSON is not an export.
func TestAuditRecordsExportsAndSignIns(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.addResponses(waveOpen, "digital-engagement", 6)
	steps := []struct {
		caller, path string
		want         string // actor action target detail, or "" for no event
	}{
		{sessionAdmin, "/api/v1/waves/open/report?format=csv", "user:admin@example.gov.uk report.export wave:open level=all format=csv"},
		{sessionAdmin, "/api/v1/waves/open/report", ""},
		{tokenHR, "/api/v1/waves/open/report?level=team", "token:test-hr-token report.export wave:open level=team format=json"},
		{sessionLeadComms, "/api/v1/waves/open/report?format=xlsx&group=comms&breakdown=role-type",
			"user:lead.comms@example.gov.uk report.export wave:open level=all format=xlsx group=comms breakdown=role-type"},
		{tokenLeadComms, "/api/v1/waves/open/trend?group=comms", "token:test-lead-of-comms-token token.use wave:open trend group=comms"},
	}
	for _, st := range steps {
		before := e.auditCount(t)
		if r := e.do("GET", st.path, nil, from(e.as[st.caller], "198.51.100.44")); r.status != http.StatusOK {
			t.Fatalf("%s as %s: %s", st.path, st.caller, r)
		}
		events, total, err := e.store.AuditEvents(context.Background(), 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case st.want == "" && total != before:
			t.Errorf("%s as %s wrote an audit event: %+v", st.path, st.caller, events[0])
		case st.want != "" && (total != before+1 || events[0].Actor+" "+events[0].Action+" "+events[0].Target+" "+events[0].Detail != st.want ||
			events[0].Address != "198.51.100.44"):
			t.Errorf("%s as %s: newest event %+v (of %d, was %d), want %q from 198.51.100.44", st.path, st.caller, events, total, before, st.want)
		}
	}
	r := e.postSignIn(t, "198.51.100.45", "hr@example.gov.uk", testPassword)
	if r.status != http.StatusSeeOther {
		t.Fatal(r)
	}
	if events, _, _ := e.store.AuditEvents(context.Background(), 0, 1); events[0].Action != access.ActionSignIn ||
		events[0].Actor != "user:hr@example.gov.uk" || events[0].Address != "198.51.100.45" {
		t.Errorf("a sign-in was audited as %+v", events[0])
	}

	// The log through the API, two at a time, newest first.
	total := e.auditCount(t)
	var seen []string
	for page := 1; page <= int(total+1)/2; page++ {
		r := e.do("GET", fmt.Sprintf("/api/v1/audit?per_page=2&page=%d", page), nil, e.as[tokenAdmin])
		var body struct {
			Events []struct{ At, Action string }
			Page   int
			Total  int64
		}
		if err := json.Unmarshal(r.body, &body); err != nil || r.status != http.StatusOK || body.Page != page || body.Total != total {
			t.Fatalf("page %d: %s", page, r)
		}
		for _, ev := range body.Events {
			seen = append(seen, ev.At)
		}
	}
	if int64(len(seen)) != total {
		t.Errorf("the pages held %d events, the log %d", len(seen), total)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] > seen[i-1] {
			t.Errorf("event %d (%s) is newer than the one before (%s): not newest first", i, seen[i], seen[i-1])
		}
	}
	for _, q := range []string{"page=0", "per_page=201", "page=x", "per_page=-1"} {
		if r := e.do("GET", "/api/v1/audit?"+q, nil, e.as[tokenAdmin]); r.status != http.StatusUnprocessableEntity {
			t.Errorf("audit ?%s: %s, want 422", q, r)
		}
	}
}

func (e *testEnv) auditCount(t *testing.T) int64 {
	t.Helper()
	_, total, err := e.store.AuditEvents(context.Background(), 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// TestSignOutForm: the sign-out button ends the session on the server, not only in the browser.
func TestSignOutForm(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	session := e.sessionOf(t, e.postSignIn(t, "198.51.100.50", "hr@example.gov.uk", testPassword))
	h := session.Clone()
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	r := e.do("POST", "/sign-out", strings.NewReader("csrf_token="+url.QueryEscape(session.Get("X-Csrf-Token"))), h)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/sign-in?signed_out=1" {
		t.Fatalf("sign-out: %s", r)
	}
	if c := cookieNamed(r, sessionCookiePlain); c == nil || c.MaxAge >= 0 {
		t.Errorf("the session cookie was not cleared: %+v", c)
	}
	if r := e.do("GET", "/api/v1/session", nil, session); r.status != http.StatusUnauthorized {
		t.Errorf("the cookie kept after signing out: %s, want 401", r)
	}
}

// TestSessionCookieOverTLS: signed in through a proxy that says HTTPS, the session cookie is
// __Host- prefixed and Secure, and the plain name is not accepted.
func TestSessionCookieOverTLS(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tlsFrom := func(h http.Header) http.Header {
		h = from(h, "198.51.100.60")
		h.Set("X-Forwarded-Proto", "https")
		return h
	}
	page := e.do("GET", "/sign-in", nil, tlsFrom(e.as[anonymous]))
	form := cookieNamed(page, formCookieTLS)
	m := csrfField.FindSubmatch(page.body)
	if form == nil || m == nil {
		t.Fatalf("sign-in page over TLS: %s", page)
	}
	token := strings.TrimSuffix(strings.TrimPrefix(string(m[0]), `name="csrf_token" value="`), `"`)
	h := tlsFrom(e.as[anonymous])
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("Cookie", formCookieTLS+"="+form.Value)
	body := url.Values{"email": {"hr@example.gov.uk"}, "password": {testPassword}, "csrf_token": {token}}
	r := e.do("POST", "/sign-in", strings.NewReader(body.Encode()), h)
	c := cookieNamed(r, sessionCookieTLS)
	if r.status != http.StatusSeeOther || c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
		t.Fatalf("sign-in over TLS: %s, session cookie %+v", r, c)
	}
	if cookieNamed(r, sessionCookiePlain) != nil {
		t.Error("over TLS a cookie without the __Host- prefix was set")
	}
	if who := e.do("GET", "/api/v1/session", nil, tlsFrom(http.Header{"Cookie": {sessionCookieTLS + "=" + c.Value}})); who.status != http.StatusOK {
		t.Errorf("the __Host- cookie over TLS: %s", who)
	}
	// The same value under the plain name, over TLS, is not a session: a cookie set over plain
	// HTTP (which any network attacker can set) cannot stand in.
	if who := e.do("GET", "/api/v1/session", nil, tlsFrom(http.Header{"Cookie": {sessionCookiePlain + "=" + c.Value}})); who.status != http.StatusUnauthorized {
		t.Errorf("the plain cookie name over TLS: %s, want 401", who)
	}
}

// TestSuccessfulSignInsAreNotLimited: an office signing in one after another from one address.
func TestSuccessfulSignInsAreNotLimited(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for i := range 25 {
		if r := e.postSignIn(t, "203.0.113.200", "hr@example.gov.uk", testPassword); r.status != http.StatusSeeOther {
			t.Fatalf("sign-in %d from one address: %d", i+1, r.status)
		}
	}
}

// TestSubmissionLimit: past the submission limit, an address gets 429 and stores nothing more;
// another address is still served.
func TestSubmissionLimit(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	h := New(Config{Store: e.store, Now: e.clock.Now, Proxies: mustProxies(t),
		Limits: Limits{SignIn: DefaultLimits.SignIn, Codes: DefaultLimits.Codes, Submissions: Limit{Every: time.Hour, Burst: 3}}})
	post := func(address string) int {
		req := httptest.NewRequest("POST", "/api/v1/waves/open/responses", strings.NewReader(openSubmission(newSubmissionID(), "digital-engagement", `{`+minimal+`}`)))
		req.RemoteAddr, req.Host = "127.0.0.1:1000", "127.0.0.1"
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", address)
		rec := e.serve(h, req)
		if rec.Code == http.StatusTooManyRequests && rec.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		return rec.Code
	}
	var got []int
	for range 5 {
		got = append(got, post("198.51.100.70"))
	}
	if fmt.Sprint(got) != "[201 201 201 429 429]" {
		t.Errorf("five submissions from one address: %v, want three stored and two refused", got)
	}
	if n := e.count(waveOpen); n != 3 {
		t.Errorf("%d responses stored, want 3", n)
	}
	if code := post("198.51.100.71"); code != http.StatusCreated {
		t.Errorf("another address: %d, want 201", code)
	}
}
