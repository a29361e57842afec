package stats

import (
	"math"
	"testing"
)

// Reference p-values below marked "Simpson" come from a Python 3 script
// (standard library only) that integrates the t density from 0 to |t| by
// composite Simpson's rule with 200,000 panels and doubles the remaining
// tail; it shares no code or method with StudentTCDF.

func TestWelchTestHandWorked(t *testing.T) {
	tests := []struct {
		name          string
		n1            int
		mean1, sd1    float64
		n2            int
		mean2, sd2    float64
		wantT, wantDF float64
		wantP         float64
	}{
		{
			// v1 = s1²/n1 = 4/4 = 1, v2 = s2²/n2 = 9/9 = 1.
			// t  = (10 − 7)/√(1 + 1) = 3/√2 ≈ 2.12132
			// df = (1 + 1)² / (1²/3 + 1²/8) = 4/(11/24) = 96/11 ≈ 8.72727
			// p  = 0.06384691445680313 (Simpson).
			name: "unequal sizes", n1: 4, mean1: 10, sd1: 2, n2: 9, mean2: 7, sd2: 3,
			wantT: 3 / math.Sqrt2, wantDF: 96.0 / 11, wantP: 0.06384691445680313,
		},
		{
			// One group without spread: v1 = 0, v2 = 4/10 = 0.4.
			// t  = (12 − 10)/√0.4 = √10 ≈ 3.16228
			// df = 0.4² / (0 + 0.4²/9) = 9, the other group's n − 1
			// p  = 0.01150798516593765 (Simpson); between the table's
			//      two-sided 0.02 (2.8214) and 0.01 (3.2498) points for df 9.
			name: "one SD zero", n1: 5, mean1: 12, sd1: 0, n2: 10, mean2: 10, sd2: 2,
			wantT: math.Sqrt(10), wantDF: 9, wantP: 0.01150798516593765,
		},
		{
			// Equal means: t = 0 and p = 1 whatever the df; with equal n and
			// SD, df = 2(n − 1) = 38.
			name: "equal means", n1: 20, mean1: 55, sd1: 8, n2: 20, mean2: 55, sd2: 8,
			wantT: 0, wantDF: 38, wantP: 1,
		},
	}
	for _, tc := range tests {
		gotT, gotDF, gotP := WelchTest(tc.n1, tc.mean1, tc.sd1, tc.n2, tc.mean2, tc.sd2)
		if !near(gotT, tc.wantT, 1e-12) || !near(gotDF, tc.wantDF, 1e-12) || !near(gotP, tc.wantP, 1e-10) {
			t.Errorf("%s: WelchTest = (%.15g, %.15g, %.15g), want (%.15g, %.15g, %.15g)",
				tc.name, gotT, gotDF, gotP, tc.wantT, tc.wantDF, tc.wantP)
		}
		// Swapping the groups flips the sign of t and nothing else.
		swT, swDF, swP := WelchTest(tc.n2, tc.mean2, tc.sd2, tc.n1, tc.mean1, tc.sd1)
		if swT != -gotT || swDF != gotDF || swP != gotP {
			t.Errorf("%s: swapped groups give (%v, %v, %v), want (%v, %v, %v)",
				tc.name, swT, swDF, swP, -gotT, gotDF, gotP)
		}
	}
}

func TestWelchTestPublished(t *testing.T) {
	// Raw samples whose Welch results were published elsewhere; the summary
	// statistics go through Mean and SD. want* are the published figures,
	// tol* half a unit in their printed last place, exact* full precision.
	tests := []struct {
		name                    string
		a, b                    []float64
		wantT, wantDF, wantP    float64
		tolT, tolDF, tolP       float64
		exactT, exactDF, exactP float64
	}{
		{
			// Wikipedia, "Welch's t-test", Examples, first example (A1 vs
			// A2): t = −2.46, ν ≈ 25.0, p = 0.021. Full-precision figures
			// recomputed with a Python 3 script: statistics.fmean/stdev for
			// the summaries (20.82, 2.80489; 22.98667, 1.95261), the Welch
			// formulas written out, and the Simpson p-value.
			name:  "Wikipedia example 1",
			a:     []float64{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4},
			b:     []float64{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4},
			wantT: -2.46, wantDF: 25.0, wantP: 0.021,
			tolT: 0.005, tolDF: 0.05, tolP: 0.0005,
			exactT: -2.455356398286006, exactDF: 24.98852929023142, exactP: 0.021378001462861396,
		},
		{
			// R's t.test(ts1, ts2) output quoted in a Q&A answer on Welch
			// confidence intervals (read in a translated copy at
			// boxhoidap.com): "t = -1.8325, df = 17.9, p-value = 0.08356".
			// Recomputed as above.
			name:  "R t.test output",
			a:     []float64{11, 9, 10, 11, 10, 12, 9, 11, 12, 9},
			b:     []float64{11, 13, 10, 13, 12, 9, 11, 12, 12, 11},
			wantT: -1.8325, wantDF: 17.9, wantP: 0.08356,
			tolT: 0.00005, tolDF: 0.05, tolP: 0.000005,
			exactT: -1.8325416653445783, exactDF: 17.900310146211787, exactP: 0.0835597916192401,
		},
	}
	for _, tc := range tests {
		gotT, gotDF, gotP := WelchTest(len(tc.a), Mean(tc.a), SD(tc.a), len(tc.b), Mean(tc.b), SD(tc.b))
		if !near(gotT, tc.wantT, tc.tolT) || !near(gotDF, tc.wantDF, tc.tolDF) || !near(gotP, tc.wantP, tc.tolP) {
			t.Errorf("%s: WelchTest = (%.5g, %.5g, %.5g), published (%v, %v, %v)",
				tc.name, gotT, gotDF, gotP, tc.wantT, tc.wantDF, tc.wantP)
		}
		if !near(gotT, tc.exactT, 1e-12) || !near(gotDF, tc.exactDF, 1e-10) || !near(gotP, tc.exactP, 1e-10) {
			t.Errorf("%s: WelchTest = (%.15g, %.15g, %.15g), recomputed (%.15g, %.15g, %.15g)",
				tc.name, gotT, gotDF, gotP, tc.exactT, tc.exactDF, tc.exactP)
		}
	}
}

// The same R output gives the 95% interval for the difference of means as
// [−2.1469104, 0.1469104], i.e. −1 ± t₀.₉₇₅(17.9003)·SE: a published check of
// StudentTQuantile at fractional df.
func TestWelchIntervalMatchesR(t *testing.T) {
	a := []float64{11, 9, 10, 11, 10, 12, 9, 11, 12, 9}
	b := []float64{11, 13, 10, 13, 12, 9, 11, 12, 12, 11}
	_, df, _ := WelchTest(len(a), Mean(a), SD(a), len(b), Mean(b), SD(b))
	se := math.Sqrt(SD(a)*SD(a)/10 + SD(b)*SD(b)/10)
	half := StudentTQuantile(0.975, df) * se
	diff := Mean(a) - Mean(b)
	if lo, hi := diff-half, diff+half; !near(lo, -2.1469104, 5e-8) || !near(hi, 0.1469104, 5e-8) {
		t.Errorf("interval = [%.8f, %.8f], R gives [-2.1469104, 0.1469104]", lo, hi)
	}
}

func TestWelchTestUndefined(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name       string
		n1         int
		mean1, sd1 float64
		n2         int
		mean2, sd2 float64
	}{
		{"both SDs zero, means differ", 5, 10, 0, 5, 12, 0},
		{"both SDs zero, means equal", 5, 10, 0, 5, 10, 0},
		{"first group of one", 1, 10, 0, 5, 12, 2},
		{"second group empty", 5, 10, 2, 0, nan, nan},
		{"negative SD", 5, 10, -1, 5, 12, 2},
		{"NaN SD", 5, 10, 2, 5, 12, nan},
	}
	for _, tc := range tests {
		gotT, gotDF, gotP := WelchTest(tc.n1, tc.mean1, tc.sd1, tc.n2, tc.mean2, tc.sd2)
		if !math.IsNaN(gotT) || !math.IsNaN(gotDF) || !math.IsNaN(gotP) {
			t.Errorf("%s: WelchTest = (%v, %v, %v), want all NaN", tc.name, gotT, gotDF, gotP)
		}
	}
}
