package survey

import (
	"encoding/json"
	"strings"
	"testing"
)

// conditionalSection is the base definition with a second section asked only of leads: a
// dimension "lead-work" whose only question is in it.
var conditionalSection = strings.Replace(validBase, "dimensions:\n  - {key: dim, title: Dim, weight: 1, min_answers: 1}\n",
	"dimensions:\n  - {key: dim, title: Dim, weight: 1, min_answers: 1}\n  - {key: lead-work, title: Lead work, weight: 1}\n", 1) +
	`  - key: leading
    title: Leading
    show_if: {question: role, equals: lead}
    questions:
      - {key: lead-mat, type: maturity, text: How well do you lead, dimension: lead-work, levels: [A, B, C]}
      - {key: lead-txt, type: text, text: Anything else}
`

// TestSectionShowIf: a section's show_if is its questions' condition, in the checks of answers and in
// the definition the survey page reads.
func TestSectionShowIf(t *testing.T) {
	d, err := Parse("def.yaml", []byte(conditionalSection))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"lead-mat", "lead-txt"} {
		q, _ := d.Question(key)
		if q.ShowIf == nil || q.ShowIf.Question != "role" || q.ShowIf.Equals != "lead" {
			t.Errorf("%s takes the section's condition: %+v", key, q.ShowIf)
		}
	}
	raw := func(s string) map[string]json.RawMessage {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if _, errs := d.CheckAnswers(raw(`{"role":"member","lead-mat":2}`)); !strings.Contains(errs["answers.lead-mat"], "not asked") {
		t.Errorf("a member's answer to the leads' section: %v, want it refused as not asked", errs)
	}
	if _, errs := d.CheckAnswers(raw(`{"role":"lead","lead-mat":2,"lead-txt":"x"}`)); len(errs) > 0 {
		t.Errorf("a lead's answers to the leads' section: %v", errs)
	}
	js, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"key":"lead-txt","type":"text","text":"Anything else","required":false,"dont_know":false,"show_if":{"question":"role","equals":"lead"}`) {
		t.Errorf("the survey page is not told the section's condition: %s", js)
	}
}

func TestSectionShowIfProblems(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"points at a later question", strings.Replace(conditionalSection, "show_if: {question: role, equals: lead}\n    questions", "show_if: {question: lead-txt, equals: lead}\n    questions", 1),
			`show_if of section "leading" points at "lead-txt", which is not an earlier question`},
		{"not an option", strings.Replace(conditionalSection, "show_if: {question: role, equals: lead}\n    questions", "show_if: {question: role, equals: boss}\n    questions", 1),
			`show_if of section "leading" uses "boss", which is not an option of "role"`},
		{"a question with its own", strings.Replace(conditionalSection, "{key: lead-txt, type: text, text: Anything else}", "{key: lead-txt, type: text, text: Anything else, show_if: {question: role, equals: lead}}", 1),
			`question "lead-txt" has a show_if in section "leading", which has its own`},
	} {
		_, err := Parse("def.yaml", []byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestInOverall: a dimension counts in overall by default where it has a scored question everyone is
// shown; in_overall says otherwise either way.
func TestInOverall(t *testing.T) {
	counts := func(doc string) map[string]bool {
		t.Helper()
		d, err := Parse("def.yaml", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, dim := range d.Dimensions {
			out[dim.Key] = dim.CountsInOverall()
		}
		return out
	}
	if got := counts(conditionalSection); !got["dim"] || got["lead-work"] {
		t.Errorf("by default: %v, want dim in overall, lead-work (asked of leads only) beside it", got)
	}
	explicit := strings.Replace(strings.Replace(conditionalSection, "{key: lead-work, title: Lead work, weight: 1}", "{key: lead-work, title: Lead work, weight: 1, in_overall: true}", 1),
		"{key: dim, title: Dim, weight: 1, min_answers: 1}", "{key: dim, title: Dim, weight: 1, min_answers: 1, in_overall: false}", 1)
	if got := counts(explicit); got["dim"] || !got["lead-work"] {
		t.Errorf("in_overall set: %v, want the opposite of the default", got)
	}
}
