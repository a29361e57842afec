package report

import (
	"bytes"
	"encoding/csv"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Hostile team names, as an administrator's CSV import could bring them in.
const (
	nameHyperlink = `=HYPERLINK("http://x","click")`
	nameCmd       = `+cmd|' /C calc'!A0`
	nameMinus     = `-2+3`
	nameAt        = `@SUM(A1)`
	nameTab       = "\tTabbed team"
	nameComma     = "Comms, \"Digital\"\nand Data"
)

func intRef(n int) *int { return &n }

func shownFigures(n int, mean, median, sd, lo, hi float64, stage string) *Figures {
	return &Figures{N: n, Mean: mean, Median: median, SD: sd, CI95: [2]float64{lo, hi}, Stage: stage,
		Stages: map[string]int{stage: n}}
}

// downloadFixture is a report with every case the downloads must handle: a shown department, a
// directorate with a withheld dimension, withheld teams, hostile names and titles, a breakdown with a
// withheld cell, a negative gap, a missing SD and comments that must never leave the JSON.
func downloadFixture() *Report {
	dept, dirA := "dept", "dir-a"
	rate := func(r float64) *Ratio { x := Ratio(r); return &x }

	deptOverall := shownFigures(120, 55.56, 57.14, 18.26, 52.24, 58.87, "developing")
	deptOverall.Now, deptOverall.Target, deptOverall.Gap = floatRef(55.6), floatRef(70.04), floatRef(14.44)
	deptEngage := shownFigures(118, 48.04, 50, 20.01, 44.36, 51.72, "developing")
	deptEngage.Now, deptEngage.Target, deptEngage.Gap = floatRef(47.96), floatRef(35.5), floatRef(-12.46)
	deptEngage.Alpha = floatRef(0.8123)
	deptCulture := shownFigures(119, 72, 75, 15.58, 69.2, 74.8, "embedded")
	deptCulture.Gap = floatRef(-0.04) // rounds to zero: must not be written "-0.0"

	linkOverall := shownFigures(6, 61.25, 62.5, math.NaN(), math.NaN(), math.NaN(), "embedded")

	return &Report{
		Wave: WaveInfo{Key: "2026-spring", AnswersVerified: true, Title: "Spring 2026", Survey: "digital-communications",
			Version: "sha256:abc", State: "closed", Threshold: 5, CommentThreshold: 10},
		Level: "all",
		Breakdown: &Breakdown{Question: "role-type", Text: "Which best describes your role?",
			Options: []Option{{Key: "specialist", Label: "Specialist"}, {Key: "generalist", Label: "-Generalist"}}},
		Dimensions: []Dimension{{Key: "engage", Title: "Engaging people in policy"}, {Key: "culture", Title: "@Culture"}},
		Stages: []Stage{{Key: "aspiration", Label: "Aspiration", From: 0}, {Key: "emerging", Label: "Emerging", From: 20},
			{Key: "developing", Label: "Developing", From: 40}, {Key: "embedded", Label: "Embedded", From: 60},
			{Key: "reality", Label: "Reality", From: 80}},
		Skills: []SkillInfo{{Key: "social-media", Title: "Social media", Group: "channels"},
			{Key: "data", Title: "+Data analysis", Group: "analysis"}},
		Refreshed: "2026-05-01",
		Groups: []Group{
			{Key: dept, Name: "Department for Digital", Level: LevelDepartment,
				N: intRef(120), Headcount: intRef(200), ResponseRate: rate(0.6),
				Overall:    deptOverall,
				Dimensions: map[string]*Figures{"engage": deptEngage, "culture": deptCulture},
				Skills: map[string]*SkillFigures{
					"social-media": {N: 118, Coverage: 0.66666, Depth: 12, MeetsExpected: floatRef(0.5)},
					"data":         {Withheld: true, Reason: ReasonSmall},
				},
				Cells: []Cell{
					{Option: "specialist", N: intRef(30), Overall: shownFigures(30, 60.04, 61, 12.349, 55.43, 64.66, "embedded"),
						Dimensions: map[string]*Figures{"engage": shownFigures(30, 58.96, 60, 14, 53.73, 64.19, "developing"),
							"culture": {Withheld: true, Reason: ReasonProtectsAnother}}},
					{Option: "generalist", Withheld: true, Reason: ReasonSmall},
				},
				Comments: map[string][]string{"comments": {"secret free text"}},
			},
			{Key: dirA, Name: "Policy and Strategy", Level: LevelDirectorate, Parent: &dept,
				N: intRef(40), Overall: shownFigures(40, 50.05, 50, 17.5, 44.45, 55.65, "developing"),
				Dimensions: map[string]*Figures{"engage": shownFigures(40, 45, 45, 16, 39.88, 50.12, "developing"),
					"culture": {Withheld: true, Reason: ReasonWaiting}},
				Skills: map[string]*SkillFigures{"social-media": {N: 40, Coverage: 0.5, Depth: 1},
					"data": {N: 39, Coverage: 0.1026, Depth: 0}},
			},
			{Key: "team-small", Name: "Small team", Level: LevelTeam, Parent: &dirA, Withheld: true, Reason: ReasonSmall},
			{Key: "t-link", Name: nameHyperlink, Level: LevelTeam, Parent: &dirA,
				N: intRef(6), Headcount: intRef(8), ResponseRate: rate(0.75), Overall: linkOverall,
				Dimensions: map[string]*Figures{"engage": {Withheld: true}, "culture": {Withheld: true, Reason: ReasonProtectsAnother}}},
			{Key: "+t-cmd", Name: nameCmd, Level: LevelTeam, Parent: &dirA, Withheld: true},
			{Key: "t-minus", Name: nameMinus, Level: LevelTeam, Parent: &dirA,
				N: intRef(9), Overall: shownFigures(9, 40, 40, 10, 32.31, 47.69, "developing")},
			{Key: "t-at", Name: nameAt, Level: LevelTeam, Parent: &dirA, Withheld: true},
			{Key: "t-tab", Name: nameTab, Level: LevelTeam, Parent: &dirA,
				N: intRef(7), Overall: shownFigures(7, 33.333, 30, 9, 25, 41.66, "emerging")},
			{Key: "t-comma", Name: nameComma, Level: LevelTeam, Parent: &dirA,
				N: intRef(8), Overall: shownFigures(8, 81.25, 80, 5, 77.07, 85.43, "reality")},
		},
	}
}

// csvRows writes rep and parses it back, checking the shape every CSV must have.
func csvRows(t *testing.T, rep *Report) (string, []map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rep); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	out := buf.String()
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll() // also checks every row has the header's width
	if err != nil {
		t.Fatalf("parse CSV back: %v\n%s", err, out)
	}
	if !slices.Equal(records[0], csvHeader) {
		t.Fatalf("header = %q, want %q", records[0], csvHeader)
	}
	var rows []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, h := range csvHeader {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return out, rows
}

func rowID(r map[string]string) string { return r["group"] + "|" + r["cell"] + "|" + r["measure"] }

func findRow(t *testing.T, rows []map[string]string, id string) map[string]string {
	t.Helper()
	for _, r := range rows {
		if rowID(r) == id {
			return r
		}
	}
	t.Fatalf("no row %q", id)
	return nil
}

func TestWriteCSVRows(t *testing.T) {
	_, rows := csvRows(t, downloadFixture())

	var ids []string
	for _, r := range rows {
		ids = append(ids, rowID(r))
	}
	want := []string{
		"dept||overall", "dept||engage", "dept||culture", "dept||skill:social-media", "dept||skill:data",
		"dept|specialist|overall", "dept|specialist|engage", "dept|specialist|culture", "dept|generalist|",
		"dir-a||overall", "dir-a||engage", "dir-a||culture", "dir-a||skill:social-media", "dir-a||skill:data",
		"team-small||",
		"t-link||overall", "t-link||engage", "t-link||culture",
		"'+t-cmd||",
		"t-minus||overall",
		"t-at||",
		"t-tab||overall",
		"t-comma||overall",
	}
	if !slices.Equal(ids, want) {
		t.Fatalf("rows (group|cell|measure):\n got %q\nwant %q", ids, want)
	}

	// Whole rows, in header order, for each kind of row.
	full := map[string][]string{
		"dept||overall": {"2026-spring", "true", "dept", "Department for Digital", "department", "", "false", "",
			"120", "200", "0.600", "", "", "overall", "Overall", "120",
			"55.6", "57.1", "18.3", "52.2", "58.9", "developing", "55.6", "70.0", "14.4", "", "", "", "", "false"},
		"dept||engage": {"2026-spring", "true", "dept", "Department for Digital", "department", "", "false", "",
			"120", "200", "0.600", "", "", "engage", "Engaging people in policy", "118",
			"48.0", "50.0", "20.0", "44.4", "51.7", "developing", "48.0", "35.5", "-12.5", "0.812", "", "", "", "false"},
		"dept||culture": {"2026-spring", "true", "dept", "Department for Digital", "department", "", "false", "",
			"120", "200", "0.600", "", "", "culture", "'@Culture", "119",
			"72.0", "75.0", "15.6", "69.2", "74.8", "embedded", "", "", "0.0", "", "", "", "", "false"},
		"dept||skill:social-media": {"2026-spring", "true", "dept", "Department for Digital", "department", "", "false", "",
			"120", "200", "0.600", "", "", "skill:social-media", "Social media", "118",
			"", "", "", "", "", "", "", "", "", "", "0.667", "12", "0.500", "false"},
		"dept||skill:data": {"2026-spring", "true", "dept", "Department for Digital", "department", "", "true", "small",
			"", "", "", "", "", "skill:data", "'+Data analysis", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		"dept|specialist|overall": {"2026-spring", "true", "dept", "Department for Digital", "department", "", "false", "",
			"30", "", "", "specialist", "Specialist", "overall", "Overall", "30",
			"60.0", "61.0", "12.3", "55.4", "64.7", "embedded", "", "", "", "", "", "", "", ""},
		"dept|specialist|culture": {"2026-spring", "true", "dept", "Department for Digital", "department", "", "true", "protects another",
			"", "", "", "specialist", "Specialist", "culture", "'@Culture", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		"dept|generalist|": {"2026-spring", "true", "dept", "Department for Digital", "department", "", "true", "small",
			"", "", "", "generalist", "'-Generalist", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		"dir-a||culture": {"2026-spring", "true", "dir-a", "Policy and Strategy", "directorate", "dept", "true", "waiting for more answers",
			"", "", "", "", "", "culture", "'@Culture", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		"dir-a||skill:social-media": {"2026-spring", "true", "dir-a", "Policy and Strategy", "directorate", "dept", "false", "",
			"40", "", "", "", "", "skill:social-media", "Social media", "40",
			"", "", "", "", "", "", "", "", "", "", "0.500", "1", "", "false"},
		"team-small||": {"2026-spring", "true", "team-small", "Small team", "team", "dir-a", "true", "small",
			"", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		"t-link||overall": {"2026-spring", "true", "t-link", "'" + nameHyperlink, "team", "dir-a", "false", "",
			"6", "8", "0.750", "", "", "overall", "Overall", "6",
			"61.3", "62.5", "", "", "", "embedded", "", "", "", "", "", "", "", "false"},
	}
	for id, wantRow := range full {
		got := findRow(t, rows, id)
		for i, h := range csvHeader {
			want := "" // columns after a row's last are empty in it (share, for these rows)
			if i < len(wantRow) {
				want = wantRow[i]
			}
			if got[h] != want {
				t.Errorf("row %s: %s = %q, want %q", id, h, got[h], want)
			}
		}
	}
}

func TestWriteCSVNeutralisesHostileText(t *testing.T) {
	_, rows := csvRows(t, downloadFixture())
	names := map[string]string{
		"t-link||overall":  "'" + nameHyperlink,
		"'+t-cmd||":        "'" + nameCmd,
		"t-minus||overall": "'" + nameMinus,
		"t-at||":           "'" + nameAt,
		"t-tab||overall":   "'" + nameTab,
		"t-comma||overall": nameComma, // quoted by RFC 4180, nothing to neutralise
	}
	for id, want := range names {
		if got := findRow(t, rows, id)["group_name"]; got != want {
			t.Errorf("row %s: group_name = %q, want %q", id, got, want)
		}
	}
}

func TestWriteCSVNoCellStartsAFormula(t *testing.T) {
	_, rows := csvRows(t, downloadFixture())
	for _, r := range rows {
		for col, v := range r {
			if v == "" {
				continue
			}
			switch v[0] {
			case '=', '+', '@', '\t', '\r', '\n':
				t.Errorf("row %s: %s = %q starts a formula", rowID(r), col, v)
			case '-':
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					t.Errorf("row %s: %s = %q starts with - and is not a number", rowID(r), col, v)
				}
			}
		}
	}
}

var (
	csvScoreColumns = []string{"mean", "median", "sd", "ci95_low", "ci95_high", "now", "target", "gap"}
	csvRatioColumns = []string{"response_rate", "alpha", "coverage", "meets_expected"}
	csvIntColumns   = []string{"n", "headcount", "n_measure", "depth"}
)

func TestWriteCSVNumbers(t *testing.T) {
	_, rows := csvRows(t, downloadFixture())
	formats := []struct {
		columns []string
		re      *regexp.Regexp
	}{
		{csvScoreColumns, regexp.MustCompile(`^-?\d+\.\d$`)},
		{csvRatioColumns, regexp.MustCompile(`^-?\d+\.\d{3}$`)},
		{csvIntColumns, regexp.MustCompile(`^\d+$`)},
	}
	for _, r := range rows {
		for _, f := range formats {
			for _, col := range f.columns {
				if v := r[col]; v != "" && !f.re.MatchString(v) {
					t.Errorf("row %s: %s = %q, want format %s", rowID(r), col, v, f.re)
				}
				if r[col] == "-0.0" || r[col] == "-0.000" {
					t.Errorf("row %s: %s is negative zero", rowID(r), col)
				}
			}
		}
	}
	if got := findRow(t, rows, "dept||engage")["gap"]; got != "-12.5" {
		t.Errorf("negative gap = %q, want plain -12.5", got)
	}
}

func TestWriteCSVWithheldRowsHaveNoNumbers(t *testing.T) {
	_, rows := csvRows(t, downloadFixture())
	numeric := slices.Concat(csvScoreColumns, csvRatioColumns, csvIntColumns, []string{"stage", "headcount_outdated"})
	withheld := 0
	for _, r := range rows {
		if r["withheld"] != "true" {
			continue
		}
		withheld++
		for _, col := range numeric {
			if r[col] != "" {
				t.Errorf("withheld row %s: %s = %q, want empty", rowID(r), col, r[col])
			}
		}
	}
	if withheld != 9 {
		t.Errorf("%d withheld rows, want 9", withheld)
	}
}

func TestWriteCSVFileShape(t *testing.T) {
	out, _ := csvRows(t, downloadFixture())
	if !strings.HasPrefix(out, strings.Join(csvHeader, ",")+"\r\n") {
		t.Errorf("file does not open with the header and CRLF: %q", out[:min(len(out), 80)])
	}
	if !strings.HasSuffix(out, "\r\n") {
		t.Error("last line does not end with CRLF")
	}
	if n := strings.Count(out, "\n"); n != strings.Count(out, "\r\n") {
		t.Errorf("%d line feeds, %d of them after a carriage return: want every line end CRLF", n, strings.Count(out, "\r\n"))
	}
	if strings.Contains(out, "secret free text") {
		t.Error("a comment reached the CSV")
	}
}

func TestWriteCSVEmptyReport(t *testing.T) {
	out, rows := csvRows(t, &Report{Level: "all", Groups: []Group{}})
	if len(rows) != 0 || out != strings.Join(csvHeader, ",")+"\r\n" {
		t.Errorf("empty report = %q, want the header alone", out)
	}
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Digital team", "Digital team"},
		{"=1+1", "'=1+1"},
		{"+44 20", "'+44 20"},
		{"-", "'-"},
		{"-12.5", "'-12.5"}, // text that looks like a number is still text
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"\nx", "'\nx"},
		{"a=b", "a=b"},
		{"'=already", "'=already"},
	}
	for _, tt := range tests {
		if got := neutralise(tt.in); got != tt.want {
			t.Errorf("neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// distributionsFixture is a report of one group with a breakdown cell that has skills, and the
// distributions of a multi_choice question and of a number question, some of it withheld.
func distributionsFixture() *Report {
	two, fifty, ten := 2.0, 50.0, 10.0
	return &Report{
		Wave:      WaveInfo{Key: "w", AnswersVerified: true},
		Breakdown: &Breakdown{Question: "role-type", Options: []Option{{Key: "specialist", Label: "Specialist"}}},
		Skills:    []SkillInfo{{Key: "data", Title: "Data analysis"}},
		Distributions: []DistributionInfo{
			{Question: "channels", Text: "Which channels?", Type: "multi_choice",
				Options: []Option{{Key: "email", Label: "=Email"}, {Key: "blogs", Label: "Blogs"}}},
			{Question: "hours", Text: "How many hours?", Type: "number", Unit: "hours",
				Bins: []Bin{{From: 0, To: &two}, {From: 2, To: &ten}, {From: 10, To: &fifty}}},
			{Question: "size", Text: "How many people?", Type: "number"},
		},
		Groups: []Group{{Key: "g", Name: "Group", Level: LevelTeam, N: intRef(12),
			Overall: shownFigures(12, 50, 50, 10, 40, 60, "developing"),
			Cells: []Cell{{Option: "specialist", N: intRef(6), Overall: shownFigures(6, 50, 50, 10, 40, 60, "developing"),
				Skills: map[string]*SkillFigures{"data": {N: 6, Coverage: 0.5, Depth: 2, MeetsExpected: floatRef(1.0 / 3)}}}},
			Distributions: map[string]*Distribution{
				"channels": {N: 10, Options: []Share{{Key: "email", N: 6, Share: 0.6}, {Key: "blogs", Withheld: true, Reason: ReasonSmall}}},
				"hours": {N: 9, Bins: []Share{{From: floatRef(0), To: &two, N: 0}, {From: floatRef(2), To: &ten, N: 5, Share: 5.0 / 9},
					{From: floatRef(10), To: &fifty, Withheld: true, Reason: ReasonProtectsAnother}}},
				"size": {Withheld: true, Reason: ReasonSmall},
			}}},
	}
}

func TestWriteCSVDistributions(t *testing.T) {
	_, rows := csvRows(t, distributionsFixture())
	var ids []string
	for _, r := range rows {
		ids = append(ids, rowID(r))
	}
	want := []string{"g||overall",
		"g||choice:channels", "g||choice:channels:email", "g||choice:channels:blogs",
		"g||number:hours", "g||number:hours:0", "g||number:hours:2", "g||number:hours:10", "g||number:size",
		"g|specialist|overall", "g|specialist|skill:data"}
	if !slices.Equal(ids, want) {
		t.Fatalf("rows (group|cell|measure):\n got %q\nwant %q", ids, want)
	}
	for id, cols := range map[string]map[string]string{
		"g||choice:channels":       {"measure_title": "Which channels?", "n_measure": "10", "share": "", "withheld": "false"},
		"g||choice:channels:email": {"measure_title": "'=Email", "n_measure": "6", "share": "0.600"},
		"g||choice:channels:blogs": {"measure_title": "Blogs", "n_measure": "", "share": "", "withheld": "true", "withheld_reason": "small", "n": ""},
		"g||number:hours:0":        {"measure_title": "0 to under 2 hours", "n_measure": "0", "share": "0.000"},
		"g||number:hours:2":        {"measure_title": "2 to under 10 hours", "n_measure": "5", "share": "0.556"},
		"g||number:hours:10":       {"measure_title": "10 to 50 hours", "withheld": "true", "withheld_reason": "protects another", "share": ""},
		"g||number:size":           {"measure_title": "How many people?", "withheld": "true", "withheld_reason": "small", "n_measure": ""},
		"g|specialist|skill:data":  {"n": "6", "n_measure": "6", "coverage": "0.500", "depth": "2", "meets_expected": "0.333", "cell_label": "Specialist"},
	} {
		row := findRow(t, rows, id)
		for col, v := range cols {
			if row[col] != v {
				t.Errorf("row %s: %s = %q, want %q", id, col, row[col], v)
			}
		}
	}
}
