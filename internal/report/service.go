package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
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
// figures take in each team's answers in batches of at least the threshold (see publish), so
// nobody can watch a colleague's answer land or work it out from reports kept over time; and
// closing keeps the step (see settle).
type Service struct {
	src   Source
	snaps Snapshots
	now   func() time.Time
	// every is how long an open wave's figures are kept while responses arrive (see RecomputeEvery).
	every time.Duration
	// computed, when set, is told how long each computation of a wave's figures took (OnCompute).
	computed func(time.Duration)

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

// OnCompute has computed told how long each computation of a wave's figures takes (for metrics);
// reads that find the figures computed are not told.
func OnCompute(computed func(time.Duration)) ServiceOption {
	return func(s *Service) { s.computed = computed }
}

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
		start := time.Now()
		if e, err = s.refresh(ctx, w, def, req, count, state, now); err != nil {
			return nil, err
		}
		if s.computed != nil {
			s.computed(time.Since(start))
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

// refresh computes the current figures and, for an open wave, publishes those due; for a closed
// one, brings in what it published while open.
func (s *Service) refresh(ctx context.Context, w store.Wave, def *survey.Definition, req Request, count int64, state string, now time.Time) (*memoEntry, error) {
	open := state == store.StateOpen
	tr, options, err := current(ctx, s.src, w, def, req, open)
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
	default:
		tr.rollUp(tr.own)
		tr.addOthers()
	}
	b := suppressed(def, tr, w, req, options, open)
	return &memoEntry{responses: count, state: state, builder: b, refreshed: refreshed, rendered: map[string]*Report{}}, nil
}

// publishedState is what an open wave has published: per team, the own parts of each family of
// figures (the answers given for the team itself, not its subtree) as last published, and, for a
// family a breakdown splits, every publication of them in order with how many of the answers were
// then in each breakdown cell (closing checks each publication's block: suppression.FinalMoves).
// One snapshot holds everything a wave has published, whichever report (comments or not)
// published it, so one figure is never published twice at different counts. Fields are exported
// for gob.
type publishedState struct {
	Own   map[uint]map[string]*part
	Moves map[uint]map[string][]publishedMove
}

// publishedMove is one publication of a team's own answers in a family: how many, and how many
// of them were in each breakdown cell (by cell key, cellKey(cellOf(question, option), family)).
type publishedMove struct {
	Own   int
	Cells map[string]int
}

// publish makes tr the figures an open wave shows: each node's own parts as last published,
// after publishing again those grown by at least their threshold since (suppression.Moves), and
// stores what is published now; it returns the day of the last change. Breakdown cells and
// distributions are not published while a wave is open (see suppression, "Open waves"); the
// breakdowns of the answers published are recorded, for closing. The store writes the snapshot
// only over the one it was merged with, so concurrent reports cannot lose each other's parts; the
// merge may run again on a newer snapshot.
func (s *Service) publish(ctx context.Context, tr *tree, w store.Wave, count int64, day string) (string, error) {
	var state *publishedState
	refreshed := day
	err := s.snaps.UpdateSnapshot(ctx, w.ID, func(old *store.ReportSnapshot) (*store.ReportSnapshot, error) {
		refreshed = day
		state = &publishedState{Own: map[uint]map[string]*part{}, Moves: map[uint]map[string][]publishedMove{}}
		if old != nil {
			var err error
			if state, err = decodePublished(old); err != nil {
				return nil, err
			}
			refreshed = old.RefreshedOn
		}
		if !state.merge(tr, w) && old != nil {
			return nil, nil // nothing new to publish
		}
		data, err := state.encode()
		if err != nil {
			return nil, err
		}
		refreshed = day
		return &store.ReportSnapshot{WaveID: w.ID, Responses: count, Data: data, RefreshedOn: day}, nil
	})
	if err != nil {
		return "", err
	}
	current := tr.subtreeCounts(tr.own)
	tr.rollUp(state.ownOf(tr))
	for i, n := range tr.nodes {
		for key, c := range current[i] {
			if c > n.count(key) && publishedLive(key, w) {
				n.get(key).Waiting = true // more answers than shown: the rest wait for enough to join them
			}
		}
	}
	return refreshed, nil
}

// merge publishes every own part of tr that has grown enough since last published
// (suppression.Moves), recording, for a family a breakdown splits, how its answers split over
// every breakdown's cells; it reports whether anything changed.
func (st *publishedState) merge(tr *tree, w store.Wave) bool {
	changed := false
	for i, n := range tr.nodes {
		id := n.team.ID
		cells := map[string][]string{} // family → the keys of its cells at this node
		for key := range tr.own[i] {
			if family := nestsIn(key); family != "" {
				cells[family] = append(cells[family], key)
			}
		}
		for key, cur := range tr.own[i] {
			if !publishedLive(key, w) {
				continue
			}
			was := 0
			if old := st.Own[id][key]; old != nil {
				was = old.Count
			}
			if !suppression.Moves(was, cur.Count, stepOf(key, w.Threshold)) {
				continue
			}
			if st.Own[id] == nil {
				st.Own[id], st.Moves[id] = map[string]*part{}, map[string][]publishedMove{}
			}
			st.Own[id][key], changed = cur, true
			if splits(key) {
				m := publishedMove{Own: cur.Count, Cells: make(map[string]int, len(cells[key]))}
				for _, c := range cells[key] {
					m.Cells[c] = tr.own[i][c].Count
				}
				st.Moves[id][key] = append(st.Moves[id][key], m)
			}
		}
	}
	return changed
}

// splits says whether a family of figures is split by a breakdown (see builder.families).
func splits(key string) bool {
	if key == keyResponses || key == keyOverall {
		return true
	}
	for _, prefix := range []string{"dim:", "gap:", "skill:"} {
		if strings.HasPrefix(key, prefix) {
			return true
		}
	}
	return false
}

// ownOf is the published own parts of tr's nodes.
func (st *publishedState) ownOf(tr *tree) []map[string]*part {
	own := make([]map[string]*part, len(tr.nodes))
	for i, n := range tr.nodes {
		own[i] = st.Own[n.team.ID]
	}
	return own
}

// publishedLive says whether a part is published while its wave is open: every group's figure,
// not breakdown cells nor distributions; of an open-mode wave, only the response counts.
func publishedLive(key string, w store.Wave) bool {
	if w.Mode == store.ModeOpen {
		return key == keyResponses
	}
	for _, prefix := range []string{"cell:", "answered:", "value:", "others:"} {
		if strings.HasPrefix(key, prefix) {
			return false
		}
	}
	return true
}

// settle prepares a closed wave's final figures: tr's parts are every answer's, and what the wave
// published while open is kept beside them (tree.live, and each node's liveParts), for the
// suppression to decide each final figure with it (suppression.Final). A final figure that would
// give away fewer than the threshold of answers that arrived after the figures last published is
// not shown, and the group shows those figures instead. A wave nobody read while open published
// nothing, and every figure takes all its answers.
func (s *Service) settle(ctx context.Context, tr *tree, w store.Wave) error {
	tr.rollUp(tr.own)
	tr.addOthers()
	snap, err := s.snaps.Snapshot(ctx, w.ID)
	if err != nil || snap == nil {
		return err
	}
	state, err := decodePublished(snap)
	if err != nil {
		return err
	}
	tr.live = state.ownOf(tr)
	tr.liveMoves = make([]map[string][]publishedMove, len(tr.nodes))
	for i, n := range tr.nodes {
		tr.liveMoves[i] = state.Moves[n.team.ID]
	}
	final := make([]map[string]*part, len(tr.nodes))
	for i, n := range tr.nodes {
		final[i] = n.parts
	}
	tr.rollUp(tr.live)
	for i, n := range tr.nodes {
		n.liveParts, n.parts = n.parts, final[i]
	}
	return nil
}

// toWire gives every part's histogram the form snapshots have always stored it in (a map of
// value to responses), so snapshots written before histograms were kept in order of score still
// read, and fromWire takes it back.
func (st *publishedState) toWire() {
	for _, parts := range st.Own {
		for _, p := range parts {
			p.Hist = nil
			for _, x := range p.scores {
				if p.Hist == nil {
					p.Hist = make(map[float64]int, len(p.scores))
				}
				p.Hist[x.Value] = x.Count
			}
		}
	}
}

func (st *publishedState) fromWire() {
	for _, parts := range st.Own {
		for _, p := range parts {
			if p.Hist != nil {
				p.scores = histOf(p.Hist)
			}
			p.Hist = nil
		}
	}
}

// encode is what a snapshot stores of st, each histogram in its stored form.
func (st *publishedState) encode() ([]byte, error) {
	var buf bytes.Buffer
	st.toWire()
	err := gob.NewEncoder(&buf).Encode(st)
	st.fromWire()
	if err != nil {
		return nil, fmt.Errorf("encode report snapshot: %w", err)
	}
	return buf.Bytes(), nil
}

// decodePublished reads what a snapshot holds.
func decodePublished(snap *store.ReportSnapshot) (*publishedState, error) {
	state := &publishedState{}
	if err := gob.NewDecoder(bytes.NewReader(snap.Data)).Decode(state); err != nil {
		return nil, fmt.Errorf("decode report snapshot: %w", err)
	}
	state.fromWire()
	if state.Own == nil {
		state.Own = map[uint]map[string]*part{}
	}
	if state.Moves == nil {
		state.Moves = map[uint]map[string][]publishedMove{}
	}
	return state, nil
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

// current loads the wave's current aggregates, each node's own (tree.own), not yet rolled up. An
// open wave's are loaded with the cells of every breakdown question, whose splits its publications
// record; otherwise those of the breakdown asked for.
func current(ctx context.Context, src Source, w store.Wave, def *survey.Definition, req Request, open bool) (*tree, []survey.Option, error) {
	questions := []string{req.Breakdown}
	if open {
		questions = nil
		for _, q := range def.Questions() {
			if q.Breakdown {
				questions = append(questions, q.Key)
			}
		}
	}
	// Which option of a breakdown to work out rather than read is decided on how many tally rows
	// each has, counted in the database beside the score tallies (an open wave's cells are read
	// as totals, summed in the database, and need no choosing).
	rows := make([]map[string]int, len(questions))
	rowErrs := make([]error, len(questions))
	var wg sync.WaitGroup
	for i, q := range questions {
		if qu, ok := def.Question(q); ok && !open && everyoneAnswers(qu) {
			wg.Go(func() { rows[i], rowErrs[i] = src.CellRows(ctx, w.ID, q) })
		}
	}
	counts, err := src.ScoreCounts(ctx, w.ID)
	wg.Wait()
	if err = errors.Join(append(rowErrs, err)...); err != nil {
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
	var breakdowns []breakdown
	var more []func(s *sums) error
	if !open { // an open wave shows no distribution, and publishes none
		more = append(more, func(s *sums) error { return loadDistributions(ctx, src, w.ID, s) })
	}
	for i, q := range questions {
		if q != "" {
			b := newBreakdown(def, q, open, rows[i])
			breakdowns = append(breakdowns, b)
			more = append(more, b.loaders(ctx, src, w.ID)...)
		}
	}
	if err := tr.load(ctx, src, w.ID, counts, more...); err != nil {
		return nil, nil, err
	}
	for _, b := range breakdowns {
		b.complete(tr)
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
	return tr, q.Options, nil
}
