package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/survey"
)

// formState is a response under way on the plain HTML form: everything the respondent has given
// so far rides in the form itself (hidden fields), never on the server, until it is sent.
type formState struct {
	SubmissionID string
	Team         string
	Code         string // an invite wave's invitation code
	// Return is "check" while the respondent changes an answer from the check page.
	Return string
	// values are the questions' fields as the form's controls name them: key, key.now,
	// key.target, key.dont_know.
	values url.Values
}

// The form's own fields, each sent once; every other field belongs to a question.
var formOwnFields = map[string]bool{"submission_id": true, "team": true, "invitation_code": true,
	"page": true, "goto": true, "return": true, "asked": true}

// The parts of an aspiration-reality question's fields.
const (
	partNow      = "now"
	partTarget   = "target"
	partDontKnow = "dont_know"
)

// readForm reads the posted form strictly: a field no question of def has, a field sent more
// often than its control can send it, or a missing or malformed submission_id is refused (400),
// and a form over the size limit is 413.
func readForm(c *gin.Context, def *survey.Definition) (formState, error) {
	if c.ContentType() != "application/x-www-form-urlencoded" {
		return formState{}, newError(http.StatusUnsupportedMediaType, "unsupported_media_type", "Send the survey's form from its page.")
	}
	if err := c.Request.ParseForm(); err != nil {
		if tooLarge(err) {
			return formState{}, errTooLarge
		}
		return formState{}, malformed("The form could not be read. Go back to the start of the survey and try again.")
	}
	form := c.Request.PostForm
	s := formState{values: url.Values{}}
	for name, vs := range form {
		if formOwnFields[name] {
			if len(vs) != 1 {
				return formState{}, malformed(fmt.Sprintf("The form sent %q %d times.", clip(name), len(vs)))
			}
			continue
		}
		q, part, ok := questionField(def, name)
		if !ok {
			return formState{}, malformed(fmt.Sprintf("The form has a field %q that this survey does not ask.", clip(name)))
		}
		most := 1
		if q.Type == survey.TypeMultiChoice && part == "" {
			most = len(q.Options)
		}
		if len(vs) > most {
			return formState{}, malformed(fmt.Sprintf("The form sent %d answers to %q, which takes %d at most.", len(vs), clip(name), most))
		}
		s.values[name] = vs
	}
	s.SubmissionID = form.Get("submission_id")
	if validate.Var(s.SubmissionID, "required,uuid") != nil {
		return formState{}, malformed("This form's reference is missing or not valid. Go back to the start of the survey and answer it again.")
	}
	s.Team, s.Code = strings.TrimSpace(form.Get("team")), strings.TrimSpace(form.Get("invitation_code"))
	if utf8.RuneCountInString(s.Team) > 64 || utf8.RuneCountInString(s.Code) > 64 {
		return formState{}, malformed("The team or invitation code the form sent is longer than any there is.")
	}
	if r := form.Get("return"); r == "check" {
		s.Return = r
	}
	return s, nil
}

// questionField finds the question a form field belongs to, and the field's part of it.
func questionField(def *survey.Definition, name string) (*survey.Question, string, bool) {
	if q, ok := def.Question(name); ok {
		return q, "", q.Type != survey.TypeAspirationReality
	}
	key, part, found := strings.Cut(name, ".")
	if !found {
		return nil, "", false
	}
	q, ok := def.Question(key)
	if !ok || q.Type != survey.TypeAspirationReality || (part != partNow && part != partTarget && part != partDontKnow) {
		return nil, "", false
	}
	return q, part, true
}

// fieldNames are a question's form fields.
func fieldNames(q *survey.Question) []string {
	if q.Type == survey.TypeAspirationReality {
		return []string{q.Key + "." + partNow, q.Key + "." + partTarget, q.Key + "." + partDontKnow}
	}
	return []string{q.Key}
}

// formProblem is what only the form can get wrong about an answer: a number that is not one, or
// half an aspiration-reality pair (part names the missing half).
type formProblem struct {
	part string
}

// answers turns the form's fields into answers as a submission carries them, leaving out (and
// forgetting) the answers of questions that are no longer asked, and returns the problems only the
// form can have. A value the form's controls could not have made is passed on as it came, for the
// submission rules to refuse.
func (s *formState) answers(def *survey.Definition) (map[string]json.RawMessage, map[string]formProblem) {
	raw := map[string]json.RawMessage{}
	problems := map[string]formProblem{}
	for _, q := range def.Questions() {
		if v, problem, ok := s.answer(q); ok {
			raw[q.Key] = v
		} else if problem != nil {
			problems[q.Key] = *problem
		}
		if !def.Asked(q, raw) {
			delete(raw, q.Key)
			delete(problems, q.Key)
			for _, name := range fieldNames(q) {
				s.values.Del(name)
			}
		}
	}
	return raw, problems
}

// answer is one question's answer from its fields: ok is false when there is none.
func (s *formState) answer(q *survey.Question) (json.RawMessage, *formProblem, bool) {
	get := func(name string) string { return strings.TrimSpace(s.values.Get(name)) }
	switch q.Type {
	case survey.TypeAspirationReality:
		if get(q.Key+"."+partDontKnow) != "" {
			return quote(survey.DontKnow), nil, true
		}
		now, target := get(q.Key+"."+partNow), get(q.Key+"."+partTarget)
		switch {
		case now == "" && target == "":
			return nil, nil, false
		case now == "":
			return nil, &formProblem{part: partNow}, false
		case target == "":
			return nil, &formProblem{part: partTarget}, false
		}
		return json.RawMessage(`{"now":` + levelJSON(now) + `,"target":` + levelJSON(target) + `}`), nil, true
	case survey.TypeMultiChoice:
		chosen := slices.DeleteFunc(slices.Clone(s.values[q.Key]), func(v string) bool { return v == "" })
		if len(chosen) == 0 {
			return nil, nil, false
		}
		b, _ := json.Marshal(chosen)
		return b, nil, true
	}
	v := get(q.Key)
	if q.Type == survey.TypeText {
		v = s.values.Get(q.Key) // kept as typed; the rules clean it
		if strings.TrimSpace(v) == "" {
			return nil, nil, false
		}
	}
	switch {
	case v == "":
		return nil, nil, false
	case q.Type == survey.TypeMaturity && v != survey.DontKnow:
		return json.RawMessage(levelJSON(v)), nil, true
	case q.Type == survey.TypeNumber:
		n, ok := parseNumber(v)
		if !ok {
			return nil, &formProblem{}, false
		}
		return json.RawMessage(strconv.FormatFloat(n, 'f', -1, 64)), nil, true
	}
	return quote(v), nil, true
}

// levelJSON is a level as JSON: a number where the field holds a whole number, else the text, which
// the rules then refuse.
func levelJSON(v string) string {
	if n, err := strconv.Atoi(v); err == nil {
		return strconv.Itoa(n)
	}
	return string(quote(v))
}

func quote(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// parseNumber reads a typed number as the survey page does: spaces and thousands separators are
// allowed, "1,200" is 1200.
func parseNumber(text string) (float64, bool) {
	t := strings.NewReplacer(" ", "", ",", "", "\u00a0", "").Replace(text)
	if t == "" || strings.ContainsAny(t, "eEinfINFxX_") {
		return 0, false
	}
	n, err := strconv.ParseFloat(t, 64)
	return n, err == nil
}

// hiddenField is one field the form carries for pages not shown.
type hiddenField struct {
	Name, Value string
}

// hidden is the state as hidden fields, leaving out the fields of the questions shown on the page.
func (s formState) hidden(def *survey.Definition, shown []*survey.Question) []hiddenField {
	out := []hiddenField{{"submission_id", s.SubmissionID}}
	if s.Team != "" {
		out = append(out, hiddenField{"team", s.Team})
	}
	if s.Code != "" {
		out = append(out, hiddenField{"invitation_code", s.Code})
	}
	if s.Return != "" {
		out = append(out, hiddenField{"return", s.Return})
	}
	for _, q := range def.Questions() {
		if slices.Contains(shown, q) {
			continue
		}
		for _, name := range fieldNames(q) {
			for _, v := range s.values[name] {
				out = append(out, hiddenField{name, v})
			}
		}
	}
	return out
}
