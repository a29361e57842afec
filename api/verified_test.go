package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"skillsurvey/internal/access"
)

// verifiedBody is a submission to a verified wave for team campaigns.
func verifiedBody(id string) string { return openSubmission(id, "campaigns", `{`+minimal+`}`) }

// passOf is the pass cookie a browser holds for the service.
func (e *verifiedEnv) passOf(b *http.Client) *http.Cookie {
	u, _ := url.Parse(e.srv.URL)
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == passCookiePlain {
			return c
		}
	}
	return nil
}

// passStatus is GET /api/v1/waves/{wave}/pass in browser b.
func (e *verifiedEnv) passStatus(t *testing.T, b *http.Client, wave string) passJSON {
	t.Helper()
	r := e.send(t, b, http.MethodGet, "/api/v1/waves/"+wave+"/pass", "")
	var p passJSON
	if r.status != http.StatusOK || json.Unmarshal(r.body, &p) != nil {
		t.Fatalf("GET pass: %s", r)
	}
	return p
}

// TestVerifiedAnswersOnce: a person signed in answers once; a retry gets the first receipt; a
// second answer, under a new submission_id or after signing in again, is refused and changes nothing.
func TestVerifiedAnswersOnce(t *testing.T) {
	e := newVerifiedEnv(t)
	ann := person("ann@example.gov.uk")

	b := e.browser()
	if p := e.passStatus(t, b, waveSpring); p.SignedIn || p.Answered || p.SignIn != "/waves/spring/sign-in" {
		t.Errorf("before signing in: %+v", p)
	}
	back := e.signIn(t, b, waveSpring, ann)
	if back.status != http.StatusSeeOther || back.header.Get("Location") != "/waves/spring" {
		t.Fatalf("callback: %s to %q", back, back.header.Get("Location"))
	}
	pass := cookieOf(back, passCookiePlain)
	if pass == nil || !pass.HttpOnly || pass.SameSite != http.SameSiteLaxMode || pass.Path != "/" ||
		pass.MaxAge != int(access.PassLifetime.Seconds()) {
		t.Fatalf("pass cookie %+v, want HttpOnly, SameSite=Lax, for the whole site, for %s", pass, access.PassLifetime)
	}
	if cookieOf(back, sessionCookiePlain) != nil {
		t.Error("signing in to answer made a staff session")
	}
	if p := e.passStatus(t, b, waveSpring); !p.SignedIn || p.Answered {
		t.Errorf("signed in: %+v", p)
	}

	id := newSubmissionID()
	first := e.submit(t, b, waveSpring, verifiedBody(id))
	if first.status != http.StatusCreated {
		t.Fatalf("first answer: %s", first)
	}
	if p := e.passStatus(t, b, waveSpring); !p.SignedIn || !p.Answered {
		t.Errorf("after answering: %+v", p)
	}
	if retry := e.submit(t, b, waveSpring, verifiedBody(id)); retry.status != http.StatusOK || !sameJSON(t, retry.body, string(first.body)) {
		t.Errorf("retry: %s, want 200 with the first receipt %s", retry, first.body)
	}
	again := e.submit(t, b, waveSpring, openSubmission(newSubmissionID(), "policy-unit", `{"role-type":"specialist","consult":4}`))
	if again.status != http.StatusConflict || checkError(t, again).Code != "already_answered" {
		t.Errorf("a second answer: %s, want 409 already_answered", again)
	}
	other := e.browser()
	e.signIn(t, other, waveSpring, ann)
	if r := e.submit(t, other, waveSpring, verifiedBody(newSubmissionID())); r.status != http.StatusConflict || checkError(t, r).Code != "already_answered" {
		t.Errorf("a second answer after signing in again: %s, want 409 already_answered", r)
	}
	if n := e.count(t, waveSpring); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
	// Someone else answers; Ann answers another wave.
	bob := e.browser()
	e.signIn(t, bob, waveSpring, person("bob@example.gov.uk"))
	if r := e.submit(t, bob, waveSpring, verifiedBody(newSubmissionID())); r.status != http.StatusCreated {
		t.Errorf("Bob: %s", r)
	}
	e.signIn(t, b, waveAutumn, ann)
	if r := e.submit(t, b, waveAutumn, verifiedBody(newSubmissionID())); r.status != http.StatusCreated {
		t.Errorf("Ann in another wave: %s", r)
	}
	if n := e.count(t, waveSpring); n != 2 {
		t.Errorf("%d responses, want 2", n)
	}
}

// TestVerifiedAnswersAtOnce: one person sending answers at once, from one browser and from two
// sign-ins, each under its own submission_id: one is stored.
func TestVerifiedAnswersAtOnce(t *testing.T) {
	e := newVerifiedEnv(t)
	browsers := []*http.Client{e.browser(), e.browser()}
	for _, b := range browsers {
		e.signIn(t, b, waveSpring, person("ann@example.gov.uk"))
	}
	const n = 12
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { statuses[i] = e.submit(t, browsers[i%2], waveSpring, verifiedBody(newSubmissionID())).status })
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
		default:
			t.Errorf("status %d, want 201 or 409", s)
		}
	}
	if created != 1 || e.count(t, waveSpring) != 1 {
		t.Errorf("%d created, %d stored; want 1 (statuses %v)", created, e.count(t, waveSpring), statuses)
	}
}

// TestVerifiedPassRefused: without a pass for the wave (none, another wave's, expired, altered or
// made elsewhere) a submission is refused, says where to sign in, and stores nothing.
func TestVerifiedPassRefused(t *testing.T) {
	e := newVerifiedEnv(t)
	autumn := e.browser()
	e.signIn(t, autumn, waveAutumn, person("ann@example.gov.uk"))
	expired := e.browser()
	e.signIn(t, expired, waveSpring, person("bob@example.gov.uk"))
	autumnPass, springPass := e.passOf(autumn).Value, e.passOf(expired).Value
	// with is a pass of the autumn wave with its i-th part changed.
	with := func(pass string, i int, v string) string {
		parts := strings.Split(pass, ".")
		parts[i] = v
		return strings.Join(parts, ".")
	}
	elsewhere, err := access.NewPasses([]byte(strings.Repeat("another key ", 4)), e.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	spring := e.waves[waveSpring].ID
	cookie := func(v string) []string { return []string{"Cookie", passCookiePlain + "=" + v} }
	tests := []struct {
		name   string
		header []string
	}{
		{"no pass", nil},
		{"another wave's pass", cookie(autumnPass)},
		{"another wave's pass moved to this wave", cookie(with(autumnPass, 1, fmt.Sprint(spring)))},
		{"another person's hash in a pass", cookie(with(springPass, 2, strings.Repeat("ab", 32)))},
		{"its end put off", cookie(with(springPass, 3, "99999999999"))},
		{"its MAC cut", cookie(with(springPass, 4, "AAAA"))},
		{"made under another key", cookie(elsewhere.Issue(access.Respondent{WaveID: spring, Issuer: e.idp.Issuer(), Subject: "sub-bob@example.gov.uk"}))},
		{"a pass by another cookie's name", []string{"Cookie", passCookieTLS + "=" + springPass}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.submit(t, e.browser(), waveSpring, verifiedBody(newSubmissionID()), tt.header...)
			if r.status != http.StatusUnauthorized || checkError(t, r).Code != "sign_in_required" ||
				!strings.Contains(r.header.Get("WWW-Authenticate"), `sign_in="/waves/spring/sign-in"`) ||
				!strings.Contains(string(r.body), "/waves/spring/sign-in") {
				t.Errorf("%s: %s %v, want 401 sign_in_required naming where to sign in", tt.name, r, r.header.Get("WWW-Authenticate"))
			}
		})
	}
	// The pass sent in the body is not a pass: a submission's fields are spelt out.
	body := `{"submission_id":"` + newSubmissionID() + `","team":"campaigns","pass":"` + springPass + `","answers":{` + minimal + `}}`
	if r := e.submit(t, e.browser(), waveSpring, body); r.status != http.StatusBadRequest {
		t.Errorf("a pass in the body: %s, want 400", r)
	}
	// A pass outlives its lifetime by nothing.
	e.clock.Set(testNow.Add(access.PassLifetime))
	if r := e.submit(t, expired, waveSpring, verifiedBody(newSubmissionID())); r.status != http.StatusUnauthorized {
		t.Errorf("an expired pass: %s, want 401", r)
	}
	if n := e.count(t, waveSpring); n != 0 {
		t.Errorf("%d responses stored by refused submissions", n)
	}
	if _, rows := e.table(t, "verified_respondents"); len(rows) != 0 {
		t.Errorf("verified_respondents holds %d rows after refusals", len(rows))
	}
}

// TestVerifiedCrossSite: a submission rides on the visitor's pass cookie, so another site must not
// be able to send one with it. The browser says who made the request (Sec-Fetch-Site); a form on
// another site cannot send JSON; and a script there would need a CORS preflight, which is refused.
func TestVerifiedCrossSite(t *testing.T) {
	e := newVerifiedEnv(t)
	b := e.browser()
	e.signIn(t, b, waveSpring, person("ann@example.gov.uk"))
	for _, site := range []string{"cross-site", "same-site"} {
		r := e.submit(t, b, waveSpring, verifiedBody(newSubmissionID()), "Sec-Fetch-Site", site)
		if r.status != http.StatusForbidden || checkError(t, r).Code != "cross_site" {
			t.Errorf("Sec-Fetch-Site: %s: %s, want 403 cross_site", site, r)
		}
	}
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
		if r := e.submit(t, b, waveSpring, verifiedBody(newSubmissionID()), "Content-Type", ct); r.status != http.StatusUnsupportedMediaType {
			t.Errorf("a form's body (%s): %s, want 415", ct, r)
		}
	}
	preflight := e.send(t, b, http.MethodOptions, "/api/v1/waves/spring/responses", "", "Origin", "https://evil.example",
		"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")
	if preflight.header.Get("Access-Control-Allow-Origin") != "" || preflight.header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("a CORS preflight is allowed: %s %v", preflight, preflight.header)
	}
	if n := e.count(t, waveSpring); n != 0 {
		t.Fatalf("%d responses stored by requests from another site", n)
	}
	if r := e.submit(t, b, waveSpring, verifiedBody(newSubmissionID()), "Sec-Fetch-Site", "same-origin"); r.status != http.StatusCreated {
		t.Errorf("from the survey page itself: %s", r)
	}
}

// TestVerifiedKeepsNoOne: what is kept of who answered is a keyed hash per wave in a table of two
// columns; no account, session, audit entry or log line names them, nor does the response.
func TestVerifiedKeepsNoOne(t *testing.T) {
	e := newVerifiedEnv(t)
	ann := person("ann@example.gov.uk")
	b := e.browser()
	for _, wave := range []string{waveSpring, waveAutumn} {
		e.signIn(t, b, wave, ann)
		if r := e.submit(t, b, wave, verifiedBody(newSubmissionID())); r.status != http.StatusCreated {
			t.Fatalf("%s: %s", wave, r)
		}
	}
	e.signIn(t, b, waveSpring, ann)
	e.submit(t, b, waveSpring, verifiedBody(newSubmissionID())) // refused: answered already
	e.send(t, b, http.MethodGet, "/sign-in/callback?state=forged&code=x", "", "Cookie", answerSSOCookiePlain+"=forged")

	cols, rows := e.table(t, "verified_respondents")
	if !slices.Equal(cols, []string{"person", "wave_id"}) || len(rows) != 2 {
		t.Fatalf("verified_respondents: columns %v, %d rows; want person and wave_id, 2 rows", cols, len(rows))
	}
	passes := testPasses(t, nil)
	for _, row := range rows {
		wave := e.waves[waveSpring]
		if row[1] != fmt.Sprint(wave.ID) {
			wave = e.waves[waveAutumn]
		}
		want := passes.Person(access.Respondent{WaveID: wave.ID, Issuer: e.idp.Issuer(), Subject: ann.Subject})
		if row[0] != want {
			t.Errorf("wave %d: person %q, want the keyed hash of the issuer, subject and wave", wave.ID, row[0])
		}
	}
	if rows[0][0] == rows[1][0] {
		t.Error("one person's hash is the same in two waves: the tables of two waves could be matched")
	}
	for _, table := range []string{"users", "sessions", "sign_in_flows"} {
		if _, rows := e.table(t, table); len(rows) != 0 {
			t.Errorf("%s holds %d rows after respondents signed in", table, len(rows))
		}
	}
	names := []string{"ann@example.gov.uk", ann.Subject, "sub-ann"}
	for _, table := range []string{"audit_events", "responses", "response_texts", "verified_respondents"} {
		_, rows := e.table(t, table)
		for _, row := range rows {
			for _, name := range names {
				if strings.Contains(strings.Join(row, "|"), name) {
					t.Errorf("%s holds %q: %v", table, name, row)
				}
			}
		}
	}
	log := e.log.String()
	if !strings.Contains(log, "respondent sign-in refused") {
		t.Errorf("the forged answer was not logged:\n%s", log)
	}
	for _, name := range names {
		if strings.Contains(log, name) {
			t.Errorf("the log holds %q:\n%s", name, log)
		}
	}
	for _, hash := range rows {
		if strings.Contains(log, hash[0]) {
			t.Errorf("the log holds a person's hash")
		}
	}
}

// TestVerifiedSignInStart: signing in to answer is for open verified waves only, and asks the
// provider for the person's id alone.
func TestVerifiedSignInStart(t *testing.T) {
	e := newVerifiedEnv(t)
	for _, tc := range []struct {
		wave   string
		status int
	}{{"nope", http.StatusNotFound}, {waveOpenly, http.StatusConflict}, {waveWinter, http.StatusConflict}} {
		r := e.send(t, e.browser(), http.MethodGet, "/waves/"+tc.wave+"/sign-in", "")
		if r.status != tc.status || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || cookieOf(r, answerSSOCookiePlain) != nil {
			t.Errorf("%s: %s, want a %d page and no sign-in begun", tc.wave, r, tc.status)
		}
	}
	r := e.send(t, e.browser(), http.MethodGet, "/waves/spring/sign-in", "")
	state := cookieOf(r, answerSSOCookiePlain)
	authURL, _ := url.Parse(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || state == nil || !state.HttpOnly || state.SameSite != http.SameSiteLaxMode {
		t.Fatalf("GET /waves/spring/sign-in: %s, state cookie %+v", r, state)
	}
	if q := authURL.Query(); q.Get("scope") != "openid" || q.Get("state") != state.Value || q.Get("code_challenge_method") != "S256" {
		t.Errorf("the provider is asked %v, want the openid scope only, with state and PKCE", q)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", r.header.Get("Cache-Control"))
	}

	t.Run("an answer brought to another browser is refused", func(t *testing.T) {
		b := e.browser()
		start := e.send(t, b, http.MethodGet, "/waves/spring/sign-in", "")
		callback := (&ssoEnv{idp: e.idp, srv: e.srv}).atProvider(t, b, start.header.Get("Location"), person("ann@example.gov.uk"))
		u, _ := url.Parse(callback)
		victim := e.browser()
		if r := e.send(t, victim, http.MethodGet, u.RequestURI(), ""); r.status != http.StatusBadRequest || e.passOf(victim) != nil {
			t.Errorf("another browser: %s", r)
		}
		if r := e.send(t, b, http.MethodGet, u.RequestURI(), ""); r.status != http.StatusSeeOther || e.passOf(b) == nil {
			t.Errorf("the browser that started: %s", r)
		}
	})
	t.Run("the provider's refusal is a page", func(t *testing.T) {
		b := e.browser()
		start := e.send(t, b, http.MethodGet, "/waves/spring/sign-in", "")
		state := cookieOf(start, answerSSOCookiePlain).Value
		r := e.send(t, b, http.MethodGet, "/sign-in/callback?error=access_denied&state="+state, "")
		if r.status != http.StatusUnauthorized || e.passOf(b) != nil || !strings.Contains(string(r.body), "survey page") {
			t.Errorf("refused: %s", r)
		}
	})
}

// TestVerifiedPassStatus: the survey page learns from GET pass whether to offer signing in.
func TestVerifiedPassStatus(t *testing.T) {
	e := newVerifiedEnv(t)
	for wave, code := range map[string]string{waveOpenly: "not_verified", waveWinter: "wave_closed", "nope": "wave_not_found"} {
		r := e.send(t, e.browser(), http.MethodGet, "/api/v1/waves/"+wave+"/pass", "")
		if r.status < 400 || checkError(t, r).Code != code {
			t.Errorf("%s: %s, want %s", wave, r, code)
		}
	}
	b := e.browser()
	e.signIn(t, b, waveAutumn, person("ann@example.gov.uk"))
	if p := e.passStatus(t, b, waveSpring); p.SignedIn {
		t.Errorf("another wave's pass counts as signed in: %+v", p)
	}
}

// TestVerifiedClosed: after a verified wave closes, a retry with its pass gets the first receipt,
// and nothing else gets in.
func TestVerifiedClosed(t *testing.T) {
	e := newVerifiedEnv(t)
	b := e.browser()
	e.signIn(t, b, waveSpring, person("ann@example.gov.uk"))
	id := newSubmissionID()
	first := e.submit(t, b, waveSpring, verifiedBody(id))
	if first.status != http.StatusCreated {
		t.Fatal(first)
	}
	if _, err := e.store.CloseWave(context.Background(), waveSpring); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(testNow.Add(time.Minute))
	if r := e.submit(t, b, waveSpring, verifiedBody(id)); r.status != http.StatusOK || !sameJSON(t, r.body, string(first.body)) {
		t.Errorf("a retry after closing: %s", r)
	}
	for name, browser := range map[string]*http.Client{"without a pass": e.browser(), "with it": b} {
		if r := e.submit(t, browser, waveSpring, verifiedBody(newSubmissionID())); r.status != http.StatusConflict || checkError(t, r).Code != "wave_closed" {
			t.Errorf("a new answer %s: %s, want wave_closed", name, r)
		}
	}
}

// TestWaveModes: a new wave is verified where respondents can sign in, else invite, and never open
// unless asked; verified is refused, saying why, where they cannot; a mode not spelt exactly is
// refused, naming the field.
func TestWaveModes(t *testing.T) {
	with := newVerifiedEnv(t)
	without := newTestEnv(t)
	create := func(t *testing.T, signIn bool, body string) result {
		t.Helper()
		if signIn {
			return with.send(t, with.browser(), http.MethodPost, "/api/v1/waves", body, "Authorization", "Bearer "+with.admin)
		}
		return without.do(http.MethodPost, "/api/v1/waves", strings.NewReader(body), nil)
	}
	for _, tc := range []struct {
		name   string
		signIn bool
		mode   string // "" leaves it out
		status int
		want   string // the mode made, or what the problem on mode says
	}{
		{"default with single sign-on", true, "", http.StatusCreated, "verified"},
		{"default without", false, "", http.StatusCreated, "invite"},
		{"verified with single sign-on", true, "verified", http.StatusCreated, "verified"},
		{"verified without", false, "verified", http.StatusUnprocessableEntity, "single sign-on"},
		{"open when asked", true, "open", http.StatusCreated, "open"},
		{"in capitals", true, "VERIFIED", http.StatusUnprocessableEntity, "use invite"},
		{"unknown", false, "closed", http.StatusUnprocessableEntity, "use invite"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"key":"w-` + newSubmissionID()[:8] + `","survey":"small"`
			if tc.mode != "" {
				body += `,"mode":"` + tc.mode + `"`
			}
			r := create(t, tc.signIn, body+"}")
			if r.status != tc.status {
				t.Fatalf("%s: %s, want %d", body, r, tc.status)
			}
			if tc.status == http.StatusCreated {
				if !strings.Contains(string(r.body), `"mode":"`+tc.want+`"`) {
					t.Errorf("made %s, want mode %s", r.body, tc.want)
				}
				return
			}
			if eb := checkError(t, r); eb.Code != "invalid" || !strings.Contains(eb.Fields["mode"], tc.want) || len(eb.Fields) != 1 {
				t.Errorf("refused with %+v, want a problem on mode saying %q", eb, tc.want)
			}
		})
	}
}
