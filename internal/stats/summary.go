package stats

import (
	"math"
	"slices"
)

// Mean returns the arithmetic mean of xs, or NaN when xs is empty.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// Median returns the median of xs without reordering it, or NaN when xs is
// empty or holds a NaN.
func Median(xs []float64) float64 {
	if len(xs) == 0 || slices.ContainsFunc(xs, math.IsNaN) {
		return math.NaN()
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[mid]
	}
	return (sorted[mid-1] + sorted[mid]) / 2
}

// SD returns the sample standard deviation of xs (n−1 denominator), or NaN
// when len(xs) < 2.
func SD(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	return math.Sqrt(variance(xs))
}

// variance returns the sample variance of xs (n−1 denominator) by two
// passes, which avoids the cancellation of the sum-of-squares formula.
func variance(xs []float64) float64 {
	mean := Mean(xs)
	var ss float64
	for _, x := range xs {
		d := x - mean
		ss += d * d
	}
	return ss / float64(len(xs)-1)
}

// ValueCount is one distinct score and how many respondents gave it, as a
// GROUP BY query returns them.
type ValueCount struct {
	Value float64
	Count int
}

// Summary describes a set of scores: N, mean, median, sample SD and the 95%
// Student's t confidence interval of the mean. Fields that need more
// respondents than N are NaN.
type Summary struct {
	N      int        // number of scores
	Mean   float64    // arithmetic mean
	Median float64    // middle score, or the mean of the two middle scores
	SD     float64    // sample standard deviation (n−1 denominator)
	CI95   [2]float64 // lower and upper bound for the mean
}

// Summarise returns the Summary of scores given as (value, count) pairs.
// Values may repeat and need not be sorted; zero counts are skipped. A
// negative count or a NaN value makes the input meaningless and yields the
// empty Summary (N = 0, everything else NaN).
func Summarise(vc []ValueCount) Summary {
	return summarise(vc, CI95)
}

// TQuantiles keeps the 0.975 quantiles of Student's t already worked out, by degrees of freedom:
// a report computes thousands of confidence intervals over a few hundred sample sizes, and each
// quantile takes an iterative search. The zero value is ready to use; it is not safe for concurrent
// use.
type TQuantiles struct{ q975 map[int]float64 }

// CI95 is CI95 with the quantile kept.
func (t *TQuantiles) CI95(n int, mean, sd float64) [2]float64 {
	if n < 2 || !(sd >= 0) {
		return [2]float64{math.NaN(), math.NaN()}
	}
	q, ok := t.q975[n-1]
	if !ok {
		if t.q975 == nil {
			t.q975 = map[int]float64{}
		}
		q = StudentTQuantile(0.975, float64(n-1))
		t.q975[n-1] = q
	}
	half := q * sd / math.Sqrt(float64(n))
	return [2]float64{mean - half, mean + half}
}

// Summarise is Summarise with the quantiles kept.
func (t *TQuantiles) Summarise(vc []ValueCount) Summary {
	return summarise(vc, t.CI95)
}

func summarise(vc []ValueCount, ci95 func(n int, mean, sd float64) [2]float64) Summary {
	nan := math.NaN()
	empty := Summary{Mean: nan, Median: nan, SD: nan, CI95: [2]float64{nan, nan}}
	var n int
	var sum float64
	for _, c := range vc {
		if c.Count < 0 || math.IsNaN(c.Value) {
			return empty
		}
		n += c.Count
		sum += float64(c.Count) * c.Value
	}
	if n == 0 {
		return empty
	}
	mean := sum / float64(n)
	sd := nan
	if n >= 2 {
		var ss float64 // second pass, as in variance
		for _, c := range vc {
			d := c.Value - mean
			ss += float64(c.Count) * d * d
		}
		sd = math.Sqrt(ss / float64(n-1))
	}
	return Summary{
		N:      n,
		Mean:   mean,
		Median: medianOfCounts(vc, n),
		SD:     sd,
		CI95:   ci95(n, mean, sd),
	}
}

// medianOfCounts returns the median of the n scores described by vc, whose
// counts are non-negative and sum to n > 0.
func medianOfCounts(vc []ValueCount, n int) float64 {
	byValue := func(a, b ValueCount) int {
		switch {
		case a.Value < b.Value:
			return -1
		case a.Value > b.Value:
			return 1
		}
		return 0
	}
	// Reports hand histograms over in order already; a copy is sorted only where one is not.
	sorted := vc
	if !slices.IsSortedFunc(vc, byValue) {
		sorted = slices.Clone(vc)
		slices.SortFunc(sorted, byValue)
	}
	// Ranks are 1-based; an odd n has one middle rank, an even n two.
	lowRank, highRank := (n+1)/2, n/2+1
	low := math.NaN()
	seen := 0
	for _, c := range sorted {
		seen += c.Count
		if math.IsNaN(low) && seen >= lowRank {
			low = c.Value
		}
		if seen >= highRank {
			if n%2 == 1 {
				return low
			}
			return (low + c.Value) / 2
		}
	}
	return low // unreachable when the counts sum to n
}

// SummaryFromMoments returns the mean and sample SD of n scores from their
// sum and sum of squares, as a SQL aggregate can return them. The SD is NaN
// when n < 2; both are NaN when n < 1.
//
// The formula (Σx² − (Σx)²/n)/(n−1) subtracts two nearly equal numbers when
// the spread is small next to the mean, so its absolute error is of order
// ε·n·max(x)² rather than ε·s². Survey scores lie in 0–100, which bounds that
// error near 2e-6 score² even for a million respondents: invisible once an SD
// is rounded for a report. Integer scores make both sums exact (below 2^53)
// and leave only the final subtraction to round. Rounding can still push a
// zero variance slightly negative, so it is clamped to 0.
func SummaryFromMoments(n int, sum, sumSquares float64) (mean, sd float64) {
	if n < 1 {
		return math.NaN(), math.NaN()
	}
	mean = sum / float64(n)
	if n < 2 {
		return mean, math.NaN()
	}
	// sumSquares − mean·sum equals Σ(x − mean)² in exact arithmetic.
	ss := sumSquares - mean*sum
	return mean, math.Sqrt(max(ss, 0) / float64(n-1))
}

// CI95 returns the 95% Student's t confidence interval of a mean from n
// scores with sample SD sd, or NaN bounds when n < 2 or sd is negative or
// NaN.
func CI95(n int, mean, sd float64) [2]float64 {
	if n < 2 || !(sd >= 0) {
		return [2]float64{math.NaN(), math.NaN()}
	}
	half := StudentTQuantile(0.975, float64(n-1)) * sd / math.Sqrt(float64(n))
	return [2]float64{mean - half, mean + half}
}
