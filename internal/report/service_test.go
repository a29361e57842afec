package report

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/store"
)

// TestOpenWaveMovesInSteps: while a wave is open, each team's answers join the published figures
// in batches of at least k (a directorate's figures are the sum of its teams' published batches);
// after it closes, a group whose late answers are fewer than k keeps its last figures.
func TestOpenWaveMovesInSteps(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "a", "dept"), team(4, "b", "dept")}, 5)
	svc := NewService(e.st, e.st, e.clock)
	ctx := context.Background()
	report := func() *Report {
		t.Helper()
		rep, err := svc.Report(ctx, e.wave, e.def, Request{})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	// Each step: responses added to a and b, then the n shown for dept, a and b (-1 = withheld).
	steps := []struct {
		name         string
		a, b         int
		dept, ta, tb int
	}{
		{"first publication: a's 6 join; b's 3 wait", 6, 3, 6, 6, -1},
		{"b reaches 5 and joins", 0, 2, 11, 6, 5},
		{"4 more in a wait", 4, 0, 11, 6, 5},
		{"a's 5th new one: a's 5 join", 1, 0, 16, 11, 5},
		{"3 more in b wait", 0, 3, 16, 11, 5},
		{"2 more in b: b's 5 join", 0, 2, 21, 11, 10},
	}
	for _, s := range steps {
		e.add("a", s.a)
		e.add("b", s.b)
		rep := report()
		got := [3]int{shownN(group(t, rep, "dept")), shownN(group(t, rep, "a")), shownN(group(t, rep, "b"))}
		if want := [3]int{s.dept, s.ta, s.tb}; got != want {
			t.Fatalf("%s: dept, a, b = %v, want %v", s.name, got, want)
		}
	}

	// A new service (another instance, or a restart) publishes the same figures from the snapshot.
	e.add("a", 2)
	other := NewService(e.st, e.st, e.clock)
	rep, err := other.Report(ctx, e.wave, e.def, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if got := shownN(group(t, rep, "a")); got != 11 {
		t.Errorf("another instance shows a with n=%d, want the published 11", got)
	}

	// Closing keeps the step: a's 2 new answers (fewer than 5) stay unpublished, and the report
	// says so; publishing them would let the last open figures minus the closed ones describe them.
	// dept would be the last 21 and those 2, so it keeps its figures too.
	if _, err := e.st.CloseWave(ctx, "w"); err != nil {
		t.Fatal(err)
	}
	e.reload()
	rep = report()
	if got := [3]int{shownN(group(t, rep, "dept")), shownN(group(t, rep, "a")), shownN(group(t, rep, "b"))}; got != [3]int{21, 11, 10} {
		t.Errorf("closed wave: dept, a, b = %v, want the last step's [21 11 10]", got)
	}
	for key, want := range map[string]int{"dept": 2, "a": 2, "b": 0} {
		if got := notShown(group(t, rep, key)); got != want {
			t.Errorf("closed wave: %s has %d answers not shown, want %d", key, got, want)
		}
	}
}

// notShown is a group's count of answers its figures leave out, 0 when none.
func notShown(g Group) int {
	if g.NotShown == nil {
		return 0
	}
	return *g.NotShown
}

// TestClosingKeepsTheStep, as the attack: a reader notes the figures of an open wave, a few more
// answers arrive, and the wave closes. A group whose new answers number fewer than k keeps its last
// published figures, so the closed figures minus the open ones describe nobody; a group with k or
// more new answers moves, and complementary suppression guards what its move could reveal.
func TestClosingKeepsTheStep(t *testing.T) {
	for _, c := range []struct {
		name   string
		a, b   int               // answers added after the reader's look
		want   map[string][2]int // n shown (-1 withheld) and answers not shown
		stayed []string          // groups whose overall mean must not move
	}{
		{"2 late answers in b: nothing moves", 0, 2,
			map[string][2]int{"dept": {10, 2}, "a": {5, 0}, "b": {5, 2}}, []string{"dept", "a", "b"}},
		{"5 late in a, 2 in b: dept takes all 7; a may not as well (dept less a less b's last 5 would be b's 2), so a keeps its 5", 5, 2,
			map[string][2]int{"dept": {17, 0}, "a": {5, 5}, "b": {5, 2}}, []string{"a", "b"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "a", "dept"), team(4, "b", "dept")}, 5)
			svc := NewService(e.st, e.st, e.clock)
			ctx := context.Background()
			e.add("a", 5)
			e.add("b", 5)
			rep, err := svc.Report(ctx, e.wave, e.def, Request{})
			if err != nil {
				t.Fatal(err)
			}
			before := map[string]float64{}
			for _, key := range []string{"dept", "a", "b"} {
				before[key] = group(t, rep, key).Overall.Mean
			}
			e.add("a", c.a)
			e.add("b", c.b)
			if _, err := e.st.CloseWave(ctx, "w"); err != nil {
				t.Fatal(err)
			}
			e.reload()
			if rep, err = svc.Report(ctx, e.wave, e.def, Request{}); err != nil {
				t.Fatal(err)
			}
			for key, w := range c.want {
				g := group(t, rep, key)
				if got := [2]int{shownN(g), notShown(g)}; got != w {
					t.Errorf("%s shows n=%d with %d not shown, want %v", key, got[0], got[1], w)
				}
			}
			for _, key := range c.stayed {
				// (A mean is summed over a map, so its last bit may differ between two reads.)
				if got := group(t, rep, key).Overall.Mean; math.Abs(got-before[key]) > 1e-9 {
					t.Errorf("%s's overall mean moved from %v to %v on fewer than k late answers", key, before[key], got)
				}
			}
		})
	}
}

// TestFiguresMoveWithTheirOwnCounts: a team's dimension is published on the dimension's own
// count, not the team's, so a dimension few people answer does not move with a single new answer
// when the team as a whole has had k new responses.
func TestFiguresMoveWithTheirOwnCounts(t *testing.T) {
	tr := &tree{nodes: []*node{{parent: -1}}, own: []map[string]*part{{
		keyResponses: {Count: 15}, dimKey("campaigns"): {Count: 6, scores: hist{{Value: 50, Count: 6}}},
	}}}
	st := &publishedState{Own: map[uint]map[string]*part{0: {
		keyResponses: {Count: 10}, dimKey("campaigns"): {Count: 5, scores: hist{{Value: 25, Count: 5}}},
	}}, Moves: map[uint]map[string][]publishedMove{0: {}}}
	if !st.merge(tr, store.Wave{Threshold: 5, Mode: store.ModeInvite}) {
		t.Error("merge reported no change though the team's count moved by 5")
	}
	if got := st.Own[0][keyResponses].Count; got != 15 {
		t.Errorf("responses: %d, want 15 (5 new)", got)
	}
	if p := st.Own[0][dimKey("campaigns")]; p.Count != 5 || !slices.Equal(p.scores, hist{{Value: 25, Count: 5}}) {
		t.Errorf("campaigns: %+v, want the published 5 responses at 25 (only 1 new)", p)
	}
}

// TestPublishingRecordsTheBreakdown: each time a team's answers are published, how many of them
// are in each breakdown cell is recorded beside them (cells are not shown while a wave is open;
// closing checks each publication's batch), and nothing is recorded while the team waits.
func TestPublishingRecordsTheBreakdown(t *testing.T) {
	a, b := cellKey(cellOf("role", "a"), keyResponses), cellKey(cellOf("role", "b"), keyResponses)
	tr := &tree{nodes: []*node{{parent: -1}}, own: []map[string]*part{{keyResponses: {Count: 9}, a: {Count: 3}, b: {Count: 6}}}}
	st := &publishedState{Own: map[uint]map[string]*part{}, Moves: map[uint]map[string][]publishedMove{}}
	w := store.Wave{Threshold: 5, Mode: store.ModeInvite}
	st.merge(tr, w)
	if _, ok := st.Own[0][a]; ok {
		t.Error("a breakdown cell was published while the wave is open")
	}
	check := func(when string, want ...publishedMove) {
		t.Helper()
		got := st.Moves[0][keyResponses]
		if len(got) != len(want) {
			t.Fatalf("%s: %d publications recorded, want %d: %+v", when, len(got), len(want), got)
		}
		for j := range want {
			if got[j].Own != want[j].Own || got[j].Cells[a] != want[j].Cells[a] || got[j].Cells[b] != want[j].Cells[b] {
				t.Errorf("%s: publication %d = %+v, want %+v", when, j, got[j], want[j])
			}
		}
	}
	first := publishedMove{Own: 9, Cells: map[string]int{a: 3, b: 6}}
	check("first", first)
	tr.own[0] = map[string]*part{keyResponses: {Count: 11}, a: {Count: 5}, b: {Count: 6}}
	st.merge(tr, w)
	check("2 more", first)
	tr.own[0] = map[string]*part{keyResponses: {Count: 14}, a: {Count: 8}, b: {Count: 6}}
	st.merge(tr, w)
	check("5 more", first, publishedMove{Own: 14, Cells: map[string]int{a: 8, b: 6}})
}

// TestOneFigurePublishedOnce: reports with and without a breakdown or comments publish from one
// snapshot, so a group never shows one count in one report and a later count in another (their
// difference would describe the responses in between).
func TestOneFigurePublishedOnce(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "a", "dept")}, 5)
	svc := NewService(e.st, e.st, e.clock)
	ctx := context.Background()
	n := func(req Request) int {
		t.Helper()
		rep, err := svc.Report(ctx, e.wave, e.def, req)
		if err != nil {
			t.Fatal(err)
		}
		return shownN(group(t, rep, "a"))
	}
	e.add("a", 6)
	if got := n(Request{}); got != 6 {
		t.Fatalf("first report: a has n=%d, want 6", got)
	}
	e.add("a", 2)
	for _, req := range []Request{{Breakdown: "role-type"}, {Comments: true}, {Breakdown: "role-type", Comments: true}, {}} {
		if got := n(req); got != 6 {
			t.Errorf("%+v after 2 more: a has n=%d, want the published 6", req, got)
		}
	}
	e.add("a", 3)
	for _, req := range []Request{{Breakdown: "role-type"}, {}} {
		if got := n(req); got != 11 {
			t.Errorf("%+v after 5 more: a has n=%d, want 11", req, got)
		}
	}
}

// TestWaveKeepsItsHierarchy is the attack of a reader who keeps an export across a reorganisation:
// two people answer directly for directorate d1, beside team t's four; after the wave closes, t
// moves to d2. Were reports computed on the current hierarchy, d1 after the move would be those two
// people alone, or d1 before less t: every figure of the closed wave must stay exactly as it was.
func TestWaveKeepsItsHierarchy(t *testing.T) {
	before := []hierarchy.Team{team(2, "dept", ""), team(3, "d1", "dept"), team(4, "d2", "dept"), team(5, "t", "d1")}
	e := newEnv(t, before, 3)
	svc := NewService(e.st, e.st, e.clock)
	ctx := context.Background()
	e.add("d1", 2)
	e.add("t", 4)
	e.add("d2", 5)
	encoded := func(w store.Wave) string {
		t.Helper()
		rep, err := svc.Report(ctx, w, e.def, Request{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if _, err := e.st.CloseWave(ctx, "w"); err != nil {
		t.Fatal(err)
	}
	e.reload()
	closed := encoded(e.wave)
	if _, err := e.st.CreateWave(ctx, e.def, store.NewWave{Key: "next", Title: "Next", Mode: store.ModeInvite, Threshold: 3}); err != nil {
		t.Fatal(err)
	}

	after := []hierarchy.Team{team(2, "dept", ""), team(3, "d1", "dept"), team(4, "d2", "dept"), team(5, "t", "d2")}
	after[1].Name, after[3].Headcount = "Directorate one, renamed", new(40)
	if _, err := e.st.ImportTeams(ctx, after); err != nil {
		t.Fatal(err)
	}
	svc = NewService(e.st, e.st, e.clock) // nothing kept in memory either
	if got := encoded(e.wave); got != closed {
		t.Errorf("the closed wave's report changed with the import:\nbefore %s\nafter  %s", closed, got)
	}
	if !strings.Contains(closed, `"name":"d1"`) || strings.Contains(closed, "renamed") {
		t.Errorf("the closed wave's report should name d1 as it was: %s", closed)
	}

	// A wave not yet open takes the hierarchy imported before it opens.
	next, err := e.st.Wave(ctx, "next")
	if err != nil {
		t.Fatal(err)
	}
	teams, err := e.st.WaveTeams(ctx, next.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tm := range teams {
		if tm.Key != "t" {
			continue
		}
		found = true
		if tm.Parent == nil || tm.Parent.Key != "d2" || tm.Headcount == nil || *tm.Headcount != 40 {
			t.Errorf("the scheduled wave's team t = %+v, want it under d2 with headcount 40", tm)
		}
	}
	if !found {
		t.Error("the scheduled wave's hierarchy has no team t")
	}
}

// TestOpenWaveKeepsItsHierarchy: an import while a wave is open changes none of its figures, nor
// where a new answer for a moved team counts.
func TestOpenWaveKeepsItsHierarchy(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "d1", "dept"), team(4, "d2", "dept"), team(5, "t", "d1")}, 3)
	svc := NewService(e.st, e.st, e.clock)
	ctx := context.Background()
	e.add("t", 6)
	e.add("d2", 3)
	if _, err := e.st.ImportTeams(ctx, []hierarchy.Team{team(2, "dept", ""), team(3, "d1", "dept"), team(4, "d2", "dept"), team(5, "t", "d2")}); err != nil {
		t.Fatal(err)
	}
	e.add("t", 3)
	rep, err := svc.Report(ctx, e.wave, e.def, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if n1, n2 := shownN(group(t, rep, "d1")), shownN(group(t, rep, "d2")); n1 != 9 || n2 != 3 {
		t.Errorf("d1 n = %d, d2 n = %d; want 9 and 3: t stays under d1 for this wave", n1, n2)
	}
}

// TestTrendFollowsARenamedTeam: a team renamed with previous_key is the same team in every wave,
// under its new key, and its old wave's figures stay where they were.
func TestTrendFollowsARenamedTeam(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "web", "dept")}, 3)
	svc := NewService(e.st, e.st, e.clock)
	ctx := context.Background()
	e.add("web", 4)
	if _, err := e.st.CloseWave(ctx, "w"); err != nil {
		t.Fatal(err)
	}
	e.reload()
	first := e.wave
	renamed := team(3, "digital", "dept")
	renamed.PreviousKey = "web"
	sum, err := e.st.ImportTeams(ctx, []hierarchy.Team{team(2, "dept", ""), renamed})
	if err != nil || sum.Renamed != 1 || sum.Created != 0 || sum.Retired != 0 {
		t.Fatalf("import = %+v, %v; want one rename, nothing created or retired", sum, err)
	}
	if _, err := e.st.CreateWave(ctx, e.def, store.NewWave{Key: "w2", Title: "Wave 2", Mode: store.ModeInvite, Threshold: 3}); err != nil {
		t.Fatal(err)
	}
	if e.wave, err = e.st.OpenWave(ctx, "w2"); err != nil {
		t.Fatal(err)
	}
	e.teams["digital"] = e.teams["web"] // the same team, the same row
	e.add("digital", 5)
	if _, err := e.st.CloseWave(ctx, "w2"); err != nil {
		t.Fatal(err)
	}
	e.reload()
	tr, err := svc.Trend(ctx, []WaveDefinition{{first, e.def}, {e.wave, e.def}}, "digital")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Waves) != 2 || tr.Waves[0].N == nil || *tr.Waves[0].N != 4 || tr.Waves[1].N == nil || *tr.Waves[1].N != 5 {
		t.Fatalf("trend of digital = %+v; want n 4 in the first wave (as web) and 5 in the second", tr.Waves)
	}
	if tr.Waves[1].Change == nil {
		t.Error("the trend compares nothing across the rename")
	}
}

// TestRecomputeEvery: with RecomputeEvery, an open wave's figures are kept for that long while
// responses arrive, then computed again; a closed wave's final figures are seen at once.
func TestRecomputeEvery(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "a", "dept"), team(4, "b", "dept")}, 5)
	svc := NewService(e.st, e.st, e.clock, RecomputeEvery(time.Second))
	ctx := context.Background()
	deptN := func() int {
		t.Helper()
		rep, err := svc.Report(ctx, e.wave, e.def, Request{})
		if err != nil {
			t.Fatal(err)
		}
		return shownN(group(t, rep, "dept"))
	}
	e.add("a", 5)
	e.add("b", 5)
	if n := deptN(); n != 10 {
		t.Fatalf("dept shows %d, want 10", n)
	}
	e.add("a", 5)
	e.now = e.now.Add(999 * time.Millisecond)
	if n := deptN(); n != 10 {
		t.Errorf("within the second, dept shows %d, want the 10 computed before", n)
	}
	e.now = e.now.Add(time.Millisecond)
	if n := deptN(); n != 15 {
		t.Errorf("a second on, dept shows %d, want 15", n)
	}
	e.add("b", 1)
	if _, err := e.st.CloseWave(ctx, "w"); err != nil { // closed: every response, at once
		t.Fatal(err)
	}
	e.reload()
	if n := deptN(); n != 15 {
		t.Errorf("after closing, dept shows %d, want 15: the one late answer stays unpublished", n)
	}
}

// TestWaitingForMoreAnswers: a group whose first answers arrive while its parent's figures may not
// move yet shows nothing, and says it is waiting for more answers; closed, it says it was small.
func TestWaitingForMoreAnswers(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "a", "dept"), team(4, "b", "dept")}, 5)
	svc := NewService(e.st, e.st, e.clock)
	ctx := context.Background()
	e.add("a", 10)
	if _, err := svc.Report(ctx, e.wave, e.def, Request{}); err != nil {
		t.Fatal(err)
	}
	e.add("b", 4)
	rep, err := svc.Report(ctx, e.wave, e.def, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if b := group(t, rep, "b"); !b.Withheld || b.Reason != ReasonWaiting {
		t.Errorf("b, 4 first answers under a department that may not move: withheld %v, reason %q; want %q", b.Withheld, b.Reason, ReasonWaiting)
	}
	if _, err := e.st.CloseWave(ctx, "w"); err != nil {
		t.Fatal(err)
	}
	e.reload()
	if rep, err = svc.Report(ctx, e.wave, e.def, Request{}); err != nil {
		t.Fatal(err)
	}
	if b := group(t, rep, "b"); !b.Withheld || b.Reason != ReasonSmall {
		t.Errorf("b after closing: withheld %v, reason %q; want %q", b.Withheld, b.Reason, ReasonSmall)
	}
	if d := group(t, rep, "dept"); notShown(d) != 4 {
		t.Errorf("dept after closing leaves out %d answers, want b's 4", notShown(d))
	}
	if data, err := json.Marshal(group(t, rep, "dept")); err != nil || !strings.Contains(string(data), `"not_shown":4`) {
		t.Errorf("dept's JSON %s (%v) does not say 4 answers are not shown", data, err)
	}
}

// TestBreakdownFirstReadAfterThePlainReport: a wave whose plain report was read while open, and
// whose breakdown was first read after it closed, shows its cells: the group's figures are up to
// date, so cells showing every response show nothing their group does not. (They stayed withheld
// as "small" before, waiting for their group to move, which a closed wave never does.)
func TestBreakdownFirstReadAfterThePlainReport(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "a", "dept"), team(4, "b", "dept")}, 3)
	svc := NewService(e.st, e.st, e.clock)
	ctx := context.Background()
	e.add("a", 12)
	e.add("b", 12)
	if _, err := svc.Report(ctx, e.wave, e.def, Request{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.CloseWave(ctx, e.wave.Key); err != nil {
		t.Fatal(err)
	}
	e.reload()
	rep, err := svc.Report(ctx, e.wave, e.def, Request{Breakdown: "role-type"})
	if err != nil {
		t.Fatal(err)
	}
	g := group(t, rep, "dept")
	shown := 0
	for _, c := range g.Cells {
		if !c.Withheld {
			shown++
		}
	}
	if shown == 0 {
		t.Errorf("the department's cells after closing: %+v; want those of k or more shown", g.Cells)
	}
}

// TestClosingBreakdownAfterTwoBatches is the attack on a closing breakdown, worked by hand: team a
// publishes 6 answers while open (5 specialists, 1 not), then 5 more, all non-specialists. The
// reader kept both publications, so knows the first batch was 6. At closing, a has 11: 5
// specialists and 6 others, both at least k = 5; but the 6 of the first batch less the 5
// specialists would be the one non-specialist who answered first. So a's cells are not both shown
// (and neither is, since one alone would give the other by difference from a's 11).
func TestClosingBreakdownAfterTwoBatches(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "a", "dept"), team(4, "b", "dept")}, 5)
	svc := NewService(e.st, e.st, e.clock)
	ctx := context.Background()
	read := func(req Request) *Report {
		t.Helper()
		rep, err := svc.Report(ctx, e.wave, e.def, req)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	people := func(role string, from, n int) []respondent {
		var rs []respondent
		for i := range n {
			rs = append(rs, scenarioRespondent(role, from+i))
		}
		return rs
	}
	storeRespondents(t, e, "a", append(people("specialist", 0, 5), people("non-specialist", 5, 1)...))
	storeRespondents(t, e, "b", people("non-specialist", 10, 8))
	if n := shownN(group(t, read(Request{}), "a")); n != 6 {
		t.Fatalf("first read: a shows %d, want its first 6", n)
	}
	storeRespondents(t, e, "a", people("non-specialist", 20, 5))
	if n := shownN(group(t, read(Request{}), "a")); n != 11 {
		t.Fatalf("second read: a shows %d, want 11", n)
	}
	if _, err := e.st.CloseWave(ctx, "w"); err != nil {
		t.Fatal(err)
	}
	e.reload()
	a := group(t, read(Request{Breakdown: "role-type"}), "a")
	if shownN(a) != 11 {
		t.Errorf("closed: a shows %d, want 11", shownN(a))
	}
	for _, c := range a.Cells {
		if !c.Withheld {
			t.Errorf("closed: a's %s cell shows %v: with the first batch of 6 it gives away the first non-specialist", c.Option, *c.N)
		}
	}
}

// TestSnapshotHistogramsKeepTheirForm: a snapshot written before histograms were kept in order of
// score (each a map of score → responses) still reads, into the same histograms in order; and one
// written now reads back as it was, in that same stored form.
func TestSnapshotHistogramsKeepTheirForm(t *testing.T) {
	type oldPart struct {
		Count int
		Hist  map[float64]int
	}
	type oldState struct {
		Own   map[uint]map[string]*oldPart
		Moves map[uint]map[string][]publishedMove
	}
	var buf bytes.Buffer
	old := oldState{Own: map[uint]map[string]*oldPart{3: {dimKey("campaigns"): {Count: 8, Hist: map[float64]int{75: 2, 25: 5, 50: 1}}}}}
	if err := gob.NewEncoder(&buf).Encode(old); err != nil {
		t.Fatal(err)
	}
	st, err := decodePublished(&store.ReportSnapshot{Data: buf.Bytes()})
	if err != nil {
		t.Fatalf("a snapshot of before: %v", err)
	}
	p := st.Own[3][dimKey("campaigns")]
	want := hist{{Value: 25, Count: 5}, {Value: 50, Count: 1}, {Value: 75, Count: 2}}
	if p == nil || p.Count != 8 || !slices.Equal(p.scores, want) || p.Hist != nil {
		t.Fatalf("read as %+v, want 8 responses with scores %v", p, want)
	}

	data, err := st.encode() // as publish writes it
	if err != nil {
		t.Fatal(err)
	}
	var stored oldState
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&stored); err != nil {
		t.Fatalf("a snapshot of now, read as before: %v", err)
	}
	if got := stored.Own[3][dimKey("campaigns")].Hist; !maps.Equal(got, old.Own[3][dimKey("campaigns")].Hist) {
		t.Errorf("stored as %v, want %v", got, old.Own[3][dimKey("campaigns")].Hist)
	}
	again, err := decodePublished(&store.ReportSnapshot{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Own[3][dimKey("campaigns")].scores; !slices.Equal(got, want) {
		t.Errorf("read back as %v, want %v", got, want)
	}
}
