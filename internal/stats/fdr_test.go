package stats

import (
	"math"
	"testing"
)

// TestBenjaminiHochbergPublishedExample is the worked example of Benjamini and Hochberg (1995),
// section 4.2: fifteen p-values from a study of myocardial infarction treatments, of which the
// procedure at q = 0.05 rejects the four smallest. The q-values were worked by hand as
// min over j ≥ i of p(j)·15/j (and agree with R's p.adjust(p, "BH")).
func TestBenjaminiHochbergPublishedExample(t *testing.T) {
	p := []float64{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000}
	want := []float64{0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571, 0.0638571, 0.0645, 0.0765, 0.486, 0.5811818, 0.714875, 0.7532308, 0.8132143, 1}
	// Given out of order, the answer follows each p-value.
	perm := []int{14, 3, 0, 9, 6, 12, 1, 7, 4, 11, 2, 13, 5, 10, 8}
	shuffled := make([]float64, len(p))
	for i, j := range perm {
		shuffled[i] = p[j]
	}
	q := BenjaminiHochberg(shuffled)
	rejected := 0
	for i, j := range perm {
		if math.Abs(q[i]-want[j]) > 1e-6 {
			t.Errorf("q for p = %v is %v, want %v", p[j], q[i], want[j])
		}
		if q[i] < 0.05 {
			rejected++
		}
	}
	if rejected != 4 {
		t.Errorf("%d rejected at q = 0.05, want the paper's 4", rejected)
	}
}

func TestBenjaminiHochbergEdges(t *testing.T) {
	if q := BenjaminiHochberg(nil); len(q) != 0 {
		t.Errorf("no p-values: %v", q)
	}
	q := BenjaminiHochberg([]float64{0.04, math.NaN(), 0.01})
	// m = 2: q(0.01) = min(0.01·2/1, 0.04·2/2) = 0.02; q(0.04) = 0.04.
	if math.Abs(q[0]-0.04) > 1e-12 || !math.IsNaN(q[1]) || math.Abs(q[2]-0.02) > 1e-12 {
		t.Errorf("q = %v, want [0.04 NaN 0.02]", q)
	}
	if q := BenjaminiHochberg([]float64{0.5}); q[0] != 0.5 {
		t.Errorf("one test is its own q: %v", q)
	}
	// Ties share their q: both 0.03·2/2.
	if q := BenjaminiHochberg([]float64{0.03, 0.03}); q[0] != 0.03 || q[1] != 0.03 {
		t.Errorf("ties: %v", q)
	}
}
