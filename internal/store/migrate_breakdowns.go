package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"skillsurvey/internal/survey"
)

// Reassess works a stored response out again from its definition version, its answers and its
// wave's scoring rules, as the submission rules did when it arrived: its scores, breakdown choices
// and distribution values. The store keeps no scoring rules of its own, so a migration that needs a
// figure the response row does not keep (migration 15: each dimension's two sides of the gap) is
// given them this way.
type Reassess func(def *survey.Definition, answers survey.Answers, rules int) NewResponse

// WithReassess gives the store the submission rules, for migrations that must work stored responses
// out again. Opening a database that needs one without it fails, naming the migration.
func WithReassess(f Reassess) Option { return func(s *Store) { s.reassess = f } }

// breakdownFigures (step 15) gives breakdown cells every figure a group has and adds the
// distributions of multi_choice and number questions: cell tallies gain the two sides of the gap
// (and rows for dimensions with gap answers but no score) and are keyed question first, breakdown
// cells gain skills (cell_skill_tallies), and distribution_tallies count options and bins. All
// three are filled from the stored responses: choices, proficiency levels and numbers come from the
// answers, scores from the response row, and each dimension's gap sides, which the row does not
// keep, from reassess. On a schema that has the new tables it changes nothing.
func breakdownFigures(tx *gorm.DB, reassess Reassess) error {
	m := tx.Migrator()
	if m.HasTable(&CellSkillTally{}) && m.HasTable(&DistributionTally{}) {
		return nil
	}
	// The cell tallies are made again, in their new shape (or, made by step 10 from the current
	// model on a database older than that, with counts only), and filled with the others.
	if err := m.DropTable(&CellTally{}); err != nil {
		return err
	}
	if err := createTables(&CellTally{}, &CellSkillTally{}, &DistributionTally{})(tx); err != nil {
		return err
	}
	return backfillBreakdowns(tx, reassess)
}

// backfillPage is how many stored responses the back-fill reads at a time.
const backfillPage = 1000

// storedResponse is what the back-fill reads of a response row.
type storedResponse struct {
	id                  int64
	wave, team          uint
	version, role       string
	answers, dimensions []byte
	overall             sql.NullFloat64
	aspiration, reality sql.NullFloat64
}

// backfillBreakdowns adds every stored response to the breakdown and distribution tallies, a page
// of responses at a time.
func backfillBreakdowns(tx *gorm.DB, reassess Reassess) error {
	rules := map[uint]int{}
	var waves []Wave
	if err := tx.Select("id", "scoring_rules").Find(&waves).Error; err != nil {
		return err
	}
	for _, w := range waves {
		rules[w.ID] = w.ScoringRules
	}
	defs := map[string]*survey.Definition{}
	for after := int64(0); ; {
		page, err := responsesAfter(tx, after)
		if err != nil || len(page) == 0 {
			return err
		}
		var sums tallies
		for _, row := range page {
			r, err := reassessed(tx, row, defs, rules[row.wave], reassess)
			if err != nil {
				return fmt.Errorf("response %d: %w", row.id, err)
			}
			sums.addCells(r)
			sums.addDistributions(r)
		}
		if err := sums.write(tx); err != nil {
			return err
		}
		after = page[len(page)-1].id
	}
}

func responsesAfter(tx *gorm.DB, after int64) ([]storedResponse, error) {
	rows, err := tx.Raw(`SELECT id, wave_id, team_id, definition_version, role, answers, dimension_scores, overall, aspiration, reality
		FROM responses WHERE id > ? ORDER BY id LIMIT ?`, after, backfillPage).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var page []storedResponse
	for rows.Next() {
		var r storedResponse
		if err := rows.Scan(&r.id, &r.wave, &r.team, &r.version, &r.role, &r.answers, &r.dimensions,
			&r.overall, &r.aspiration, &r.reality); err != nil {
			return nil, err
		}
		page = append(page, r)
	}
	return page, rows.Err()
}

// reassessed is a stored response as the tallies take it: its choices, levels and gap sides worked
// out again, its scores as stored.
func reassessed(tx *gorm.DB, row storedResponse, defs map[string]*survey.Definition, rules int, reassess Reassess) (NewResponse, error) {
	if reassess == nil {
		return NewResponse{}, errors.New("stored responses must be worked out again, and the store was opened without the submission rules (WithReassess)")
	}
	def, err := definitionOf(tx, row.version, defs)
	if err != nil {
		return NewResponse{}, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(row.answers, &raw); err != nil {
		return NewResponse{}, fmt.Errorf("stored answers: %w", err)
	}
	answers, problems := def.CheckAnswers(raw)
	if len(problems) > 0 {
		return NewResponse{}, fmt.Errorf("stored answers no longer pass their definition's checks: %v", problems)
	}
	var stored map[string]*float64
	if err := json.Unmarshal(row.dimensions, &stored); err != nil {
		return NewResponse{}, fmt.Errorf("stored dimension scores: %w", err)
	}
	r := reassess(def, answers, rules)
	r.WaveID, r.TeamID, r.Role = row.wave, row.team, row.role
	r.Result.Overall, r.Result.Aspiration, r.Result.Reality = nullable(row.overall), nullable(row.aspiration), nullable(row.reality)
	for dim, score := range stored {
		ds := r.Result.Dimensions[dim]
		ds.Score = score
		if r.Result.Dimensions == nil {
			r.Result.Dimensions = map[string]DimensionScore{}
		}
		r.Result.Dimensions[dim] = ds
	}
	return r, nil
}

// definitionOf parses a stored definition version once.
func definitionOf(tx *gorm.DB, version string, defs map[string]*survey.Definition) (*survey.Definition, error) {
	if def, ok := defs[version]; ok {
		return def, nil
	}
	var dv DefinitionVersion
	if err := tx.Select("source").Where("version = ?", version).Take(&dv).Error; err != nil {
		return nil, fmt.Errorf("definition version %s: %w", version, err)
	}
	def, err := survey.Parse("definition version "+version, dv.Source)
	if err != nil {
		return nil, err
	}
	defs[version] = def
	return def, nil
}

func nullable(x sql.NullFloat64) *float64 {
	if !x.Valid {
		return nil
	}
	return &x.Float64
}
