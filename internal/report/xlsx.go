package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// The workbook is for people reading figures, where the CSV is for tools: one sheet per level with a
// row per group (and per breakdown cell beneath it) and, for the overall score and each dimension,
// its mean, stage and gap; a Skills sheet with a row per group (and breakdown cell) and skill; a
// Distributions sheet with a row per group, question and option or bin; an About sheet saying what
// the figures mean. Detailed statistics (median, SD, confidence interval, alpha) are in the CSV.
//
// Text from the hierarchy and the definition is neutralised as in the CSV, although excelize stores
// it as text: a reader who saves the sheet as CSV would otherwise carry a formula out with it. Such a
// cell shows its leading quote, which is the honest sign that the name began with a formula character.

// levelSheets names the sheet of each level, in the order the sheets appear.
var levelSheets = []struct{ level, sheet string }{
	{LevelDepartment, "Department"},
	{LevelDirectorate, "Directorates"},
	{LevelTeam, "Teams"},
}

const (
	skillsSheet        = "Skills"
	distributionsSheet = "Distributions"
	aboutSheet         = "About"
	withheldText       = "withheld"
	// headcountOutdatedText stands in the response rate of a group with more responses than its
	// headcount, where a rate over 100% would mislead.
	headcountOutdatedText = "headcount outdated"
)

// WriteXLSX writes the report as an Excel workbook.
func WriteXLSX(w io.Writer, rep *Report) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close xlsx: %w", cerr)
		}
	}()
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	var sheets []*xlsxSheet
	for _, ls := range levelSheets {
		if groups := groupsAt(rep, ls.level); len(groups) > 0 {
			sheets = append(sheets, writeLevelSheet(f, st, ls.sheet, rep, groups))
		}
	}
	sheets = append(sheets, writeSkillsSheet(f, st, rep))
	if len(rep.Distributions) > 0 {
		sheets = append(sheets, writeDistributionsSheet(f, st, rep))
	}
	sheets = append(sheets, writeAboutSheet(f, st, rep))
	for _, s := range sheets {
		if s.err != nil {
			return fmt.Errorf("write sheet %s: %w", s.name, s.err)
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return fmt.Errorf("drop default sheet: %w", err)
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

func groupsAt(rep *Report, level string) []*Group {
	var out []*Group
	for i := range rep.Groups {
		if rep.Groups[i].Level == level {
			out = append(out, &rep.Groups[i])
		}
	}
	return out
}

// xlsxStyles are the workbook's cell styles.
type xlsxStyles struct {
	header, label, wrap, score, ratio, integer, withheld int
}

func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	one, pct := "0.0", "0.0%"
	st := &xlsxStyles{}
	for _, d := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.label, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&st.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.score, excelize.Style{CustomNumFmt: &one}},
		{&st.ratio, excelize.Style{CustomNumFmt: &pct}},
		{&st.integer, excelize.Style{NumFmt: 1}}, // built-in "0"
		{&st.withheld, excelize.Style{Font: &excelize.Font{Italic: true, Color: "808080"}}},
	} {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return nil, fmt.Errorf("create xlsx style: %w", err)
		}
		*d.id = id
	}
	return st, nil
}

// xlsxSheet writes cells into one worksheet, keeping the first error so callers can write a run of cells
// and check once.
type xlsxSheet struct {
	f    *excelize.File
	st   *xlsxStyles
	name string
	err  error
}

func newXLSXSheet(f *excelize.File, st *xlsxStyles, name string) *xlsxSheet {
	s := &xlsxSheet{f: f, st: st, name: name}
	_, s.err = f.NewSheet(name)
	return s
}

// at runs write on the cell at column col and row row (both from 1) unless an error came first.
func (s *xlsxSheet) at(col, row int, write func(cell string) error) {
	if s.err != nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err == nil {
		err = write(cell)
	}
	s.err = err
}

// text writes hostile-safe text; an empty string leaves the cell empty.
func (s *xlsxSheet) text(col, row int, v string, style int) {
	if v == "" {
		return
	}
	s.at(col, row, func(c string) error {
		if err := s.f.SetCellStr(s.name, c, neutralise(v)); err != nil {
			return err
		}
		if style == 0 {
			return nil
		}
		return s.f.SetCellStyle(s.name, c, c, style)
	})
}

// number writes x rounded to places as a number cell in the given style; nil or NaN leaves it empty.
func (s *xlsxSheet) number(col, row int, x *float64, places, style int) {
	if x == nil {
		return
	}
	r, ok := rounded(*x, places)
	if !ok {
		return
	}
	s.at(col, row, func(c string) error {
		if err := s.f.SetCellFloat(s.name, c, r, places, 64); err != nil {
			return err
		}
		return s.f.SetCellStyle(s.name, c, c, style)
	})
}

func (s *xlsxSheet) score(col, row int, x *float64) { s.number(col, row, x, 1, s.st.score) }
func (s *xlsxSheet) ratio(col, row int, x *float64) { s.number(col, row, x, 3, s.st.ratio) }

func (s *xlsxSheet) integer(col, row int, n *int) {
	if n == nil {
		return
	}
	s.at(col, row, func(c string) error {
		if err := s.f.SetCellInt(s.name, c, int64(*n)); err != nil {
			return err
		}
		return s.f.SetCellStyle(s.name, c, c, s.st.integer)
	})
}

// withheld marks columns from..to of a row as withheld, the first with the reason.
func (s *xlsxSheet) withheld(from, to, row int, reason string) {
	for col := from; col <= to; col++ {
		text := withheldText
		if col == from && reason != "" {
			text += " (" + reason + ")"
		}
		s.text(col, row, text, s.st.withheld)
	}
}

// xlsxColumn is a header cell and its width in characters.
type xlsxColumn struct {
	title string
	width float64
}

// header writes a bold header row, sets the widths, freezes the header and the first `frozen` columns
// and puts a filter on the header.
func (s *xlsxSheet) header(cols []xlsxColumn, frozen, lastRow int) {
	for i, c := range cols {
		s.text(i+1, 1, c.title, s.st.header)
		s.at(i+1, 1, func(cell string) error {
			name, err := excelize.ColumnNumberToName(i + 1)
			if err != nil {
				return err
			}
			return s.f.SetColWidth(s.name, name, name, c.width)
		})
	}
	s.at(frozen+1, 2, func(topLeft string) error {
		return s.f.SetPanes(s.name, &excelize.Panes{Freeze: true, XSplit: frozen, YSplit: 1, TopLeftCell: topLeft,
			ActivePane: "bottomRight", Selection: []excelize.Selection{{SQRef: topLeft, ActiveCell: topLeft, Pane: "bottomRight"}}})
	})
	s.at(len(cols), max(lastRow, 1), func(last string) error {
		return s.f.AutoFilter(s.name, "A1:"+last, nil)
	})
}

// xlsxMeasureWidth sizes a column headed by a definition's title: wide enough to read, never sprawling.
func xlsxMeasureWidth(title string) float64 {
	return float64(min(max(len([]rune(title))/2+2, 10), 24))
}

// writeLevelSheet writes one level's groups: key, name, parent, [breakdown], responses, headcount,
// response rate, then mean, stage and gap of the overall score and of each dimension.
func writeLevelSheet(f *excelize.File, st *xlsxStyles, name string, rep *Report, groups []*Group) *xlsxSheet {
	s := newXLSXSheet(f, st, name)
	cols := []xlsxColumn{{"Group", 18}, {"Name", 36}, {"Parent", 18}}
	if rep.Breakdown != nil {
		cols = append(cols, xlsxColumn{"Breakdown", 18})
	}
	figures := len(cols) + 1 // first column of figures
	cols = append(cols, xlsxColumn{"Responses", 11}, xlsxColumn{"Headcount", 11}, xlsxColumn{"Response rate", 11})
	measures := append([]Dimension{{Key: "overall", Title: "Overall"}}, rep.Dimensions...)
	for _, m := range measures {
		w := xlsxMeasureWidth(m.Title)
		cols = append(cols, xlsxColumn{m.Title, w}, xlsxColumn{m.Title + " stage", w}, xlsxColumn{m.Title + " now", w},
			xlsxColumn{m.Title + " target", w}, xlsxColumn{m.Title + " gap", w})
	}
	last := len(cols)
	row := 1
	for _, g := range groups {
		row++
		xlsxLabelRow(s, row, g, "")
		if g.Withheld {
			s.withheld(figures, last, row, g.Reason)
			continue
		}
		s.integer(figures, row, g.N)
		s.integer(figures+1, row, g.Headcount)
		if g.ResponseRate != nil {
			s.ratio(figures+2, row, floatRef(float64(*g.ResponseRate)))
		}
		if g.HeadcountOutdated {
			s.text(figures+2, row, headcountOutdatedText, st.withheld)
		}
		xlsxMeasureCells(s, rep, row, figures+3, g.Overall, g.Dimensions)
		for _, c := range g.Cells {
			row++
			label := optionLabel(rep, c.Option)
			if label == "" {
				label = c.Option
			}
			xlsxLabelRow(s, row, g, label)
			if c.Withheld {
				s.withheld(figures, figures, row, c.Reason)
				s.withheld(figures+3, last, row, "")
				continue
			}
			s.integer(figures, row, c.N)
			xlsxMeasureCells(s, rep, row, figures+3, c.Overall, c.Dimensions)
		}
	}
	s.header(cols, 2, row)
	return s
}

// xlsxLabelRow writes a row's group key, name, parent and, for a breakdown cell, the option's label (cells
// exist only in a report with a breakdown, so column 4 is then the Breakdown column).
func xlsxLabelRow(s *xlsxSheet, row int, g *Group, cell string) {
	s.text(1, row, g.Key, 0)
	s.text(2, row, g.Name, 0)
	if g.Parent != nil {
		s.text(3, row, *g.Parent, 0)
	}
	s.text(4, row, cell, 0)
}

// measureColumns is how many columns each measure takes: maturity score, stage, now, target, gap.
const measureColumns = 5

// xlsxMeasureCells writes the maturity score, stage, self-rated now, target and gap of the overall
// score and each dimension from column col.
func xlsxMeasureCells(s *xlsxSheet, rep *Report, row, col int, overall *Figures, dims map[string]*Figures) {
	sets := []*Figures{overall}
	for _, d := range rep.Dimensions {
		sets = append(sets, dims[d.Key])
	}
	for i, fs := range sets {
		c := col + measureColumns*i
		switch {
		case fs == nil:
		case fs.Withheld:
			s.withheld(c, c+measureColumns-1, row, fs.Reason)
		default:
			s.score(c, row, &fs.Mean)
			s.text(c+1, row, stageLabel(rep, fs.Stage), 0)
			s.score(c+2, row, fs.Now)
			s.score(c+3, row, fs.Target)
			s.score(c+4, row, fs.Gap)
		}
	}
}

func stageLabel(rep *Report, key string) string {
	for _, st := range rep.Stages {
		if st.Key == key && st.Label != "" {
			return st.Label
		}
	}
	return key
}

// writeAboutSheet says what the workbook holds and how to read it.
func writeAboutSheet(f *excelize.File, st *xlsxStyles, rep *Report) *xlsxSheet {
	s := newXLSXSheet(f, st, aboutSheet)
	// Column styles first: cells written afterwards take them up (explanations wrap in a wide column).
	s.at(1, 1, func(string) error { return f.SetColWidth(aboutSheet, "A", "A", 16) })
	s.at(1, 1, func(string) error { return f.SetColWidth(aboutSheet, "B", "B", 100) })
	s.at(1, 1, func(string) error { return f.SetColStyle(aboutSheet, "B", st.wrap) })
	row := 0
	line := func(label, value string) {
		row++
		s.text(1, row, label, st.label)
		s.text(2, row, value, 0)
	}
	k := rep.Wave.Threshold
	line("Survey", rep.Wave.Survey)
	line("Wave", rep.Wave.Key)
	line("Wave title", rep.Wave.Title)
	line("Survey version", rep.Wave.Version)
	line("Wave state", rep.Wave.State)
	if !rep.Wave.AnswersVerified {
		line("Not verified", UnverifiedNotice)
	}
	if rep.Wave.ScoresAfterClosing {
		line("Scores", ScoresAfterClosingNotice)
	}
	if rep.Wave.BreakdownsAfterClosing && rep.Breakdown != nil {
		line("Breakdown", BreakdownsAfterClosingNotice)
	}
	line("Threshold", "")
	s.integer(2, row, &k)
	line("Refreshed", rep.Refreshed)
	line("Levels", rep.Level)
	if rep.Breakdown != nil {
		line("Breakdown", rep.Breakdown.Text)
	}
	line("Withheld", fmt.Sprintf("A group, breakdown cell or figure marked %q has fewer than %d responses (the "+
		"threshold; marked %q), or is withheld to protect such a group, whose figures could otherwise be worked "+
		"out by subtraction (%q), or, while the wave is open, waits for more answers before its first figures "+
		"(%q). Withheld cells carry no numbers.", withheldText, k, ReasonSmall, ReasonProtectsAnother, ReasonWaiting))
	line("Scores", "Scores run from 0 to 100 on the aspiration-to-reality scale: 0 is where digital is an "+
		"aspiration, 100 where digital work is the reality, the norm. Each mean falls in one of the stages "+
		"below, which starts at the score shown.")
	line("Maturity score", "A measure's score (the column named after it) is the mean of all its scored answers.")
	line("Now", "The self-rated now: the mean \"now\" answer of the measure's aspiration-reality questions, "+
		"on the same 0 to 100 scale. Empty where a group has no such answers.")
	line("Target", "The mean \"should be\" answer of the same questions: where people say the group should be.")
	line("Gap", "Target minus now: how far a group still has to go, in points.")
	line("Response rate", fmt.Sprintf("Responses divided by the team's headcount, where the headcount is known. "+
		"%q where there are more responses than the headcount: the imported headcount is older than the "+
		"answers, and a rate over 100%% would mislead.", headcountOutdatedText))
	line("Skills", "Coverage is the share at working level or above; depth the number at practitioner or "+
		"above (0 or 1 is a risk); meets expected the share at or above the level their role needs.")
	if len(rep.Distributions) > 0 {
		line("Distributions", "How a group answered its questions of several choices and its number questions: "+
			"of those who answered (Answered), how many chose each option or answered within each range (Count), "+
			"and their share. Options may be chosen together, so their shares can add up to more than 100%. An "+
			"option is withheld where fewer than the threshold chose it, or did not choose it.")
	}
	row++
	for _, stage := range rep.Stages {
		line("Stage", stage.Label)
		s.number(3, row, &stage.From, 1, st.score)
	}
	return s
}
