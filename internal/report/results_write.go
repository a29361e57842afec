package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// byteOrderMark opens the feed's CSV: without it Excel reads a CSV file as the machine's legacy
// code page, and a name such as "Équipe numérique" arrives garbled.
const byteOrderMark = "\uFEFF"

// WriteResultsCSV writes the results feed of the reports as CSV: a UTF-8 byte-order mark, a header
// row and one row per wave, group and measure (RFC 4180, CRLF line ends). Text is neutralised and
// numbers rounded as in WriteCSV. Rows are written as they are made, never held whole.
func WriteResultsCSV(w io.Writer, reps []*Report) error {
	if _, err := io.WriteString(w, byteOrderMark); err != nil {
		return fmt.Errorf("write results csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	record := make([]string, len(ResultsColumns))
	for i, c := range ResultsColumns {
		record[i] = neutralise(c.Name)
	}
	if err := cw.Write(record); err != nil {
		return fmt.Errorf("write results csv header: %w", err)
	}
	for row := range resultRows(reps) {
		for i, v := range row.values() {
			record[i] = csvCell(v)
		}
		if err := cw.Write(record); err != nil {
			return fmt.Errorf("write results csv row of wave %q, group %q: %w", row.wave.Key, row.group.Key, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write results csv: %w", err)
	}
	return nil
}

// csvCell writes one feed value as a CSV cell.
func csvCell(v any) string {
	switch v := v.(type) {
	case feedText:
		return neutralise(string(v))
	case feedOptional:
		return neutralise(string(v))
	case bool:
		return strconv.FormatBool(v)
	case *bool:
		return csvBool(v)
	case int:
		return strconv.Itoa(v)
	case *int:
		return csvInt(v)
	case feedScore:
		return csvScore(v.x)
	case feedRatio:
		return csvRatio(v.x)
	}
	return "" // nil: a withheld row's number
}

// WriteResultsJSON writes the results feed of the reports as one JSON object,
// {"survey": ..., "columns": [...], "rows": [{column: value}]}: each row has every column, null
// where the CSV is empty. Text is as written (JSON is not run by a spreadsheet); numbers are
// rounded as in the report's JSON. Rows are written as they are made, never held whole.
func WriteResultsJSON(w io.Writer, survey string, reps []*Report) error {
	bw := bufio.NewWriter(w)
	names := make([]string, len(ResultsColumns))
	keys := make([][]byte, len(ResultsColumns)) // each column's `"name":`, encoded once
	for i, c := range ResultsColumns {
		names[i] = c.Name
		k, _ := json.Marshal(c.Name)
		keys[i] = append(k, ':')
	}
	head, err := json.Marshal(struct {
		Survey  string   `json:"survey"`
		Columns []string `json:"columns"`
	}{survey, names})
	if err != nil {
		return fmt.Errorf("encode results head: %w", err)
	}
	bw.Write(head[:len(head)-1]) // bufio keeps the first error; Flush reports it
	bw.WriteString(`,"rows":[`)
	first := true
	for row := range resultRows(reps) {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		bw.WriteByte('{')
		for i, v := range row.values() {
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.Write(keys[i])
			cell, err := json.Marshal(jsonCell(v))
			if err != nil {
				return fmt.Errorf("encode results row of wave %q, group %q: %w", row.wave.Key, row.group.Key, err)
			}
			bw.Write(cell)
		}
		bw.WriteByte('}')
	}
	bw.WriteString("]}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write results json: %w", err)
	}
	return nil
}

// jsonCell is one feed value as JSON encodes it.
func jsonCell(v any) any {
	switch v := v.(type) {
	case feedText:
		return string(v)
	case feedOptional:
		if v == "" {
			return nil
		}
		return string(v)
	case feedScore:
		return roundPtr(v.x, 1)
	case feedRatio:
		return roundPtr(v.x, 3)
	}
	return v // bool, *bool, int, *int, or nil
}
