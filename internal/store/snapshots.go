package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// UpdateSnapshot reads a wave's snapshot (nil when there is none, of any breakdown "") and stores
// what change returns, unless it returns nil, in one write transaction: concurrent updates run one
// after the other, so none is lost.
func (s *Store) UpdateSnapshot(ctx context.Context, waveID uint, change func(old *ReportSnapshot) (*ReportSnapshot, error)) error {
	err := s.write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old ReportSnapshot
		err := tx.Where("wave_id = ? AND breakdown = ?", waveID, "").Take(&old).Error
		var current *ReportSnapshot
		switch {
		case err == nil:
			current = &old
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		next, err := change(current)
		if err != nil || next == nil {
			return err
		}
		next.WaveID, next.Breakdown = waveID, ""
		return tx.Omit("Wave").Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "wave_id"}, {Name: "breakdown"}},
			DoUpdates: clause.AssignmentColumns([]string{"responses", "data", "refreshed_on"}),
		}).Create(next).Error
	})
	if err != nil {
		return fmt.Errorf("update report snapshot: %w", err)
	}
	return nil
}
