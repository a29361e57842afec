package survey

import "testing"

// TestNextLevel: with five levels scoring 0, 25, 50, 75, 100, a score at a level has the one above
// next, a score between two has the upper one next, and the top has none.
func TestNextLevel(t *testing.T) {
	q := &Question{Type: TypeMaturity, Levels: []string{"L1", "L2", "L3", "L4", "L5"}}
	for _, tc := range []struct {
		score float64
		want  string
	}{{0, "L2"}, {10, "L2"}, {25, "L3"}, {24.999, "L2"}, {37.5, "L3"}, {50, "L4"}, {99, "L5"}, {75, "L5"}, {100, ""}} {
		got, ok := q.NextLevel(tc.score)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("NextLevel(%v) = %q, %v; want %q", tc.score, got, ok, tc.want)
		}
	}
	if _, ok := (&Question{Type: TypeProficiency}).NextLevel(50); ok {
		t.Error("a proficiency question has a next level")
	}
}
