package report

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"sort"
	"testing"

	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/stats"
)

// cultureRespondent answers every culture question at one level (so its culture score is that
// level's score, 25·(level−1)), works on none of the three purposes, and answers nothing else
// scored: its overall score is its culture score.
func cultureRespondent(level int) respondent {
	return respondent{"role-type": "non-specialist", "team-work": []string{"none"},
		"cul-open": level, "cul-collaboration": level, "cul-new-approaches": level,
		"cul-now-and-next":          map[string]int{"now": level, "target": 5},
		"skill-writing-for-the-web": "working"}
}

// jsonObject decodes JSON into a generic object, keeping numbers as written.
func jsonObject(t *testing.T, data []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%v in %s", err, data)
	}
	return m
}

func keysOf(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestJSONContract checks the report's JSON against DESIGN.md's contract. The hierarchy: json-dir
// holds team-a (6 responses, headcount 10), team-b (3) and team-c (5). team-b is withheld (3 < 5);
// json-dir 14 − 6 − 5 would give team-b's 3, so the smaller shown sibling, team-c, is withheld too.
func TestJSONContract(t *testing.T) {
	ten := 10
	e := newEnv(t, []hierarchy.Team{
		{Line: 2, Key: "json-dept", Name: "Department"},
		{Line: 3, Key: "json-dir", Name: "Directorate", Parent: "json-dept"},
		{Line: 4, Key: "team-a", Name: "Team A", Parent: "json-dir", Headcount: &ten},
		{Line: 5, Key: "team-b", Name: "Team B", Parent: "json-dir"},
		{Line: 6, Key: "team-c", Name: "Team C", Parent: "json-dir"},
	}, 5)
	// team-a: two at level 2 (25), four at level 3 (50): culture mean 250/6 = 41.666..., which is
	// 41.7 in JSON.
	storeRespondents(t, e, "team-a", []respondent{cultureRespondent(2), cultureRespondent(2),
		cultureRespondent(3), cultureRespondent(3), cultureRespondent(3), cultureRespondent(3)})
	storeRespondents(t, e, "team-b", []respondent{cultureRespondent(1), cultureRespondent(4), cultureRespondent(5)})
	storeRespondents(t, e, "team-c", []respondent{cultureRespondent(1), cultureRespondent(2), cultureRespondent(3),
		cultureRespondent(4), cultureRespondent(5)})
	rep, err := Build(context.Background(), e.st, e.wave, e.def, Request{}, e.now)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatalf("the report does not marshal: %v", err)
	}
	if bytes.Contains(data, []byte("NaN")) {
		t.Errorf("the report's JSON holds NaN: %s", data)
	}
	doc := jsonObject(t, data)
	groups := map[string]map[string]any{}
	for _, g := range doc["groups"].([]any) {
		m := g.(map[string]any)
		groups[m["key"].(string)] = m
	}

	// A withheld group is its place, the flag and the reason, nothing else: no n, rate, headcount or
	// figures. Team B has too few answers; team C is withheld so the directorate less team C does
	// not give team B away.
	for key, reason := range map[string]string{"team-b": ReasonSmall, "team-c": ReasonProtectsAnother} {
		g := groups[key]
		if got, want := keysOf(g), []string{"key", "level", "name", "parent", "reason", "withheld"}; !slices.Equal(got, want) {
			t.Errorf("withheld %s has keys %v, want exactly %v: %v", key, got, want, g)
		}
		if g["withheld"] != true || g["reason"] != reason || g["parent"] != "json-dir" || g["level"] != LevelTeam {
			t.Errorf("withheld %s: %v, want reason %q", key, g, reason)
		}
	}
	// The department has no parent: null, not absent.
	if p, ok := groups["json-dept"]["parent"]; !ok || p != nil {
		t.Errorf("json-dept parent %v (present %v), want null", p, ok)
	}

	// A shown group carries n, headcount, response_rate, overall, dimensions and skills, and is not
	// marked withheld.
	for _, key := range []string{"json-dept", "json-dir", "team-a"} {
		g := groups[key]
		for _, k := range []string{"n", "headcount", "response_rate", "overall", "dimensions", "skills"} {
			if _, ok := g[k]; !ok {
				t.Errorf("shown %s has no %q: keys %v", key, k, keysOf(g))
			}
		}
		if _, ok := g["withheld"]; ok {
			t.Errorf("shown %s carries withheld: %v", key, g["withheld"])
		}
	}
	a := groups["team-a"]
	if a["n"] != json.Number("6") || a["headcount"] != json.Number("10") || a["response_rate"] != json.Number("0.6") {
		t.Errorf("team-a n %v, headcount %v, response_rate %v; want 6, 10, 0.6", a["n"], a["headcount"], a["response_rate"])
	}
	// Headcount unknown: both null, present.
	for _, key := range []string{"json-dept", "json-dir"} {
		if groups[key]["headcount"] != nil || groups[key]["response_rate"] != nil {
			t.Errorf("%s: headcount %v, response_rate %v; want null (unknown)", key, groups[key]["headcount"], groups[key]["response_rate"])
		}
		if groups[key]["n"] != json.Number("14") {
			t.Errorf("%s: n %v, want 14", key, groups[key]["n"])
		}
	}

	// Rounding happens only at the edge: the struct holds 41.666..., the JSON 41.7.
	ga := group(t, rep, "team-a")
	if m := ga.Dimensions["culture"].Mean; math.Abs(m-250.0/6) > 1e-12 {
		t.Errorf("team-a culture mean in the struct %v, want the unrounded 41.666...", m)
	}
	culture := a["dimensions"].(map[string]any)["culture"].(map[string]any)
	if culture["mean"] != json.Number("41.7") {
		t.Errorf("team-a culture mean in JSON %v, want 41.7", culture["mean"])
	}
	// Its figure set has every field of the contract; target 100 (every target is level 5), now
	// 41.666... → 41.7 (every now is the culture answer), gap 100 − 41.666... = 58.333... → 58.3.
	for _, k := range []string{"n", "mean", "median", "sd", "ci95", "stage", "stages", "now", "target", "gap"} {
		if _, ok := culture[k]; !ok {
			t.Errorf("team-a culture has no %q: %v", k, keysOf(culture))
		}
	}
	if culture["target"] != json.Number("100") || culture["now"] != json.Number("41.7") || culture["gap"] != json.Number("58.3") {
		t.Errorf("team-a culture target %v, now %v, gap %v; want 100, 41.7, 58.3", culture["target"], culture["now"], culture["gap"])
	}
	if _, ok := culture["realisation"]; ok {
		t.Error("figures still carry realisation, a ratio that changes with how levels are numbered")
	}
	// SD of 25, 25, 50, 50, 50, 50: squares of deviations from 41.667: 2·277.78 + 4·69.44 =
	// 833.33; /5 = 166.67; SD 12.9099 → 12.9.
	if culture["sd"] != json.Number("12.9") {
		t.Errorf("team-a culture sd %v, want 12.9", culture["sd"])
	}
	// A dimension nobody answered is withheld as small: exactly {"withheld": true, "reason": "small"}.
	camp := a["dimensions"].(map[string]any)["campaigns"].(map[string]any)
	if got := keysOf(camp); !slices.Equal(got, []string{"reason", "withheld"}) || camp["withheld"] != true || camp["reason"] != "small" {
		t.Errorf("team-a campaigns %v, want exactly {\"withheld\": true, \"reason\": \"small\"}", camp)
	}
	// Policy engagement was all "don't know": no scores, so withheld; the overall score is the
	// culture score, and its target comes from culture's pairs only.
	if pe := a["dimensions"].(map[string]any)["policy-engagement"].(map[string]any); pe["withheld"] != true || pe["reason"] != "small" || len(pe) != 2 {
		t.Errorf("team-a policy-engagement %v, want exactly {\"withheld\": true, \"reason\": \"small\"}", pe)
	}
	overall := a["overall"].(map[string]any)
	if overall["mean"] != json.Number("41.7") || overall["target"] != json.Number("100") {
		t.Errorf("team-a overall mean %v, target %v; want 41.7, 100", overall["mean"], overall["target"])
	}
	// Skills: six at working. Coverage 1, depth 0 flagged as a risk, meets expected 1 (everyone is
	// a non-specialist, who needs working).
	wftw := a["skills"].(map[string]any)["writing-for-the-web"].(map[string]any)
	if wftw["coverage"] != json.Number("1") || wftw["depth"] != json.Number("0") || wftw["depth_risk"] != true || wftw["meets_expected"] != json.Number("1") {
		t.Errorf("team-a writing-for-the-web %v", wftw)
	}
}

// TestJSONFiguresWithoutSpread: with one score the SD and the confidence interval are undefined
// (NaN in the struct) and are written as null, never "NaN"; gap fields without aspiration answers
// are null.
func TestJSONFiguresWithoutSpread(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{{Line: 2, Key: "d", Name: "D"}}, 5)
	f := summariseWith(e.def, hist{{Value: 50, Count: 1}}, &stats.TQuantiles{})
	if f.N != 1 || !math.IsNaN(f.SD) || !math.IsNaN(f.CI95[0]) || !math.IsNaN(f.CI95[1]) {
		t.Fatalf("one score: %+v, want n 1 and NaN SD and CI", f)
	}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatalf("figures with NaN do not marshal: %v", err)
	}
	if bytes.Contains(data, []byte("NaN")) {
		t.Errorf("JSON holds NaN: %s", data)
	}
	m := jsonObject(t, data)
	if v, ok := m["sd"]; !ok || v != nil {
		t.Errorf("sd %v (present %v), want null: %s", v, ok, data)
	}
	if ci, ok := m["ci95"].([]any); !ok || len(ci) != 2 || ci[0] != nil || ci[1] != nil {
		t.Errorf("ci95 %v, want [null, null]: %s", m["ci95"], data)
	}
	if m["n"] != json.Number("1") || m["mean"] != json.Number("50") || m["median"] != json.Number("50") || m["stage"] != "developing" {
		t.Errorf("n, mean, median, stage: %s", data)
	}
	for _, k := range []string{"now", "target", "gap"} {
		if v, ok := m[k]; !ok || v != nil {
			t.Errorf("%s %v (present %v), want null without aspiration-reality answers: %s", k, v, ok, data)
		}
	}
}
