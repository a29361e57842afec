package store

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// invitationSetup is a store with the department's teams and an open invite wave.
func invitationSetup(t *testing.T, open opener) (*Store, Wave, map[string]Team) {
	t.Helper()
	s := open(t, WithClock(newClock().Now))
	teams := importDepartment(t, s)
	createWave(t, s, smallDefinition(t), "2026-invite", ModeInvite)
	w, err := s.OpenWave(context.Background(), "2026-invite")
	if err != nil {
		t.Fatal(err)
	}
	return s, w, teams
}

// invitations makes count codes for team in wave.
func invitations(t *testing.T, s *Store, wave, team string, count int) []string {
	t.Helper()
	codes, err := s.CreateInvitations(context.Background(), wave, team, count)
	if err != nil {
		t.Fatalf("CreateInvitations: %v", err)
	}
	return codes
}

func testInvitationsOpenWave(t *testing.T, open opener) {
	s := open(t)
	importDepartment(t, s)
	createWave(t, s, smallDefinition(t), "2026-open", ModeOpen)
	if _, err := s.CreateInvitations(context.Background(), "2026-open", "digital", 3); !errors.Is(err, ErrConflict) {
		t.Errorf("CreateInvitations on an open-mode wave: err = %v, want ErrConflict", err)
	}
}

func testInvitationCodes(t *testing.T, open opener) {
	ctx := context.Background()
	s, _, _ := invitationSetup(t, open)
	codes := invitations(t, s, "2026-invite", "digital", 50)
	if len(codes) != 50 {
		t.Fatalf("got %d codes, want 50", len(codes))
	}
	// Crockford's alphabet: no I, L, O or U.
	format := regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$`)
	seen := map[string]bool{}
	for _, c := range codes {
		if !format.MatchString(c) {
			t.Errorf("code %q is not XXXXX-XXXXX-XXXXX", c)
		}
		if seen[c] {
			t.Errorf("code %q given twice", c)
		}
		seen[c] = true
	}
	more := invitations(t, s, "2026-invite", "press", 5)
	for _, c := range more {
		if seen[c] {
			t.Errorf("code %q given again in a second batch", c)
		}
	}
	if _, err := s.CreateInvitations(ctx, "no-such-wave", "digital", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown wave: err = %v, want ErrNotFound", err)
	}
	if _, err := s.CreateInvitations(ctx, "2026-invite", "no-such-team", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown team: err = %v, want ErrNotFound", err)
	}
}

func testInvitationCount(t *testing.T, open opener) {
	s, _, _ := invitationSetup(t, open)
	for _, count := range []int{0, -1, MaxInvitations + 1} {
		if codes, err := s.CreateInvitations(context.Background(), "2026-invite", "digital", count); err == nil {
			t.Errorf("count %d: got %d codes, want an error", count, len(codes))
		}
	}
}

func testInvitationSetsTeam(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := invitationSetup(t, open)
	code := invitations(t, s, "2026-invite", "press", 1)[0]
	// Whatever team the submission names, the invitation's team counts.
	r := newResponse(t, smallDefinition(t), w.ID, teams["digital"].ID, "submission-1", answersA)
	r.InvitationHash = HashCode(code)
	saved, created, err := s.SaveResponse(ctx, r)
	if err != nil || !created {
		t.Fatalf("SaveResponse with a valid code: created = %v, err = %v", created, err)
	}
	if saved.TeamID != teams["press"].ID {
		t.Errorf("saved for team %d, want the invitation's team %d (press)", saved.TeamID, teams["press"].ID)
	}
	// A retry of the same submission finds the stored response, though the code is now used.
	again, created, err := s.SaveResponse(ctx, r)
	if err != nil || created || again.TeamID != teams["press"].ID {
		t.Errorf("retry: team %d, created = %v, err = %v; want the stored response", again.TeamID, created, err)
	}
}

func testInvitationUsedOnce(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := invitationSetup(t, open)
	def := smallDefinition(t)
	code := invitations(t, s, "2026-invite", "digital", 1)[0]
	first := newResponse(t, def, w.ID, teams["digital"].ID, "submission-1", answersA)
	first.InvitationHash = HashCode(code)
	if _, _, err := s.SaveResponse(ctx, first); err != nil {
		t.Fatal(err)
	}
	second := newResponse(t, def, w.ID, teams["digital"].ID, "submission-2", answersB)
	second.InvitationHash = HashCode(code)
	if _, _, err := s.SaveResponse(ctx, second); !errors.Is(err, ErrInvitation) {
		t.Errorf("a used code: err = %v, want ErrInvitation", err)
	}
	unknown := newResponse(t, def, w.ID, teams["digital"].ID, "submission-3", answersB)
	unknown.InvitationHash = HashCode("AAAAA-BBBBB-CCCCC")
	if _, _, err := s.SaveResponse(ctx, unknown); !errors.Is(err, ErrInvitation) {
		t.Errorf("an unknown code: err = %v, want ErrInvitation", err)
	}
	if n, err := s.CountResponses(ctx, w.ID); err != nil || n != 1 {
		t.Errorf("CountResponses = %d, %v; want 1", n, err)
	}
}

func testInvitationOtherWave(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := invitationSetup(t, open)
	def := smallDefinition(t)
	createWave(t, s, def, "2026-other", ModeInvite)
	code := invitations(t, s, "2026-other", "digital", 1)[0]
	r := newResponse(t, def, w.ID, teams["digital"].ID, "submission-1", answersA)
	r.InvitationHash = HashCode(code)
	if _, _, err := s.SaveResponse(ctx, r); !errors.Is(err, ErrInvitation) {
		t.Errorf("a code of another wave: err = %v, want ErrInvitation", err)
	}
	if n, err := s.CountResponses(ctx, w.ID); err != nil || n != 0 {
		t.Errorf("CountResponses = %d, %v; want 0", n, err)
	}
	// The refused attempt left the code unused for its own wave.
	other, err := s.Wave(ctx, "2026-other")
	if err != nil {
		t.Fatal(err)
	}
	r.WaveID = other.ID
	if _, created, err := s.SaveResponse(ctx, r); err != nil || !created {
		t.Errorf("the code in its own wave: created = %v, err = %v", created, err)
	}
}

func testHashCode(t *testing.T, _ opener) {
	want := HashCode("7K3QD-M9XTA-P2HVB")
	for _, typed := range []string{"7k3qd-m9xta-p2hvb", "7K3QDM9XTAP2HVB", " 7K3QD M9XTA P2HVB ", "7k3qd m9xta-p2hvb"} {
		if got := HashCode(typed); got != want {
			t.Errorf("HashCode(%q) differs from the printed code's", typed)
		}
	}
	if HashCode("7K3QD-M9XTA-P2HVC") == want {
		t.Error("different codes hash the same")
	}
	if len(want) != 64 || strings.Contains(want, "7K3QD") {
		t.Errorf("HashCode = %q, want 64 hex digits", want)
	}
}

// testInvitationRefusals: no codes for a team retired in the wave's hierarchy, nor for a wave that
// has closed. A team retired after the wave opened is still in the wave's hierarchy.
func testInvitationRefusals(t *testing.T, open opener) {
	ctx := context.Background()
	s, _, _ := invitationSetup(t, open)
	createWave(t, s, smallDefinition(t), "2027-invite", ModeInvite) // scheduled: takes the next import
	if _, err := s.ImportTeams(ctx, department()[:6]); err != nil { // leaves out strategy
		t.Fatal(err)
	}
	if _, err := s.CreateInvitations(ctx, "2027-invite", "strategy", 2); !errors.Is(err, ErrConflict) {
		t.Errorf("codes for a retired team: err = %v, want ErrConflict", err)
	}
	if _, err := s.CreateInvitations(ctx, "2026-invite", "strategy", 2); err != nil {
		t.Errorf("codes for a team the open wave opened with: %v", err)
	}
	if _, err := s.CloseWave(ctx, "2026-invite"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateInvitations(ctx, "2026-invite", "digital", 2); !errors.Is(err, ErrConflict) {
		t.Errorf("codes for a closed wave: err = %v, want ErrConflict", err)
	}
}
