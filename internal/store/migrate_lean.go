package store

import (
	"database/sql"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// leanWrite (step 10) moves what the per-answer rows held into the response row and the tallies,
// then drops them: each response's dimension scores go into responses.dimension_scores (for
// receipts) and its breakdown choices into cell_tallies (for breakdown reports). The report
// index on responses, which nothing reads since the tallies, goes too, and report snapshots gain
// the revision their merge outside the write transaction checks.
func leanWrite(tx *gorm.DB) error {
	steps := []func(*gorm.DB) error{addDimensionScores, addCellTallies, dropRetired, addSnapshotRevision}
	for _, step := range steps {
		if err := step(tx); err != nil {
			return err
		}
	}
	return nil
}

func addDimensionScores(tx *gorm.DB) error {
	if tx.Migrator().HasColumn(&Response{}, "DimensionScores") {
		return nil
	}
	if err := tx.Migrator().AddColumn(&Response{}, "DimensionScores"); err != nil {
		return err
	}
	if !tx.Migrator().HasTable(&retiredScore{}) {
		return nil
	}
	rows, err := tx.Raw(`SELECT response_id, dimension, score FROM response_scores ORDER BY response_id`).Rows()
	if err != nil {
		return err
	}
	scores := map[int64]map[string]*float64{}
	for rows.Next() {
		var id int64
		var dim string
		var score sql.NullFloat64
		if err := rows.Scan(&id, &dim, &score); err != nil {
			rows.Close()
			return err
		}
		if scores[id] == nil {
			scores[id] = map[string]*float64{}
		}
		if score.Valid {
			scores[id][dim] = &score.Float64
		} else {
			scores[id][dim] = nil
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for id, dims := range scores {
		encoded, err := encodeDimensionScores(dims)
		if err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE responses SET dimension_scores = ? WHERE id = ?`, encoded, id).Error; err != nil {
			return err
		}
	}
	return nil
}

func addCellTallies(tx *gorm.DB) error {
	if tx.Migrator().HasTable(&CellTally{}) {
		return nil
	}
	if err := createTables(&CellTally{})(tx); err != nil {
		return err
	}
	if !tx.Migrator().HasTable(&retiredChoice{}) || !tx.Migrator().HasTable(&retiredScore{}) {
		return nil
	}
	return tx.Exec(`INSERT INTO cell_tallies (wave_id, team_id, question, option, dimension, score, n)
		SELECT c.wave_id, c.team_id, c.question, c.option, s.dimension, s.score, COUNT(*)
		FROM response_choices c JOIN response_scores s ON s.response_id = c.response_id
		WHERE s.score IS NOT NULL
		GROUP BY c.wave_id, c.team_id, c.question, c.option, s.dimension, s.score
		UNION ALL
		SELECT c.wave_id, c.team_id, c.question, c.option, '', COALESCE(r.overall, -1), COUNT(*)
		FROM response_choices c JOIN responses r ON r.id = c.response_id
		GROUP BY c.wave_id, c.team_id, c.question, c.option, COALESCE(r.overall, -1)`).Error
}

func dropRetired(tx *gorm.DB) error {
	if err := tx.Migrator().DropTable(&retiredItem{}, &retiredChoice{}, &retiredScore{}); err != nil {
		return err
	}
	if tx.Migrator().HasIndex(&Response{}, "idx_responses_wave_team") {
		return tx.Migrator().DropIndex(&Response{}, "idx_responses_wave_team")
	}
	return nil
}

func addSnapshotRevision(tx *gorm.DB) error {
	if tx.Migrator().HasColumn(&ReportSnapshot{}, "Revision") {
		return nil
	}
	return tx.Migrator().AddColumn(&ReportSnapshot{}, "Revision")
}

// thresholdBounds (step 11) makes the database refuse a wave whose threshold is outside
// MinThreshold..MaxThreshold, whatever writes it: the store checks first with a clear message, and
// this holds for every other way in (a script, a fixture, a hand-made row). SQLite cannot add a
// CHECK to a table other tables refer to without rebuilding it, so there triggers do the same.
func thresholdBounds(tx *gorm.DB) error {
	outside := func(col string) string {
		return fmt.Sprintf("%s < %d OR %s > %d", col, MinThreshold, col, MaxThreshold)
	}
	if tx.Dialector.Name() != "sqlite" {
		if tx.Migrator().HasConstraint(&Wave{}, "waves_threshold") {
			return nil
		}
		return tx.Exec(`ALTER TABLE waves ADD CONSTRAINT waves_threshold CHECK (NOT (` + outside("threshold") + `))`).Error
	}
	refusal := fmt.Sprintf("a wave threshold must be from %d to %d", MinThreshold, MaxThreshold)
	for _, event := range []string{"INSERT", "UPDATE OF threshold"} {
		name := "waves_threshold_" + strings.ToLower(strings.Fields(event)[0])
		err := tx.Exec(`CREATE TRIGGER IF NOT EXISTS ` + name + ` BEFORE ` + event + ` ON waves
			WHEN ` + outside("NEW.threshold") + ` BEGIN SELECT RAISE(ABORT, '` + refusal + `'); END`).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// waveHierarchies gives every wave its own copy of the hierarchy. Waves made before this step were
// reported on the hierarchy of the day, so that is the copy they keep: the best there is, and from
// now on it stays.
func waveHierarchies(tx *gorm.DB) error {
	if tx.Migrator().HasTable(&WaveTeam{}) {
		return nil
	}
	if err := createTables(&WaveTeam{})(tx); err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO wave_teams (wave_id, team_id, parent_id, name, headcount, retired)
		SELECT w.id, t.id, t.parent_id, t.name, t.headcount, t.retired FROM waves w CROSS JOIN teams t`).Error
}

// scoringRules records the scoring rules of every wave. Waves made before this step were scored on
// the ladder (rules 1), and keep it: their stored scores and tallies are left as they are.
func scoringRules(tx *gorm.DB) error {
	if tx.Migrator().HasColumn(&Wave{}, "ScoringRules") {
		return nil
	}
	return tx.Migrator().AddColumn(&Wave{}, "ScoringRules")
}
