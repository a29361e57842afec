// Package scoring turns one response's answers into scores on the 0-100 aspiration-to-reality scale.
// Everything here is a pure function of a definition and answers.
package scoring

import "skillsurvey/internal/survey"

// Item is one scored or proficiency answer, kept so reports can find the questions pulling a
// dimension down and measure skills.
type Item struct {
	Question  string
	Dimension string // empty for a proficiency question outside every dimension
	// Score is the answer's 0-100 score; for an aspiration-reality answer, its "now" (reality) score.
	Score float64
	// Aspiration is the "target" score of an aspiration-reality answer.
	Aspiration *float64
	// Proficiency is the level index (0 = lowest) of a proficiency answer, else -1.
	Proficiency int
}

// DimensionScore is one response's result in one dimension.
type DimensionScore struct {
	// Score is the weighted mean of the dimension's scored answers, or nil when the response has
	// fewer than the dimension's min_answers.
	Score *float64
	// Answered counts scored answers in the dimension ("don't know" is not one).
	Answered int
	// Reality and Aspiration are the weighted means of the "now" and "target" scores of the dimension's
	// aspiration-reality answers, or nil when there are none: the two sides of the gap.
	Reality, Aspiration *float64
	// Complete says every scored question of the dimension was answered; Total is then the plain
	// (unweighted) sum of their scores. Cronbach's alpha is computed over complete responses.
	Complete bool
	Total    float64
}

// Result is a response's scores.
type Result struct {
	// Overall is the weighted mean of the dimension scores that exist, or nil when none does.
	Overall *float64
	// Reality and Aspiration are the weighted means (by dimension weight) of the dimensions'
	// Reality and Aspiration, or nil when the response has no aspiration-reality answer.
	Reality, Aspiration *float64
	Dimensions          map[string]DimensionScore
	Items               []Item
}

// LevelScore is the score of level i (1-based) of a question with the given number of levels:
// 100·(i−1)/(L−1), so the lowest level scores 0 and the highest 100.
func LevelScore(i, levels int) float64 {
	return 100 * float64(i-1) / float64(levels-1)
}

// ProficiencyScore is the score of proficiency index p (0-based) of n levels: 100·p/(n−1).
func ProficiencyScore(p, levels int) float64 {
	return 100 * float64(p) / float64(levels-1)
}

// Rules names a version of the scoring rules. A wave keeps the rules it was created under, so its
// figures never mix two ways of scoring, whatever the code does later.
type Rules int

const (
	// OriginalRules scores a proficiency answer on the ladder, 100·p/4, whatever the role needs: the
	// rules of waves created before skills were scored against roles.
	OriginalRules Rules = 1
	// RevisedRules scores a proficiency answer against the level the respondent's role needs
	// (SkillScore), and counts in overall only the dimensions that count in it (those asked of
	// everyone, unless the definition says otherwise: survey.Dimension.InOverall), so overall can
	// be compared across teams that do different kinds of work.
	RevisedRules Rules = 2
	// Current is the rules a new wave takes.
	Current = RevisedRules
)

// SkillScore scores proficiency index p against e, the index of the level the respondent's role
// needs: 100·min(p, e)/e, so meeting the need scores 100 and claiming more earns nothing. Where no
// level is named for the role (e < 1: none, or "none" itself) it is ProficiencyScore.
func SkillScore(p, e, levels int) float64 {
	if e < 1 {
		return ProficiencyScore(p, levels)
	}
	return 100 * float64(min(p, e)) / float64(e)
}

// needed is the index of the proficiency level the respondent's role needs in the skill a question
// asks about, or -1 where the definition names none (or the respondent gave no role).
func needed(d *survey.Definition, q *survey.Question, answers survey.Answers) int {
	skill, ok := d.Skill(q.Skill)
	if !ok || d.Roles == nil {
		return -1
	}
	role, ok := answers[d.Roles.Question]
	if !ok || len(role.Choices) != 1 {
		return -1
	}
	level, ok := skill.Expected[role.Choices[0]]
	if !ok {
		return -1
	}
	return d.ProficiencyIndex(level)
}

// weighted accumulates a weighted mean.
type weighted struct{ sum, weight float64 }

func (w *weighted) add(score, weight float64) { w.sum += score * weight; w.weight += weight }

func (w weighted) mean() *float64 {
	if w.weight == 0 {
		return nil
	}
	m := w.sum / w.weight
	return &m
}

// Score computes a response's scores under the given rules (those of its wave). Answers must have
// been checked against the same definition.
func Score(d *survey.Definition, answers survey.Answers, rules Rules) Result {
	type acc struct {
		score, reality, aspiration weighted
		answered, questions        int
		total                      float64
	}
	dims := map[string]*acc{}
	for _, dim := range d.Dimensions {
		dims[dim.Key] = &acc{}
	}
	var items []Item
	for _, q := range d.Questions() {
		if q.Scored() {
			dims[q.Dimension].questions++
		}
		a, ok := answers[q.Key]
		if !ok || a.DontKnow {
			continue
		}
		need := -1
		if rules >= RevisedRules {
			need = needed(d, q, answers)
		}
		item, ok := scoreItem(d, q, a, need)
		if !ok {
			continue
		}
		items = append(items, item)
		if item.Dimension == "" {
			continue
		}
		da := dims[item.Dimension]
		da.score.add(item.Score, q.Weight)
		da.answered++
		da.total += item.Score
		if item.Aspiration != nil {
			da.reality.add(item.Score, q.Weight)
			da.aspiration.add(*item.Aspiration, q.Weight)
		}
	}
	res := Result{Dimensions: map[string]DimensionScore{}, Items: items}
	var overall, reality, aspiration weighted
	for _, dim := range d.Dimensions {
		da := dims[dim.Key]
		ds := DimensionScore{Answered: da.answered, Reality: da.reality.mean(), Aspiration: da.aspiration.mean()}
		if da.answered == da.questions {
			ds.Complete, ds.Total = true, da.total
		}
		if da.answered >= dim.MinAnswers {
			ds.Score = da.score.mean()
		}
		res.Dimensions[dim.Key] = ds
		if rules >= RevisedRules && !dim.CountsInOverall() {
			continue // reported beside overall, for the teams that do this work
		}
		if ds.Score != nil {
			overall.add(*ds.Score, dim.Weight)
		}
		if ds.Aspiration != nil {
			reality.add(*ds.Reality, dim.Weight)
			aspiration.add(*ds.Aspiration, dim.Weight)
		}
	}
	res.Overall = overall.mean()
	res.Reality, res.Aspiration = reality.mean(), aspiration.mean()
	return res
}

// scoreItem scores one answer, a proficiency against the level need (-1 for none named); ok is false
// for question types that carry no score.
func scoreItem(d *survey.Definition, q *survey.Question, a survey.Answer, need int) (Item, bool) {
	item := Item{Question: q.Key, Dimension: q.Dimension, Proficiency: -1}
	switch q.Type {
	case survey.TypeMaturity:
		item.Score = LevelScore(a.Level, len(q.Levels))
	case survey.TypeAspirationReality:
		item.Score = LevelScore(a.Now, len(q.Levels))
		target := LevelScore(a.Target, len(q.Levels))
		item.Aspiration = &target
	case survey.TypeProficiency:
		item.Score = SkillScore(a.Level, need, len(d.Proficiency))
		item.Proficiency = a.Level
	default:
		return Item{}, false
	}
	return item, true
}
