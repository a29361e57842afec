package api

import (
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// pageForm sends a page's form as a signed-in person's browser does: the CSRF token, if any, in
// the form's csrf_token field, never in a header.
func (e *testEnv) pageForm(caller, path string, form url.Values) result {
	e.t.Helper()
	h := e.as[caller].Clone()
	h.Del("X-Csrf-Token")
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(http.MethodPost, path, strings.NewReader(form.Encode()), h)
}

// csrfOf is the CSRF token of a caller's session, as its pages hold it.
func (e *testEnv) csrfOf(caller string) string { return e.as[caller].Get("X-Csrf-Token") }

// auditActions lists the audit log's newest events as "action target actor".
func (e *testEnv) auditActions(t *testing.T) []string {
	t.Helper()
	events, _, err := e.store.AuditEvents(context.Background(), 0, 200)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.Action + " " + ev.Target + " " + ev.Actor
	}
	return out
}

// checkPage asserts an HTML page with the status, and returns its text with entities decoded.
func checkPage(t *testing.T, r result, status int) string {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %.400s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q, want an HTML page", ct)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	return html.UnescapeString(string(r.body))
}

// checkSummary asserts the page's error summary links to exactly these elements, each of which
// is on the page.
func checkSummary(t *testing.T, page string, targets ...string) {
	t.Helper()
	if !strings.Contains(page, `<title>Error: `) {
		t.Errorf("the page title does not start with Error:")
	}
	var links []string
	for _, m := range regexp.MustCompile(`<li><a href="#([^"]+)">`).FindAllStringSubmatch(page, -1) {
		links = append(links, m[1])
	}
	if strings.Join(links, " ") != strings.Join(targets, " ") {
		t.Errorf("the error summary links to %v, want %v", links, targets)
	}
	for _, id := range targets {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("the error summary links to #%s, which is not on the page", id)
		}
	}
}

// checkFieldErrors asserts the error summary links to exactly these fields, and each field shows
// its message, tied to it with aria-describedby.
func checkFieldErrors(t *testing.T, page string, fields ...string) {
	t.Helper()
	checkSummary(t, page, fields...)
	for _, f := range fields {
		described := regexp.MustCompile(`aria-describedby="([^"]* )?` + f + `-error"`)
		if !strings.Contains(page, `id="`+f+`-error"`) || !described.MatchString(page) {
			t.Errorf("field %s shows no error message tied to it", f)
		}
	}
}

// TestAdminPagesAccess: each admin page is for admins: a signed-in admin sees it, hr and leads are
// refused, an anonymous person is sent to sign in and back.
func TestAdminPagesAccess(t *testing.T) {
	e := newTestEnv(t)
	for _, path := range []string{"/admin", "/admin/users", "/admin/waves/invite/invitations"} {
		page := checkPage(t, e.do(http.MethodGet, path, nil, e.as[sessionAdmin]), http.StatusOK)
		if !strings.Contains(page, `href="/sign-out"`) || !strings.Contains(page, `href="/admin"`) {
			t.Errorf("%s: the navigation lacks Administration or Sign out", path)
		}
		if !strings.Contains(page, `name="csrf_token" value="`+e.csrfOf(sessionAdmin)+`"`) {
			t.Errorf("%s: a form lacks the session's CSRF token", path)
		}
		for _, caller := range []string{sessionHR, sessionLeadComms, tokenHR} {
			if r := e.do(http.MethodGet, path, nil, e.as[caller]); r.status != http.StatusForbidden {
				t.Errorf("GET %s as %s: %s, want 403", path, caller, r)
			}
		}
		for _, caller := range []string{anonymous, sessionExpired, sessionForged} {
			r := e.do(http.MethodGet, path, nil, e.as[caller])
			if want := "/sign-in?return=" + url.QueryEscape(path); r.status != http.StatusSeeOther || r.header.Get("Location") != want {
				t.Errorf("GET %s as %s: %d to %q, want 303 to %q", path, caller, r.status, r.header.Get("Location"), want)
			}
		}
	}
}

// TestAdminPagesNeedCSRF: a form sent with the session's cookie but without its CSRF token, or
// with another, is refused and changes nothing, as a form another site made a browser send would be.
func TestAdminPagesNeedCSRF(t *testing.T) {
	e := newTestEnv(t)
	before := len(e.auditActions(t))
	forms := []struct {
		path string
		form url.Values
	}{
		{"/admin/waves/open/close", url.Values{}},
		{"/admin/waves/scheduled/open", url.Values{}},
		{"/admin/waves/invite/invitations", url.Values{"team": {"campaigns"}, "count": {"2"}}},
		{"/admin/users", url.Values{"email": {"mallory@example.gov.uk"}, "role": {"admin"}}},
	}
	for _, f := range forms {
		for _, token := range []string{"", "not-the-token", e.csrfOf(sessionHR)} {
			form := url.Values{}
			for k, v := range f.form {
				form[k] = v
			}
			if token != "" {
				form.Set("csrf_token", token)
			}
			r := e.pageForm(sessionAdmin, f.path, form)
			if r.status != http.StatusForbidden || checkError(t, r).Code != "csrf" {
				t.Errorf("POST %s with csrf_token %q: %s, want 403 csrf", f.path, token, r)
			}
		}
	}
	if after := len(e.auditActions(t)); after != before {
		t.Errorf("the audit log grew from %d to %d events: a refused form changed something", before, after)
	}
	for key, want := range map[string]string{waveOpen: store.StateOpen, waveScheduled: store.StateScheduled} {
		if w, _ := e.store.Wave(context.Background(), key); w.State(e.clock.Now()) != want {
			t.Errorf("wave %s is %s, want %s", key, w.State(e.clock.Now()), want)
		}
	}
	if _, err := e.store.UserByEmail(context.Background(), "mallory@example.gov.uk"); err == nil {
		t.Error("a refused form added a person")
	}
}

// TestAdminWaves: the waves page lists every wave with the button its state allows; closing and
// opening from it change the wave, say so in a banner after a redirect, and are in the audit log.
func TestAdminWaves(t *testing.T) {
	e := newTestEnv(t)
	page := checkPage(t, e.do(http.MethodGet, "/admin", nil, e.as[sessionAdmin]), http.StatusOK)
	for _, want := range []string{
		"Spring 2026", "Key: open", "Summer 2026", "Winter 2025", "Spring 2026 (invited)",
		"Opens: 8 March 2026 at 9:30am UTC", "Closes: Not set", "Invitation codes", "Anyone with the link",
		`action="/admin/waves/open/close"`, `action="/admin/waves/scheduled/open"`,
		`Close<span class="govuk-visually-hidden"> Spring 2026</span>`,
		`href="/admin/waves/invite/invitations"`, `href="/admin/users"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the waves page lacks %q", want)
		}
	}
	for _, unwanted := range []string{`/admin/waves/closed/`, `/admin/waves/open/invitations`, "govuk-notification-banner"} {
		if strings.Contains(page, unwanted) {
			t.Errorf("the waves page has %q", unwanted)
		}
	}

	csrf := url.Values{"csrf_token": {e.csrfOf(sessionAdmin)}}
	for _, c := range []struct{ path, location, banner, state string }{
		{"/admin/waves/open/close", "/admin?closed=open", "Spring 2026 is closed.", store.StateClosed},
		{"/admin/waves/scheduled/open", "/admin?opened=scheduled", "Summer 2026 is open.", store.StateOpen},
	} {
		r := e.pageForm(sessionAdmin, c.path, csrf)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != c.location {
			t.Fatalf("POST %s: %d to %q, want 303 to %s", c.path, r.status, r.header.Get("Location"), c.location)
		}
		after := checkPage(t, e.do(http.MethodGet, c.location, nil, e.as[sessionAdmin]), http.StatusOK)
		if !strings.Contains(after, "govuk-notification-banner--success") || !strings.Contains(after, c.banner) {
			t.Errorf("after POST %s the page does not say %q", c.path, c.banner)
		}
		key := strings.Split(c.path, "/")[3]
		if w, _ := e.store.Wave(context.Background(), key); w.State(e.clock.Now()) != c.state {
			t.Errorf("wave %s is %s after POST %s, want %s", key, w.State(e.clock.Now()), c.path, c.state)
		}
	}
	actions := e.auditActions(t)
	if len(actions) < 2 || actions[0] != "wave.open wave:scheduled user:admin@example.gov.uk" ||
		actions[1] != "wave.close wave:open user:admin@example.gov.uk" {
		t.Errorf("the audit log begins %q, want the opening and the closing by the admin", actions[:min(2, len(actions))])
	}

	// A change the wave's state forbids: the page again, saying why, linked to the wave's row.
	page = checkPage(t, e.pageForm(sessionAdmin, "/admin/waves/closed/open", csrf), http.StatusConflict)
	checkSummary(t, page, "wave-closed")
	if !strings.Contains(page, "Winter 2025 is closed, so it cannot be opened now") || !strings.Contains(page, `id="wave-closed"`) {
		t.Errorf("reopening a closed wave does not say why: %.2000s", page)
	}
	if page := checkPage(t, e.pageForm(sessionAdmin, "/admin/waves/no-such-wave/close", csrf), http.StatusNotFound); !strings.Contains(page, "There is no wave with this key") {
		t.Errorf("an unknown wave's page says: %.2000s", page)
	}
	// A program with an admin token may use the page's form too, and needs no CSRF token.
	if r := e.do(http.MethodPost, "/admin/waves/invite/close", strings.NewReader(""),
		http.Header{"Authorization": e.as[tokenAdmin]["Authorization"], "Content-Type": {"application/x-www-form-urlencoded"}}); r.status != http.StatusSeeOther {
		t.Errorf("POST /admin/waves/invite/close with an admin token: %s", r)
	}
}

// TestAdminInvitationsPage: the form offers current teams and answers with the codes as a CSV
// download; what it refuses comes back as the form with an error summary, and makes no code.
func TestAdminInvitationsPage(t *testing.T) {
	e := newTestEnv(t)
	const path = "/admin/waves/invite/invitations"
	page := checkPage(t, e.do(http.MethodGet, path, nil, e.as[sessionAdmin]), http.StatusOK)
	if !strings.Contains(page, `<option value="campaigns">Campaigns</option>`) || strings.Contains(page, `value="old-team"`) {
		t.Errorf("the team list should hold current teams only: %.3000s", page)
	}
	if strings.Contains(page, "govuk-error-summary") {
		t.Error("a fresh form shows errors")
	}

	csrf := e.csrfOf(sessionAdmin)
	r := e.pageForm(sessionAdmin, path, url.Values{"csrf_token": {csrf}, "team": {"campaigns"}, "count": {"1,000"}})
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("POST %s: %d %s, want 200 text/csv", path, r.status, r.header.Get("Content-Type"))
	}
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="invitations-invite-campaigns.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1001 || strings.Join(rows[0], ",") != "wave,team,invitation_code" {
		t.Fatalf("%d rows, header %q; want the header and 1000 codes", len(rows), rows[0])
	}
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		if row[0] != waveInvite || row[1] != "campaigns" || row[2] == "" || seen[row[2]] {
			t.Fatalf("bad row %q", row)
		}
		seen[row[2]] = true
	}
	if a := e.auditActions(t); len(a) == 0 || a[0] != "invitations.create wave:invite user:admin@example.gov.uk" {
		t.Errorf("the audit log begins %q", a[:min(1, len(a))])
	}

	before := len(e.auditActions(t))
	for _, c := range []struct {
		name, team, count string
		status            int
		fields            []string
		message           string
	}{
		{"nothing", "", "", 422, []string{"team", "count"}, "Enter how many codes to make"},
		{"no team", "", "5", 422, []string{"team"}, "Select the team the codes are for"},
		{"none", "campaigns", "0", 422, []string{"count"}, "from 1 to 10,000"},
		{"too many", "campaigns", "10001", 422, []string{"count"}, "from 1 to 10,000"},
		{"not a number", "campaigns", "ten", 422, []string{"count"}, "from 1 to 10,000"},
		{"unknown team", "nowhere", "5", 422, []string{"team"}, "Select a current team"},
		{"retired team", "old-team", "5", 409, []string{"team"}, "Select a current team"},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := checkPage(t, e.pageForm(sessionAdmin, path, url.Values{"csrf_token": {csrf}, "team": {c.team}, "count": {c.count}}), c.status)
			checkFieldErrors(t, page, c.fields...)
			if !strings.Contains(page, c.message) {
				t.Errorf("the page does not say %q", c.message)
			}
			if !strings.Contains(page, `value="`+c.count+`"`) {
				t.Errorf("the count typed, %q, is not kept", c.count)
			}
		})
	}
	if after := len(e.auditActions(t)); after != before {
		t.Errorf("refused forms made codes: the audit log grew from %d to %d", before, after)
	}

	for _, c := range []struct {
		path   string
		status int
	}{{"/admin/waves/open/invitations", 409}, {"/admin/waves/no-such-wave/invitations", 404}} {
		checkPage(t, e.do(http.MethodGet, c.path, nil, e.as[sessionAdmin]), c.status)
	}
}

// TestAdminPeoplePage: the people page lists every account; adding a person through it follows the
// API's rules, shows the generated password once, and the person can sign in with it.
func TestAdminPeoplePage(t *testing.T) {
	e := newTestEnv(t)
	page := checkPage(t, e.do(http.MethodGet, "/admin/users", nil, e.as[sessionAdmin]), http.StatusOK)
	for _, want := range []string{"admin@example.gov.uk", "lead.comms@example.gov.uk", "Communications directorate", "Every team", "Signs in with a password",
		`<option value="policy">Policy directorate</option>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the people page lacks %q", want)
		}
	}
	people := func() int {
		t.Helper()
		all, err := e.store.Users(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(all)
	}
	before, audited := people(), len(e.auditActions(t))
	csrf := e.csrfOf(sessionAdmin)
	for _, c := range []struct {
		name    string
		form    url.Values
		status  int
		fields  []string
		message string
	}{
		{"nothing", url.Values{}, 422, []string{"email", "role"}, "Enter their email address"},
		{"not an email", url.Values{"email": {"jane at example"}, "role": {"hr"}}, 422, []string{"email"}, "Enter an email address like"},
		{"no role", url.Values{"email": {"jane@example.gov.uk"}}, 422, []string{"role"}, "Select a role"},
		{"unknown role", url.Values{"email": {"jane@example.gov.uk"}, "role": {"owner"}}, 422, []string{"role"}, "Select a role"},
		{"lead without a team", url.Values{"email": {"jane@example.gov.uk"}, "role": {"lead"}}, 422, []string{"scope"}, "Select the team whose figures the lead sees"},
		{"lead of a retired team", url.Values{"email": {"jane@example.gov.uk"}, "role": {"lead"}, "scope": {"old-team"}}, 422, []string{"scope"}, "Select a current team"},
		{"taken", url.Values{"email": {"HR@example.gov.uk"}, "role": {"hr"}}, 409, []string{"email"}, "There is already an account"},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.form.Set("csrf_token", csrf)
			page := checkPage(t, e.pageForm(sessionAdmin, "/admin/users", c.form), c.status)
			checkFieldErrors(t, page, c.fields...)
			if !strings.Contains(page, c.message) {
				t.Errorf("the page does not say %q", c.message)
			}
			if email := c.form.Get("email"); !strings.Contains(page, `value="`+email+`"`) {
				t.Errorf("the email typed, %q, is not kept", email)
			}
			if role := c.form.Get("role"); role == "lead" && strings.Contains(page, `govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-role"`) {
				t.Error("the lead's team is hidden though lead is chosen")
			}
		})
	}
	if n, a := people(), len(e.auditActions(t)); n != before || a != audited {
		t.Errorf("refused forms changed something: %d people (was %d), %d audit events (was %d)", n, before, a, audited)
	}

	// A lead, with comments ticked under hr before choosing lead: the hidden field is not sent on.
	added := checkPage(t, e.pageForm(sessionAdmin, "/admin/users", url.Values{"csrf_token": {csrf},
		"email": {" Jane.Lead@Example.gov.uk "}, "role": {"lead"}, "scope": {"policy"}, "comments": {"yes"}}), http.StatusOK)
	m := regexp.MustCompile(`id="password">([^<]+)<`).FindStringSubmatch(added)
	if m == nil || len(m[1]) != 23 {
		t.Fatalf("the page shows no generated password: %.3000s", added)
	}
	password := m[1]
	for _, want := range []string{"jane.lead@example.gov.uk", "a lead", "Policy directorate", "Copy it now: it is not shown again"} {
		if !strings.Contains(added, want) {
			t.Errorf("the confirmation lacks %q", want)
		}
	}
	u, err := e.store.UserByEmail(context.Background(), "jane.lead@example.gov.uk")
	if err != nil || u.Role != string(access.Lead) || u.ScopeTeam == nil || u.ScopeTeam.Key != "policy" || u.Comments {
		t.Fatalf("stored %+v, %v; want a lead of policy without the comments flag", u, err)
	}
	events, _, err := e.store.AuditEvents(context.Background(), 0, 1)
	if err != nil || len(events) != 1 || events[0].Action != access.ActionUserAdd || events[0].Actor != "user:admin@example.gov.uk" {
		t.Fatalf("the audit log begins %+v, %v", events, err)
	}
	if strings.Contains(events[0].Detail, password) {
		t.Error("the password is in the audit log")
	}
	if page := checkPage(t, e.do(http.MethodGet, "/admin/users", nil, e.as[sessionAdmin]), http.StatusOK); strings.Contains(page, password) ||
		!strings.Contains(page, "jane.lead@example.gov.uk") {
		t.Error("the people page shows the password, or not the new person")
	}
	if r := e.postSignIn(t, "192.0.2.77", "jane.lead@example.gov.uk", password); r.status != http.StatusSeeOther {
		t.Errorf("the new person cannot sign in with the password shown: %s", r)
	}
}

// TestEmailParts: an email is cut after its @ and before each dot, and nowhere else.
func TestEmailParts(t *testing.T) {
	for email, want := range map[string]string{
		"lead.policy@example.gov.uk": "lead|.policy@|example|.gov|.uk",
		"a@b":                        "a@|b",
		".odd..one@x.":               ".odd|.|.one@|x|.",
		"no-at-all":                  "no-at-all",
	} {
		got := emailParts(email)
		if strings.Join(got, "|") != want || strings.Join(got, "") != email {
			t.Errorf("emailParts(%q) = %q, want %s", email, got, want)
		}
	}
}
