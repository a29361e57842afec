package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// near reports whether got is within tol of want, treating two NaNs and two
// equal infinities as equal.
func near(got, want, tol float64) bool {
	if math.IsNaN(want) || math.IsInf(want, 0) {
		return got == want || (math.IsNaN(got) && math.IsNaN(want))
	}
	return math.Abs(got-want) <= tol
}

// Critical values as printed, to four decimals, in the standard t table of
// statistics textbooks (percentage points of the t distribution, as in
// Pearson & Hartley's Biometrika Tables for Statisticians). Each was also
// re-derived to six decimals by the Simpson-integration script described at
// TestStudentTFractionalDF. A four-decimal entry is only promised to within
// half a unit in its last place, hence the 0.5e-4 tolerance.
func TestStudentTQuantileTable(t *testing.T) {
	tests := []struct {
		p, df, want float64
	}{
		{0.975, 1, 12.7062},
		{0.975, 2, 4.3027},
		{0.975, 5, 2.5706},
		{0.975, 7, 2.3646},
		{0.975, 10, 2.2281},
		{0.975, 30, 2.0423},
		{0.975, 60, 2.0003},
		{0.975, 120, 1.9799},
		{0.95, 1, 6.3138},
		{0.95, 4, 2.1318},
		{0.90, 8, 1.3968},
		{0.99, 20, 2.5280},
		{0.995, 3, 5.8409},
		{0.995, 10, 3.1693},
		{0.999, 5, 5.8934},
		{0.9995, 10, 4.5869},
		// The table's ∞ row is the normal quantile; df = 10⁶ differs from it
		// by about (z³+z)/(4·df) ≈ 2.4e-6, below the table's resolution.
		{0.975, 1e6, 1.9600},
		{0.975, math.Inf(1), 1.9600},
	}
	for _, tc := range tests {
		if got := StudentTQuantile(tc.p, tc.df); !near(got, tc.want, 0.5e-4+1e-12) {
			t.Errorf("StudentTQuantile(%v, %v) = %.6f, table gives %.4f", tc.p, tc.df, got, tc.want)
		}
		// The table gives upper points; the lower ones follow by symmetry.
		if got := StudentTQuantile(1-tc.p, tc.df); !near(got, -tc.want, 0.5e-4+1e-12) {
			t.Errorf("StudentTQuantile(%v, %v) = %.6f, want %.4f", 1-tc.p, tc.df, got, -tc.want)
		}
	}
}

// For df = 1 (Cauchy) and df = 2 the t distribution has closed forms, which
// check the quantile to near machine precision rather than to table accuracy:
//
//	df = 1: F(t) = 1/2 + atan(t)/π,          Q(p) = tan(π(p − 1/2))
//	df = 2: F(t) = 1/2 + t/(2·√(2 + t²)),    Q(p) = (2p − 1)/√(2p(1 − p))
//	df = 3: F(t) = 1/2 + (θ + sin θ·cos θ)/π with θ = atan(t/√3)
//
// (Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions vol. 2,
// ch. 28.)
func TestStudentTClosedForms(t *testing.T) {
	ps := []float64{0.0001, 0.001, 0.025, 0.1, 0.3, 0.5, 0.6, 0.9, 0.975, 0.999, 0.9999}
	for _, p := range ps {
		want1 := math.Tan(math.Pi * (p - 0.5))
		if got := StudentTQuantile(p, 1); !near(got, want1, 1e-10*math.Max(1, math.Abs(want1))) {
			t.Errorf("StudentTQuantile(%v, 1) = %.15g, want %.15g", p, got, want1)
		}
		want2 := (2*p - 1) / math.Sqrt(2*p*(1-p))
		if got := StudentTQuantile(p, 2); !near(got, want2, 1e-11*math.Max(1, math.Abs(want2))) {
			t.Errorf("StudentTQuantile(%v, 2) = %.15g, want %.15g", p, got, want2)
		}
	}
	for _, x := range []float64{-1000, -30, -4, -1, -0.1, 0, 0.2, 1, 2.5, 12, 500} {
		want1 := 0.5 + math.Atan(x)/math.Pi
		if got := StudentTCDF(x, 1); !near(got, want1, 1e-13) {
			t.Errorf("StudentTCDF(%v, 1) = %.15g, want %.15g", x, got, want1)
		}
		want2 := 0.5 + x/(2*math.Sqrt(2+x*x))
		if got := StudentTCDF(x, 2); !near(got, want2, 1e-13) {
			t.Errorf("StudentTCDF(%v, 2) = %.15g, want %.15g", x, got, want2)
		}
		theta := math.Atan(x / math.Sqrt(3))
		want3 := 0.5 + (theta+math.Sin(theta)*math.Cos(theta))/math.Pi
		if got := StudentTCDF(x, 3); !near(got, want3, 1e-13) {
			t.Errorf("StudentTCDF(%v, 3) = %.15g, want %.15g", x, got, want3)
		}
	}
}

// Values for fractional df, as Welch's test produces, were computed by a
// separate route: a Python 3 script (standard library only) integrating the
// t density Γ((ν+1)/2)/(Γ(ν/2)√(νπ))·(1+u²/ν)^(−(ν+1)/2) from 0 to |t| by
// composite Simpson's rule with 200,000 panels, and for the quantile
// bisecting that integral. No incomplete beta function is involved.
func TestStudentTFractionalDF(t *testing.T) {
	if got, want := StudentTCDF(2, 2.5), 0.9213042521210011; !near(got, want, 1e-10) {
		t.Errorf("StudentTCDF(2, 2.5) = %.15g, want %.15g", got, want)
	}
	if got, want := StudentTCDF(-1.5, 0.5), 0.2539508953240477; !near(got, want, 1e-10) {
		t.Errorf("StudentTCDF(-1.5, 0.5) = %.15g, want %.15g", got, want)
	}
	// Bisection on a 20,000-panel integral: good to about 1e-9.
	if got, want := StudentTQuantile(0.975, 24.985), 2.0596012503257066; !near(got, want, 1e-8) {
		t.Errorf("StudentTQuantile(0.975, 24.985) = %.15g, want %.15g", got, want)
	}
}

// For very large df the quantile is checked against the Cornish–Fisher
// expansion of Abramowitz & Stegun 26.7.5 about the normal quantile z,
//
//	t ≈ z + (z³+z)/(4ν) + (5z⁵+16z³+3z)/(96ν²) + (3z⁷+19z⁵+17z³−15z)/(384ν³),
//
// whose omitted terms are O(ν⁻⁴), far below 1e-12 for ν >= 5·10⁴.
func TestStudentTQuantileLargeDF(t *testing.T) {
	for _, p := range []float64{0.0001, 0.025, 0.3, 0.95, 0.999} {
		z := StudentTQuantile(p, math.Inf(1))
		for _, df := range []float64{5e4, 1e5, 2e5, 1e6, 1e8, 1e12} {
			want := z + (z*z*z+z)/(4*df) +
				(5*math.Pow(z, 5)+16*z*z*z+3*z)/(96*df*df) +
				(3*math.Pow(z, 7)+19*math.Pow(z, 5)+17*z*z*z-15*z)/(384*df*df*df)
			if got := StudentTQuantile(p, df); !near(got, want, 1e-11) {
				t.Errorf("StudentTQuantile(%v, %g) = %.15g, want %.15g", p, df, got, want)
			}
		}
	}
}

// The tail probability changes method at largeDF; the two methods are
// independent, so agreement at the switch checks both. |t| <= 3.72 covers
// p in [0.0001, 0.9999].
func TestStudentTTailSwitch(t *testing.T) {
	for _, x := range []float64{0.1, 1, 1.7, 2, 2.5, 3.72} {
		below := regIncBeta(largeDF/2, 0.5, largeDF/(largeDF+x*x), x*x/(largeDF+x*x)) / 2
		above := fisherTail(x, largeDF)
		if math.Abs(below-above) > 1e-11*below {
			t.Errorf("t=%v at df=%g: incomplete beta %.15g, Fisher %.15g", x, largeDF, below, above)
		}
	}
}

func TestStudentTCDFProperties(t *testing.T) {
	for _, df := range []float64{0.5, 1, 2.5, 7, 30, 1000, math.Inf(1)} {
		if got := StudentTCDF(0, df); got != 0.5 {
			t.Errorf("StudentTCDF(0, %v) = %v, want 0.5", df, got)
		}
		for _, x := range []float64{0.01, 0.5, 1.96, 4, 50} {
			lo, hi := StudentTCDF(-x, df), StudentTCDF(x, df)
			if !near(lo+hi, 1, 1e-14) {
				t.Errorf("df=%v: F(-%v) + F(%v) = %v, want 1", df, x, x, lo+hi)
			}
		}
		if got := StudentTCDF(math.Inf(1), df); got != 1 {
			t.Errorf("StudentTCDF(+Inf, %v) = %v, want 1", df, got)
		}
		if got := StudentTCDF(math.Inf(-1), df); got != 0 {
			t.Errorf("StudentTCDF(-Inf, %v) = %v, want 0", df, got)
		}
	}
	// Normal limit: Φ(1.959963984540054) = 0.975 (z_{0.975} to 16 digits).
	if got := StudentTCDF(1.959963984540054, math.Inf(1)); !near(got, 0.975, 1e-15) {
		t.Errorf("StudentTCDF(z, Inf) = %v, want 0.975", got)
	}
}

func TestStudentTInvalid(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	quantiles := []struct {
		name        string
		p, df, want float64
	}{
		{"p zero", 0, 5, -inf},
		{"p one", 1, 5, inf},
		{"p one half", 0.5, 0.7, 0},
		{"p negative", -0.1, 5, nan},
		{"p above one", 1.1, 5, nan},
		{"p NaN", nan, 5, nan},
		{"df zero", 0.5, 0, nan},
		{"df negative", 0.3, -3, nan},
		{"df NaN", 0.3, nan, nan},
	}
	for _, tc := range quantiles {
		if got := StudentTQuantile(tc.p, tc.df); !near(got, tc.want, 0) {
			t.Errorf("%s: StudentTQuantile(%v, %v) = %v, want %v", tc.name, tc.p, tc.df, got, tc.want)
		}
	}
	cdfs := []struct {
		name        string
		x, df, want float64
	}{
		{"t NaN", nan, 5, nan},
		{"df zero", 1, 0, nan},
		{"df negative", 1, -2, nan},
		{"df NaN", 1, nan, nan},
	}
	for _, tc := range cdfs {
		if got := StudentTCDF(tc.x, tc.df); !near(got, tc.want, 0) {
			t.Errorf("%s: StudentTCDF(%v, %v) = %v, want %v", tc.name, tc.x, tc.df, got, tc.want)
		}
	}
}

// The t density has closed forms for df = 1 (Cauchy), 1/(π(1+t²)), and
// df = 2, (2+t²)^(−3/2).
func TestStudentTDensity(t *testing.T) {
	for _, x := range []float64{0, 0.5, -2, 10} {
		if got, want := studentTDensity(x, 1), 1/(math.Pi*(1+x*x)); !near(got, want, 1e-14) {
			t.Errorf("density(%v, 1) = %v, want %v", x, got, want)
		}
		if got, want := studentTDensity(x, 2), math.Pow(2+x*x, -1.5); !near(got, want, 1e-14) {
			t.Errorf("density(%v, 2) = %v, want %v", x, got, want)
		}
	}
}

// checkQuantileRoundTrip fails t unless StudentTCDF undoes StudentTQuantile
// at (p, df), to 1e-10 relative to the smaller tail probability.
func checkQuantileRoundTrip(t *testing.T, p, df float64) {
	t.Helper()
	q := StudentTQuantile(p, df)
	got := StudentTCDF(q, df)
	tol := 1e-10*math.Min(p, 1-p) + 1e-15
	if math.IsNaN(got) || math.Abs(got-p) > tol {
		t.Errorf("StudentTCDF(StudentTQuantile(%v, %v) = %v) = %v, off by %.3g", p, df, q, got, got-p)
	}
}

// roundTripCase maps u, v in [0, 1) to p in (0.0001, 0.9999) and df spread
// log-uniformly over (0.5, 1000), so heavy tails are tried as often as
// near-normal ones.
func roundTripCase(u, v float64) (p, df float64) {
	return 0.0001 + 0.9998*u, 0.5 * math.Pow(2000, v)
}

func TestStudentTQuantileRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 11))
	for range 3000 {
		p, df := roundTripCase(rng.Float64(), rng.Float64())
		checkQuantileRoundTrip(t, p, df)
	}
}

// FuzzStudentTQuantile explores the same domain as the round-trip test
// from fuzzer-chosen points: go test -fuzz FuzzStudentTQuantile.
func FuzzStudentTQuantile(f *testing.F) {
	f.Add(0.0, 0.0)
	f.Add(0.5, 0.5)
	f.Add(0.99999, 0.99999)
	f.Fuzz(func(t *testing.T, u, v float64) {
		if math.IsNaN(u) || math.IsInf(u, 0) || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Skip()
		}
		p, df := roundTripCase(math.Mod(math.Abs(u), 1), math.Mod(math.Abs(v), 1))
		checkQuantileRoundTrip(t, p, df)
	})
}
