package store

import (
	"fmt"

	"gorm.io/gorm"
)

// The most rows of each kind a service keeps. Each is a list the API answers with in one piece
// (api/openapi.yaml bounds it), so a change past one is refused as a conflict rather than growing a
// list without end.
const (
	// MaxWaves is the most waves a service keeps.
	MaxWaves = 1000
	// MaxTeams is the most teams, retired ones included: they are kept for their old responses.
	MaxTeams = 100000
	// MaxUsers is the most accounts.
	MaxUsers = 10000
	// MaxTokens is the most API tokens, revoked ones included: the list and the audit log still name them.
	MaxTokens = 1000
)

// limits are the caps a store applies: the constants above, which tests lower to reach them.
type limits struct {
	waves, teams, users, tokens int
}

// atLimit is ErrLimit when the table of model already holds limit rows, in the transaction that
// would add one: the one writer makes the count and the insert a single step.
func atLimit(tx *gorm.DB, model any, limit int, kind string) error {
	var n int64
	if err := tx.Model(model).Count(&n).Error; err != nil {
		return fmt.Errorf("count %s: %w", kind, err)
	}
	if n >= int64(limit) {
		return fmt.Errorf("there are already %d %s, the most a service keeps: %w", limit, kind, ErrLimit)
	}
	return nil
}
