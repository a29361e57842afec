package report

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// openXLSX writes rep and opens the bytes again, as a reader of the download would.
func openXLSX(t *testing.T, rep *Report) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, rep); err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open written workbook: %v", err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Errorf("close workbook: %v", err)
		}
	})
	return f
}

// xlsxRow finds the row whose first two cells are key and, in column 4, cell ("" for the group's own
// row) and returns its number.
func xlsxRow(t *testing.T, f *excelize.File, sheet, key, cell string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("rows of %s: %v", sheet, err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == key && (len(r) < 4 || r[3] == cell) {
			return i + 1
		}
	}
	t.Fatalf("%s: no row for %q %q", sheet, key, cell)
	return 0
}

func cellName(t *testing.T, col, row int) string {
	t.Helper()
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		t.Fatal(err)
	}
	return name
}

func isNumberType(typ excelize.CellType) bool {
	// A number cell is written without a t attribute, which OOXML reads as "n".
	return typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset
}

// wantNumber checks the cell holds the number want, stored as a number, and reads as shown.
func wantNumber(t *testing.T, f *excelize.File, sheet string, col, row int, want float64, shown string) {
	t.Helper()
	c := cellName(t, col, row)
	typ, err := f.GetCellType(sheet, c)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := f.GetCellValue(sheet, c, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	got, perr := strconv.ParseFloat(raw, 64)
	if !isNumberType(typ) || perr != nil || got != want {
		t.Errorf("%s!%s = %q (type %v), want the number %v", sheet, c, raw, typ, want)
	}
	if formatted, _ := f.GetCellValue(sheet, c); formatted != shown {
		t.Errorf("%s!%s shows %q, want %q", sheet, c, formatted, shown)
	}
}

func wantText(t *testing.T, f *excelize.File, sheet string, col, row int, want string) {
	t.Helper()
	c := cellName(t, col, row)
	typ, err := f.GetCellType(sheet, c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.GetCellValue(sheet, c)
	if err != nil {
		t.Fatal(err)
	}
	if got != want || isNumberType(typ) {
		t.Errorf("%s!%s = %q (type %v), want the text %q", sheet, c, got, typ, want)
	}
}

func TestWriteXLSXSheets(t *testing.T) {
	f := openXLSX(t, downloadFixture())
	want := []string{"Department", "Directorates", "Teams", "Skills", "About"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets = %q, want %q", got, want)
	}

	teamsOnly := downloadFixture()
	teamsOnly.Groups = slices.DeleteFunc(teamsOnly.Groups, func(g Group) bool { return g.Level != LevelTeam })
	f = openXLSX(t, teamsOnly)
	want = []string{"Teams", "Skills", "About"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("teams-only sheets = %q, want %q", got, want)
	}
}

func TestWriteXLSXHeader(t *testing.T) {
	f := openXLSX(t, downloadFixture())
	for _, sheet := range []string{"Department", "Directorates", "Teams", "Skills"} {
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: panes %+v (%v), want the header row frozen", sheet, panes, err)
		}
		id, err := f.GetCellStyle(sheet, "A1")
		if err != nil {
			t.Fatal(err)
		}
		style, err := f.GetStyle(id)
		if err != nil || style.Font == nil || !style.Font.Bold {
			t.Errorf("%s!A1: style %+v (%v), want bold", sheet, style, err)
		}
	}
	// Department sheet: Group, Name, Parent, Breakdown, Responses, Headcount, Response rate, then
	// maturity score, stage, now, target, gap per measure, the measure titles neutralised.
	rows, err := f.GetRows("Department")
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"Group", "Name", "Parent", "Breakdown", "Responses", "Headcount", "Response rate",
		"Overall", "Overall stage", "Overall now", "Overall target", "Overall gap",
		"Engaging people in policy", "Engaging people in policy stage", "Engaging people in policy now",
		"Engaging people in policy target", "Engaging people in policy gap",
		"'@Culture", "'@Culture stage", "'@Culture now", "'@Culture target", "'@Culture gap"}
	if !slices.Equal(rows[0], wantHeader) {
		t.Errorf("header = %q, want %q", rows[0], wantHeader)
	}
}

func TestWriteXLSXFigures(t *testing.T) {
	f := openXLSX(t, downloadFixture())

	dept := xlsxRow(t, f, "Department", "dept", "")
	wantNumber(t, f, "Department", 5, dept, 120, "120")
	wantNumber(t, f, "Department", 6, dept, 200, "200")
	wantNumber(t, f, "Department", 7, dept, 0.6, "60.0%")
	wantNumber(t, f, "Department", 8, dept, 55.6, "55.6")
	wantText(t, f, "Department", 9, dept, "Developing")
	wantNumber(t, f, "Department", 10, dept, 55.6, "55.6")
	wantNumber(t, f, "Department", 11, dept, 70, "70.0")
	wantNumber(t, f, "Department", 12, dept, 14.4, "14.4")
	wantNumber(t, f, "Department", 13, dept, 48, "48.0") // one decimal shown on a whole number
	wantNumber(t, f, "Department", 15, dept, 48, "48.0")
	wantNumber(t, f, "Department", 16, dept, 35.5, "35.5")
	wantNumber(t, f, "Department", 17, dept, -12.5, "-12.5")
	wantNumber(t, f, "Department", 22, dept, 0, "0.0") // -0.04 rounds to zero, not to minus zero

	spec := xlsxRow(t, f, "Department", "dept", "Specialist")
	wantNumber(t, f, "Department", 5, spec, 30, "30")
	wantNumber(t, f, "Department", 8, spec, 60, "60.0")
	// The first cell of a withheld figure says why; the rest of its cells say withheld.
	wantText(t, f, "Department", 18, spec, withheldText+" (protects another)") // the cell's withheld dimension
	for col := 19; col <= 22; col++ {
		wantText(t, f, "Department", col, spec, withheldText)
	}
	gen := xlsxRow(t, f, "Department", "dept", "'-Generalist")
	wantText(t, f, "Department", 5, gen, withheldText+" (small)")
	for col := 8; col <= 22; col++ {
		wantText(t, f, "Department", col, gen, withheldText)
	}

	dir := xlsxRow(t, f, "Directorates", "dir-a", "")
	wantNumber(t, f, "Directorates", 8, dir, 50.1, "50.1")
	wantText(t, f, "Directorates", 18, dir, withheldText+" (waiting for more answers)")
	for col := 19; col <= 22; col++ {
		wantText(t, f, "Directorates", col, dir, withheldText)
	}

	small := xlsxRow(t, f, "Teams", "team-small", "")
	wantText(t, f, "Teams", 5, small, withheldText+" (small)")
	for col := 6; col <= 22; col++ {
		wantText(t, f, "Teams", col, small, withheldText)
	}
	link := xlsxRow(t, f, "Teams", "t-link", "")
	wantNumber(t, f, "Teams", 8, link, 61.3, "61.3")
	wantNumber(t, f, "Teams", 7, link, 0.75, "75.0%")
}

func TestWriteXLSXSkills(t *testing.T) {
	f := openXLSX(t, downloadFixture())
	rows, err := f.GetRows("Skills")
	if err != nil {
		t.Fatal(err)
	}
	find := func(key, skill string) int {
		for i, r := range rows {
			if r[0] == key && (skill == "" && len(r) > 3 && r[3] == "" || len(r) > 3 && r[3] == skill) {
				return i + 1
			}
		}
		t.Fatalf("Skills: no row %q %q", key, skill)
		return 0
	}
	social := find("dept", "Social media")
	wantNumber(t, f, "Skills", 6, social, 118, "118")
	wantNumber(t, f, "Skills", 7, social, 0.667, "66.7%")
	wantNumber(t, f, "Skills", 8, social, 12, "12")
	wantNumber(t, f, "Skills", 9, social, 0.5, "50.0%")
	data := find("dept", "'+Data analysis")
	wantText(t, f, "Skills", 6, data, withheldText+" (small)")
	for col := 7; col <= 9; col++ {
		wantText(t, f, "Skills", col, data, withheldText)
	}
	small := find("team-small", "")
	wantText(t, f, "Skills", 6, small, withheldText+" (small)")
	for col := 7; col <= 9; col++ {
		wantText(t, f, "Skills", col, small, withheldText)
	}
}

func TestWriteXLSXNeutralisesHostileText(t *testing.T) {
	f := openXLSX(t, downloadFixture())
	for key, want := range map[string]string{
		"t-link":  "'" + nameHyperlink,
		"'+t-cmd": "'" + nameCmd,
		"t-minus": "'" + nameMinus,
		"t-at":    "'" + nameAt,
		"t-tab":   "'" + nameTab,
		"t-comma": nameComma,
	} {
		wantText(t, f, "Teams", 2, xlsxRow(t, f, "Teams", key, ""), want)
	}

	// No text cell anywhere starts a formula, and no cell is a formula.
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				name := cellName(t, c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, name); formula != "" {
					t.Errorf("%s!%s holds a formula %q", sheet, name, formula)
				}
				if v == "" || !strings.ContainsRune("=+-@\t\r\n", rune(v[0])) {
					continue
				}
				if typ, _ := f.GetCellType(sheet, name); !isNumberType(typ) {
					t.Errorf("%s!%s = %q starts a formula", sheet, name, v)
				}
			}
		}
	}
}

func TestWriteXLSXAbout(t *testing.T) {
	f := openXLSX(t, downloadFixture())
	rows, err := f.GetRows("About")
	if err != nil {
		t.Fatal(err)
	}
	facts := map[string]string{}
	for _, r := range rows {
		if len(r) >= 2 && r[0] != "Stage" {
			facts[r[0]] = r[1]
		}
	}
	for label, want := range map[string]string{
		"Wave": "2026-spring", "Survey version": "sha256:abc", "Threshold": "5", "Refreshed": "2026-05-01",
	} {
		if facts[label] != want {
			t.Errorf("About %s = %q, want %q", label, facts[label], want)
		}
	}
	if !strings.Contains(facts["Withheld"], "fewer than 5 responses") || !strings.Contains(facts["Withheld"], "protect") {
		t.Errorf("About says of withheld groups: %q", facts["Withheld"])
	}
	if !strings.Contains(facts["Scores"], "0 to 100") || !strings.Contains(facts["Scores"], "aspiration-to-reality") {
		t.Errorf("About says of scores: %q", facts["Scores"])
	}
	var stages []string
	for _, r := range rows {
		if len(r) >= 3 && r[0] == "Stage" {
			stages = append(stages, r[1]+" "+r[2])
		}
	}
	want := []string{"Aspiration 0.0", "Emerging 20.0", "Developing 40.0", "Embedded 60.0", "Reality 80.0"}
	if !slices.Equal(stages, want) {
		t.Errorf("About stages = %q, want %q", stages, want)
	}
}

// TestWriteXLSXDistributions: a Distributions sheet (before About) with a row per group and
// question, then per option or bin; a cell's skills on the Skills sheet, its option last.
func TestWriteXLSXDistributions(t *testing.T) {
	f := openXLSX(t, distributionsFixture())
	if got, want := f.GetSheetList(), []string{"Teams", "Skills", "Distributions", "About"}; !slices.Equal(got, want) {
		t.Errorf("sheets = %q, want %q", got, want)
	}
	rows, err := f.GetRows("Distributions")
	if err != nil {
		t.Fatal(err)
	}
	find := func(question, answer string) int {
		t.Helper()
		for i, r := range rows {
			if len(r) > 4 && r[3] == question && r[4] == answer || len(r) == 4 && answer == "" && r[3] == question {
				return i + 1
			}
		}
		t.Fatalf("Distributions: no row %q %q in %q", question, answer, rows)
		return 0
	}
	channels := find("Which channels?", "")
	wantNumber(t, f, "Distributions", 6, channels, 10, "10")
	email := find("Which channels?", "'=Email")
	wantNumber(t, f, "Distributions", 7, email, 6, "6")
	wantNumber(t, f, "Distributions", 8, email, 0.6, "60.0%")
	blogs := find("Which channels?", "Blogs")
	wantText(t, f, "Distributions", 7, blogs, withheldText+" (small)")
	wantText(t, f, "Distributions", 8, blogs, withheldText)
	wantNumber(t, f, "Distributions", 7, find("How many hours?", "0 to under 2 hours"), 0, "0")
	wantText(t, f, "Distributions", 7, find("How many hours?", "10 to 50 hours"), withheldText+" (protects another)")
	wantText(t, f, "Distributions", 6, find("How many people?", ""), withheldText+" (small)")

	skills, err := f.GetRows("Skills")
	if err != nil {
		t.Fatal(err)
	}
	if len(skills) != 2 || len(skills[1]) != 10 || skills[1][9] != "Specialist" || skills[0][9] != "Breakdown" {
		t.Fatalf("Skills: %q; want the specialists' data analysis, the option last", skills)
	}
	wantNumber(t, f, "Skills", 9, 2, 0.333, "33.3%")
}
