package stats

import (
	"math"
	"testing"
)

// Each case's alpha is worked by hand from sums of squares (SS), with
// sample variances SS/(n−1), and re-checked in exact rational arithmetic
// with Python's fractions module.
func TestCronbachAlpha(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name  string
		items [][]float64
		want  float64
	}{
		{
			// Items (rows) for 5 respondents; every item has mean 3 and
			// SS = 10, so each variance is 10/4 = 2.5 and Σ var = 7.5.
			// Totals 4, 6, 8, 13, 14: mean 9, deviations −5, −3, −1, 4, 5,
			// SS = 25+9+1+16+25 = 76, variance 19.
			// alpha = 3/2 · (1 − 7.5/19) = 3/2 · 11.5/19 = 69/76 ≈ 0.907895.
			name: "hand example",
			items: [][]float64{
				{1, 2, 3, 4, 5},
				{2, 1, 3, 5, 4},
				{1, 3, 2, 4, 5},
			},
			want: 69.0 / 76,
		},
		{
			// The three-question data set in the example of R's
			// fmsb::CronbachAlpha (its documentation gives no result).
			// Item sums 29, 24, 26 and sums of squares 97, 76, 80 give
			// SS = 12.9, 18.4, 12.4 (Σ = 43.7). Totals 5, 14, 4, 8, 11, 5, 7,
			// 13, 7, 5 sum to 79 with squares summing to 739, so
			// SS = 739 − 624.1 = 114.9. The 1/9 cancels:
			// alpha = 3/2 · (1 − 43.7/114.9) = 106.8/114.9 = 356/383 ≈ 0.929504.
			name: "fmsb example data",
			items: [][]float64{
				{1, 5, 2, 3, 4, 2, 3, 4, 3, 2},
				{2, 4, 1, 2, 4, 1, 2, 5, 2, 1},
				{2, 5, 1, 3, 3, 2, 2, 4, 2, 2},
			},
			want: 356.0 / 383,
		},
		{
			// k copies of one item: var(total) = k²·var, so
			// alpha = k/(k−1) · (1 − k·var/(k²·var)) = 1.
			name:  "identical items",
			items: [][]float64{{1, 4, 2, 5}, {1, 4, 2, 5}, {1, 4, 2, 5}, {1, 4, 2, 5}},
			want:  1,
		},
		{
			// Mutually orthogonal items with mean 0: the covariances vanish,
			// var(total) = Σ var = 3 · 4/3 = 4, so alpha = 0.
			name:  "uncorrelated items",
			items: [][]float64{{1, -1, 1, -1}, {1, 1, -1, -1}, {1, -1, -1, 1}},
			want:  0,
		},
		{
			// Item variances 1 and 7/3 (SS 2 and 14/3); totals 5, 4, 4 have
			// SS 2/3, variance 1/3. alpha = 2 · (1 − (10/3)/(1/3)) = −18:
			// alpha is unbounded below when items pull against each other.
			name:  "negative alpha",
			items: [][]float64{{1, 2, 3}, {4, 2, 1}},
			want:  -18,
		},
		{"one item", [][]float64{{1, 2, 3}}, nan},
		{"no items", nil, nan},
		{"one respondent", [][]float64{{3}, {4}}, nan},
		{"no respondents", [][]float64{{}, {}}, nan},
		{"ragged items", [][]float64{{1, 2, 3}, {1, 2}}, nan},
		// Totals 4, 4, 4: nothing to be consistent about.
		{"constant totals", [][]float64{{1, 2, 3}, {3, 2, 1}}, nan},
		{"all answers equal", [][]float64{{5, 5, 5}, {5, 5, 5}}, nan},
	}
	for _, tc := range tests {
		if got := CronbachAlpha(tc.items); !near(got, tc.want, 1e-12) {
			t.Errorf("%s: CronbachAlpha = %.15g, want %.15g", tc.name, got, tc.want)
		}
	}
}

func TestCronbachAlphaFromMoments(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name          string
		k             int
		itemVariances []float64
		totalVariance float64
		want          float64
	}{
		// The hand example above, with n−1 and with n denominators
		// (SS/5: 10/5 = 2 per item, 76/5 = 15.2 for the totals).
		{"hand example, n−1", 3, []float64{2.5, 2.5, 2.5}, 19, 69.0 / 76},
		{"hand example, n", 3, []float64{2, 2, 2}, 15.2, 69.0 / 76},
		// 5/4 · (1 − 50/60) = 5/4 · 1/6 = 5/24.
		{"five items", 5, []float64{10, 12, 8, 11, 9}, 60, 5.0 / 24},
		{"k disagrees with variances", 3, []float64{1, 1}, 4, nan},
		{"one item", 1, []float64{1}, 1, nan},
		{"zero total variance", 2, []float64{0, 0}, 0, nan},
		{"negative total variance", 2, []float64{1, 1}, -1, nan},
		{"NaN total variance", 2, []float64{1, 1}, nan, nan},
	}
	for _, tc := range tests {
		if got := CronbachAlphaFromMoments(tc.k, tc.itemVariances, tc.totalVariance); !near(got, tc.want, 1e-12) {
			t.Errorf("%s: CronbachAlphaFromMoments = %.15g, want %.15g", tc.name, got, tc.want)
		}
	}
}

// TestCronbachAlphaPublishedExample: a published worked example (10 respondents, 4 Likert items,
// "Survey reliability", thinkdeeply.cc, checked there with R's psych::alpha: alpha 0.674).
func TestCronbachAlphaPublishedExample(t *testing.T) {
	rows := [][]float64{
		{3, 3, 3, 3}, {3, 3, 4, 3}, {3, 3, 3, 1}, {5, 4, 4, 5}, {2, 1, 4, 4},
		{4, 4, 4, 5}, {3, 2, 3, 3}, {3, 4, 3, 3}, {4, 2, 2, 3}, {3, 3, 2, 3},
	}
	items := make([][]float64, 4)
	for _, r := range rows {
		for i, v := range r {
			items[i] = append(items[i], v)
		}
	}
	if got := CronbachAlpha(items); math.Abs(got-0.674) > 0.0005 {
		t.Errorf("alpha = %.4f, want the published 0.674", got)
	}
}
