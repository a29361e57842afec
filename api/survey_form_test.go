package api

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// Tests of the survey's plain HTML form (survey_form.go), for browsers without JavaScript: a whole
// response page by page, with the answers riding in the form; every kind of bad form refused with
// a clear page and nothing stored; a form sent twice stored once; and nothing of it in the log.

// servedForm is one page of the plain form as the service sent it.
type servedForm struct {
	status int
	body   string
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

// state is the page's hidden fields (those of its first form), as a browser would send them.
func (p servedForm) state() url.Values {
	v := url.Values{}
	body := p.body
	if end := strings.Index(body, "</form>"); end > 0 {
		body = body[:end]
	}
	for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
		v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return v
}

// post sends a form as a browser would: no credentials, the page's own origin.
func (e *testEnv) postForm(path string, form url.Values) servedForm {
	e.t.Helper()
	r := e.do(http.MethodPost, path, strings.NewReader(form.Encode()),
		http.Header{testAnonymous: {"y"}, "Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"same-origin"}})
	return servedForm{r.status, string(r.body)}
}

func (e *testEnv) getForm(path string) servedForm {
	e.t.Helper()
	r := e.do(http.MethodGet, path, nil, http.Header{testAnonymous: {"y"}})
	return servedForm{r.status, string(r.body)}
}

// next posts a page's state with the given fields on top.
func (e *testEnv) next(t *testing.T, p servedForm, path string, fields ...string) servedForm {
	t.Helper()
	v := p.state()
	// The page's controls stand in for its hidden fields of the same name; a name given twice is a
	// control sending two values (checkboxes).
	given := map[string]bool{}
	for i := 0; i+1 < len(fields); i += 2 {
		if given[fields[i]] {
			v.Add(fields[i], fields[i+1])
		} else {
			v.Set(fields[i], fields[i+1])
		}
		given[fields[i]] = true
	}
	return e.postForm(path, v)
}

func expectPage(t *testing.T, p servedForm, status int, wants ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d:\n%s", p.status, status, p.body)
	}
	for _, w := range wants {
		if !strings.Contains(p.body, w) {
			t.Fatalf("the page does not say %q:\n%s", w, p.body)
		}
	}
}

const formPath = "/waves/" + waveOpen + "/form"

// TestSurveyFormWalk answers the small survey page by page: the start, the team, each section with
// its errors, a question that appears once an earlier answer asks it, the check page, a change
// from it, and the send, twice, stored once.
func TestSurveyFormWalk(t *testing.T) {
	e := newTestEnv(t)
	start := e.getForm(formPath)
	expectPage(t, start, 200, "Small test survey", "groups of 5 or more", `name="submission_id"`)
	id := start.state().Get("submission_id")
	if len(id) != 36 {
		t.Fatalf("submission_id %q", id)
	}
	team := e.next(t, start, formPath, "page", "start")
	expectPage(t, team, 200, "Which team are you answering for?", `value="digital-engagement"`)
	if strings.Contains(team.body, "old-team") {
		t.Error("a retired team is offered")
	}
	noTeam := e.next(t, team, formPath, "page", "team")
	expectPage(t, noTeam, 422, "There is a problem", `href="#team"`, "Select the team you are answering for")
	about := e.next(t, noTeam, formPath, "page", "team", "team", "digital-engagement")
	expectPage(t, about, 200, "About you", "Section 1 of 3", "Which best describes your role?")

	// Nothing answered, and a number that is not one: the error summary and inline messages.
	bad := e.next(t, about, formPath, "page", "section:about-you", "asked", "role-type channels team-size", "team-size", "twelve")
	expectPage(t, bad, 422, `href="#role-type"`, "Select an answer to “Which best describes your role?”",
		`href="#team-size"`, "Enter a number, like 12", `id="role-type-error"`)
	engagement := e.next(t, bad, formPath, "page", "section:about-you", "asked", "role-type channels team-size",
		"role-type", "specialist", "channels", "email", "channels", "social", "team-size", "1,2")
	expectPage(t, engagement, 200, "Engagement", "Section 2 of 3", "How well do your specialist tools serve you?")
	if st := engagement.state(); st.Get("role-type") != "specialist" || len(st["channels"]) != 2 || st.Get("team") != "digital-engagement" {
		t.Fatalf("the answers so far do not ride in the form: %v", st)
	}
	// Half a pair is refused on its side.
	half := e.next(t, engagement, formPath, "page", "section:engagement", "asked", "consult now-and-next specialist-tools",
		"consult", "3", "now-and-next.now", "2")
	expectPage(t, half, 422, `href="#now-and-next-target"`, "Select an answer to “Where should your team be?”")
	skills := e.next(t, half, formPath, "page", "section:engagement", "asked", "consult now-and-next specialist-tools",
		"consult", "3", "now-and-next.now", "2", "now-and-next.target", "4", "specialist-tools", "3")
	expectPage(t, skills, 200, "Section 3 of 3", "How confident are you with social media?", "Working")
	// Back keeps what was answered, unchecked.
	back := e.next(t, skills, formPath, "page", "section:skills", "goto", "back", "social-media", "expert")
	expectPage(t, back, 200, "Section 2 of 3", `value="3" checked`)
	skills = e.next(t, back, formPath, "page", "section:engagement", "asked", "consult now-and-next specialist-tools",
		"consult", "3", "now-and-next.now", "2", "now-and-next.target", "4", "specialist-tools", "3")
	expectPage(t, skills, 200, `value="expert" checked`)
	check := e.next(t, skills, formPath, "page", "section:skills", "asked", "social-media data comments",
		"social-media", "expert", "data", "practitioner", "comments", "More time for <analytics>, please.")
	expectPage(t, check, 200, "Check your answers before sending them", "Digital engagement (Communications directorate)",
		"Digital specialist", "Often", "Tried", "Usual", "Expert", "More time for &lt;analytics&gt;, please.", `value="section:engagement"`, "12")

	// Change an answer: the section, answers kept; Continue comes straight back to the check page.
	change := e.next(t, check, formPath, "goto", "section:about-you")
	expectPage(t, change, 200, "About you", `value="specialist" checked`)
	check = e.next(t, change, formPath, "page", "section:about-you", "asked", "role-type channels team-size",
		"role-type", "specialist", "channels", "email", "team-size", "12")
	expectPage(t, check, 200, "Check your answers before sending them", "Expert")

	send := check.sendState(t)
	sent := e.postForm(formPath+"/send", send)
	expectPage(t, sent, 201, "Your answers have been sent", "Your digital maturity profile", "Overall", "Engagement", "What happens next")
	again := e.postForm(formPath+"/send", send)
	expectPage(t, again, 200, "Your answers have been sent")
	if n := e.count(waveOpen); n != 1 {
		t.Errorf("%d responses after sending the form twice, want 1", n)
	}
	if send.Get("submission_id") != id {
		t.Errorf("the form's submission_id changed on the way: %s, then %s", id, send.Get("submission_id"))
	}

	// Once the wave has closed, the same send still gets its receipt; a new one is refused.
	e.mustChange(e.store.CloseWave(context.Background(), waveOpen))
	expectPage(t, e.postForm(formPath+"/send", send), 200, "Your answers have been sent")
	send.Set("submission_id", newSubmissionID())
	expectPage(t, e.postForm(formPath+"/send", send), 409, "This survey has closed")
	if n := e.count(waveOpen); n != 1 {
		t.Errorf("%d responses after the wave closed, want 1", n)
	}
}

// sendState is the check page's second form, the one that sends.
func (p servedForm) sendState(t *testing.T) url.Values {
	t.Helper()
	at := strings.Index(p.body, `/form/send"`)
	if at < 0 {
		t.Fatalf("no send form on the page:\n%s", p.body)
	}
	return servedForm{body: p.body[at:]}.state()
}

// TestSurveyFormRefuses sends forms that are wrong, incomplete, oversized or hostile: each gets a
// clear page saying what to do, and nothing is stored.
func TestSurveyFormRefuses(t *testing.T) {
	e := newTestEnv(t)
	good := func(extra ...string) url.Values {
		v := url.Values{"submission_id": {newSubmissionID()}, "team": {"digital-engagement"}, "role-type": {"non-specialist"}, "consult": {"2"}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}
	cases := []struct {
		name, path string
		form       url.Values
		raw        string
		header     http.Header
		want       int
		says       string
	}{
		{name: "no submission_id", path: formPath + "/send", form: url.Values{"team": {"digital-engagement"}, "consult": {"2"}}, want: 400, says: "reference is missing"},
		{name: "a submission_id not a UUID", path: formPath + "/send", form: good("submission_id", "1 OR 1=1"), want: 400, says: "reference is missing or not valid"},
		{name: "a field no question has", path: formPath + "/send", form: good("answers[role-type]", "x"), want: 400, says: "does not ask"},
		{name: "a field sent twice", path: formPath, form: url.Values{"submission_id": {newSubmissionID()}, "page": {"start", "team"}}, want: 400, says: "2 times"},
		{name: "one answer twice", path: formPath + "/send", raw: good().Encode() + "&consult=3", want: 400, says: "takes 1 at most"},
		{name: "no page", path: formPath, form: url.Values{"submission_id": {newSubmissionID()}}, want: 400, says: "which page"},
		{name: "a section that is not there", path: formPath, form: url.Values{"submission_id": {newSubmissionID()}, "page": {"section:nope"}}, want: 400, says: "section this survey does not have"},
		{name: "JSON", path: formPath + "/send", raw: `{"submission_id":"x"}`, header: http.Header{"Content-Type": {"application/json"}}, want: 415, says: "from its page"},
		{name: "oversized", path: formPath + "/send", form: good("comments", strings.Repeat("a", MaxSubmissionBytes)), want: 413, says: "larger than any answers"},
		{name: "another site's form", path: formPath + "/send", form: good(), header: http.Header{"Sec-Fetch-Site": {"cross-site"}}, want: 403},
		{name: "a level the radios do not have", path: formPath + "/send", form: good("consult", "<script>alert(1)</script>"), want: 422,
			says: "Answer “How does your team involve people online?” again"},
		{name: "a level out of range", path: formPath + "/send", form: good("consult", "9"), want: 422, says: `href="#consult"`},
		{name: "an option there is not", path: formPath + "/send", form: good("role-type", "admin"), want: 422, says: "Answer “Which best describes your role?” again"},
		{name: "a required answer missing", path: formPath + "/send", form: url.Values{"submission_id": {newSubmissionID()}, "team": {"digital-engagement"}, "role-type": {"specialist"}},
			want: 422, says: "Select an answer to “How does your team involve people online?”"},
		{name: "too long a comment", path: formPath + "/send", form: good("comments", strings.Repeat("é", 201)), want: 422, says: "must be 200 characters or fewer"},
		{name: "a number out of range", path: formPath + "/send", form: good("team-size", "501"), want: 422, says: "Enter a number from 1 to 500"},
		{name: "exclusive with others", path: formPath + "/send", raw: good().Encode() + "&channels=email&channels=none", want: 422, says: "on its own"},
		{name: "a team there is not", path: formPath + "/send", form: good("team", "no-such-team"), want: 422, says: "no longer in the list"},
		{name: "a team too long", path: formPath + "/send", form: good("team", strings.Repeat("x", 65)), want: 400, says: "longer than any"},
		{name: "an unknown wave", path: "/waves/nope/form/send", form: good(), want: 404, says: "no survey at this address"},
		{name: "a closed wave", path: "/waves/" + waveClosed + "/form", want: 409, says: "has closed"},
		{name: "a wave not open yet", path: "/waves/" + waveScheduled + "/form/send", form: good(), want: 409, says: "opens on"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			header := http.Header{testAnonymous: {"y"}, "Content-Type": {"application/x-www-form-urlencoded"}}
			for k, v := range tc.header {
				header[k] = v
			}
			body := tc.raw
			if tc.form != nil {
				body = tc.form.Encode()
			}
			method := http.MethodPost
			if tc.form == nil && tc.raw == "" {
				method = http.MethodGet
			}
			var r result
			if method == http.MethodGet {
				r = e.do(method, tc.path, nil, header)
			} else {
				r = e.do(method, tc.path, strings.NewReader(body), header)
			}
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %.600s", r.status, tc.want, r.body)
			}
			if !strings.Contains(string(r.body), tc.says) {
				t.Errorf("the page does not say %q: %s", tc.says, r.body)
			}
			if bytes.Contains(r.body, []byte("<script>alert")) {
				t.Error("the page holds the posted markup unescaped")
			}
		})
	}
	for _, w := range allWaves {
		if n := e.count(w); n != 0 {
			t.Errorf("%d responses stored in %s by refused forms", n, w)
		}
	}
}

// TestSurveyFormInvitation answers an invite wave through the plain form: the code page, a send
// stored once, and a used code sent back to the code page.
func TestSurveyFormInvitation(t *testing.T) {
	e := newTestEnv(t)
	path := "/waves/" + waveInvite + "/form"
	start := e.getForm(path)
	code := e.next(t, start, path, "page", "start")
	expectPage(t, code, 200, "Enter your invitation code", `id="invitation-code"`)
	empty := e.next(t, code, path, "page", "team")
	expectPage(t, empty, 422, `href="#invitation-code"`, "Enter your invitation code")
	about := e.next(t, empty, path, "page", "team", "invitation_code", e.codes[0])
	expectPage(t, about, 200, "About you")
	check := e.next(t, about, path, "page", "section:about-you", "role-type", "non-specialist")
	check = e.next(t, check, path, "page", "section:engagement", "consult", "1")
	check = e.next(t, check, path, "page", "section:skills")
	expectPage(t, check, 200, "Check your answers before sending them", "Invitation code", e.codes[0])
	send := check.sendState(t)
	expectPage(t, e.postForm(path+"/send", send), 201, "Your answers have been sent", "You answered for Campaigns")
	send.Set("submission_id", newSubmissionID())
	expectPage(t, e.postForm(path+"/send", send), 422, "not valid for this survey, or has already been used", `href="#invitation-code"`)
	if n := e.count(waveInvite); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
}

// TestSurveyFormLogsNoAnswers walks the plain form with distinctive answers, good and bad, and
// finds none of them, nor the form's reference or team, in the log.
func TestSurveyFormLogsNoAnswers(t *testing.T) {
	var logs lockedBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })
	e := newTestEnvLogging(t, &logs)

	const secretText = "okapi-lantern-3317 treacle"
	start := e.getForm(formPath)
	id := start.state().Get("submission_id")
	about := e.next(t, e.next(t, start, formPath, "page", "start"), formPath, "page", "team", "team", "digital-engagement")
	bad := e.next(t, about, formPath, "page", "section:about-you", "role-type", secretText, "team-size", secretText)
	expectPage(t, bad, 422)
	form := url.Values{"submission_id": {id}, "team": {"digital-engagement"}, "role-type": {"specialist"}, "consult": {"2"}, "comments": {secretText}}
	expectPage(t, e.postForm(formPath+"/send", form), 201)
	form.Set(secretText, "1")
	expectPage(t, e.postForm(formPath+"/send", form), 400)
	e.srv.Close()

	out := logs.String()
	for what, secret := range map[string]string{"an answer": "okapi-lantern", "the submission_id": id, "the team": "digital-engagement"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %s (%q):\n%s", what, secret, out)
		}
	}
	if !strings.Contains(out, `"route":"/waves/:wave/form/send"`) {
		t.Errorf("the log does not name the form's routes:\n%s", out)
	}
	// The form's requests are a respondent's: logged to the minute only.
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec struct {
			Time  time.Time `json:"time"`
			Route string    `json:"route"`
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("log line is not JSON: %s", l)
		}
		if strings.HasPrefix(rec.Route, "/waves/:wave/form") && !rec.Time.Equal(rec.Time.Truncate(time.Minute)) {
			t.Errorf("a request to the plain form is logged at %v, not a whole minute", rec.Time)
		}
	}
}

// TestSurveyFormVerified answers a verified wave through the plain form: the start page asks to
// sign in (and signing in comes back to the plain form), a send without a pass is refused with
// nothing stored, a send with it is stored, and a second response from the same person is refused.
func TestSurveyFormVerified(t *testing.T) {
	e := newVerifiedEnv(t)
	b := e.browser()
	path := "/waves/" + waveSpring + "/form"
	formType := []string{"Content-Type", "application/x-www-form-urlencoded"}
	start := e.send(t, b, http.MethodGet, path, "")
	if start.status != 200 || !strings.Contains(string(start.body), `href="/waves/spring/sign-in?then=form"`) {
		t.Fatalf("start page before signing in: %s", start)
	}
	form := url.Values{"submission_id": {newSubmissionID()}, "team": {"digital-engagement"}, "role-type": {"non-specialist"}, "consult": {"2"}}
	if r := e.send(t, b, http.MethodPost, path+"/send", form.Encode(), formType...); r.status != 401 || !strings.Contains(string(r.body), "Sign in again") {
		t.Fatalf("a send without a pass: %s", r)
	}
	if n := e.count(t, waveSpring); n != 0 {
		t.Fatalf("%d responses stored without a pass", n)
	}

	begin := e.send(t, b, http.MethodGet, "/waves/"+waveSpring+"/sign-in?then=form", "")
	callback := (&ssoEnv{idp: e.idp, srv: e.srv}).atProvider(t, b, begin.header.Get("Location"), person("ann@example.gov.uk"))
	u, err := url.Parse(callback)
	if err != nil {
		t.Fatal(err)
	}
	if back := e.send(t, b, http.MethodGet, u.RequestURI(), ""); back.status != http.StatusSeeOther || back.header.Get("Location") != path {
		t.Fatalf("signing in from the plain form came back to %q: %s", back.header.Get("Location"), back)
	}
	if r := e.send(t, b, http.MethodGet, path, ""); r.status != 200 || !strings.Contains(string(r.body), "Start now") {
		t.Fatalf("start page signed in: %s", r)
	}
	if r := e.send(t, b, http.MethodPost, path+"/send", form.Encode(), formType...); r.status != 201 {
		t.Fatalf("a send with a pass: %s", r)
	}
	form.Set("submission_id", newSubmissionID())
	if r := e.send(t, b, http.MethodPost, path+"/send", form.Encode(), formType...); r.status != 409 || !strings.Contains(string(r.body), "already answered") {
		t.Fatalf("a second response from the same person: %s", r)
	}
	if r := e.send(t, b, http.MethodGet, path, ""); r.status != 409 || !strings.Contains(string(r.body), "already answered") {
		t.Fatalf("the start page for someone who has answered: %s", r)
	}
	if n := e.count(t, waveSpring); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
}

// followUp is a definition whose first section asks a question once an earlier one of the same
// section is answered: the plain form cannot show it as the respondent answers, so the page comes
// back with it.
const followUp = `id: follow-up
title: Follow-up survey
scale:
  stages:
    - {key: low, label: Low, from: 0}
    - {key: high, label: High, from: 50}
dimensions:
  - {key: work, title: Work, weight: 1}
sections:
  - key: first
    title: First
    questions:
      - key: uses-social
        type: choice
        text: Does your team use social media?
        options: [yes, no]
        required: true
      - key: social-how
        type: maturity
        dimension: work
        text: How well does it use it?
        levels: [Poorly, Adequately, Well]
        required: true
        show_if: {question: uses-social, equals: "yes"}
  - key: second
    title: Second
    questions:
      - key: closing
        type: maturity
        dimension: work
        text: How does your team work?
        levels: [Alone, Together, Openly]
`

// TestSurveyFormFollowUp: an answer that asks another question of its own page brings the page
// back with it, with no error; answered, the form goes on; answered otherwise, it is forgotten.
func TestSurveyFormFollowUp(t *testing.T) {
	e := newTestEnv(t)
	def, err := survey.Parse("follow-up.yaml", []byte(followUp))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := e.store.CreateWave(ctx, def, store.NewWave{Key: "follow", Title: "Follow", Mode: store.ModeOpen, Threshold: 5}); err != nil {
		t.Fatal(err)
	}
	e.mustChange(e.store.OpenWave(ctx, "follow"))
	path := "/waves/follow/form"
	first := e.next(t, e.next(t, e.getForm(path), path, "page", "start"), path, "page", "team", "team", "campaigns")
	expectPage(t, first, 200, "Does your team use social media?")
	if strings.Contains(first.body, "How well does it use it?") {
		t.Fatal("the follow-up is asked before its question is answered")
	}
	again := e.next(t, first, path, "page", "section:first", "uses-social", "yes")
	expectPage(t, again, 200, "1 more question is asked on this page", "How well does it use it?", `value="yes" checked`)
	if strings.Contains(again.body, "govuk-error-summary") {
		t.Error("a question just shown is reported as unanswered")
	}
	missing := e.next(t, again, path, "page", "section:first", "uses-social", "yes")
	expectPage(t, missing, 422, "Select an answer to “How well does it use it?”")
	second := e.next(t, missing, path, "page", "section:first", "uses-social", "yes", "social-how", "2")
	expectPage(t, second, 200, "How does your team work?", "Section 2 of 2")
	// Back, answer "no": the follow-up is no longer asked, and its answer is forgotten.
	back := e.next(t, second, path, "page", "section:second", "goto", "back")
	check := e.next(t, e.next(t, back, path, "page", "section:first", "uses-social", "no"), path, "page", "section:second", "closing", "3")
	expectPage(t, check, 200, "Check your answers before sending them", "Openly")
	if strings.Contains(check.body, "How well does it use it?") || check.sendState(t).Get("social-how") != "" {
		t.Error("the follow-up's answer was kept once it was no longer asked")
	}
	expectPage(t, e.postForm(path+"/send", check.sendState(t)), 201, "Your answers have been sent")
}
