package report

import (
	"math"
	"sort"

	"skillsurvey/internal/stats"
	"skillsurvey/internal/survey"
)

// maxPullingDown is how many questions a dimension names as pulling it down.
const maxPullingDown = 3

// meanTolerance absorbs floating-point error between two means that are equal in arithmetic.
const meanTolerance = 1e-9

// summariseWith computes the statistics of a histogram of scores, with the quantiles of Student's
// t kept in t.
func summariseWith(def *survey.Definition, h hist, t *stats.TQuantiles) *Figures {
	vc := []stats.ValueCount(h)
	// In order of value, the stages come in order too: each value's stage is found once per run of
	// values in one stage (a report has tens of thousands of these histograms).
	stages := make(map[string]int, len(def.Scale.Stages))
	for _, st := range def.Scale.Stages {
		stages[st.Key] = 0
	}
	key, upTo := "", math.Inf(-1)
	for _, x := range vc {
		if key == "" || x.Value >= upTo {
			st := def.StageFor(x.Value)
			key, upTo = st.Key, def.NextStageFrom(st.Key)
		}
		stages[key] += x.Count
	}
	s := t.Summarise(vc)
	return &Figures{N: s.N, Mean: s.Mean, Median: s.Median, SD: s.SD, CI95: s.CI95,
		Stage: def.StageFor(s.Mean).Key, Stages: stages}
}

// setGap fills in now, target and gap from summed aspiration-reality answers. (A ratio of now to
// target would change with how the levels are numbered, so none is given.)
func (f *Figures) setGap(g Gap) {
	if g.N == 0 {
		return
	}
	target := g.Aspiration / float64(g.N)
	now := g.Reality / float64(g.N)
	gap := target - now
	f.Now, f.Target, f.Gap = &now, &target, &gap
}

// pullingDown lists the dimension's questions whose mean is below the dimension's, lowest first.
// Only questions whose figures may be shown are considered.
func pullingDown(def *survey.Definition, dim string, mean float64, n *node, shown func(q string) bool) []QuestionMean {
	var out []QuestionMean
	for _, q := range def.Questions() {
		p, ok := n.parts[itemKey(q.Key)]
		if !ok || q.Dimension != dim || !q.Scored() || p.Items[0].N == 0 || !shown(q.Key) {
			continue
		}
		// A question at the dimension's mean, give or take rounding, does not pull it down.
		if m := p.Items[0].Sum / float64(p.Items[0].N); m < mean-meanTolerance {
			out = append(out, QuestionMean{Question: q.Key, Text: q.Text, Mean: m})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Mean < out[j].Mean })
	if len(out) > maxPullingDown {
		out = out[:maxPullingDown]
	}
	return out
}

// nextStep is a dimension's next step for a group in the given stage: the guidance for the stage and,
// for the questions pulling the dimension down (only shown ones), the wording of the level above the
// group's mean. Nil where there is neither.
func nextStep(def *survey.Definition, dim, stage string, pulling []QuestionMean) *Next {
	d, ok := def.Dimension(dim)
	if !ok {
		return nil
	}
	next := &Next{}
	if g, ok := d.Guidance[stage]; ok {
		next.Text, next.Links = g.Text, g.Links
	}
	for _, p := range pulling {
		q, _ := def.Question(p.Question)
		if level, ok := q.NextLevel(p.Mean); ok {
			next.Questions = append(next.Questions, NextQuestion{Question: q.Key, Text: q.Text, NextLevel: level})
		}
	}
	if next.Text == "" && len(next.Questions) == 0 {
		return nil
	}
	return next
}

// alpha is Cronbach's alpha of a dimension over its complete responses, from summed moments.
func alpha(def *survey.Definition, dim string, n *node) *float64 {
	total := n.parts[alphaKey(dim)]
	if total == nil || total.Sums.N < 2 {
		return nil
	}
	var vars []float64
	for _, q := range def.Questions() {
		if q.Dimension != dim || !q.Scored() {
			continue
		}
		p, ok := n.parts[itemKey(q.Key)]
		if !ok || p.Items[1].N != total.Sums.N {
			return nil // every complete response answered every question; anything else is not alpha
		}
		vars = append(vars, variance(p.Items[1]))
	}
	a := stats.CronbachAlphaFromMoments(len(vars), vars, variance(total.Sums))
	if math.IsNaN(a) {
		return nil
	}
	return &a
}

func variance(m Moments) float64 {
	if m.N < 2 {
		return math.NaN()
	}
	v := (m.SumSq - m.Sum*m.Sum/float64(m.N)) / float64(m.N-1)
	return math.Max(v, 0)
}

// skillFigures computes one skill question's figures from level counts per role.
func skillFigures(def *survey.Definition, skill *survey.Skill, byRole map[string]map[int]int) *SkillFigures {
	coverageAt, depthAt := levelIndex(def, "working", len(def.Proficiency)/2), levelIndex(def, "practitioner", len(def.Proficiency)-2)
	counts := make([]int, len(def.Proficiency))
	var meets, expected int
	for role, levels := range byRole {
		need := -1
		if lvl, ok := skill.Expected[role]; ok {
			need = def.ProficiencyIndex(lvl)
		}
		for lvl, c := range levels {
			counts[lvl] += c
			if need >= 0 {
				expected += c
				if lvl >= need {
					meets += c
				}
			}
		}
	}
	f := &SkillFigures{Levels: map[string]float64{}}
	for _, c := range counts {
		f.N += c
	}
	for i, c := range counts {
		if f.N > 0 {
			f.Levels[def.Proficiency[i]] = float64(c) / float64(f.N)
		}
		if i >= coverageAt {
			f.Coverage += float64(c)
		}
		if i >= depthAt {
			f.Depth += c
		}
	}
	if f.N > 0 {
		f.Coverage /= float64(f.N)
	}
	if expected > 0 {
		m := float64(meets) / float64(expected)
		f.MeetsExpected = &m
	}
	return f
}

// levelIndex finds a named proficiency level, or falls back to a position for scales without it.
func levelIndex(def *survey.Definition, name string, fallback int) int {
	if i := def.ProficiencyIndex(name); i >= 0 {
		return i
	}
	return fallback
}
