package static_test

// Browser tests of "Check your answers" on the survey form: every question shown is listed with its
// answer, and each Change link leads to its section, with the answers kept, and back.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"skillsurvey/internal/survey"
)

// everythingShown are the sections a respondent answering everything is shown, in order.
var everythingShown = []string{"about-you", "policy-engagement", "campaigns", "leadership", "culture", "skills", "careers", "final-comments"}

// checkRow is one row of the check page: Change is the page its Change link or button leads to.
type checkRow struct {
	Section, Question, Answer, Change string
}

func (tb *tab) checkRows() []checkRow {
	tb.t.Helper()
	return eval[[]checkRow](tb, `[...document.querySelectorAll('dl[data-section] .govuk-summary-list__row')].map(r => ({
		Section: r.closest('dl').dataset.section,
		Question: r.querySelector('dt').textContent,
		Answer: r.querySelector('.govuk-summary-list__value').innerText.trim(),
		Change: r.querySelector('[data-change]').dataset.change}))`)
}

// checkAnswers checks the check page lists the sections shown, in order, with every question
// answered by plan and its answer, each row's Change link leading to its own section; then follows
// one Change link by keyboard, finds the answers kept, and comes back to the check page.
func checkAnswers(t *testing.T, tb *tab, def *survey.Definition, sections []string) {
	t.Helper()
	rows := tb.checkRows()
	// Where each question is asked, from the definition (not from the page).
	askedIn := map[string]string{}
	for _, sec := range def.Sections {
		for _, q := range sec.Questions {
			askedIn[q.Text] = sec.Key
		}
	}
	var seen []string
	bySection := map[string]bool{}
	for _, r := range rows {
		if !bySection[r.Section] {
			bySection[r.Section] = true
			seen = append(seen, r.Section)
		}
		if want := "section:" + askedIn[r.Question]; r.Change != want || r.Section != askedIn[r.Question] {
			t.Errorf("%q is listed under %s with its Change link to %s, want both its own section %s", r.Question, r.Section, r.Change, want)
		}
	}
	if strings.Join(seen, " ") != strings.Join(sections, " ") {
		t.Errorf("the check page lists sections %v, want %v", seen, sections)
	}
	answerOf := map[string]string{}
	for _, r := range rows {
		answerOf[r.Question] = r.Answer
	}
	for key := range everything {
		q, ok := def.Question(key)
		if !ok {
			t.Fatalf("no question %s", key)
		}
		got, listed := answerOf[q.Text]
		if !listed || got == "" || got == "Not answered" {
			t.Errorf("the check page shows %q for %s (listed: %v)", got, key, listed)
		}
	}
	for key, want := range map[string]string{
		"one-change":        "Time set aside each month to learn digital skills together.",
		"cr-learning-hours": "12",
		"pe-feedback":       "I do not know",
	} {
		q, _ := def.Question(key)
		if !strings.Contains(answerOf[q.Text], want) {
			t.Errorf("%s shows %q, want it to say %q", key, answerOf[q.Text], want)
		}
	}
	if n := eval[int](tb, `document.querySelectorAll('.govuk-summary-list__actions a').length`); n != len(rows)+1 {
		t.Errorf("%d Change links for %d answers and the team", n, len(rows))
	}

	// Change an answer of policy engagement: its section, with every answer kept; Continue comes
	// straight back here, with the new answer.
	q, _ := def.Question("pe-reach")
	tb.tabUntil(fmt.Sprintf(`el.matches('a[data-change]') && el.closest('.govuk-summary-list__row').querySelector('dt').textContent === %q`, q.Text))
	tb.press(kb.Enter)
	tb.waitPage("#section-policy-engagement")
	kept := eval[map[string]string](tb, `Object.fromEntries([...document.querySelectorAll('input:checked')].map(i => [i.name, i.value]))`)
	for name, v := range map[string]string{"pe-channels": "3", "pe-reach": "2", "pe-feedback": "dont_know", "pe-now-and-next.now": "2", "pe-now-and-next.target": "4"} {
		if kept[name] != v {
			t.Errorf("after Change, %s is %q, want %q (all %v)", name, kept[name], v, kept)
		}
	}
	tb.chooseRadio("pe-reach", 3)
	tb.continueByKeyboard()
	tb.waitPage("#check")
	if got := tb.checkRows(); len(got) != len(rows) {
		t.Errorf("after a change the check page lists %d answers, before %d", len(got), len(rows))
	}
	if a := eval[string](tb, fmt.Sprintf(`[...document.querySelectorAll('dl[data-section] .govuk-summary-list__row')].find(r => r.querySelector('dt').textContent === %q).querySelector('.govuk-summary-list__value').innerText.trim()`, q.Text)); a != q.Levels[3] {
		t.Errorf("after changing it, pe-reach shows %q, want %q", a, q.Levels[3])
	}
}
