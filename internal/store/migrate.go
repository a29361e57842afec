package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// migration is one step of the schema. Steps run in order, once each, in a transaction, and are
// written to be safe on a schema that already has their change (a table created from the current
// models in step 1 may already hold a column a later step adds), so a database of any earlier
// version and an empty one end up the same; migrate_test.go checks both.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

var migrations = []migration{
	{1, "definitions, waves, teams and responses", createTables(
		&DefinitionVersion{}, &Wave{}, &Team{}, &TeamClosure{},
		&Response{}, &retiredScore{}, &retiredItem{}, &retiredChoice{}, &ResponseText{},
	)},
	{2, "invitations", createTables(&Invitation{})},
	{3, "report snapshots", createTables(&ReportSnapshot{})},
	{4, "covering indexes for report aggregates", rebuildIndexes(
		index{&retiredScore{}, "idx_scores_report"}, index{&retiredItem{}, "idx_items_report"},
	)},
	{5, "item tallies", func(tx *gorm.DB) error {
		if tx.Migrator().HasTable(&ItemTally{}) {
			return nil
		}
		if err := createTables(&ItemTally{})(tx); err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO item_tallies (wave_id, team_id, question, role, level, complete, n, sum, sum_sq)
			SELECT wave_id, team_id, question, role, COALESCE(proficiency, -1), complete, COUNT(*), SUM(score), SUM(score * score)
			FROM response_items GROUP BY wave_id, team_id, question, role, COALESCE(proficiency, -1), complete`).Error
	}},
	{6, "each response's overall aspiration and reality", overallGap},
	{7, "score tallies", func(tx *gorm.DB) error {
		if tx.Migrator().HasTable(&ScoreTally{}) {
			return nil
		}
		if err := createTables(&ScoreTally{})(tx); err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO score_tallies (wave_id, team_id, dimension, score, n, gap_n, aspiration, reality, complete_n, total, total_sq)
			SELECT wave_id, team_id, dimension, COALESCE(score, -1), COUNT(*), COUNT(aspiration), COALESCE(SUM(aspiration), 0),
				COALESCE(SUM(reality), 0), SUM(CASE WHEN complete THEN 1 ELSE 0 END), SUM(CASE WHEN complete THEN total ELSE 0 END),
				SUM(CASE WHEN complete THEN total * total ELSE 0 END)
			FROM response_scores GROUP BY wave_id, team_id, dimension, COALESCE(score, -1)
			UNION ALL
			SELECT wave_id, team_id, '', COALESCE(overall, -1), COUNT(*), COUNT(aspiration), COALESCE(SUM(aspiration), 0),
				COALESCE(SUM(reality), 0), 0, 0, 0
			FROM responses GROUP BY wave_id, team_id, COALESCE(overall, -1)`).Error
	}},
	// Step 8 rebuilds SQLite tables WITHOUT ROWID; on PostgreSQL it does nothing (there is no
	// equivalent; see docs/storage.md, arrival order).
	{8, "tallies keep no arrival order", withoutRowID(&ItemTally{}, &ScoreTally{})},
	{9, "users, sessions, API tokens and the audit log", createTables(&User{}, &Session{}, &APIToken{}, &AuditEvent{}, &SignInFlow{})},
	{10, "a lean write: one row per response, tallies for breakdowns", leanWrite},
	// Step 11 adds triggers on SQLite, a CHECK constraint on PostgreSQL.
	{11, "a wave's threshold kept within bounds by the database itself", thresholdBounds},
	{12, "each wave keeps its own hierarchy", waveHierarchies},
	{13, "verified waves: who has answered, apart from the answers", verifiedRespondents},
	{14, "each wave keeps the scoring rules it was created under", scoringRules},
	{15, "breakdown cells with every figure; distributions of choices and numbers", reassessing(breakdownFigures)},
	{16, "open waves publish each team's answers in batches", clearSnapshots},
	{17, "the focus areas teams choose after a wave", createTables(&FocusArea{})},
}

// clearSnapshots (step 16) forgets what reports published under the stepped refresh before it: a
// snapshot then held each group's figures, now each team's own answers as last published and how
// they split over the breakdowns, which cannot be worked out from the old one. An open wave
// publishes again from its current answers (a reader who kept a figure from before may compare
// it with the new ones, once); a closed wave's figures are decided as if nothing had been
// published while it was open. Reports are computed again from the tallies, which stay.
func clearSnapshots(tx *gorm.DB) error {
	return tx.Exec("DELETE FROM report_snapshots").Error
}

// schemaMigration records the steps applied.
type schemaMigration struct {
	Version   int       `gorm:"primaryKey;autoIncrement:false"`
	Name      string    `gorm:"size:200;not null"`
	AppliedAt time.Time `gorm:"not null"`
}

func createTables(models ...any) func(tx *gorm.DB) error {
	return func(tx *gorm.DB) error {
		for _, m := range models {
			if tx.Migrator().HasTable(m) {
				continue
			}
			create := tx
			if _, ok := m.(keepsNoOrder); ok && tx.Dialector.Name() == "sqlite" {
				// A SQLite table keeps a hidden rowid that grows with each insert, which would record
				// the order responses (or the answers a tally first counted) arrived in. WITHOUT
				// ROWID orders rows by their key instead.
				// PostgreSQL has no such option: its heap keeps rows where they were written (see
				// docs/storage.md, arrival order), and the service never reads them in that order.
				create = tx.Set("gorm:table_options", "WITHOUT ROWID")
			}
			if err := create.Migrator().CreateTable(m); err != nil {
				return err
			}
		}
		return nil
	}
}

// overallGap adds the response's overall aspiration and reality, filled for stored responses with
// the plain mean over their dimensions (new responses weigh dimensions by their weights), and puts
// them in the report index.
func overallGap(tx *gorm.DB) error {
	for _, field := range []string{"Aspiration", "Reality"} {
		if tx.Migrator().HasColumn(&Response{}, field) {
			continue
		}
		if err := tx.Migrator().AddColumn(&Response{}, field); err != nil {
			return err
		}
		col := strings.ToLower(field)
		err := tx.Exec(`UPDATE responses SET ` + col + ` = (SELECT AVG(s.` + col + `) FROM response_scores s
			WHERE s.response_id = responses.id AND s.aspiration IS NOT NULL)`).Error
		if err != nil {
			return err
		}
	}
	// The report index over these columns that this step once rebuilt is dropped by step 10.
	return nil
}

// verifiedRespondents adds the table of who has answered a verified wave, and marks a sign-in
// under way as a respondent's (with the wave) or a member of staff's.
func verifiedRespondents(tx *gorm.DB) error {
	if !tx.Migrator().HasColumn(&SignInFlow{}, "WaveID") {
		if err := tx.Migrator().AddColumn(&SignInFlow{}, "WaveID"); err != nil {
			return err
		}
	}
	return createTables(&VerifiedRespondent{})(tx)
}

// index names an index of a model, as the model's tags now define it.
type index struct {
	model any
	name  string
}

// rebuildIndexes drops indexes and creates them again from the models' tags: the way to change an
// index's columns. On a schema already built from the current models it changes nothing.
func rebuildIndexes(indexes ...index) func(tx *gorm.DB) error {
	return func(tx *gorm.DB) error {
		for _, ix := range indexes {
			if tx.Migrator().HasIndex(ix.model, ix.name) {
				if err := tx.Migrator().DropIndex(ix.model, ix.name); err != nil {
					return err
				}
			}
			if err := tx.Migrator().CreateIndex(ix.model, ix.name); err != nil {
				return err
			}
		}
		return nil
	}
}

// keepsNoOrder marks the tables that must not record the order their rows arrived in: those keyed
// by a response id, the tallies, and who has answered a verified wave.
type keepsNoOrder interface{ keepsNoOrder() }

func (*ResponseText) keepsNoOrder()       {}
func (*ItemTally) keepsNoOrder()          {}
func (*ScoreTally) keepsNoOrder()         {}
func (*CellTally) keepsNoOrder()          {}
func (*CellSkillTally) keepsNoOrder()     {}
func (*DistributionTally) keepsNoOrder()  {}
func (*VerifiedRespondent) keepsNoOrder() {}

// withoutRowID rebuilds SQLite tables made with a rowid as WITHOUT ROWID tables, rows and all. On
// other databases, and on tables already without one, it changes nothing.
func withoutRowID(models ...any) func(tx *gorm.DB) error {
	return func(tx *gorm.DB) error {
		if tx.Dialector.Name() != "sqlite" {
			return nil
		}
		for _, m := range models {
			stmt := &gorm.Statement{DB: tx}
			if err := stmt.Parse(m); err != nil {
				return err
			}
			table := stmt.Schema.Table
			var sql string
			if err := tx.Raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&sql).Error; err != nil {
				return err
			}
			if strings.Contains(sql, "WITHOUT ROWID") {
				continue
			}
			steps := []func() error{
				func() error { return tx.Exec(`ALTER TABLE "` + table + `" RENAME TO "` + table + `_old"`).Error },
				func() error { return createTables(m)(tx) },
				func() error { return tx.Exec(`INSERT INTO "` + table + `" SELECT * FROM "` + table + `_old"`).Error },
				func() error { return tx.Exec(`DROP TABLE "` + table + `_old"`).Error },
			}
			for _, step := range steps {
				if err := step(); err != nil {
					return fmt.Errorf("rebuild %s: %w", table, err)
				}
			}
		}
		return nil
	}
}

// SchemaVersion is the schema version this code needs.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

func (s *Store) migrate(ctx context.Context) error {
	db := s.write.WithContext(context.WithValue(ctx, reassessKey{}, s.reassess))
	if db.Dialector.Name() != "postgres" {
		// SQLite: the writer's one connection and its write lock keep a second process out.
		return migrateTo(db, SchemaVersion())
	}
	// Several instances may start at once on one PostgreSQL database. An advisory lock, held on
	// one connection for the whole migration, lets one migrate while the others wait, then find
	// every step applied; without it two would both create the same tables and one would fail.
	return db.Connection(func(conn *gorm.DB) error {
		conn = conn.Session(&gorm.Session{}) // each query starts afresh, as on a pool
		// Wait as long as the other instance migrates (a step over many responses can take
		// minutes), not lock_timeout's 10 s; then the connection's own setting again.
		if err := conn.Exec("SET lock_timeout = 0").Error; err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if err := conn.Exec("SELECT pg_advisory_lock(?)", migrationLock).Error; err != nil {
			return fmt.Errorf("migrate: take the migration lock: %w", err)
		}
		if err := conn.Exec("RESET lock_timeout").Error; err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		// Unlocked even when ctx has ended: the connection goes back to the pool, lock and all.
		defer conn.WithContext(context.Background()).Exec("SELECT pg_advisory_unlock(?)", migrationLock)
		return migrateTo(conn, SchemaVersion())
	})
}

// migrationLock is the PostgreSQL advisory lock key migrations hold ("skilsurv" in ASCII).
const migrationLock int64 = 0x736b696c73757276

// reassessKey carries the store's Reassess, if any, in the context of a migration.
type reassessKey struct{}

// reassessing adapts a step that works stored responses out again: it is handed the Reassess the
// store was opened with (nil without one).
func reassessing(step func(tx *gorm.DB, reassess Reassess) error) func(tx *gorm.DB) error {
	return func(tx *gorm.DB) error {
		reassess, _ := tx.Statement.Context.Value(reassessKey{}).(Reassess)
		return step(tx, reassess)
	}
}

// migrateTo applies every step up to and including version.
func migrateTo(db *gorm.DB, version int) error {
	if err := db.AutoMigrate(&schemaMigration{}); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := db.Model(&schemaMigration{}).Select("COALESCE(MAX(version), 0)").Scan(&current).Error; err != nil {
		return fmt.Errorf("migrate: read version: %w", err)
	}
	if current > SchemaVersion() {
		return fmt.Errorf("migrate: the database is at schema %d, newer than this program's %d: use a newer skillsurvey", current, SchemaVersion())
	}
	for _, m := range migrations {
		if m.version <= current || m.version > version {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := m.up(tx); err != nil {
				return err
			}
			return tx.Create(&schemaMigration{Version: m.version, Name: m.name, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return fmt.Errorf("migrate to %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}
