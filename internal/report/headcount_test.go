package report

import (
	"context"
	"encoding/json"
	"testing"

	"skillsurvey/internal/hierarchy"
)

// TestHeadcountOutdated: team-x (a directorate here, under the department) has 6 responses and an imported headcount of 4, so its headcount is
// older than its answers; it gets no response rate (never 150%) and is flagged, in JSON, CSV and
// XLSX alike. team-y, 5 of 20, keeps its rate of 0.25.
func TestHeadcountOutdated(t *testing.T) {
	four, twenty := 4, 20
	e := newEnv(t, []hierarchy.Team{
		{Line: 2, Key: "hc-dept", Name: "Department"},
		{Line: 3, Key: "team-x", Name: "Team X", Parent: "hc-dept", Headcount: &four},
		{Line: 4, Key: "team-y", Name: "Team Y", Parent: "hc-dept", Headcount: &twenty},
	}, 5)
	e.add("team-x", 6)
	e.add("team-y", 5)
	rep, err := Build(context.Background(), e.st, e.wave, e.def, Request{}, e.now)
	if err != nil {
		t.Fatal(err)
	}
	x, y := group(t, rep, "team-x"), group(t, rep, "team-y")
	if shownN(x) != 6 || !x.HeadcountOutdated || x.ResponseRate != nil || x.Headcount == nil || *x.Headcount != 4 {
		t.Errorf("team-x: n %d, outdated %v, rate %v, headcount %v; want 6, true, none, 4", shownN(x), x.HeadcountOutdated, x.ResponseRate, x.Headcount)
	}
	if y.HeadcountOutdated || y.ResponseRate == nil || float64(*y.ResponseRate) != 0.25 {
		t.Errorf("team-y: outdated %v, rate %v; want false, 0.25", y.HeadcountOutdated, y.ResponseRate)
	}

	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]map[string]any{}
	for _, g := range jsonObject(t, data)["groups"].([]any) {
		m := g.(map[string]any)
		groups[m["key"].(string)] = m
	}
	for key, want := range map[string]bool{"team-x": true, "team-y": false, "hc-dept": false} {
		g := groups[key]
		if got, ok := g["headcount_outdated"]; !ok || got != want {
			t.Errorf("%s: headcount_outdated %v (present %v), want %v", key, got, ok, want)
		}
	}
	if rate, ok := groups["team-x"]["response_rate"]; !ok || rate != nil {
		t.Errorf("team-x: response_rate %v (present %v), want null", rate, ok)
	}

	_, rows := csvRows(t, rep)
	if r := findRow(t, rows, "team-x||overall"); r["response_rate"] != "" || r["headcount_outdated"] != "true" || r["headcount"] != "4" {
		t.Errorf("CSV team-x: response_rate %q, headcount_outdated %q, headcount %q; want empty, true, 4",
			r["response_rate"], r["headcount_outdated"], r["headcount"])
	}
	if r := findRow(t, rows, "team-y||overall"); r["response_rate"] != "0.250" || r["headcount_outdated"] != "false" {
		t.Errorf("CSV team-y: response_rate %q, headcount_outdated %q; want 0.250, false", r["response_rate"], r["headcount_outdated"])
	}

	// Without a breakdown the sheet's columns are Group, Name, Parent, Responses, Headcount, Response rate.
	f := openXLSX(t, rep)
	sheetRows, err := f.GetRows("Directorates")
	if err != nil {
		t.Fatal(err)
	}
	rowOf := map[string]int{}
	for i, r := range sheetRows {
		if len(r) > 0 {
			rowOf[r[0]] = i + 1
		}
	}
	wantText(t, f, "Directorates", 6, rowOf["team-x"], headcountOutdatedText)
	wantNumber(t, f, "Directorates", 6, rowOf["team-y"], 0.25, "25.0%")
}
