package survey

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// keyPattern is the form of every key: lower-case words joined by hyphens, as used in URLs and JSON.
var keyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Skill groups.
const (
	GroupSpecialist = "specialist"
	GroupMainstream = "mainstream"
)

// validator gathers every rule broken by a decoded definition.
type validator struct {
	d        *Definition
	problems Problems
	dims     map[string]int // dimension key -> scored questions in it
	skills   map[string]bool
	seen     map[string]*Question // questions earlier in the file
}

func validate(d *Definition) Problems {
	v := &validator{d: d, dims: map[string]int{}, skills: map[string]bool{}, seen: map[string]*Question{}}
	v.header()
	v.stages()
	v.proficiency()
	v.dimensions()
	v.skillList()
	v.sections()
	v.numberBins()
	v.roles()
	v.dimensionsUsed()
	v.bounds()
	return v.problems
}

func (v *validator) add(line int, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: v.d.File, Line: line, Message: fmt.Sprintf(format, args...)})
}

// key checks a required key's form and that it is unique among its kind.
func (v *validator) key(line int, what, key string, used map[string]int) {
	if key == "" {
		v.add(line, "%s has no key", what)
		return
	}
	v.keyForm(line, what+" key", key)
	if first, dup := used[key]; dup {
		v.add(line, "%s key %q is already used at line %d", what, key, first)
		return
	}
	used[key] = line
}

// keyForm checks a key's length and characters; name is what messages call it ("id", "stage key").
func (v *validator) keyForm(line int, name, key string) {
	switch {
	case utf8.RuneCountInString(key) > MaxKeyLength:
		v.add(line, "%s %q has %d characters; the most is %d", name, clip(key), utf8.RuneCountInString(key), MaxKeyLength)
	case !keyPattern.MatchString(key):
		v.add(line, "%s %q must be lower-case letters, digits and single hyphens", name, key)
	}
}

// top is the line of a top-level key, or of the first key where it is absent (1 in a document of only null).
func (v *validator) top(key string) int {
	if line := v.d.At(key); line > 0 {
		return line
	}
	return 1
}

func (v *validator) header() {
	d := v.d
	if d.ID == "" {
		v.add(v.top("id"), "definition has no id")
	} else {
		v.keyForm(v.top("id"), "id", d.ID)
	}
	if d.Title == "" {
		v.add(v.top("title"), "definition has no title")
	}
	if _, set := d.keys["minutes"]; set && (d.Minutes < 1 || d.Minutes > MaxMinutes) {
		v.add(v.top("minutes"), "definition has minutes %d; it must be 1 to %d", d.Minutes, MaxMinutes)
	}
}

func (v *validator) stages() {
	stages := v.d.Scale.Stages
	if n := len(stages); n < MinStages || n > MaxStages {
		v.add(v.top("scale"), "scale needs %d to %d stages, has %d", MinStages, MaxStages, n)
		if n < MinStages {
			return
		}
	}
	used := map[string]int{}
	for i, s := range stages {
		v.key(s.Line, "stage", s.Key, used)
		if s.Label == "" {
			v.add(s.Line, "stage %q has no label", s.Key)
		}
		switch {
		case i == 0 && s.From != 0:
			v.add(s.At("from"), "the first stage must start at 0 so every score has a stage, not %g", s.From)
		case i > 0 && s.From <= stages[i-1].From:
			v.add(s.At("from"), "stage %q starts at %g, not above the stage before it (%g)", s.Key, s.From, stages[i-1].From)
		case s.From >= 100:
			v.add(s.At("from"), "stage %q starts at %g; stages must start below 100", s.Key, s.From)
		}
	}
}

func (v *validator) proficiency() {
	levels := v.d.Proficiency
	if len(levels) == 0 {
		return
	}
	if len(levels) < MinLevels || len(levels) > MaxLevels {
		v.add(v.top("proficiency"), "proficiency needs %d to %d levels, has %d", MinLevels, MaxLevels, len(levels))
	}
	used := map[string]int{}
	for _, l := range levels {
		v.key(v.top("proficiency"), "proficiency level", l, used)
	}
}

func (v *validator) dimensions() {
	if len(v.d.Dimensions) == 0 {
		v.add(v.top("dimensions"), "definition has no dimensions")
	}
	used := map[string]int{}
	for i := range v.d.Dimensions {
		dim := &v.d.Dimensions[i]
		v.key(dim.Line, "dimension", dim.Key, used)
		v.dims[dim.Key] = 0
		if dim.Title == "" {
			v.add(dim.Line, "dimension %q has no title", dim.Key)
		}
		if _, set := dim.keys["weight"]; !set {
			dim.Weight = 1
		} else if dim.Weight <= 0 {
			v.add(dim.At("weight"), "dimension %q has weight %g; weights must be above zero", dim.Key, dim.Weight)
		}
		if _, set := dim.keys["min_answers"]; !set {
			dim.MinAnswers = 1
		} else if dim.MinAnswers < 1 || dim.MinAnswers > MaxMinAnswers {
			v.add(dim.At("min_answers"), "dimension %q has min_answers %d; it must be 1 to %d", dim.Key, dim.MinAnswers, MaxMinAnswers)
		}
		v.guidance(dim)
	}
}

// guidance checks a dimension's next steps: each names a stage of the scale, says something, and
// links only to absolute https pages.
func (v *validator) guidance(dim *Dimension) {
	line := dim.At("guidance")
	for _, stage := range sortedKeys(dim.Guidance) {
		g := dim.Guidance[stage]
		what := fmt.Sprintf("guidance of dimension %q for stage %q", dim.Key, stage)
		if !slices.ContainsFunc(v.d.Scale.Stages, func(s Stage) bool { return s.Key == stage }) {
			v.add(line, "%s: %q is not a stage of the scale", what, stage)
		}
		if strings.TrimSpace(g.Text) == "" {
			v.add(line, "%s has no text", what)
		} else if utf8.RuneCountInString(g.Text) > MaxGuidanceLength {
			v.add(line, "%s is longer than %d characters", what, MaxGuidanceLength)
		}
		if len(g.Links) > MaxGuidanceLinks {
			v.add(line, "%s has %d links; at most %d", what, len(g.Links), MaxGuidanceLinks)
		}
		for _, l := range g.Links {
			u, err := url.Parse(l.URL)
			switch {
			case strings.TrimSpace(l.Title) == "" || utf8.RuneCountInString(l.Title) > MaxLinkTitleLength:
				v.add(line, "%s has a link whose title is empty or longer than %d characters", what, MaxLinkTitleLength)
			case err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(l.URL) > MaxURLLength:
				v.add(line, "%s links to %q; links must be https addresses of public pages, up to %d characters", what, l.URL, MaxURLLength)
			}
		}
	}
}

func (v *validator) skillList() {
	used := map[string]int{}
	for _, s := range v.d.Skills {
		v.key(s.Line, "skill", s.Key, used)
		v.skills[s.Key] = true
		if s.Title == "" {
			v.add(s.Line, "skill %q has no title", s.Key)
		}
		if s.Group != GroupSpecialist && s.Group != GroupMainstream {
			v.add(s.At("group"), "skill %q has group %q; use %q or %q", s.Key, s.Group, GroupSpecialist, GroupMainstream)
		}
		for _, role := range sortedKeys(s.Expected) {
			level := s.Expected[role]
			if v.d.ProficiencyIndex(level) < 0 {
				v.add(s.At("expected"), "skill %q expects level %q of role %q, which is not a proficiency level", s.Key, level, role)
			}
		}
	}
	if len(v.d.Skills) > 0 && len(v.d.Proficiency) == 0 {
		v.add(v.top("skills"), "skills are listed but there are no proficiency levels")
	}
}

// roles checks that the roles question exists, is a single choice, and names every role skills expect.
func (v *validator) roles() {
	r := v.d.Roles
	if r == nil {
		for _, s := range v.d.Skills {
			if len(s.Expected) > 0 {
				v.add(s.At("expected"), "skill %q sets expected levels but the definition has no roles question", s.Key)
			}
		}
		return
	}
	q, ok := v.seen[r.Question]
	if !ok {
		v.add(r.At("question"), "roles question %q is not a question in this definition", r.Question)
		return
	}
	if q.Type != TypeChoice {
		v.add(r.At("question"), "roles question %q must be a choice question, is %s", r.Question, q.Type)
		return
	}
	for _, s := range v.d.Skills {
		for _, role := range sortedKeys(s.Expected) {
			if _, ok := q.Option(role); !ok {
				v.add(s.At("expected"), "skill %q expects a level of role %q, which is not an option of %q", s.Key, role, r.Question)
			}
		}
	}
}

func (v *validator) sections() {
	if len(v.d.Sections) == 0 {
		v.add(v.top("sections"), "definition has no sections")
	}
	sections := map[string]int{}
	questions := map[string]int{}
	for i := range v.d.Sections {
		s := &v.d.Sections[i]
		v.key(s.Line, "section", s.Key, sections)
		if s.Title == "" {
			v.add(s.Line, "section %q has no title", s.Key)
		}
		if len(s.Questions) == 0 {
			v.add(s.Line, "section %q has no questions", s.Key)
		}
		v.condition(s.ShowIf, fmt.Sprintf("section %q", s.Key), "")
		for j := range s.Questions {
			q := &s.Questions[j]
			v.key(q.Line, "question", q.Key, questions)
			v.question(q)
			if s.ShowIf != nil && q.ShowIf != nil {
				v.add(q.ShowIf.Line, "question %q has a show_if in section %q, which has its own: put the condition on the section, or move the question", q.Key, s.Key)
			}
			if _, dup := v.seen[q.Key]; !dup {
				v.seen[q.Key] = q
			}
		}
	}
}

// dimensionsUsed reports dimensions that could never have a score.
func (v *validator) dimensionsUsed() {
	for _, dim := range v.d.Dimensions {
		n, ok := v.dims[dim.Key]
		switch {
		case !ok:
		case n == 0:
			v.add(dim.Line, "dimension %q has no scored questions", dim.Key)
		case dim.MinAnswers > n:
			v.add(dim.At("min_answers"), "dimension %q needs %d answers but has only %d scored question(s)", dim.Key, dim.MinAnswers, n)
		}
	}
}

// sortedKeys gives a map's keys in order, so problems come out in the same order every time.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
