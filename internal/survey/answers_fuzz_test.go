package survey

import (
	"encoding/json"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	definitions "skillsurvey/survey-definitions"
)

// FuzzCheckAnswers gives any JSON object, as a submission's answers, to every test and shipped
// definition. CheckAnswers must never panic, must return either accepted answers or problems, must
// accept only known questions holding values of their type, and must give the same result twice.
func FuzzCheckAnswers(f *testing.F) {
	defs := fuzzDefinitions(f)
	for _, tc := range answersCases() {
		f.Add([]byte(tc.answers))
	}
	for _, d := range defs {
		f.Add(sampleAnswers(d, false))
		f.Add(sampleAnswers(d, true))
	}
	for _, s := range []string{
		`null`, `{}`, `{"":1}`, `{"consult": 1e400}`, `{"consult": -0}`, `{"consult": 1.0000000000000001}`,
		`{"consult": 2, "consult": 9}`, `{"now-and-next": {"now": 2, "target": 3, "now": 9}}`,
		`{"now-and-next": {"NOW": 2, "Target": 3}}`, `{"channels": ["web", null]}`, `{"channels": [[]]}`,
		`{"role-type": "dont_know", "team-size": "dont_know", "comments": "dont_know"}`,
		`{"comments": "\ud800\udc00\ud800"}`, `{"comments": "` + "\xff\xfe" + `"}`,
		`{"team-size": 1e308, "consult": 4e-324}`, `{"role-type": {"specialist": true}}`,
		`{"role-type": "specialist", "specialist-tools": [` + strings.Repeat(`[`, 1000) + strings.Repeat(`]`, 1000) + `]}`,
	} {
		f.Add([]byte(s))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		var raw map[string]json.RawMessage
		if json.Unmarshal(data, &raw) != nil {
			return // a submission's answers are a JSON object; the decoder refuses anything else
		}
		for _, d := range defs {
			answers, errs := d.CheckAnswers(raw)
			again, errsAgain := d.CheckAnswers(raw)
			if !reflect.DeepEqual(answers, again) || !reflect.DeepEqual(errs, errsAgain) {
				t.Fatalf("%s: two checks of the same answers differ:\n  %v %v\n  %v %v", d.ID, answers, errs, again, errsAgain)
			}
			switch {
			case (answers == nil) == (errs == nil):
				t.Fatalf("%s: CheckAnswers returned answers %v and errors %v", d.ID, answers, errs)
			case errs != nil:
				checkAnswerErrors(t, d, raw, errs)
			default:
				checkAccepted(t, d, raw, answers)
				checkCanonical(t, d, answers)
			}
		}
	})
}

// fuzzDefinitions loads every definition in testdata and every shipped one.
func fuzzDefinitions(tb testing.TB) []*Definition {
	tb.Helper()
	shipped, err := LoadFS(definitions.Files, "survey-definitions")
	if err != nil {
		tb.Fatal(err)
	}
	paths, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	defs := shipped
	for _, p := range paths {
		d, err := Load(p)
		if err != nil {
			tb.Fatal(err)
		}
		defs = append(defs, d)
	}
	return defs
}

// checkAnswerErrors checks that every problem names a question or an answer given, and that every
// answer to a question the survey does not have is among them.
func checkAnswerErrors(t *testing.T, d *Definition, raw map[string]json.RawMessage, errs FieldErrors) {
	t.Helper()
	if len(errs) == 0 {
		t.Fatalf("%s: an empty list of errors", d.ID)
	}
	for f, msg := range errs {
		key, ok := strings.CutPrefix(f, "answers.")
		_, asked := d.Question(key)
		_, given := raw[key]
		if !ok || msg == "" || !asked && !given {
			t.Errorf("%s: error %q: %q names neither a question nor an answer given", d.ID, f, msg)
		}
	}
	for key := range raw {
		if _, ok := d.Question(key); !ok && errs[field(key)] == "" {
			t.Errorf("%s: the unknown question %q is not reported", d.ID, key)
		}
	}
}

// checkAccepted checks accepted answers without CheckAnswers' own code: each answers a question that
// was asked, given its condition, with a value of its type; every required question asked is answered.
func checkAccepted(t *testing.T, d *Definition, raw map[string]json.RawMessage, answers Answers) {
	t.Helper()
	for key := range raw {
		if _, ok := d.Question(key); !ok {
			t.Errorf("%s: accepted an answer to the unknown question %q", d.ID, key)
		}
	}
	for key, a := range answers {
		q, ok := d.Question(key)
		if !ok {
			t.Fatalf("%s: accepted answer to the unknown question %q", d.ID, key)
		}
		if v, given := raw[key]; !given || string(v) == "null" {
			t.Errorf("%s: %q accepted, but not given", d.ID, key)
		}
		if msg := answerShape(d, q, a); msg != "" {
			t.Errorf("%s: %q accepted as %+v: %s", d.ID, key, a, msg)
		}
		if q.ShowIf != nil && !conditionHolds(q, answers) {
			t.Errorf("%s: %q accepted, but its condition on %q does not hold", d.ID, key, q.ShowIf.Question)
		}
	}
	for _, q := range d.Questions() {
		if _, ok := answers[q.Key]; !ok && q.Required && (q.ShowIf == nil || conditionHolds(q, answers)) {
			t.Errorf("%s: the required question %q is asked but not answered", d.ID, q.Key)
		}
	}
}

// conditionHolds reports whether the answer to q's show_if question shows q. The question it depends on
// has its own condition checked when its answer is.
func conditionHolds(q *Question, answers Answers) bool {
	a, ok := answers[q.ShowIf.Question]
	return ok && !a.DontKnow && q.ShowIf.Matches(a.Choices)
}

// answerShape says what is wrong with an accepted answer for its question's type, or "".
func answerShape(d *Definition, q *Question, a Answer) string {
	if a.DontKnow {
		if !q.DontKnow || q.Type == TypeText || !reflect.DeepEqual(a, Answer{DontKnow: true}) {
			return "don't know where it is not an answer, or with a value"
		}
		return ""
	}
	inLevels := func(n int) bool { return n >= 1 && n <= len(q.Levels) }
	var only Answer // the answer holding just the fields of the question's type
	ok := false
	switch q.Type {
	case TypeMaturity:
		only, ok = Answer{Level: a.Level}, inLevels(a.Level)
	case TypeAspirationReality:
		only, ok = Answer{Now: a.Now, Target: a.Target}, inLevels(a.Now) && inLevels(a.Target)
	case TypeProficiency:
		only, ok = Answer{Level: a.Level}, a.Level >= 0 && a.Level < len(d.Proficiency)
	case TypeChoice:
		only, ok = Answer{Choices: a.Choices}, len(a.Choices) == 1 && hasOptions(q, a.Choices)
	case TypeMultiChoice:
		only, ok = Answer{Choices: a.Choices}, validChoices(q, a.Choices)
	case TypeNumber:
		f := a.Number
		only = Answer{Number: f}
		ok = !math.IsNaN(f) && !math.IsInf(f, 0) && (q.Min == nil || f >= *q.Min) && (q.Max == nil || f <= *q.Max)
	case TypeText:
		only = Answer{Text: a.Text}
		ok = a.Text != "" && utf8.ValidString(a.Text) && utf8.RuneCountInString(a.Text) <= q.TextLimit()
	default:
		return "an answer to a question of unknown type " + q.Type
	}
	switch {
	case !reflect.DeepEqual(a, only):
		return "fields of another type are set"
	case !ok:
		return "not a value of type " + q.Type
	}
	return ""
}

func hasOptions(q *Question, keys []string) bool {
	for _, k := range keys {
		if _, ok := q.Option(k); !ok {
			return false
		}
	}
	return true
}

// validChoices: at least one option, each once, sorted, no more than max_choices, an exclusive one alone.
func validChoices(q *Question, keys []string) bool {
	if len(keys) == 0 || !hasOptions(q, keys) || !slices.IsSorted(keys) || len(slices.Compact(slices.Clone(keys))) != len(keys) {
		return false
	}
	if q.MaxChoices > 0 && len(keys) > q.MaxChoices {
		return false
	}
	for _, k := range keys {
		if o, _ := q.Option(k); o.Exclusive && len(keys) > 1 {
			return false
		}
	}
	return true
}

// checkCanonical checks that the stored form of accepted answers is accepted again as the same answers.
func checkCanonical(t *testing.T, d *Definition, answers Answers) {
	t.Helper()
	stored := d.Canonical(answers)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(stored, &raw); err != nil {
		t.Fatalf("%s: canonical answers %s are not a JSON object: %v", d.ID, stored, err)
	}
	again, errs := d.CheckAnswers(raw)
	if errs != nil {
		t.Fatalf("%s: canonical answers %s refused: %v", d.ID, stored, errs)
	}
	if !reflect.DeepEqual(again, answers) {
		t.Errorf("%s: canonical answers %s read back as %v, want %v", d.ID, stored, again, answers)
	}
	if b := d.Canonical(again); string(b) != string(stored) {
		t.Errorf("%s: canonical of canonical\n  %s\ndiffers from\n  %s", d.ID, b, stored)
	}
}

// sampleAnswers answers every question d asks with its lowest or highest value, as a respondent
// could, so the fuzzer also starts from responses each definition accepts.
func sampleAnswers(d *Definition, high bool) []byte {
	pick := func(lo, hi int) int {
		if high {
			return hi
		}
		return lo
	}
	raw := map[string]any{}
	chosen := map[string][]string{}
	for _, q := range d.Questions() {
		if q.ShowIf != nil && !q.ShowIf.Matches(chosen[q.ShowIf.Question]) {
			continue
		}
		switch q.Type {
		case TypeMaturity:
			raw[q.Key] = pick(1, len(q.Levels))
		case TypeAspirationReality:
			raw[q.Key] = map[string]int{"now": pick(1, len(q.Levels)), "target": len(q.Levels)}
		case TypeProficiency:
			raw[q.Key] = d.Proficiency[pick(0, len(d.Proficiency)-1)]
		case TypeChoice:
			chosen[q.Key] = []string{q.Options[pick(0, len(q.Options)-1)].Key}
			raw[q.Key] = chosen[q.Key][0]
		case TypeMultiChoice:
			var keys []string
			for _, o := range q.Options {
				if !o.Exclusive && (q.MaxChoices == 0 || len(keys) < q.MaxChoices) && (high || len(keys) == 0) {
					keys = append(keys, o.Key)
				}
			}
			chosen[q.Key], raw[q.Key] = keys, keys
		case TypeNumber:
			n := 0.0
			if q.Min != nil {
				n = *q.Min
			}
			if q.Max != nil && (high || n > *q.Max) {
				n = *q.Max
			}
			raw[q.Key] = n
		case TypeText:
			raw[q.Key] = strings.Repeat("é", pick(1, q.TextLimit()))
		}
	}
	b, err := json.Marshal(raw)
	if err != nil {
		panic(err)
	}
	return b
}

// The fuzzer's own starting points must be accepted, or it would rarely reach accepted answers.
func TestSampleAnswersAccepted(t *testing.T) {
	for _, d := range fuzzDefinitions(t) {
		for _, high := range []bool{false, true} {
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(sampleAnswers(d, high), &raw); err != nil {
				t.Fatal(err)
			}
			if _, errs := d.CheckAnswers(raw); errs != nil {
				t.Errorf("%s, high %v: %v", d.ID, high, errs)
			}
		}
	}
}
