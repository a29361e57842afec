package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// baseName is the file name problems of the table's documents are reported under.
const baseName = "base.yaml"

// baseHead and baseSections together make a small valid definition using every rule once; each case
// of problemCases changes one thing in it. Line numbers in the cases refer to this text.
const baseHead = `# A valid definition; each case below changes one thing.
id: base
title: Base
scale:
  stages:
    - {key: low, label: Low, from: 0}
    - {key: high, label: High, from: 50}
proficiency: [none, working, expert]
roles: {question: role}
dimensions:
  - {key: dim, title: Dim, weight: 1, min_answers: 1}
skills:
  - {key: writing, title: Writing, group: mainstream, expected: {lead: working}}
`

const baseSections = `sections:
  - key: main
    title: Main
    questions:
      - {key: role, type: choice, text: Role, options: [lead, member]}
      - {key: mat, type: maturity, text: Mature, dimension: dim, levels: [A, B, C]}
      - {key: prof, type: proficiency, text: Skilled, skill: writing}
      - {key: num, type: number, text: How many, min: 0, max: 10}
      - {key: txt, type: text, text: Else, max_length: 100}
      - {key: multi, type: multi_choice, text: Which, options: [a, b], max_choices: 2}
      - {key: cond, type: text, text: Why, show_if: {question: role, equals: lead}}
`

const validBase = baseHead + baseSections

// edit returns validBase with each old string (which must occur exactly once) replaced by its new one.
func edit(pairs ...string) string {
	doc := validBase
	for i := 0; i+1 < len(pairs); i += 2 {
		if n := strings.Count(doc, pairs[i]); n != 1 {
			panic(fmt.Sprintf("edit: %q occurs %d times in the base definition", pairs[i], n))
		}
		doc = strings.Replace(doc, pairs[i], pairs[i+1], 1)
	}
	return doc
}

// problemCase is one document breaking one rule, with the problem it must produce.
type problemCase struct {
	name string
	doc  string
	want string // "file:line: message"
	// others is set where breaking the rule necessarily breaks another one too.
	others bool
}

func problemCases() []problemCase {
	at := func(line int, msg string) string { return fmt.Sprintf("%s:%d: %s", baseName, line, msg) }
	return []problemCase{
		// Keys and YAML (keys.go, load.go).
		{name: "unknown key at top level", doc: edit("title: Base\n", "title: Base\ncolour: red\n"),
			want: at(4, `unknown key "colour" in definition`)},
		{name: "unknown key in a stage", doc: edit("from: 50}", "from: 50, colour: red}"),
			want: at(7, `unknown key "colour" in stage`)},
		{name: "unknown key in a question", doc: edit("max_length: 100}", "max_length: 100, colour: red}"),
			want: at(22, `unknown key "colour" in question`)},
		{name: "unknown key in show_if", doc: edit("equals: lead}", "equals: lead, colour: red}"),
			want: at(24, `unknown key "colour" in show_if`)},
		{name: "unknown key in an option", doc: edit("options: [a, b]", "options: [a, {key: b, colour: red}]"),
			want: at(23, `unknown key "colour" in option`)},
		{name: "duplicate key at top level", doc: edit("title: Base\n", "title: Base\ntitle: Again\n"),
			want: at(4, `duplicate key "title" in definition (first at line 3)`)},
		{name: "duplicate key in a question", doc: edit("text: Else,", "text: Else, text: Other,"),
			want: at(22, `duplicate key "text" in question (first at line 22)`)},
		{name: "duplicate role in expected levels", doc: edit("{lead: working}", "{lead: working, lead: expert}"),
			want: at(13, `duplicate key "lead" in expected of skill (first at line 13)`)},
		// yaml.v3 leaves out an item with a duplicate key, and reports only the duplicate of a mapping where
		// something else belongs; such files were once accepted unchecked (found by FuzzParse).
		{name: "duplicate key in the last question", doc: edit("text: Why,", "text: Why, text: Again,"),
			want: at(24, `duplicate key "text" in question (first at line 24)`)},
		{name: "duplicate key in a mapping where the list of sections belongs", doc: baseHead + "sections: {main: 1, main: 2}\n",
			want: at(14, `duplicate key "main" in section (first at line 14)`)},
		{name: "duplicate key in a mapping where a level belongs", doc: edit("levels: [A, B, C]", "levels: [A, B, {c: 1, c: 2}]"),
			want: at(19, `duplicate key "c" in levels of question (first at line 19)`)},
		{name: "duplicate key in a mapping where an expected level belongs", doc: edit("{lead: working}", "{lead: {level: working, level: expert}}"),
			want: at(13, `duplicate key "level" in expected of skill (first at line 13)`)},
		{name: "YAML syntax error", doc: edit("    title: Main\n", "    title: Main: again\n"),
			want: at(16, "mapping values are not allowed in this context")},
		{name: "value of the wrong type", doc: edit("weight: 1,", "weight: abc,"),
			want: at(11, "cannot unmarshal !!str `abc` into float64")},
		{name: "empty file", doc: "",
			want: at(1, "file is empty")},
		{name: "only comments", doc: "# to do\n\n",
			want: at(1, "file is empty")},
		{name: "not a mapping", doc: "- id: base\n",
			want: at(1, "cannot unmarshal !!seq into survey.Definition")},

		// The definition's header and scale (validate.go).
		{name: "no id", doc: edit("id: base\n", ""),
			want: at(2, "definition has no id")},
		{name: "no title", doc: edit("title: Base\n", ""),
			want: at(2, "definition has no title")},
		{name: "id not in key form", doc: edit("id: base", "id: Base_1"),
			want: at(2, `id "Base_1" must be lower-case letters, digits and single hyphens`)},
		{name: "negative minutes", doc: edit("title: Base\n", "title: Base\nminutes: -5\n"),
			want: at(4, "definition has minutes -5; it must be 1 to 600")},
		{name: "fewer than 2 stages", doc: edit("    - {key: high, label: High, from: 50}\n", ""),
			want: at(4, "scale needs 2 to 10 stages, has 1")},
		{name: "first stage not at 0", doc: edit("from: 0}", "from: 10}"),
			want: at(6, "the first stage must start at 0 so every score has a stage, not 10")},
		{name: "stages not increasing", doc: edit("from: 50}", "from: 0}"),
			want: at(7, `stage "high" starts at 0, not above the stage before it (0)`)},
		{name: "stage at 100", doc: edit("from: 50}", "from: 100}"),
			want: at(7, `stage "high" starts at 100; stages must start below 100`)},
		{name: "duplicate stage key", doc: edit("key: high", "key: low"),
			want: at(7, `stage key "low" is already used at line 6`)},
		{name: "stage key not in key form", doc: edit("key: high", "key: High"),
			want: at(7, `stage key "High" must be lower-case letters, digits and single hyphens`)},
		{name: "stage without key", doc: edit("{key: high, ", "{"),
			want: at(7, "stage has no key")},
		{name: "stage without label", doc: edit("label: High, ", ""),
			want: at(7, `stage "high" has no label`)},

		// Proficiency, dimensions, skills and roles (validate.go).
		{name: "too few proficiency levels", doc: edit("[none, working, expert]", "[none, working]"),
			want: at(8, "proficiency needs 3 to 7 levels, has 2")},
		{name: "too many proficiency levels", doc: edit("[none, working, expert]", "[p1, p2, p3, p4, p5, p6, working, p8]"),
			want: at(8, "proficiency needs 3 to 7 levels, has 8")},
		{name: "proficiency level not in key form", doc: edit("[none, working, expert]", "[none, working, Expert]"),
			want: at(8, `proficiency level key "Expert" must be lower-case letters, digits and single hyphens`)},
		{name: "duplicate proficiency level", doc: edit("[none, working, expert]", "[none, working, none]"),
			want: at(8, `proficiency level key "none" is already used at line 8`)},
		{name: "no dimensions", doc: edit("dimensions:\n  - {key: dim, title: Dim, weight: 1, min_answers: 1}\n", ""),
			want: at(2, "definition has no dimensions"), others: true},
		{name: "duplicate dimension", doc: edit("min_answers: 1}\n", "min_answers: 1}\n  - {key: dim, title: Again}\n"),
			want: at(12, `dimension key "dim" is already used at line 11`)},
		{name: "dimension without title", doc: edit("title: Dim, ", ""),
			want: at(11, `dimension "dim" has no title`)},
		{name: "dimension weight 0", doc: edit("weight: 1,", "weight: 0,"),
			want: at(11, `dimension "dim" has weight 0; weights must be above zero`)},
		{name: "dimension weight negative", doc: edit("weight: 1,", "weight: -0.5,"),
			want: at(11, `dimension "dim" has weight -0.5; weights must be above zero`)},
		{name: "min_answers 0", doc: edit("min_answers: 1}", "min_answers: 0}"),
			want: at(11, `dimension "dim" has min_answers 0; it must be 1 to 500`)},
		{name: "dimension without scored questions", doc: edit("min_answers: 1}\n", "min_answers: 1}\n  - {key: spare, title: Spare}\n"),
			want: at(12, `dimension "spare" has no scored questions`)},
		{name: "min_answers above the scored questions", doc: edit("min_answers: 1}", "min_answers: 2}"),
			want: at(11, `dimension "dim" needs 2 answers but has only 1 scored question(s)`)},
		{name: "skill with a bad group", doc: edit("group: mainstream", "group: core"),
			want: at(13, `skill "writing" has group "core"; use "specialist" or "mainstream"`)},
		{name: "skill without title", doc: edit("title: Writing, ", ""),
			want: at(13, `skill "writing" has no title`)},
		{name: "duplicate skill", doc: edit("{lead: working}}\n", "{lead: working}}\n  - {key: writing, title: Again, group: specialist}\n"),
			want: at(14, `skill key "writing" is already used at line 13`)},
		{name: "skill expecting an unknown level", doc: edit("{lead: working}", "{lead: master}"),
			want: at(13, `skill "writing" expects level "master" of role "lead", which is not a proficiency level`)},
		{name: "skill expecting a role that is not an option", doc: edit("{lead: working}", "{boss: working}"),
			want: at(13, `skill "writing" expects a level of role "boss", which is not an option of "role"`)},
		{name: "expected levels without a roles question", doc: edit("roles: {question: role}\n", ""),
			want: at(12, `skill "writing" sets expected levels but the definition has no roles question`)},
		{name: "roles question unknown", doc: edit("{question: role}", "{question: nobody}"),
			want: at(9, `roles question "nobody" is not a question in this definition`)},
		{name: "roles question not a choice", doc: edit("{question: role}", "{question: multi}"),
			want: at(9, `roles question "multi" must be a choice question, is multi_choice`)},
		{name: "skills without proficiency levels", doc: edit("proficiency: [none, working, expert]\n", ""),
			want: at(11, "skills are listed but there are no proficiency levels"), others: true},

		// Sections (validate.go).
		{name: "no sections", doc: baseHead,
			want: at(2, "definition has no sections"), others: true},
		{name: "section without questions", doc: validBase + "  - {key: empty, title: Empty}\n",
			want: at(25, `section "empty" has no questions`)},
		{name: "section without title", doc: edit("    title: Main\n", ""),
			want: at(15, `section "main" has no title`)},
		{name: "duplicate section key", doc: validBase + "  - {key: main, title: Again, questions: [{key: extra, type: text, text: Extra}]}\n",
			want: at(25, `section key "main" is already used at line 15`)},
		{name: "duplicate question key", doc: edit("{key: num,", "{key: txt,"),
			want: at(22, `question key "txt" is already used at line 21`)},
		{name: "duplicate question key across sections", doc: validBase + "  - {key: more, title: More, questions: [{key: mat, type: text, text: Again}]}\n",
			want: at(25, `question key "mat" is already used at line 19`)},

		// Questions (validate_question.go).
		{name: "question without key", doc: edit("{key: num, ", "{"),
			want: at(21, "question has no key")},
		{name: "question key not in key form", doc: edit("{key: num,", "{key: Num,"),
			want: at(21, `question key "Num" must be lower-case letters, digits and single hyphens`)},
		{name: "question without text", doc: edit("text: Else, ", ""),
			want: at(22, `question "txt" has no text`)},
		{name: "question without type", doc: edit("type: text, text: Else", "text: Else"),
			want: at(22, `question "txt" has no type`)},
		{name: "question of unknown type", doc: edit("type: text, text: Else", "type: essay, text: Else"),
			want: at(22, `question "txt" has unknown type "essay"; use one of maturity, aspiration-reality, proficiency, choice, multi_choice, number, text`)},
		{name: "maturity with 2 levels", doc: edit("[A, B, C]", "[A, B]"),
			want: at(19, `question "mat" has 2 levels; it needs 3 to 7`)},
		{name: "maturity with 8 levels", doc: edit("[A, B, C]", "[A, B, C, D, E, F, G, H]"),
			want: at(19, `question "mat" has 8 levels; it needs 3 to 7`)},
		{name: "level without description", doc: edit("[A, B, C]", `[A, "", C]`),
			want: at(19, `question "mat" level 2 has no description`)},
		{name: "maturity without dimension", doc: edit("dimension: dim, levels", "levels"),
			want: at(19, `question "mat" of type maturity needs a dimension`), others: true},
		{name: "question in unknown dimension", doc: edit("dimension: dim, levels", "dimension: nope, levels"),
			want: at(19, `question "mat" is in unknown dimension "nope"`), others: true},
		{name: "question weight 0", doc: edit("dimension: dim, levels", "dimension: dim, weight: 0, levels"),
			want: at(19, `question "mat" has weight 0; weights must be above zero`)},
		{name: "question weight negative", doc: edit("dimension: dim, levels", "dimension: dim, weight: -2, levels"),
			want: at(19, `question "mat" has weight -2; weights must be above zero`)},
		{name: "proficiency without skill", doc: edit(", skill: writing}", "}"),
			want: at(20, `question "prof" of type proficiency needs a skill`)},
		{name: "proficiency with unknown skill", doc: edit("skill: writing}", "skill: drawing}"),
			want: at(20, `question "prof" asks about unknown skill "drawing"`)},
		{name: "proficiency question without proficiency levels", doc: edit("proficiency: [none, working, expert]\n", ""),
			want: at(19, `question "prof" asks about proficiency but the definition has no proficiency levels`), others: true},
		{name: "choice with 1 option", doc: edit("[lead, member]", "[lead]"),
			want: at(18, `question "role" needs 2 to 100 options, has 1`)},
		{name: "duplicate option", doc: edit("[a, b]", "[a, a]"),
			want: at(23, `question "multi" option key "a" is already used at line 23`)},
		{name: "option key not in key form", doc: edit("[a, b]", "[a, B b]"),
			want: at(23, `question "multi" option key "B b" must be lower-case letters, digits and single hyphens`)},
		{name: "option without key", doc: edit("[a, b]", "[a, {label: B}]"),
			want: at(23, `question "multi" option has no key`)},
		{name: "option named dont_know", doc: edit("[a, b]", "[a, b, dont_know]"),
			want: at(23, `question "multi" cannot have an option "dont_know"; set dont_know: true instead`), others: true},
		{name: "exclusive option of a single choice", doc: edit("options: [lead, member]", "options: [lead, {key: member, exclusive: true}]"),
			want: at(18, `option "member" of question "role" is exclusive, which only a multi_choice question can use`)},
		{name: "max_choices 0", doc: edit("max_choices: 2", "max_choices: 0"),
			want: at(23, `question "multi" has max_choices 0; it must be 1 to 2`)},
		{name: "max_choices above the options", doc: edit("max_choices: 2", "max_choices: 3"),
			want: at(23, `question "multi" has max_choices 3; it must be 1 to 2`)},
		{name: "number with min not below max", doc: edit("min: 0, max: 10", "min: 10, max: 10"),
			want: at(21, `question "num" has max 10 not above min 10`)},
		{name: "integer on a question that is not a number", doc: edit("max_length: 100}", "max_length: 100, integer: true}"),
			want: at(22, `question "txt" of type text cannot have integer`)},
		{name: "integer with a bound that is not whole", doc: edit("min: 0, max: 10", "min: 0.5, max: 10, integer: true"),
			want: at(21, `question "num" asks for a whole number, but its min 0.5 is not one`)},
		{name: "text max_length above the limit", doc: edit("max_length: 100", "max_length: 10001"),
			want: at(22, `question "txt" has max_length 10001; it must be 1 to 10000`)},
		{name: "text max_length negative", doc: edit("max_length: 100", "max_length: -1"),
			want: at(22, `question "txt" has max_length -1; it must be 1 to 10000`)},
		{name: "key that does not apply to the type", doc: edit("max: 10}", "max: 10, levels: [A, B, C]}"),
			want: at(21, `question "num" of type number cannot have levels`)},
		{name: "dont_know on a text question", doc: edit("max_length: 100}", "max_length: 100, dont_know: true}"),
			want: at(22, `question "txt" of type text cannot offer dont_know`)},
		{name: "dont_know on a multi_choice question", doc: edit("max_choices: 2}", "max_choices: 2, dont_know: true}"),
			want: at(23, `question "multi" of type multi_choice cannot offer dont_know`)},
		{name: "show_if naming no question", doc: edit("{question: role, equals: lead}", "{equals: lead}"),
			want: at(24, `show_if of question "cond" names no question`)},
		{name: "show_if at an unknown question", doc: edit("{question: role,", "{question: nobody,"),
			want: at(24, `show_if of question "cond" points at "nobody", which is not an earlier question`)},
		{name: "show_if at a later question", doc: edit("max_length: 100}", "max_length: 100, show_if: {question: multi, equals: a}}"),
			want: at(22, `show_if of question "txt" points at "multi", which is not an earlier question`)},
		{name: "show_if at itself", doc: edit("{question: role,", "{question: cond,"),
			want: at(24, `show_if of question "cond" points at itself`)},
		{name: "show_if at a non-choice question", doc: edit("{question: role,", "{question: num,"),
			want: at(24, `show_if of question "cond" points at "num", a number question; it must be a choice`)},
		{name: "show_if equals a value that is not an option", doc: edit("equals: lead}", "equals: boss}"),
			want: at(24, `show_if of question "cond" uses "boss", which is not an option of "role"`)},
		{name: "show_if in a value that is not an option", doc: edit("equals: lead}", "in: [lead, boss]}"),
			want: at(24, `show_if of question "cond" uses "boss", which is not an option of "role"`)},
		{name: "show_if with neither equals nor in", doc: edit("{question: role, equals: lead}", "{question: role}"),
			want: at(24, `show_if of question "cond" needs equals or in`)},
		{name: "show_if value on its own line", doc: edit("      - {key: cond, type: text, text: Why, show_if: {question: role, equals: lead}}\n",
			"      - key: cond\n        type: text\n        text: Why\n        show_if:\n          question: role\n          equals: boss\n"),
			want: at(29, `show_if of question "cond" uses "boss", which is not an option of "role"`)},

		// An empty list item is left out by the YAML decoder; the lines of the items after it still hold.
		{name: "empty item before a question", doc: edit("      - {key: role", "      -\n      - {key: role",
			"max_length: 100}", "max_length: 10001}"),
			want: at(23, `question "txt" has max_length 10001; it must be 1 to 10000`)},
	}
}

func TestParseValidBase(t *testing.T) {
	d, err := Parse(baseName, []byte(validBase))
	if err != nil {
		t.Fatalf("the base definition of the table is not valid:\n%v", err)
	}
	if got := len(d.Questions()); got != 7 {
		t.Errorf("base has %d questions, want 7", got)
	}
}

func TestParseProblems(t *testing.T) {
	for _, tc := range problemCases() {
		t.Run(tc.name, func(t *testing.T) { checkProblemCase(t, tc) })
	}
}

// checkProblemCase parses the case's document and checks it gives the case's problem.
func checkProblemCase(t *testing.T, tc problemCase) {
	t.Helper()
	d, err := Parse(baseName, []byte(tc.doc))
	if d != nil {
		t.Fatalf("Parse returned a definition; want the problem %s", tc.want)
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T (%v), want Problems", err, err)
	}
	got := problemStrings(ps)
	if !slices.Contains(got, tc.want) {
		t.Fatalf("problems:\n  %s\nwant among them:\n  %s", strings.Join(got, "\n  "), tc.want)
	}
	if !tc.others && len(got) != 1 {
		t.Errorf("problems:\n  %s\nwant only:\n  %s", strings.Join(got, "\n  "), tc.want)
	}
}

func problemStrings(ps Problems) []string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return s
}

func TestParseReportsEveryProblemInLineOrder(t *testing.T) {
	doc := edit(
		"show_if: {question: role, equals: lead}", "show_if: {question: role}",
		"text: Else, ", "",
		"weight: 1,", "weight: 0,",
		"from: 0}", "from: 10}",
		"title: Base\n", "title: Base\nminutes: -1\n",
	)
	_, err := Parse(baseName, []byte(doc))
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T (%v), want Problems", err, err)
	}
	want := []string{
		"base.yaml:4: definition has minutes -1; it must be 1 to 600",
		"base.yaml:7: the first stage must start at 0 so every score has a stage, not 10",
		`base.yaml:12: dimension "dim" has weight 0; weights must be above zero`,
		`base.yaml:23: question "txt" has no text`,
		`base.yaml:25: show_if of question "cond" needs equals or in`,
	}
	if got := problemStrings(ps); !slices.Equal(got, want) {
		t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if got, want := err.Error(), strings.Join(want, "\n"); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
}

func TestParseVersionIsContentHash(t *testing.T) {
	data := []byte(validBase)
	d, err := Parse(baseName, data)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if want := hex.EncodeToString(sum[:]); d.Version != want {
		t.Errorf("version %s, want sha256 %s", d.Version, want)
	}

	again, err := Parse("elsewhere.yaml", []byte(validBase))
	if err != nil {
		t.Fatal(err)
	}
	if again.Version != d.Version {
		t.Errorf("the same bytes under another name give version %s, want %s", again.Version, d.Version)
	}

	changed, err := Parse(baseName, []byte(edit("title: Base", "title: Bass")))
	if err != nil {
		t.Fatal(err)
	}
	if changed.Version == d.Version {
		t.Errorf("changing one character kept the version %s", d.Version)
	}
}

func TestLoadSmall(t *testing.T) {
	path := filepath.Join("testdata", "small.yaml")
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if want := hex.EncodeToString(sum[:]); d.Version != want {
		t.Errorf("version %s, want %s", d.Version, want)
	}
	if d.ID != "small" || d.File != path || len(d.Questions()) != 9 {
		t.Errorf("got id %q, file %q, %d questions; want small, %s, 9", d.ID, d.File, len(d.Questions()), path)
	}
	// Weights and min_answers left out default to 1.
	skills, _ := d.Dimension("skills")
	if skills.Weight != 1 || skills.MinAnswers != 1 {
		t.Errorf("skills dimension weight %g, min_answers %d; want defaults 1, 1", skills.Weight, skills.MinAnswers)
	}
	consult, _ := d.Question("consult")
	if consult.Weight != 1 || consult.Line != 54 || consult.At("levels") != 58 {
		t.Errorf("consult weight %g at line %d, levels at %d; want 1 at 54, levels at 58", consult.Weight, consult.Line, consult.At("levels"))
	}
	if size, _ := d.Question("team-size"); !size.Integer {
		t.Errorf("team-size asks for any number, want whole numbers only")
	}
	// An option written as a bare key is its own label.
	channels, _ := d.Question("channels")
	if o, ok := channels.Option("web"); !ok || o.Label != "web" {
		t.Errorf("channels option web = %+v, %v; want label web", o, ok)
	}
	role, _ := d.Question("role-type")
	if o, _ := role.Option("specialist"); o.Label != "Digital specialist" {
		t.Errorf("role-type option specialist has label %q", o.Label)
	}
}

func TestLoadTooLarge(t *testing.T) {
	dir := t.TempDir()
	fits := validBase + "#" + strings.Repeat("x", MaxFileSize-len(validBase)-2) + "\n"
	if len(fits) != MaxFileSize {
		t.Fatalf("test file is %d bytes, want %d", len(fits), MaxFileSize)
	}
	path := filepath.Join(dir, "fits.yaml")
	writeFile(t, path, fits)
	if _, err := Load(path); err != nil {
		t.Errorf("a file of exactly MaxFileSize bytes: %v", err)
	}

	path = filepath.Join(dir, "large.yaml")
	writeFile(t, path, fits+"\n")
	d, err := Load(path)
	var ps Problems
	if d != nil || !errors.As(err, &ps) {
		t.Fatalf("a file over MaxFileSize: got %v, %v; want Problems", d, err)
	}
	want := fmt.Sprintf("%s:1: file is larger than %d bytes", path, MaxFileSize)
	if got := problemStrings(ps); !slices.Equal(got, []string{want}) {
		t.Errorf("problems %q, want %q", got, want)
	}
}

func TestLoadMissingFile(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "none.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v, want one wrapping os.ErrNotExist", err)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "b.yml"), edit("id: base", "id: other"))
	writeFile(t, filepath.Join(dir, "a.yaml"), validBase)
	writeFile(t, filepath.Join(dir, "notes.txt"), "not a definition")
	if err := os.Mkdir(filepath.Join(dir, "old.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	defs, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range defs {
		ids = append(ids, d.ID)
	}
	if want := []string{"base", "other"}; !slices.Equal(ids, want) {
		t.Errorf("ids %q, want %q in file name order", ids, want)
	}
}

func TestLoadDirDuplicateID(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	writeFile(t, first, validBase)
	writeFile(t, second, edit("title: Base", "title: Another"))
	defs, err := LoadDir(dir)
	var ps Problems
	if defs != nil || !errors.As(err, &ps) {
		t.Fatalf("got %d definitions, error %v; want Problems", len(defs), err)
	}
	want := fmt.Sprintf(`%s:2: id "base" is already used by %s`, second, first)
	if got := problemStrings(ps); !slices.Equal(got, []string{want}) {
		t.Errorf("problems %q, want %q", got, want)
	}
}

func TestLoadDirReportsEveryFile(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	writeFile(t, first, edit("from: 50}", "from: 100}"))
	writeFile(t, second, edit("max_length: 100", "max_length: 10001"))
	writeFile(t, filepath.Join(dir, "c.yaml"), edit("id: base", "id: fine"))
	_, err := LoadDir(dir)
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v, want Problems", err)
	}
	want := []string{
		first + `:7: stage "high" starts at 100; stages must start below 100`,
		second + `:22: question "txt" has max_length 10001; it must be 1 to 10000`,
	}
	if got := problemStrings(ps); !slices.Equal(got, want) {
		t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestLoadDirWithoutDefinitions(t *testing.T) {
	empty := t.TempDir()
	others := t.TempDir()
	writeFile(t, filepath.Join(others, "readme.md"), "# definitions go here")
	for _, dir := range []string{empty, others, filepath.Join(empty, "missing")} {
		defs, err := LoadDir(dir)
		var ps Problems
		if err == nil || defs != nil || errors.As(err, &ps) {
			t.Errorf("LoadDir(%s) = %d definitions, %v; want a plain error", dir, len(defs), err)
		}
	}
	if _, err := LoadDir(empty); err == nil || !strings.Contains(err.Error(), "no survey definitions") {
		t.Errorf("LoadDir(empty folder) error %v, want it to say there are no survey definitions", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
