package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// resultsFixture is two waves of one survey: the closed wave of downloadFixture (hostile names,
// withheld groups and figures, a negative gap, a missing SD), opened on 2 March and closing at
// 23:30 on 31 March an hour west of UTC, which is 1 April in UTC; and an open-mode wave while open,
// whose groups are counted only, the department with more responses than its headcount.
func resultsFixture() []*Report {
	spring := downloadFixture()
	opens := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	closes := time.Date(2026, 3, 31, 23, 30, 0, 0, time.FixedZone("west", -3600))
	spring.Wave.OpensAt, spring.Wave.ClosesAt, spring.Wave.ScoringRules = &opens, &closes, 2

	autumnOpens := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	dept := "dept"
	autumn := &Report{
		Wave: WaveInfo{Key: "2026-autumn", Title: "=Autumn", Survey: "digital-communications", Version: "sha256:def",
			State: "open", Mode: "open", ScoresAfterClosing: true, ScoringRules: 2, Threshold: 5, OpensAt: &autumnOpens},
		Level:      "all",
		Dimensions: []Dimension{{Key: "engage", Title: "Engaging people in policy"}},
		Groups: []Group{
			{Key: dept, Name: "Department for Digital", Level: LevelDepartment, N: intRef(30), Headcount: intRef(20), HeadcountOutdated: true},
			{Key: "dir-a", Name: "Policy and Strategy", Level: LevelDirectorate, Parent: &dept, Withheld: true, Reason: ReasonSmall},
		},
	}
	return []*Report{spring, autumn}
}

// resultsCSV writes the feed and reads it back as a spreadsheet would: the byte-order mark checked
// and taken off, then RFC 4180 with a header row, every row as wide as the header.
func resultsCSV(t *testing.T, reps []*Report) (string, []map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteResultsCSV(&buf, reps); err != nil {
		t.Fatalf("WriteResultsCSV: %v", err)
	}
	out := buf.String()
	body, ok := strings.CutPrefix(out, "\uFEFF")
	if !ok {
		t.Fatalf("the CSV does not start with the UTF-8 byte-order mark: %q", out[:min(len(out), 8)])
	}
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV back: %v\n%s", err, body)
	}
	if !slices.Equal(records[0], resultsColumnNames()) {
		t.Fatalf("header %q, want %q", records[0], resultsColumnNames())
	}
	var rows []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, name := range records[0] {
			row[name] = rec[i]
		}
		rows = append(rows, row)
	}
	return out, rows
}

func resultsColumnNames() []string {
	names := make([]string, len(ResultsColumns))
	for i, c := range ResultsColumns {
		names[i] = c.Name
	}
	return names
}

func resultID(r map[string]string) string { return r["wave"] + "|" + r["group"] + "|" + r["measure"] }

// numberColumns are the feed's columns from n on: none may hold anything on a withheld row.
func numberColumns() []string { return resultsColumnNames()[slices.Index(resultsColumnNames(), "n"):] }

func TestResultsCSVRows(t *testing.T) {
	out, rows := resultsCSV(t, resultsFixture())
	if !strings.HasSuffix(out, "\r\n") || strings.Count(out, "\r\n") < len(rows)+1 {
		t.Errorf("lines do not end with CRLF")
	}
	var ids []string
	for _, r := range rows {
		ids = append(ids, resultID(r))
	}
	var want []string
	for _, g := range []string{"dept", "dir-a", "team-small", "t-link", "'+t-cmd", "t-minus", "t-at", "t-tab", "t-comma"} {
		for _, m := range []string{"overall", "engage", "culture"} {
			want = append(want, "2026-spring|"+g+"|"+m)
		}
	}
	want = append(want, "2026-autumn|dept|overall", "2026-autumn|dept|engage", "2026-autumn|dir-a|overall", "2026-autumn|dir-a|engage")
	if !slices.Equal(ids, want) {
		t.Fatalf("rows (wave|group|measure):\n got %q\nwant %q", ids, want)
	}

	spring := []string{"2026-spring", "Spring 2026", "2026-03-02", "2026-04-01", "closed", "true", "2", "sha256:abc"}
	autumn := []string{"2026-autumn", "'=Autumn", "2026-09-01", "", "open", "false", "2", "sha256:def"}
	full := map[string][]string{
		"2026-spring|dept|overall": slices.Concat(spring, []string{"dept", "Department for Digital", "department", "",
			"overall", "Overall", "false", "", "120", "120", "55.6", "57.1", "18.3", "52.2", "58.9", "developing",
			"55.6", "70.0", "14.4", "200", "0.600", "false"}),
		"2026-spring|dept|engage": slices.Concat(spring, []string{"dept", "Department for Digital", "department", "",
			"engage", "Engaging people in policy", "false", "", "120", "118", "48.0", "50.0", "20.0", "44.4", "51.7", "developing",
			"48.0", "35.5", "-12.5", "200", "0.600", "false"}),
		"2026-spring|dept|culture": slices.Concat(spring, []string{"dept", "Department for Digital", "department", "",
			"culture", "'@Culture", "false", "", "120", "119", "72.0", "75.0", "15.6", "69.2", "74.8", "embedded",
			"", "", "0.0", "200", "0.600", "false"}),
		"2026-spring|dir-a|culture": slices.Concat(spring, []string{"dir-a", "Policy and Strategy", "directorate", "dept",
			"culture", "'@Culture", "true", "waiting for more answers", "", "", "", "", "", "", "", "", "", "", "", "", "", ""}),
		"2026-spring|team-small|engage": slices.Concat(spring, []string{"team-small", "Small team", "team", "dir-a",
			"engage", "Engaging people in policy", "true", "small", "", "", "", "", "", "", "", "", "", "", "", "", "", ""}),
		"2026-spring|t-link|overall": slices.Concat(spring, []string{"t-link", "'" + nameHyperlink, "team", "dir-a",
			"overall", "Overall", "false", "", "6", "6", "61.3", "62.5", "", "", "", "embedded", "", "", "", "8", "0.750", "false"}),
		"2026-spring|t-link|culture": slices.Concat(spring, []string{"t-link", "'" + nameHyperlink, "team", "dir-a",
			"culture", "'@Culture", "true", "protects another", "", "", "", "", "", "", "", "", "", "", "", "", "", ""}),
		"2026-spring|'+t-cmd|overall": slices.Concat(spring, []string{"'+t-cmd", "'" + nameCmd, "team", "dir-a",
			"overall", "Overall", "true", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""}),
		"2026-spring|t-tab|overall": slices.Concat(spring, []string{"t-tab", "'" + nameTab, "team", "dir-a",
			"overall", "Overall", "false", "", "7", "7", "33.3", "30.0", "9.0", "25.0", "41.7", "emerging", "", "", "", "", "", "false"}),
		"2026-spring|t-comma|overall": slices.Concat(spring, []string{"t-comma", nameComma, "team", "dir-a",
			"overall", "Overall", "false", "", "8", "8", "81.3", "80.0", "5.0", "77.1", "85.4", "reality", "", "", "", "", "", "false"}),
		// Counted only while the open-mode wave is open: the count and headcount, no scores; 30
		// responses against a headcount of 20 is flagged, with no rate.
		"2026-autumn|dept|engage": slices.Concat(autumn, []string{"dept", "Department for Digital", "department", "",
			"engage", "Engaging people in policy", "false", "", "30", "", "", "", "", "", "", "", "", "", "", "20", "", "true"}),
		"2026-autumn|dir-a|overall": slices.Concat(autumn, []string{"dir-a", "Policy and Strategy", "directorate", "dept",
			"overall", "Overall", "true", "small", "", "", "", "", "", "", "", "", "", "", "", "", "", ""}),
	}
	for id, wantRow := range full {
		i := slices.Index(ids, id)
		if i < 0 {
			t.Errorf("no row %s", id)
			continue
		}
		for j, name := range resultsColumnNames() {
			if got := rows[i][name]; got != wantRow[j] {
				t.Errorf("row %s: %s = %q, want %q", id, name, got, wantRow[j])
			}
		}
	}
}

func TestResultsWithheldRowsHaveNoNumbers(t *testing.T) {
	_, rows := resultsCSV(t, resultsFixture())
	withheld := 0
	for _, r := range rows {
		if r["withheld"] != "true" {
			continue
		}
		withheld++
		for _, col := range numberColumns() {
			if r[col] != "" {
				t.Errorf("withheld row %s: %s = %q, want empty", resultID(r), col, r[col])
			}
		}
	}
	// spring: team-small, +t-cmd and t-at whole (9 rows), dir-a culture, t-link engage and culture;
	// autumn: dir-a (2 rows).
	if withheld != 14 {
		t.Errorf("%d withheld rows, want 14", withheld)
	}
}

// TestResultsJSON reads the JSON feed and compares every cell with the CSV's: the same rows and
// columns, null where the CSV is empty, numbers equal, text equal but for the CSV's neutralising.
func TestResultsJSON(t *testing.T) {
	reps := resultsFixture()
	_, rows := resultsCSV(t, reps)
	var buf bytes.Buffer
	if err := WriteResultsJSON(&buf, "digital-communications", reps); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	var feed struct {
		Survey  string                       `json:"survey"`
		Columns []string                     `json:"columns"`
		Rows    []map[string]json.RawMessage `json:"rows"`
	}
	if err := dec.Decode(&feed); err != nil {
		t.Fatalf("the feed is not JSON: %v", err)
	}
	if feed.Survey != "digital-communications" || !slices.Equal(feed.Columns, resultsColumnNames()) || len(feed.Rows) != len(rows) {
		t.Fatalf("survey %q, columns %q, %d rows; want digital-communications, the columns, %d rows", feed.Survey, feed.Columns, len(feed.Rows), len(rows))
	}
	for i, jr := range feed.Rows {
		if len(jr) != len(ResultsColumns) {
			t.Errorf("row %d has %d keys, want %d", i, len(jr), len(ResultsColumns))
		}
		for _, col := range resultsColumnNames() {
			if !sameCell(t, jr[col], rows[i][col]) {
				t.Errorf("row %s: %s is %s in JSON, %q in CSV", resultID(rows[i]), col, jr[col], rows[i][col])
			}
		}
	}
}

// sameCell says whether a JSON value is what the CSV wrote: null empty, text neutralised, numbers
// equal (the CSV writes 0.6 as 0.600).
func sameCell(t *testing.T, raw json.RawMessage, csvCell string) bool {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("cell %s: %v", raw, err)
	}
	switch v := v.(type) {
	case nil:
		return csvCell == ""
	case string:
		return neutralise(v) == csvCell
	case bool:
		return strconv.FormatBool(v) == csvCell
	case json.Number:
		x, err := v.Float64()
		y, cerr := strconv.ParseFloat(csvCell, 64)
		return err == nil && cerr == nil && x == y
	}
	t.Fatalf("cell %s is neither null, text, a boolean nor a number", raw)
	return false
}

func TestResultsXLSX(t *testing.T) {
	reps := resultsFixture()
	_, rows := resultsCSV(t, reps)
	var buf bytes.Buffer
	if err := WriteResultsXLSX(&buf, "digital-communications", reps); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Results", "About"}) {
		t.Fatalf("sheets %q, want Results, About", got)
	}
	tables, err := f.GetTables("Results")
	if err != nil || len(tables) != 1 || tables[0].Name != "Results" || tables[0].Range != "A1:AD"+strconv.Itoa(len(rows)+1) {
		t.Errorf("tables %+v (%v), want one, Results, over A1:AD%d", tables, err, len(rows)+1)
	}
	sheet, err := f.GetRows("Results", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sheet[0], resultsColumnNames()) || len(sheet) != len(rows)+1 {
		t.Fatalf("header %q and %d rows, want the columns and %d rows", sheet[0], len(sheet)-1, len(rows))
	}
	// Every cell as the CSV has it: text alike (neutralised in both), numbers equal and stored as
	// numbers, booleans as booleans.
	for i, r := range rows {
		for j, col := range resultsColumnNames() {
			got, want := "", r[col]
			if j < len(sheet[i+1]) {
				got = sheet[i+1][j]
			}
			cell := cellName(t, j+1, i+2)
			typ, err := f.GetCellType("Results", cell)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case want == "true" || want == "false":
				if typ != excelize.CellTypeBool || got != map[string]string{"true": "1", "false": "0"}[want] {
					t.Errorf("%s (row %s, %s) = %q type %v, want the boolean %s", cell, resultID(r), col, got, typ, want)
				}
			case isNumberColumn(col) && want != "":
				g, gerr := strconv.ParseFloat(got, 64)
				w, _ := strconv.ParseFloat(want, 64)
				if gerr != nil || g != w || !isNumberType(typ) {
					t.Errorf("%s (row %s, %s) = %q type %v, want the number %s", cell, resultID(r), col, got, typ, want)
				}
			default:
				if got != want {
					t.Errorf("%s (row %s, %s) = %q, want %q", cell, resultID(r), col, got, want)
				}
			}
		}
	}
	about, err := f.GetRows("About")
	if err != nil {
		t.Fatal(err)
	}
	explained := map[string]bool{}
	for _, r := range about {
		if len(r) == 2 {
			explained[r[0]] = r[1] != ""
		}
	}
	for _, col := range resultsColumnNames() {
		if !explained[col] {
			t.Errorf("the About sheet does not explain %s", col)
		}
	}
}

func isNumberColumn(col string) bool {
	return slices.Contains(numberColumns(), col) && col != "stage" || col == "scoring_rules"
}

// TestResultsEmpty: a survey with no wave open yet is a header alone.
func TestResultsEmpty(t *testing.T) {
	out, rows := resultsCSV(t, nil)
	if len(rows) != 0 || out != "\uFEFF"+strings.Join(resultsColumnNames(), ",")+"\r\n" {
		t.Errorf("empty feed: %q", out)
	}
	var buf bytes.Buffer
	if err := WriteResultsJSON(&buf, "s", nil); err != nil {
		t.Fatal(err)
	}
	var feed map[string]any
	if err := json.Unmarshal(buf.Bytes(), &feed); err != nil || len(feed["rows"].([]any)) != 0 {
		t.Errorf("empty JSON feed: %s (%v)", buf.Bytes(), err)
	}
	buf.Reset()
	if err := WriteResultsXLSX(&buf, "s", nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if header, err := f.GetRows("Results"); err != nil || len(header) != 1 {
		t.Errorf("empty workbook's Results: %q (%v)", header, err)
	}
}
