package survey

import (
	"encoding/json"
	"testing"
)

// TestAsked checks the show_if rule on raw answers agrees with CheckAnswers: a question whose
// condition names an answer given is asked, and one whose condition is unanswered, answered
// otherwise, "don't know" or not valid is not.
func TestAsked(t *testing.T) {
	d, err := Load("testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	q, _ := d.Question("specialist-tools")
	always, _ := d.Question("consult")
	for _, tc := range []struct {
		role string
		want bool
	}{
		{`"specialist"`, true},
		{`"non-specialist"`, false},
		{``, false},
		{`"dont_know"`, false},
		{`"admin"`, false},
		{`3`, false},
	} {
		raw := map[string]json.RawMessage{}
		if tc.role != "" {
			raw["role-type"] = json.RawMessage(tc.role)
		}
		if got := d.Asked(q, raw); got != tc.want {
			t.Errorf("role-type %s: asked %v, want %v", tc.role, got, tc.want)
		}
		if !d.Asked(always, raw) {
			t.Errorf("role-type %s: a question without show_if is not asked", tc.role)
		}
	}
}
