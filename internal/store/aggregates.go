package store

import (
	"context"
	"database/sql"
	"fmt"
)

// scanner is the one method of *sql.Rows a row reader needs.
type scanner interface{ Scan(dest ...any) error }

// text reads a text column without making a string of each row's value: tallies come in key order,
// so a row's value is most often the last one's again.
type text struct {
	raw  sql.RawBytes
	last string
}

// String is the value of the row read last.
func (t *text) String() string {
	if string(t.raw) != t.last {
		t.last = string(t.raw)
	}
	return t.last
}

// floats hands out pointers to scores read, from blocks, rather than allocating each.
type floats struct{ block []float64 }

func (f *floats) of(x float64) *float64 {
	if len(f.block) == cap(f.block) {
		f.block = make([]float64, 0, 1024)
	}
	f.block = append(f.block, x)
	return &f.block[len(f.block)-1]
}

// scan runs a query on a reader connection and hands each row to read. GORM writes the query (so
// its placeholders suit the database), and the rows are scanned directly: GORM's reflection costs
// several times the query on tens of thousands of rows.
func (s *Store) scan(ctx context.Context, read func(scanner) error, query string, args ...any) error {
	rows, err := s.read.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := read(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// The aggregates reports are built from: one row per team and value, from the tallies the store
// keeps as responses arrive. Roll-ups through the hierarchy and the statistics are finished
// by the report package. Every query here is plain SQL that SQLite and PostgreSQL both run.

// ScoreCount is how many of a team's responses have one score in one dimension (Dimension empty for
// the overall score; Score nil for responses without one), with, over those same responses, the
// sums of the two sides of the gap and, for responses complete in the dimension, of their plain
// totals (for Cronbach's alpha).
type ScoreCount struct {
	TeamID    uint
	Dimension string
	Score     *float64
	N         int

	GapN                int // responses with aspiration-reality answers
	Aspiration, Reality float64

	CompleteN      int
	Total, TotalSq float64
}

// ScoreCounts reads everything a report needs of the stored scores, per team and dimension and per
// team for the overall score, from the tallies kept as responses arrive.
func (s *Store) ScoreCounts(ctx context.Context, waveID uint) ([]ScoreCount, error) {
	// Counted first, so the rows are gathered without growing (and copying) the slice.
	var count int64
	if err := s.read.WithContext(ctx).Model(&ScoreTally{}).Where("wave_id = ?", waveID).Count(&count).Error; err != nil {
		return nil, fmt.Errorf("score counts: %w", err)
	}
	rows := make([]ScoreCount, 0, count)
	var dim text
	var scores floats
	err := s.scan(ctx, func(r scanner) error {
		var c ScoreCount
		var score float64
		if err := r.Scan(&c.TeamID, &dim.raw, &score, &c.N, &c.GapN, &c.Aspiration, &c.Reality,
			&c.CompleteN, &c.Total, &c.TotalSq); err != nil {
			return err
		}
		c.Dimension = dim.String()
		if score >= 0 {
			c.Score = scores.of(score)
		}
		rows = append(rows, c)
		return nil
	}, `SELECT team_id, dimension, score, n, gap_n, aspiration, reality, complete_n, total, total_sq
		FROM score_tallies WHERE wave_id = ?`, waveID)
	if err != nil {
		return nil, fmt.Errorf("score counts: %w", err)
	}
	return rows, nil
}

// ItemSum sums a team's scores on one question among respondents of one role at one proficiency
// level (nil for questions on the maturity levels), separately for responses complete in the
// question's dimension (Cronbach's alpha uses only those) and the rest.
type ItemSum struct {
	TeamID   uint
	Question string
	Role     string
	Level    *int
	Complete bool
	N        int
	Sum      float64
	SumSq    float64
}

// ItemSums sums scores per team and question, from the tallies kept as responses arrive: the
// report takes question means, Cronbach's alpha and skill levels from it.
func (s *Store) ItemSums(ctx context.Context, waveID uint) ([]ItemSum, error) {
	var rows []ItemSum
	err := s.EachItemSum(ctx, waveID, func(it ItemSum) {
		if it.Level != nil {
			level := *it.Level
			it.Level = &level
		}
		rows = append(rows, it)
	})
	return rows, err
}

// EachItemSum hands f the rows of ItemSums one at a time, as they are read, without gathering
// them. A row's Level points at a value valid only during the call.
func (s *Store) EachItemSum(ctx context.Context, waveID uint, f func(ItemSum)) error {
	var question, role text
	level := new(int)
	err := s.scan(ctx, func(r scanner) error {
		var it ItemSum
		if err := r.Scan(&it.TeamID, &question.raw, &role.raw, level, &it.Complete, &it.N, &it.Sum, &it.SumSq); err != nil {
			return err
		}
		it.Question, it.Role = question.String(), role.String()
		if *level >= 0 {
			it.Level = level
		}
		f(it)
		return nil
	}, `SELECT team_id, question, role, level, complete, n, sum, sum_sq FROM item_tallies WHERE wave_id = ?`, waveID)
	if err != nil {
		return fmt.Errorf("item sums: %w", err)
	}
	return nil
}

// CellCount is how many of a team's responses chose one option of a breakdown question and have
// one score in one dimension (Dimension empty for the overall score; Score nil for responses without
// an overall score).
type CellCount struct {
	TeamID    uint
	Option    string
	Dimension string
	Score     *float64
	N         int
}

// CellCounts counts score values per team, option of the breakdown question, and dimension (""
// for the overall score), from the tallies kept as responses arrive.
func (s *Store) CellCounts(ctx context.Context, waveID uint, question string) ([]CellCount, error) {
	var rows []CellCount
	var scores floats
	err := s.EachCellCount(ctx, waveID, question, func(c CellCount) {
		if c.Score != nil {
			c.Score = scores.of(*c.Score)
		}
		rows = append(rows, c)
	})
	return rows, err
}

// EachCellCount hands f the rows of CellCounts one at a time, as they are read, without gathering
// them. A row's Score points at a value valid only during the call.
func (s *Store) EachCellCount(ctx context.Context, waveID uint, question string, f func(CellCount)) error {
	var option, dim text
	score := new(float64)
	err := s.scan(ctx, func(r scanner) error {
		var c CellCount
		if err := r.Scan(&c.TeamID, &option.raw, &dim.raw, score, &c.N); err != nil {
			return err
		}
		c.Option, c.Dimension = option.String(), dim.String()
		if *score >= 0 {
			c.Score = score
		}
		f(c)
		return nil
	}, `SELECT team_id, option, dimension, score, n FROM cell_tallies
		WHERE wave_id = ? AND question = ? AND (dimension = '' OR score >= 0)`, waveID, question)
	if err != nil {
		return fmt.Errorf("breakdown counts: %w", err)
	}
	return nil
}

// CellGap sums both sides of the gap over a team's responses that chose one option of a breakdown
// question and gave aspiration-reality answers in one dimension (Dimension empty: over all of
// them, as each response's overall sides).
type CellGap struct {
	TeamID              uint
	Option, Dimension   string
	N                   int
	Aspiration, Reality float64
}

// CellGaps sums the gap sides per team, option of the breakdown question and dimension.
func (s *Store) CellGaps(ctx context.Context, waveID uint, question string) ([]CellGap, error) {
	var rows []CellGap
	err := s.scan(ctx, func(r scanner) error {
		var g CellGap
		if err := r.Scan(&g.TeamID, &g.Option, &g.Dimension, &g.N, &g.Aspiration, &g.Reality); err != nil {
			return err
		}
		rows = append(rows, g)
		return nil
	}, `SELECT team_id, option, dimension, SUM(gap_n), SUM(aspiration), SUM(reality) FROM cell_tallies
		WHERE wave_id = ? AND question = ? AND gap_n > 0 GROUP BY team_id, option, dimension`, waveID, question)
	if err != nil {
		return nil, fmt.Errorf("breakdown gaps: %w", err)
	}
	return rows, nil
}

// CellSkill counts a team's responses of one role that chose one option of a breakdown question
// and answered one proficiency question (Skill, its key) at one level.
type CellSkill struct {
	TeamID              uint
	Option, Skill, Role string
	Level               int
	N                   int
}

// CellSkills counts proficiency levels per team, option of the breakdown question, skill question
// and role.
func (s *Store) CellSkills(ctx context.Context, waveID uint, question string) ([]CellSkill, error) {
	var rows []CellSkill
	err := s.EachCellSkill(ctx, waveID, question, func(c CellSkill) { rows = append(rows, c) })
	return rows, err
}

// EachCellSkill hands f the rows of CellSkills one at a time, as they are read, without gathering
// them.
func (s *Store) EachCellSkill(ctx context.Context, waveID uint, question string, f func(CellSkill)) error {
	var option, skill, role text
	err := s.scan(ctx, func(r scanner) error {
		var c CellSkill
		if err := r.Scan(&c.TeamID, &option.raw, &skill.raw, &role.raw, &c.Level, &c.N); err != nil {
			return err
		}
		c.Option, c.Skill, c.Role = option.String(), skill.String(), role.String()
		f(c)
		return nil
	}, `SELECT team_id, option, skill, role, level, n FROM cell_skill_tallies WHERE wave_id = ? AND question = ?`, waveID, question)
	if err != nil {
		return fmt.Errorf("breakdown skills: %w", err)
	}
	return nil
}

// DistributionCount counts a team's answers to a multi_choice or number question with one value:
// an option's key, a bin's index, or "" for every answer (see DistributionTally).
type DistributionCount struct {
	TeamID          uint
	Question, Value string
	N               int
}

// Distributions reads a wave's distribution tallies.
func (s *Store) Distributions(ctx context.Context, waveID uint) ([]DistributionCount, error) {
	var rows []DistributionCount
	err := s.scan(ctx, func(r scanner) error {
		var d DistributionCount
		if err := r.Scan(&d.TeamID, &d.Question, &d.Value, &d.N); err != nil {
			return err
		}
		rows = append(rows, d)
		return nil
	}, `SELECT team_id, question, value, n FROM distribution_tallies WHERE wave_id = ?`, waveID)
	if err != nil {
		return nil, fmt.Errorf("distributions: %w", err)
	}
	return rows, nil
}

// TeamText is one free-text answer and the team it was given for.
type TeamText struct {
	TeamID   uint
	Question string
	Text     string
}

// Texts returns a wave's free-text answers, in no particular order.
func (s *Store) Texts(ctx context.Context, waveID uint) ([]TeamText, error) {
	var rows []TeamText
	err := s.read.WithContext(ctx).Model(&ResponseText{}).Select("team_id", "question", "text").
		Where("wave_id = ?", waveID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("texts: %w", err)
	}
	return rows, nil
}
