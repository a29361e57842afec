package stats

import (
	"math"
	"slices"
	"testing"
)

// The scores {2, 4, 4, 4, 5, 5, 7, 9} by hand:
//
//	mean   = 40/8 = 5
//	deviations −3, −1, −1, −1, 0, 0, 2, 4; squares sum to 9+1+1+1+0+0+4+16 = 32
//	SD     = √(32/7) ≈ 2.13809 (sample, n−1 = 7)
//	median = (4 + 5)/2 = 4.5 (the 4th and 5th of 8 sorted scores)
//	CI95   = 5 ± t₀.₉₇₅(7)·√(32/7)/√8 = 5 ± 2.3646·√(4/7) = 5 ± 1.78747,
//	         i.e. [3.21253, 6.78747], with t₀.₉₇₅(7) = 2.3646 from the t table.
var (
	handScores = []float64{2, 4, 4, 4, 5, 5, 7, 9}
	handSD     = math.Sqrt(32.0 / 7)
	handCI     = [2]float64{3.21253, 6.78747}
)

// ciTol allows for the four-decimal table values of t used in the expected
// intervals: their rounding (at most 0.5e-4) is scaled by sd/√n, at most
// 1.8 in these cases, and the hand arithmetic keeps five decimals.
const ciTol = 1e-4

func TestMeanMedianSD(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name               string
		xs                 []float64
		mean, median, sdev float64
	}{
		{"hand example", handScores, 5, 4.5, handSD},
		{"odd count unsorted", []float64{3, 1, 2}, 2, 2, 1},
		{"constant", []float64{7, 7, 7, 7}, 7, 7, 0},
		{"single score", []float64{42}, 42, 42, nan},
		{"empty", nil, nan, nan, nan},
		// Two scores: SD = |a − b|/√2.
		{"two scores", []float64{0, 100}, 50, 50, 100 / math.Sqrt2},
	}
	for _, tc := range tests {
		if got := Mean(tc.xs); !near(got, tc.mean, 1e-12) {
			t.Errorf("%s: Mean = %v, want %v", tc.name, got, tc.mean)
		}
		if got := Median(tc.xs); !near(got, tc.median, 1e-12) {
			t.Errorf("%s: Median = %v, want %v", tc.name, got, tc.median)
		}
		if got := SD(tc.xs); !near(got, tc.sdev, 1e-12) {
			t.Errorf("%s: SD = %v, want %v", tc.name, got, tc.sdev)
		}
	}
}

func TestMedianLeavesInputAlone(t *testing.T) {
	xs := []float64{9, 1, 5, 3}
	before := slices.Clone(xs)
	if got := Median(xs); got != 4 {
		t.Errorf("Median = %v, want 4", got)
	}
	if !slices.Equal(xs, before) {
		t.Errorf("Median reordered its input: %v, was %v", xs, before)
	}
}

func TestMedianNaN(t *testing.T) {
	if got := Median([]float64{1, math.NaN(), 3}); !math.IsNaN(got) {
		t.Errorf("Median with a NaN = %v, want NaN", got)
	}
}

func TestSummarise(t *testing.T) {
	nan := math.NaN()
	nanCI := [2]float64{nan, nan}
	tests := []struct {
		name string
		vc   []ValueCount
		want Summary
	}{
		{
			name: "hand example as counts, unsorted",
			vc:   []ValueCount{{7, 1}, {4, 3}, {9, 1}, {2, 1}, {5, 2}},
			want: Summary{N: 8, Mean: 5, Median: 4.5, SD: handSD, CI95: handCI},
		},
		{
			// 1, 1, 3, 10, 10: the 3rd score; mean 25/5 = 5;
			// squares 16+16+4+25+25 = 86, SD = √(86/4) = √21.5.
			name: "odd N, median inside a single count",
			vc:   []ValueCount{{10, 2}, {1, 2}, {3, 1}},
			want: Summary{N: 5, Mean: 5, Median: 3, SD: math.Sqrt(21.5), CI95: CI95(5, 5, math.Sqrt(21.5))},
		},
		{
			// 1, 1, 3, 3: the middle pair straddles two values.
			name: "even N, median between two values",
			vc:   []ValueCount{{3, 2}, {1, 2}},
			want: Summary{N: 4, Mean: 2, Median: 2, SD: math.Sqrt(4.0 / 3), CI95: CI95(4, 2, math.Sqrt(4.0/3))},
		},
		{
			// 5, 5, 7 once the zero count is dropped and the repeated value merged.
			name: "zero count and repeated value",
			vc:   []ValueCount{{0, 0}, {5, 1}, {7, 1}, {5, 1}},
			want: Summary{N: 3, Mean: 17.0 / 3, Median: 5, SD: math.Sqrt(4.0 / 3), CI95: CI95(3, 17.0/3, math.Sqrt(4.0/3))},
		},
		{
			name: "single respondent",
			vc:   []ValueCount{{60, 1}},
			want: Summary{N: 1, Mean: 60, Median: 60, SD: nan, CI95: nanCI},
		},
		{
			name: "all give the same score",
			vc:   []ValueCount{{80, 4}},
			want: Summary{N: 4, Mean: 80, Median: 80, SD: 0, CI95: [2]float64{80, 80}},
		},
		{
			name: "no respondents",
			vc:   nil,
			want: Summary{Mean: nan, Median: nan, SD: nan, CI95: nanCI},
		},
		{
			name: "negative count",
			vc:   []ValueCount{{5, 3}, {6, -1}},
			want: Summary{Mean: nan, Median: nan, SD: nan, CI95: nanCI},
		},
		{
			name: "NaN value",
			vc:   []ValueCount{{5, 3}, {nan, 1}},
			want: Summary{Mean: nan, Median: nan, SD: nan, CI95: nanCI},
		},
	}
	for _, tc := range tests {
		got := Summarise(tc.vc)
		if got.N != tc.want.N ||
			!near(got.Mean, tc.want.Mean, 1e-12) ||
			!near(got.Median, tc.want.Median, 1e-12) ||
			!near(got.SD, tc.want.SD, 1e-12) ||
			!near(got.CI95[0], tc.want.CI95[0], ciTol) ||
			!near(got.CI95[1], tc.want.CI95[1], ciTol) {
			t.Errorf("%s: Summarise = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// Summarise must agree with the slice functions on the same scores spelled
// out, for a spread of count patterns.
func TestSummariseMatchesExpandedScores(t *testing.T) {
	for _, vc := range [][]ValueCount{
		{{0, 3}, {25, 1}, {50, 4}, {75, 2}, {100, 5}},
		{{33.3, 1}, {66.7, 1}},
		{{10, 1}, {20, 1}, {30, 1}, {40, 1}, {50, 100}},
		{{90, 7}, {10, 6}},
	} {
		var xs []float64
		for _, c := range vc {
			for range c.Count {
				xs = append(xs, c.Value)
			}
		}
		got := Summarise(vc)
		if got.N != len(xs) || !near(got.Mean, Mean(xs), 1e-12) ||
			got.Median != Median(xs) || !near(got.SD, SD(xs), 1e-12) {
			t.Errorf("Summarise(%v) = %+v; scores give N=%d mean=%v median=%v SD=%v",
				vc, got, len(xs), Mean(xs), Median(xs), SD(xs))
		}
	}
}

func TestSummaryFromMoments(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name           string
		n              int
		sum, sumSq     float64
		wantMean, want float64
	}{
		// Hand example: Σx = 40, Σx² = 4 + 3·16 + 2·25 + 49 + 81 = 232;
		// 232 − 40²/8 = 32, so SD = √(32/7) as before.
		{"hand example", 8, 40, 232, 5, handSD},
		{"single score", 1, 37, 37 * 37, 37, nan},
		{"no scores", 0, 0, 0, nan, nan},
		// Scores 0, 100 twice each: Σx = 200, Σx² = 20000;
		// 20000 − 200²/4 = 10000, SD = √(10000/3).
		{"extremes of the scale", 4, 200, 20000, 50, math.Sqrt(10000.0 / 3)},
	}
	for _, tc := range tests {
		mean, sd := SummaryFromMoments(tc.n, tc.sum, tc.sumSq)
		if !near(mean, tc.wantMean, 1e-12) || !near(sd, tc.want, 1e-12) {
			t.Errorf("%s: SummaryFromMoments(%d, %v, %v) = (%v, %v), want (%v, %v)",
				tc.name, tc.n, tc.sum, tc.sumSq, mean, sd, tc.wantMean, tc.want)
		}
	}
}

// Three scores of 99.9 summed left to right in float64 give
// Σx = 299.70000000000005 and Σx² = 29940.030000000006, for which
// Σx² − (Σx/3)·Σx is −3.6e-12 (checked with the same IEEE arithmetic in
// Python). Without the clamp the SD would be NaN.
func TestSummaryFromMomentsClampsRounding(t *testing.T) {
	mean, sd := SummaryFromMoments(3, 299.70000000000005, 29940.030000000006)
	if !near(mean, 99.9, 1e-12) {
		t.Errorf("mean = %v, want 99.9", mean)
	}
	// 0 on amd64; a fused multiply-add elsewhere may leave a tiny positive.
	if !(sd >= 0 && sd < 1e-5) {
		t.Errorf("sd = %v, want 0 (or rounding noise), not NaN", sd)
	}
}

func TestCI95(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name     string
		n        int
		mean, sd float64
		want     [2]float64
	}{
		{"hand example", 8, 5, handSD, handCI},
		// 50 ± t₀.₉₇₅(30)·10/√31 = 50 ± 2.0423·1.796053 = 50 ± 3.66808.
		{"n = 31", 31, 50, 10, [2]float64{46.33192, 53.66808}},
		// 10 ± t₀.₉₇₅(1)·2/√2 = 10 ± 12.7062·1.414214 = 10 ± 17.96928.
		{"n = 2", 2, 10, 2, [2]float64{-7.96928, 27.96928}},
		{"zero spread", 5, 70, 0, [2]float64{70, 70}},
		{"n = 1", 1, 10, 2, [2]float64{nan, nan}},
		{"negative sd", 10, 10, -1, [2]float64{nan, nan}},
		{"NaN sd", 10, 10, nan, [2]float64{nan, nan}},
	}
	for _, tc := range tests {
		got := CI95(tc.n, tc.mean, tc.sd)
		if !near(got[0], tc.want[0], ciTol) || !near(got[1], tc.want[1], ciTol) {
			t.Errorf("%s: CI95(%d, %v, %v) = %v, want %v", tc.name, tc.n, tc.mean, tc.sd, got, tc.want)
		}
	}
}

// TestTQuantilesKeepTheQuantiles: intervals from kept quantiles are the ones CI95 works out.
func TestTQuantilesKeepTheQuantiles(t *testing.T) {
	var tq TQuantiles
	for _, n := range []int{0, 1, 2, 3, 6, 30, 6, 1000, 2} {
		got, want := tq.CI95(n, 50, 10), CI95(n, 50, 10)
		if !(got == want || math.IsNaN(got[0]) && math.IsNaN(want[0])) {
			t.Errorf("n = %d: %v, want %v", n, got, want)
		}
	}
	if len(tq.q975) != 5 {
		t.Errorf("kept %d quantiles, want one per sample size from 2 (5: 2, 3, 6, 30, 1000)", len(tq.q975))
	}
	vc := []ValueCount{{10, 2}, {50, 3}, {90, 1}}
	if got, want := tq.Summarise(vc), Summarise(vc); got != want {
		t.Errorf("Summarise = %+v, want %+v", got, want)
	}
}
