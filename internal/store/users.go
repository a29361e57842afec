package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Where an account comes from.
const (
	SourceLocal = "local" // made by an administrator, signs in with a password
	SourceOIDC  = "oidc"  // made by single sign-on, has no password
)

// NewUser is an account to create. Scope is a team key ("" for none); Source "" means local.
type NewUser struct {
	Email        string
	PasswordHash string
	Role         string
	Scope        string
	Comments     bool
	Source       string
	// Subject is the identity provider's id of the person, for single sign-on accounts.
	Subject string
}

// CreateUser adds an account. A second account with the same email is a conflict.
func (s *Store) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	source := nu.Source
	if source == "" {
		source = SourceLocal
	}
	if source != SourceLocal && source != SourceOIDC {
		return User{}, fmt.Errorf("create user: source %q is neither %s nor %s", source, SourceLocal, SourceOIDC)
	}
	u := User{Email: normalEmail(nu.Email), PasswordHash: nu.PasswordHash, Role: nu.Role, Comments: nu.Comments,
		Source: source, CreatedAt: s.now().UTC()}
	err := s.alone(ctx, func(tx *gorm.DB) error {
		team, err := scopeTeam(tx, nu.Scope)
		if err != nil {
			return err
		}
		u.ScopeTeamID, u.ScopeTeam = teamID(team), team
		if err := atLimit(tx, &User{}, s.limits.users, "users"); err != nil {
			return err
		}
		err = tx.Omit(clause.Associations).Create(&u).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return fmt.Errorf("user %q already exists: %w", u.Email, ErrConflict)
		}
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// SaveSSOUser creates or updates the account of a person signed in by single sign-on: the
// provider's claims decide the role, scope and comments at every sign-in. A local account with the
// same email is a conflict, so single sign-on cannot take over an account that has a password; so
// is an account first made for another subject (another person at the provider now carrying the
// same email), so an email changed or reused at the provider cannot take over someone's account.
func (s *Store) SaveSSOUser(ctx context.Context, nu NewUser) (User, error) {
	email := normalEmail(nu.Email)
	if nu.Subject == "" {
		return User{}, fmt.Errorf("save single sign-on user %q: the provider gave no subject", email)
	}
	var u User
	err := s.alone(ctx, func(tx *gorm.DB) error {
		team, err := scopeTeam(tx, nu.Scope)
		if err != nil {
			return err
		}
		err = tx.Where("email = ?", email).Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			if err := atLimit(tx, &User{}, s.limits.users, "users"); err != nil {
				return err
			}
			u = User{Email: email, Role: nu.Role, ScopeTeamID: teamID(team), Comments: nu.Comments, Source: SourceOIDC,
				Subject: nu.Subject, CreatedAt: s.now().UTC()}
			u.ScopeTeam = team
			return tx.Omit(clause.Associations).Create(&u).Error
		}
		if err != nil {
			return err
		}
		if u.Source != SourceOIDC {
			return fmt.Errorf("user %q is a %s account: %w", email, u.Source, ErrConflict)
		}
		if u.Subject != nu.Subject {
			return fmt.Errorf("user %q belongs to another subject at the identity provider: %w", email, ErrConflict)
		}
		u.Role, u.ScopeTeamID, u.Comments, u.ScopeTeam = nu.Role, teamID(team), nu.Comments, team
		return tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"role": u.Role, "scope_team_id": u.ScopeTeamID, "comments": u.Comments,
		}).Error
	})
	if err != nil {
		return User{}, fmt.Errorf("save single sign-on user: %w", err)
	}
	return u, nil
}

// UserByEmail returns the account with the given email, in any case, with its scope team.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.read.WithContext(ctx).Preload("ScopeTeam").Where("email = ?", normalEmail(email)).Take(&u).Error
	if err != nil {
		return User{}, notFound(err, "user %q", normalEmail(email))
	}
	return u, nil
}

// HasUsers says whether any account exists.
func (s *Store) HasUsers(ctx context.Context) (bool, error) {
	var ids []uint
	if err := s.read.WithContext(ctx).Model(&User{}).Limit(1).Pluck("id", &ids).Error; err != nil {
		return false, fmt.Errorf("users: %w", err)
	}
	return len(ids) > 0, nil
}

// Users returns every account in email order, with their scope teams.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var us []User
	if err := s.read.WithContext(ctx).Preload("ScopeTeam").Order("email").Find(&us).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

// RemoveUser deletes an account; its sessions go with it (the foreign key cascades), so a removed
// person is signed out everywhere at once.
func (s *Store) RemoveUser(ctx context.Context, email string) error {
	email = normalEmail(email)
	res := s.write.WithContext(ctx).Where("email = ?", email).Delete(&User{})
	if res.Error != nil {
		return fmt.Errorf("remove user %q: %w", email, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("user %q: %w", email, ErrNotFound)
	}
	return nil
}

// normalEmail is how emails are stored and looked up: trimmed and in lower case, so an address
// typed with capitals finds the same account.
func normalEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// scopeTeam resolves a scope's team key for an account or a token: nil for no scope, ErrNotFound
// for an unknown team, ErrConflict for a retired one (its subtree is no longer offered).
func scopeTeam(tx *gorm.DB, key string) (*Team, error) {
	if key == "" {
		return nil, nil
	}
	var t Team
	if err := tx.Where("key = ?", key).Take(&t).Error; err != nil {
		return nil, notFound(err, "team %q", key)
	}
	if t.Retired {
		return nil, fmt.Errorf("team %q is retired (not in the latest import): %w", key, ErrConflict)
	}
	return &t, nil
}

func teamID(t *Team) *uint {
	if t == nil {
		return nil
	}
	return &t.ID
}
