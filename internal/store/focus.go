package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// FocusArea is a dimension a team chose to work on after a wave's figures, with a short note of
// what it will do: a record of the team, which says nothing of any response. The next wave's trend
// shows it beside what moved.
type FocusArea struct {
	WaveID    uint   `gorm:"primaryKey;autoIncrement:false"`
	TeamID    uint   `gorm:"primaryKey;autoIncrement:false"`
	Dimension string `gorm:"primaryKey;size:64"`
	// Position orders a team's focus areas as chosen, from 1.
	Position int    `gorm:"not null"`
	Note     string `gorm:"size:2000;not null;default:''"`
	// ChosenOn is the day they were last set (YYYY-MM-DD); who set them is in the audit log.
	ChosenOn string `gorm:"size:10;not null"`

	Wave Wave `gorm:"constraint:OnDelete:CASCADE"`
	Team Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// Focus areas' limits, kept here below every way in.
const (
	MaxFocusAreas    = 3
	MaxFocusNoteRune = 500
)

// ErrFocusAreas refuses a set of focus areas the store does not keep: too many, a dimension twice,
// or a note too long.
var ErrFocusAreas = errors.New("focus areas")

// NewFocusArea is one focus area as chosen.
type NewFocusArea struct {
	Dimension, Note string
}

// SetFocusAreas replaces a team's focus areas for a wave (none clears them), in one transaction.
// The caller checks the dimensions against the wave's definition; the store checks the limits.
func (s *Store) SetFocusAreas(ctx context.Context, waveID, teamID uint, areas []NewFocusArea) ([]FocusArea, error) {
	return s.SetFocusAreasOn(ctx, waveID, teamID, s.now().UTC().Format(time.DateOnly), areas)
}

// SetFocusAreasOn is SetFocusAreas for records made after the fact, such as the demonstration's:
// day (YYYY-MM-DD) is when they were chosen.
func (s *Store) SetFocusAreasOn(ctx context.Context, waveID, teamID uint, day string, areas []NewFocusArea) ([]FocusArea, error) {
	if len(areas) > MaxFocusAreas {
		return nil, fmt.Errorf("%w: %d chosen, at most %d", ErrFocusAreas, len(areas), MaxFocusAreas)
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return nil, fmt.Errorf("%w: chosen on %q, not a day (YYYY-MM-DD)", ErrFocusAreas, day)
	}
	rows := make([]FocusArea, 0, len(areas))
	seen := map[string]bool{}
	for i, a := range areas {
		if a.Dimension == "" || len(a.Dimension) > 64 || seen[a.Dimension] {
			return nil, fmt.Errorf("%w: dimension %q empty, too long or chosen twice", ErrFocusAreas, a.Dimension)
		}
		seen[a.Dimension] = true
		if n := len([]rune(a.Note)); n > MaxFocusNoteRune {
			return nil, fmt.Errorf("%w: a note of %d characters, at most %d", ErrFocusAreas, n, MaxFocusNoteRune)
		}
		rows = append(rows, FocusArea{WaveID: waveID, TeamID: teamID, Dimension: a.Dimension, Position: i + 1,
			Note: strings.TrimSpace(a.Note), ChosenOn: day})
	}
	err := s.alone(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("wave_id = ? AND team_id = ?", waveID, teamID).Delete(&FocusArea{}).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		return tx.Create(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("set focus areas: %w", err)
	}
	return rows, nil
}

// FocusAreas lists a team's focus areas for each wave of waveIDs, in the order chosen.
func (s *Store) FocusAreas(ctx context.Context, teamID uint, waveIDs ...uint) ([]FocusArea, error) {
	var rows []FocusArea
	err := s.read.WithContext(ctx).Where("team_id = ? AND wave_id IN ?", teamID, waveIDs).
		Order("wave_id, position").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("focus areas: %w", err)
	}
	return rows, nil
}
