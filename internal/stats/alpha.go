package stats

import "math"

// CronbachAlpha returns Cronbach's alpha, where items[i][r] is respondent
// r's score on item i and every respondent answered every item.
//
// alpha = k/(k−1) · (1 − Σ var(item) / var(total)), with k items and each
// respondent's total the sum of their item scores. It is NaN when k < 2,
// there are fewer than two respondents, the item slices differ in length, or
// the totals have no variance.
func CronbachAlpha(items [][]float64) float64 {
	k := len(items)
	if k < 2 {
		return math.NaN()
	}
	n := len(items[0])
	if n < 2 {
		return math.NaN()
	}
	totals := make([]float64, n)
	itemVariances := make([]float64, k)
	for i, scores := range items {
		if len(scores) != n {
			return math.NaN()
		}
		for r, x := range scores {
			totals[r] += x
		}
		itemVariances[i] = variance(scores)
	}
	return CronbachAlphaFromMoments(k, itemVariances, variance(totals))
}

// CronbachAlphaFromMoments returns Cronbach's alpha from the k item
// variances and the variance of respondents' totals, all computed with the
// same denominator (n or n−1; alpha does not depend on which). It is NaN when
// k < 2, len(itemVariances) != k, or totalVariance is not positive.
func CronbachAlphaFromMoments(k int, itemVariances []float64, totalVariance float64) float64 {
	if k < 2 || len(itemVariances) != k || !(totalVariance > 0) {
		return math.NaN()
	}
	var sum float64
	for _, v := range itemVariances {
		sum += v
	}
	kf := float64(k)
	return kf / (kf - 1) * (1 - sum/totalVariance)
}
