package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"skillsurvey/internal/hierarchy"
)

func testImportTeams(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	sum, err := s.ImportTeams(ctx, department())
	if err != nil {
		t.Fatalf("ImportTeams: %v", err)
	}
	if want := (ImportSummary{Created: 7}); sum != want {
		t.Errorf("summary = %+v, want %+v", sum, want)
	}
	teams, err := s.Teams(ctx, false)
	if err != nil {
		t.Fatalf("Teams: %v", err)
	}
	if got, want := teamKeys(teams), []string{"comms", "dept", "digital", "policy", "press", "social", "strategy"}; !slices.Equal(got, want) {
		t.Fatalf("Teams = %v, want %v (key order)", got, want)
	}
	for _, want := range department() {
		tm := teams[slices.IndexFunc(teams, func(tm Team) bool { return tm.Key == want.Key })]
		if tm.Name != want.Name || !equalInt(tm.Headcount, want.Headcount) || tm.Retired {
			t.Errorf("team %s = %+v, want %+v", want.Key, tm, want)
		}
		switch {
		case want.Parent == "" && (tm.ParentID != nil || tm.Parent != nil):
			t.Errorf("team %s has a parent, want none", want.Key)
		case want.Parent != "" && (tm.Parent == nil || tm.Parent.Key != want.Parent || *tm.ParentID != tm.Parent.ID):
			t.Errorf("team %s: Parent %+v, want %s preloaded", want.Key, tm.Parent, want.Parent)
		}
		byKey, err := s.Team(ctx, want.Key)
		if err != nil || byKey.ID != tm.ID || byKey.Name != want.Name {
			t.Errorf("Team(%s) = %+v, %v", want.Key, byKey, err)
		}
		byID, err := s.TeamByID(ctx, tm.ID)
		if err != nil || byID.Key != want.Key {
			t.Errorf("TeamByID(%d) = %+v, %v; want %s", tm.ID, byID, err, want.Key)
		}
	}
	wantSubtrees := map[string][]string{
		"dept":     {"dept", "comms", "policy", "digital", "press", "strategy", "social"},
		"comms":    {"comms", "digital", "press", "social"},
		"digital":  {"digital", "social"},
		"social":   {"social"},
		"policy":   {"policy", "strategy"},
		"strategy": {"strategy"},
	}
	for key, want := range wantSubtrees {
		checkSubtree(t, s, key, want)
	}
}

func testUnknownTeam(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	importDepartment(t, s)
	if _, err := s.Team(ctx, "no-such-team"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Team: err = %v, want ErrNotFound", err)
	}
	if _, err := s.TeamByID(ctx, 1<<30); !errors.Is(err, ErrNotFound) {
		t.Errorf("TeamByID: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Subtree(ctx, "no-such-team"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Subtree: err = %v, want ErrNotFound", err)
	}
}

// reorganised is department() after a reorganisation: policy renamed, digital (with its sub-team)
// moved from comms to policy, press left out, and a new team.
func reorganised() []hierarchy.Team {
	var teams []hierarchy.Team
	for _, tm := range department() {
		switch tm.Key {
		case "policy":
			tm.Name = "Policy and strategy"
		case "digital":
			tm.Parent = "policy"
		case "press":
			continue
		}
		teams = append(teams, tm)
	}
	return append(teams, hierarchy.Team{Line: 9, Key: "insight", Name: "Insight", Parent: "policy"})
}

func testReimportTeams(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	before := importDepartment(t, s)
	sum, err := s.ImportTeams(ctx, reorganised())
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if want := (ImportSummary{Created: 1, Updated: 2, Retired: 1}); sum != want {
		t.Errorf("summary = %+v, want %+v (insight new; policy renamed and digital moved; press retired)", sum, want)
	}
	policy, err := s.Team(ctx, "policy")
	if err != nil || policy.Name != "Policy and strategy" || policy.ID != before["policy"].ID {
		t.Errorf("renamed team = %+v, %v; want the same row with the new name", policy, err)
	}
	digital, err := s.Team(ctx, "digital")
	if err != nil || digital.ParentID == nil || *digital.ParentID != policy.ID || digital.ID != before["digital"].ID {
		t.Errorf("moved team = %+v, %v; want the same row under policy (%d)", digital, err, policy.ID)
	}

	press, err := s.Team(ctx, "press")
	if err != nil || !press.Retired || press.ID != before["press"].ID {
		t.Errorf("left-out team = %+v, %v; want it kept and retired", press, err)
	}
	if byID, err := s.TeamByID(ctx, press.ID); err != nil || !byID.Retired {
		t.Errorf("TeamByID of the retired team = %+v, %v", byID, err)
	}
	current, err := s.Teams(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := teamKeys(current), []string{"comms", "dept", "digital", "insight", "policy", "social", "strategy"}; !slices.Equal(got, want) {
		t.Errorf("Teams(without retired) = %v, want %v", got, want)
	}
	all, err := s.Teams(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := teamKeys(all), []string{"comms", "dept", "digital", "insight", "policy", "press", "social", "strategy"}; !slices.Equal(got, want) {
		t.Errorf("Teams(with retired) = %v, want %v", got, want)
	}
}

func testReimportUnchanged(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	importDepartment(t, s)
	sum, err := s.ImportTeams(ctx, department())
	if err != nil {
		t.Fatal(err)
	}
	if sum != (ImportSummary{}) {
		t.Errorf("importing the same file again: summary = %+v, want nothing changed", sum)
	}
	// A headcount becoming unknown is a change.
	teams := department()
	teams[0].Headcount = nil
	if sum, err = s.ImportTeams(ctx, teams); err != nil || sum != (ImportSummary{Updated: 1}) {
		t.Errorf("clearing a headcount: summary = %+v, %v; want one updated", sum, err)
	}
	if dept, _ := s.Team(ctx, "dept"); dept.Headcount != nil {
		t.Errorf("headcount = %d, want unknown", *dept.Headcount)
	}
}

func testRetiredTeamReturns(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	before := importDepartment(t, s)
	if _, err := s.ImportTeams(ctx, reorganised()); err != nil {
		t.Fatal(err)
	}
	sum, err := s.ImportTeams(ctx, department())
	if err != nil {
		t.Fatal(err)
	}
	// press returns, policy and digital change back, insight is retired.
	if want := (ImportSummary{Updated: 3, Retired: 1}); sum != want {
		t.Errorf("summary = %+v, want %+v", sum, want)
	}
	press, err := s.Team(ctx, "press")
	if err != nil || press.Retired || press.ID != before["press"].ID {
		t.Errorf("returning team = %+v, %v; want the old row, not retired", press, err)
	}
	checkSubtree(t, s, "comms", []string{"comms", "digital", "press", "social"})
}

func testSubtreeAfterMove(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	importDepartment(t, s)
	if _, err := s.ImportTeams(ctx, reorganised()); err != nil {
		t.Fatal(err)
	}
	// digital and its sub-team left comms for policy; press is retired but still counts in comms,
	// where its old responses were given.
	checkSubtree(t, s, "comms", []string{"comms", "press"})
	checkSubtree(t, s, "policy", []string{"policy", "digital", "insight", "strategy", "social"})
	checkSubtree(t, s, "digital", []string{"digital", "social"})
	checkSubtree(t, s, "dept", []string{"dept", "comms", "policy", "digital", "insight", "press", "strategy", "social"})
}

// checkSubtree checks that Subtree(key) holds exactly want, nearest first, then in key order.
func checkSubtree(t *testing.T, s *Store, key string, want []string) {
	t.Helper()
	teams, err := s.Subtree(context.Background(), key)
	if err != nil {
		t.Errorf("Subtree(%s): %v", key, err)
		return
	}
	if got := teamKeys(teams); !slices.Equal(got, want) {
		t.Errorf("Subtree(%s) = %v, want %v", key, got, want)
	}
}

func teamKeys(teams []Team) []string {
	keys := make([]string, len(teams))
	for i, tm := range teams {
		keys[i] = tm.Key
	}
	return keys
}

func equalInt(a, b *int) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}
