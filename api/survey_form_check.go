package api

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"skillsurvey/internal/survey"
)

// questionErrors are a question's problems on the form: for the whole question, or for one side
// of an aspiration-reality pair.
type questionErrors struct {
	Whole, Now, Target string
}

// sectionProblems checks the questions of a section that are asked, in the words of the survey
// page (static/src/survey/model.js): first what a respondent can get wrong (nothing chosen, a
// number out of range, too long a text), then, for anything else, the submission rules
// themselves, so a value the form's controls cannot make is refused here too.
// Questions in fresh have just been shown, so are not checked yet.
func sectionProblems(def *survey.Definition, sec *survey.Section, s formState, raw map[string]json.RawMessage,
	problems map[string]formProblem, fresh map[string]bool) ([]fieldError, map[string]questionErrors) {
	_, ruleErrors := def.CheckAnswers(raw)
	var summary []fieldError
	byKey := map[string]questionErrors{}
	for i := range sec.Questions {
		q := &sec.Questions[i]
		if !def.Asked(q, raw) || fresh[q.Key] {
			continue
		}
		qe := answerProblem(q, s, raw, problems)
		if qe == (questionErrors{}) {
			if msg := ruleErrors["answers."+q.Key]; msg != "" {
				qe.Whole = fmt.Sprintf("Answer \u201c%s\u201d again: the answer given could not be accepted", q.Text)
			}
		}
		if qe == (questionErrors{}) {
			continue
		}
		byKey[q.Key] = qe
		if qe.Whole != "" {
			summary = append(summary, fieldError{Field: firstControl(q), Message: qe.Whole})
		}
		if qe.Now != "" {
			summary = append(summary, fieldError{Field: q.Key + "-now", Message: qe.Now})
		}
		if qe.Target != "" {
			summary = append(summary, fieldError{Field: q.Key + "-target", Message: qe.Target})
		}
	}
	return summary, byKey
}

// firstControl is the id of a question's first control, where the error summary links.
func firstControl(q *survey.Question) string {
	if q.Type == survey.TypeAspirationReality {
		return q.Key + "-now"
	}
	return q.Key
}

// answerProblem is what a respondent got wrong about one asked question, as the survey page says it.
func answerProblem(q *survey.Question, s formState, raw map[string]json.RawMessage, problems map[string]formProblem) questionErrors {
	_, given := raw[q.Key]
	problem, hasProblem := problems[q.Key]
	quoted := "\u201c" + q.Text + "\u201d"
	switch q.Type {
	case survey.TypeAspirationReality:
		nowText, targetText := q.NowText, q.TargetText
		if nowText == "" {
			nowText = "Where is your team now?"
		}
		if targetText == "" {
			targetText = "Where should your team be?"
		}
		var qe questionErrors
		if (hasProblem && problem.part == partNow) || (!given && !hasProblem && q.Required) {
			qe.Now = fmt.Sprintf("Select an answer to \u201c%s\u201d", nowText)
		}
		if (hasProblem && problem.part == partTarget) || (!given && !hasProblem && q.Required) {
			qe.Target = fmt.Sprintf("Select an answer to \u201c%s\u201d", targetText)
		}
		return qe
	case survey.TypeMultiChoice:
		chosen := s.values[q.Key]
		if !given {
			return required(q, "Select at least one answer to "+quoted)
		}
		if len(chosen) > 1 {
			for _, c := range chosen {
				if o, ok := q.Option(c); ok && o.Exclusive {
					return questionErrors{Whole: fmt.Sprintf("Select \u201c%s\u201d on its own, or other answers without it", label(o))}
				}
			}
		}
		if q.MaxChoices > 0 && len(chosen) > q.MaxChoices {
			return questionErrors{Whole: fmt.Sprintf("Select no more than %d answers to %s", q.MaxChoices, quoted)}
		}
	case survey.TypeNumber:
		if hasProblem {
			if q.Unit != "" {
				return questionErrors{Whole: fmt.Sprintf("Enter the number of %s as a number, like 12", q.Unit)}
			}
			return questionErrors{Whole: "Enter a number, like 12"}
		}
		if !given {
			return required(q, "Enter an answer to "+quoted)
		}
		return numberProblem(q, raw[q.Key])
	case survey.TypeText:
		if !given {
			return required(q, "Enter an answer to "+quoted)
		}
		if n := utf8.RuneCountInString(s.values.Get(q.Key)); n > q.TextLimit() {
			return questionErrors{Whole: fmt.Sprintf("Your answer to %s must be %d characters or fewer", quoted, q.TextLimit())}
		}
	default: // maturity, proficiency, choice: radios
		if !given {
			return required(q, "Select an answer to "+quoted)
		}
	}
	return questionErrors{}
}

func required(q *survey.Question, message string) questionErrors {
	if !q.Required {
		return questionErrors{}
	}
	return questionErrors{Whole: message}
}

func label(o survey.Option) string {
	if o.Label != "" {
		return o.Label
	}
	return o.Key
}

// numberProblem checks a number against its question's bounds, in the survey page's words.
func numberProblem(q *survey.Question, v json.RawMessage) questionErrors {
	var n float64
	if json.Unmarshal(v, &n) != nil {
		return questionErrors{Whole: "Enter a number, like 12"}
	}
	unit := ""
	if q.Unit != "" {
		unit = " " + q.Unit
	}
	if q.Integer && n != math.Trunc(n) {
		if q.Unit != "" {
			return questionErrors{Whole: fmt.Sprintf("Enter the number of %s as a whole number, like 12", q.Unit)}
		}
		return questionErrors{Whole: "Enter a whole number, like 12"}
	}
	low, high := q.Min != nil && n < *q.Min, q.Max != nil && n > *q.Max
	switch {
	case (low || high) && q.Min != nil && q.Max != nil:
		return questionErrors{Whole: fmt.Sprintf("Enter a number from %s to %s%s", num(*q.Min), num(*q.Max), unit)}
	case low:
		return questionErrors{Whole: fmt.Sprintf("Enter a number of %s%s or more", num(*q.Min), unit)}
	case high:
		return questionErrors{Whole: fmt.Sprintf("Enter a number of %s%s or fewer", num(*q.Max), unit)}
	}
	return questionErrors{}
}

func num(f float64) string { return strings.TrimSuffix(fmt.Sprintf("%g", f), ".0") }
