package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestFocusAreas: a team's focus areas for a wave are replaced whole, kept in the order chosen,
// and refused, changing nothing, beyond three, with a dimension twice or a note too long.
func TestFocusAreas(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	w, team := focusFixture(t, s)
	got, err := s.SetFocusAreas(ctx, w, team, []NewFocusArea{{"culture", " Run a show and tell each month "}, {"skills", ""}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Position != 1 || got[0].Note != "Run a show and tell each month" || got[1].Dimension != "skills" {
		t.Errorf("set: %+v", got)
	}
	for _, bad := range [][]NewFocusArea{
		{{"a", ""}, {"b", ""}, {"c", ""}, {"d", ""}},
		{{"culture", ""}, {"culture", ""}},
		{{"", ""}},
		{{strings.Repeat("x", 65), ""}},
		{{"culture", strings.Repeat("é", MaxFocusNoteRune+1)}},
	} {
		if _, err := s.SetFocusAreas(ctx, w, team, bad); !errors.Is(err, ErrFocusAreas) {
			t.Errorf("%d areas refused with %v, want ErrFocusAreas", len(bad), err)
		}
	}
	stored, err := s.FocusAreas(ctx, team, w)
	if err != nil || len(stored) != 2 || stored[0].Dimension != "culture" || stored[1].Dimension != "skills" {
		t.Errorf("after refusals: %+v, %v; want the two set first", stored, err)
	}
	if _, err := s.SetFocusAreas(ctx, w, team, nil); err != nil {
		t.Fatal(err)
	}
	if stored, _ := s.FocusAreas(ctx, team, w); len(stored) != 0 {
		t.Errorf("cleared, yet %+v", stored)
	}
}

// focusFixture is a wave and a team to choose focus areas for.
func focusFixture(t *testing.T, s *Store) (waveID, teamID uint) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.ImportTeams(ctx, department()); err != nil {
		t.Fatal(err)
	}
	w := createWave(t, s, smallDefinition(t), "focus", ModeInvite)
	team, err := s.Team(ctx, "digital")
	if err != nil {
		t.Fatal(err)
	}
	return w.ID, team.ID
}
