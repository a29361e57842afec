package survey

import "encoding/json"

// Asked reports whether question q is asked, given answers as a submission carries them (raw JSON
// by question key): the rule CheckAnswers applies, for a client that shows questions as answers
// arrive, such as the survey's plain HTML form. An answer that does not parse shows nothing.
func (d *Definition) Asked(q *Question, raw map[string]json.RawMessage) bool {
	if q.ShowIf == nil {
		return true
	}
	target, ok := d.questions[q.ShowIf.Question]
	if !ok || !d.Asked(target, raw) {
		return false
	}
	v, given := raw[target.Key]
	if !given || isNull(v) {
		return false
	}
	a, present, msg := d.parse(target, v)
	return present && msg == "" && !a.DontKnow && q.ShowIf.Matches(a.Choices)
}
