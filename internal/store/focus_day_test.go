package store

import (
	"context"
	"errors"
	"testing"
)

// TestFocusAreasOnADay: focus areas recorded after the fact keep the day given, and a day that is
// not one is refused.
func TestFocusAreasOnADay(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	w, team := focusFixture(t, s)
	got, err := s.SetFocusAreasOn(ctx, w, team, "2026-06-10", []NewFocusArea{{Dimension: "culture"}})
	if err != nil || len(got) != 1 || got[0].ChosenOn != "2026-06-10" {
		t.Fatalf("set on a day: %+v, %v", got, err)
	}
	for _, day := range []string{"", "10/06/2026", "2026-06-10T00:00:00Z"} {
		if _, err := s.SetFocusAreasOn(ctx, w, team, day, []NewFocusArea{{Dimension: "skills"}}); !errors.Is(err, ErrFocusAreas) {
			t.Errorf("day %q: %v, want ErrFocusAreas", day, err)
		}
	}
	if stored, _ := s.FocusAreas(ctx, team, w); len(stored) != 1 || stored[0].ChosenOn != "2026-06-10" {
		t.Errorf("after refusals: %+v", stored)
	}
}
