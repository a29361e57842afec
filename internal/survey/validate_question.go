package survey

import (
	"fmt"
	"math"
)

// question checks one question against the rules of its type.
func (v *validator) question(q *Question) {
	if q.Text == "" {
		v.add(q.Line, "question %q has no text", q.Key)
	}
	v.showIf(q)
	switch q.Type {
	case TypeMaturity, TypeAspirationReality:
		v.levels(q)
		v.dimensionOf(q, true)
	case TypeProficiency:
		v.skillOf(q)
		v.dimensionOf(q, false)
	case TypeChoice, TypeMultiChoice:
		v.options(q)
	case TypeNumber:
		if q.Min != nil && q.Max != nil && *q.Min >= *q.Max {
			v.add(q.At("max"), "question %q has max %g not above min %g", q.Key, *q.Max, *q.Min)
		}
		v.wholeBounds(q)
	case TypeText:
		if _, set := q.keys["max_length"]; set && (q.MaxLength < 1 || q.MaxLength > MaxTextLength) {
			v.add(q.At("max_length"), "question %q has max_length %d; it must be 1 to %d", q.Key, q.MaxLength, MaxTextLength)
		}
	case "":
		v.add(q.Line, "question %q has no type", q.Key)
		return
	default:
		v.add(q.At("type"), "question %q has unknown type %q; use one of %s", q.Key, q.Type, typeList)
		return
	}
	v.fieldsApply(q)
}

var typeList = fmt.Sprintf("%s, %s, %s, %s, %s, %s, %s", TypeMaturity, TypeAspirationReality, TypeProficiency,
	TypeChoice, TypeMultiChoice, TypeNumber, TypeText)

// fieldsApply reports keys set on a question whose type ignores them, which are almost always mistakes.
func (v *validator) fieldsApply(q *Question) {
	allowed := map[string][]string{
		TypeMaturity:          {"levels", "dimension", "weight"},
		TypeAspirationReality: {"levels", "dimension", "weight", "now_text", "target_text"},
		TypeProficiency:       {"skill", "dimension", "weight"},
		TypeChoice:            {"options", "breakdown"},
		TypeMultiChoice:       {"options", "max_choices"},
		TypeNumber:            {"min", "max", "unit", "integer"},
		TypeText:              {"max_length"},
	}
	specific := []string{"levels", "dimension", "weight", "now_text", "target_text", "skill", "options",
		"breakdown", "max_choices", "min", "max", "unit", "integer", "max_length"}
	ok := map[string]bool{}
	for _, k := range allowed[q.Type] {
		ok[k] = true
	}
	for _, k := range specific {
		if _, set := q.keys[k]; set && !ok[k] {
			v.add(q.At(k), "question %q of type %s cannot have %s", q.Key, q.Type, k)
		}
	}
	if _, set := q.keys["dont_know"]; set && q.DontKnow && (q.Type == TypeText || q.Type == TypeMultiChoice) {
		v.add(q.At("dont_know"), "question %q of type %s cannot offer dont_know", q.Key, q.Type)
	}
}

// wholeBounds checks that a number question asking for whole numbers has whole bounds, which are
// the answers the page names in its messages ("from 0 to 200").
func (v *validator) wholeBounds(q *Question) {
	if !q.Integer {
		return
	}
	for _, b := range []struct {
		key   string
		bound *float64
	}{{"min", q.Min}, {"max", q.Max}} {
		if b.bound != nil && *b.bound != math.Trunc(*b.bound) {
			v.add(q.At(b.key), "question %q asks for a whole number, but its %s %g is not one", q.Key, b.key, *b.bound)
		}
	}
}

func (v *validator) levels(q *Question) {
	if n := len(q.Levels); n < MinLevels || n > MaxLevels {
		v.add(q.At("levels"), "question %q has %d levels; it needs %d to %d", q.Key, n, MinLevels, MaxLevels)
	}
	for i, l := range q.Levels {
		if l == "" {
			v.add(q.At("levels"), "question %q level %d has no description", q.Key, i+1)
		}
	}
}

// dimensionOf checks a scored question's dimension and weight; required says the type must name one.
func (v *validator) dimensionOf(q *Question, required bool) {
	if _, set := q.keys["weight"]; !set {
		q.Weight = 1
	} else if q.Weight <= 0 {
		v.add(q.At("weight"), "question %q has weight %g; weights must be above zero", q.Key, q.Weight)
	}
	if q.Dimension == "" {
		if required {
			v.add(q.Line, "question %q of type %s needs a dimension", q.Key, q.Type)
		}
		return
	}
	if _, ok := v.dims[q.Dimension]; !ok {
		v.add(q.At("dimension"), "question %q is in unknown dimension %q", q.Key, q.Dimension)
		return
	}
	v.dims[q.Dimension]++
}

func (v *validator) skillOf(q *Question) {
	switch {
	case len(v.d.Proficiency) == 0:
		v.add(q.Line, "question %q asks about proficiency but the definition has no proficiency levels", q.Key)
	case q.Skill == "":
		v.add(q.Line, "question %q of type proficiency needs a skill", q.Key)
	case !v.skills[q.Skill]:
		v.add(q.At("skill"), "question %q asks about unknown skill %q", q.Key, q.Skill)
	}
}

func (v *validator) options(q *Question) {
	if n := len(q.Options); n < MinOptions || n > MaxOptions {
		v.add(q.At("options"), "question %q needs %d to %d options, has %d", q.Key, MinOptions, MaxOptions, n)
	}
	used := map[string]int{}
	for _, o := range q.Options {
		v.key(q.At("options"), fmt.Sprintf("question %q option", q.Key), o.Key, used)
		if o.Key == DontKnow {
			v.add(q.At("options"), "question %q cannot have an option %q; set dont_know: true instead", q.Key, DontKnow)
		}
		if o.Exclusive && q.Type != TypeMultiChoice {
			v.add(q.At("options"), "option %q of question %q is exclusive, which only a multi_choice question can use", o.Key, q.Key)
		}
	}
	if q.Type == TypeMultiChoice {
		most := min(len(q.Options), MaxChoices)
		if _, set := q.keys["max_choices"]; set && (q.MaxChoices < 1 || q.MaxChoices > most) {
			v.add(q.At("max_choices"), "question %q has max_choices %d; it must be 1 to %d", q.Key, q.MaxChoices, most)
		}
	}
}

// showIf checks that a question's condition points at an earlier choice question and one of its
// options.
func (v *validator) showIf(q *Question) {
	v.condition(q.ShowIf, fmt.Sprintf("question %q", q.Key), q.Key)
}

// condition checks a show_if of what (a question or a section, named in messages; self is its own
// key, which the condition may not name).
func (v *validator) condition(s *ShowIf, what, self string) {
	if s == nil {
		return
	}
	line := s.Line
	target, ok := v.seen[s.Question]
	switch {
	case s.Question == "":
		v.add(line, "show_if of %s names no question", what)
		return
	case s.Question == self:
		v.add(s.At("question"), "show_if of %s points at itself", what)
		return
	case !ok:
		v.add(s.At("question"), "show_if of %s points at %q, which is not an earlier question", what, s.Question)
		return
	case target.Type != TypeChoice && target.Type != TypeMultiChoice:
		v.add(s.At("question"), "show_if of %s points at %q, a %s question; it must be a choice", what, s.Question, target.Type)
		return
	}
	if s.Equals == "" && len(s.In) == 0 {
		v.add(line, "show_if of %s needs equals or in", what)
	}
	notOption := func(at int, val string) {
		if _, ok := target.Option(val); !ok {
			v.add(at, "show_if of %s uses %q, which is not an option of %q", what, val, s.Question)
		}
	}
	if s.Equals != "" {
		notOption(s.At("equals"), s.Equals)
	}
	for _, val := range s.In {
		notOption(s.At("in"), val)
	}
}
