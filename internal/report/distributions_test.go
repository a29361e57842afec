package report

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"skillsurvey/internal/demo"
	"skillsurvey/internal/hierarchy"
)

// channelsRespondent answers culture at level 3, the channels given and, for a specialist, the
// hours of learning given (a negative number: none).
func channelsRespondent(role string, hours float64, channels ...string) respondent {
	r := cultureRespondent(3)
	r["role-type"] = role
	if len(channels) > 0 {
		r["channels"] = channels
	}
	if hours >= 0 {
		r["cr-learning-hours"] = hours
	}
	return r
}

// TestDistributionsWorkedByHand: with a threshold of 3, a department of two teams.
//
//	team A, 5 answers: email 3 (not 2), blogs 5 (not 0), video 1 (not 4)
//	team B, 4 answers: email 4 (not 0), blogs 2 (not 2), video 0 (not 4)
//	department (A + B), 9 answers: email 7 (not 2), blogs 7 (not 2), video 1 (not 8)
//
// An option is shown only where both who chose it and who did not number 0 or at least 3, since
// the group's answers less one gives the other: A's email (not 2) and video (1), B's blogs (2 and
// 2), the department's email and blogs (not 2) and video (1) are withheld, and every option nobody
// chose (0 is below the threshold too: shown, it would change with the first answer); A's blogs
// (5 of 5) and B's email (4 of 4) are shown. B's six specialists answer learning hours 10, 20, 30,
// 60, 60 and 60; in bins (0 to 200 in four, from 0, 50, 100 and 150): 3, 3, 0, 0, the first two
// shown. Team C's five: 10, 60, 60, 60 and 170, so 1, 3, 0, 1: the 1s are small, and the bin of 3
// is withheld too, since C's 5 answers less those 3 would leave the 2 who answered below 50 or
// above 150.
// channelsQuestion is a multi_choice question answered by some and not others, added to the shipped
// definition's first section for these tests (the shipped survey asks it no more, to keep within 12
// minutes; its team-work question is a multi_choice everyone answers).
const channelsQuestion = `      - key: channels
        type: multi_choice
        text: Which digital channels has your team used in the last 6 months?
        options:
          - {key: blogs, label: Blogs}
          - {key: email, label: Email bulletins}
          - {key: video, label: Video}
          - {key: none, label: None of these, exclusive: true}
`

// withChannels is the shipped definition with channelsQuestion after role-type's options.
func withChannels(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile(shippedDefinition)
	if err != nil {
		t.Fatal(err)
	}
	at := strings.Index(string(src), "      - key: grade-band\n")
	if at < 0 {
		t.Fatal("the shipped definition has no grade-band question to put channels before")
	}
	return []byte(string(src[:at]) + channelsQuestion + string(src[at:]))
}

func TestDistributionsWorkedByHand(t *testing.T) {
	e := newEnvFrom(t, withChannels(t), []hierarchy.Team{
		{Line: 2, Key: "dist-dept", Name: "Department"},
		{Line: 3, Key: "team-a", Name: "Team A", Parent: "dist-dept"},
		{Line: 4, Key: "team-b", Name: "Team B", Parent: "dist-dept"},
		{Line: 5, Key: "team-c", Name: "Team C", Parent: "dist-dept"},
	}, 3)
	storeRespondents(t, e, "team-a", []respondent{
		channelsRespondent("non-specialist", -1, "email", "blogs"),
		channelsRespondent("non-specialist", -1, "email", "blogs"),
		channelsRespondent("non-specialist", -1, "email", "blogs", "video"),
		channelsRespondent("non-specialist", -1, "blogs"),
		channelsRespondent("non-specialist", -1, "blogs"),
	})
	storeRespondents(t, e, "team-b", []respondent{
		channelsRespondent("specialist", 10, "email", "blogs"),
		channelsRespondent("specialist", 20, "email", "blogs"),
		channelsRespondent("specialist", 30, "email"),
		channelsRespondent("specialist", 60, "email"),
		channelsRespondent("specialist", 60),
		channelsRespondent("specialist", 60),
	})
	storeRespondents(t, e, "team-c", []respondent{
		channelsRespondent("specialist", 10), channelsRespondent("specialist", 60), channelsRespondent("specialist", 60),
		channelsRespondent("specialist", 60), channelsRespondent("specialist", 170),
	})
	rep, err := Build(context.Background(), e.st, e.wave, e.def, Request{}, e.now)
	if err != nil {
		t.Fatal(err)
	}
	type want struct{ n, of int } // n -1: withheld
	check := func(groupKey string, answered int, options map[string]want) {
		t.Helper()
		d := group(t, rep, groupKey).Distributions["channels"]
		if d == nil || d.Withheld || d.N != answered {
			t.Fatalf("%s channels: %+v; want %d answers shown", groupKey, d, answered)
		}
		for _, o := range d.Options {
			w, ok := options[o.Key]
			if !ok {
				w = want{-1, answered} // chosen by nobody: withheld
			}
			switch {
			case w.n < 0 && !o.Withheld:
				t.Errorf("%s %s: %d shown; want withheld", groupKey, o.Key, o.N)
			case w.n >= 0 && (o.Withheld || o.N != w.n):
				t.Errorf("%s %s: %+v; want %d shown", groupKey, o.Key, o, w.n)
			case w.n > 0:
				near(t, groupKey+" "+o.Key+" share", o.Share, float64(w.n)/float64(w.of), 1e-12)
			}
		}
	}
	check("team-a", 5, map[string]want{"email": {-1, 5}, "blogs": {5, 5}, "video": {-1, 5}})
	check("team-b", 4, map[string]want{"email": {4, 4}, "blogs": {-1, 4}})
	check("dist-dept", 9, map[string]want{"email": {-1, 9}, "blogs": {-1, 9}, "video": {-1, 9}})

	bins := func(groupKey string, answered int, want []int) {
		t.Helper()
		hours := group(t, rep, groupKey).Distributions["cr-learning-hours"]
		if hours == nil || hours.Withheld || hours.N != answered || len(hours.Bins) != 4 {
			t.Fatalf("%s's learning hours: %+v; want %d answers in 4 bins", groupKey, hours, answered)
		}
		for i, from := range []float64{0, 50, 100, 150} {
			b := hours.Bins[i]
			if *b.From != from || b.Withheld != (want[i] < 0) || want[i] >= 0 && b.N != want[i] {
				t.Errorf("%s bin %d: %+v; want from %g, %d (-1: withheld)", groupKey, i, b, from, want[i])
			}
		}
		if last := hours.Bins[3]; last.To == nil || *last.To != 200 {
			t.Errorf("last bin ends at %v; want max, 200", last.To)
		}
	}
	bins("team-b", 6, []int{3, 3, -1, -1})
	bins("team-c", 5, []int{-1, -1, -1, -1})
	// Nobody in team A was asked about learning hours: too few answers.
	if d := group(t, rep, "team-a").Distributions["cr-learning-hours"]; d == nil || !d.Withheld || d.Reason != ReasonSmall {
		t.Errorf("team A's learning hours: %+v; want withheld, small", d)
	}

	// JSON: options by key, bins by range; a withheld one says only why.
	data, err := json.Marshal(group(t, rep, "team-b").Distributions)
	if err != nil {
		t.Fatal(err)
	}
	doc := jsonObject(t, data)
	h := doc["cr-learning-hours"].(map[string]any)
	if fmt.Sprint(h["bins"]) != "[map[from:0 n:3 share:0.5 to:50] map[from:50 n:3 share:0.5 to:100] "+
		"map[from:100 reason:small to:150 withheld:true] map[from:150 reason:small to:200 withheld:true]]" {
		t.Errorf("learning hours in JSON: %v", h)
	}
	data, err = json.Marshal(group(t, rep, "team-c").Distributions["cr-learning-hours"])
	if err != nil {
		t.Fatal(err)
	}
	if got := string(data); got != `{"n":5,"bins":[{"from":0,"to":50,"withheld":true,"reason":"small"},`+
		`{"from":50,"to":100,"withheld":true,"reason":"protects another"},{"from":100,"to":150,"withheld":true,"reason":"small"},`+
		`{"from":150,"to":200,"withheld":true,"reason":"small"}]}` {
		t.Errorf("team C's learning hours in JSON: %s", got)
	}
	c := doc["channels"].(map[string]any)
	if fmt.Sprint(c["n"], " ", c["options"].([]any)[0], " ", c["options"].([]any)[1]) != "4 map[key:blogs reason:small withheld:true] map[key:email n:4 share:1]" {
		t.Errorf("channels in JSON: %v", c)
	}
}

// TestNoDistributionFigureBelowThreshold is the attack on distributions over random hierarchies:
// no option's choosers or non-choosers and no bin below k is shown, nor can one be worked out as
// a shown group's answers less its shown counts, or a shown count less its children's; and all
// options of a question show the same groups' answers.
func TestNoDistributionFigureBelowThreshold(t *testing.T) {
	rounds := 10
	if testing.Short() {
		rounds = 3
	}
	for round := range rounds {
		t.Run(fmt.Sprint("wave ", round), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(round), 11))
			k := 3 + rng.IntN(3)
			teams, leaves := randomDepartment(rng, false)
			e := newEnv(t, teams, k)
			e.gen = demo.New(e.def, uint64(round)+200)
			for _, key := range leaves {
				if n := rng.IntN(14) - 2; n > 0 {
					e.add(key, n)
				}
			}
			checkDistributionsAgainstThreshold(t, e)
		})
	}
}

func checkDistributionsAgainstThreshold(t *testing.T, e *env) {
	t.Helper()
	tr, options, err := current(context.Background(), e.st, e.wave, e.def, Request{}, false)
	if err != nil {
		t.Fatal(err)
	}
	tr.rollUp(tr.own)
	tr.addOthers()
	b := suppressed(e.def, tr, e.wave, Request{}, options, false)
	k := e.wave.Threshold
	small := func(n int) bool { return n > 0 && n < k }
	var shownCounts int
	for _, q := range distributionQuestions(e.def) {
		// Each family: its cells' counts per node.
		families := map[string]func(i int) []int{}
		if len(q.Options) > 0 {
			for _, o := range q.Options {
				families[choiceFamily(q.Key, o.Key)] = func(i int) []int {
					n := tr.nodes[i]
					return []int{n.count(valueKey(q.Key, o.Key)), n.count(answeredKey(q.Key)) - n.count(valueKey(q.Key, o.Key))}
				}
			}
		} else {
			families[binsFamily(q.Key)] = func(i int) []int {
				var counts []int
				for bin := range q.BinEdges() {
					counts = append(counts, tr.nodes[i].count(valueKey(q.Key, strconv.Itoa(bin))))
				}
				return counts
			}
		}
		var nodes []bool
		for family, cells := range families {
			s := b.shown[family]
			if nodes == nil {
				nodes = s.Node
			} else if !equalBools(nodes, s.Node) {
				t.Errorf("%s: the options of %s show different groups' answers", family, q.Key)
			}
			for i, n := range tr.nodes {
				total := n.count(answeredKey(q.Key))
				if s.Node[i] && (total < k || !b.groups.Node[i]) {
					t.Errorf("%s: %s's %d answers shown", family, n.team.Key, total)
				}
				var shown int
				for c, count := range cells(i) {
					if !s.Cell[i][c] {
						continue
					}
					shownCounts++
					if count < k {
						t.Errorf("%s: %s cell %d shown with %d answers", family, n.team.Key, c, count)
					}
					shown += count
					rest := count
					for j, child := range tr.nodes {
						if child.parent == i && s.Cell[j][c] {
							rest -= cells(j)[c]
						}
					}
					if small(rest) {
						t.Errorf("%s: %s cell %d less its children's leaves %d", family, n.team.Key, c, rest)
					}
				}
				if s.Node[i] && small(total-shown) {
					t.Errorf("%s: %s's %d answers less its shown cells leave %d", family, n.team.Key, total, total-shown)
				}
			}
		}
	}
	if shownCounts == 0 {
		t.Log("no distribution count shown in this wave")
	}
}

// TestDistributionsAfterClosing: while a wave is open, distributions are not published (a
// group's figures take in answers in batches, and the share who chose an option would split a
// batch); once it closes, a group whose final figures are shown shows them.
func TestDistributionsAfterClosing(t *testing.T) {
	e := newEnvFrom(t, withChannels(t), []hierarchy.Team{team(2, "dept", ""), team(3, "a", "dept")}, 3)
	svc := NewService(e.st, e.st, e.clock)
	channels := func() *Distribution {
		t.Helper()
		rep, err := svc.Report(context.Background(), e.wave, e.def, Request{})
		if err != nil {
			t.Fatal(err)
		}
		return group(t, rep, "a").Distributions["channels"]
	}
	var six []respondent
	for range 6 {
		six = append(six, channelsRespondent("non-specialist", -1, "email"))
	}
	storeRespondents(t, e, "a", six)
	if d := channels(); d == nil || !d.Withheld || d.Reason != ReasonWaiting || d.N != 0 || d.Options != nil {
		t.Fatalf("open wave: a's channels %+v, want withheld, waiting for more answers", d)
	}
	storeRespondents(t, e, "a", []respondent{channelsRespondent("non-specialist", -1, "email", "blogs"),
		channelsRespondent("non-specialist", -1, "email", "blogs"), channelsRespondent("non-specialist", -1, "email", "blogs")})
	if d := channels(); d == nil || !d.Withheld {
		t.Fatalf("open wave, 3 more: a's channels %+v, want withheld", d)
	}
	if _, err := e.st.CloseWave(context.Background(), "w"); err != nil {
		t.Fatal(err)
	}
	e.reload()
	d := channels()
	if d == nil || d.Withheld {
		t.Fatalf("closed wave: a's channels %+v, want shown", d)
	}
	count := map[string]int{}
	for _, o := range d.Options {
		count[o.Key] = o.N
	}
	if d.N != 9 || count["email"] != 9 || count["blogs"] != 3 {
		t.Errorf("closed wave: %d answers, email %d, blogs %d; want 9, 9, 3", d.N, count["email"], count["blogs"])
	}
}
