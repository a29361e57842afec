package stats

import "math"

// lbeta returns log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a+b) for a, b > 0.
//
// Summing math.Lgamma values directly would lose about log10(a) digits to
// cancellation once a is large (a = df/2 reaches tens of thousands for big
// survey groups), so for large arguments the Stirling series is subtracted
// term by term instead (Abramowitz & Stegun 6.1.40).
func lbeta(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	const large = 10 // stirlingCorrection is exact to ~1e-16 from here
	if a < large {
		la, _ := math.Lgamma(a)
		lb, _ := math.Lgamma(b)
		lab, _ := math.Lgamma(a + b)
		return la + lb - lab
	}
	corr := stirlingCorrection(a) - stirlingCorrection(a+b)
	if b < large {
		// log Γ(a) − log Γ(a+b), with the large terms cancelled by hand.
		ratio := -b*math.Log(a) - (a+b-0.5)*math.Log1p(b/a) + b + corr
		lb, _ := math.Lgamma(b)
		return lb + ratio
	}
	return 0.5*math.Log(2*math.Pi) - 0.5*math.Log(b) +
		(a-0.5)*math.Log1p(-b/(a+b)) + b*math.Log(b/(a+b)) +
		stirlingCorrection(b) + corr
}

// stirlingCorrection returns log Γ(x) − ((x−½)·log x − x + ½·log 2π) for
// x >= 10, from the first seven terms of the Stirling series.
func stirlingCorrection(x float64) float64 {
	z := 1 / (x * x)
	return (1.0/12 + z*(-1.0/360+z*(1.0/1260+z*(-1.0/1680+
		z*(1.0/1188+z*(-691.0/360360+z*(1.0/156))))))) / x
}

// regIncBeta returns the regularized incomplete beta function I_x(a, b) for
// a, b > 0 and x in [0, 1]; y must equal 1-x, passed separately so that a
// caller who knows it exactly does not lose it to rounding.
//
// It evaluates the continued fraction for whichever of I_x(a, b) and
// I_y(b, a) = 1 - I_x(a, b) converges quickly (Numerical Recipes §6.4).
func regIncBeta(a, b, x, y float64) float64 {
	if x <= 0 {
		return 0
	}
	if y <= 0 {
		return 1
	}
	logFront := a*logOneSide(x, y) + b*logOneSide(y, x) - lbeta(a, b)
	if x < (a+1)/(a+b+2) {
		return math.Exp(logFront) * betaContinuedFraction(a, b, x) / a
	}
	return 1 - math.Exp(logFront)*betaContinuedFraction(b, a, y)/b
}

// logOneSide returns log(x) given also y = 1−x. Near x = 1 it works from the
// small y instead, since for large a an error of one ulp in x becomes a
// relative error of a·ulp in x^a.
func logOneSide(x, y float64) float64 {
	if x > 0.5 {
		return math.Log1p(-y)
	}
	return math.Log(x)
}

// betaContinuedFraction evaluates the continued fraction for the incomplete
// beta function by the modified Lentz method. It needs about sqrt(max(a, b))
// terms, so the iteration cap is generous rather than the classic 100.
func betaContinuedFraction(a, b, x float64) float64 {
	const (
		maxIter = 100000
		eps     = 3e-16  // within about one ulp of 1
		tiny    = 1e-300 // stands in for a zero denominator
	)
	qab, qap, qam := a+b, a+1, a-1
	c := 1.0
	d := 1 - qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= maxIter; m++ {
		fm := float64(m)
		m2 := 2 * fm
		// Even step of the recurrence.
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		// Odd step.
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}
