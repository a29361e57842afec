package report

import (
	"context"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/stats"
	"skillsurvey/internal/survey"
)

// tTable975df5 is Student's t quantile for p = 0.975 and 5 degrees of freedom, as printed in any
// t table (the exact value is 2.570582...). The test's tolerance covers the rounding: 0.00005 times
// the standard error (about 9.13 here) is under 0.0005.
const tTable975df5 = 2.5706

// figuresTeam is six respondents whose answers give known scores. Every question used has 5
// levels, so level 1..5 scores 0, 25, 50, 75, 100. Respondents 1-4 are non-specialists, 5-6
// specialists. All their teams work on policy, none with arm's-length bodies or on campaigns, and
// nobody answers careers questions, so those dimensions have no scores.
//
// Culture (4 questions, all answered by all 6: complete responses):
//
//	resp  cul-open  cul-collab  cul-new  cul-now (target)   total  culture score = total/4
//	 1     L2  25    L1   0     L2  25    L1   0 (L3  50)      50    12.5   emerging stage
//	 2     L3  50    L2  25     L3  50    L2  25 (L4  75)     150    37.5   developing
//	 3     L3  50    L2  25     L4  75    L3  50 (L4  75)     200    50     developing
//	 4     L4  75    L3  50     L4  75    L3  50 (L5 100)     250    62.5   embedded
//	 5     L4  75    L2  25     L5 100    L3  50 (L4  75)     250    62.5   embedded
//	 6     L5 100    L3  50     L4  75    L4  75 (L5 100)     300    75     embedded
//	 sum      375       175       400       250    (475)     1200
//	 mean    62.5     29.17     66.67     41.67   (79.17)
//
// Policy engagement (pe-channels, pe-reach, pe-feedback, pe-now-and-next); respondent 5 says
// "don't know" to pe-now-and-next, which is left out, not counted as zero:
//
//	resp  channels  reach  feedback  now (target)   score
//	 1     L2  25   L1  0   L2  25   L1   0 (L3  50)  50/4 = 12.5
//	 2     L3  50   L2 25   L3  50   L2  25 (L3  50) 150/4 = 37.5
//	 3     L4  75   L3 50   L2  25   L3  50 (L4  75) 200/4 = 50
//	 4     L3  50   L4 75   L4  75   L3  50 (L5 100) 250/4 = 62.5
//	 5     L5 100   L5 100  -        don't know      200/2 = 100
//	 6     -        -       L5 100   L5 100 (L5 100) 200/2 = 100
//	 answers  5      5       5        5 (5)
//	 mean  300/5=60 250/5=50 275/5=55 225/5=45 (375/5=75)
//
// Leadership (ldr-credibility, ldr-value), answered to give each respondent the same score as in
// policy engagement:
//
//	resp  credibility  value   score
//	 1     L1   0      L2  25   25/2 = 12.5
//	 2     L2  25      L3  50   75/2 = 37.5
//	 3     L3  50      L3  50  100/2 = 50
//	 4     L3  50      L4  75  125/2 = 62.5
//	 5     L5 100      L5 100  200/2 = 100
//	 6     L5 100      L5 100  200/2 = 100
var figuresTeam = []respondent{
	{"role-type": "non-specialist", "team-work": []string{"policy"},
		"pe-channels": 2, "pe-reach": 1, "pe-feedback": 2, "pe-now-and-next": map[string]int{"now": 1, "target": 3},
		"cul-open": 2, "cul-collaboration": 1, "cul-new-approaches": 2, "cul-now-and-next": map[string]int{"now": 1, "target": 3},
		"ldr-credibility": 1, "ldr-value": 2,
		"skill-writing-for-the-web": "none", "skill-user-research": "none"},
	{"role-type": "non-specialist", "team-work": []string{"policy"},
		"pe-channels": 3, "pe-reach": 2, "pe-feedback": 3, "pe-now-and-next": map[string]int{"now": 2, "target": 3},
		"cul-open": 3, "cul-collaboration": 2, "cul-new-approaches": 3, "cul-now-and-next": map[string]int{"now": 2, "target": 4},
		"ldr-credibility": 2, "ldr-value": 3,
		"skill-writing-for-the-web": "awareness", "skill-user-research": "awareness"},
	{"role-type": "non-specialist", "team-work": []string{"policy"},
		"pe-channels": 4, "pe-reach": 3, "pe-feedback": 2, "pe-now-and-next": map[string]int{"now": 3, "target": 4},
		"cul-open": 3, "cul-collaboration": 2, "cul-new-approaches": 4, "cul-now-and-next": map[string]int{"now": 3, "target": 4},
		"ldr-credibility": 3, "ldr-value": 3,
		"skill-writing-for-the-web": "working", "skill-user-research": "none"},
	{"role-type": "non-specialist", "team-work": []string{"policy"},
		"pe-channels": 3, "pe-reach": 4, "pe-feedback": 4, "pe-now-and-next": map[string]int{"now": 3, "target": 5},
		"cul-open": 4, "cul-collaboration": 3, "cul-new-approaches": 4, "cul-now-and-next": map[string]int{"now": 3, "target": 5},
		"ldr-credibility": 3, "ldr-value": 4,
		"skill-writing-for-the-web": "working", "skill-user-research": "awareness"},
	{"role-type": "specialist", "team-work": []string{"policy"},
		"pe-channels": 5, "pe-reach": 5, "pe-now-and-next": "dont_know",
		"cul-open": 4, "cul-collaboration": 2, "cul-new-approaches": 5, "cul-now-and-next": map[string]int{"now": 3, "target": 4},
		"ldr-credibility": 5, "ldr-value": 5,
		"skill-writing-for-the-web": "working", "skill-user-research": "working"},
	{"role-type": "specialist", "team-work": []string{"policy"},
		"pe-feedback": 5, "pe-now-and-next": map[string]int{"now": 5, "target": 5},
		"cul-open": 5, "cul-collaboration": 3, "cul-new-approaches": 4, "cul-now-and-next": map[string]int{"now": 4, "target": 5},
		"ldr-credibility": 5, "ldr-value": 5,
		"skill-writing-for-the-web": "expert", "skill-user-research": "practitioner"},
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.6f, want %.6f (±%g)", what, got, want, tol)
	}
}

func nearPtr(t *testing.T, what string, got *float64, want, tol float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s is missing, want %.6f", what, want)
		return
	}
	near(t, what, *got, want, tol)
}

// TestFiguresOfATeamOfSix checks a group's statistics against values worked out by hand.
func TestFiguresOfATeamOfSix(t *testing.T) {
	eight := 8
	e := newEnv(t, []hierarchy.Team{
		{Line: 2, Key: "fig-dept", Name: "Department"},
		{Line: 3, Key: "fig-dir", Name: "Directorate", Parent: "fig-dept"},
		{Line: 4, Key: "fig-team", Name: "Team of six", Parent: "fig-dir", Headcount: &eight},
	}, 5)
	storeRespondents(t, e, "fig-team", figuresTeam)
	rep, err := Build(context.Background(), e.st, e.wave, e.def, Request{}, e.now)
	if err != nil {
		t.Fatal(err)
	}
	g := group(t, rep, "fig-team")
	const tol = 1e-9

	// n and response rate: 6 responses of a headcount of 8: 6/8 = 0.75.
	if shownN(g) != 6 {
		t.Fatalf("fig-team n = %d, want 6", shownN(g))
	}
	if g.Headcount == nil || *g.Headcount != 8 || g.ResponseRate == nil {
		t.Fatalf("fig-team headcount %v, response rate %v; want 8 and 0.75", g.Headcount, g.ResponseRate)
	}
	near(t, "response rate", float64(*g.ResponseRate), 0.75, tol)

	// Culture, scores 12.5, 37.5, 50, 62.5, 62.5, 75.
	c := g.Dimensions["culture"]
	if c == nil || c.Withheld || c.N != 6 {
		t.Fatalf("culture: %+v, want 6 responses", c)
	}
	// mean = 300/6 = 50. median: sorted, the 3rd and 4th are 50 and 62.5: (50 + 62.5)/2 = 56.25.
	near(t, "culture mean", c.Mean, 50, tol)
	near(t, "culture median", c.Median, 56.25, tol)
	// SD (n−1): deviations −37.5, −12.5, 0, 12.5, 12.5, 25; squares 1406.25 + 156.25 + 0 + 156.25
	// + 156.25 + 625 = 2500; variance 2500/5 = 500; SD = √500 = 22.360680.
	near(t, "culture SD", c.SD, 22.360680, 1e-6)
	// 95% CI: 50 ± t(0.975, 5) · SD/√6 = 50 ± 2.5706 · 22.360680/2.449490 = 50 ± 2.5706 · 9.128709
	// = 50 ± 23.466260: [26.533740, 73.466260].
	half := tTable975df5 * 22.360680 / 2.449490
	near(t, "culture CI low", c.CI95[0], 50-half, 1e-3)
	near(t, "culture CI high", c.CI95[1], 50+half, 1e-3)
	// Stage of the mean: 50 is in developing (37.5 to 62.5). Respondents per stage (stages start at
	// 0, 12.5, 37.5, 62.5, 87.5): 12.5 emerging, 37.5 and 50 developing, 62.5, 62.5 and 75 embedded,
	// none aspiration or reality.
	if c.Stage != "developing" {
		t.Errorf("culture stage %q, want developing", c.Stage)
	}
	wantStages := map[string]int{"aspiration": 0, "emerging": 1, "developing": 2, "embedded": 3, "reality": 0}
	for k, v := range wantStages {
		if c.Stages[k] != v {
			t.Errorf("culture stages %v, want %v", c.Stages, wantStages)
			break
		}
	}
	// Now, target and gap from cul-now-and-next only: mean target 475/6 = 79.166667, mean now
	// 250/6 = 41.666667; gap = 225/6 = 37.5. (The dimension's mean, 50, the maturity score, must not
	// be used as now: 79.17 − 50 would give 29.17.)
	nearPtr(t, "culture target", c.Target, 475.0/6, tol)
	nearPtr(t, "culture now", c.Now, 250.0/6, tol)
	nearPtr(t, "culture gap", c.Gap, 37.5, tol)
	// Pulling down: question means 62.5 (open), 29.17 (collaboration), 66.67 (new approaches),
	// 41.67 (now); below the mean of 50 are collaboration and now, lowest first.
	if len(c.PullingDown) != 2 || c.PullingDown[0].Question != "cul-collaboration" || c.PullingDown[1].Question != "cul-now-and-next" {
		t.Errorf("culture pulling down %+v, want cul-collaboration then cul-now-and-next", c.PullingDown)
	} else {
		near(t, "cul-collaboration mean", c.PullingDown[0].Mean, 175.0/6, tol)
		near(t, "cul-now-and-next mean", c.PullingDown[1].Mean, 250.0/6, tol)
	}
	// Cronbach's alpha over the 6 complete responses, k = 4 items (variances with n−1):
	//   open:          25 50 50 75 75 100, mean 62.5: squares of deviations 1406.25·2 + 156.25·4
	//                  = 3437.5; var 687.5
	//   collaboration: 0 25 25 50 25 50: Σx = 175, Σx² = 6875; SS = 6875 − 175²/6 = 1770.8333;
	//                  var 354.1667
	//   new:           25 50 75 75 100 75: Σx = 400, Σx² = 30000; SS = 30000 − 400²/6 = 3333.3333;
	//                  var 666.6667
	//   now:           0 25 50 50 50 75: Σx = 250, Σx² = 13750; SS = 13750 − 250²/6 = 3333.3333;
	//                  var 666.6667
	//   Σ item variances = 687.5 + 354.1667 + 666.6667 + 666.6667 = 2375
	//   totals 50 150 200 250 250 300, mean 200: squares 22500 + 2500 + 0 + 2500 + 2500 + 10000 =
	//   40000; var 8000
	//   alpha = 4/3 · (1 − 2375/8000) = 4/3 · 0.703125 = 0.9375
	nearPtr(t, "culture alpha", c.Alpha, 0.9375, 1e-9)

	// Policy engagement: scores 12.5, 37.5, 50, 62.5, 100, 100; mean 362.5/6 = 60.416667.
	pe := g.Dimensions["policy-engagement"]
	if pe == nil || pe.Withheld || pe.N != 6 {
		t.Fatalf("policy-engagement: %+v", pe)
	}
	near(t, "policy-engagement mean", pe.Mean, 362.5/6, tol)
	// All four question means (channels 60, reach 50, feedback 55, now 45; each from 5 answers, so
	// each may be shown) are below 60.42, as respondents 5 and 6 answered only two questions each,
	// both high. At most 3 are named, lowest first: now 45, reach 50, feedback 55; channels (60)
	// is the fourth and is left out.
	wantPD := []QuestionMean{{Question: "pe-now-and-next", Mean: 45}, {Question: "pe-reach", Mean: 50}, {Question: "pe-feedback", Mean: 55}}
	if len(pe.PullingDown) != len(wantPD) {
		t.Errorf("policy-engagement pulling down %+v, want %v", pe.PullingDown, wantPD)
	} else {
		for i, w := range wantPD {
			if pe.PullingDown[i].Question != w.Question {
				t.Errorf("policy-engagement pulling down %+v, want %v", pe.PullingDown, wantPD)
				break
			}
			near(t, w.Question+" mean", pe.PullingDown[i].Mean, w.Mean, tol)
		}
	}
	// Gap from pe-now-and-next's 5 answers (the "don't know" is left out): target 375/5 = 75, now
	// 225/5 = 45; gap 30.
	nearPtr(t, "policy-engagement target", pe.Target, 75, tol)
	nearPtr(t, "policy-engagement now", pe.Now, 45, tol)
	nearPtr(t, "policy-engagement gap", pe.Gap, 30, tol)
	// Alpha rests on complete responses only: 1-4, four of them, below the threshold of 5, so no
	// alpha is shown.
	if pe.Alpha != nil {
		t.Errorf("policy-engagement alpha %v over 4 complete responses, want none (below 5)", *pe.Alpha)
	}

	// Overall: the weighted mean (weights 1) of each response's scores in the dimensions that count
	// in overall. Policy engagement is asked only of teams that work on policy, so it is reported
	// beside overall, not in it; skills has one answer (writing for the web) of the two it needs,
	// careers none; so overall = (culture + leadership)/2:
	//   (12.5+12.5)/2 = 12.5, (37.5+37.5)/2 = 37.5, (50+50)/2 = 50, (62.5+62.5)/2 = 62.5,
	//   (62.5+100)/2 = 81.25, (75+100)/2 = 87.5; mean 331.25/6 = 55.208333; median (50+62.5)/2 =
	//   56.25; stage developing.
	o := g.Overall
	if o == nil || o.Withheld || o.N != 6 {
		t.Fatalf("overall: %+v", o)
	}
	near(t, "overall mean", o.Mean, 331.25/6, tol)
	near(t, "overall median", o.Median, 56.25, tol)
	if o.Stage != "developing" {
		t.Errorf("overall stage %q, want developing", o.Stage)
	}
	// The overall gap: each response's aspiration and reality are the means of the "should be" and
	// "now" of its dimensions in overall that have them: culture's alone here (leadership has no
	// aspiration-reality pair, and policy engagement's pair is beside overall, so its gap of 30 must
	// not be averaged in). Target 475/6 = 79.166667, now 250/6 = 41.666667, gap 37.5, as for culture.
	nearPtr(t, "overall target", o.Target, 475.0/6, tol)
	nearPtr(t, "overall now", o.Now, 250.0/6, tol)
	nearPtr(t, "overall gap", o.Gap, 37.5, tol)
	if ldr := g.Dimensions["leadership"]; ldr == nil || ldr.Withheld || ldr.N != 6 {
		t.Errorf("leadership: %+v, want 6 responses", ldr)
	} else {
		near(t, "leadership mean", ldr.Mean, 362.5/6, tol)
	}
	for _, dim := range []string{"arms-length-bodies", "campaigns", "skills", "careers"} {
		if f := g.Dimensions[dim]; f == nil || !f.Withheld {
			t.Errorf("%s: %+v, want withheld (no scores)", dim, f)
		}
	}

	// Skills. Writing for the web: none, awareness, working, working (non-specialists), working,
	// expert (specialists). Shares: none 1/6, awareness 1/6, working 3/6, practitioner 0, expert
	// 1/6. Coverage (working or above) 4/6. Depth (practitioner or above) 1: the expert alone.
	// Meets expected (non-specialists need working, specialists practitioner): respondents 3 and
	// 4 of the non-specialists, 6 of the specialists (5 is only working): 3/6 = 0.5.
	wftw := g.Skills["writing-for-the-web"]
	if wftw == nil || wftw.Withheld || wftw.N != 6 {
		t.Fatalf("writing-for-the-web: %+v", wftw)
	}
	for lvl, share := range map[string]float64{"none": 1.0 / 6, "awareness": 1.0 / 6, "working": 3.0 / 6, "practitioner": 0, "expert": 1.0 / 6} {
		near(t, "writing-for-the-web share at "+lvl, wftw.Levels[lvl], share, tol)
	}
	near(t, "writing-for-the-web coverage", wftw.Coverage, 4.0/6, tol)
	if wftw.Depth != 1 {
		t.Errorf("writing-for-the-web depth %d, want 1", wftw.Depth)
	}
	nearPtr(t, "writing-for-the-web meets expected", wftw.MeetsExpected, 0.5, tol)
	// User research: none, awareness, none, awareness (non-specialists), working, practitioner
	// (specialists). Coverage: working and practitioner, 2/6. Depth 1 (the practitioner). Meets
	// expected (non-specialists need awareness, specialists working): 2 and 4, then 5 and 6: 4/6,
	// higher than coverage, as non-specialists need less.
	ur := g.Skills["user-research"]
	if ur == nil || ur.Withheld || ur.N != 6 {
		t.Fatalf("user-research: %+v", ur)
	}
	near(t, "user-research coverage", ur.Coverage, 2.0/6, tol)
	if ur.Depth != 1 {
		t.Errorf("user-research depth %d, want 1", ur.Depth)
	}
	nearPtr(t, "user-research meets expected", ur.MeetsExpected, 4.0/6, tol)
	// Nobody answered social media: no figures.
	if s := g.Skills["social-media"]; s == nil || !s.Withheld {
		t.Errorf("social-media: %+v, want withheld (no answers)", s)
	}

	// Roll-ups use every response in the subtree: the directorate and department, whose only team
	// this is, have the same figures; the department's headcount is unknown, so no response rate.
	for _, key := range []string{"fig-dir", "fig-dept"} {
		up := group(t, rep, key)
		if shownN(up) != 6 || up.Dimensions["culture"] == nil || up.Dimensions["culture"].N != 6 {
			t.Errorf("%s: n %d, culture %+v; want the team's 6", key, shownN(up), up.Dimensions["culture"])
			continue
		}
		near(t, key+" culture mean", up.Dimensions["culture"].Mean, 50, tol)
		if up.ResponseRate != nil {
			t.Errorf("%s: response rate %v without a headcount", key, *up.ResponseRate)
		}
	}
}

// TestNextStep: a dimension's next step is its guidance for the group's stage and, for each question
// pulling it down, the wording of the level above the group's mean. Worked by hand on small.yaml:
// consult has 4 levels (Rarely, Sometimes, Often, Always) scoring 0, 33.3, 66.7, 100; a mean of 40
// sits between Sometimes and Often, so Often is next; now-and-next has 5 levels and a mean of 75 sits
// at Usual, so Normal is next.
func TestNextStep(t *testing.T) {
	src, err := os.ReadFile("../survey/testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(src), "{key: engagement, title: Engagement, weight: 2, min_answers: 2}",
		`{key: engagement, title: Engagement, weight: 2, min_answers: 2, guidance: {developing: {text: Plan it in, links: [{title: Manual, url: "https://www.gov.uk/service-manual"}]}}}`, 1)
	def, err := survey.Parse("small.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	pulling := []QuestionMean{{Question: "consult", Mean: 40}, {Question: "now-and-next", Mean: 75}}
	next := nextStep(def, "engagement", "developing", pulling)
	want := &Next{Text: "Plan it in", Links: []survey.Link{{Title: "Manual", URL: "https://www.gov.uk/service-manual"}},
		Questions: []NextQuestion{
			{Question: "consult", Text: "How does your team involve people online?", NextLevel: "Often"},
			{Question: "now-and-next", Text: "Where is your team now, and where should it be?", NextLevel: "Normal"},
		}}
	if !reflect.DeepEqual(next, want) {
		t.Errorf("next = %+v, want %+v", next, want)
	}
	if got := nextStep(def, "engagement", "reality", nil); got != nil {
		t.Errorf("no guidance for the stage and nothing pulling down: %+v, want none", got)
	}
	if got := nextStep(def, "engagement", "reality", []QuestionMean{{Question: "consult", Mean: 100}}); got != nil {
		t.Errorf("a question at its top level has no next level: %+v", got)
	}
}

// TestStageCountsOfHistograms: summariseWith counts each score in its stage, walking the scores in
// order; the counts equal StageFor's, score by score, over random histograms that put scores on
// and around every stage's start.
func TestStageCountsOfHistograms(t *testing.T) {
	def, err := survey.Load(shippedDefinition)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 12))
	var tq stats.TQuantiles
	edges := []float64{0, 12.5, 37.5, 62.5, 87.5, 100}
	for range 500 {
		h := map[float64]int{}
		for range 1 + r.IntN(30) {
			v := r.Float64() * 100
			if r.IntN(3) == 0 { // on or just around a stage's start
				v = edges[r.IntN(len(edges))] + []float64{-1e-10, 0, 1e-10, -0.01}[r.IntN(4)]
				v = math.Max(0, math.Min(100, v))
			}
			h[v] += 1 + r.IntN(4)
		}
		want := map[string]int{}
		for _, st := range def.Scale.Stages {
			want[st.Key] = 0
		}
		for v, c := range h {
			want[def.StageFor(v).Key] += c
		}
		if got := summariseWith(def, histOf(h), &tq).Stages; !maps.Equal(got, want) {
			t.Fatalf("stages of %v: %v, want %v", h, got, want)
		}
	}
}
