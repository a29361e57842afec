package survey

import (
	"fmt"
	"unicode/utf8"
)

// The bounds of a definition. The questionnaire the API serves is the definition as JSON, and the
// reports repeat its titles and labels, so these are the limits api/openapi.yaml states for them
// (the Survey and Question schemas). Lengths are counted in characters, as JSON Schema counts them.
const (
	// MaxKeyLength is the longest id or key.
	MaxKeyLength = 64
	// MaxTitleLength is the longest title, stage or option label, or level description.
	MaxTitleLength = 300
	// MaxQuestionLength is the longest text, now_text or target_text of a question.
	MaxQuestionLength = 1000
	// MaxDescriptionLength is the longest description or hint.
	MaxDescriptionLength = 5000
	// MaxUnitLength is the longest unit of a number question.
	MaxUnitLength = 50
	// MaxMinutes is the longest time a definition may say it takes.
	MaxMinutes = 600
	// MinStages and MaxStages bound the stages of the scale.
	MinStages, MaxStages = 2, 10
	// MaxDimensions is the most dimensions a definition has.
	MaxDimensions = 50
	// MaxSkills is the most skills a definition lists.
	MaxSkills = 200
	// MaxExpected is the most roles one skill sets an expected level for.
	MaxExpected = 100
	// MaxSections is the most sections a definition has.
	MaxSections = 100
	// MaxQuestions is the most questions in a whole definition, so a submission has at most as many answers.
	MaxQuestions = 500
	// MinOptions and MaxOptions bound the options of a choice or multi_choice question.
	MinOptions, MaxOptions = 2, 100
	// MaxGuidanceLength, MaxGuidanceLinks, MaxLinkTitleLength and MaxURLLength bound a dimension's
	// next steps for one stage.
	MaxGuidanceLength  = 1000
	MaxGuidanceLinks   = 5
	MaxLinkTitleLength = 200
	MaxURLLength       = 500
	// MaxShowIfIn is the most values a show_if lists in `in`.
	MaxShowIfIn = 100
	// MaxMinAnswers is the largest min_answers of a dimension: more could never be answered.
	MaxMinAnswers = MaxQuestions
	// MaxChoices is the largest max_choices of a multi_choice question.
	MaxChoices = MaxOptions
)

// bounds checks the length of every text and the size of every list that no other rule bounds.
// Ranges that extend a rule of their own (stages, options, minutes, min_answers, max_choices, keys)
// are checked with that rule.
func (v *validator) bounds() {
	d := v.d
	v.length(v.top("title"), "definition title", d.Title, MaxTitleLength)
	v.length(v.top("description"), "definition description", d.Description, MaxDescriptionLength)
	v.most(v.top("dimensions"), "definition", "dimensions", len(d.Dimensions), MaxDimensions)
	v.most(v.top("skills"), "definition", "skills", len(d.Skills), MaxSkills)
	v.most(v.top("sections"), "definition", "sections", len(d.Sections), MaxSections)
	for _, s := range d.Scale.Stages {
		v.length(s.At("label"), fmt.Sprintf("stage %q label", s.Key), s.Label, MaxTitleLength)
		v.length(s.At("description"), fmt.Sprintf("stage %q description", s.Key), s.Description, MaxDescriptionLength)
	}
	for _, dim := range d.Dimensions {
		v.length(dim.At("title"), fmt.Sprintf("dimension %q title", dim.Key), dim.Title, MaxTitleLength)
		v.length(dim.At("description"), fmt.Sprintf("dimension %q description", dim.Key), dim.Description, MaxDescriptionLength)
	}
	for _, s := range d.Skills {
		v.length(s.At("title"), fmt.Sprintf("skill %q title", s.Key), s.Title, MaxTitleLength)
		v.most(s.At("expected"), fmt.Sprintf("skill %q", s.Key), "expected levels", len(s.Expected), MaxExpected)
	}
	questions := 0
	for i := range d.Sections {
		s := &d.Sections[i]
		v.length(s.At("title"), fmt.Sprintf("section %q title", s.Key), s.Title, MaxTitleLength)
		v.length(s.At("description"), fmt.Sprintf("section %q description", s.Key), s.Description, MaxDescriptionLength)
		for j := range s.Questions {
			v.questionBounds(&s.Questions[j])
		}
		questions += len(s.Questions)
	}
	v.most(v.top("sections"), "definition", "questions", questions, MaxQuestions)
}

func (v *validator) questionBounds(q *Question) {
	name := fmt.Sprintf("question %q", q.Key)
	v.length(q.At("text"), name+" text", q.Text, MaxQuestionLength)
	v.length(q.At("hint"), name+" hint", q.Hint, MaxDescriptionLength)
	v.length(q.At("now_text"), name+" now_text", q.NowText, MaxQuestionLength)
	v.length(q.At("target_text"), name+" target_text", q.TargetText, MaxQuestionLength)
	v.length(q.At("unit"), name+" unit", q.Unit, MaxUnitLength)
	for i, l := range q.Levels {
		v.length(q.At("levels"), fmt.Sprintf("%s level %d", name, i+1), l, MaxTitleLength)
	}
	for _, o := range q.Options {
		v.length(q.At("options"), fmt.Sprintf("%s option %q label", name, clip(o.Key)), o.Label, MaxTitleLength)
	}
	if s := q.ShowIf; s != nil {
		v.most(s.At("in"), "show_if of "+name, "values in in", len(s.In), MaxShowIfIn)
	}
}

// length reports a text of more than max characters; name says whose text it is.
func (v *validator) length(line int, name, text string, limit int) {
	if len(text) <= limit {
		return // a character is at least a byte: no need to count
	}
	if n := utf8.RuneCountInString(text); n > limit {
		v.add(line, "%s has %d characters; the most is %d", name, n, limit)
	}
}

// most reports a list of more than limit items.
func (v *validator) most(line int, owner, items string, n, limit int) {
	if n > limit {
		v.add(line, "%s has %d %s; the most is %d", owner, n, items, limit)
	}
}

// clip shortens a key too long to be one, so a message quoting it stays readable.
func clip(key string) string {
	const shown = 20
	if utf8.RuneCountInString(key) <= MaxKeyLength {
		return key
	}
	return string([]rune(key)[:shown]) + "…"
}
