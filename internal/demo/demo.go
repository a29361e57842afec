// Package demo makes realistic synthetic responses, so a newcomer sees a full dashboard at once and
// benchmarks have a wave of any size. Answers are drawn per team around a team's own maturity, or
// its fuller Traits, so teams differ as real ones do, and every response is checked and scored by
// the real code. Build makes a whole demonstration department (department.go) with three waves.
package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"skillsurvey/internal/store"
	"skillsurvey/internal/submission"
	"skillsurvey/internal/survey"
)

// comments are free-text answers a demo draws from.
var comments = []string{
	"More time set aside to learn new digital skills.",
	"Access to the social media platforms we are asked to use.",
	"Leaders who ask for digital from the start of a project, not at the end.",
	"A shared calendar of campaigns with the arm's-length bodies.",
	"Someone to ask when we want to try a new channel.",
	"Clear guidance on what we may publish without sign-off.",
	"Fewer approval steps for routine posts.",
	"Better tools for measuring what our campaigns achieved.",
}

// Generator draws responses for one wave.
type Generator struct {
	def  *survey.Definition
	rand *rand.Rand
}

// New returns a generator for def, seeded so the same seed gives the same wave.
func New(def *survey.Definition, seed uint64) *Generator {
	return &Generator{def: def, rand: rand.New(rand.NewPCG(seed, seed^0x5eed))}
}

// TeamMaturity draws a team's typical level, 0 (aspiration) to 1 (reality).
func (g *Generator) TeamMaturity() float64 { return clamp(0.15+0.55*g.rand.Float64(), 0, 1) }

// Response draws, checks and scores one response for a team of the given maturity.
func (g *Generator) Response(waveID, teamID uint, maturity float64, day string) (store.NewResponse, error) {
	return g.ResponseOf(waveID, teamID, Traits{Maturity: maturity}, day)
}

// ResponseOf draws, checks and scores one response for a team with the given traits.
func (g *Generator) ResponseOf(waveID, teamID uint, t Traits, day string) (store.NewResponse, error) {
	raw := g.answers(t)
	answers, errs := g.def.CheckAnswers(raw)
	if len(errs) > 0 {
		return store.NewResponse{}, fmt.Errorf("demo: generated answers are not valid: %v", errs)
	}
	id := fmt.Sprintf("demo-%016x%016x", g.rand.Uint64(), g.rand.Uint64())
	return submission.Response(g.def, answers, submission.Origin{WaveID: waveID, TeamID: teamID, SubmissionID: id, Day: day}), nil
}

// AnswerSets draws n answer sets, each around a maturity of its own, as a respondent may send them
// (the canonical answers a response is stored with): the load of the benchmark and the crash test.
func (g *Generator) AnswerSets(n int) ([][]byte, error) {
	sets := make([][]byte, n)
	for i := range sets {
		r, err := g.Response(0, 0, g.TeamMaturity(), "2000-01-01") // the day is not sent
		if err != nil {
			return nil, err
		}
		sets[i] = r.Answers
	}
	return sets, nil
}

// answers draws raw answers in question order, so show_if sees the answers it depends on.
func (g *Generator) answers(t Traits) map[string]json.RawMessage {
	raw := map[string]json.RawMessage{}
	chosen := map[string][]string{}
	for _, q := range g.def.Questions() {
		if !g.shown(q, chosen) {
			continue
		}
		if !q.Required && g.rand.Float64() < 0.08 {
			continue // some people skip a question
		}
		if q.DontKnow && g.rand.Float64() < 0.05 {
			raw[q.Key] = json.RawMessage(`"dont_know"`)
			continue
		}
		v, picks := g.answer(q, t, g.role(chosen))
		if v == nil {
			continue
		}
		raw[q.Key], _ = json.Marshal(v)
		chosen[q.Key] = picks
	}
	return raw
}

func (g *Generator) shown(q *survey.Question, chosen map[string][]string) bool {
	if q.ShowIf == nil {
		return true
	}
	picks, ok := chosen[q.ShowIf.Question]
	return ok && q.ShowIf.Matches(picks)
}

// role is the respondent's answer to the definition's role question, or "" before it or without one.
func (g *Generator) role(chosen map[string][]string) string {
	if g.def.Roles == nil || len(chosen[g.def.Roles.Question]) == 0 {
		return ""
	}
	return chosen[g.def.Roles.Question][0]
}

// answer draws one answer; picks are the options chosen, for show_if.
func (g *Generator) answer(q *survey.Question, t Traits, role string) (any, []string) {
	switch q.Type {
	case survey.TypeMaturity:
		return g.level(len(q.Levels), t.in(q.Dimension)), nil
	case survey.TypeAspirationReality:
		now := g.level(len(q.Levels), t.in(q.Dimension))
		if t.Target == 0 {
			return map[string]int{"now": now, "target": min(len(q.Levels), now+1+g.rand.IntN(2))}, nil
		}
		return map[string]int{"now": now, "target": max(now, g.level(len(q.Levels), t.Target))}, nil
	case survey.TypeProficiency:
		return g.def.Proficiency[g.level(len(g.def.Proficiency), t.proficiency(g.def, q.Skill, role))-1], nil
	case survey.TypeChoice:
		if w, ok := t.Choices[q.Key]; ok {
			o := g.weighted(q.Options, w)
			return o, []string{o}
		}
		o := q.Options[g.skewed(len(q.Options))].Key
		return o, []string{o}
	case survey.TypeMultiChoice:
		if p, ok := t.Choices[q.Key]; ok {
			return g.chances(q, p)
		}
		return g.several(q)
	case survey.TypeNumber:
		lo, hi := 0.0, 100.0
		if q.Min != nil {
			lo = *q.Min
		}
		if q.Max != nil {
			hi = *q.Max
		}
		return math.Round(lo + (hi-lo)*g.rand.Float64()*g.rand.Float64()), nil
	case survey.TypeText:
		if g.rand.Float64() < 0.4 {
			return comments[g.rand.IntN(len(comments))], nil
		}
	}
	return nil, nil
}

// level draws a level 1..n around the team's maturity.
func (g *Generator) level(n int, maturity float64) int {
	x := maturity*float64(n-1) + g.rand.NormFloat64()*0.9
	return int(clamp(math.Round(x), 0, float64(n-1))) + 1
}

// skewed favours earlier options, as real answers to "role" or "profession" do.
func (g *Generator) skewed(n int) int {
	i := int(math.Abs(g.rand.NormFloat64()) * float64(n) / 2.5)
	return min(i, n-1)
}

func (g *Generator) several(q *survey.Question) (any, []string) {
	limit := len(q.Options)
	if q.MaxChoices > 0 {
		limit = q.MaxChoices
	}
	var picks []string
	for _, i := range g.rand.Perm(len(q.Options))[:1+g.rand.IntN(limit)] {
		if o := q.Options[i]; o.Exclusive {
			return []string{o.Key}, []string{o.Key} // "None of these" is chosen alone
		}
		picks = append(picks, q.Options[i].Key)
	}
	return picks, picks
}

// weighted draws one option key in proportion to its weight (options not weighed are not drawn).
func (g *Generator) weighted(options []survey.Option, weights map[string]float64) string {
	total := 0.0
	for _, o := range options {
		total += weights[o.Key]
	}
	x := g.rand.Float64() * total
	for _, o := range options {
		if x < weights[o.Key] {
			return o.Key
		}
		x -= weights[o.Key]
	}
	return options[len(options)-1].Key
}

// chances chooses each option of a multi_choice question with its own chance; when none is chosen,
// the exclusive option (such as "None of these") is, or else the likeliest option.
func (g *Generator) chances(q *survey.Question, p map[string]float64) (any, []string) {
	var picks []string
	fallback, best := "", -1.0
	for _, o := range q.Options {
		switch {
		case o.Exclusive:
			fallback, best = o.Key, 2
		case g.rand.Float64() < p[o.Key]:
			picks = append(picks, o.Key)
		}
		if p[o.Key] > best {
			fallback, best = o.Key, p[o.Key]
		}
	}
	if q.MaxChoices > 0 && len(picks) > q.MaxChoices {
		picks = picks[:q.MaxChoices]
	}
	if len(picks) == 0 {
		picks = []string{fallback}
	}
	return picks, picks
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// Wave draws n responses spread over the teams in proportion to their headcounts (teams without
// one count as 8; a directorate's headcount is its teams', so it answers only now and then for
// itself), so larger teams answer more and a few small ones stay below the threshold.
func Wave(def *survey.Definition, waveID uint, teams []store.Team, n int, day string, seed uint64) ([]store.NewResponse, error) {
	g := New(def, seed)
	weights := make([]float64, len(teams))
	maturity := make([]float64, len(teams))
	total := 0.0
	parents := map[uint]bool{}
	for _, t := range teams {
		if t.ParentID != nil {
			parents[*t.ParentID] = true
		}
	}
	for i, t := range teams {
		weights[i] = 8
		if t.Headcount != nil {
			weights[i] = float64(*t.Headcount)
		}
		if parents[t.ID] {
			weights[i] = 0.5 // a few answer for a directorate or the department as a whole
		}
		total += weights[i]
		maturity[i] = g.TeamMaturity()
	}
	out := make([]store.NewResponse, 0, n)
	for range n {
		i := pick(g.rand, weights, total)
		r, err := g.Response(waveID, teams[i].ID, maturity[i], day)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func pick(r *rand.Rand, weights []float64, total float64) int {
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}
