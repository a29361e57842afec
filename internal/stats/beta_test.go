package stats

import (
	"math"
	"testing"
)

// Special cases of the regularized incomplete beta function that have closed
// forms: I_x(1,1) = x, I_x(a,1) = x^a, I_x(1,b) = 1 − (1−x)^b, and
// I_½(a,a) = ½ by symmetry. Both continued-fraction branches are reached.
func TestRegIncBeta(t *testing.T) {
	for _, x := range []float64{0, 0.001, 0.2, 0.5, 0.73, 0.999, 1} {
		y := 1 - x
		if got := regIncBeta(1, 1, x, y); !near(got, x, 1e-14) {
			t.Errorf("I_%v(1,1) = %v, want %v", x, got, x)
		}
		for _, a := range []float64{0.5, 3, 12.5} {
			if got, want := regIncBeta(a, 1, x, y), math.Pow(x, a); !near(got, want, 1e-14) {
				t.Errorf("I_%v(%v,1) = %v, want %v", x, a, got, want)
			}
			if got, want := regIncBeta(1, a, x, y), 1-math.Pow(y, a); !near(got, want, 1e-14) {
				t.Errorf("I_%v(1,%v) = %v, want %v", x, a, got, want)
			}
		}
	}
	for _, a := range []float64{0.5, 1, 7, 60, 5000} {
		if got := regIncBeta(a, a, 0.5, 0.5); !near(got, 0.5, 1e-12) {
			t.Errorf("I_0.5(%v,%v) = %v, want 0.5", a, a, got)
		}
	}
}

// Reference values of log B(a, b) for integer arguments, computed exactly by
// a Python 3 script: B(n, ½) = 4ⁿ·n!·(n−1)!/(2n)! and B(m, n) =
// (m−1)!(n−1)!/(m+n−1)! as exact integers, then the logarithm with the
// decimal module at 50 digits. They reach every branch of lbeta.
func TestLbeta(t *testing.T) {
	tests := []struct {
		a, b, want float64
	}{
		{10, 0.5, -0.56643279639759393488},
		{0.5, 12, -0.65967472313785977527},
		{5000, 0.5, -3.6862066527834602929},
		{50000, 0.5, -4.8375216992804415099},
		{20, 30, -33.968820791977382963},
		{5000, 5000, -6934.4648650716766092},
	}
	for _, tc := range tests {
		if got := lbeta(tc.a, tc.b); !near(got, tc.want, 1e-15*math.Max(1, math.Abs(tc.want))+2e-15) {
			t.Errorf("lbeta(%v, %v) = %.17g, want %.17g", tc.a, tc.b, got, tc.want)
		}
	}
	// Below the Stirling threshold lbeta is plain Lgamma: B(2, 3) = 1/12.
	if got, want := lbeta(2, 3), -math.Log(12); !near(got, want, 1e-15) {
		t.Errorf("lbeta(2, 3) = %v, want %v", got, want)
	}
}
