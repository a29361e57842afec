package bench

import (
	"testing"
	"time"
)

// TestPercentile checks the nearest-rank rule against ranks worked out by hand: the p-th
// percentile of n values is the value at rank ceil(p×n/100), counting from 1.
func TestPercentile(t *testing.T) {
	ms := func(values ...int) []time.Duration {
		out := make([]time.Duration, len(values))
		for i, v := range values {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100) // 1..100 ms: the p-th percentile is p ms
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      int
		want   time.Duration
	}{
		{"none", nil, 99, 0},
		{"one value is every percentile", ms(7), 1, 7 * time.Millisecond},
		{"one value, p100", ms(7), 100, 7 * time.Millisecond},
		{"1..100, p50", ms(hundred...), 50, 50 * time.Millisecond},
		{"1..100, p95 (95/100*100 is not 95 in floating point)", ms(hundred...), 95, 95 * time.Millisecond},
		{"1..100, p99", ms(hundred...), 99, 99 * time.Millisecond},
		{"1..100, p1", ms(hundred...), 1, 1 * time.Millisecond},
		// Ten values 10..100: p50 is rank ceil(5) = 5, 50 ms; p95 rank ceil(9.5) = 10, 100 ms;
		// p11 rank ceil(1.1) = 2, 20 ms.
		{"ten values, p50", ms(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), 50, 50 * time.Millisecond},
		{"ten values, p95", ms(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), 95, 100 * time.Millisecond},
		{"ten values, p11", ms(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), 11, 20 * time.Millisecond},
		{"ten values, p10 (exactly rank 1)", ms(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), 10, 10 * time.Millisecond},
		// Three values: p50 is rank ceil(1.5) = 2; p99 rank ceil(2.97) = 3; p33 rank ceil(0.99) = 1.
		{"three values, p50", ms(1, 2, 900), 50, 2 * time.Millisecond},
		{"three values, p99", ms(1, 2, 900), 99, 900 * time.Millisecond},
		{"three values, p33", ms(1, 2, 900), 33, 1 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("%s: percentile(p%d) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
}

// TestSpreadOfSorts checks that spreadOf sorts what it is given before reading it.
func TestSpreadOfSorts(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := spreadOf(ds)
	want := spread{50 * time.Millisecond, 95 * time.Millisecond, 99 * time.Millisecond}
	if got != want {
		t.Errorf("spreadOf(100..1 ms) = %+v, want %+v", got, want)
	}
}
