package survey

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func loadSmall(t *testing.T) *Definition {
	t.Helper()
	d, err := Load(filepath.Join("testdata", "small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func rawAnswers(t *testing.T, body string) map[string]json.RawMessage {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatalf("test answers are not a JSON object: %v\n%s", err, body)
	}
	return raw
}

func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Messages of small.yaml's questions.
const (
	msgConsultLevel   = "must be a whole number from 1 to 4"
	msgNowAndNext     = `must be {"now": level, "target": level} with levels from 1 to 5`
	msgProficiency    = `must be one of "none", "awareness", "working", "practitioner", "expert"`
	msgRoleType       = `must be one of "specialist", "non-specialist"`
	msgChannels       = `must be a list of options from "email", "social", "web", "events", "none"`
	msgTeamSize       = "must be between 1 and 500"
	msgHiddenRoleType = `this question is not asked given the answer to "role-type"; leave it out`
)

type answersCase struct {
	name    string
	answers string            // the JSON object a respondent sends
	want    Answers           // the accepted answers, for a valid case
	errs    map[string]string // field -> message, for an invalid case
}

// required is what every valid case answers unless it says otherwise.
var required = Answers{
	"role-type": {Choices: []string{"non-specialist"}},
	"consult":   {Level: 2},
}

// plus returns the required answers with others added or replaced.
func plus(more Answers) Answers {
	a := maps.Clone(required)
	maps.Copy(a, more)
	return a
}

func answersCases() []answersCase {
	return []answersCase{
		// Valid answers.
		{name: "required answers only", answers: `{"role-type": "non-specialist", "consult": 2}`,
			want: required},
		{name: "every question answered", answers: `{
			"role-type": "specialist", "channels": ["web", "email"], "team-size": 12,
			"consult": 4, "now-and-next": {"now": 2, "target": 5}, "specialist-tools": 3,
			"social-media": "working", "data": "expert", "comments": "Fine"}`,
			want: Answers{
				"role-type": {Choices: []string{"specialist"}}, "channels": {Choices: []string{"email", "web"}},
				"team-size": {Number: 12}, "consult": {Level: 4}, "now-and-next": {Now: 2, Target: 5},
				"specialist-tools": {Level: 3}, "social-media": {Level: 2}, "data": {Level: 4},
				"comments": {Text: "Fine"},
			}},
		{name: "lowest levels", answers: `{"role-type": "non-specialist", "consult": 1, "now-and-next": {"now": 1, "target": 1}, "social-media": "none"}`,
			want: plus(Answers{"consult": {Level: 1}, "now-and-next": {Now: 1, Target: 1}, "social-media": {Level: 0}})},
		{name: "whole number written with a decimal point", answers: `{"role-type": "non-specialist", "consult": 3.0}`,
			want: plus(Answers{"consult": {Level: 3}})},
		{name: "dont_know where allowed", answers: `{"role-type": "non-specialist", "consult": "dont_know", "data": "dont_know"}`,
			want: plus(Answers{"consult": {DontKnow: true}, "data": {DontKnow: true}})},
		{name: "null means unanswered", answers: `{"role-type": "non-specialist", "consult": 2, "team-size": null, "comments": null, "now-and-next": null}`,
			want: required},
		{name: "empty text and empty list are unanswered", answers: `{"role-type": "non-specialist", "consult": 2, "comments": "", "channels": []}`,
			want: required},
		{name: "number at its bounds", answers: `{"role-type": "non-specialist", "consult": 2, "team-size": 500}`,
			want: plus(Answers{"team-size": {Number: 500}})},
		{name: "whole number written with a decimal point", answers: `{"role-type": "non-specialist", "consult": 2, "team-size": 12.0}`,
			want: plus(Answers{"team-size": {Number: 12}})},
		{name: "text at max_length in characters, twice as many bytes",
			answers: `{"role-type": "non-specialist", "consult": 2, "comments": ` + jsonText(strings.Repeat("é", 200)) + `}`,
			want:    plus(Answers{"comments": {Text: strings.Repeat("é", 200)}})},
		{name: "control characters are dropped from text, line breaks kept",
			answers: `{"role-type": "non-specialist", "consult": 2, "comments": "  More\u0000 time\r\nfor\u001b[31m analytics\u0085\tplease \u0007"}`,
			want:    plus(Answers{"comments": {Text: "More time\nfor[31m analytics\tplease"}})},
		{name: "text of control characters only is unanswered", answers: `{"role-type": "non-specialist", "consult": 2, "comments": "\u0000\u001b \r\n"}`,
			want: required},
		{name: "text at max_length once control characters are dropped",
			answers: `{"role-type": "non-specialist", "consult": 2, "comments": ` + jsonText(strings.Repeat("a\u0000", 200)) + `}`,
			want:    plus(Answers{"comments": {Text: strings.Repeat("a", 200)}})},
		{name: "dont_know is plain text in a text question", answers: `{"role-type": "non-specialist", "consult": 2, "comments": "dont_know"}`,
			want: plus(Answers{"comments": {Text: "dont_know"}})},
		{name: "conditional question answered when its condition holds", answers: `{"role-type": "specialist", "consult": 2, "specialist-tools": 1}`,
			want: Answers{"role-type": {Choices: []string{"specialist"}}, "consult": {Level: 2}, "specialist-tools": {Level: 1}}},
		{name: "hidden question left null", answers: `{"role-type": "non-specialist", "consult": 2, "specialist-tools": null}`,
			want: required},

		// Maturity.
		{name: "level as a string", answers: `{"role-type": "non-specialist", "consult": "2"}`,
			errs: map[string]string{"answers.consult": msgConsultLevel}},
		{name: "level 0", answers: `{"role-type": "non-specialist", "consult": 0}`,
			errs: map[string]string{"answers.consult": msgConsultLevel}},
		{name: "level above the count", answers: `{"role-type": "non-specialist", "consult": 5}`,
			errs: map[string]string{"answers.consult": msgConsultLevel}},
		{name: "level 2.5", answers: `{"role-type": "non-specialist", "consult": 2.5}`,
			errs: map[string]string{"answers.consult": msgConsultLevel}},
		{name: "level as an object", answers: `{"role-type": "non-specialist", "consult": {"level": 2}}`,
			errs: map[string]string{"answers.consult": msgConsultLevel}},
		{name: "dont_know where not allowed", answers: `{"role-type": "specialist", "consult": 2, "specialist-tools": "dont_know"}`,
			errs: map[string]string{"answers.specialist-tools": msgDontKnow}},
		{name: "other text where dont_know is allowed", answers: `{"role-type": "non-specialist", "consult": "don't know"}`,
			errs: map[string]string{"answers.consult": msgConsultLevel}},

		// Aspiration-reality.
		{name: "aspiration-reality without target", answers: `{"role-type": "non-specialist", "consult": 2, "now-and-next": {"now": 2}}`,
			errs: map[string]string{"answers.now-and-next": msgNowAndNext}},
		{name: "aspiration-reality with an extra key", answers: `{"role-type": "non-specialist", "consult": 2, "now-and-next": {"now": 2, "target": 3, "why": 1}}`,
			errs: map[string]string{"answers.now-and-next": msgNowAndNext}},
		{name: "aspiration-reality not an object", answers: `{"role-type": "non-specialist", "consult": 2, "now-and-next": [2, 3]}`,
			errs: map[string]string{"answers.now-and-next": msgNowAndNext}},
		{name: "aspiration-reality now 0", answers: `{"role-type": "non-specialist", "consult": 2, "now-and-next": {"now": 0, "target": 3}}`,
			errs: map[string]string{"answers.now-and-next": "now must be a whole number from 1 to 5"}},
		{name: "aspiration-reality target above the count", answers: `{"role-type": "non-specialist", "consult": 2, "now-and-next": {"now": 2, "target": 6}}`,
			errs: map[string]string{"answers.now-and-next": "target must be a whole number from 1 to 5"}},
		{name: "aspiration-reality target null", answers: `{"role-type": "non-specialist", "consult": 2, "now-and-next": {"now": 2, "target": null}}`,
			errs: map[string]string{"answers.now-and-next": "target must be a whole number from 1 to 5"}},
		{name: "aspiration-reality dont_know where not allowed", answers: `{"role-type": "non-specialist", "consult": 2, "now-and-next": "dont_know"}`,
			errs: map[string]string{"answers.now-and-next": msgDontKnow}},

		// Proficiency.
		{name: "proficiency unknown level", answers: `{"role-type": "non-specialist", "consult": 2, "social-media": "guru"}`,
			errs: map[string]string{"answers.social-media": msgProficiency}},
		{name: "proficiency as a number", answers: `{"role-type": "non-specialist", "consult": 2, "data": 2}`,
			errs: map[string]string{"answers.data": msgProficiency}},
		{name: "proficiency dont_know where not allowed", answers: `{"role-type": "non-specialist", "consult": 2, "social-media": "dont_know"}`,
			errs: map[string]string{"answers.social-media": msgDontKnow}},

		// Choice and multi_choice.
		{name: "choice unknown option", answers: `{"role-type": "manager", "consult": 2}`,
			errs: map[string]string{"answers.role-type": msgRoleType}},
		{name: "choice given by its label", answers: `{"role-type": "Digital specialist", "consult": 2}`,
			errs: map[string]string{"answers.role-type": msgRoleType}},
		{name: "choice as a list", answers: `{"role-type": ["specialist"], "consult": 2}`,
			errs: map[string]string{"answers.role-type": msgRoleType}},
		{name: "multi_choice duplicate", answers: `{"role-type": "non-specialist", "consult": 2, "channels": ["web", "web"]}`,
			errs: map[string]string{"answers.channels": `"web" is chosen twice`}},
		{name: "multi_choice unknown option", answers: `{"role-type": "non-specialist", "consult": 2, "channels": ["web", "fax"]}`,
			errs: map[string]string{"answers.channels": `"fax" is not one of "email", "social", "web", "events", "none"`}},
		{name: "multi_choice exclusive option with another", answers: `{"role-type": "non-specialist", "consult": 2, "channels": ["none", "web"]}`,
			errs: map[string]string{"answers.channels": `"none" cannot be chosen with other options`}},
		{name: "multi_choice exclusive option alone", answers: `{"role-type": "non-specialist", "consult": 2, "channels": ["none"]}`,
			want: Answers{"role-type": {Choices: []string{"non-specialist"}}, "consult": {Level: 2}, "channels": {Choices: []string{"none"}}}},
		{name: "multi_choice too many", answers: `{"role-type": "non-specialist", "consult": 2, "channels": ["web", "email", "social", "events"]}`,
			errs: map[string]string{"answers.channels": "choose at most 3, not 4"}},
		{name: "multi_choice not a list", answers: `{"role-type": "non-specialist", "consult": 2, "channels": "web"}`,
			errs: map[string]string{"answers.channels": msgChannels}},
		{name: "multi_choice dont_know", answers: `{"role-type": "non-specialist", "consult": 2, "channels": "dont_know"}`,
			errs: map[string]string{"answers.channels": msgDontKnow}},

		// Number.
		{name: "number below min", answers: `{"role-type": "non-specialist", "consult": 2, "team-size": 0}`,
			errs: map[string]string{"answers.team-size": msgTeamSize}},
		{name: "number above max", answers: `{"role-type": "non-specialist", "consult": 2, "team-size": 501}`,
			errs: map[string]string{"answers.team-size": msgTeamSize}},
		{name: "whole number asked for, 1.5 given", answers: `{"role-type": "non-specialist", "consult": 2, "team-size": 1.5}`,
			errs: map[string]string{"answers.team-size": "must be a whole number"}},
		{name: "whole number asked for, beyond max and not whole", answers: `{"role-type": "non-specialist", "consult": 2, "team-size": 500.5}`,
			errs: map[string]string{"answers.team-size": "must be a whole number"}},
		{name: "number as a string", answers: `{"role-type": "non-specialist", "consult": 2, "team-size": "12"}`,
			errs: map[string]string{"answers.team-size": "must be a number"}},

		// Text.
		{name: "text over max_length in characters",
			answers: `{"role-type": "non-specialist", "consult": 2, "comments": ` + jsonText(strings.Repeat("é", 201)) + `}`,
			errs:    map[string]string{"answers.comments": "must be at most 200 characters, is 201"}},
		{name: "text over max_length in four-byte characters",
			answers: `{"role-type": "non-specialist", "consult": 2, "comments": ` + jsonText(strings.Repeat("🙂", 150)+strings.Repeat("x", 51)) + `}`,
			errs:    map[string]string{"answers.comments": "must be at most 200 characters, is 201"}},
		{name: "text as a number", answers: `{"role-type": "non-specialist", "consult": 2, "comments": 42}`,
			errs: map[string]string{"answers.comments": "must be text"}},

		// The response as a whole.
		{name: "unknown question", answers: `{"role-type": "non-specialist", "consult": 2, "colour": "red"}`,
			errs: map[string]string{"answers.colour": `there is no question "colour" in this survey`}},
		{name: "required questions missing", answers: `{}`,
			errs: map[string]string{"answers.role-type": msgRequired, "answers.consult": msgRequired}},
		{name: "required question given as null", answers: `{"role-type": null, "consult": 2}`,
			errs: map[string]string{"answers.role-type": msgRequired}},
		{name: "required choice given as empty text", answers: `{"role-type": "", "consult": 2}`,
			errs: map[string]string{"answers.role-type": msgRoleType}},
		{name: "hidden question answered", answers: `{"role-type": "non-specialist", "consult": 2, "specialist-tools": 2}`,
			errs: map[string]string{"answers.specialist-tools": msgHiddenRoleType}},
		// The condition's own answer is wrong (missing), so only that is reported, not "leave it out".
		{name: "hidden question when its condition is not answered", answers: `{"consult": 2, "specialist-tools": 2}`,
			errs: map[string]string{"answers.role-type": msgRequired}},
		{name: "several problems at once", answers: `{
			"role-type": "non-specialist", "consult": 9, "channels": "web", "team-size": "many",
			"specialist-tools": 1, "social-media": "guru", "comments": 5, "colour": "red"}`,
			errs: map[string]string{
				"answers.consult":          msgConsultLevel,
				"answers.channels":         msgChannels,
				"answers.team-size":        "must be a number",
				"answers.specialist-tools": msgHiddenRoleType,
				"answers.social-media":     msgProficiency,
				"answers.comments":         "must be text",
				"answers.colour":           `there is no question "colour" in this survey`,
			}},
	}
}

func TestCheckAnswers(t *testing.T) {
	d := loadSmall(t)
	for _, tc := range answersCases() {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := d.CheckAnswers(rawAnswers(t, tc.answers))
			if tc.errs == nil {
				if errs != nil {
					t.Fatalf("errors %v, want none", errs)
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("answers\n  %v\nwant\n  %v", got, tc.want)
				}
				return
			}
			if got != nil {
				t.Errorf("answers %v returned beside errors", got)
			}
			gotFields, wantFields := slices.Sorted(maps.Keys(errs)), slices.Sorted(maps.Keys(tc.errs))
			if !slices.Equal(gotFields, wantFields) {
				t.Fatalf("error fields %q, want %q (errors %v)", gotFields, wantFields, errs)
			}
			for f, want := range tc.errs {
				if errs[f] != want {
					t.Errorf("%s: %q, want %q", f, errs[f], want)
				}
			}
		})
	}
}

// small.yaml has no required text or multi_choice question, so these use a copy that makes two required.
func TestCheckAnswersRequiredEmpty(t *testing.T) {
	small := readFile(t, filepath.Join("testdata", "small.yaml"))
	small = replaceOnce(t, small, "max_length: 200", "max_length: 200\n        required: true")
	small = replaceOnce(t, small, "max_choices: 3", "max_choices: 3\n        required: true")
	d, err := Parse("required.yaml", []byte(small))
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{
		`{"role-type": "non-specialist", "consult": 2}`,
		`{"role-type": "non-specialist", "consult": 2, "comments": "", "channels": []}`,
		`{"role-type": "non-specialist", "consult": 2, "comments": null, "channels": null}`,
	} {
		_, errs := d.CheckAnswers(rawAnswers(t, body))
		want := FieldErrors{"answers.comments": msgRequired, "answers.channels": msgRequired}
		if !maps.Equal(errs, want) {
			t.Errorf("%s: errors %v, want %v", body, errs, want)
		}
	}
	// Spaces and control characters alone are no answer: a text is kept trimmed (see plainText).
	_, errs := d.CheckAnswers(rawAnswers(t, `{"role-type": "non-specialist", "consult": 2, "comments": " \u0000\n", "channels": ["web"]}`))
	if want := (FieldErrors{"answers.comments": msgRequired}); !maps.Equal(errs, want) {
		t.Errorf("a required text of spaces and control characters: errors %v, want %v", errs, want)
	}
}

func TestCanonical(t *testing.T) {
	d := loadSmall(t)
	compact := `{"role-type":"specialist","channels":["web","email","social"],"team-size":12,"consult":"dont_know",` +
		`"now-and-next":{"now":2,"target":5},"specialist-tools":3,"social-media":"working","data":"expert","comments":"<ok> & \"fine\""}`
	spread := `{
		"comments"        : "<ok> & \"fine\"",
		"data"            : "expert",
		"social-media"    : "working",
		"specialist-tools": 3.0,
		"now-and-next"    : { "target": 5, "now": 2 },
		"consult"         : "dont_know",
		"team-size"       : 1.2e1,
		"channels"        : [ "social", "email", "web" ],
		"role-type"       : "specialist"
	}`
	want := `{"channels":["email","social","web"],"comments":"\u003cok\u003e \u0026 \"fine\"","consult":"dont_know",` +
		`"data":"expert","now-and-next":{"now":2,"target":5},"role-type":"specialist","social-media":"working",` +
		`"specialist-tools":3,"team-size":12}`

	var first []byte
	for _, body := range []string{compact, spread} {
		a, errs := d.CheckAnswers(rawAnswers(t, body))
		if errs != nil {
			t.Fatalf("errors %v", errs)
		}
		got := d.Canonical(a)
		if string(got) != want {
			t.Errorf("Canonical =\n  %s\nwant\n  %s", got, want)
		}
		if first == nil {
			first = got
		} else if string(got) != string(first) {
			t.Errorf("the same answers gave\n  %s\nand\n  %s", first, got)
		}

		// The canonical form is itself a valid response with the same canonical form.
		again, errs := d.CheckAnswers(rawAnswers(t, string(got)))
		if errs != nil {
			t.Fatalf("canonical answers rejected: %v", errs)
		}
		if b := d.Canonical(again); string(b) != string(got) {
			t.Errorf("canonical of canonical\n  %s\ndiffers from\n  %s", b, got)
		}
	}

	if got := string(d.Canonical(Answers{})); got != "{}" {
		t.Errorf("Canonical of no answers = %s, want {}", got)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("%q occurs %d times", old, n)
	}
	return strings.Replace(s, old, new, 1)
}
