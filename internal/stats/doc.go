// Package stats holds the pure statistics behind survey scoring: summaries of
// scores, Student's t quantiles and intervals, Welch's test and Cronbach's
// alpha.
//
// Undefined results (too few respondents, zero variance, invalid arguments)
// are reported as math.NaN() rather than as errors, so callers can store and
// display them as "not available" without special cases.
package stats
