package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/survey"
)

// The statuses a route gives each kind of caller. Dead sessions (expired, signed out, forged) get
// what anonymous callers get; a bad bearer token always gets 401, whatever the route.
type statuses struct {
	anon, admin, hr, lead, leadOut int
}

// everyone is a route that answers the same to every caller with a good credential or none.
func everyone(status int) statuses { return statuses{status, status, status, status, status} }

// reporters is a route for those who read reports; apiRoute says whether it answers 401 or, as a
// page, sends an anonymous person to sign in.
func reporters(ok int, apiRoute bool) statuses {
	anon := http.StatusSeeOther
	if apiRoute {
		anon = http.StatusUnauthorized
	}
	return statuses{anon, ok, ok, ok, ok}
}

// adminOnly is a route for admins: 401 anonymous, 403 for hr and leads.
func adminOnly(ok int) statuses {
	return statuses{http.StatusUnauthorized, ok, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden}
}

// adminPage is an admin's page: an anonymous person is sent to sign in, hr and leads get 403.
func adminPage(ok int) statuses {
	return statuses{http.StatusSeeOther, ok, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden}
}

// form is the content type of the pages' forms.
const form = "application/x-www-form-urlencoded"

// routeCase is one row of the route table: a request for a route, and what each caller gets.
type routeCase struct {
	method, path string // as registered
	url          string // the request's address, parameters filled in
	body         func() string
	contentType  string
	want         statuses
	// except gives callers whose answer differs from their column's.
	except map[string]int
	// fresh: the request ends the caller's session, so each caller gets a new one.
	fresh bool
}

// routeCases is every route the router has. TestRouteTable fails when a route has no row here.
func routeCases() []routeCase {
	submission := func() string { return openSubmission(newSubmissionID(), "digital-engagement", `{`+minimal+`}`) }
	lead := func(ok, out int) statuses { return statuses{http.StatusUnauthorized, ok, ok, ok, out} }
	return []routeCase{
		{method: "GET", path: "/healthz", want: everyone(200)},
		{method: "GET", path: "/readyz", want: everyone(200)},
		{method: "GET", path: "/api/v1/openapi.json", want: everyone(200)},
		{method: "GET", path: "/accessibility", want: everyone(200)},
		{method: "GET", path: "/privacy", want: everyone(200)},
		{method: "GET", path: "/contact", want: everyone(200)},
		{method: "GET", path: "/api/v1/waves/:wave/questionnaire", url: "/api/v1/waves/open/questionnaire", want: everyone(200)},
		{method: "GET", path: "/api/v1/waves/:wave/teams", url: "/api/v1/waves/open/teams", want: everyone(200)},
		// The open wave is not answered by signing in.
		{method: "GET", path: "/api/v1/waves/:wave/pass", url: "/api/v1/waves/open/pass", want: everyone(409)},
		{method: "GET", path: "/waves/:wave/sign-in", url: "/waves/open/sign-in", want: everyone(409)},
		{method: "POST", path: "/api/v1/waves/:wave/responses", url: "/api/v1/waves/open/responses", body: submission, want: everyone(201)},
		{method: "GET", path: "/api/v1/session", want: reporters(200, true)},
		// A token has no session to end.
		{method: "DELETE", path: "/api/v1/session", want: statuses{401, 204, 204, 204, 204}, fresh: true, except: tokens(403)},
		// A person already signed in is sent on.
		{method: "GET", path: "/sign-in", want: everyone(200), except: people(303)},
		// Without the sign-in page's form cookie, the form is refused whoever sends it.
		{method: "POST", path: "/sign-in", body: func() string { return "email=a%40b.c&password=x" },
			contentType: "application/x-www-form-urlencoded", want: everyone(403)},
		{method: "GET", path: "/sign-in/sso", want: everyone(303)},
		// Without the state cookie the provider's answer belongs to no sign-in under way.
		{method: "GET", path: "/sign-in/callback", want: everyone(400)},
		{method: "GET", path: "/sign-out", want: reporters(200, false)},
		{method: "POST", path: "/sign-out", contentType: "application/x-www-form-urlencoded", want: everyone(303), fresh: true},
		{method: "GET", path: "/api/v1/waves", want: reporters(200, true)},
		{method: "GET", path: "/api/v1/waves/:wave/report", url: "/api/v1/waves/open/report", want: reporters(200, true)},
		// The lead of campaigns, a team of comms, may not see the directorate above it.
		{method: "GET", path: "/api/v1/waves/:wave/report", url: "/api/v1/waves/open/report?group=comms", want: lead(200, 404),
			except: map[string]int{sessionLeadTeam: 404}},
		{method: "GET", path: "/api/v1/waves/:wave/trend", url: "/api/v1/waves/open/trend?group=comms", want: lead(200, 404),
			except: map[string]int{sessionLeadTeam: 404}},
		// Focus areas of comms: read by whoever sees it; chosen by admins and comms' lead, not hr.
		{method: "GET", path: "/api/v1/waves/:wave/groups/:group/focus-areas", url: "/api/v1/waves/closed/groups/comms/focus-areas",
			want: lead(200, 404), except: map[string]int{sessionLeadTeam: 404}},
		{method: "PUT", path: "/api/v1/waves/:wave/groups/:group/focus-areas", url: "/api/v1/waves/closed/groups/comms/focus-areas",
			body: func() string { return `{"areas":[{"dimension":"engagement","note":"Share one example a month"}]}` },
			want: statuses{http.StatusUnauthorized, 200, 403, 200, 404}, except: map[string]int{sessionLeadTeam: 404}},
		// Every reader gets the feed; a lead's holds their subtree and the department (TestResultsFeedMatchesReports).
		{method: "GET", path: "/api/v1/surveys/:survey/results", url: "/api/v1/surveys/small/results?format=csv", want: reporters(200, true)},
		{method: "GET", path: "/waves/:wave", url: "/waves/open", want: everyone(200)},
		// The plain form, for browsers without JavaScript, reads no session (a respondent's route):
		// a form with no submission_id is refused, whoever sends it.
		{method: "GET", path: "/waves/:wave/form", url: "/waves/open/form", want: everyone(200)},
		{method: "POST", path: "/waves/:wave/form", url: "/waves/open/form", contentType: form,
			body: func() string { return "page=start" }, want: everyone(400)},
		{method: "POST", path: "/waves/:wave/form/send", url: "/waves/open/form/send", contentType: form,
			body: func() string {
				return "submission_id=" + newSubmissionID() + "&team=digital-engagement&role-type=non-specialist&consult=2"
			}, want: everyone(201)},
		// Admins only. Each admin request changes something, so each row's body is new each time.
		{method: "POST", path: "/api/v1/waves", body: func() string {
			return `{"key":"w-` + newSubmissionID()[:8] + `","survey":"small","title":"Autumn"}`
		}, want: adminOnly(201)},
		{method: "POST", path: "/api/v1/waves/:wave/open", url: "/api/v1/waves/scheduled/open", want: adminOnly(200),
			except: map[string]int{sessionAdmin: 409}}, // the admin token opened it first
		{method: "POST", path: "/api/v1/waves/:wave/invitations", url: "/api/v1/waves/invite/invitations",
			body: func() string { return `{"team":"campaigns","count":2}` }, want: adminOnly(201)},
		{method: "POST", path: "/api/v1/waves/:wave/close", url: "/api/v1/waves/invite/close", want: adminOnly(200),
			except: map[string]int{sessionAdmin: 409}},
		{method: "GET", path: "/api/v1/teams", want: adminOnly(200)},
		{method: "GET", path: "/api/v1/backup", want: adminOnly(200)},
		{method: "PUT", path: "/api/v1/teams", contentType: "text/csv", body: func() string { return teamsCSV }, want: adminOnly(200)},
		{method: "GET", path: "/api/v1/users", want: adminOnly(200)},
		{method: "POST", path: "/api/v1/users", body: func() string {
			return `{"email":"new-` + newSubmissionID()[:8] + `@example.gov.uk","role":"hr"}`
		}, want: adminOnly(201)},
		{method: "DELETE", path: "/api/v1/users/:email", url: "/api/v1/users/nobody@example.gov.uk", want: adminOnly(404)},
		{method: "GET", path: "/api/v1/tokens", want: adminOnly(200)},
		{method: "POST", path: "/api/v1/tokens", body: func() string {
			return `{"name":"t-` + newSubmissionID()[:8] + `","role":"hr","expires":"30d"}`
		}, want: adminOnly(201)},
		{method: "DELETE", path: "/api/v1/tokens/:name", url: "/api/v1/tokens/no-such-token", want: adminOnly(404)},
		{method: "GET", path: "/api/v1/audit", want: adminOnly(200)},
		{method: "GET", path: "/dashboard", url: "/dashboard?wave=open", want: reporters(200, false)},
		// The admin pages. A session's form sends only its csrf_token here (routeRequest), so a form
		// that needs fields answers it 422; the API's rows above opened "scheduled" and closed
		// "invite", which then takes no codes (TestAdminPages makes some).
		{method: "GET", path: "/admin", want: adminPage(200)},
		{method: "POST", path: "/admin/waves/:wave/open", url: "/admin/waves/scheduled/open", contentType: form,
			want: adminPage(409)},
		{method: "POST", path: "/admin/waves/:wave/close", url: "/admin/waves/scheduled/close", contentType: form,
			want: adminPage(303), except: map[string]int{sessionAdmin: 409}},
		{method: "GET", path: "/admin/waves/:wave/invitations", url: "/admin/waves/invite/invitations", want: adminPage(409)},
		{method: "POST", path: "/admin/waves/:wave/invitations", url: "/admin/waves/invite/invitations", contentType: form,
			body: func() string { return "team=campaigns&count=2" }, want: adminPage(409)},
		{method: "GET", path: "/admin/users", want: adminPage(200)},
		{method: "POST", path: "/admin/users", contentType: form, body: func() string {
			return "email=page-" + newSubmissionID()[:8] + "%40example.gov.uk&role=hr"
		}, want: adminPage(200), except: map[string]int{sessionAdmin: 422}},
	}
}

// tokens gives every good token the same answer.
func tokens(status int) map[string]int {
	return map[string]int{tokenAdmin: status, tokenHR: status, tokenHRComments: status, tokenLeadComms: status, tokenLeadOther: status}
}

// people gives every signed-in person the same answer.
func people(status int) map[string]int {
	return map[string]int{sessionAdmin: status, sessionHR: status, sessionLeadComms: status, sessionLeadTeam: status, sessionLeadOther: status}
}

// teamsCSV is the test environment's hierarchy as a file, unchanged.
const teamsCSV = "key,name,parent,headcount\n" +
	"dept,Department,,300\ncomms,Communications directorate,dept,\npolicy,Policy directorate,dept,\n" +
	"digital-engagement,Digital engagement,comms,12\ncampaigns,Campaigns,comms,8\npolicy-unit,Policy unit,policy,\n"

// callerKind maps each caller of the environment to the column of statuses it gets.
var callerKind = map[string]string{
	anonymous: "anon", sessionExpired: "anon", sessionEnded: "anon", sessionForged: "anon",
	sessionAdmin: "admin", tokenAdmin: "admin",
	sessionHR: "hr", tokenHR: "hr", tokenHRComments: "hr",
	sessionLeadComms: "lead", tokenLeadComms: "lead", sessionLeadTeam: "lead",
	sessionLeadOther: "leadOut", tokenLeadOther: "leadOut",
	tokenExpired: "bad", tokenRevoked: "bad", tokenFlipped: "bad",
}

// callerOrder is the order callers are tried in: rows that change state count on the admin
// token going before the admin's session.
var callerOrder = []string{
	anonymous, sessionExpired, sessionEnded, sessionForged, tokenExpired, tokenRevoked, tokenFlipped,
	sessionHR, tokenHR, tokenHRComments, sessionLeadComms, tokenLeadComms, sessionLeadTeam, sessionLeadOther, tokenLeadOther,
	tokenAdmin, sessionAdmin,
}

func (s statuses) of(kind string) int {
	switch kind {
	case "anon":
		return s.anon
	case "admin":
		return s.admin
	case "hr":
		return s.hr
	case "lead":
		return s.lead
	case "leadOut":
		return s.leadOut
	}
	return http.StatusUnauthorized // a bad bearer token
}

// pagesFS stands in for the built pages.
var pagesFS = fstest.MapFS{
	"index.html":     {Data: []byte("<!DOCTYPE html><title>home</title>")},
	"survey.html":    {Data: []byte("<!DOCTYPE html><title>survey</title>")},
	"dashboard.html": {Data: []byte("<!DOCTYPE html><title>dashboard</title>")},
}

// TestRouteTable sends every route every kind of caller: anonymous, a signed-in admin, hr, leads in
// and out of scope, an expired, a signed-out and a forged session, a token of each role, and an
// expired, a revoked and a tampered token.
func TestRouteTable(t *testing.T) {
	e := newTestEnv(t)
	e.addResponses(waveOpen, "digital-engagement", 6)
	// With single sign-on and the respondent key, so their routes are in the table too.
	idp := startProvider(t)
	rules, err := access.ParseClaimRules(ssoRules)
	if err != nil {
		t.Fatal(err)
	}
	sso, err := access.NewSSO(context.Background(), access.SSOConfig{Issuer: idp.Issuer(), ClientID: idp.ClientID,
		ClientSecret: idp.ClientSecret, RedirectURL: "http://127.0.0.1/sign-in/callback", Rules: rules}, e.store, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, table := newRouter(Config{Store: e.store, Now: e.clock.Now, Static: http.FS(pagesFS), Proxies: mustProxies(t),
		Definitions: []*survey.Definition{e.def}, SSO: sso, Passes: testPasses(t, nil)})

	covered := map[string]bool{}
	cases := routeCases()
	for _, rc := range cases {
		covered[rc.method+" "+rc.path] = true
	}
	// A route put on the engine directly, past rt.handle, would have no permission at all.
	inTable := map[string]bool{}
	for _, r := range table {
		inTable[r.method+" "+r.path] = true
	}
	for _, r := range h.(*gin.Engine).Routes() {
		if !inTable[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is registered past the route table (use rt.handle, which names its permission)", r.Method, r.Path)
		}
	}
	for _, r := range table {
		if !covered[r.method+" "+r.path] {
			t.Errorf("route %s %s (%s) has no row in routeCases: add one saying what each caller gets", r.method, r.path, r.permission)
		}
	}
	if len(callerKind) != len(e.as) || len(callerOrder) != len(e.as) {
		t.Fatalf("callerKind has %d callers, the environment %d", len(callerKind), len(e.as))
	}

	requests := 0
	for _, rc := range cases {
		for _, caller := range callerOrder {
			kind := callerKind[caller]
			want, special := rc.except[caller]
			if !special {
				want = rc.want.of(kind)
			}
			header := e.as[caller].Clone()
			if rc.fresh && strings.Contains(caller, "(session)") {
				header = e.freshSession(t, caller)
			}
			// Each request comes from its own address, so the abuse limits stay out of the way.
			header.Set("X-Forwarded-For", fmt.Sprintf("198.51.%d.%d", requests/250, requests%250+1))
			got := e.routeRequest(t, h, rc, header)
			requests++
			if got.Code != want {
				t.Errorf("%s %s as %s: %d, want %d: %.300s", rc.method, rc.urlOrPath(), caller, got.Code, want, got.Body)
			}
		}
	}
	t.Logf("%d routes, %d rows, %d callers, %d requests", len(table), len(cases), len(callerKind), requests)
}

func (rc routeCase) urlOrPath() string {
	if rc.url != "" {
		return rc.url
	}
	return rc.path
}

// routeRequest sends one row's request as a caller, in-process, validated against the OpenAPI document.
func (e *testEnv) routeRequest(t *testing.T, h http.Handler, rc routeCase, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	var body string
	if rc.body != nil {
		body = rc.body()
	}
	req := httptest.NewRequest(rc.method, rc.urlOrPath(), strings.NewReader(body))
	req.RemoteAddr = "127.0.0.1:40000"
	req.Host = "127.0.0.1"
	for k, vs := range header {
		if k != testAnonymous {
			req.Header[k] = vs
		}
	}
	switch {
	case rc.contentType != "":
		req.Header.Set("Content-Type", rc.contentType)
	case body != "":
		req.Header.Set("Content-Type", "application/json")
	}
	// A session's form sends its csrf_token, except to the sign-in page and respondents' forms,
	// which read no session.
	if rc.contentType == "application/x-www-form-urlencoded" && header.Get("X-Csrf-Token") != "" && rc.path != "/sign-in" &&
		!strings.HasPrefix(rc.path, "/waves/") {
		req.Body = httpBody("csrf_token=" + header.Get("X-Csrf-Token"))
	}
	return e.serve(h, req)
}

// freshSession signs the caller's person in again, for rows that end the session.
func (e *testEnv) freshSession(t *testing.T, caller string) http.Header {
	t.Helper()
	emails := map[string]string{sessionAdmin: "admin@example.gov.uk", sessionHR: "hr@example.gov.uk",
		sessionLeadComms: "lead.comms@example.gov.uk", sessionLeadTeam: "lead.campaigns@example.gov.uk",
		sessionLeadOther: "lead.policy@example.gov.uk"}
	email, ok := emails[caller]
	if !ok {
		return e.as[caller].Clone()
	}
	r := e.postSignIn(t, fmt.Sprintf("192.0.2.%d", len(caller)), email, testPassword)
	return e.sessionOf(t, r)
}

func mustProxies(t testing.TB) access.Proxies {
	t.Helper()
	p, err := access.ParseProxies("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return p
}
