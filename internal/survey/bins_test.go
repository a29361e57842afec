package survey

import (
	"fmt"
	"testing"
)

func TestBinProblems(t *testing.T) {
	at := func(line int, msg string) string { return fmt.Sprintf("%s:%d: %s", baseName, line, msg) }
	num := "{key: num, type: number, text: How many, min: 0, max: 10}"
	withBins := func(bins string) string {
		return edit(num, "{key: num, type: number, text: How many, min: 0, max: 10, bins: "+bins+"}")
	}
	for _, tc := range []problemCase{
		{name: "bins on a multi_choice question", doc: edit("max_choices: 2}", "max_choices: 2, bins: [0, 1]}"),
			want: at(23, `question "multi" of type multi_choice cannot have bins`)},
		{name: "one bin", doc: withBins("[0]"), want: at(21, `question "num" has 1 bins; it needs 2 to 20`)},
		{name: "too many bins", doc: edit(num, "{key: num, type: number, text: How many, min: 0, max: 100, bins: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]}"),
			want: at(21, `question "num" has 21 bins; it needs 2 to 20`)},
		{name: "bins out of order", doc: withBins("[0, 5, 3]"), want: at(21, `question "num" has bins [0, 5, 3]; each must start above the one before`)},
		{name: "a bin twice", doc: withBins("[0, 5, 5]"), want: at(21, `question "num" has bins [0, 5, 5]; each must start above the one before`)},
		{name: "bins without min", doc: edit(num, "{key: num, type: number, text: How many, max: 10, bins: [0, 5]}"),
			want: at(21, `question "num" has bins but no min; set min so that every answer falls in a bin`)},
		{name: "first bin above min", doc: withBins("[1, 5]"),
			want: at(21, `question "num" has bins starting at 1 and 5; the first must start at or below min 0, the second above it`)},
		{name: "second bin at min", doc: withBins("[-5, 0, 5]"),
			want: at(21, `question "num" has bins starting at -5 and 0; the first must start at or below min 0, the second above it`)},
		{name: "a bin at max", doc: withBins("[0, 5, 10]"), want: at(21, `question "num" has a bin starting at 10; every bin must start below max 10`)},
	} {
		t.Run(tc.name, func(t *testing.T) { checkProblemCase(t, tc) })
	}
}

// TestBins works out by hand which bin answers fall in, with the definition's bins and the
// default ones (four of equal width from min to max).
func TestBins(t *testing.T) {
	doc := edit("{key: num, type: number, text: How many, min: 0, max: 10}",
		"{key: num, type: number, text: How many, min: 0, max: 10, bins: [0, 2, 5]}\n"+
			"      - {key: plain, type: number, text: How many more, min: 10, max: 30}\n"+
			"      - {key: open, type: number, text: How many else, min: 0}\n"+
			"      - {key: wide, type: number, text: How many people, min: 1, max: 500}\n"+
			"      - {key: narrow, type: number, text: How many days, min: 1, max: 3}\n"+
			"      - {key: eight, type: number, text: How many weeks, min: 0, max: 8}\n"+
			"      - {key: fraction, type: number, text: How much, min: 0, max: 1}")
	d, err := Parse(baseName, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		question string
		answer   float64
		bin      int
		ok       bool
	}{
		{"num", 0, 0, true}, {"num", 1.9, 0, true}, {"num", 2, 1, true}, {"num", 4, 1, true},
		{"num", 5, 2, true}, {"num", 10, 2, true},
		{"plain", 10, 0, true}, {"plain", 14.9, 0, true}, {"plain", 15, 1, true}, {"plain", 25, 3, true}, {"plain", 30, 3, true},
		{"open", 3, 0, false}, {"txt", 3, 0, false},
	} {
		q, _ := d.Question(tc.question)
		if bin, ok := q.Bin(tc.answer); bin != tc.bin || ok != tc.ok {
			t.Errorf("%s: %g is in bin %d, %v; want %d, %v", tc.question, tc.answer, bin, ok, tc.bin, tc.ok)
		}
	}
	ends := func(key string) string {
		q, _ := d.Question(key)
		var out []string
		for i, from := range q.BinEdges() {
			to := "none"
			if end := q.BinEnd(i); end != nil {
				to = fmt.Sprint(*end)
			}
			out = append(out, fmt.Sprintf("%g-%s", from, to))
		}
		return fmt.Sprint(out)
	}
	if got := ends("num"); got != "[0-2 2-5 5-10]" {
		t.Errorf("num's bins: %s", got)
	}
	if got := ends("plain"); got != "[10-15 15-20 20-25 25-30]" {
		t.Errorf("plain's default bins: %s", got)
	}
	if got := ends("wide"); got != "[1-126 126-251 251-376 376-500]" {
		t.Errorf("wide's default bins: %s; want whole numbers", got)
	}
	if got := ends("narrow"); got != "[1-1.5 1.5-2 2-2.5 2.5-3]" {
		t.Errorf("narrow's default bins: %s", got)
	}
	if got := ends("eight"); got != "[0-2 2-4 4-6 6-8]" {
		t.Errorf("eight's default bins: %s", got)
	}
	if got := ends("fraction"); got != "[0-0.25 0.25-0.5 0.5-0.75 0.75-1]" {
		t.Errorf("fraction's default bins: %s", got)
	}
	if got := ends("open"); got != "[]" {
		t.Errorf("open's bins: %s; want none without max", got)
	}
}
