package report

import (
	"math"
	"testing"
)

// TestTrendCorrectsChangesTogether: the changes of one trend are corrected together. Worked by hand:
// p = 0.03 and 0.2 give q = min(0.03·2/1, 0.2·2/2) = 0.06 and 0.2, so a change that passes p < 0.05
// alone is not significant beside another; p = 0.01, 0.03, 0.04 give q = 0.03, 0.04, 0.04, all
// significant.
func TestTrendCorrectsChangesTogether(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    [][]float64 // per wave after the first, per figure
		q    [][]float64
		sig  [][]bool
	}{
		{"one of two below 0.05", [][]float64{{0.03, 0.2}}, [][]float64{{0.06, 0.2}}, [][]bool{{false, false}}},
		{"three over two waves", [][]float64{{0.01, 0.04}, {0.03}}, [][]float64{{0.03, 0.04}, {0.04}}, [][]bool{{true, true}, {true}}},
		{"a test that could not be run", [][]float64{{math.NaN(), 0.01}}, [][]float64{{math.NaN(), 0.01}}, [][]bool{{false, true}}},
	} {
		keys := []string{"a", "b"}
		waves := []TrendWave{{}}
		for _, ps := range tc.p {
			w := TrendWave{Change: map[string]Change{}}
			for i, p := range ps {
				w.Change[keys[i]] = Change{P: p}
			}
			waves = append(waves, w)
		}
		correct(waves)
		for wi, qs := range tc.q {
			for i, want := range qs {
				got := waves[wi+1].Change[keys[i]]
				if !(math.IsNaN(want) && math.IsNaN(got.Q)) && math.Abs(got.Q-want) > 1e-12 {
					t.Errorf("%s: wave %d %s: q = %v, want %v", tc.name, wi+1, keys[i], got.Q, want)
				}
				if got.Significant != tc.sig[wi][i] {
					t.Errorf("%s: wave %d %s: significant = %v, want %v", tc.name, wi+1, keys[i], got.Significant, tc.sig[wi][i])
				}
			}
		}
	}
}
