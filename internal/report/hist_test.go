package report

import (
	"cmp"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"skillsurvey/internal/stats"
)

// TestHistAdd: scores added in any order come out in order of score, each once, with its count.
func TestHistAdd(t *testing.T) {
	var h hist
	for _, x := range []stats.ValueCount{{Value: 50, Count: 2}, {Value: 25, Count: 1}, {Value: 75, Count: 4},
		{Value: 25, Count: 3}, {Value: 0, Count: 1}, {Value: 75, Count: 1}, {Value: 62.5, Count: 2}} {
		h = h.add(x.Value, x.Count)
	}
	want := hist{{Value: 0, Count: 1}, {Value: 25, Count: 4}, {Value: 50, Count: 2}, {Value: 62.5, Count: 2}, {Value: 75, Count: 5}}
	if !slices.Equal(h, want) {
		t.Errorf("got %v, want %v", h, want)
	}
}

// TestHistPlusAndMinus: two histograms together, and one less the other, worked out by hand; plus
// leaves its argument as it was, and its receiver too where that has no room to merge into.
func TestHistPlusAndMinus(t *testing.T) {
	a := hist{{Value: 0, Count: 1}, {Value: 25, Count: 2}, {Value: 50, Count: 3}}
	b := hist{{Value: 25, Count: 1}, {Value: 40, Count: 2}, {Value: 100, Count: 1}}
	sum := a.plus(b)
	want := hist{{Value: 0, Count: 1}, {Value: 25, Count: 3}, {Value: 40, Count: 2}, {Value: 50, Count: 3}, {Value: 100, Count: 1}}
	if !slices.Equal(sum, want) {
		t.Errorf("a plus b: %v, want %v", sum, want)
	}
	if !slices.Equal(a, hist{{Value: 0, Count: 1}, {Value: 25, Count: 2}, {Value: 50, Count: 3}}) || len(b) != 3 {
		t.Errorf("plus, with no room in a, changed a or b: %v, %v", a, b)
	}
	if got := (hist(nil)).plus(b); !slices.Equal(got, b) {
		t.Errorf("nothing plus b: %v", got)
	}
	got := sum.minus(a)
	if !slices.Equal(got, b) {
		t.Errorf("(a plus b) less a: %v, want b %v", got, b)
	}
	if got := (hist{{Value: 10, Count: 2}}).minus(hist{{Value: 10, Count: 2}}); len(got) != 0 {
		t.Errorf("a score left with no response stays: %v", got)
	}
	// Less what it does not include, a histogram says so: a negative count, which no figure takes.
	if got := (hist{{Value: 10, Count: 2}}).minus(hist{{Value: 5, Count: 1}, {Value: 10, Count: 1}}); !slices.Equal(got, hist{{Value: 5, Count: -1}, {Value: 10, Count: 1}}) {
		t.Errorf("less a score it lacks: %v, want that score at -1", got)
	}
	if got := (hist{{Value: 10, Count: 2}}).add(20, 0); len(got) != 1 {
		t.Errorf("adding no response makes a score: %v", got)
	}
	// plus never hands back its argument: what it returns may be changed without changing o.
	o := hist{{Value: 1, Count: 1}}
	(hist(nil)).plus(o).add(1, 5)
	if o[0].Count != 1 {
		t.Errorf("a histogram merged into an empty one was shared: %v", o)
	}
}

// TestHistPlusInPlace: a histogram with room merges another into itself, scores shared or not,
// and the other is left as it was.
func TestHistPlusInPlace(t *testing.T) {
	h := make(hist, 0, 10)
	h = append(h, stats.ValueCount{Value: 10, Count: 1}, stats.ValueCount{Value: 30, Count: 2}, stats.ValueCount{Value: 50, Count: 3})
	o := hist{{Value: 0, Count: 4}, {Value: 30, Count: 5}, {Value: 40, Count: 6}, {Value: 60, Count: 7}}
	got := h.plus(o)
	want := hist{{Value: 0, Count: 4}, {Value: 10, Count: 1}, {Value: 30, Count: 7}, {Value: 40, Count: 6}, {Value: 50, Count: 3}, {Value: 60, Count: 7}}
	if !slices.Equal(got, want) || &got[0] != &h[:1][0] {
		t.Errorf("in place: %v (own array %v), want %v", got, &got[0] == &h[:1][0], want)
	}
	if !slices.Equal(o, hist{{Value: 0, Count: 4}, {Value: 30, Count: 5}, {Value: 40, Count: 6}, {Value: 60, Count: 7}}) {
		t.Errorf("the other changed: %v", o)
	}
}

// TestHistAgainstMap: random histograms added, summed and taken apart agree with the same done
// with maps, score by score.
func TestHistAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	toMap := func(h hist) map[float64]int {
		m := map[float64]int{}
		for _, x := range h {
			m[x.Value] += x.Count
		}
		return m
	}
	for range 500 {
		ma, mb := map[float64]int{}, map[float64]int{}
		var a, b hist
		for range r.IntN(40) {
			v, c := float64(r.IntN(30))*2.5, 1+r.IntN(5)
			ma[v] += c
			a = a.add(v, c)
		}
		for range r.IntN(40) {
			v, c := float64(r.IntN(30))*2.5, 1+r.IntN(5)
			mb[v] += c
			b = b.add(v, c)
		}
		sum := slices.Clone(a).plus(b) // a kept for minus below; plus may write over its receiver
		if r.IntN(2) == 0 {
			sum = append(make(hist, 0, len(a)+len(b)+r.IntN(5)), a...).plus(b) // room to merge in place
		}
		if !slices.IsSortedFunc(sum, func(x, y stats.ValueCount) int { return cmp.Compare(x.Value, y.Value) }) {
			t.Fatalf("a plus b out of order: %v", sum)
		}
		want := map[float64]int{}
		for v, c := range ma {
			want[v] += c
		}
		for v, c := range mb {
			want[v] += c
		}
		if got := toMap(sum); !maps.Equal(got, want) || len(sum) != len(want) {
			t.Fatalf("a plus b: %v, want %v", sum, want)
		}
		if got := toMap(sum.minus(b)); !maps.Equal(got, ma) {
			t.Fatalf("(a plus b) less b: %v, want %v", got, ma)
		}
	}
}
