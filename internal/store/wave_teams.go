package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// WaveTeam is a team as one wave sees it. A wave keeps its own copy of the hierarchy (parents,
// names, headcounts, which teams are retired), made when the wave is created and made again at each
// import until the wave opens; from then on the copy never changes. Every report, trend point and
// export of the wave is computed on it, so importing a reorganised hierarchy cannot change a figure
// already published: comparing a report from before a move with one from after would otherwise
// give away the few people the move shifts from one group to another.
//
// Keys are not copied: a team keeps its identity (its row) across imports, and a key renamed with
// previous_key is the same team under a new key in every wave, which is how trends match teams.
type WaveTeam struct {
	WaveID    uint   `gorm:"primaryKey;autoIncrement:false"`
	TeamID    uint   `gorm:"primaryKey;autoIncrement:false"`
	ParentID  *uint  // a team id, as it was in the wave's hierarchy
	Name      string `gorm:"size:200;not null"`
	Headcount *int
	Retired   bool `gorm:"not null;default:false"`

	Wave Wave `gorm:"constraint:OnDelete:CASCADE"`
	Team Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// freezeHierarchy makes the wave's copy of the hierarchy what the teams table holds now.
func freezeHierarchy(tx *gorm.DB, waveID uint) error {
	if err := tx.Where("wave_id = ?", waveID).Delete(&WaveTeam{}).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO wave_teams (wave_id, team_id, parent_id, name, headcount, retired)
		SELECT ?, id, parent_id, name, headcount, retired FROM teams`, waveID).Error
}

// refreezeScheduled copies the hierarchy again for every wave that has not opened: an import
// before a wave opens is the hierarchy it opens with.
func refreezeScheduled(tx *gorm.DB, now time.Time) error {
	var ids []uint
	err := tx.Model(&Wave{}).Where("(opens_at IS NULL OR opens_at > ?) AND (closes_at IS NULL OR closes_at > ?)", now, now).
		Pluck("id", &ids).Error
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := freezeHierarchy(tx, id); err != nil {
			return err
		}
	}
	return nil
}

// waveTeamRow is a wave's team joined with the team's key.
type waveTeamRow struct {
	ID        uint
	Key       string
	Name      string
	ParentID  *uint
	Headcount *int
	Retired   bool
}

func (s *Store) waveTeams(ctx context.Context, waveID uint, key string) ([]Team, error) {
	q := s.read.WithContext(ctx).Table("wave_teams AS wt").
		Select("wt.team_id AS id, t.key, wt.name, wt.parent_id, wt.headcount, wt.retired").
		Joins("JOIN teams t ON t.id = wt.team_id").Where("wt.wave_id = ?", waveID)
	if key != "" {
		q = q.Where("t.key = ?", key)
	}
	var rows []waveTeamRow
	if err := q.Order("t.key").Scan(&rows).Error; err != nil {
		return nil, err
	}
	teams := make([]Team, len(rows))
	for i, r := range rows {
		teams[i] = Team{ID: r.ID, Key: r.Key, Name: r.Name, ParentID: r.ParentID, Headcount: r.Headcount, Retired: r.Retired}
	}
	return teams, nil
}

// WaveTeams returns the wave's own hierarchy, retired teams included, in key order, each team with
// its parent as the wave sees it.
func (s *Store) WaveTeams(ctx context.Context, waveID uint) ([]Team, error) {
	teams, err := s.waveTeams(ctx, waveID, "")
	if err != nil {
		return nil, fmt.Errorf("wave %d teams: %w", waveID, err)
	}
	byID := make(map[uint]*Team, len(teams))
	for i := range teams {
		byID[teams[i].ID] = &teams[i]
	}
	for i := range teams {
		if p := teams[i].ParentID; p != nil {
			if parent := byID[*p]; parent != nil {
				copied := *parent // not linked further up: Parent is one level, as Teams preloads it
				copied.Parent = nil
				teams[i].Parent = &copied
			}
		}
	}
	return teams, nil
}

// WaveTeam returns the team with the given key as the wave sees it, retired or not.
func (s *Store) WaveTeam(ctx context.Context, waveID uint, key string) (Team, error) {
	teams, err := s.waveTeams(ctx, waveID, key)
	if err != nil {
		return Team{}, fmt.Errorf("wave %d team %q: %w", waveID, key, err)
	}
	if len(teams) == 0 {
		return Team{}, fmt.Errorf("team %q: %w", key, ErrNotFound)
	}
	return teams[0], nil
}
