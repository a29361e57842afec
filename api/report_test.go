package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"skillsurvey/internal/demo"
	"skillsurvey/internal/store"
)

// addResponses stores n synthetic responses for a team in a wave, through the store.
func (e *testEnv) addResponses(wave, team string, n int) {
	e.t.Helper()
	ctx := context.Background()
	tm, err := e.store.Team(ctx, team)
	if err != nil {
		e.t.Fatal(err)
	}
	g := demo.New(e.def, uint64(len(team)*1000+n))
	var rs []store.NewResponse
	for range n {
		r, err := g.Response(e.waves[wave].ID, tm.ID, 0.5, testDay)
		if err != nil {
			e.t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if err := e.store.SaveResponses(ctx, rs); err != nil {
		e.t.Fatal(err)
	}
}

// reportGroups decodes a JSON report into its groups by key.
func reportGroups(t *testing.T, r result) map[string]map[string]any {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("report: %s", r)
	}
	var rep struct {
		Groups []map[string]any `json:"groups"`
	}
	if err := json.Unmarshal(r.body, &rep); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, g := range rep.Groups {
		out[g["key"].(string)] = g
	}
	return out
}

func TestReportJSON(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.addResponses(waveOpen, "digital-engagement", 6)
	e.addResponses(waveOpen, "campaigns", 3)
	e.addResponses(waveOpen, "policy-unit", 7)

	groups := reportGroups(t, e.get("/api/v1/waves/open/report"))
	// The wave is open: each team's answers join the figures in batches of at least 5, so
	// campaigns' 3 wait, and comms and dept take in only the teams' batches published.
	want := map[string]any{"dept": 13.0, "comms": 6.0, "policy": 7.0, "policy-unit": 7.0, "digital-engagement": 6.0, "campaigns": nil}
	for key, n := range want {
		g, ok := groups[key]
		if !ok {
			t.Errorf("group %s missing", key)
			continue
		}
		if n == nil {
			if g["withheld"] != true || g["n"] != nil || g["overall"] != nil {
				t.Errorf("%s should be withheld with no figures: %v", key, g)
			}
			continue
		}
		if g["n"] != n {
			t.Errorf("%s: n = %v, want %v", key, g["n"], n)
		}
	}
	if _, ok := groups["old-team"]; ok {
		t.Error("a retired team without responses is listed")
	}

	teams := reportGroups(t, e.get("/api/v1/waves/open/report?level=team"))
	for key, g := range teams {
		if g["level"] != "team" {
			t.Errorf("level=team lists %s at level %v", key, g["level"])
		}
	}
}

func TestReportRefusals(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/api/v1/waves/nope/report", 404, "wave_not_found"},
		{"/api/v1/waves/scheduled/report", 409, "wave_not_open"},
		{"/api/v1/waves/open/report?level=unit", 422, "invalid"},
		{"/api/v1/waves/open/report?breakdown=consult", 422, "invalid"},
		{"/api/v1/waves/open/report?breakdown=nope", 422, "invalid"},
		{"/api/v1/waves/open/report?format=pdf", 422, "invalid"},
		{"/api/v1/waves/open/trend", 422, "invalid"},
		{"/api/v1/waves/open/trend?group=nope", 404, "group_not_found"},
		{"/api/v1/waves/nope/trend?group=dept", 404, "wave_not_found"},
	} {
		r := e.get(tc.path)
		if r.status != tc.status || checkError(t, r).Code != tc.code {
			t.Errorf("%s: %s, want %d %s", tc.path, r, tc.status, tc.code)
		}
	}
}

func TestReportDownloads(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.addResponses(waveOpen, "digital-engagement", 6)
	e.addResponses(waveOpen, "campaigns", 6)

	for _, tc := range []struct{ query, accept, media string }{
		{"?format=csv", "", "text/csv"},
		{"", "text/csv", "text/csv"},
		{"?format=xlsx", "", mediaXLSX},
		{"", mediaXLSX, mediaXLSX},
		{"", "application/json", "application/json"},
	} {
		header := http.Header{}
		if tc.accept != "" {
			header.Set("Accept", tc.accept)
		}
		r := e.do(http.MethodGet, "/api/v1/waves/open/report"+tc.query, nil, header)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), tc.media) {
			t.Errorf("%s Accept %q: %d %s", tc.query, tc.accept, r.status, r.header.Get("Content-Type"))
		}
	}

	r := e.get("/api/v1/waves/open/report?format=csv&breakdown=role-type")
	rows, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("CSV: %v, %d rows", err, len(rows))
	}
	if !strings.Contains(r.header.Get("Content-Disposition"), `filename="skillsurvey-open-all.csv"`) {
		t.Errorf("Content-Disposition %q", r.header.Get("Content-Disposition"))
	}

	x := e.get("/api/v1/waves/open/report?format=xlsx&level=team")
	f, err := excelize.OpenReader(bytes.NewReader(x.body))
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	if sheets := strings.Join(f.GetSheetList(), ","); !strings.Contains(sheets, "Teams") {
		t.Errorf("sheets %s", sheets)
	}
}

func TestTrend(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.addResponses(waveClosed, "digital-engagement", 8)
	e.addResponses(waveOpen, "digital-engagement", 9)
	e.mustChange(e.store.CloseWave(context.Background(), waveOpen)) // an open-mode wave's scores come at closing
	r := e.get("/api/v1/waves/open/trend?group=digital-engagement")
	if r.status != http.StatusOK {
		t.Fatalf("trend: %s", r)
	}
	var tr struct {
		Survey string `json:"survey"`
		Group  string `json:"group"`
		Waves  []struct {
			Wave   string                    `json:"wave"`
			N      *int                      `json:"n"`
			Change map[string]map[string]any `json:"change"`
		} `json:"waves"`
	}
	if err := json.Unmarshal(r.body, &tr); err != nil {
		t.Fatal(err)
	}
	// The invite wave also opened before "open" was created? No: waves are in creation order, and
	// only waves created up to this one count; the scheduled one has not opened.
	var keys []string
	for _, w := range tr.Waves {
		keys = append(keys, w.Wave)
	}
	if strings.Join(keys, ",") != "open,closed" && strings.Join(keys, ",") != "closed,open" {
		t.Fatalf("trend waves %v", keys)
	}
	last := tr.Waves[len(tr.Waves)-1]
	first := tr.Waves[0]
	if first.N == nil || last.N == nil {
		t.Fatalf("trend figures withheld: %s", r.body)
	}
	if c, ok := last.Change["overall"]; !ok || c["p"] == nil {
		t.Errorf("no overall change in the later wave: %v", last.Change)
	}
	if len(first.Change) != 0 {
		t.Errorf("the first wave has changes: %v", first.Change)
	}
}

func TestWaveList(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	r := e.get("/api/v1/waves")
	if r.status != http.StatusOK {
		t.Fatalf("waves: %s", r)
	}
	var list struct {
		Waves []struct{ Wave, State, Mode string } `json:"waves"`
	}
	if err := json.Unmarshal(r.body, &list); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, w := range list.Waves {
		got[w.Wave] = w.State + "/" + w.Mode
	}
	want := map[string]string{waveOpen: "open/open", waveScheduled: "scheduled/open", waveClosed: "closed/open", waveInvite: "open/invite"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waves %v, want %v", got, want)
	}
}
