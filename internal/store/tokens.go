package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// NewToken is an API token to create. Hash is the SHA-256 of the token, which is never stored;
// Scope is a team key ("" for none); ExpiresAt nil means never.
type NewToken struct {
	Name      string
	Hash      string
	Role      string
	Scope     string
	Comments  bool
	ExpiresAt *time.Time
}

// CreateToken stores an API token. A second token with the same name is a conflict.
func (s *Store) CreateToken(ctx context.Context, nt NewToken) (APIToken, error) {
	tok := APIToken{Name: nt.Name, Hash: nt.Hash, Role: nt.Role, Comments: nt.Comments, CreatedAt: s.now().UTC(),
		ExpiresAt: utc(nt.ExpiresAt)}
	err := s.alone(ctx, func(tx *gorm.DB) error {
		team, err := scopeTeam(tx, nt.Scope)
		if err != nil {
			return err
		}
		tok.ScopeTeamID, tok.ScopeTeam = teamID(team), team
		if err := atLimit(tx, &APIToken{}, s.limits.tokens, "tokens, revoked ones included"); err != nil {
			return err
		}
		err = tx.Omit(clause.Associations).Create(&tok).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			// The hash is unique too, but two random tokens hashing alike is not a case to name.
			return fmt.Errorf("token %q already exists: %w", nt.Name, ErrConflict)
		}
		return err
	})
	if err != nil {
		return APIToken{}, fmt.Errorf("create token: %w", err)
	}
	return tok, nil
}

// TokenByHash returns the token with the given hash, with its scope team. Revoked and expired
// tokens are returned too: the caller decides, with its own clock.
func (s *Store) TokenByHash(ctx context.Context, hash string) (APIToken, error) {
	var tok APIToken
	if err := s.read.WithContext(ctx).Preload("ScopeTeam").Where("hash = ?", hash).Take(&tok).Error; err != nil {
		return APIToken{}, notFound(err, "token")
	}
	return tok, nil
}

// Tokens returns every token, revoked ones included, in name order, with their scope teams.
func (s *Store) Tokens(ctx context.Context) ([]APIToken, error) {
	var toks []APIToken
	if err := s.read.WithContext(ctx).Preload("ScopeTeam").Order("name").Find(&toks).Error; err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return toks, nil
}

// RevokeToken revokes a token for good at the given time. The row stays, so the list and the audit
// log can still name it; revoking it again is a conflict.
func (s *Store) RevokeToken(ctx context.Context, name string, at time.Time) (APIToken, error) {
	var tok APIToken
	err := s.alone(ctx, func(tx *gorm.DB) error {
		if err := tx.Preload("ScopeTeam").Where("name = ?", name).Take(&tok).Error; err != nil {
			return notFound(err, "token %q", name)
		}
		if tok.RevokedAt != nil {
			return fmt.Errorf("token %q is already revoked: %w", name, ErrConflict)
		}
		tok.RevokedAt = utc(&at)
		return tx.Model(&APIToken{}).Where("id = ?", tok.ID).Update("revoked_at", tok.RevokedAt).Error
	})
	if err != nil {
		return APIToken{}, fmt.Errorf("revoke token: %w", err)
	}
	return tok, nil
}

// MarkTokenUsed records the day (YYYY-MM-DD) a token was last used. It reads first and writes only
// on a token's first use of the day, so a busy script does not queue on the one writer.
func (s *Store) MarkTokenUsed(ctx context.Context, id uint, day string) error {
	var last string
	err := s.read.WithContext(ctx).Model(&APIToken{}).Select("last_used_on").Where("id = ?", id).Take(&last).Error
	if err != nil {
		return notFound(err, "token %d", id)
	}
	if last == day {
		return nil
	}
	// The condition again: another request may have written the day since the read.
	err = s.write.WithContext(ctx).Model(&APIToken{}).Where("id = ? AND last_used_on <> ?", id, day).
		Update("last_used_on", day).Error
	if err != nil {
		return fmt.Errorf("mark token %d used: %w", id, err)
	}
	return nil
}
