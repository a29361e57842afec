package stats

import "math"

// WelchTest returns Welch's two-sided t-test of equal means from two groups'
// sizes, means and sample SDs: the statistic t = (mean1 − mean2)/SE, the
// Welch–Satterthwaite degrees of freedom and the two-sided p-value.
//
// All three are NaN when the test is undefined: a group with fewer than two
// scores, a negative or NaN SD, or both SDs zero (no variance to judge the
// difference against, even if the means differ).
func WelchTest(n1 int, mean1, sd1 float64, n2 int, mean2, sd2 float64) (t, df, p float64) {
	nan := math.NaN()
	if n1 < 2 || n2 < 2 || !(sd1 >= 0) || !(sd2 >= 0) || (sd1 == 0 && sd2 == 0) {
		return nan, nan, nan
	}
	// Squared standard errors of each mean.
	v1 := sd1 * sd1 / float64(n1)
	v2 := sd2 * sd2 / float64(n2)
	t = (mean1 - mean2) / math.Sqrt(v1+v2)
	df = (v1 + v2) * (v1 + v2) / (v1*v1/float64(n1-1) + v2*v2/float64(n2-1))
	// Doubling the lower tail at −|t| keeps small p-values precise.
	p = 2 * StudentTCDF(-math.Abs(t), df)
	return t, df, p
}
