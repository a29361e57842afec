package scoring

import (
	"encoding/json"
	"fmt"
	"testing"

	"skillsurvey/internal/survey"
)

// everyAnswerAt answers every question of d a specialist working on every kind of work could be
// asked, at level i of the maturity and aspiration-reality questions (now and target both i).
func everyAnswerAt(t *testing.T, d *survey.Definition, i int) survey.Answers {
	t.Helper()
	raw := map[string]json.RawMessage{}
	for _, q := range d.Questions() {
		var v string
		switch q.Type {
		case survey.TypeMaturity:
			v = fmt.Sprint(i)
		case survey.TypeAspirationReality:
			v = fmt.Sprintf(`{"now":%d,"target":%d}`, i, i)
		case survey.TypeProficiency:
			v = fmt.Sprintf("%q", d.Proficiency[i-1])
		case survey.TypeChoice:
			v = fmt.Sprintf("%q", q.Options[0].Key)
		case survey.TypeMultiChoice:
			keys := []string{}
			for _, o := range q.Options {
				if !o.Exclusive && (q.MaxChoices == 0 || len(keys) < q.MaxChoices) {
					keys = append(keys, o.Key)
				}
			}
			b, _ := json.Marshal(keys)
			v = string(b)
		case survey.TypeNumber:
			v = "1"
		case survey.TypeText:
			v = `"x"`
		}
		raw[q.Key] = json.RawMessage(v)
	}
	answers, errs := d.CheckAnswers(raw)
	if len(errs) > 0 {
		t.Fatalf("answers at level %d: %v", i, errs)
	}
	return answers
}

// TestShippedStagesMatchLevels: with the shipped definition, a respondent answering every question
// at level i sits in stage i in every maturity dimension and overall; and its stages raise no
// warning. (Skills are scored against what a role needs, so they are left out.)
func TestShippedStagesMatchLevels(t *testing.T) {
	d, err := survey.Load("../../survey-definitions/digital-communications.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if w := d.StageWarnings(); len(w) > 0 {
		t.Errorf("the shipped definition warns: %v", w)
	}
	for i := 1; i <= len(d.Scale.Stages); i++ {
		r := Score(d, everyAnswerAt(t, d, i), Current)
		want := d.Scale.Stages[i-1].Key
		for key, dim := range r.Dimensions {
			if key == "skills" || dim.Score == nil {
				continue
			}
			if got := d.StageFor(*dim.Score).Key; got != want {
				t.Errorf("every answer at level %d: %s scores %.2f, stage %q, want %q", i, key, *dim.Score, got, want)
			}
		}
	}
}
