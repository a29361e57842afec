package bench

import (
	"slices"
	"time"
)

// percentile is the p-th percentile (1 to 100) of latencies sorted from least to most, by the
// nearest-rank rule: the least value that at least p per cent of the values are at or below. No
// interpolation, so every figure is a latency some request really had. It is 0 for no latencies.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// Whole-number arithmetic: in floating point 95/100*100 is not quite 95, and its ceiling is 96.
	rank := (p*len(sorted) + 99) / 100
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// spread is a phase's latencies at the percentiles the aims name.
type spread struct{ p50, p95, p99 time.Duration }

// spreadOf sorts latencies in place and reads their percentiles.
func spreadOf(latencies []time.Duration) spread {
	slices.Sort(latencies)
	return spread{percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99)}
}
