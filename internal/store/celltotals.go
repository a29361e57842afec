package store

import (
	"context"
	"fmt"
)

// CellTotal counts a team's responses that chose one option of a breakdown question, in one
// dimension (Dimension "" for the overall score): all of them, those with a score, and those with
// gap answers. An open wave records these of each batch it publishes, and needs no histogram.
type CellTotal struct {
	TeamID            uint
	Option, Dimension string
	N, Scored, GapN   int
}

// EachCellTotal reads the cell totals of a breakdown question, summed in the database, leaving out
// the option except ("" leaves none out), as EachCellCount does.
func (s *Store) EachCellTotal(ctx context.Context, waveID uint, question, except string, f func(CellTotal)) error {
	var option, dim text
	err := s.scan(ctx, newColumns(6, map[int]*text{1: &option, 2: &dim}), func(r *columns) {
		f(CellTotal{TeamID: uint(r.int(0)), Option: option.String(), Dimension: dim.String(), N: r.int(3), Scored: r.int(4), GapN: r.int(5)})
	}, `SELECT team_id, option, dimension, SUM(n), SUM(CASE WHEN score >= 0 THEN n ELSE 0 END), SUM(gap_n)
		FROM cell_tallies WHERE wave_id = ? AND question = ? AND option <> ? GROUP BY team_id, option, dimension`,
		waveID, question, except)
	if err != nil {
		return fmt.Errorf("breakdown totals: %w", err)
	}
	return nil
}

// CellSkillTotal counts a team's responses that chose one option of a breakdown question and
// answered one proficiency question (Skill, the question's key), at any level.
type CellSkillTotal struct {
	TeamID        uint
	Option, Skill string
	N             int
}

// EachCellSkillTotal reads the cell skill totals of a breakdown question, as EachCellTotal does.
func (s *Store) EachCellSkillTotal(ctx context.Context, waveID uint, question, except string, f func(CellSkillTotal)) error {
	var option, skill text
	err := s.scan(ctx, newColumns(4, map[int]*text{1: &option, 2: &skill}), func(r *columns) {
		f(CellSkillTotal{TeamID: uint(r.int(0)), Option: option.String(), Skill: skill.String(), N: r.int(3)})
	}, `SELECT team_id, option, skill, SUM(n) FROM cell_skill_tallies
		WHERE wave_id = ? AND question = ? AND option <> ? GROUP BY team_id, option, skill`, waveID, question, except)
	if err != nil {
		return fmt.Errorf("breakdown skill totals: %w", err)
	}
	return nil
}
