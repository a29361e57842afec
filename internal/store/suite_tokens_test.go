package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// createToken stores a token whose hash is that of "ssv_" and its name.
func createToken(t *testing.T, s *Store, name, role, scope string) APIToken {
	t.Helper()
	tok, err := s.CreateToken(context.Background(), NewToken{Name: name, Hash: sha("ssv_" + name), Role: role, Scope: scope})
	if err != nil {
		t.Fatalf("CreateToken %s: %v", name, err)
	}
	return tok
}

func testCreateToken(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t, WithClock(newClock().Now))
	importDepartment(t, s)
	expires := t0.Add(90 * 24 * time.Hour)
	tok, err := s.CreateToken(ctx, NewToken{Name: "powerbi", Hash: sha("ssv_powerbi"), Role: "hr", Comments: true, ExpiresAt: &expires})
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if tok.ID == 0 || !tok.CreatedAt.Equal(t0) || tok.ExpiresAt == nil || !tok.ExpiresAt.Equal(expires) || tok.RevokedAt != nil ||
		tok.LastUsedOn != "" || tok.ScopeTeam != nil {
		t.Errorf("CreateToken = %+v", tok)
	}
	got, err := s.TokenByHash(ctx, sha("ssv_powerbi"))
	if err != nil {
		t.Fatalf("TokenByHash: %v", err)
	}
	if got.ID != tok.ID || got.Name != "powerbi" || got.Role != "hr" || !got.Comments || got.ScopeTeamID != nil ||
		got.ExpiresAt == nil || !got.ExpiresAt.Equal(expires) || !got.CreatedAt.Equal(t0) || got.RevokedAt != nil {
		t.Errorf("TokenByHash = %+v, want what was created: %+v", got, tok)
	}

	lead := createToken(t, s, "digital-dashboard", "lead", "digital")
	if scopeKey(lead.ScopeTeam) != "digital" || lead.ExpiresAt != nil {
		t.Errorf("CreateToken with a scope = %+v, want digital and no expiry", lead)
	}
	if got, err := s.TokenByHash(ctx, sha("ssv_digital-dashboard")); err != nil || scopeKey(got.ScopeTeam) != "digital" {
		t.Errorf("TokenByHash of a scoped token: %+v, %v; want its scope team", got, err)
	}
	createToken(t, s, "admin-script", "admin", "")
	toks, err := s.Tokens(ctx)
	if err != nil {
		t.Fatalf("Tokens: %v", err)
	}
	var names []string
	for _, tok := range toks {
		names = append(names, tok.Name+" "+scopeKey(tok.ScopeTeam))
	}
	if got, want := strings.Join(names, ", "), "admin-script , digital-dashboard digital, powerbi "; got != want {
		t.Errorf("Tokens = %s; want, in name order: %s", got, want)
	}
}

func testTokenRefusals(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	importDepartment(t, s)
	createToken(t, s, "powerbi", "hr", "")
	if _, err := s.CreateToken(ctx, NewToken{Name: "powerbi", Hash: sha("another"), Role: "hr"}); !errors.Is(err, ErrConflict) {
		t.Errorf("a second token with the same name: err = %v, want ErrConflict", err)
	}
	if _, err := s.ImportTeams(ctx, department()[:6]); err != nil { // leaves out strategy
		t.Fatal(err)
	}
	if _, err := s.CreateToken(ctx, NewToken{Name: "nowhere", Hash: sha("n"), Role: "lead", Scope: "nowhere"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("a token for an unknown team: err = %v, want ErrNotFound", err)
	}
	if _, err := s.CreateToken(ctx, NewToken{Name: "strategy", Hash: sha("s"), Role: "lead", Scope: "strategy"}); !errors.Is(err, ErrConflict) {
		t.Errorf("a token for a retired team: err = %v, want ErrConflict", err)
	}
	if toks, err := s.Tokens(ctx); err != nil || len(toks) != 1 {
		t.Errorf("refused tokens left %d (%v), want the first alone", len(toks), err)
	}
	if _, err := s.TokenByHash(ctx, sha("ssv_forged")); !errors.Is(err, ErrNotFound) {
		t.Errorf("TokenByHash of an unknown token: err = %v, want ErrNotFound", err)
	}
}

// testRevokeToken: a revoked token is kept, marked, and cannot be revoked again.
func testRevokeToken(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	createToken(t, s, "powerbi", "hr", "")
	at := t0.Add(time.Hour)
	tok, err := s.RevokeToken(ctx, "powerbi", at)
	if err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	if tok.Name != "powerbi" || tok.RevokedAt == nil || !tok.RevokedAt.Equal(at) {
		t.Errorf("RevokeToken = %+v, want revoked at %v", tok, at)
	}
	got, err := s.TokenByHash(ctx, sha("ssv_powerbi"))
	if err != nil || got.RevokedAt == nil || !got.RevokedAt.Equal(at) {
		t.Errorf("TokenByHash of a revoked token: %+v, %v; want it, revoked at %v", got, err, at)
	}
	if _, err := s.RevokeToken(ctx, "powerbi", at.Add(time.Hour)); !errors.Is(err, ErrConflict) {
		t.Errorf("RevokeToken twice: err = %v, want ErrConflict", err)
	}
	if got, err := s.TokenByHash(ctx, sha("ssv_powerbi")); err != nil || got.RevokedAt == nil || !got.RevokedAt.Equal(at) {
		t.Errorf("the second RevokeToken changed the revocation time: %+v, %v", got, err)
	}
	if _, err := s.RevokeToken(ctx, "nothing", at); !errors.Is(err, ErrNotFound) {
		t.Errorf("RevokeToken of no token: err = %v, want ErrNotFound", err)
	}
	if toks, err := s.Tokens(ctx); err != nil || len(toks) != 1 || toks[0].RevokedAt == nil {
		t.Errorf("Tokens after revoking: %+v, %v; want the revoked token still listed", toks, err)
	}
}

// testMarkTokenUsed: the day of last use is kept, not the time.
func testMarkTokenUsed(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	tok := createToken(t, s, "powerbi", "hr", "")
	other := createToken(t, s, "other", "hr", "")
	lastUsed := func(name string) string {
		t.Helper()
		got, err := s.TokenByHash(ctx, sha("ssv_"+name))
		if err != nil {
			t.Fatal(err)
		}
		return got.LastUsedOn
	}
	for _, step := range []struct{ day, want string }{
		{"2026-03-02", "2026-03-02"},
		{"2026-03-02", "2026-03-02"},
		{"2026-03-03", "2026-03-03"},
	} {
		if err := s.MarkTokenUsed(ctx, tok.ID, step.day); err != nil {
			t.Fatalf("MarkTokenUsed %s: %v", step.day, err)
		}
		if got := lastUsed("powerbi"); got != step.want {
			t.Errorf("after MarkTokenUsed %s, LastUsedOn = %q, want %q", step.day, got, step.want)
		}
	}
	if got := lastUsed("other"); got != "" {
		t.Errorf("a token never used has LastUsedOn = %q", got)
	}
	if err := s.MarkTokenUsed(ctx, other.ID+100, "2026-03-03"); !errors.Is(err, ErrNotFound) {
		t.Errorf("MarkTokenUsed of no token: err = %v, want ErrNotFound", err)
	}
}
