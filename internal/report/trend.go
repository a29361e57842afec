package report

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"skillsurvey/internal/stats"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// falseDiscoveryRate is the q-value below which a change between waves is called significant: of
// the changes a trend calls significant, about this share are expected to be noise.
const falseDiscoveryRate = 0.05

// Trend is one group's figures across the waves of one survey, oldest first.
type Trend struct {
	Survey string      `json:"survey"`
	Group  string      `json:"group"`
	Name   string      `json:"name"`
	Waves  []TrendWave `json:"waves"`
}

// TrendWave is the group in one wave: its published figures, withheld as in that wave's report,
// and the change from the wave before for each figure shown in both.
type TrendWave struct {
	Wave     string `json:"wave"`
	Title    string `json:"title"`
	State    string `json:"state"`
	Withheld bool   `json:"withheld,omitempty"`
	N        *int   `json:"n"`
	// AnswersVerified and ScoresAfterClosing are the wave's (see WaveInfo): an open-mode wave's
	// point is counted only while it is open, and marked as not verified for good.
	AnswersVerified    bool                `json:"answers_verified"`
	ScoresAfterClosing bool                `json:"scores_after_closing,omitempty"`
	Overall            *Figures            `json:"overall,omitempty"`
	Dimensions         map[string]*Figures `json:"dimensions,omitempty"`
	Change             map[string]Change   `json:"change,omitempty"`
	// FocusAreas are the dimensions the group chose to work on after this wave's figures (filled
	// in by the caller, from the team's records): the next wave's change in each shows what moved.
	FocusAreas []FocusArea `json:"focus_areas,omitempty"`
}

// FocusArea is a dimension a group chose to work on after a wave, with its note.
type FocusArea struct {
	Dimension string `json:"dimension"`
	Title     string `json:"title"`
	Note      string `json:"note"`
	ChosenOn  string `json:"chosen_on"`
}

// Change compares a figure with the same figure in the wave before: the change in mean, Welch's
// t-test of it (P), and Q, P adjusted with Benjamini-Hochberg over every change of the trend, since
// they are shown together: tested one by one at 0.05, seven figures over many teams would flag
// dozens of changes that are noise.
type Change struct {
	Change      float64 `json:"change"`
	P           float64 `json:"p"`
	Q           float64 `json:"q"`
	Significant bool    `json:"significant"`
}

// MarshalJSON rounds the change like a score and the p- and q-values to three places.
func (c Change) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Change      *float64 `json:"change"`
		P           *float64 `json:"p"`
		Q           *float64 `json:"q"`
		Significant bool     `json:"significant"`
	}{round(c.Change, 1), round(c.P, 3), round(c.Q, 3), c.Significant})
}

// WaveDefinition is a wave with the definition version it was answered on.
type WaveDefinition struct {
	Wave       store.Wave
	Definition *survey.Definition
}

// ErrGroupNotFound is a group key that is in none of the waves.
var ErrGroupNotFound = fmt.Errorf("group not found")

// Trend follows one group through waves of one survey, oldest first. Dimensions are matched by
// key, so a dimension added or dropped in a later version appears only where it exists.
func (s *Service) Trend(ctx context.Context, waves []WaveDefinition, groupKey string) (*Trend, error) {
	t := &Trend{Group: groupKey, Waves: []TrendWave{}}
	var prev *TrendWave
	found := false
	for _, wd := range waves {
		rep, err := s.Report(ctx, wd.Wave, wd.Definition, Request{})
		if err != nil {
			return nil, err
		}
		t.Survey = wd.Definition.ID
		tw := TrendWave{Wave: wd.Wave.Key, Title: wd.Wave.Title, State: rep.Wave.State, Withheld: true,
			AnswersVerified: rep.Wave.AnswersVerified, ScoresAfterClosing: rep.Wave.ScoresAfterClosing}
		for _, g := range rep.Groups {
			if g.Key != groupKey {
				continue
			}
			found = true
			t.Name = g.Name
			tw.Withheld, tw.N, tw.Overall, tw.Dimensions = g.Withheld, g.N, g.Overall, g.Dimensions
		}
		if prev != nil && !tw.Withheld && !prev.Withheld {
			tw.Change = changes(prev, &tw)
		}
		t.Waves = append(t.Waves, tw)
		prev = &t.Waves[len(t.Waves)-1]
	}
	if !found {
		return nil, ErrGroupNotFound
	}
	correct(t.Waves)
	return t, nil
}

// correct sets each change's q-value, over every change of the trend, and calls significant those
// below the false discovery rate.
func correct(waves []TrendWave) {
	type at struct {
		wave int
		key  string
	}
	var where []at
	var p []float64
	for i, w := range waves {
		for key, c := range w.Change {
			where = append(where, at{i, key})
			p = append(p, c.P)
		}
	}
	q := stats.BenjaminiHochberg(p)
	for j, a := range where {
		c := waves[a.wave].Change[a.key]
		c.Q = q[j]
		c.Significant = !math.IsNaN(q[j]) && q[j] < falseDiscoveryRate
		waves[a.wave].Change[a.key] = c
	}
}

// changes compares every figure shown in both waves.
func changes(before, after *TrendWave) map[string]Change {
	out := map[string]Change{}
	add := func(key string, a, b *Figures) {
		if a == nil || b == nil || a.Withheld || b.Withheld {
			return
		}
		_, _, p := stats.WelchTest(a.N, a.Mean, a.SD, b.N, b.Mean, b.SD)
		out[key] = Change{Change: b.Mean - a.Mean, P: p} // Q and Significant: see correct
	}
	add(keyOverall, before.Overall, after.Overall)
	for key, f := range after.Dimensions {
		add(key, before.Dimensions[key], f)
	}
	return out
}
