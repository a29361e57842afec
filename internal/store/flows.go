package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SaveSignInFlow keeps a single sign-on sign-in under way until the provider answers. CreatedAt is
// the store's clock when not given.
func (s *Store) SaveSignInFlow(ctx context.Context, f SignInFlow) error {
	if f.CreatedAt.IsZero() {
		f.CreatedAt = s.now()
	}
	f.CreatedAt = f.CreatedAt.UTC()
	err := s.write.WithContext(ctx).Create(&f).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return fmt.Errorf("save sign-in flow: the state is already in use: %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("save sign-in flow: %w", err)
	}
	return nil
}

// TakeSignInFlow returns the sign-in under way with the given state and deletes it in the same
// write, so a provider's answer is used at most once, even by two requests at the same time. A flow
// started before notBefore is deleted too, and is ErrNotFound like one that never was.
func (s *Store) TakeSignInFlow(ctx context.Context, stateHash string, notBefore time.Time) (SignInFlow, error) {
	var f SignInFlow
	err := s.alone(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("state_hash = ?", stateHash).Take(&f).Error; err != nil {
			return notFound(err, "sign-in flow")
		}
		return tx.Where("state_hash = ?", stateHash).Delete(&SignInFlow{}).Error
	})
	if err != nil {
		return SignInFlow{}, fmt.Errorf("take sign-in flow: %w", err)
	}
	if f.CreatedAt.Before(notBefore) {
		return SignInFlow{}, fmt.Errorf("take sign-in flow: started %s, too long ago: %w", f.CreatedAt.Format(time.RFC3339), ErrNotFound)
	}
	return f, nil
}

// DeleteOldSignInFlows deletes the sign-ins started before the given time and never finished.
func (s *Store) DeleteOldSignInFlows(ctx context.Context, before time.Time) error {
	if err := s.write.WithContext(ctx).Where("created_at < ?", before.UTC()).Delete(&SignInFlow{}).Error; err != nil {
		return fmt.Errorf("delete old sign-in flows: %w", err)
	}
	return nil
}
