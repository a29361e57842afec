package store

import (
	"context"
	"fmt"

	"gorm.io/gorm/clause"
)

// Snapshot returns a wave's published report for a breakdown ("" for none).
func (s *Store) Snapshot(ctx context.Context, waveID uint, breakdown string) (ReportSnapshot, error) {
	var snap ReportSnapshot
	err := s.read.WithContext(ctx).Where("wave_id = ? AND breakdown = ?", waveID, breakdown).Take(&snap).Error
	if err != nil {
		return ReportSnapshot{}, notFound(err, "report snapshot of wave %d", waveID)
	}
	return snap, nil
}

// SaveSnapshot stores a wave's published report, replacing the one before.
func (s *Store) SaveSnapshot(ctx context.Context, snap ReportSnapshot) error {
	err := s.write.WithContext(ctx).Omit("Wave").Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "wave_id"}, {Name: "breakdown"}},
		DoUpdates: clause.AssignmentColumns([]string{"responses", "data", "refreshed_on"}),
	}).Create(&snap).Error
	if err != nil {
		return fmt.Errorf("save report snapshot: %w", err)
	}
	return nil
}
