package survey

import "math"

// index records lookups once the definition is valid; a Definition is read-only after that. A
// section's show_if becomes its questions' (validation keeps them from having their own), and each
// dimension learns whether it counts in overall.
func (d *Definition) index() {
	d.questions = map[string]*Question{}
	shownToAll := map[string]bool{}
	for i := range d.Sections {
		s := &d.Sections[i]
		for j := range s.Questions {
			q := &s.Questions[j]
			if q.ShowIf == nil {
				q.ShowIf = s.ShowIf
			}
			d.questions[q.Key] = q
			d.order = append(d.order, q)
			if q.Scored() && q.ShowIf == nil {
				shownToAll[q.Dimension] = true
			}
		}
	}
	for i := range d.Dimensions {
		dim := &d.Dimensions[i]
		dim.inOverall = shownToAll[dim.Key]
		if dim.InOverall != nil {
			dim.inOverall = *dim.InOverall
		}
	}
}

// Question returns the question with the given key.
func (d *Definition) Question(key string) (*Question, bool) {
	q, ok := d.questions[key]
	return q, ok
}

// Questions returns every question in the order respondents see them.
func (d *Definition) Questions() []*Question { return d.order }

// Dimension returns the dimension with the given key.
func (d *Definition) Dimension(key string) (*Dimension, bool) {
	for i := range d.Dimensions {
		if d.Dimensions[i].Key == key {
			return &d.Dimensions[i], true
		}
	}
	return nil, false
}

// Skill returns the skill with the given key.
func (d *Definition) Skill(key string) (*Skill, bool) {
	for i := range d.Skills {
		if d.Skills[i].Key == key {
			return &d.Skills[i], true
		}
	}
	return nil, false
}

// ProficiencyIndex is the position of a proficiency level (0 for the lowest), or -1 if unknown.
func (d *Definition) ProficiencyIndex(level string) int {
	for i, l := range d.Proficiency {
		if l == level {
			return i
		}
	}
	return -1
}

// stageTolerance absorbs floating-point error in a weighted mean, so a score that is exactly 60 in
// arithmetic but 59.999999999999993 in float64 lands in the stage starting at 60.
const stageTolerance = 1e-9

// StageFor returns the stage a 0-100 score falls in: the last stage whose From is at or below it.
func (d *Definition) StageFor(score float64) Stage {
	stages := d.Scale.Stages
	for i := len(stages) - 1; i > 0; i-- {
		if score >= stages[i].From-stageTolerance {
			return stages[i]
		}
	}
	return stages[0]
}

// NextStageFrom is the score from which StageFor gives the stage after key (+Inf after the last):
// a score below it, and not below key's own start, is in key.
func (d *Definition) NextStageFrom(key string) float64 {
	stages := d.Scale.Stages
	for i, st := range stages {
		if st.Key == key && i+1 < len(stages) {
			return stages[i+1].From - stageTolerance
		}
	}
	return math.Inf(1)
}
