package survey

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// longText is n characters of x, for titles and descriptions at and past their limits.
func longText(n int) string { return strings.Repeat("x", n) }

// longKey is a key of n characters.
func longKey(n int) string { return strings.Repeat("k", n) }

// lines writes format n times, each with # replaced by its number from 1.
func lines(n int, format string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(strings.ReplaceAll(format, "#", strconv.Itoa(i)))
	}
	return b.String()
}

// flow is a YAML flow list of n items made from format as lines makes them.
func flow(n int, format string) string {
	items := strings.Split(strings.TrimSuffix(lines(n, format+"\n"), "\n"), "\n")
	return "[" + strings.Join(items, ", ") + "]"
}

// moreStages is n stage lines, from 1 to n, to put after the base's first stage.
func moreStages(n int) string { return lines(n, "    - {key: s#, label: S, from: #}\n") }

// moreDimensions is the base with n more dimensions, each with a scored question so only the count is wrong.
func moreDimensions(n int) string {
	return edit("min_answers: 1}\n", "min_answers: 1}\n"+lines(n, "  - {key: d#, title: D}\n")) +
		lines(n, "      - {key: m#, type: maturity, text: M, dimension: d#, levels: [A, B, C]}\n")
}

// moreSkills is n skill lines.
func moreSkills(n int) string { return lines(n, "  - {key: s#, title: S, group: mainstream}\n") }

// moreSections is n sections of one question each, to append to the base.
func moreSections(n int) string {
	return lines(n, "  - {key: s#, title: S, questions: [{key: q#, type: text, text: Q}]}\n")
}

// moreQuestions is n text questions keyed prefix1, prefix2, ..., to append to the base's last section.
func moreQuestions(n int, prefix string) string {
	return lines(n, "      - {key: "+prefix+"#, type: text, text: Q}\n")
}

// moreRoles is the base with 100 roles (lead, member and r1 to r98) and the skill expecting a level
// of lead, member and r1 to rn.
func moreRoles(n int) string {
	return edit("options: [lead, member]", "options: [lead, member, "+strings.Trim(flow(98, "r#"), "[]")+"]",
		"{lead: working}", "{lead: working, member: working, "+strings.Trim(flow(n, "r#: working"), "[]")+"}")
}

// mostAnswers is a definition whose one dimension needs an answer to each of its 500 questions.
func mostAnswers() string {
	return `id: most
title: Most
scale:
  stages:
    - {key: low, label: Low, from: 0}
    - {key: high, label: High, from: 50}
dimensions:
  - {key: dim, title: Dim, min_answers: 500}
sections:
  - key: main
    title: Main
    questions:
` + lines(MaxQuestions, "      - {key: q#, type: maturity, text: Q, dimension: dim, levels: [A, B, C]}\n")
}

// limitCases are valid definitions with one bound each at its limit.
func limitCases() []struct{ name, doc string } {
	return []struct{ name, doc string }{
		{"id of 64 characters", edit("id: base", "id: "+longKey(64))},
		{"keys of 64 characters", edit("key: high", "key: "+longKey(64), "{key: num,", "{key: "+longKey(64)+",",
			"[none, working, expert]", "[none, working, "+longKey(64)+"]", "[a, b]", "[a, "+longKey(64)+"]")},
		{"titles of 300 characters", edit("title: Base\n", "title: "+longText(300)+"\n", "title: Dim,", "title: "+longText(300)+",",
			"title: Writing,", "title: "+longText(300)+",", "    title: Main\n", "    title: "+longText(300)+"\n")},
		{"title of 300 characters of 3 bytes", edit("title: Base\n", "title: "+strings.Repeat("€", 300)+"\n")},
		{"labels and levels of 300 characters", edit("label: High,", "label: "+longText(300)+",",
			"[a, b]", "[a, {key: b, label: "+longText(300)+"}]", "[A, B, C]", "[A, "+longText(300)+", C]")},
		{"question texts of 1000 characters", edit("text: Else,", "text: "+longText(1000)+",",
			"{key: mat, type: maturity,", "{key: mat, type: aspiration-reality, now_text: "+longText(1000)+", target_text: "+longText(1000)+",")},
		{"descriptions and hint of 5000 characters", edit("title: Base\n", "title: Base\ndescription: "+longText(5000)+"\n",
			"from: 50}", "from: 50, description: "+longText(5000)+"}", "min_answers: 1}", "min_answers: 1, description: "+longText(5000)+"}",
			"    title: Main\n", "    title: Main\n    description: "+longText(5000)+"\n", "text: Else,", "text: Else, hint: "+longText(5000)+",")},
		{"unit of 50 characters", edit("max: 10}", "max: 10, unit: "+longText(50)+"}")},
		{"minutes 1", edit("title: Base\n", "title: Base\nminutes: 1\n")},
		{"minutes 600", edit("title: Base\n", "title: Base\nminutes: 600\n")},
		{"10 stages", edit("    - {key: high, label: High, from: 50}\n", moreStages(9))},
		{"50 dimensions", moreDimensions(49)},
		{"200 skills", edit("expected: {lead: working}}\n", "expected: {lead: working}}\n"+moreSkills(199))},
		{"100 expected levels", moreRoles(98)},
		{"100 sections", validBase + moreSections(99)},
		{"500 questions", validBase + moreQuestions(493, "q")},
		{"100 options and max_choices 100", edit("options: [a, b], max_choices: 2", "options: "+flow(100, "o#")+", max_choices: 100")},
		{"show_if in 100 values", edit("equals: lead}", "in: "+flow(100, "lead")+"}")},
		{"min_answers 500", mostAnswers()},
	}
}

// boundCases break one bound each: by one, by far, or by a way round a simple count.
func boundCases() []problemCase {
	at := func(line int, msg string) string { return fmt.Sprintf("%s:%d: %s", baseName, line, msg) }
	return []problemCase{
		// Keys (validate.go).
		{name: "id of 65 characters", doc: edit("id: base", "id: "+longKey(65)),
			want: at(2, `id "kkkkkkkkkkkkkkkkkkkk…" has 65 characters; the most is 64`)},
		{name: "stage key of 65 characters", doc: edit("key: high", "key: "+longKey(65)),
			want: at(7, `stage key "kkkkkkkkkkkkkkkkkkkk…" has 65 characters; the most is 64`)},
		{name: "proficiency level of 65 characters", doc: edit("[none, working, expert]", "[none, working, "+longKey(65)+"]"),
			want: at(8, `proficiency level key "kkkkkkkkkkkkkkkkkkkk…" has 65 characters; the most is 64`)},
		{name: "dimension key of 65 characters", doc: edit("{key: dim,", "{key: "+longKey(65)+",", "dimension: dim,", "dimension: "+longKey(65)+","),
			want: at(11, `dimension key "kkkkkkkkkkkkkkkkkkkk…" has 65 characters; the most is 64`)},
		{name: "question key of 65 characters", doc: edit("{key: num,", "{key: "+longKey(65)+","),
			want: at(21, `question key "kkkkkkkkkkkkkkkkkkkk…" has 65 characters; the most is 64`)},
		{name: "option key of 100,000 characters is quoted short", doc: edit("[a, b]", "[a, {key: "+longKey(100000)+", label: B}]"),
			want: at(23, `question "multi" option key "kkkkkkkkkkkkkkkkkkkk…" has 100000 characters; the most is 64`)},
		{name: "key of 65 characters that are not key characters", doc: edit("{key: num,", "{key: "+strings.Repeat("é", 65)+","),
			want: at(21, `question key "éééééééééééééééééééé…" has 65 characters; the most is 64`)},

		// Texts (validate_bounds.go).
		{name: "definition title of 301 characters", doc: edit("title: Base\n", "title: "+longText(301)+"\n"),
			want: at(3, "definition title has 301 characters; the most is 300")},
		{name: "title counted in characters, not bytes", doc: edit("title: Base\n", "title: "+strings.Repeat("€", 301)+"\n"),
			want: at(3, "definition title has 301 characters; the most is 300")},
		{name: "title of 100,000 characters", doc: edit("title: Base\n", "title: "+longText(100000)+"\n"),
			want: at(3, "definition title has 100000 characters; the most is 300")},
		{name: "title repeated from a description through an alias", doc: edit("title: Base\n", "description: &long "+longText(301)+"\ntitle: *long\n"),
			want: at(4, "definition title has 301 characters; the most is 300")},
		{name: "title as a folded block", doc: edit("title: Base\n", "title: >\n"+lines(31, "  xxxxxxxxx\n")),
			want: at(3, "definition title has 310 characters; the most is 300")},
		{name: "stage label of 301 characters", doc: edit("label: High,", "label: "+longText(301)+","),
			want: at(7, `stage "high" label has 301 characters; the most is 300`)},
		{name: "dimension title of 301 characters", doc: edit("title: Dim,", "title: "+longText(301)+","),
			want: at(11, `dimension "dim" title has 301 characters; the most is 300`)},
		{name: "skill title of 301 characters", doc: edit("title: Writing,", "title: "+longText(301)+","),
			want: at(13, `skill "writing" title has 301 characters; the most is 300`)},
		{name: "section title of 301 characters", doc: edit("    title: Main\n", "    title: "+longText(301)+"\n"),
			want: at(16, `section "main" title has 301 characters; the most is 300`)},
		{name: "option label of 301 characters", doc: edit("[a, b]", "[a, {key: b, label: "+longText(301)+"}]"),
			want: at(23, `question "multi" option "b" label has 301 characters; the most is 300`)},
		{name: "level of 301 characters", doc: edit("[A, B, C]", "[A, "+longText(301)+", C]"),
			want: at(19, `question "mat" level 2 has 301 characters; the most is 300`)},
		{name: "question text of 1001 characters", doc: edit("text: Else,", "text: "+longText(1001)+","),
			want: at(22, `question "txt" text has 1001 characters; the most is 1000`)},
		{name: "now_text of 1001 characters", doc: edit("{key: mat, type: maturity,", "{key: mat, type: aspiration-reality, now_text: "+longText(1001)+","),
			want: at(19, `question "mat" now_text has 1001 characters; the most is 1000`)},
		{name: "target_text of 1001 characters", doc: edit("{key: mat, type: maturity,", "{key: mat, type: aspiration-reality, target_text: "+longText(1001)+","),
			want: at(19, `question "mat" target_text has 1001 characters; the most is 1000`)},
		{name: "definition description of 5001 characters", doc: edit("title: Base\n", "title: Base\ndescription: "+longText(5001)+"\n"),
			want: at(4, "definition description has 5001 characters; the most is 5000")},
		{name: "stage description of 5001 characters", doc: edit("from: 50}", "from: 50, description: "+longText(5001)+"}"),
			want: at(7, `stage "high" description has 5001 characters; the most is 5000`)},
		{name: "dimension description of 5001 characters", doc: edit("min_answers: 1}", "min_answers: 1, description: "+longText(5001)+"}"),
			want: at(11, `dimension "dim" description has 5001 characters; the most is 5000`)},
		{name: "section description of 5001 characters", doc: edit("    title: Main\n", "    title: Main\n    description: "+longText(5001)+"\n"),
			want: at(17, `section "main" description has 5001 characters; the most is 5000`)},
		{name: "hint of 5001 characters", doc: edit("text: Else,", "text: Else, hint: "+longText(5001)+","),
			want: at(22, `question "txt" hint has 5001 characters; the most is 5000`)},
		{name: "unit of 51 characters", doc: edit("max: 10}", "max: 10, unit: "+longText(51)+"}"),
			want: at(21, `question "num" unit has 51 characters; the most is 50`)},

		// Numbers (validate.go, validate_question.go).
		{name: "minutes 0", doc: edit("title: Base\n", "title: Base\nminutes: 0\n"),
			want: at(4, "definition has minutes 0; it must be 1 to 600")},
		{name: "minutes 601", doc: edit("title: Base\n", "title: Base\nminutes: 601\n"),
			want: at(4, "definition has minutes 601; it must be 1 to 600")},
		{name: "minutes far too many", doc: edit("title: Base\n", "title: Base\nminutes: 9223372036854775807\n"),
			want: at(4, "definition has minutes 9223372036854775807; it must be 1 to 600")},
		{name: "min_answers 501", doc: edit("min_answers: 1}", "min_answers: 501}"),
			want: at(11, `dimension "dim" has min_answers 501; it must be 1 to 500`), others: true},
		{name: "max_choices 101 of 101 options", doc: edit("options: [a, b], max_choices: 2", "options: "+flow(101, "o#")+", max_choices: 101"),
			want: at(23, `question "multi" has max_choices 101; it must be 1 to 100`), others: true},

		// Lists (validate.go, validate_question.go, validate_bounds.go).
		{name: "11 stages", doc: edit("    - {key: high, label: High, from: 50}\n", moreStages(10)),
			want: at(4, "scale needs 2 to 10 stages, has 11")},
		{name: "51 dimensions", doc: moreDimensions(50),
			want: at(10, "definition has 51 dimensions; the most is 50")},
		{name: "201 skills", doc: edit("expected: {lead: working}}\n", "expected: {lead: working}}\n"+moreSkills(200)),
			want: at(12, "definition has 201 skills; the most is 200")},
		{name: "101 expected levels", doc: moreRoles(99),
			want: at(13, `skill "writing" has 101 expected levels; the most is 100`), others: true},
		{name: "101 sections", doc: validBase + moreSections(100),
			want: at(14, "definition has 101 sections; the most is 100")},
		{name: "501 questions in one section", doc: validBase + moreQuestions(494, "q"),
			want: at(14, "definition has 501 questions; the most is 500")},
		{name: "501 questions in sections each under the limit", doc: validBase +
			"  - key: more\n    title: More\n    questions:\n" + moreQuestions(247, "a") +
			"  - key: most\n    title: Most\n    questions:\n" + moreQuestions(247, "b"),
			want: at(14, "definition has 501 questions; the most is 500")},
		{name: "5000 questions", doc: validBase + moreQuestions(4993, "q"),
			want: at(14, "definition has 5000 questions; the most is 500")},
		{name: "101 options", doc: edit("options: [a, b]", "options: "+flow(101, "o#")),
			want: at(23, `question "multi" needs 2 to 100 options, has 101`)},
		{name: "show_if in 101 values", doc: edit("equals: lead}", "in: "+flow(101, "lead")+"}"),
			want: at(24, `show_if of question "cond" has 101 values in in; the most is 100`)},
	}
}

func TestParseAtTheLimits(t *testing.T) {
	for _, tc := range limitCases() {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse(baseName, []byte(tc.doc)); err != nil {
				t.Errorf("a definition at the limit is refused:\n%v", err)
			}
		})
	}
}

func TestParseBounds(t *testing.T) {
	for _, tc := range boundCases() {
		t.Run(tc.name, func(t *testing.T) { checkProblemCase(t, tc) })
	}
}
