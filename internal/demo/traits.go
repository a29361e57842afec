package demo

import "skillsurvey/internal/survey"

// Traits set one team's answers apart from another's: how mature it is overall and in each
// dimension, where its people say it should be, who works there and what they do, and how skilled
// each role is. Left at their zero values (but Maturity), answers are drawn as Response draws them.
type Traits struct {
	// Maturity is the team's typical level, 0 (aspiration) to 1 (reality).
	Maturity float64
	// Dimensions holds the team's typical level in a dimension where it is not Maturity.
	Dimensions map[string]float64
	// Target is the level, 0 to 1, people typically say the team should reach on aspiration-reality
	// questions ("should be" is never drawn below "now"); 0 draws it one or two levels above "now".
	Target float64
	// Choices weighs the options of choice and multi_choice questions, by question key and then
	// option key: for a choice question each option's relative weight, for a multi_choice question
	// the chance each option is chosen. Questions not named are drawn as Response draws them.
	Choices map[string]map[string]float64
	// Proficiency is the typical proficiency, 0 (none) to 1 (expert), by the respondent's role (their
	// answer to the definition's role question) and then skill group (mainstream, specialist). A role
	// or group not named draws around Maturity.
	Proficiency map[string]map[string]float64
}

// in is the team's typical level in a dimension.
func (t Traits) in(dimension string) float64 {
	if v, ok := t.Dimensions[dimension]; ok {
		return v
	}
	return t.Maturity
}

// proficiency is the typical proficiency of the given role in a skill.
func (t Traits) proficiency(def *survey.Definition, skill, role string) float64 {
	s, ok := def.Skill(skill)
	if !ok {
		return t.Maturity
	}
	if v, ok := t.Proficiency[role][s.Group]; ok {
		return v
	}
	return t.Maturity
}
