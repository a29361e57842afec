package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateSession stores a signed-in browser's session. Times are kept in UTC.
func (s *Store) CreateSession(ctx context.Context, sess Session) error {
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.LastSeenAt.UTC(), sess.ExpiresAt.UTC()
	err := s.write.WithContext(ctx).Omit(clause.Associations).Create(&sess).Error
	switch {
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("create session: the session already exists: %w", ErrConflict)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		// The account was removed between signing in and here.
		return fmt.Errorf("create session: user %d: %w", sess.UserID, ErrNotFound)
	case err != nil:
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash returns the session whose cookie hashes to idHash, with its user and the user's
// scope team. Expired sessions are returned too: the caller decides, with its own clock.
func (s *Store) SessionByHash(ctx context.Context, idHash string) (Session, error) {
	var sess Session
	err := s.read.WithContext(ctx).Preload("User").Preload("User.ScopeTeam").Where("id_hash = ?", idHash).Take(&sess).Error
	if err != nil {
		return Session{}, notFound(err, "session")
	}
	return sess, nil
}

// TouchSession records activity on a session, which keeps it from going idle. A session that is
// gone (signed out meanwhile) is ErrNotFound.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	res := s.write.WithContext(ctx).Model(&Session{}).Where("id_hash = ?", idHash).Update("last_seen_at", at.UTC())
	if res.Error != nil {
		return fmt.Errorf("touch session: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("session: %w", ErrNotFound)
	}
	return nil
}

// DeleteSession ends a session. Ending one that is already gone is not an error: signing out twice
// ends in the same place.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if err := s.write.WithContext(ctx).Where("id_hash = ?", idHash).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of an account, such as after its password changes.
func (s *Store) DeleteUserSessions(ctx context.Context, userID uint) error {
	if err := s.write.WithContext(ctx).Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions deletes the sessions idle since before idleBefore or past their hard end
// at now, and says how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idleBefore, now time.Time) (int64, error) {
	res := s.write.WithContext(ctx).Where("last_seen_at < ? OR expires_at <= ?", idleBefore.UTC(), now.UTC()).Delete(&Session{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}
