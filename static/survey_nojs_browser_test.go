package static_test

// Browser tests of the survey without JavaScript: the survey page's <noscript> link leads to the
// plain HTML form (/waves/{wave}/form), which a respondent completes with the keyboard alone,
// meeting the error summary, the check page and its Change buttons, and sends; the response is
// stored once even when the final form is posted twice. Every page is checked with axe at 320 and
// 1280 pixels, for heading order too.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"skillsurvey/internal/example"
)

// scripts turns the page's JavaScript off or on.
func (tb *tab) scripts(on bool) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		tb.t.Fatal(err)
	}
}

// checkNoJS checks a page shown without JavaScript: axe needs timers, so scripts are turned on for
// it alone (the page's own scripts, skipped when it loaded, do not run); heading order is checked
// as well.
func (tb *tab) checkNoJS(state string) {
	tb.t.Helper()
	tb.scripts(true)
	defer tb.scripts(false)
	tb.check(state)
	tb.headingOrder(state)
	if eval[bool](tb, `!!document.querySelector('[data-govuk-button-init], [data-govuk-radios-init], [data-govuk-checkboxes-init]')`) {
		tb.t.Errorf("%s: GOV.UK Frontend ran with JavaScript off", state)
	}
}

// submitAndWait presses Enter on the focused control and waits for the next page to load.
func (tb *tab) submitAndWait() {
	tb.t.Helper()
	eval[bool](tb, `document.documentElement.dataset.stale = 'yes'; true`)
	tb.press(kb.Enter)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.documentElement.dataset.stale && document.readyState === 'complete' && !!document.querySelector('h1')`))
		cancel()
		if err == nil && loaded {
			return
		}
		time.Sleep(30 * time.Millisecond)
	}
	tb.t.Fatalf("the next page never loaded; focus on %s", tb.focus())
}

func (tb *tab) h1() string {
	return strings.TrimSpace(eval[string](tb, `document.querySelector('h1') ? document.querySelector('h1').textContent : ''`))
}

// TestSurveyWithoutJavaScript: with JavaScript off, a respondent answers the whole shipped survey
// with the keyboard alone, at 1280 and 320 pixels.
func TestSurveyWithoutJavaScript(t *testing.T) {
	browser := newTab(t, newSite(t), wide)
	for _, width := range []int{wide, narrow} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			t.Parallel()
			s := newSite(t)
			tb := browser.isolated(t, s, width)
			tb.scripts(false)
			tb.open(surveyPath)
			if !eval[bool](tb, `!!document.getElementById('plain-form')`) {
				t.Fatalf("the survey page offers no way on without JavaScript: %q", eval[string](tb, `document.body.innerText`))
			}
			tb.checkNoJS("no-js-survey-page")
			tb.tabUntil(`el.id === 'plain-form'`)
			tb.submitAndWait()
			if p := eval[string](tb, `location.pathname`); p != surveyPath+"/form" {
				t.Fatalf("the link led to %s", p)
			}
			if h := tb.h1(); h != s.Def.Title {
				t.Errorf("start page heading %q", h)
			}
			tb.checkNoJS("no-js-start")
			tb.tabUntil(`el.id === 'continue'`) // Start now
			tb.submitAndWait()

			// The team, from the list, by keyboard: the down arrow moves the selection.
			tb.tabUntil(`el.id === 'team'`)
			for range 40 {
				if eval[string](tb, `document.getElementById('team').value`) == "digital-engagement" {
					break
				}
				tb.press(kb.ArrowDown)
			}
			tb.checkNoJS("no-js-team")
			tb.tabUntil(`el.id === 'continue'`)
			tb.submitAndWait()

			// About you, with nothing answered: the error summary, linked to the questions, each
			// shown in error.
			title := map[string]string{}
			for _, sec := range s.Def.Sections {
				title[sec.Key] = sec.Title
			}
			if h := tb.h1(); h != title["about-you"] {
				t.Fatalf("after the team, %q", h)
			}
			tb.tabUntil(`el.id === 'continue'`)
			tb.submitAndWait()
			links := eval[[]string](tb, `[...document.querySelectorAll('.govuk-error-summary a')].map(a => a.getAttribute('href'))`)
			if strings.Join(links, " ") != "#role-type #team-work" {
				t.Errorf("the error summary links to %v", links)
			}
			for _, l := range links {
				if !eval[bool](tb, fmt.Sprintf(`!!document.querySelector(%q).closest('.govuk-form-group--error')`, l)) {
					t.Errorf("%s shows no inline error", l)
				}
			}
			if title := eval[string](tb, `document.title`); !strings.HasPrefix(title, "Error: ") {
				t.Errorf("title %q", title)
			}
			tb.checkNoJS("no-js-error")
			// Following the summary's first link by keyboard reaches the question.
			tb.tabUntil(`el.getAttribute('href') === '#role-type'`)
			tb.press(kb.Enter)
			tb.waitFor(`location.hash === '#role-type'`)

			// Every section, page by page; a page that asks more once answered comes back with them.
			var sections []string
			for range 20 {
				h := tb.h1()
				if h == "Check your answers before sending them" {
					break
				}
				sections = append(sections, h)
				tb.answerPage(everything)
				if len(sections) == 2 {
					tb.checkNoJS("no-js-section")
				}
				tb.tabUntil(`el.id === 'continue'`)
				tb.submitAndWait()
				if eval[bool](tb, `!!document.querySelector('.govuk-error-summary')`) {
					t.Fatalf("%s: %v", h, eval[[]string](tb, `[...document.querySelectorAll('.govuk-error-summary a')].map(a => a.textContent)`))
				}
				if eval[bool](tb, `!!document.getElementById('added')`) {
					sections = sections[:len(sections)-1]
				}
			}
			var want []string
			for _, key := range everythingShown {
				want = append(want, title[key])
			}
			if strings.Join(sections, "|") != strings.Join(want, "|") {
				t.Errorf("sections shown %q, want %q", sections, want)
			}

			// Check your answers: every answer, and a Change button that leads to its section with
			// the answers kept and back.
			tb.checkNoJS("no-js-check")
			rows := tb.checkRows()
			answered := map[string]string{}
			for _, r := range rows {
				answered[r.Question] = r.Answer
			}
			for key := range everything {
				q, _ := s.Def.Question(key)
				if a, ok := answered[q.Text]; !ok || a == "" || a == "Not answered" {
					t.Errorf("the check page shows %q for %s", a, key)
				}
			}
			q, _ := s.Def.Question("pe-reach")
			tb.tabUntil(fmt.Sprintf(`el.matches('button[data-change]') && el.closest('.govuk-summary-list__row').querySelector('dt').textContent === %q`, q.Text))
			tb.submitAndWait()
			if h := tb.h1(); h != title["policy-engagement"] {
				t.Fatalf("Change led to %q", h)
			}
			if v := eval[string](tb, `(document.querySelector('input[name="pe-channels"]:checked') || {}).value || ''`); v != "3" {
				t.Errorf("after Change, pe-channels is %q, want 3", v)
			}
			tb.chooseRadio("pe-reach", 3)
			tb.tabUntil(`el.id === 'continue'`)
			tb.submitAndWait()
			if h := tb.h1(); h != "Check your answers before sending them" {
				t.Fatalf("after a change, %q", h)
			}
			if a := eval[string](tb, fmt.Sprintf(`[...document.querySelectorAll('.govuk-summary-list__row')].find(r => r.querySelector('dt').textContent === %q).querySelector('.govuk-summary-list__value').innerText.trim()`, q.Text)); a != q.Levels[3] {
				t.Errorf("pe-reach shows %q after the change, want %q", a, q.Levels[3])
			}

			// Send, and post the same final form again: one response.
			sent := eval[string](tb, `new URLSearchParams(new FormData(document.getElementById('send').form)).toString()`)
			tb.tabUntil(`el.id === 'send'`)
			tb.submitAndWait()
			if h := tb.h1(); h != "Your answers have been sent" {
				t.Fatalf("after sending, %q", h)
			}
			if n := eval[int](tb, `document.querySelectorAll('.app-profile__table tbody tr').length`); n != len(s.Def.Dimensions)+1 {
				t.Errorf("the confirmation's profile has %d rows", n)
			}
			tb.checkNoJS("no-js-confirmation")
			res, err := http.Post(s.URL+surveyPath+"/form/send", "application/x-www-form-urlencoded", strings.NewReader(sent))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "Your answers have been sent") {
				t.Errorf("the form posted again: %d", res.StatusCode)
			}
			if n := responses(t, s, example.WaveKey); n != 1 {
				t.Errorf("%d responses after posting the final form twice, want 1", n)
			}
			form, _ := url.ParseQuery(sent)
			if form.Get("submission_id") == "" || form.Get("pe-reach") != "4" {
				t.Errorf("the final form: %v", form)
			}
		})
	}
}
