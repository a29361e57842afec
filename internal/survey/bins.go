package survey

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// A number question's answers are reported as counts in bins. Bin i holds the answers from
// BinEdges()[i] up to, not including, the next edge; the last bin holds everything from its edge
// up to max. Where the definition gives no bins, a question with both min and max has
// DefaultBins of equal width from min to max (a whole number wide where min and max are whole
// numbers at least DefaultBins apart); one without either has no distribution.

// DefaultBins is how many bins of equal width a number question with min and max and no bins of
// its own is reported in.
const DefaultBins = 4

// MaxBins is the most bins a number question may list.
const MaxBins = 20

// BinEdges returns where each bin of a number question's distribution starts, lowest first: its
// bins, or DefaultBins of equal width from min to max (fewer where whole-number widths reach max
// sooner). Nil for other questions, and for a number
// question without bins, min or max.
func (q *Question) BinEdges() []float64 {
	switch {
	case q.Type != TypeNumber:
		return nil
	case len(q.Bins) > 0:
		return q.Bins
	case q.Min == nil || q.Max == nil || *q.Max <= *q.Min:
		return nil
	}
	lo, hi := *q.Min, *q.Max
	width := (hi - lo) / DefaultBins
	if lo == math.Trunc(lo) && hi == math.Trunc(hi) && hi-lo >= DefaultBins {
		width = math.Ceil(width) // whole numbers stay whole: 1 to 500 in bins from 1, 126, 251 and 376
	}
	var edges []float64
	for i := 0; i < DefaultBins && lo+width*float64(i) < hi; i++ {
		edges = append(edges, lo+width*float64(i))
	}
	return edges
}

// Bin returns the index of the bin a number answer falls in; false where the question has no bins.
// Answers are checked against min, so none falls below the first bin.
func (q *Question) Bin(answer float64) (int, bool) {
	edges := q.BinEdges()
	if len(edges) == 0 {
		return 0, false
	}
	// The last edge at or below the answer: the bins are [edge i, edge i+1).
	i := sort.Search(len(edges), func(i int) bool { return edges[i] > answer }) - 1
	return max(i, 0), true
}

// BinEnd returns where bin i ends: the next bin's start (not included), or for the last bin the
// question's max (included); nil for the last bin of a question without max.
func (q *Question) BinEnd(i int) *float64 {
	edges := q.BinEdges()
	if i+1 < len(edges) {
		return &edges[i+1]
	}
	return q.Max
}

// numberBins checks the bins of every question: only number questions have them, and every answer
// min and max allow falls in exactly one.
func (v *validator) numberBins() {
	for i := range v.d.Sections {
		for j := range v.d.Sections[i].Questions {
			v.bins(&v.d.Sections[i].Questions[j])
		}
	}
}

func (v *validator) bins(q *Question) {
	if _, set := q.keys["bins"]; !set {
		return
	}
	line, b := q.At("bins"), q.Bins
	increasing := true
	for i := 1; i < len(b); i++ {
		increasing = increasing && b[i] > b[i-1]
	}
	switch {
	case q.Type != TypeNumber:
		v.add(line, "question %q of type %s cannot have bins", q.Key, q.Type)
	case len(b) < 2 || len(b) > MaxBins:
		v.add(line, "question %q has %d bins; it needs 2 to %d", q.Key, len(b), MaxBins)
	case !increasing:
		v.add(line, "question %q has bins %s; each must start above the one before", q.Key, floatList(b))
	case q.Min == nil:
		v.add(line, "question %q has bins but no min; set min so that every answer falls in a bin", q.Key)
	case b[0] > *q.Min || b[1] <= *q.Min:
		v.add(line, "question %q has bins starting at %g and %g; the first must start at or below min %g, the second above it",
			q.Key, b[0], b[1], *q.Min)
	case q.Max != nil && b[len(b)-1] >= *q.Max:
		v.add(line, "question %q has a bin starting at %g; every bin must start below max %g", q.Key, b[len(b)-1], *q.Max)
	}
}

func floatList(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%g", x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
