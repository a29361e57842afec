package survey

import (
	"strings"
	"testing"
)

const shippedFile = "../../survey-definitions/digital-communications.yaml"

func loadShipped(t *testing.T) *Definition {
	t.Helper()
	d, err := Load(shippedFile)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestShippedDefinition: the shipped questionnaire takes at most 12 minutes on its longest path and
// says so, every dimension has guidance for every stage, and validate has nothing to warn of. (That
// every answer at level i gives stage i is tested through the scorer, in internal/scoring.)
func TestShippedDefinition(t *testing.T) {
	d := loadShipped(t)
	estimate := d.EstimatedMinutes()
	if estimate > 12 {
		t.Errorf("the longest path is estimated at %.2f minutes, more than 12", estimate)
	}
	if float64(d.Minutes) < estimate || d.Minutes > 12 {
		t.Errorf("minutes is %d, want the estimate %.2f rounded up, at most 12", d.Minutes, estimate)
	}
	for _, dim := range d.Dimensions {
		for _, stage := range d.Scale.Stages {
			if g, ok := dim.Guidance[stage.Key]; !ok || strings.TrimSpace(g.Text) == "" {
				t.Errorf("dimension %q has no guidance for stage %q", dim.Key, stage.Key)
			}
		}
	}
	for _, w := range d.Warnings() {
		t.Errorf("the shipped definition warns: %v", w)
	}
	t.Logf("longest path estimated at %.2f minutes, %d questions", estimate, len(d.Questions()))
}

// TestShippedPolicySection: only teams that say they work on policy are asked about engaging people
// in policy making; so the dimension is reported beside overall, not in it.
func TestShippedPolicySection(t *testing.T) {
	d := loadShipped(t)
	for _, q := range d.Questions() {
		if q.Dimension != "policy-engagement" {
			continue
		}
		if q.ShowIf == nil || q.ShowIf.Question != "team-work" || q.ShowIf.Equals != "policy" || len(q.ShowIf.In) > 0 {
			t.Errorf("%s is asked %+v, want only of teams that work on policy", q.Key, q.ShowIf)
		}
	}
	const base = `"role-type": "non-specialist", "cul-now-and-next": "dont_know", `
	for _, tc := range []struct {
		name, answers string
		errs          map[string]string
	}{
		{"a policy team answers", `"team-work": ["policy"], "pe-channels": 3, "pe-now-and-next": {"now": 2, "target": 4}`, nil},
		{"policy among other work", `"team-work": ["campaigns", "policy"], "pe-now-and-next": "dont_know", "cam-now-and-next": "dont_know"`, nil},
		{"a policy team must answer the overall pair", `"team-work": ["policy"]`,
			map[string]string{"answers.pe-now-and-next": msgRequired}},
		{"a campaigns team is not asked", `"team-work": ["campaigns"], "cam-now-and-next": "dont_know", "pe-channels": 3`,
			map[string]string{"answers.pe-channels": `this question is not asked given the answer to "team-work"; leave it out`}},
		{"none of these: nothing to answer", `"team-work": ["none"]`, nil},
		{"none of these is not asked either", `"team-work": ["none"], "pe-now-and-next": {"now": 1, "target": 2}`,
			map[string]string{"answers.pe-now-and-next": `this question is not asked given the answer to "team-work"; leave it out`}},
		{"none of these cannot go with policy", `"team-work": ["none", "policy"]`,
			map[string]string{"answers.team-work": `"none" cannot be chosen with other options`}},
	} {
		_, errs := d.CheckAnswers(rawAnswers(t, "{"+base+tc.answers+"}"))
		if len(errs) != len(tc.errs) {
			t.Errorf("%s: %v, want %v", tc.name, errs, tc.errs)
			continue
		}
		for f, msg := range tc.errs {
			if errs[f] != msg {
				t.Errorf("%s: %s: %q, want %q", tc.name, f, errs[f], msg)
			}
		}
	}
	for _, dim := range d.Dimensions {
		conditional := dim.Key == "policy-engagement" || dim.Key == "arms-length-bodies" || dim.Key == "campaigns"
		if dim.CountsInOverall() == conditional {
			t.Errorf("dimension %q counts in overall: %v, want %v", dim.Key, dim.CountsInOverall(), !conditional)
		}
	}
}
