package static_test

// Browser tests of the survey form (/waves/{wave}), on the harness in browser_test.go: a respondent
// answers the whole shipped survey with the keyboard alone, leaves and comes back, meets errors
// from the page's own checks and from the service, and every page and state is checked with axe
// (WCAG 2.2 AA), for Content-Security-Policy violations, script errors and other-origin requests,
// at 320 and 1280 pixels.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"skillsurvey/internal/example"
	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/store"
)

const surveyPath = "/waves/" + example.WaveKey

// answers says how a test answers questions by keyboard: a radio question takes the 0-based
// position of its radio (-1 for the last, "I do not know"); an aspiration-reality question a
// [2]int of positions for now and target; a multi_choice question the option keys to tick; a
// number or text question the characters to type. Questions not named are left unanswered.
type answers map[string]any

// everything answers every section of the shipped survey as a digital specialist whose team works
// on policy and campaigns (so the arm's-length bodies section is skipped and the specialist career
// question is asked).
var everything = answers{
	"role-type":  0,
	"grade-band": 1,
	"team-work":  []string{"policy", "campaigns"},

	"pe-channels":     2,
	"pe-reach":        1,
	"pe-feedback":     -1,
	"pe-now-and-next": [2]int{1, 3},

	"cam-planning":     2,
	"cam-measuring":    1,
	"cam-now-and-next": [2]int{2, 4},

	"ldr-credibility": 1,
	"ldr-value":       2,
	"ldr-insight":     -1,

	"cul-open":           1,
	"cul-collaboration":  2,
	"cul-new-approaches": 3,
	"cul-now-and-next":   [2]int{1, 4},

	"skill-writing-for-the-web": 3,
	"skill-social-media":        2,
	"skill-accessibility":       2,
	"skill-digital-engagement":  1,
	"skill-content-design":      3,
	"skill-user-research":       1,
	"skill-digital-analytics":   0,
	"sk-quality-checks":         2,

	"cr-motivation":        1,
	"cr-recognition":       0,
	"cr-specialist-career": 2,
	"cr-learning-hours":    "12",

	"one-change": "Time set aside each month to learn digital skills together.",
}

// ---- keyboard ---------------------------------------------------------------------------------

func (tb *tab) press(key string, mods ...chromedp.Modifier) {
	tb.t.Helper()
	tb.keys(key, mods...)
}

// typeText types characters into whatever has focus.
func (tb *tab) typeText(text string) {
	tb.t.Helper()
	tb.keys(text)
}

// keys sends each character as a browser does: a key down carrying the character's text, then a
// key up. (chromedp.KeyEvent sends the character as a separate event, which a page cannot cancel
// from its keydown handler: Enter in the team autocomplete would then both pick a team and send
// the form, which no real browser does.)
func (tb *tab) keys(text string, mods ...chromedp.Modifier) {
	tb.t.Helper()
	for _, r := range text {
		events := kb.Encode(r)
		down, up := *events[0], *events[len(events)-1]
		if len(events) == 3 {
			down.Text, down.UnmodifiedText = events[1].Text, events[1].UnmodifiedText
		} else {
			down.Type = input.DispatchKeyEventTypeRawKeyDown // as browsers send keys without text, such as Backspace
		}
		for _, m := range mods {
			down.Modifiers |= int64(m)
			up.Modifiers |= int64(m)
		}
		ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
		_, err := chromedp.Call(ctx, input.DispatchKeyEvent, down)
		if err == nil {
			_, err = chromedp.Call(ctx, input.DispatchKeyEvent, up)
		}
		cancel()
		if err != nil {
			tb.t.Fatalf("browser: key %q: %v", r, err)
		}
	}
}

// focus describes the focused element, for messages.
func (tb *tab) focus() string {
	return eval[string](tb, `(() => { const e = document.activeElement; if (!e) return 'nothing';
		return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? ' name=' + e.name : '') +
			(e.value ? ' value=' + e.value : '') + ' "' + (e.textContent || '').trim().slice(0, 40) + '"' })()`)
}

// tabUntil presses Tab (or Shift+Tab) until the focused element, el, satisfies a JavaScript
// condition; it does not press at all when it already does.
func (tb *tab) tabUntil(cond string, back ...bool) {
	tb.t.Helper()
	check := `(() => { const el = document.activeElement; return !!el && !!(` + cond + `) })()`
	for range 120 {
		if eval[bool](tb, check) {
			return
		}
		if len(back) > 0 && back[0] {
			tb.press(kb.Tab, chromedp.ModifierShift)
		} else {
			tb.press(kb.Tab)
		}
	}
	tb.t.Fatalf("tabbing never reached %s; focus is on %s", cond, tb.focus())
}

// waitFor polls a JavaScript condition until it holds.
func (tb *tab) waitFor(cond string) {
	tb.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if eval[bool](tb, `!!(`+cond+`)`) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.t.Fatalf("waited in vain for %s; page %q, focus on %s", cond, eval[string](tb, `location.hash + ' ' + document.title`), tb.focus())
}

// waitPage waits until the page at the given address fragment is drawn and has taken focus.
func (tb *tab) waitPage(hash string) {
	tb.t.Helper()
	tb.waitFor(fmt.Sprintf(`location.hash === %q && document.querySelector('#app h1') && !document.getElementById('app').hasAttribute('aria-busy') && document.activeElement !== document.body`, hash))
}

// continueByKeyboard tabs to the page's main button and presses Enter.
func (tb *tab) continueByKeyboard() {
	tb.t.Helper()
	tb.tabUntil(`el.id === 'continue'`)
	tb.press(kb.Enter)
}

// sendByKeyboard tabs to the check page's "Send your answers" and presses Enter.
func (tb *tab) sendByKeyboard() {
	tb.t.Helper()
	tb.tabUntil(`el.id === 'send'`)
	tb.press(kb.Enter)
}

// chooseRadio selects the radio at position i (from 0; -1 is the last) of the group called name,
// tabbing to the group, pressing Space on its first radio and moving with the arrow keys.
func (tb *tab) chooseRadio(name string, i int) {
	tb.t.Helper()
	tb.tabUntil(fmt.Sprintf(`el.type === 'radio' && el.name === %q`, name))
	tb.press(" ") // Tab lands on the chosen radio, or the first when none is
	at := eval[[2]int](tb, fmt.Sprintf(`(() => { const r = [...document.querySelectorAll('input[name=%q]')];
		return [r.indexOf(document.activeElement), r.length] })()`, name))
	to := i
	if i < 0 {
		to = at[1] + i
	}
	for ; at[0] < to; at[0]++ {
		tb.press(kb.ArrowDown)
	}
	for ; at[0] > to; at[0]-- {
		tb.press(kb.ArrowUp)
	}
	want := fmt.Sprintf(`(() => { const r = [...document.querySelectorAll('input[name=%q]')]; return r[%d < 0 ? r.length - 1 : %d].checked })()`, name, i, i)
	if !eval[bool](tb, want) {
		tb.t.Fatalf("radio %d of %s is not selected; focus on %s", i, name, tb.focus())
	}
}

// answerPage answers the questions shown on the current section page, in page order, by keyboard.
func (tb *tab) answerPage(plan answers) []string {
	tb.t.Helper()
	type shown struct{ Key, Type string }
	questions := eval[[]shown](tb, `[...document.querySelectorAll('[data-question-row]:not([hidden])')].map(r => ({Key: r.dataset.questionRow, Type: r.dataset.questionType}))`)
	var keys []string
	for _, q := range questions {
		keys = append(keys, q.Key)
		a, ok := plan[q.Key]
		if !ok {
			continue
		}
		switch q.Type {
		case "maturity", "choice", "proficiency":
			tb.chooseRadio(q.Key, a.(int))
		case "aspiration-reality":
			if a == "dont_know" {
				tb.tabUntil(fmt.Sprintf(`el.id === %q`, q.Key+"-dont-know"))
				tb.press(" ")
				break
			}
			pair := a.([2]int)
			tb.chooseRadio(q.Key+".now", pair[0])
			tb.chooseRadio(q.Key+".target", pair[1])
		case "multi_choice":
			for _, option := range a.([]string) {
				tb.tabUntil(fmt.Sprintf(`el.type === 'checkbox' && el.name === %q && el.value === %q`, q.Key, option))
				tb.press(" ")
				if !eval[bool](tb, `document.activeElement.checked`) {
					tb.t.Fatalf("%s: Space did not tick %s", q.Key, option)
				}
			}
		case "number", "text":
			tb.tabUntil(fmt.Sprintf(`el.id === %q`, q.Key))
			tb.typeText(a.(string))
		default:
			tb.t.Fatalf("question %s has a type the test does not know: %s", q.Key, q.Type)
		}
	}
	return keys
}

// ---- tabs in the same browser, and pages seen ---------------------------------------------------

// sibling opens another tab of the same browser (so with the same localStorage for the same
// site) for test t, on a site, at a width, set up as newTab sets up its tab. It saves starting
// another browser, and lets subtests run side by side in one browser.
func (tb *tab) sibling(t *testing.T, s *site, width int, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(tb.ctx, opts...)
	t.Cleanup(cancel)
	return prepareTab(t, ctx, s, width)
}

// isolated opens a tab of the same browser in a browser context of its own (its own storage and
// renderer), so that subtests can run side by side; focus is emulated, as only one tab of a
// browser has it for real.
func (tb *tab) isolated(t *testing.T, s *site, width int) *tab {
	t.Helper()
	nt := tb.sibling(t, s, width, chromedp.WithNewBrowserContext())
	if _, err := chromedp.Call(nt.ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	return nt
}

// responses counts the stored responses of a wave.
func responses(t *testing.T, s *site, wave string) int64 {
	t.Helper()
	ctx := context.Background()
	w, err := s.Store.Wave(ctx, wave)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Store.CountResponses(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// errorSummary is what the page's error summary shows: whether it has focus, and its links.
type errorSummary struct {
	Focused bool
	Links   []struct{ Href, Text string }
}

func (tb *tab) errorSummary() errorSummary {
	tb.t.Helper()
	return eval[errorSummary](tb, `(() => { const s = document.querySelector('.govuk-error-summary');
		if (!s) return {Focused: false, Links: []};
		return {Focused: document.activeElement === s,
			Links: [...s.querySelectorAll('a')].map(a => ({Href: a.getAttribute('href'), Text: a.textContent}))} })()`)
}

// expectErrors checks the error summary has focus and links to the given fields, each of which
// exists on the page and shows an inline error.
func (tb *tab) expectErrors(hrefs ...string) {
	tb.t.Helper()
	tb.waitFor(`document.querySelector('.govuk-error-summary')`)
	es := tb.errorSummary()
	if !es.Focused {
		tb.t.Errorf("the error summary does not have focus; %s has", tb.focus())
	}
	var got []string
	for _, l := range es.Links {
		got = append(got, l.Href)
	}
	if strings.Join(got, " ") != strings.Join(hrefs, " ") {
		tb.t.Errorf("error summary links to %v, want %v (%+v)", got, hrefs, es.Links)
	}
	for _, href := range hrefs {
		ok := eval[bool](tb, fmt.Sprintf(`(() => { const el = document.querySelector(%q);
			return !!el && !!el.closest('.govuk-form-group--error') })()`, href))
		if !ok {
			tb.t.Errorf("%s is missing or shows no inline error", href)
		}
	}
	if !strings.HasPrefix(eval[string](tb, `document.title`), "Error: ") {
		tb.t.Errorf("the page title does not start with Error: %q", eval[string](tb, `document.title`))
	}
}

// ---- the tests ----------------------------------------------------------------------------------

// TestSurveyKeyboard: a respondent answers the whole shipped survey with the keyboard alone, at
// 1280 and at 320 pixels, meeting the error summary on the way; every page is checked, the response
// is stored once and the confirmation shows their profile.
func TestSurveyKeyboard(t *testing.T) {
	browser := newTab(t, newSite(t), wide)
	for _, width := range []int{wide, narrow} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			t.Parallel()
			s := newSite(t)
			tb := browser.isolated(t, s, width)
			tb.open(surveyPath)
			tb.waitPage("#start")
			if h1 := eval[string](tb, `document.querySelector('h1').textContent`); h1 != s.Def.Title {
				t.Errorf("landing page heading %q, want the survey's title", h1)
			}
			landing := eval[string](tb, `document.getElementById('app').textContent`)
			for _, want := range []string{fmt.Sprintf("about %d minutes", s.Def.Minutes), "groups of 5 or more", "groups of 10 or more", "IP address", "name or email"} {
				if !strings.Contains(landing, want) {
					t.Errorf("the landing page does not say %q", want)
				}
			}
			tb.check("landing")
			tb.headingOrder("landing")

			// Start, then choose the team with the autocomplete.
			tb.tabUntil(`el.textContent.includes('Start now')`)
			tb.press(kb.Enter)
			tb.waitPage("#team")
			tb.tabUntil(`el.id === 'team' && el.getAttribute('role') === 'combobox'`)
			tb.typeText("digital eng")
			tb.waitFor(`document.querySelector('.autocomplete__option--focused')`)
			tb.check("team-choice") // with the autocomplete's suggestions open
			tb.press(kb.Enter)
			if v := eval[string](tb, `document.getElementById('team').value`); v != "Digital engagement (Communications directorate)" {
				t.Fatalf("autocomplete holds %q", v)
			}
			tb.tabUntil(`el.id === 'continue' || el.textContent === 'Continue'`)
			tb.press(kb.Tab, chromedp.ModifierShift) // and back again, to the team
			if id := eval[string](tb, `document.activeElement.id`); id != "team" {
				t.Errorf("Shift+Tab from Continue went to %s, not the team", tb.focus())
			}
			tb.tabUntil(`el.textContent === 'Continue'`)
			tb.press(kb.Enter)

			// About you: Continue with nothing answered shows the error summary, focused, linking to
			// the two required questions; following its first link with the keyboard reaches the radio.
			tb.waitPage("#section-about-you")
			// Until the team says what it works on, the arm's-length bodies and campaigns sections are not counted.
			if c := eval[string](tb, `document.getElementById('page-caption').textContent`); c != "Section 1 of 6" {
				t.Errorf("caption %q, want Section 1 of 6", c)
			}
			tb.continueByKeyboard()
			tb.expectErrors("#role-type", "#team-work")
			tb.check("error")
			tb.headingOrder("error")
			tb.press(kb.Tab)
			tb.press(kb.Enter)
			tb.waitFor(`document.activeElement.id === 'role-type'`)
			keys := tb.answerPage(everything)
			if strings.Join(keys, " ") != "role-type grade-band team-work" {
				t.Errorf("about you asked %v", keys)
			}
			// show_if, live: the team works on policy and campaigns, not with arm's-length bodies, so
			// two sections more are counted, not three.
			if c := eval[string](tb, `document.getElementById('page-caption').textContent`); c != "Section 1 of 8" {
				t.Errorf("caption after choosing policy and campaigns %q, want Section 1 of 8", c)
			}
			tb.continueByKeyboard()

			tb.waitPage("#section-policy-engagement")
			tb.check("maturity-questions")
			tb.headingOrder("maturity-questions")
			tb.answerPage(everything)
			tb.continueByKeyboard()

			tb.waitPage("#section-campaigns") // arm's-length bodies skipped
			if c := eval[string](tb, `document.getElementById('page-caption').textContent`); c != "Section 3 of 8" {
				t.Errorf("caption %q, want Section 3 of 8", c)
			}
			tb.answerPage(everything)
			tb.continueByKeyboard()

			tb.waitPage("#section-leadership")
			tb.answerPage(everything)
			tb.continueByKeyboard()

			tb.waitPage("#section-culture")
			tb.answerPage(everything)
			tb.check("aspiration-reality")
			tb.headingOrder("aspiration-reality")
			if width == wide {
				// The two sides of a pair sit side by side at wide widths and stack at narrow ones.
				side := eval[bool](tb, `(() => { const a = document.getElementById('cul-now-and-next-now').getBoundingClientRect();
					const b = document.getElementById('cul-now-and-next-target').getBoundingClientRect(); return Math.abs(a.top - b.top) < 2 && b.left > a.left })()`)
				if !side {
					t.Error("at 1280px the now and target radios are not side by side")
				}
			} else {
				stacked := eval[bool](tb, `document.getElementById('cul-now-and-next-target').getBoundingClientRect().top >
					document.getElementById('cul-now-and-next-now').getBoundingClientRect().top + 100`)
				if !stacked {
					t.Error("at 320px the now and target radios are not stacked")
				}
			}
			tb.continueByKeyboard()

			tb.waitPage("#section-skills")
			tb.answerPage(everything)
			tb.check("skills")
			tb.headingOrder("skills")
			tb.continueByKeyboard()

			tb.waitPage("#section-careers")
			if keys := tb.answerPage(everything); !strings.Contains(strings.Join(keys, " "), "cr-specialist-career") {
				t.Errorf("a specialist was not asked cr-specialist-career: %v", keys)
			}
			tb.continueByKeyboard()

			tb.waitPage("#section-final-comments")
			tb.answerPage(everything)
			tb.continueByKeyboard()

			// Check your answers: every answer, then Send.
			tb.waitPage("#check")
			checkAnswers(t, tb, s.Def, everythingShown)
			tb.check("check-answers")
			tb.headingOrder("check-answers")
			tb.sendByKeyboard()

			tb.waitPage("#confirmation")
			if n := responses(t, s, example.WaveKey); n != 1 {
				t.Errorf("%d responses stored, want 1", n)
			}
			rows := eval[[]string](tb, `[...document.querySelectorAll('.app-profile__row')].map(r => r.textContent)`)
			if len(rows) != len(s.Def.Dimensions)+1 {
				t.Errorf("profile has %d rows, want overall and %d dimensions: %q", len(rows), len(s.Def.Dimensions), rows)
			}
			profile := strings.Join(rows, "\n")
			for _, want := range []string{"Overall", "Engaging people in policy making", "out of 100", "Not enough answers"} {
				if !strings.Contains(profile, want) {
					t.Errorf("profile does not show %q:\n%s", want, profile)
				}
			}
			if n := eval[int](tb, `document.querySelectorAll('.app-profile__table tbody tr').length`); n != len(s.Def.Dimensions)+1 {
				t.Errorf("profile table has %d rows", n)
			}
			if saved := eval[bool](tb, `localStorage.getItem('skillsurvey:example') !== null`); saved {
				t.Error("the saved progress was not cleared after sending")
			}
			// What could come next: an area for each dimension whose receipt has a next step, with the
			// next level of the answers that held it down.
			receiptNext := eval[int](tb, `Object.values(JSON.parse(sessionStorage.getItem('skillsurvey:example:receipt') || 'null')?.dimensions || {}).filter(d => d.next).length`)
			if got := eval[int](tb, `document.querySelectorAll('.app-next-step').length`); receiptNext == 0 || got != receiptNext {
				t.Errorf("the confirmation shows %d next steps; the receipt has %d", got, receiptNext)
			}
			tb.check("confirmation")
			tb.headingOrder("confirmation")
		})
	}
}

// TestSurveyResumeAndRetry: a respondent answers two sections and part of a third, leaves the page,
// comes back in a new tab and carries on where they were with their answers kept; the first send
// fails on the way back (after the service stored it), and the retry, with the same submission_id,
// gets the first receipt without storing a second response.
func TestSurveyResumeAndRetry(t *testing.T) {
	s := newSite(t)
	tb := newTab(t, s, wide)
	tb.open(surveyPath)
	tb.waitPage("#start")
	tb.tabUntil(`el.textContent.includes('Start now')`)
	tb.press(kb.Enter)
	tb.waitPage("#team")
	tb.tabUntil(`el.id === 'team'`)
	tb.typeText("Campaigns")
	tb.waitFor(`document.querySelector('.autocomplete__option')`)
	tb.press(kb.Enter)
	tb.continueByKeyboard0()

	plan := answers{
		"role-type": 1, "team-work": []string{"policy", "arms-length-bodies"},
		"pe-channels": 3, "pe-reach": 2, "pe-now-and-next": [2]int{0, 2},
		"alb-planning": 1, "alb-standards": -1, "alb-now-and-next": [2]int{1, 3},
		"cul-now-and-next": [2]int{2, 2}, "skill-social-media": 4, "cr-learning-hours": "3.5",
	}
	tb.waitPage("#section-about-you")
	tb.answerPage(plan)
	tb.continueByKeyboard()
	tb.waitPage("#section-policy-engagement")
	tb.answerPage(plan)
	tb.continueByKeyboard()
	tb.waitPage("#section-arms-length-bodies") // shown: the team works with arm's-length bodies
	tb.chooseRadio("alb-planning", 1)          // answered, but Continue not pressed

	// Leave: the tab goes elsewhere, and a new tab of the same browser comes back to the survey.
	tb.do(chromedp.Navigate("about:blank"))
	back := tb.sibling(t, s, wide)
	back.open(surveyPath)
	back.waitPage("#section-arms-length-bodies")
	if !eval[bool](back, `document.querySelector('.govuk-notification-banner') !== null`) {
		t.Error("no welcome-back banner on resuming")
	}
	if v := eval[string](back, `(document.querySelector('input[name="alb-planning"]:checked') || {}).value || ''`); v != "2" {
		t.Errorf("alb-planning resumed as %q, want level 2", v)
	}
	back.check("resumed")
	// The earlier section kept its answers: Shift+Tab from the heading to the back link, Enter.
	back.tabUntil(`el.classList.contains('govuk-back-link')`, true)
	back.press(kb.Enter)
	back.waitPage("#section-policy-engagement")
	kept := eval[map[string]string](back, `Object.fromEntries([...document.querySelectorAll('input:checked')].map(i => [i.name, i.value]))`)
	want := map[string]string{"pe-channels": "4", "pe-reach": "3", "pe-now-and-next.now": "1", "pe-now-and-next.target": "3"}
	for k, v := range want {
		if kept[k] != v {
			t.Errorf("after resuming, %s is %q, want %q (all: %v)", k, kept[k], v, kept)
		}
	}
	back.continueByKeyboard()
	back.waitPage("#section-arms-length-bodies")
	back.answerPage(plan)
	back.continueByKeyboard()
	back.waitPage("#section-leadership") // nothing asked there is required
	back.continueByKeyboard()
	back.waitPage("#section-culture")
	back.answerPage(plan)
	// "I do not know" for the pair clears both sides.
	back.tabUntil(`el.id === 'cul-now-and-next-dont-know'`)
	back.press(" ")
	if n := eval[int](back, `document.querySelectorAll('input[type=radio][name^="cul-now-and-next."]:checked').length`); n != 0 {
		t.Errorf("after ticking I do not know, %d radios of the pair are still selected", n)
	}
	back.continueByKeyboard()
	back.waitPage("#section-skills")
	back.answerPage(plan)
	back.continueByKeyboard()
	back.waitPage("#section-careers")
	if keys := back.answerPage(plan); strings.Contains(strings.Join(keys, " "), "cr-specialist-career") {
		t.Errorf("a non-specialist was asked cr-specialist-career")
	}
	// Hours are asked as a whole number: 3.5 is refused with the GOV.UK error pattern, on the
	// numeric keypad's input, and put right from the error summary.
	if m := eval[string](back, `document.getElementById('cr-learning-hours').inputMode`); m != "numeric" {
		t.Errorf("the hours input has inputmode %q, want numeric", m)
	}
	back.continueByKeyboard()
	back.expectErrors("#cr-learning-hours")
	if msg := eval[string](back, `document.getElementById('cr-learning-hours-error').textContent`); msg != "Error: Enter the number of hours as a whole number, like 12" {
		t.Errorf("the whole-number error says %q", msg)
	}
	back.check("whole-number-error")
	back.press(kb.Tab)
	back.press(kb.Enter)
	back.waitFor(`document.activeElement.id === 'cr-learning-hours'`)
	back.press(kb.End)
	for range len("3.5") {
		back.press(kb.Backspace)
	}
	back.typeText("4")
	back.continueByKeyboard()
	back.waitPage("#section-final-comments")

	// The first send reaches the service but its answer is lost on the way back.
	var mu sync.Mutex
	var sent []string
	failNext := true
	chromedp.Listen(back.ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if strings.HasSuffix(e.Request.URL, "/responses") {
				var body bytes.Buffer
				for _, p := range e.Request.PostDataEntries {
					body.Write(p.Bytes)
				}
				mu.Lock()
				sent = append(sent, body.String())
				mu.Unlock()
			}
		case *fetch.EventRequestPaused:
			mu.Lock()
			fail := failNext
			failNext = false
			mu.Unlock()
			go func() {
				if fail {
					chromedp.Call(back.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonConnectionReset})
				} else {
					chromedp.Call(back.ctx, fetch.ContinueResponse, fetch.ContinueResponseParams{RequestID: e.RequestID})
				}
			}()
		}
	})
	if _, err := chromedp.Call(back.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
		{URLPattern: "*/api/v1/waves/*/responses", RequestStage: fetch.RequestStageResponse}}}); err != nil {
		t.Fatal(err)
	}
	back.continueByKeyboard()
	back.waitPage("#check")
	back.sendByKeyboard()
	back.waitFor(`document.querySelector('h1') && document.querySelector('h1').textContent === 'Your answers have not been sent yet' && document.activeElement.tagName === 'H1'`)
	if n := responses(t, s, example.WaveKey); n != 1 {
		t.Errorf("after the lost answer, %d responses stored, want 1", n)
	}
	back.check("retry")
	back.tabUntil(`el.id === 'retry'`)
	back.press(kb.Enter)
	back.waitPage("#confirmation")
	if n := responses(t, s, example.WaveKey); n != 1 {
		t.Errorf("after the retry, %d responses stored, want still 1", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != 2 {
		t.Fatalf("%d submissions sent, want 2", len(sent))
	}
	var first, second struct {
		SubmissionID string         `json:"submission_id"`
		Team         string         `json:"team"`
		Answers      map[string]any `json:"answers"`
	}
	if err := json.Unmarshal([]byte(sent[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(sent[1]), &second); err != nil {
		t.Fatal(err)
	}
	if first.SubmissionID == "" || first.SubmissionID != second.SubmissionID {
		t.Errorf("the retry sent submission_id %q, the first %q", second.SubmissionID, first.SubmissionID)
	}
	if first.Team != "campaigns" {
		t.Errorf("team %q, want campaigns", first.Team)
	}
	for _, hidden := range []string{"cam-planning", "cam-now-and-next", "cr-specialist-career"} {
		if _, ok := first.Answers[hidden]; ok {
			t.Errorf("hidden question %s was sent", hidden)
		}
	}
	if first.Answers["cr-learning-hours"] != 4.0 || first.Answers["alb-standards"] != "dont_know" || first.Answers["cul-now-and-next"] != "dont_know" {
		t.Errorf("answers sent: %v", first.Answers)
	}
}

// continueByKeyboard0 presses Continue on pages whose button has no id (the team page).
func (tb *tab) continueByKeyboard0() {
	tb.t.Helper()
	tb.tabUntil(`el.tagName === 'BUTTON' && el.textContent === 'Continue'`)
	tb.press(kb.Enter)
}

// saved is the progress the page keeps in localStorage, written by a test to start somewhere.
type saved struct {
	Version        string         `json:"version"`
	SubmissionID   string         `json:"submission_id"`
	Team           string         `json:"team"`
	InvitationCode string         `json:"invitation_code"`
	Answers        map[string]any `json:"answers"`
	Page           string         `json:"page"`
}

// valid is a complete set of answers to the shipped survey with only the required questions.
func valid() map[string]any {
	return map[string]any{
		"role-type": "non-specialist", "team-work": []string{"policy"},
		"pe-now-and-next": map[string]int{"now": 2, "target": 4}, "cul-now-and-next": map[string]int{"now": 1, "target": 3},
	}
}

// resumeWith stores progress in the browser for the wave, then opens the survey.
func (tb *tab) resumeWith(wave string, p saved) {
	tb.t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.open("/")
	eval[bool](tb, fmt.Sprintf(`localStorage.setItem(%q, %q); true`, "skillsurvey:"+wave, string(b)))
	tb.open("/waves/" + wave)
}

// TestSurveyServerErrors: what the service refuses comes back as the GOV.UK error summary, focused,
// with links to the fields, and the respondent can put it right and send: an invalid answer (422,
// answers.<key>) on its question's page; a team that no longer exists (404) on the team page; an
// invitation code already used (403) on the code page of an invite-mode wave.
func TestSurveyServerErrors(t *testing.T) {
	browser := newTab(t, newSite(t), wide)

	t.Run("invalid answer", func(t *testing.T) {
		t.Parallel()
		s := newSite(t)
		tb := browser.isolated(t, s, wide)
		// An answer the page cannot have made, level 9 of 5, sent from the last page; and answers
		// to questions hidden by show_if, which the page must leave out (the service refuses them).
		bad := valid()
		bad["cul-open"] = 9
		bad["cam-planning"] = 3         // the team does not work on campaigns
		bad["cr-specialist-career"] = 2 // nor is the respondent a specialist
		tb.resumeWith(example.WaveKey, saved{Version: s.Def.Version, SubmissionID: newUUID(t), Team: "digital-services",
			Answers: bad, Page: "check"})
		tb.waitPage("#check")
		tb.sendByKeyboard()
		tb.waitFor(`location.hash === '#section-culture'`)
		tb.expectErrors("#cul-open")
		if msg := eval[string](tb, `document.getElementById('cul-open-error').textContent`); !strings.Contains(msg, "whole number from 1 to 5") {
			t.Errorf("inline error %q does not say what the service said", msg)
		}
		tb.check("server-error")
		tb.press(kb.Tab)
		tb.press(kb.Enter)
		tb.waitFor(`document.activeElement.id === 'cul-open'`)
		tb.press(" ")
		tb.continueByKeyboard() // back to the check page, where the answers were sent from
		tb.waitPage("#check")
		tb.sendByKeyboard()
		tb.waitPage("#confirmation")
		if n := responses(t, s, example.WaveKey); n != 1 {
			t.Errorf("%d responses after correcting the answer, want 1", n)
		}
	})

	// A wave keeps the teams it opened with, so a team cannot be retired under an open wave; but a
	// team renamed (previous_key) answers to its new key only.
	t.Run("renamed team", func(t *testing.T) {
		t.Parallel()
		s := newSite(t)
		tb := browser.isolated(t, s, narrow)
		tb.resumeWith(example.WaveKey, saved{Version: s.Def.Version, SubmissionID: newUUID(t), Team: "press-office",
			Answers: valid(), Page: "check"})
		tb.waitPage("#check")
		rename(t, s, "press-office", "press-and-media")
		tb.sendByKeyboard()
		tb.waitFor(`location.hash === '#team'`)
		tb.expectErrors("#team")
		if v := eval[string](tb, `document.getElementById('team').value`); v != "" {
			t.Errorf("the team's old key is still chosen: %q", v)
		}
		tb.check("team-gone")
		// Choose another team: back to the check page, and send.
		tb.press(kb.Tab)
		tb.press(kb.Enter)
		tb.waitFor(`document.activeElement.id === 'team'`)
		tb.typeText("Internal")
		tb.waitFor(`document.querySelector('.autocomplete__option')`)
		tb.press(kb.Enter)
		tb.continueByKeyboard0()
		tb.waitPage("#check")
		tb.sendByKeyboard()
		tb.waitPage("#confirmation")
		if n := responses(t, s, example.WaveKey); n != 1 {
			t.Errorf("%d responses after choosing another team, want 1", n)
		}
	})

	t.Run("used invitation", func(t *testing.T) {
		t.Parallel()
		s := newSite(t)
		ctx := context.Background()
		if _, err := s.Store.CreateWave(ctx, s.Def, store.NewWave{Key: "invited", Title: "Invited wave", Mode: store.ModeInvite, Threshold: 5}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Store.OpenWave(ctx, "invited"); err != nil {
			t.Fatal(err)
		}
		codes, err := s.Store.CreateInvitations(ctx, "invited", "policy", 2)
		if err != nil {
			t.Fatal(err)
		}
		tb := browser.isolated(t, s, narrow)
		tb.open("/waves/invited")
		tb.waitPage("#start")
		tb.tabUntil(`el.textContent.includes('Start now')`)
		tb.press(kb.Enter)
		tb.waitPage("#team")
		tb.check("invitation")
		tb.continueByKeyboard0()
		tb.expectErrors("#invitation-code")
		tb.press(kb.Tab)
		tb.press(kb.Enter)
		tb.waitFor(`document.activeElement.id === 'invitation-code'`)
		tb.typeText(strings.ToLower(codes[0]))
		tb.press(kb.Enter) // Enter in the field sends the form
		tb.waitPage("#section-about-you")

		// Straight to the end with the other answers: the code is accepted once, then refused.
		for i, want := range []string{"#confirmation", "#team"} {
			tb.resumeWith("invited", saved{Version: s.Def.Version, SubmissionID: newUUID(t), InvitationCode: codes[0], Answers: valid(), Page: "check"})
			tb.waitPage("#check")
			tb.sendByKeyboard()
			tb.waitFor(fmt.Sprintf(`location.hash === %q`, want))
			if n := responses(t, s, "invited"); n != 1 {
				t.Errorf("after sending %d times, %d responses to the invited wave, want 1", i+1, n)
			}
		}
		tb.expectErrors("#invitation-code")
		tb.check("invitation-used")
		// A fresh code, typed over the used one, goes back to the check page and is sent.
		tb.press(kb.Tab)
		tb.press(kb.Enter)
		tb.waitFor(`document.activeElement.id === 'invitation-code'`)
		tb.press(kb.End) // focus from the summary leaves the caret at the start
		for range len(codes[0]) {
			tb.press(kb.Backspace)
		}
		tb.typeText(codes[1])
		tb.press(kb.Enter)
		tb.waitPage("#check")
		tb.sendByKeyboard()
		tb.waitPage("#confirmation")
		if n := responses(t, s, "invited"); n != 2 {
			t.Errorf("%d responses to the invited wave, want 2", n)
		}
	})
}

// retire imports the example teams without one, which retires it.
func rename(t *testing.T, s *site, key, newKey string) {
	t.Helper()
	src, err := os.ReadFile("../internal/example/teams.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(src)), "\n")
	lines[0] += ",previous_key"
	for i, line := range lines[1:] {
		cells := strings.Split(line, ",")
		previous := ""
		if cells[0] == key {
			cells[0], previous = newKey, key
		}
		if cells[2] == key {
			cells[2] = newKey
		}
		lines[i+1] = strings.Join(append(cells, previous), ",")
	}
	rows, err := hierarchy.Read("teams.csv", strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.ImportTeams(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
}

func newUUID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
