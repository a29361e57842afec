package survey

import (
	"math"
	"strings"
	"testing"
)

// tinySurvey has one question of each type, a conditional section and words easy to count. Its
// words and answering times, worked by hand (a word is a run of characters between spaces):
//
//	section one: title "Your team" 2, description "Why we ask" 3            5 words   page 3s
//	  kind   choice: "What kind of team?" 4, labels "Policy work", "Something else" 4
//	                                                                        8 words   5s
//	  mat    maturity: text 4, hint "Think of last year." 4, levels 3+1+1  13 words   5s
//	  prof   proficiency: "Your writing?" 2, the three proficiency levels 3  5 words   5s
//	section two (asked only of policy teams, counted all the same): title 1   1 word   page 3s
//	  pair   aspiration-reality: text 3, now_text 1, target_text 1, levels 3
//	                                                                        8 words  10s
//	  which  multi_choice: text 2, options "email", "web", "None of these" 5
//	                                                                        7 words   3 × 2s = 6s
//	  hours  number: "How many hours?" 3, unit "hours" 1                    4 words  10s
//	  words  text: "Anything else?" 2                                       2 words  60s
//	                                                                       53 words 107s
//
// Estimate: 53/238 + 107/60 = 0.2226891 + 1.7833333 = 2.0060224 minutes.
const tinySurvey = `id: tiny
title: Tiny
minutes: MINUTES
scale:
  stages:
    - {key: low, label: Low, from: 0}
    - {key: high, label: High, from: 50}
proficiency: [none, some, lots]
dimensions:
  - {key: dim, title: Dim}
skills:
  - {key: writing, title: Writing, group: mainstream}
sections:
  - key: one
    title: Your team
    description: Why we ask
    questions:
      - key: kind
        type: choice
        text: What kind of team?
        options: [{key: policy, label: Policy work}, {key: other, label: Something else}]
      - {key: mat, type: maturity, dimension: dim, text: "How digital is it?", hint: Think of last year., levels: [Not at all, Partly, Fully]}
      - {key: prof, type: proficiency, skill: writing, text: "Your writing?"}
  - key: two
    title: More
    show_if: {question: kind, equals: policy}
    questions:
      - {key: pair, type: aspiration-reality, dimension: dim, text: "Now and later?", now_text: Now, target_text: Later, levels: [Low, Middle, High]}
      - {key: which, type: multi_choice, text: "Which channels?", options: [email, web, {key: none, label: None of these, exclusive: true}]}
      - {key: hours, type: number, integer: true, text: "How many hours?", unit: hours}
      - {key: words, type: text, text: "Anything else?"}
`

func tiny(t *testing.T, minutes string) *Definition {
	t.Helper()
	d, err := Parse("tiny.yaml", []byte(strings.Replace(tinySurvey, "MINUTES", minutes, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEstimatedMinutes: the estimate of the tiny survey is the one worked by hand above.
func TestEstimatedMinutes(t *testing.T) {
	d := tiny(t, "3")
	want := 53.0/238 + 107.0/60
	if got := d.EstimatedMinutes(); math.Abs(got-want) > 1e-9 || math.Abs(got-2.0060224) > 1e-6 {
		t.Errorf("estimate %.7f minutes, want %.7f", got, want)
	}
}

// TestMinutesWarning: a definition saying it takes less than the estimate is warned of, with the
// minutes to set; one at or above it is not.
func TestMinutesWarning(t *testing.T) {
	for _, tc := range []struct{ minutes, want string }{
		{"2", "warning: minutes is 2, but the longest path (every question asked) is estimated at 2.0 minutes: set minutes to 3 or shorten the questionnaire"},
		{"3", ""},
		{"20", ""},
	} {
		var got []string
		for _, w := range tiny(t, tc.minutes).Warnings() {
			if strings.Contains(w.Message, "minutes") {
				got = append(got, w.String())
			}
		}
		switch {
		case tc.want == "" && len(got) > 0:
			t.Errorf("minutes %s: %v, want no warning", tc.minutes, got)
		case tc.want != "" && (len(got) != 1 || got[0] != "tiny.yaml:3: "+tc.want):
			t.Errorf("minutes %s: %v, want tiny.yaml:3: %s", tc.minutes, got, tc.want)
		}
	}
	noMinutes := strings.Replace(tinySurvey, "minutes: MINUTES\n", "", 1)
	d, err := Parse("tiny.yaml", []byte(noMinutes))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range d.Warnings() {
		if strings.Contains(w.Message, "minutes") {
			t.Errorf("a definition that says nothing of minutes: %v", w)
		}
	}
}
