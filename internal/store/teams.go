package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"skillsurvey/internal/hierarchy"
)

// ImportSummary says what an import changed.
type ImportSummary struct {
	Created, Updated, Retired, Renamed int
}

// ImportTeams makes the hierarchy what the file says, in one transaction: teams in the file are
// created or updated, teams missing from it are retired (kept for old responses, no longer offered),
// and the closure table is rebuilt. The teams must have passed hierarchy.Check.
func (s *Store) ImportTeams(ctx context.Context, teams []hierarchy.Team) (ImportSummary, error) {
	var sum ImportSummary
	err := s.alone(ctx, func(tx *gorm.DB) error {
		var existing []Team
		if err := tx.Find(&existing).Error; err != nil {
			return err
		}
		byKey := make(map[string]*Team, len(existing))
		for i := range existing {
			byKey[existing[i].Key] = &existing[i]
		}
		if err := renameTeams(tx, teams, byKey, &sum); err != nil {
			return err
		}
		if n := len(existing) + newTeams(teams, byKey); n > s.limits.teams {
			return fmt.Errorf("the import would make %d teams, retired ones included, more than the %d a service keeps: %w",
				n, s.limits.teams, ErrLimit)
		}
		inFile := map[string]bool{}
		for _, t := range hierarchy.Order(teams) {
			inFile[t.Key] = true
			if err := upsertTeam(tx, t, byKey, &sum); err != nil {
				return err
			}
		}
		for _, t := range existing {
			if !inFile[t.Key] && !t.Retired {
				if err := tx.Model(&Team{}).Where("id = ?", t.ID).Update("retired", true).Error; err != nil {
					return err
				}
				sum.Retired++
			}
		}
		if err := rebuildClosure(tx); err != nil {
			return err
		}
		return refreezeScheduled(tx, s.now().UTC())
	})
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import teams: %w", err)
	}
	return sum, nil
}

// renameTeams gives each team named with a previous_key its new key, before teams are matched by
// key: the team keeps its row, so its responses, its place in every wave's hierarchy and its trend.
// A rename already made (the new key is stored, the old one gone) is left alone, so the same file
// can be imported twice. Problems are returned as *hierarchy.Errors, by line.
func renameTeams(tx *gorm.DB, teams []hierarchy.Team, byKey map[string]*Team, sum *ImportSummary) error {
	errs := &hierarchy.Errors{}
	refuse := func(t hierarchy.Team, format string, args ...any) {
		errs.Rows = append(errs.Rows, hierarchy.RowError{Line: t.Line, Message: fmt.Sprintf(format, args...)})
	}
	for _, t := range teams {
		if t.PreviousKey == "" {
			continue
		}
		old, current := byKey[t.PreviousKey], byKey[t.Key]
		switch {
		case old == nil && current != nil:
			continue // renamed by an earlier import
		case old == nil:
			refuse(t, "previous_key %q names no team: nothing to rename (leave it empty for a new team)", t.PreviousKey)
		case current != nil:
			refuse(t, "team %q exists already, so %q cannot be renamed to it", t.Key, t.PreviousKey)
		default:
			if err := tx.Model(&Team{}).Where("id = ?", old.ID).Update("key", t.Key).Error; err != nil {
				return err
			}
			delete(byKey, t.PreviousKey)
			old.Key = t.Key
			byKey[t.Key] = old
			sum.Renamed++
		}
	}
	if len(errs.Rows) > 0 {
		return errs
	}
	return nil
}

// newTeams counts the teams of an import that are not stored yet.
func newTeams(teams []hierarchy.Team, byKey map[string]*Team) int {
	n := 0
	for _, t := range teams {
		if byKey[t.Key] == nil {
			n++
		}
	}
	return n
}

// upsertTeam writes one team; its parent has been written before it.
func upsertTeam(tx *gorm.DB, t hierarchy.Team, byKey map[string]*Team, sum *ImportSummary) error {
	var parentID *uint
	if t.Parent != "" {
		parentID = &byKey[t.Parent].ID
	}
	row, ok := byKey[t.Key]
	if !ok {
		row = &Team{Key: t.Key, Name: t.Name, ParentID: parentID, Headcount: t.Headcount}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		byKey[t.Key] = row
		sum.Created++
		return nil
	}
	if row.Name == t.Name && equalPtr(row.ParentID, parentID) && equalPtr(row.Headcount, t.Headcount) && !row.Retired {
		return nil // unchanged: the summary counts only what the import changed
	}
	err := tx.Model(&Team{}).Where("id = ?", row.ID).Updates(map[string]any{
		"name": t.Name, "parent_id": parentID, "headcount": t.Headcount, "retired": false,
	}).Error
	sum.Updated++
	return err
}

func equalPtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// rebuildClosure recomputes every ancestor-descendant pair from the parent links.
func rebuildClosure(tx *gorm.DB) error {
	var teams []Team
	if err := tx.Select("id", "parent_id").Find(&teams).Error; err != nil {
		return err
	}
	parent := make(map[uint]*uint, len(teams))
	for _, t := range teams {
		parent[t.ID] = t.ParentID
	}
	var rows []TeamClosure
	for _, t := range teams {
		depth := 0
		for id := &t.ID; id != nil; id = parent[*id] {
			rows = append(rows, TeamClosure{AncestorID: *id, DescendantID: t.ID, Depth: depth})
			depth++
			if depth > len(teams) {
				return fmt.Errorf("team %d: the hierarchy has a cycle", t.ID)
			}
		}
	}
	if err := tx.Where("1 = 1").Delete(&TeamClosure{}).Error; err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(rows, 500).Error
}

// Teams returns the hierarchy's teams in key order; retired teams only when asked.
func (s *Store) Teams(ctx context.Context, withRetired bool) ([]Team, error) {
	var teams []Team
	q := s.read.WithContext(ctx).Preload("Parent").Order("key")
	if !withRetired {
		q = q.Where("retired = ?", false)
	}
	if err := q.Find(&teams).Error; err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return teams, nil
}

// Team returns the team with the given key, retired or not.
func (s *Store) Team(ctx context.Context, key string) (Team, error) {
	var t Team
	if err := s.read.WithContext(ctx).Where("key = ?", key).Take(&t).Error; err != nil {
		return Team{}, notFound(err, "team %q", key)
	}
	return t, nil
}

// TeamByID returns the team with the given id.
func (s *Store) TeamByID(ctx context.Context, id uint) (Team, error) {
	var t Team
	if err := s.read.WithContext(ctx).Where("id = ?", id).Take(&t).Error; err != nil {
		return Team{}, notFound(err, "team %d", id)
	}
	return t, nil
}

// Subtree returns the team with the given key and every team below it, nearest first and then in
// key order. Retired teams are included: their old responses still count towards their ancestors.
func (s *Store) Subtree(ctx context.Context, key string) ([]Team, error) {
	root, err := s.Team(ctx, key)
	if err != nil {
		return nil, err
	}
	var teams []Team
	err = s.read.WithContext(ctx).
		Joins("JOIN team_closures ON team_closures.descendant_id = teams.id").
		Where("team_closures.ancestor_id = ?", root.ID).
		Order("team_closures.depth, teams.key").
		Find(&teams).Error
	if err != nil {
		return nil, fmt.Errorf("subtree of team %q: %w", key, err)
	}
	return teams, nil
}
