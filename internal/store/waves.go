package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillsurvey/internal/survey"
)

// Wave modes.
const (
	ModeOpen   = "open"   // anyone with the link picks their team
	ModeInvite = "invite" // each response needs a one-time invitation code
	// ModeVerified: respondents sign in through single sign-on, pick their team, and answer once.
	ModeVerified = "verified"
)

// Wave states, derived from the opening and closing times.
const (
	StateScheduled = "scheduled"
	StateOpen      = "open"
	StateClosed    = "closed"
)

// State is the wave's state at the given time.
func (w Wave) State(now time.Time) string {
	switch {
	case w.ClosesAt != nil && !now.Before(*w.ClosesAt):
		return StateClosed
	case w.OpensAt != nil && !now.Before(*w.OpensAt):
		return StateOpen
	}
	return StateScheduled
}

// Threshold limits. Package waves holds the rules of a new wave; these are the last guard under them.
const (
	// MinThreshold is the smallest threshold a wave may have: below it a figure is close to one
	// person's answer.
	MinThreshold = 3
	// MaxThreshold is the largest: above it almost every team would be withheld, a typo, not a policy.
	MaxThreshold = 100
)

// NewWave is what an administrator gives to create a wave.
type NewWave struct {
	Key       string
	Title     string
	Mode      string
	Threshold int
	OpensAt   *time.Time
	ClosesAt  *time.Time
	// ScoringRules is the scoring rules the wave takes; zero means CurrentScoringRules.
	ScoringRules int
}

// CurrentScoringRules is the version of the scoring rules a new wave takes: package scoring's
// Current (a test keeps the two the same; the store only keeps the number).
const CurrentScoringRules = 2

// CreateWave records a wave of the given definition, storing that definition version if it is new.
// The wave keeps this version for good, whatever later happens to the file.
func (s *Store) CreateWave(ctx context.Context, def *survey.Definition, nw NewWave) (Wave, error) {
	if nw.Threshold < MinThreshold {
		return Wave{}, fmt.Errorf("create wave %q: threshold %d is below %d, the smallest group whose figures may be shown",
			nw.Key, nw.Threshold, MinThreshold)
	}
	if nw.Threshold > MaxThreshold {
		return Wave{}, fmt.Errorf("create wave %q: threshold %d is above %d, past which almost every team would be withheld",
			nw.Key, nw.Threshold, MaxThreshold)
	}
	w := Wave{
		Key: nw.Key, SurveyID: def.ID, DefinitionVersion: def.Version, Title: nw.Title, Mode: nw.Mode,
		Threshold: nw.Threshold, OpensAt: utc(nw.OpensAt), ClosesAt: utc(nw.ClosesAt), CreatedAt: s.now().UTC(),
		ScoringRules: cmp.Or(nw.ScoringRules, CurrentScoringRules),
	}
	err := s.alone(ctx, func(tx *gorm.DB) error {
		if err := atLimit(tx, &Wave{}, s.limits.waves, "waves"); err != nil {
			return err
		}
		if err := saveDefinition(tx, def, s.now()); err != nil {
			return err
		}
		err := tx.Create(&w).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return fmt.Errorf("wave %q already exists: %w", nw.Key, ErrConflict)
		}
		if err != nil {
			return err
		}
		return freezeHierarchy(tx, w.ID)
	})
	if err != nil {
		return Wave{}, fmt.Errorf("create wave: %w", err)
	}
	return w, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Wave returns the wave with the given key.
func (s *Store) Wave(ctx context.Context, key string) (Wave, error) {
	var w Wave
	err := s.read.WithContext(ctx).Where("key = ?", key).Take(&w).Error
	if err != nil {
		return Wave{}, notFound(err, "wave %q", key)
	}
	return w, nil
}

// Waves returns every wave, newest first.
func (s *Store) Waves(ctx context.Context) ([]Wave, error) {
	var ws []Wave
	if err := s.read.WithContext(ctx).Order("created_at DESC, id DESC").Find(&ws).Error; err != nil {
		return nil, fmt.Errorf("list waves: %w", err)
	}
	return ws, nil
}

// OpenWave opens a scheduled wave now. Its threshold is fixed from then on.
func (s *Store) OpenWave(ctx context.Context, key string) (Wave, error) {
	return s.changeWave(ctx, key, func(w *Wave, now time.Time) error {
		switch w.State(now) {
		case StateOpen:
			return fmt.Errorf("wave %q is already open: %w", key, ErrConflict)
		case StateClosed:
			// Closed waves stay closed, so their published reports are final.
			return fmt.Errorf("wave %q is closed and cannot be reopened: %w", key, ErrConflict)
		}
		w.OpensAt = &now
		return nil
	})
}

// CloseWave closes an open wave now.
func (s *Store) CloseWave(ctx context.Context, key string) (Wave, error) {
	return s.changeWave(ctx, key, func(w *Wave, now time.Time) error {
		switch w.State(now) {
		case StateScheduled:
			return fmt.Errorf("wave %q has not opened: %w", key, ErrConflict)
		case StateClosed:
			return fmt.Errorf("wave %q is already closed: %w", key, ErrConflict)
		}
		w.ClosesAt = &now
		return nil
	})
}

func (s *Store) changeWave(ctx context.Context, key string, change func(*Wave, time.Time) error) (Wave, error) {
	var w Wave
	err := s.alone(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("key = ?", key).Take(&w).Error; err != nil {
			return notFound(err, "wave %q", key)
		}
		if err := change(&w, s.now().UTC()); err != nil {
			return err
		}
		return tx.Model(&w).Select("opens_at", "closes_at").Updates(&w).Error
	})
	if err != nil {
		return Wave{}, err
	}
	return w, nil
}

// saveDefinition stores a definition version unless it is already stored.
func saveDefinition(tx *gorm.DB, def *survey.Definition, now time.Time) error {
	// Two instances creating waves on a new version at once both try to store it: the second
	// does nothing (on PostgreSQL it waits for the first's transaction, then finds the row). A
	// version is its content's hash, so the stored row is the same file either way.
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&DefinitionVersion{
		Version: def.Version, SurveyID: def.ID, Title: def.Title, Source: def.Source, LoadedAt: now.UTC(),
	}).Error
}

// SaveDefinition stores a definition version unless it is already stored.
func (s *Store) SaveDefinition(ctx context.Context, def *survey.Definition) error {
	if err := saveDefinition(s.write.WithContext(ctx), def, s.now()); err != nil {
		return fmt.Errorf("save definition %s: %w", def.ID, err)
	}
	return nil
}

// DefinitionSource returns the stored file of a definition version.
func (s *Store) DefinitionSource(ctx context.Context, version string) ([]byte, error) {
	var dv DefinitionVersion
	if err := s.read.WithContext(ctx).Where("version = ?", version).Take(&dv).Error; err != nil {
		return nil, notFound(err, "definition version %s", version)
	}
	return dv.Source, nil
}
