package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

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

// columns receives a row: number columns each into an any, as the driver gives them (int64,
// float64, bool for a boolean column, or on PostgreSQL a string for a numeric, which is what SUM
// of a bigint column gives), which database/sql assigns as they are, where a typed
// destination costs reflection (and for an int, formatting and parsing the number again): about a
// third of the time of reading tens of thousands of tallies. Text columns go to a text each.
type columns struct {
	values []any
	dest   []any
}

// newColumns receives rows of n columns, those given as texts read into them.
func newColumns(n int, texts map[int]*text) *columns {
	c := &columns{values: make([]any, n), dest: make([]any, n)}
	for i := range c.dest {
		c.dest[i] = &c.values[i]
		if t, ok := texts[i]; ok {
			c.dest[i] = &t.raw
		}
	}
	return c
}

// int is number column i as an int (0 for NULL).
func (c *columns) int(i int) int {
	switch v := c.values[i].(type) {
	case int64:
		return int(v)
	case float64:
		return int(v)
	case bool:
		if v {
			return 1
		}
	case string:
		n, _ := strconv.Atoi(v)
		return n
	}
	return 0
}

// float is number column i as a float64 (0 for NULL).
func (c *columns) float(i int) float64 {
	switch v := c.values[i].(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	case string:
		x, _ := strconv.ParseFloat(v, 64)
		return x
	}
	return 0
}

// scan runs a query on a reader connection and hands each row, read into cols, to read. GORM
// writes the query (so its placeholders suit the database), and the rows are scanned directly:
// GORM's reflection costs several times the query on tens of thousands of rows.
func (s *Store) scan(ctx context.Context, cols *columns, read func(c *columns), query string, args ...any) error {
	rows, err := s.read.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(cols.dest...); err != nil {
			return err
		}
		read(cols)
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
	err := s.scan(ctx, newColumns(10, map[int]*text{1: &dim}), func(r *columns) {
		c := ScoreCount{TeamID: uint(r.int(0)), Dimension: dim.String(), N: r.int(3), GapN: r.int(4),
			Aspiration: r.float(5), Reality: r.float(6), CompleteN: r.int(7), Total: r.float(8), TotalSq: r.float(9)}
		if score := r.float(2); score >= 0 {
			c.Score = scores.of(score)
		}
		rows = append(rows, c)
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
	err := s.scan(ctx, newColumns(8, map[int]*text{1: &question, 2: &role}), func(r *columns) {
		it := ItemSum{TeamID: uint(r.int(0)), Question: question.String(), Role: role.String(), Complete: r.int(4) != 0,
			N: r.int(5), Sum: r.float(6), SumSq: r.float(7)}
		if *level = r.int(3); *level >= 0 {
			it.Level = level
		}
		f(it)
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
	// Gap sums both sides of the gap over those of the responses with aspiration-reality answers,
	// where EachCellCount reads them; GapN counts them.
	GapN                int
	Aspiration, Reality float64
}

// CellCounts counts score values per team, option of the breakdown question, and dimension (""
// for the overall score), from the tallies kept as responses arrive.
func (s *Store) CellCounts(ctx context.Context, waveID uint, question string) ([]CellCount, error) {
	var rows []CellCount
	var scores floats
	err := s.EachCellCount(ctx, waveID, question, nil, func(c CellCount) {
		if c.Dimension != "" && c.Score == nil {
			return // gap answers without a score
		}
		if c.Score != nil {
			c.Score = scores.of(*c.Score)
		}
		c.GapN, c.Aspiration, c.Reality = 0, 0, 0
		rows = append(rows, c)
	})
	return rows, err
}

// EachCellCount hands f a breakdown's cell tallies one at a time, as they are read, without
// gathering them: the rows of CellCounts with their gap sums, and rows for dimensions with gap
// answers but no score (Score nil, N not a count of scores). A row's Score points at a value valid
// only during the call.
// Only the options listed are read (nil: every option): a report may work one option's cells out
// from the group's figures less the others'.
func (s *Store) EachCellCount(ctx context.Context, waveID uint, question string, options []string, f func(CellCount)) error {
	column, where, args, ok := cellOptions(options)
	if !ok {
		return nil
	}
	var option, dim text
	score := new(float64)
	err := s.scan(ctx, newColumns(8, map[int]*text{1: &option, 2: &dim}), func(r *columns) {
		c := CellCount{TeamID: uint(r.int(0)), Option: optionName(options, &option), Dimension: dim.String(), N: r.int(4),
			GapN: r.int(5), Aspiration: r.float(6), Reality: r.float(7)}
		if *score = r.float(3); *score >= 0 {
			c.Score = score
		}
		f(c)
	}, `SELECT team_id, `+column+`, dimension, score, n, gap_n, aspiration, reality FROM cell_tallies
		WHERE wave_id = ? AND question = ?`+where, append([]any{waveID, question}, args...)...)
	if err != nil {
		return fmt.Errorf("breakdown counts: %w", err)
	}
	return nil
}

// CellRows counts a breakdown question's cell tally rows per option: what reading that option's
// cells costs (a report works out the one with the most instead of reading it).
func (s *Store) CellRows(ctx context.Context, waveID uint, question string) (map[string]int, error) {
	rows := map[string]int{}
	var option text
	err := s.scan(ctx, newColumns(2, map[int]*text{0: &option}), func(r *columns) {
		rows[option.String()] = r.int(1)
	}, `SELECT option, COUNT(*) FROM cell_tallies WHERE wave_id = ? AND question = ? GROUP BY option`, waveID, question)
	if err != nil {
		return nil, fmt.Errorf("breakdown rows: %w", err)
	}
	return rows, nil
}

// cellOptions is how a read of a breakdown's tallies picks the options given (nil: every option):
// the column to select for a row's option, the condition, its arguments, and whether there is
// anything to read. Where one option is read (a question of two options, the other worked out),
// its rows are read without its name: a string made for each of tens of thousands of rows cost a
// report by role about a tenth of its time. optionName gives the name back.
func cellOptions(options []string) (column, where string, args []any, ok bool) {
	switch {
	case options == nil:
		return "option", "", nil, true
	case len(options) == 0:
		return "", "", nil, false
	case len(options) == 1:
		return "''", " AND option = ?", []any{options[0]}, true
	}
	return "option", " AND option IN ?", []any{options}, true
}

// optionName is the option of a row read with cellOptions.
func optionName(options []string, read *text) string {
	if len(options) == 1 {
		return options[0]
	}
	return read.String()
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
	var option, dim text
	err := s.scan(ctx, newColumns(6, map[int]*text{1: &option, 2: &dim}), func(r *columns) {
		rows = append(rows, CellGap{TeamID: uint(r.int(0)), Option: option.String(), Dimension: dim.String(), N: r.int(3),
			Aspiration: r.float(4), Reality: r.float(5)})
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
	err := s.EachCellSkill(ctx, waveID, question, nil, func(c CellSkill) { rows = append(rows, c) })
	return rows, err
}

// EachCellSkill hands f the rows of CellSkills one at a time, as they are read, without gathering
// them. Only the options listed are read (nil: every option), as in EachCellCount.
func (s *Store) EachCellSkill(ctx context.Context, waveID uint, question string, options []string, f func(CellSkill)) error {
	column, where, args, ok := cellOptions(options)
	if !ok {
		return nil
	}
	var option, skill, role text
	err := s.scan(ctx, newColumns(6, map[int]*text{1: &option, 2: &skill, 3: &role}), func(r *columns) {
		f(CellSkill{TeamID: uint(r.int(0)), Option: optionName(options, &option), Skill: skill.String(), Role: role.String(),
			Level: r.int(4), N: r.int(5)})
	}, `SELECT team_id, `+column+`, skill, role, level, n FROM cell_skill_tallies WHERE wave_id = ? AND question = ?`+where,
		append([]any{waveID, question}, args...)...)
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
	var question, value text
	err := s.scan(ctx, newColumns(4, map[int]*text{1: &question, 2: &value}), func(r *columns) {
		rows = append(rows, DistributionCount{TeamID: uint(r.int(0)), Question: question.String(), Value: value.String(), N: r.int(3)})
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
