package stats

import (
	"math"
	"sort"
)

// BenjaminiHochberg adjusts p-values tested together for the false discovery rate: it returns each
// one's q-value, the smallest false discovery rate at which it would be called significant (R's
// p.adjust(p, "BH")). With m p-values sorted ascending, q(i) = min over j ≥ i of p(j)·m/j, at most
// 1. A NaN p-value (a test that could not be computed) is left out of m and gets a NaN q.
func BenjaminiHochberg(p []float64) []float64 {
	q := make([]float64, len(p))
	var order []int
	for i, v := range p {
		q[i] = math.NaN()
		if !math.IsNaN(v) {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return p[order[a]] < p[order[b]] })
	m := float64(len(order))
	running := 1.0
	for rank := len(order); rank >= 1; rank-- {
		i := order[rank-1]
		running = math.Min(running, p[i]*m/float64(rank))
		q[i] = running
	}
	return q
}
