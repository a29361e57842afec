package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"skillsurvey/internal/access"
	"skillsurvey/internal/report"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// feedColumns are the results feed's columns as docs/hr-feed.md documents them, in order: tools
// read them by name and position, so a change here is a change of contract.
var feedColumns = []string{"wave", "wave_title", "opened_on", "closed_on", "wave_state", "answers_verified",
	"scoring_rules", "definition_version", "group", "group_name", "level", "parent", "measure", "measure_title",
	"withheld", "withheld_reason", "n", "n_measure", "mean", "median", "sd", "ci95_low", "ci95_high", "stage",
	"now", "target", "gap", "headcount", "response_rate", "headcount_outdated"}

// feedNumbers are the columns a withheld row leaves empty: every one from n on.
var feedNumbers = feedColumns[slices.Index(feedColumns, "n"):]

// feedTeamsCSV is the environment's hierarchy imported again with names a spreadsheet would run as
// formulas, and a headcount of 3 for campaigns, which six will answer for in the later wave.
const feedTeamsCSV = "key,name,parent,headcount\n" +
	"dept,Department,,300\n" +
	"comms,@SUM(A1),dept,\n" +
	"policy,Policy directorate,dept,\n" +
	"digital-engagement,\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",comms,40\n" +
	"campaigns,+cmd,comms,3\n" +
	"policy-unit,-2+3,policy,\n"

// The waves of the survey the feed lists, oldest first: closed opened three days ago, open and
// invite two days ago (in the order they were created), later today. The scheduled one is left out.
var feedWaves = []string{waveClosed, waveOpen, waveInvite, "later"}

// newFeedEnv is the test environment with answers in every wave of its survey, and a later wave
// opened today under a hierarchy of hostile names and an outdated headcount.
func newFeedEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t)
	ctx := context.Background()
	if r := e.do(http.MethodPut, "/api/v1/teams", strings.NewReader(feedTeamsCSV), http.Header{"Content-Type": {"text/csv"}}); r.status != http.StatusOK {
		t.Fatalf("import teams: %s", r)
	}
	if _, err := e.store.CreateWave(ctx, e.def, store.NewWave{Key: "later", Title: "Autumn 2026", Mode: store.ModeInvite, Threshold: 5}); err != nil {
		t.Fatal(err)
	}
	e.mustChange(e.store.OpenWave(ctx, "later"))
	w, err := e.store.Wave(ctx, "later")
	if err != nil {
		t.Fatal(err)
	}
	e.waves["later"] = w
	for _, a := range []struct {
		wave, team string
		n          int
	}{
		// The closed wave: policy-unit's 2 are withheld, and with them what would give them away.
		{waveClosed, "digital-engagement", 6}, {waveClosed, "campaigns", 6}, {waveClosed, "policy-unit", 2},
		// The open-mode wave, open: counts only.
		{waveOpen, "digital-engagement", 6},
		{waveInvite, "campaigns", 5},
		{"later", "digital-engagement", 7}, {"later", "campaigns", 6}, {"later", "policy-unit", 5},
	} {
		e.addResponses(a.wave, a.team, a.n)
	}
	return e
}

// readFeedCSV reads a CSV feed as a spreadsheet would: the UTF-8 byte-order mark checked and taken
// off, then RFC 4180 (CRLF line ends, quoted fields, every record as wide as the header).
func readFeedCSV(t *testing.T, r result) []map[string]string {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("feed: %s", r)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="skillsurvey-small-results.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	body, ok := bytes.CutPrefix(r.body, []byte{0xEF, 0xBB, 0xBF})
	if !ok {
		t.Fatalf("the CSV does not start with the UTF-8 byte-order mark: % x", r.body[:min(len(r.body), 4)])
	}
	if bytes.Count(body, []byte("\n")) != bytes.Count(body, []byte("\r\n")) || !bytes.HasSuffix(body, []byte("\r\n")) {
		t.Errorf("a line of the CSV does not end with CRLF")
	}
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse as RFC 4180: %v", err)
	}
	if !slices.Equal(records[0], feedColumns) {
		t.Fatalf("header %q, want %q", records[0], feedColumns)
	}
	rows := make([]map[string]string, 0, len(records)-1)
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, col := range feedColumns {
			row[col] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// feedReport is a wave's report JSON, numbers kept as written.
type feedReport struct {
	Wave struct {
		Key, Title, Version, State string
		AnswersVerified            bool       `json:"answers_verified"`
		ScoringRules               int        `json:"scoring_rules"`
		OpensAt                    *time.Time `json:"opens_at"`
		ClosesAt                   *time.Time `json:"closes_at"`
	}
	Dimensions []struct{ Key, Title string }
	Groups     []map[string]any
}

func (e *testEnv) waveReport(t *testing.T, wave string, as http.Header) feedReport {
	t.Helper()
	r := e.do(http.MethodGet, "/api/v1/waves/"+wave+"/report", nil, as)
	if r.status != http.StatusOK {
		t.Fatalf("report of %s: %s", wave, r)
	}
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	var rep feedReport
	if err := dec.Decode(&rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// safe is text as a spreadsheet may be given it: with a leading ' where it would start a formula.
func safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r\n", rune(s[0])) {
		return "'" + s
	}
	return s
}

// sameValue says whether a CSV cell holds the report's JSON value: null empty, a number equal
// (the CSV writes 0.6 as 0.600), a boolean as true or false, text as a spreadsheet may be given it.
func sameValue(cell string, v any) bool {
	switch v := v.(type) {
	case nil:
		return cell == ""
	case json.Number:
		x, err := v.Float64()
		y, cerr := strconv.ParseFloat(cell, 64)
		return err == nil && cerr == nil && x == y
	case bool:
		return cell == strconv.FormatBool(v)
	case string:
		return cell == safe(v)
	}
	return false
}

func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// feedCount is what checkFeed compared.
type feedCount struct{ rows, figures, withheld, counted int }

// checkFeed compares the feed's rows, in order, with the per-wave reports read through the API by
// the same caller: every wave, group and measure, every label and figure. A withheld row must carry
// no number at all.
func checkFeed(t *testing.T, e *testEnv, as http.Header, rows []map[string]string) feedCount {
	t.Helper()
	var c feedCount
	next := func() map[string]string {
		if c.rows >= len(rows) {
			t.Fatalf("the feed has %d rows; the reports have more", len(rows))
		}
		c.rows++
		return rows[c.rows-1]
	}
	for _, wave := range feedWaves {
		rep := e.waveReport(t, wave, as)
		measures := append([]struct{ Key, Title string }{{"overall", "Overall"}}, rep.Dimensions...)
		w := rep.Wave
		waveCells := []string{w.Key, safe(w.Title), day(w.OpensAt), day(w.ClosesAt), w.State,
			strconv.FormatBool(w.AnswersVerified), strconv.Itoa(w.ScoringRules), w.Version}
		for _, g := range rep.Groups {
			for _, m := range measures {
				row := next()
				id := wave + "|" + g["key"].(string) + "|" + m.Key
				want := map[string]any{"group": g["key"], "group_name": g["name"], "level": g["level"], "parent": g["parent"],
					"measure": m.Key, "measure_title": m.Title}
				for i, col := range feedColumns[:8] {
					want[col] = waveCells[i]
				}
				c.compare(t, id, row, want, g, m.Key)
			}
		}
	}
	if c.rows != len(rows) {
		t.Errorf("the feed has %d rows; the reports give %d", len(rows), c.rows)
	}
	return c
}

// compare checks one row against its group and figure in the report.
func (c *feedCount) compare(t *testing.T, id string, row map[string]string, want map[string]any, g map[string]any, measure string) {
	t.Helper()
	withheld, reason := g["withheld"] == true, g["reason"]
	var fig map[string]any
	if !withheld {
		want["n"], want["headcount"], want["response_rate"], want["headcount_outdated"] = g["n"], g["headcount"], g["response_rate"], g["headcount_outdated"]
		if measure == "overall" {
			fig, _ = g["overall"].(map[string]any)
		} else if dims, ok := g["dimensions"].(map[string]any); ok {
			fig, _ = dims[measure].(map[string]any)
		}
		if fig != nil && fig["withheld"] == true {
			withheld, reason = true, fig["reason"]
		}
	}
	switch {
	case withheld:
		c.withheld++
		for _, col := range feedNumbers {
			want[col] = nil
		}
	case fig == nil:
		c.counted++ // an open-mode wave while open: counts, no scores
	default:
		c.figures++
		ci := fig["ci95"].([]any)
		for col, v := range map[string]any{"n_measure": fig["n"], "mean": fig["mean"], "median": fig["median"], "sd": fig["sd"],
			"ci95_low": ci[0], "ci95_high": ci[1], "stage": fig["stage"], "now": fig["now"], "target": fig["target"], "gap": fig["gap"]} {
			want[col] = v
		}
	}
	want["withheld"], want["withheld_reason"] = withheld, reason
	if !withheld && want["headcount_outdated"] == nil {
		t.Errorf("%s: the report's group has no headcount_outdated", id)
	}
	for _, col := range feedColumns {
		if !sameValue(row[col], want[col]) {
			t.Errorf("%s: %s = %q in the feed, %v in the report", id, col, row[col], want[col])
		}
	}
}

// TestResultsFeedMatchesReports reads the CSV feed as each kind of reader (admin, hr without
// comments by token and in person, leads of a directorate, of a team and of another directorate)
// and checks every row against the per-wave reports the same caller reads.
func TestResultsFeedMatchesReports(t *testing.T) {
	t.Parallel()
	e := newFeedEnv(t)
	sees := map[string][]string{
		tokenAdmin: {"dept", "comms", "policy", "digital-engagement", "campaigns", "policy-unit"},
		tokenHR:    {"dept", "comms", "policy", "digital-engagement", "campaigns", "policy-unit"},
		sessionHR:  {"dept", "comms", "policy", "digital-engagement", "campaigns", "policy-unit"},
		// A lead sees their subtree and the department, in every wave.
		tokenLeadComms:  {"dept", "comms", "digital-engagement", "campaigns"},
		sessionLeadTeam: {"dept", "campaigns"},
		tokenLeadOther:  {"dept", "policy", "policy-unit"},
	}
	for caller, groups := range sees {
		rows := readFeedCSV(t, e.do(http.MethodGet, "/api/v1/surveys/small/results?format=csv", nil, e.as[caller]))
		c := checkFeed(t, e, e.as[caller], rows)
		var got []string
		for _, r := range rows {
			if !slices.Contains(got, r["group"]) {
				got = append(got, r["group"])
			}
			if r["wave"] == waveScheduled {
				t.Errorf("%s: the feed lists the wave not yet open", caller)
			}
			if r["withheld"] == "true" {
				for _, col := range feedNumbers {
					if r[col] != "" {
						t.Errorf("%s: withheld row %s|%s|%s carries %s = %q", caller, r["wave"], r["group"], r["measure"], col, r[col])
					}
				}
			}
		}
		slices.Sort(got)
		slices.Sort(groups)
		if !slices.Equal(got, groups) {
			t.Errorf("%s: the feed lists groups %v, want %v", caller, got, groups)
		}
		t.Logf("%s: %d rows, %d figures shown, %d withheld, %d counted only", caller, c.rows, c.figures, c.withheld, c.counted)
		if c.figures == 0 || c.withheld == 0 || c.counted == 0 {
			t.Errorf("%s: %+v: the environment should give shown, withheld and counted-only rows", caller, c)
		}
	}
}

// TestResultsFeedHostileAndOutdated: names that start a formula arrive neutralised, numbers as
// numbers, and six answers against a headcount of three are flagged with no rate, in the feed and
// in the wave's report alike.
func TestResultsFeedHostileAndOutdated(t *testing.T) {
	t.Parallel()
	e := newFeedEnv(t)
	rows := readFeedCSV(t, e.get("/api/v1/surveys/small/results?format=csv"))
	names := map[string]string{}
	for _, r := range rows {
		if r["wave"] == "later" {
			names[r["group"]] = r["group_name"]
		}
		for _, col := range feedColumns {
			v := r[col]
			if v != "" && strings.ContainsRune("=+-@\t\r\n", rune(v[0])) {
				if _, err := strconv.ParseFloat(v, 64); err != nil || col != "gap" && col != "ci95_low" {
					t.Errorf("%s|%s|%s: %s = %q would run as a formula", r["wave"], r["group"], r["measure"], col, v)
				}
			}
		}
	}
	for key, want := range map[string]string{"digital-engagement": `'=HYPERLINK("http://x","click")`, "campaigns": "'+cmd",
		"policy-unit": "'-2+3", "comms": "'@SUM(A1)", "dept": "Department"} {
		if names[key] != want {
			t.Errorf("later wave, %s: group_name %q, want %q", key, names[key], want)
		}
	}
	for _, r := range rows {
		if r["wave"] == "later" && r["group"] == "campaigns" {
			if r["n"] != "6" || r["headcount"] != "3" || r["response_rate"] != "" || r["headcount_outdated"] != "true" {
				t.Errorf("campaigns, later, %s: n %q, headcount %q, response_rate %q, headcount_outdated %q; want 6, 3, empty, true",
					r["measure"], r["n"], r["headcount"], r["response_rate"], r["headcount_outdated"])
			}
		}
		if r["wave"] == "later" && r["group"] == "digital-engagement" && (r["response_rate"] != "0.175" || r["headcount_outdated"] != "false") {
			t.Errorf("digital-engagement, later: response_rate %q, headcount_outdated %q; want 7/40 = 0.175, false", r["response_rate"], r["headcount_outdated"])
		}
	}
	for _, g := range e.waveReport(t, "later", nil).Groups {
		if g["key"] == "campaigns" && (g["headcount_outdated"] != true || g["response_rate"] != nil) {
			t.Errorf("the later wave's report: campaigns headcount_outdated %v, response_rate %v; want true, null", g["headcount_outdated"], g["response_rate"])
		}
	}
}

// TestResultsFeedFormats: JSON (validated against the OpenAPI document) and XLSX hold the CSV's
// rows cell for cell; Accept chooses the format where ?format does not.
func TestResultsFeedFormats(t *testing.T) {
	t.Parallel()
	e := newFeedEnv(t)
	rows := readFeedCSV(t, e.get("/api/v1/surveys/small/results?format=csv"))
	if accepted := readFeedCSV(t, e.do(http.MethodGet, "/api/v1/surveys/small/results", nil, http.Header{"Accept": {"text/csv"}})); len(accepted) != len(rows) {
		t.Errorf("with Accept: text/csv, %d rows; with ?format=csv, %d", len(accepted), len(rows))
	}

	r := e.get("/api/v1/surveys/small/results")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("JSON feed: %d %s", r.status, r.header.Get("Content-Type"))
	}
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	var feed struct {
		Survey  string           `json:"survey"`
		Columns []string         `json:"columns"`
		Rows    []map[string]any `json:"rows"`
	}
	if err := dec.Decode(&feed); err != nil {
		t.Fatal(err)
	}
	if feed.Survey != "small" || !slices.Equal(feed.Columns, feedColumns) || len(feed.Rows) != len(rows) {
		t.Fatalf("JSON: survey %q, columns %q, %d rows; want small, the columns, %d rows", feed.Survey, feed.Columns, len(feed.Rows), len(rows))
	}
	for i, jr := range feed.Rows {
		for _, col := range feedColumns {
			if !sameValue(rows[i][col], jr[col]) {
				t.Errorf("row %d: %s is %v in JSON, %q in CSV", i, col, jr[col], rows[i][col])
			}
		}
	}

	x := e.get("/api/v1/surveys/small/results?format=xlsx")
	if x.status != http.StatusOK || x.header.Get("Content-Type") != mediaXLSX ||
		x.header.Get("Content-Disposition") != `attachment; filename="skillsurvey-small-results.xlsx"` {
		t.Fatalf("XLSX feed: %d %s %s", x.status, x.header.Get("Content-Type"), x.header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.body))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	sheet, err := f.GetRows("Results", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sheet[0], feedColumns) || len(sheet) != len(rows)+1 {
		t.Fatalf("XLSX: header %q, %d rows; want the columns, %d rows", sheet[0], len(sheet)-1, len(rows))
	}
	for i, row := range rows {
		for j, col := range feedColumns {
			got := ""
			if j < len(sheet[i+1]) {
				got = sheet[i+1][j]
			}
			if want := row[col]; got != want && !sameNumberOrBool(got, want) {
				t.Errorf("XLSX row %d: %s = %q, CSV %q", i+2, col, got, want)
			}
		}
	}
	if about, err := f.GetRows("About"); err != nil || len(about) < len(feedColumns) {
		t.Errorf("About sheet: %d rows (%v)", len(about), err)
	}
}

// sameNumberOrBool: a workbook's raw cell holds 0.6 where the CSV writes 0.600, and 1 for true.
func sameNumberOrBool(raw, cell string) bool {
	switch cell {
	case "true":
		return raw == "1"
	case "false":
		return raw == "0"
	}
	x, err := strconv.ParseFloat(raw, 64)
	y, cerr := strconv.ParseFloat(cell, 64)
	return err == nil && cerr == nil && x == y
}

// TestResultsFeedRefusalsAndAudit: an unknown survey is 404 survey_not_found, an unknown format
// 422 as for a report; a download and a program's read are audited, a person's JSON read is not.
func TestResultsFeedRefusalsAndAudit(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/api/v1/surveys/nope/results", 404, "survey_not_found"},
		{"/api/v1/surveys/nope/results?format=csv", 404, "survey_not_found"},
		{"/api/v1/surveys/small/results?format=pdf", 422, "invalid"},
	} {
		r := e.get(tc.path)
		if r.status != tc.status || checkError(t, r).Code != tc.code {
			t.Errorf("%s: %s, want %d %s", tc.path, r, tc.status, tc.code)
		}
	}
	if r := e.do(http.MethodGet, "/api/v1/surveys/small/results", nil, e.as[anonymous]); r.status != http.StatusUnauthorized {
		t.Errorf("anonymous: %s, want 401", r)
	}

	before := e.auditCount(t)
	if r := e.do(http.MethodGet, "/api/v1/surveys/small/results", nil, e.as[sessionHR]); r.status != http.StatusOK {
		t.Fatalf("hr in person, JSON: %s", r)
	}
	if n := e.auditCount(t); n != before {
		t.Errorf("a person's JSON read was audited (%d events, %d before)", n, before)
	}
	for caller, format := range map[string]string{tokenHR: "json", sessionHR: "csv", tokenLeadComms: "xlsx"} {
		if r := e.do(http.MethodGet, "/api/v1/surveys/small/results?format="+format, nil, e.as[caller]); r.status != http.StatusOK {
			t.Fatalf("%s, %s: %s", caller, format, r)
		}
	}
	actions := e.auditActions(t)
	for _, want := range []string{"token:test-hr-token", "user:hr@example.gov.uk", "token:test-lead-of-comms-token"} {
		if !slices.Contains(actions, access.ActionReportExport+" survey:small "+want) {
			t.Errorf("no audit event %q among %q", access.ActionReportExport+" survey:small "+want, actions)
		}
	}
	if n := e.auditCount(t); n != before+3 {
		t.Errorf("%d audit events, want %d", n, before+3)
	}
}

// TestResultsColumnsDocumented: the columns the report package writes are the ones docs/hr-feed.md
// explains, in its order.
func TestResultsColumnsDocumented(t *testing.T) {
	t.Parallel()
	var names []string
	for _, c := range report.ResultsColumns {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, feedColumns) {
		t.Errorf("report.ResultsColumns %q, want %q", names, feedColumns)
	}
	doc, err := os.ReadFile("../docs/hr-feed.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(doc), "## Columns")
	var documented []string
	for _, m := range regexp.MustCompile(`(?m)^\| ((?:`+"`"+`[a-z0-9_]+`+"`"+`(?:, )?)+) \|`).FindAllStringSubmatch(table, -1) {
		for _, name := range strings.Split(m[1], ", ") {
			documented = append(documented, strings.Trim(name, "`"))
		}
	}
	if !slices.Equal(documented, feedColumns) {
		t.Errorf("docs/hr-feed.md's column table lists %q, want %q", documented, feedColumns)
	}
}

// TestResultsFeedOfASurveyWithoutWaves: a survey whose definition is loaded but has no wave yet
// answers an empty feed (the header alone), not 404.
func TestResultsFeedOfASurveyWithoutWaves(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	shipped, err := survey.Load("../survey-definitions/digital-communications.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := newRouter(Config{Store: e.store, Now: e.clock.Now, Proxies: mustProxies(t), Definitions: []*survey.Definition{e.def, shipped}})
	req := httptest.NewRequest(http.MethodGet, "/api/v1/surveys/digital-communications/results?format=csv", nil)
	req.RemoteAddr, req.Host = "127.0.0.1:40000", "127.0.0.1"
	req.Header.Set("Authorization", e.as[tokenHR].Get("Authorization"))
	rec := e.serve(h, req)
	if want := "\uFEFF" + strings.Join(feedColumns, ",") + "\r\n"; rec.Code != http.StatusOK || rec.Body.String() != want {
		t.Errorf("%d %q, want 200 and the header alone", rec.Code, rec.Body.String())
	}
}
