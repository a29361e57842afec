package demo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
	"skillsurvey/internal/waves"
)

// ErrNotEmpty refuses to build the demonstration into a database that has teams or waves, so
// synthetic answers never mix with real ones.
var ErrNotEmpty = errors.New("the database already has teams or waves: the demonstration department goes only into an empty database, so it never mixes with real data")

// DefaultResponses is the size of the current wave; each earlier wave has four in five as many.
const DefaultResponses = 1500

// Store is what Build reads and writes: *store.Store.
type Store interface {
	waves.Creator
	waves.TeamImporter
	Teams(ctx context.Context, withRetired bool) ([]store.Team, error)
	Team(ctx context.Context, key string) (store.Team, error)
	Waves(ctx context.Context) ([]store.Wave, error)
	WaveTeams(ctx context.Context, waveID uint) ([]store.Team, error)
	SaveResponses(ctx context.Context, rs []store.NewResponse) error
	SetFocusAreasOn(ctx context.Context, waveID, teamID uint, day string, areas []store.NewFocusArea) ([]store.FocusArea, error)
}

// Options say how large a department Build makes, from which seed, and when.
type Options struct {
	// Responses in the current wave, at most the department's headcount (DefaultResponses if 0).
	Responses int
	Seed      uint64
	// Now is the moment the demonstration is built; the waves closed before it.
	Now time.Time
	// Actor is who the audit log names for the import, the waves and the focus areas.
	Actor access.Actor
}

// Department is what Build made.
type Department struct {
	// Teams counts the groups of the hierarchy: the department, its directorates and their teams.
	Teams int
	// Waves are oldest first: two earlier waves, then the current one, all closed.
	Waves []store.Wave
	// Responses counts each wave's responses, in the order of Waves.
	Responses  []int
	FocusAreas int
}

// Headcount is the demonstration department's headcount, the most responses a wave may have.
func Headcount() int {
	n := 0
	for _, d := range directorates {
		for _, u := range d.teams {
			n += u.headcount
		}
	}
	return n
}

// Build makes the demonstration department in an empty database: its hierarchy, three waves of
// def (two closed a year and half a year ago, and the current one, closed a week before now), each
// answered by synthetic respondents drawn around their team's traits and checked and scored by the
// real code, and focus areas a few teams chose after the second wave, which they moved on by the
// current one. The same seed gives the same answers and figures.
func Build(ctx context.Context, st Store, def *survey.Definition, opt Options) (Department, error) {
	if opt.Responses == 0 {
		opt.Responses = DefaultResponses
	}
	if opt.Responses < 1 || opt.Responses > Headcount() {
		return Department{}, fmt.Errorf("%d responses: use 1 to %d, the department's headcount", opt.Responses, Headcount())
	}
	if err := empty(ctx, st); err != nil {
		return Department{}, err
	}
	teams := Teams()
	if _, err := waves.ImportTeams(ctx, st, opt.Actor, teams); err != nil {
		return Department{}, err
	}
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0xdeba47))
	ps := plans(r)
	focusOf := map[string]string{}
	for _, f := range focusAreas {
		focusOf[f.team] = f.dimension
	}
	dep := Department{Teams: len(teams)}
	for i, when := range schedule(opt.Now) {
		wavesBefore := 2 - i
		n := opt.Responses
		if wavesBefore > 0 {
			n = opt.Responses * 4 / 5
		}
		// Each wave its own stream, apart from every other seed's (a golden-ratio step, not seed+i).
		seed := opt.Seed ^ (uint64(i+1) * 0x9e3779b97f4a7c15)
		w, count, err := buildWave(ctx, st, def, opt, when, ps, focusOf, wavesBefore, n, seed)
		if err != nil {
			return Department{}, err
		}
		dep.Waves = append(dep.Waves, w)
		dep.Responses = append(dep.Responses, count)
		if i == 1 {
			if dep.FocusAreas, err = chooseFocus(ctx, st, opt.Actor, w, when.closes.AddDate(0, 0, 10)); err != nil {
				return Department{}, err
			}
		}
	}
	return dep, nil
}

// empty refuses a database with teams or waves.
func empty(ctx context.Context, st Store) error {
	teams, err := st.Teams(ctx, true)
	if err != nil {
		return err
	}
	ws, err := st.Waves(ctx)
	if err != nil {
		return err
	}
	if len(teams) > 0 || len(ws) > 0 {
		return fmt.Errorf("%w (it has %d teams and %d waves)", ErrNotEmpty, len(teams), len(ws))
	}
	return nil
}

// span is when a wave was open.
type span struct{ opens, closes time.Time }

// schedule is the three waves' times, oldest first: each open four weeks, half a year apart, the
// current one closed a week before now.
func schedule(now time.Time) []span {
	day := now.UTC().Truncate(24 * time.Hour)
	current := span{day.AddDate(0, 0, -35), day.AddDate(0, 0, -7)}
	var out []span
	for back := 2; back >= 0; back-- {
		out = append(out, span{current.opens.AddDate(0, 0, -182*back), current.closes.AddDate(0, 0, -182*back)})
	}
	return out
}

// waveKey names a wave by the month it opened ("2026-oct"), as a department would.
func waveKey(opens time.Time) string {
	return fmt.Sprintf("%d-%s", opens.Year(), strings.ToLower(opens.Month().String()[:3]))
}

// buildWave creates one closed wave and stores n responses drawn for it.
func buildWave(ctx context.Context, st Store, def *survey.Definition, opt Options, s span,
	ps []teamPlan, focusOf map[string]string, wavesBefore, n int, seed uint64) (store.Wave, int, error) {
	title := fmt.Sprintf("%s %d (demonstration)", s.opens.Month(), s.opens.Year())
	nw := store.NewWave{Key: waveKey(s.opens), Title: title, Mode: store.ModeInvite,
		Threshold: waves.DefaultThreshold, OpensAt: &s.opens, ClosesAt: &s.closes}
	w, err := waves.Create(ctx, st, opt.Actor, waves.Setup{Definitions: []*survey.Definition{def}}, def.ID, nw)
	if err != nil {
		return store.Wave{}, 0, err
	}
	ids := map[string]uint{}
	wts, err := st.WaveTeams(ctx, w.ID)
	if err != nil {
		return store.Wave{}, 0, err
	}
	for _, t := range wts {
		ids[t.Key] = t.ID
	}
	g := New(def, seed)
	days := int(s.closes.Sub(s.opens).Hours() / 24)
	var rs []store.NewResponse
	// Each wave its own turnout: a team answers a little more readily one time than another.
	turnout := make([]teamPlan, len(ps))
	for i, p := range ps {
		p.weight *= clamp(1+0.12*g.rand.NormFloat64(), 0.7, 1.3)
		turnout[i] = p
	}
	for i, count := range allocate(turnout, n) {
		p := ps[i]
		t := earlier(p.traits, wavesBefore, focusOf[p.key])
		for range count {
			day := s.opens.AddDate(0, 0, g.rand.IntN(days)).Format(time.DateOnly)
			resp, err := g.ResponseOf(w.ID, ids[p.key], t, day)
			if err != nil {
				return store.Wave{}, 0, err
			}
			rs = append(rs, resp)
		}
	}
	if err := st.SaveResponses(ctx, rs); err != nil {
		return store.Wave{}, 0, err
	}
	return w, len(rs), nil
}

// allocate shares n responses among the teams in proportion to their weights (largest remainder),
// never more than a team's headcount.
func allocate(ps []teamPlan, n int) []int {
	total := 0.0
	for _, p := range ps {
		total += p.weight
	}
	counts := make([]int, len(ps))
	rest := make([]float64, len(ps))
	given := 0
	for i, p := range ps {
		share := float64(n) * p.weight / total
		counts[i] = min(int(math.Floor(share)), p.headcount)
		rest[i] = share - float64(counts[i])
		given += counts[i]
	}
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rest[order[a]] > rest[order[b]] })
	for given < n {
		before := given
		for _, i := range order {
			if given < n && counts[i] < ps[i].headcount {
				counts[i]++
				given++
			}
		}
		if given == before {
			break // every team is full; Build refuses more than the headcount
		}
	}
	return counts
}

// chooseFocus records the focus areas teams chose on the given day after wave w, and audits each
// team's choice as the API does (focus.set).
func chooseFocus(ctx context.Context, st Store, actor access.Actor, w store.Wave, day time.Time) (int, error) {
	for _, f := range focusAreas {
		team, err := st.Team(ctx, f.team)
		if err != nil {
			return 0, err
		}
		if _, err := st.SetFocusAreasOn(ctx, w.ID, team.ID, day.Format(time.DateOnly), []store.NewFocusArea{{Dimension: f.dimension, Note: f.note}}); err != nil {
			return 0, err
		}
		detail := fmt.Sprintf("group=%s dimensions=%s", f.team, f.dimension)
		if err := access.Record(ctx, st, actor, access.ActionFocusSet, "wave:"+w.Key, detail); err != nil {
			return 0, err
		}
	}
	return len(focusAreas), nil
}
