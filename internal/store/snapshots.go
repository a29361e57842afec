package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// snapshotAttempts bounds how often UpdateSnapshot merges again after another update won the race.
// Each retry follows a write that succeeded, so running out means a storm of reports, not a fault.
const snapshotAttempts = 8

// UpdateSnapshot reads a wave's snapshot (nil when there is none, of any breakdown "") and stores
// what change returns, unless it returns nil. The change runs outside the write transaction, so
// decoding and merging a report never hold up the one writer that submissions wait for; the write
// then succeeds only over the very snapshot the change saw (same revision), and otherwise change
// runs again on the newer one. So concurrent updates, here or in another instance, lose nothing;
// change may run more than once and must start from its inputs each time.
func (s *Store) UpdateSnapshot(ctx context.Context, waveID uint, change func(old *ReportSnapshot) (*ReportSnapshot, error)) error {
	for range snapshotAttempts {
		old, err := s.Snapshot(ctx, waveID)
		if err != nil {
			return fmt.Errorf("update report snapshot: %w", err)
		}
		next, err := change(old)
		if err != nil || next == nil {
			return err
		}
		stored, err := s.replaceSnapshot(ctx, waveID, old, next)
		if err != nil {
			return fmt.Errorf("update report snapshot: %w", err)
		}
		if stored {
			return nil
		}
	}
	return fmt.Errorf("update report snapshot: %w: changed by other reports %d times running", ErrConflict, snapshotAttempts)
}

// Snapshot reads a wave's report snapshot (of breakdown ""); nil when there is none.
func (s *Store) Snapshot(ctx context.Context, waveID uint) (*ReportSnapshot, error) {
	var old ReportSnapshot
	err := s.read.WithContext(ctx).Where("wave_id = ? AND breakdown = ?", waveID, "").Take(&old).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &old, nil
}

// replaceSnapshot stores next in place of old, and says false when old is no longer what is stored.
func (s *Store) replaceSnapshot(ctx context.Context, waveID uint, old, next *ReportSnapshot) (bool, error) {
	db := s.write.WithContext(ctx)
	var res *gorm.DB
	if old == nil {
		res = db.Exec(`INSERT INTO report_snapshots (wave_id, breakdown, responses, data, refreshed_on, revision)
			VALUES (?, '', ?, ?, ?, 1) ON CONFLICT (wave_id, breakdown) DO NOTHING`,
			waveID, next.Responses, next.Data, next.RefreshedOn)
	} else {
		res = db.Exec(`UPDATE report_snapshots SET responses = ?, data = ?, refreshed_on = ?, revision = revision + 1
			WHERE wave_id = ? AND breakdown = '' AND revision = ?`,
			next.Responses, next.Data, next.RefreshedOn, waveID, old.Revision)
	}
	if res.Error != nil {
		return false, res.Error
	}
	return res.RowsAffected == 1, nil
}
