package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// The results workbook holds the feed's rows on a sheet "Results", as an Excel table of the same
// name (so Power Query and pivot tables find it by name), and an "About" sheet saying what each
// column holds. The rows are streamed into the sheet: a survey of many waves of 200 groups is tens
// of thousands of rows.

const (
	resultsSheet = "Results"
	resultsTable = "Results"
)

// WriteResultsXLSX writes the results feed of the reports as an Excel workbook.
func WriteResultsXLSX(w io.Writer, survey string, reps []*Report) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close results xlsx: %w", cerr)
		}
	}()
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", resultsSheet); err != nil {
		return fmt.Errorf("name results sheet: %w", err)
	}
	if err := writeResultsSheet(f, st, reps); err != nil {
		return fmt.Errorf("write sheet %s: %w", resultsSheet, err)
	}
	if about := writeResultsAbout(f, st, survey, len(reps)); about.err != nil {
		return fmt.Errorf("write sheet %s: %w", aboutSheet, about.err)
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write results xlsx: %w", err)
	}
	return nil
}

// writeResultsSheet streams the header and the rows, then makes them a table.
func writeResultsSheet(f *excelize.File, st *xlsxStyles, reps []*Report) error {
	sw, err := f.NewStreamWriter(resultsSheet)
	if err != nil {
		return err
	}
	for i, c := range ResultsColumns {
		if err := sw.SetColWidth(i+1, i+1, float64(min(max(len(c.Name)+4, 10), 24))); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	cells := make([]any, len(ResultsColumns))
	for i, c := range ResultsColumns {
		cells[i] = excelize.Cell{StyleID: st.header, Value: c.Name}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	row := 1
	for r := range resultRows(reps) {
		row++
		for i, v := range r.values() {
			cells[i] = xlsxCell(st, v)
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", row), cells); err != nil {
			return err
		}
	}
	if row > 1 {
		last, err := excelize.CoordinatesToCellName(len(ResultsColumns), row)
		if err != nil {
			return err
		}
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: resultsTable, StyleName: "TableStyleLight9"}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// xlsxCell is one feed value as a cell: text neutralised, numbers as numbers, rounded as in the
// CSV, with the score or percentage format; nil leaves the cell empty.
func xlsxCell(st *xlsxStyles, v any) any {
	switch v := v.(type) {
	case feedText:
		return xlsxText(string(v))
	case feedOptional:
		return xlsxText(string(v))
	case bool, int:
		return v
	case *bool:
		if v == nil {
			return nil
		}
		return *v
	case *int:
		if v == nil {
			return nil
		}
		return excelize.Cell{StyleID: st.integer, Value: *v}
	case feedScore:
		return xlsxRounded(v.x, 1, st.score)
	case feedRatio:
		return xlsxRounded(v.x, 3, st.ratio)
	}
	return nil
}

func xlsxText(s string) any {
	if s == "" {
		return nil
	}
	return neutralise(s)
}

func xlsxRounded(x *float64, places, style int) any {
	if x == nil {
		return nil
	}
	r, ok := rounded(*x, places)
	if !ok {
		return nil
	}
	return excelize.Cell{StyleID: style, Value: r}
}

// writeResultsAbout says what the workbook holds and what each column means.
func writeResultsAbout(f *excelize.File, st *xlsxStyles, survey string, waves int) *xlsxSheet {
	s := newXLSXSheet(f, st, aboutSheet)
	s.at(1, 1, func(string) error { return f.SetColWidth(aboutSheet, "A", "A", 22) })
	s.at(1, 1, func(string) error { return f.SetColWidth(aboutSheet, "B", "B", 100) })
	s.at(1, 1, func(string) error { return f.SetColStyle(aboutSheet, "B", st.wrap) })
	row := 0
	line := func(label, value string) {
		row++
		s.text(1, row, label, st.label)
		s.text(2, row, value, 0)
	}
	line("Survey", survey)
	line("Waves", "")
	s.integer(2, row, &waves)
	line("Rows", "One row per wave, group and measure (the overall score, then each dimension): wave, group "+
		"and measure together are the row's key. Waves run oldest first; waves not yet open are left out.")
	line("Withheld", "A withheld figure keeps its labels and reason and has no number at all, so no group "+
		"smaller than its wave's threshold can be read or worked out by subtraction.")
	line("Text", "Text starting with =, +, - or @ is shown with a leading ' so that no spreadsheet runs it "+
		"as a formula.")
	row++
	for _, c := range ResultsColumns {
		line(c.Name, c.About)
	}
	return s
}
