package survey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Answer is one checked answer. Which fields are set depends on the question's type.
type Answer struct {
	DontKnow bool
	// Level is the chosen level: 1..L for maturity, 0..P-1 (a proficiency index) for proficiency.
	Level int
	// Now and Target are the two levels (1..L) of an aspiration-reality answer.
	Now, Target int
	// Choices holds the option of a choice question, or the options of a multi_choice question.
	Choices []string
	Number  float64
	Text    string
}

// Answers maps question keys to checked answers. Unanswered questions are absent.
type Answers map[string]Answer

// FieldErrors maps a field ("answers.<question key>") to what is wrong with it.
type FieldErrors map[string]string

// Messages for answers; kept together so clients and tests can rely on them.
const (
	msgUnknownQuestion = "there is no question %q in this survey"
	msgRequired        = "an answer is required"
	msgHidden          = "this question is not asked given the answer to %q; leave it out"
	msgDontKnow        = "\"don't know\" is not an answer to this question"
)

// CheckAnswers checks raw JSON answers against the definition: types, ranges, options, lengths,
// required and conditional questions. It returns the answers it accepted, or every problem found.
func (d *Definition) CheckAnswers(raw map[string]json.RawMessage) (Answers, FieldErrors) {
	answers := Answers{}
	errs := FieldErrors{}
	for key := range raw {
		if _, ok := d.questions[key]; !ok {
			errs[field(key)] = fmt.Sprintf(msgUnknownQuestion, key)
		}
	}
	// Questions are checked in order, so a show_if condition sees the earlier answer it depends on.
	for _, q := range d.order {
		value, given := raw[q.Key]
		if given && isNull(value) {
			given = false
		}
		if q.ShowIf != nil && errs[field(q.ShowIf.Question)] != "" {
			continue // whether it is asked depends on a bad answer: report that one only
		}
		shown := d.shown(q, answers)
		switch {
		case !given && shown && q.Required:
			errs[field(q.Key)] = msgRequired
		case given && !shown:
			errs[field(q.Key)] = fmt.Sprintf(msgHidden, q.ShowIf.Question)
		case given:
			a, present, msg := d.parse(q, value)
			if msg != "" {
				errs[field(q.Key)] = msg
			} else if present {
				answers[q.Key] = a
			} else if q.Required {
				errs[field(q.Key)] = msgRequired
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return answers, nil
}

func field(key string) string { return "answers." + key }

func isNull(v json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(v), []byte("null")) }

// shown reports whether a question is asked, given the answers accepted so far.
func (d *Definition) shown(q *Question, answers Answers) bool {
	if q.ShowIf == nil {
		return true
	}
	target := d.questions[q.ShowIf.Question]
	if !d.shown(target, answers) {
		return false
	}
	a, ok := answers[target.Key]
	return ok && !a.DontKnow && q.ShowIf.Matches(a.Choices)
}

// parse reads one answer; present is false for an empty text or an empty list of choices.
func (d *Definition) parse(q *Question, v json.RawMessage) (a Answer, present bool, msg string) {
	var s string
	if json.Unmarshal(v, &s) == nil && s == DontKnow && q.Type != TypeText {
		if !q.DontKnow {
			return a, false, msgDontKnow
		}
		return Answer{DontKnow: true}, true, ""
	}
	switch q.Type {
	case TypeMaturity:
		a.Level, msg = level(v, len(q.Levels))
	case TypeAspirationReality:
		a.Now, a.Target, msg = nowAndTarget(v, len(q.Levels))
	case TypeProficiency:
		a.Level, msg = d.proficiencyLevel(v)
	case TypeChoice:
		var c string
		c, msg = choice(q, v)
		a.Choices = []string{c}
	case TypeMultiChoice:
		a.Choices, msg = choices(q, v)
		if msg == "" && len(a.Choices) == 0 {
			return a, false, ""
		}
	case TypeNumber:
		a.Number, msg = number(q, v)
	case TypeText:
		a.Text, msg = text(q, v)
		if msg == "" && a.Text == "" {
			return a, false, ""
		}
	}
	return a, msg == "", msg
}

func level(v json.RawMessage, levels int) (int, string) {
	var f float64
	if err := json.Unmarshal(v, &f); err != nil || f != math.Trunc(f) || f < 1 || f > float64(levels) {
		return 0, fmt.Sprintf("must be a whole number from 1 to %d", levels)
	}
	return int(f), ""
}

func nowAndTarget(v json.RawMessage, levels int) (now, target int, msg string) {
	// A map, not a struct: encoding/json would match "NOW" or "Target" to struct fields.
	var pair map[string]json.RawMessage
	if err := json.Unmarshal(v, &pair); err != nil || len(pair) != 2 || pair["now"] == nil || pair["target"] == nil {
		return 0, 0, fmt.Sprintf(`must be {"now": level, "target": level} with levels from 1 to %d`, levels)
	}
	if now, msg = level(pair["now"], levels); msg != "" {
		return 0, 0, "now " + msg
	}
	if target, msg = level(pair["target"], levels); msg != "" {
		return 0, 0, "target " + msg
	}
	return now, target, ""
}

func (d *Definition) proficiencyLevel(v json.RawMessage) (int, string) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		if i := d.ProficiencyIndex(s); i >= 0 {
			return i, ""
		}
	}
	return 0, fmt.Sprintf("must be one of %s", quoteList(d.Proficiency))
}

func choice(q *Question, v json.RawMessage) (string, string) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		if _, ok := q.Option(s); ok {
			return s, ""
		}
	}
	return "", fmt.Sprintf("must be one of %s", quoteList(optionKeys(q)))
}

func choices(q *Question, v json.RawMessage) ([]string, string) {
	var list []string
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, fmt.Sprintf("must be a list of options from %s", quoteList(optionKeys(q)))
	}
	seen := map[string]bool{}
	for _, c := range list {
		if _, ok := q.Option(c); !ok {
			return nil, fmt.Sprintf("%q is not one of %s", c, quoteList(optionKeys(q)))
		}
		if seen[c] {
			return nil, fmt.Sprintf("%q is chosen twice", c)
		}
		seen[c] = true
	}
	if len(list) > 1 {
		for _, c := range list {
			if o, _ := q.Option(c); o.Exclusive {
				return nil, fmt.Sprintf("%q cannot be chosen with other options", c)
			}
		}
	}
	if limit := q.MaxChoices; limit > 0 && len(list) > limit {
		return nil, fmt.Sprintf("choose at most %d, not %d", limit, len(list))
	}
	sort.Strings(list)
	return list, ""
}

func number(q *Question, v json.RawMessage) (float64, string) {
	var f float64
	if err := json.Unmarshal(v, &f); err != nil {
		return 0, "must be a number"
	}
	if q.Integer && f != math.Trunc(f) {
		return 0, "must be a whole number"
	}
	if q.Min != nil && f < *q.Min || q.Max != nil && f > *q.Max {
		return 0, fmt.Sprintf("must be between %s and %s", bound(q.Min, "any"), bound(q.Max, "any"))
	}
	return f, ""
}

func bound(b *float64, none string) string {
	if b == nil {
		return none
	}
	return fmt.Sprint(*b)
}

func text(q *Question, v json.RawMessage) (string, string) {
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", "must be text"
	}
	s = PlainText(s)
	if n := utf8.RuneCountInString(s); n > q.TextLimit() {
		return "", fmt.Sprintf("must be at most %d characters, is %d", q.TextLimit(), n)
	}
	return s, ""
}

// PlainText is a free-text answer as it is kept: line breaks as \n, tabs kept, every other control
// character (NUL, escape sequences, C1 codes) dropped, and the spaces around it trimmed. Comments are
// shown to readers and exported to spreadsheets and terminals, where a control character could
// hide text, rewrite what is shown, or mark one respondent's answers apart.
func PlainText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

func optionKeys(q *Question) []string {
	keys := make([]string, len(q.Options))
	for i, o := range q.Options {
		keys[i] = o.Key
	}
	return keys
}

func quoteList(items []string) string {
	var b bytes.Buffer
	for i, s := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return b.String()
}

// Canonical is the answers as stored: one JSON object with sorted keys and one spelling per answer,
// so that resending the same answers gives the same bytes.
func (d *Definition) Canonical(answers Answers) []byte {
	out := make(map[string]any, len(answers))
	for key, a := range answers {
		out[key] = d.jsonValue(d.questions[key], a)
	}
	b, err := json.Marshal(out)
	if err != nil {
		panic(fmt.Sprintf("survey: marshal answers: %v", err)) // only plain values: cannot happen
	}
	return b
}

func (d *Definition) jsonValue(q *Question, a Answer) any {
	if a.DontKnow {
		return DontKnow
	}
	switch q.Type {
	case TypeMaturity:
		return a.Level
	case TypeAspirationReality:
		return map[string]int{"now": a.Now, "target": a.Target}
	case TypeProficiency:
		return d.Proficiency[a.Level]
	case TypeChoice:
		return a.Choices[0]
	case TypeMultiChoice:
		return a.Choices
	case TypeNumber:
		return a.Number
	}
	return a.Text
}
