package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"skillsurvey/internal/store"
	"skillsurvey/internal/suppression"
	"skillsurvey/internal/survey"
)

// Snapshots keeps the figures an open wave has published, between requests and instances.
type Snapshots interface {
	CountResponses(ctx context.Context, waveID uint) (int64, error)
	// Snapshot reads a wave's snapshot; nil when there is none.
	Snapshot(ctx context.Context, waveID uint) (*store.ReportSnapshot, error)
	// UpdateSnapshot reads a wave's snapshot (nil when there is none) and stores what change returns
	// (nothing when it returns nil), only over the snapshot change saw: change may run again.
	UpdateSnapshot(ctx context.Context, waveID uint, change func(old *store.ReportSnapshot) (*store.ReportSnapshot, error)) error
}

// Service builds reports and keeps them: a closed wave's report is computed once; an open wave's
// figures are published in steps, each group's figure refreshed only once at least the threshold
// of new responses have arrived in it, so nobody can watch a colleague's answer land; and closing
// keeps the step (see settle).
type Service struct {
	src   Source
	snaps Snapshots
	now   func() time.Time
	// every is how long an open wave's figures are kept while responses arrive (see RecomputeEvery).
	every time.Duration

	mu   sync.Mutex
	memo map[memoKey]*memoEntry
}

type memoKey struct {
	wave      uint
	version   string
	breakdown string
	comments  bool
}

// memoEntry is a suppressed report, valid while the wave's response count and state stay the same,
// with the reports rendered from it so far, per level.
type memoEntry struct {
	responses int64
	computed  time.Time
	state     string
	teams     string // the hierarchy it was built on
	builder   *builder
	refreshed string
	mu        sync.Mutex
	rendered  map[string]*Report
}

// render returns the report of a level, rendering it once.
func (e *memoEntry) render(w store.Wave, req Request, now time.Time) *Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	if rep, ok := e.rendered[req.Level]; ok {
		return rep
	}
	rep := e.builder.render(w, req, now)
	rep.Refreshed = e.refreshed
	e.rendered[req.Level] = rep
	return rep
}

// ServiceOption changes how a report service works.
type ServiceOption func(*Service)

// RecomputeEvery keeps an open wave's figures for up to d while responses arrive, instead of
// computing them again at each report read that finds a new response: under a steady stream of
// submissions every read would otherwise recompute the whole wave. Figures are at most d old; a
// wave closing, or the hierarchy changing, is seen at once.
func RecomputeEvery(d time.Duration) ServiceOption { return func(s *Service) { s.every = d } }

// NewService returns a report service over the given storage.
func NewService(src Source, snaps Snapshots, now func() time.Time, opts ...ServiceOption) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{src: src, snaps: snaps, now: now, memo: map[memoKey]*memoEntry{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Report returns the wave's report for the request. The report is shared: callers must not change it.
func (s *Service) Report(ctx context.Context, w store.Wave, def *survey.Definition, req Request) (*Report, error) {
	if err := checkRequest(def, req); err != nil {
		return nil, err
	}
	now := s.now()
	key := memoKey{w.ID, def.Version, req.Breakdown, req.Comments}
	state := w.State(now)
	s.mu.Lock()
	e := s.memo[key]
	s.mu.Unlock()
	// A wave's hierarchy changes only until it opens (an import from the command line while the
	// service runs), and with it every roll-up, name and response rate; renamed keys too.
	teams, err := s.hierarchy(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	if e != nil && e.teams == teams && e.state == store.StateClosed && state == store.StateClosed {
		return e.render(w, req, now), nil // a closed wave takes no more responses
	}
	count, err := s.snaps.CountResponses(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	fresh := e != nil && e.state == state && e.teams == teams && (e.responses == count || now.Sub(e.computed) < s.every)
	if !fresh {
		if e, err = s.refresh(ctx, w, def, req, count, state, now); err != nil {
			return nil, err
		}
		e.teams, e.computed = teams, now
		s.mu.Lock()
		s.memo[key] = e
		s.mu.Unlock()
	}
	return e.render(w, req, now), nil
}

// hierarchy is a fingerprint of the wave's hierarchy: keys, names, parents, headcounts, retirement.
func (s *Service) hierarchy(ctx context.Context, waveID uint) (string, error) {
	teams, err := s.src.WaveTeams(ctx, waveID)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, t := range teams {
		fmt.Fprintf(h, "%d|%s|%s|%v|%v|%v\n", t.ID, t.Key, t.Name, ptrValue(t.ParentID), ptrValue(t.Headcount), t.Retired)
	}
	return string(h.Sum(nil)), nil
}

func ptrValue[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// refresh computes the current figures and, for an open wave, merges them with those published.
func (s *Service) refresh(ctx context.Context, w store.Wave, def *survey.Definition, req Request, count int64, state string, now time.Time) (*memoEntry, error) {
	tr, options, err := current(ctx, s.src, w, def, req)
	if err != nil {
		return nil, err
	}
	day := now.UTC().Format(time.DateOnly)
	refreshed := day
	switch state {
	case store.StateOpen:
		if refreshed, err = s.publish(ctx, tr, w, count, day); err != nil {
			return nil, err
		}
	case store.StateClosed:
		if err := s.settle(ctx, tr, w); err != nil {
			return nil, err
		}
	}
	b := suppressed(def, tr, w, req, options)
	return &memoEntry{responses: count, state: state, builder: b, refreshed: refreshed, rendered: map[string]*Report{}}, nil
}

// publish replaces, in tr, every part that is not due with the part last published, stores what
// is published now, and returns the day of the last change. One snapshot holds everything a wave
// has published, whichever report (breakdown, comments) published it, so one figure is never
// published twice at different counts; the store writes it only over the snapshot it was merged
// with, so concurrent reports cannot lose each other's parts. The merge may run again on a newer
// snapshot: it starts from the current figures each time.
func (s *Service) publish(ctx context.Context, tr *tree, w store.Wave, count int64, day string) (string, error) {
	current := make([]map[string]*part, len(tr.nodes))
	for i, n := range tr.nodes {
		current[i] = maps.Clone(n.parts)
	}
	var refreshed string
	err := s.snaps.UpdateSnapshot(ctx, w.ID, func(old *store.ReportSnapshot) (*store.ReportSnapshot, error) {
		for i, n := range tr.nodes {
			n.parts = maps.Clone(current[i])
		}
		refreshed = day
		published := map[uint]map[string]*part{}
		if old != nil {
			var err error
			if published, err = decodePublished(old); err != nil {
				return nil, err
			}
			refreshed = old.RefreshedOn
		}
		if !merge(tr, published, w.Threshold) && old != nil {
			return nil, nil // nothing new to publish
		}
		for _, n := range tr.nodes {
			if published[n.team.ID] == nil {
				published[n.team.ID] = map[string]*part{}
			}
			for key, p := range n.parts {
				published[n.team.ID][key] = p
			}
		}
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(published); err != nil {
			return nil, fmt.Errorf("encode report snapshot: %w", err)
		}
		refreshed = day
		return &store.ReportSnapshot{WaveID: w.ID, Responses: count, Data: buf.Bytes(), RefreshedOn: day}, nil
	})
	return refreshed, err
}

// settle brings a closed wave's figures to their final state under the same rule as while it was
// open: a figure last published while the wave was open moves only if at least its threshold of
// answers arrived since (or none did). Otherwise closing would publish the last few answers, which
// the difference between the last open figure and the closed one would describe. The answers a
// group's final figures leave out are counted in notShown. A wave nobody read while open
// published nothing, so every figure takes all its answers.
func (s *Service) settle(ctx context.Context, tr *tree, w store.Wave) error {
	snap, err := s.snaps.Snapshot(ctx, w.ID)
	if err != nil || snap == nil {
		return err
	}
	published, err := decodePublished(snap)
	if err != nil {
		return err
	}
	answered := make([]int, len(tr.nodes))
	for i, n := range tr.nodes {
		answered[i] = n.count(keyResponses)
	}
	merge(tr, published, w.Threshold)
	for i, n := range tr.nodes {
		n.notShown = answered[i] - n.count(keyResponses)
		for _, p := range n.parts {
			p.Waiting = false // no more answers will come: what is left out is counted in notShown
		}
	}
	return nil
}

// decodePublished reads the parts a snapshot holds, by team.
func decodePublished(snap *store.ReportSnapshot) (map[uint]map[string]*part, error) {
	published := map[uint]map[string]*part{}
	if err := gob.NewDecoder(bytes.NewReader(snap.Data)).Decode(&published); err != nil {
		return nil, fmt.Errorf("decode report snapshot: %w", err)
	}
	return published, nil
}

// merge keeps, in each node of tr, the published part unless the part is due, and reports whether
// any published part changed. A part is due when it has grown by at least its threshold since it
// was published (a part published below its threshold was never shown, so it counts from zero)
// and the parts it nests in are due too: the same part of the node's parent, and for a breakdown
// cell, the node's part of the cell's family (suppression.Moves, which the suppression's model of
// open waves shares). Nesting keeps a figure from showing responses the figure it nests in does
// not show: a team, those its directorate does not (or the directorate's older figure minus the
// team's newer one would describe the team's first few respondents); a cell, those its group does
// not (or the group's older figure less its other cells would describe the cell's first few).
// A figure it nests in that is up to date (published with every response it has now) counts as
// due: then the nested one shows nothing it does not, as when a report broken down is first read
// after the plain report of the same moment. What nesting does not keep out is said in
// internal/suppression ("Not guaranteed").
func merge(tr *tree, published map[uint]map[string]*part, k int) bool {
	changed := false
	due := make([]map[string]bool, len(tr.nodes)) // due, or up to date
	for i, n := range tr.nodes {
		due[i] = map[string]bool{}
		pub := published[n.team.ID]
		for _, cells := range []bool{false, true} { // a cell after the figure it nests in
			for key, cur := range n.parts {
				family := nestsIn(key)
				if (family != "") != cells {
					continue
				}
				old, was := pub[key], 0
				if old != nil {
					was = old.Count
				}
				nested := (n.parent < 0 || due[n.parent][key]) && (family == "" || due[i][family])
				if suppression.Moves(was, cur.Count, stepOf(key, k), nested) {
					due[i][key] = true
					changed = changed || old == nil || old.Count != cur.Count
					continue
				}
				if old != nil && !old.Waiting && old.Count == cur.Count {
					due[i][key] = true // up to date: kept as published, and what nests in it may move
				}
				if old == nil {
					old = &part{Waiting: true} // nothing published yet, and not due: nothing to show
				}
				n.parts[key] = old
			}
		}
	}
	return changed
}

// nestsIn is the family a breakdown cell's part belongs to (see cellKey), "" for a part that is
// no cell.
func nestsIn(key string) string {
	if !strings.HasPrefix(key, "cell:") {
		return ""
	}
	return key[strings.LastIndex(key, "|")+1:]
}

// stepOf is a part's threshold: comments need twice the threshold, and so move in twice the steps.
func stepOf(key string, k int) int {
	if strings.HasPrefix(key, textKey("")) {
		return commentThreshold(k)
	}
	return k
}

// current loads the wave's current aggregates into the hierarchy.
func current(ctx context.Context, src Source, w store.Wave, def *survey.Definition, req Request) (*tree, []survey.Option, error) {
	counts, err := src.ScoreCounts(ctx, w.ID)
	if err != nil {
		return nil, nil, err
	}
	withResponses := map[uint]bool{}
	for _, c := range counts {
		withResponses[c.TeamID] = true
	}
	tr, err := loadTree(ctx, src, w.ID, withResponses)
	if err != nil {
		return nil, nil, err
	}
	if err := tr.load(ctx, src, w.ID, counts); err != nil {
		return nil, nil, err
	}
	if req.Comments {
		if err := tr.loadTexts(ctx, src, w.ID); err != nil {
			return nil, nil, err
		}
	}
	if req.Breakdown == "" {
		return tr, nil, nil
	}
	q, _ := def.Question(req.Breakdown)
	if err := tr.loadCells(ctx, src, w.ID, req.Breakdown); err != nil {
		return nil, nil, err
	}
	return tr, q.Options, nil
}
