package report

import (
	"encoding/json"
	"math"
)

// Scores are rounded to one decimal place only here, at the edge; ratios and shares to three.

func round(x float64, places int) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	p := math.Pow(10, float64(places))
	r := math.Round(x*p) / p
	return &r
}

func roundPtr(x *float64, places int) *float64 {
	if x == nil {
		return nil
	}
	return round(*x, places)
}

type withheldJSON struct {
	Withheld bool   `json:"withheld"`
	Reason   string `json:"reason"`
}

// MarshalJSON writes figures as the report contract gives them.
func (f *Figures) MarshalJSON() ([]byte, error) {
	if f.Withheld {
		return json.Marshal(withheldJSON{true, f.Reason})
	}
	return json.Marshal(struct {
		N           int            `json:"n"`
		Mean        *float64       `json:"mean"`
		Median      *float64       `json:"median"`
		SD          *float64       `json:"sd"`
		CI95        [2]*float64    `json:"ci95"`
		Stage       string         `json:"stage"`
		Stages      map[string]int `json:"stages"`
		Now         *float64       `json:"now"`
		Target      *float64       `json:"target"`
		Gap         *float64       `json:"gap"`
		Alpha       *float64       `json:"alpha,omitempty"`
		PullingDown []QuestionMean `json:"pulling_down,omitempty"`
		Next        *Next          `json:"next,omitempty"`
	}{
		N: f.N, Mean: round(f.Mean, 1), Median: round(f.Median, 1), SD: round(f.SD, 1),
		CI95:  [2]*float64{round(f.CI95[0], 1), round(f.CI95[1], 1)},
		Stage: f.Stage, Stages: f.Stages,
		Now: roundPtr(f.Now, 1), Target: roundPtr(f.Target, 1), Gap: roundPtr(f.Gap, 1),
		Alpha: roundPtr(f.Alpha, 3), PullingDown: roundedQuestions(f.PullingDown), Next: f.Next,
	})
}

func roundedQuestions(qs []QuestionMean) []QuestionMean {
	out := make([]QuestionMean, len(qs))
	for i, q := range qs {
		out[i] = QuestionMean{Question: q.Question, Text: q.Text, Mean: *round(q.Mean, 1)}
	}
	return out
}

// MarshalJSON writes skill figures, shares rounded to three places.
func (s *SkillFigures) MarshalJSON() ([]byte, error) {
	if s.Withheld {
		return json.Marshal(withheldJSON{true, s.Reason})
	}
	levels := make(map[string]*float64, len(s.Levels))
	for k, v := range s.Levels {
		levels[k] = round(v, 3)
	}
	return json.Marshal(struct {
		N             int                 `json:"n"`
		Levels        map[string]*float64 `json:"levels"`
		Coverage      *float64            `json:"coverage"`
		Depth         int                 `json:"depth"`
		DepthRisk     bool                `json:"depth_risk"`
		MeetsExpected *float64            `json:"meets_expected"`
	}{s.N, levels, round(s.Coverage, 3), s.Depth, s.Depth <= 1, roundPtr(s.MeetsExpected, 3)})
}

// MarshalJSON writes a withheld group as its name and place only: no count, rate or figures. A
// shown group always carries response_rate, null where the headcount is unknown or outdated
// (headcount_outdated: more responses than the headcount).
func (g Group) MarshalJSON() ([]byte, error) {
	type place struct {
		Key    string  `json:"key"`
		Name   string  `json:"name"`
		Level  string  `json:"level"`
		Parent *string `json:"parent"`
	}
	if g.Withheld {
		return json.Marshal(struct {
			place
			Withheld bool   `json:"withheld"`
			Reason   string `json:"reason"`
		}{place{g.Key, g.Name, g.Level, g.Parent}, true, g.Reason})
	}
	type counted struct {
		place
		N                 *int   `json:"n"`
		NotShown          *int   `json:"not_shown,omitempty"`
		Headcount         *int   `json:"headcount"`
		ResponseRate      *Ratio `json:"response_rate"`
		HeadcountOutdated bool   `json:"headcount_outdated"`
	}
	c := counted{place{g.Key, g.Name, g.Level, g.Parent}, g.N, g.NotShown, g.Headcount, g.ResponseRate, g.HeadcountOutdated}
	if g.Overall == nil && g.Dimensions == nil {
		return json.Marshal(c) // counted only: an open-mode wave while it is open (WaveInfo.ScoresAfterClosing)
	}
	return json.Marshal(struct {
		counted
		Overall    *Figures                 `json:"overall"`
		Dimensions map[string]*Figures      `json:"dimensions"`
		Skills     map[string]*SkillFigures `json:"skills"`
		Cells      []Cell                   `json:"cells,omitempty"`
		// Distributions is left out for a survey without multi_choice or binned number questions.
		Distributions map[string]*Distribution `json:"distributions,omitempty"`
		Comments      map[string][]string      `json:"comments,omitempty"`
	}{c, g.Overall, g.Dimensions, g.Skills, g.Cells, g.Distributions, g.Comments})
}

// MarshalJSON writes a distribution: a multi_choice question's options (key) or a number
// question's bins (from, to), each with its count and share (rounded to three places), or withheld.
func (d *Distribution) MarshalJSON() ([]byte, error) {
	if d.Withheld {
		return json.Marshal(withheldJSON{true, d.Reason})
	}
	type count struct {
		N     int      `json:"n"`
		Share *float64 `json:"share"`
	}
	type option struct {
		Key string `json:"key"`
		*count
		*withheldJSON
	}
	type bin struct {
		From float64  `json:"from"`
		To   *float64 `json:"to"`
		*count
		*withheldJSON
	}
	counted := func(s Share) (*count, *withheldJSON) {
		if s.Withheld {
			return nil, &withheldJSON{true, s.Reason}
		}
		return &count{s.N, round(s.Share, 3)}, nil
	}
	out := struct {
		N       int      `json:"n"`
		Options []option `json:"options,omitempty"`
		Bins    []bin    `json:"bins,omitempty"`
	}{N: d.N}
	for _, s := range d.Options {
		c, w := counted(s)
		out.Options = append(out.Options, option{s.Key, c, w})
	}
	for _, s := range d.Bins {
		c, w := counted(s)
		out.Bins = append(out.Bins, bin{*s.From, s.To, c, w})
	}
	return json.Marshal(out)
}
