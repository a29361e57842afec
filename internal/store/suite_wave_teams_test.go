package store

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"skillsurvey/internal/hierarchy"
)

// waveTeamsByKey reads a wave's own hierarchy as key → parent key, name, headcount, retired.
func waveTeamsByKey(t *testing.T, s *Store, waveID uint) map[string]string {
	t.Helper()
	teams, err := s.WaveTeams(context.Background(), waveID)
	if err != nil {
		t.Fatalf("WaveTeams: %v", err)
	}
	out := map[string]string{}
	for _, tm := range teams {
		parent := ""
		if tm.Parent != nil {
			parent = tm.Parent.Key
		}
		head := -1
		if tm.Headcount != nil {
			head = *tm.Headcount
		}
		out[tm.Key] = parent + "|" + tm.Name + "|" + strconv.Itoa(head) + "|" + map[bool]string{true: "retired", false: ""}[tm.Retired]
	}
	return out
}

// testWaveHierarchyFrozen: a wave takes the hierarchy as it is while scheduled, and keeps it once open.
func testWaveHierarchyFrozen(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	importDepartment(t, s)
	def := smallDefinition(t)
	w := createWave(t, s, def, "2026-spring", ModeOpen)
	atCreation := waveTeamsByKey(t, s, w.ID)
	if len(atCreation) != len(department()) || atCreation["digital"] != "comms|Digital|"+strconv.Itoa(12)+"|" {
		t.Fatalf("the wave's hierarchy at creation = %v", atCreation)
	}
	if _, err := s.ImportTeams(ctx, reorganised()); err != nil {
		t.Fatal(err)
	}
	scheduled := waveTeamsByKey(t, s, w.ID)
	if scheduled["digital"] != "policy|Digital|"+strconv.Itoa(12)+"|" || !reflect.DeepEqual(scheduled["press"], "comms|Press office|"+strconv.Itoa(9)+"|retired") {
		t.Errorf("before opening, the wave's hierarchy should follow the import: %v", scheduled)
	}
	if _, err := s.OpenWave(ctx, w.Key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportTeams(ctx, department()); err != nil {
		t.Fatal(err)
	}
	if got := waveTeamsByKey(t, s, w.ID); !reflect.DeepEqual(got, scheduled) {
		t.Errorf("an import after opening changed the wave's hierarchy:\n got %v\nwant %v", got, scheduled)
	}
	tm, err := s.WaveTeam(ctx, w.ID, "digital")
	if err != nil || tm.ParentID == nil {
		t.Fatalf("WaveTeam(digital) = %+v, %v", tm, err)
	}
	policy, err := s.Team(ctx, "policy")
	if err != nil || *tm.ParentID != policy.ID {
		t.Errorf("WaveTeam(digital) parent %d, want policy %d as the wave saw it", *tm.ParentID, policy.ID)
	}
	if _, err := s.WaveTeam(ctx, w.ID, "nowhere"); !errors.Is(err, ErrNotFound) {
		t.Errorf("WaveTeam of an unknown key: err = %v, want ErrNotFound", err)
	}
	insight, err := s.WaveTeam(ctx, w.ID, "insight")
	if err != nil || insight.Retired {
		t.Errorf("WaveTeam(insight) = %+v, %v; want it active, as when the wave opened", insight, err)
	}
}

// testRenameTeams: previous_key renames a team (the same row), a second import of the file changes
// nothing, and a rename that names no team or a key in use is refused by line, changing nothing.
func testRenameTeams(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	before := importDepartment(t, s)
	renamed := department()
	renamed[4].Key, renamed[4].PreviousKey = "media", "press" // line 6
	renamed[6].Parent = "media"
	sum, err := s.ImportTeams(ctx, renamed)
	if err != nil {
		t.Fatalf("rename: %v", err)
	}
	if want := (ImportSummary{Updated: 1, Renamed: 1}); sum != want {
		t.Errorf("summary = %+v, want %+v (press renamed media; social moved under it)", sum, want)
	}
	media, err := s.Team(ctx, "media")
	if err != nil || media.ID != before["press"].ID || media.Retired {
		t.Errorf("renamed team = %+v, %v; want press's row, active", media, err)
	}
	if _, err := s.Team(ctx, "press"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the old key still names a team: %v", err)
	}
	if sum, err := s.ImportTeams(ctx, renamed); err != nil || sum != (ImportSummary{}) {
		t.Errorf("the same file again = %+v, %v; want nothing changed", sum, err)
	}

	bad := department()
	bad[1].Key, bad[1].PreviousKey = "comms-new", "gone" // line 3: names no team
	bad[3].Parent, bad[4].Parent = "comms-new", "comms-new"
	bad[5].PreviousKey = "strategy" // line 7: social exists, strategy too
	bad[6].Parent = "comms-new"
	_, err = s.ImportTeams(ctx, bad)
	var rows *hierarchy.Errors
	if !errors.As(err, &rows) {
		t.Fatalf("bad renames: err = %v, want *hierarchy.Errors", err)
	}
	want := []hierarchy.RowError{
		{Line: 3, Message: `previous_key "gone" names no team: nothing to rename (leave it empty for a new team)`},
		{Line: 7, Message: `team "social" exists already, so "strategy" cannot be renamed to it`},
	}
	if !slices.Equal(rows.Rows, want) {
		t.Errorf("rows = %v, want %v", rows.Rows, want)
	}
	if all, _ := s.Teams(ctx, true); !slices.Contains(teamKeys(all), "media") || slices.Contains(teamKeys(all), "comms-new") {
		t.Errorf("a refused import changed the teams: %v", teamKeys(all))
	}
}
