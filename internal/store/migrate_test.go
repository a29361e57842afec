package store

// Adding migration N (a table, a column, an index):
//
//  1. Before touching models.go, freeze the schema you are leaving, N-1, with its sample rows:
//     go test -tags nomsgpack ./internal/store -run TestWriteSchemaFixture -fixture N-1
//     and commit testdata/schema-(N-1).sql. Never regenerate an older fixture: step 1 builds its
//     tables from the current models, so an old fixture made today would not be the old schema.
//  2. Change the models and append step N to migrations, written to be a no-op on a schema that
//     already has its change (a database migrated from empty gets it from step 1's models).
//  3. go test -tags nomsgpack ./internal/store -run TestSchemaLatest -update
//     and read the diff of testdata/schema-latest.txt: it should show your change and nothing else.
//  4. go test -tags nomsgpack ./internal/store: TestMigrateFromFixtures migrates every
//     testdata/schema-*.sql to the latest version and checks that it ends up exactly like a database
//     migrated from empty, with its rows still readable.

import (
	"context"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

var (
	update  = flag.Bool("update", false, "rewrite testdata/schema-latest.txt from the current schema")
	fixture = flag.Int("fixture", 0, "write testdata/schema-N.sql: an empty database migrated to version N, with sample rows")
)

const latestSchemaFile = "testdata/schema-latest.txt"

func TestMigrateEmpty(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "skillsurvey.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of an empty database: %v", err)
	}
	first := appliedMigrations(t, s.write)
	schema := schemaOf(t, s.write)
	s.Close()
	if len(first) != len(migrations) || first[len(first)-1].Version != SchemaVersion() {
		t.Fatalf("applied %+v, want every step up to %d", first, SchemaVersion())
	}

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer s.Close()
	if again := appliedMigrations(t, s.write); !slices.Equal(again, first) {
		t.Errorf("the second Open changed schema_migrations: %+v, was %+v", again, first)
	}
	if again := schemaOf(t, s.write); again != schema {
		t.Errorf("the second Open changed the schema:\n%s", lineDiff(schema, again))
	}
}

// TestMigrationStepsAreIdempotent runs every step again over the tables they made, as happens to a
// later step when step 1 has already built its table from the current models.
func TestMigrationStepsAreIdempotent(t *testing.T) {
	s := openTestStore(t)
	schema := schemaOf(t, s.write)
	if err := s.write.Exec("DELETE FROM schema_migrations").Error; err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(s.write, SchemaVersion()); err != nil {
		t.Fatalf("steps run again: %v", err)
	}
	if got := schemaOf(t, s.write); got != schema {
		t.Errorf("running the steps again changed the schema:\n%s", lineDiff(schema, got))
	}
}

func TestMigrateRefusesNewerDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "skillsurvey.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	future := schemaMigration{Version: SchemaVersion() + 1, Name: "from the future", AppliedAt: time.Now().UTC()}
	if err := s.write.Create(&future).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()

	_, err = Open(ctx, path)
	if err == nil {
		t.Fatal("Open of a database newer than the program succeeded")
	}
	want := fmt.Sprintf("the database is at schema %d, newer than this program's %d", SchemaVersion()+1, SchemaVersion())
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error = %q, want it to say %q", err, want)
	}
}

func TestSchemaLatest(t *testing.T) {
	s := openTestStore(t)
	got := schemaOf(t, s.write)
	if *update {
		if err := os.WriteFile(latestSchemaFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", latestSchemaFile)
		return
	}
	want, err := os.ReadFile(latestSchemaFile)
	if err != nil {
		t.Fatalf("%v (make it with -update)", err)
	}
	if got != string(want) {
		t.Errorf("the schema differs from %s: did a model change without a migration? (see the top of migrate_test.go; after adding the migration, rerun with -update)\n%s",
			latestSchemaFile, lineDiff(string(want), got))
	}
}

// TestMigrateFromFixtures opens each frozen earlier schema, with its rows, and checks that Open brings
// it to exactly the schema of a database migrated from empty, with the old rows still readable.
func TestMigrateFromFixtures(t *testing.T) {
	fixtures, err := filepath.Glob("testdata/schema-*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(fixtures) == 0 {
		t.Fatal("no testdata/schema-*.sql fixtures")
	}
	want := schemaOf(t, openTestStore(t).write)
	for _, file := range fixtures {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "skillsurvey.db")
			loadFixture(t, path, file)
			s, err := Open(ctx, path, WithReassess(reassessForTests))
			if err != nil {
				t.Fatalf("Open of the fixture: %v", err)
			}
			defer s.Close()
			if got := schemaOf(t, s.write); got != want {
				t.Errorf("migrated schema differs from one migrated from empty:\n%s", lineDiff(want, got))
			}
			checkFixtureRows(t, s)
			checkTallies(t, s)
		})
	}
}

// checkTallies: tallies made by migrations from older rows, and the response added after, equal
// the sums worked out over the fixture's response and that one.
func checkTallies(t *testing.T, s *Store) {
	t.Helper()
	w, err := s.Wave(context.Background(), fixtureWave)
	if err != nil {
		t.Fatal(err)
	}
	def := smallDefinition(t)
	stored := []NewResponse{
		newResponse(t, def, w.ID, 2, fixtureSubmission, answersA),
		newResponse(t, def, w.ID, 2, "after-migration", answersB),
	}
	checkTalliesOf(t, s, w.ID, stored)
	for _, table := range []string{"item_tallies", "score_tallies", "cell_tallies", "verified_respondents"} {
		var sql string
		if err := s.read.Raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&sql).Error; err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(sql, "WITHOUT ROWID") {
			t.Errorf("%s after migration keeps a rowid (the order its rows arrived in):\n%s", table, sql)
		}
	}
}

// The fixture's sample rows.
const (
	fixtureWave       = "2025-autumn"
	fixtureSubmission = "fixture-submission"
)

// checkFixtureRows reads the fixture's sample rows back through the Store.
func checkFixtureRows(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	w, err := s.Wave(ctx, fixtureWave)
	if err != nil {
		t.Fatalf("Wave: %v", err)
	}
	if w.Title != "Autumn 2025" || w.Mode != ModeOpen || w.Threshold != 5 || w.OpensAt == nil || w.ClosesAt == nil ||
		w.State(time.Date(2025, 10, 15, 12, 0, 0, 0, time.UTC)) != StateOpen {
		t.Errorf("Wave = %+v", w)
	}
	src, err := s.DefinitionSource(ctx, w.DefinitionVersion)
	if err != nil || sha(string(src)) != w.DefinitionVersion {
		t.Errorf("DefinitionSource: %d bytes, %v; want the file whose hash is the version", len(src), err)
	}
	teams, err := s.Teams(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := teamKeys(teams); !slices.Equal(got, []string{"department", "digital"}) || teams[1].Parent == nil || teams[1].Parent.Key != "department" {
		t.Errorf("Teams = %v, want department and digital under it", got)
	}
	checkSubtree(t, s, "department", []string{"department", "digital"})
	if n, err := s.CountResponses(ctx, w.ID); err != nil || n != 1 {
		t.Errorf("CountResponses = %d, %v; want 1", n, err)
	}

	// A retry of the old response answers from its stored row, with the dimension scores it was
	// stored with (in response_scores until schema 10).
	var old Response
	if err := s.read.Where("wave_id = ?", w.ID).Take(&old).Error; err != nil {
		t.Fatal(err)
	}
	want := newResponse(t, smallDefinition(t), w.ID, old.TeamID, fixtureSubmission, answersA).Result
	saved, created, err := s.SaveResponse(ctx, NewResponse{WaveID: w.ID, TeamID: old.TeamID, SubmissionHash: sha(fixtureSubmission),
		ContentHash: old.ContentHash, SubmittedOn: "2026-01-01"})
	if err != nil || created || saved.SubmittedOn != old.SubmittedOn || !equalFloat(saved.Overall, want.Overall) ||
		len(saved.Dimensions) != len(want.Dimensions) {
		t.Errorf("retry of the fixture's response: %s, created = %v, err = %v", savedString(saved), created, err)
	}
	for dim, d := range want.Dimensions {
		if got, ok := saved.Dimensions[dim]; !ok || !equalFloat(got, d.Score) {
			t.Errorf("retry of the fixture's response: %s score %v, want %v", dim, ptrOr(got, -1), ptrOr(d.Score, -1))
		}
	}
	// And a new response goes in beside it.
	r := newResponse(t, smallDefinition(t), w.ID, teams[1].ID, "after-migration", answersB)
	if _, created, err := s.SaveResponse(ctx, r); err != nil || !created {
		t.Errorf("new response after migration: created = %v, err = %v", created, err)
	}
}

// TestWriteSchemaFixture writes testdata/schema-N.sql when run with -fixture N; see the top of this file.
func TestWriteSchemaFixture(t *testing.T) {
	if *fixture == 0 {
		t.Skip("run with -fixture N to write testdata/schema-N.sql")
	}
	db, err := openSQLite(filepath.Join(t.TempDir(), "skillsurvey.db"), false, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(t, db)
	if err := migrateTo(db, *fixture); err != nil {
		t.Fatal(err)
	}
	insertFixtureRows(t, db)
	file := fmt.Sprintf("testdata/schema-%d.sql", *fixture)
	if err := os.WriteFile(file, []byte(dumpSQL(t, db, *fixture)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", file)
}

// insertFixtureRows adds realistic rows to a database at the schema being frozen: a definition
// version, an open wave, two teams with their closure rows, and one response with its tallies,
// written by the store's own insert.
func insertFixtureRows(t *testing.T, db *gorm.DB) {
	t.Helper()
	def := smallDefinition(t)
	opens := time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC)
	closes := opens.AddDate(0, 0, 28)
	headcount := 8
	rows := []any{
		&DefinitionVersion{Version: def.Version, SurveyID: def.ID, Title: def.Title, Source: def.Source, LoadedAt: opens.Add(-time.Hour)},
		&Wave{ID: 1, Key: fixtureWave, SurveyID: def.ID, DefinitionVersion: def.Version, Title: "Autumn 2025", Mode: ModeOpen,
			Threshold: 5, OpensAt: &opens, ClosesAt: &closes, CreatedAt: opens.Add(-time.Hour)},
		&Team{ID: 1, Key: "department", Name: "Department"},
		&Team{ID: 2, Key: "digital", Name: "Digital team", ParentID: new(uint(1)), Headcount: &headcount},
		&[]TeamClosure{{1, 1, 0}, {2, 2, 0}, {1, 2, 1}},
	}
	for _, row := range rows {
		if err := db.Omit(clause.Associations).Create(row).Error; err != nil {
			t.Fatalf("insert %T: %v", row, err)
		}
	}
	r := newResponse(t, def, 1, 2, fixtureSubmission, answersA)
	r.SubmittedOn = "2025-10-14"
	var sums tallies
	sums.add(r)
	if _, err := insertResponse(db, r); err != nil {
		t.Fatalf("insert response: %v", err)
	}
	if err := sums.write(db); err != nil {
		t.Fatalf("insert tallies: %v", err)
	}
}

// dumpSQL writes a database's schema and rows as SQL that loadFixture can replay.
func dumpSQL(t *testing.T, db *gorm.DB, version int) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "-- The skillsurvey schema at version %d, with sample rows: a frozen fixture for\n", version)
	b.WriteString("-- TestMigrateFromFixtures. Written by TestWriteSchemaFixture; never edit or regenerate it.\n")
	b.WriteString("PRAGMA foreign_keys = OFF;\nBEGIN;\n")
	var objects []struct{ Name, SQL string }
	// Tables, then their indexes, then triggers, which name their table and so must follow it.
	err := db.Raw(`SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
		ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name`).
		Scan(&objects).Error
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objects {
		b.WriteString(o.SQL + ";\n")
	}
	for _, table := range tableNames(t, db) {
		rows, err := db.Raw(`SELECT * FROM "` + table + `" ORDER BY 1`).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			values := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range values {
				ptrs[i] = &values[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			literals := make([]string, len(values))
			for i, v := range values {
				literals[i] = sqlLiteral(t, v)
			}
			fmt.Fprintf(&b, "INSERT INTO \"%s\" (\"%s\") VALUES (%s);\n", table, strings.Join(cols, `", "`), strings.Join(literals, ", "))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	b.WriteString("COMMIT;\n")
	return b.String()
}

// sqlLiteral writes a value as the SQLite driver would have stored it.
func sqlLiteral(t *testing.T, v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		if v {
			return "1"
		}
		return "0"
	case []byte:
		return "X'" + hex.EncodeToString(v) + "'"
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case time.Time:
		// The driver's own format for times, which it parses back.
		return "'" + v.Format("2006-01-02 15:04:05.999999999-07:00") + "'"
	}
	t.Fatalf("no SQL literal for %T", v)
	return ""
}

// loadFixture replays a dumped fixture into a new database file and checks its foreign keys.
func loadFixture(t *testing.T, path, file string) {
	t.Helper()
	script, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	db, err := openSQLite(path, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(t, db)
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.Exec(string(script)); err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
	var broken []map[string]any
	if err := db.Raw("PRAGMA foreign_key_check").Scan(&broken).Error; err != nil || len(broken) > 0 {
		t.Fatalf("%s breaks foreign keys: %v %v", file, broken, err)
	}
}

// schemaOf describes a SQLite database's schema as text, one line per table, column, index and
// foreign key, each naming its table, in a fixed order, so two schemas compare as strings whatever order they were built in.
func schemaOf(t *testing.T, db *gorm.DB) string {
	t.Helper()
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, table := range tableNames(t, db) {
		fmt.Fprintf(&b, "table %s\n", table)
		for _, row := range query(t, sqlDB, `SELECT name, lower(type), "notnull", ifnull(dflt_value, 'NULL'), pk FROM pragma_table_info(?) ORDER BY cid`, table) {
			fmt.Fprintf(&b, "%s column %s %s notnull=%s default=%s pk=%s\n", table, row[0], row[1], row[2], row[3], row[4])
		}
		var indexes []string
		for _, row := range query(t, sqlDB, `SELECT name, "unique" FROM pragma_index_list(?)`, table) {
			var cols []string
			for _, col := range query(t, sqlDB, `SELECT ifnull(name, '<expression>') FROM pragma_index_info(?) ORDER BY seqno`, row[0]) {
				cols = append(cols, col[0])
			}
			indexes = append(indexes, fmt.Sprintf("%s index %s unique=%s (%s)\n", table, row[0], row[1], strings.Join(cols, ", ")))
		}
		slices.Sort(indexes)
		b.WriteString(strings.Join(indexes, ""))
		var keys []string
		byID := map[string][]string{}
		for _, row := range query(t, sqlDB, `SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table) {
			if _, seen := byID[row[0]]; !seen {
				keys = append(keys, row[0])
			}
			byID[row[0]] = append(byID[row[0]], row[1:]...)
		}
		var fks []string
		for _, id := range keys {
			cols := byID[id]
			var from, to []string
			for i := 0; i < len(cols); i += 5 {
				from, to = append(from, cols[i+1]), append(to, cols[i+2])
			}
			fks = append(fks, fmt.Sprintf("%s foreign key (%s) references %s(%s) on update %s on delete %s\n",
				table, strings.Join(from, ", "), cols[0], strings.Join(to, ", "), cols[3], cols[4]))
		}
		slices.Sort(fks)
		b.WriteString(strings.Join(fks, ""))
		for _, row := range query(t, sqlDB, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name`, table) {
			fmt.Fprintf(&b, "%s trigger %s: %s\n", table, row[0], strings.Join(strings.Fields(row[1]), " "))
		}
	}
	return b.String()
}

// tableNames lists the database's own tables by name.
func tableNames(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var names []string
	err := db.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).Scan(&names).Error
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// query returns every row of a query, each value as text.
func query(t *testing.T, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		values := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range values {
			row[i] = v.String
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

type appliedMigration struct {
	Version   int
	Name      string
	AppliedAt string
}

// appliedMigrations reads schema_migrations, times as stored.
func appliedMigrations(t *testing.T, db *gorm.DB) []appliedMigration {
	t.Helper()
	var out []appliedMigration
	err := db.Raw("SELECT version, name, CAST(applied_at AS TEXT) AS applied_at FROM schema_migrations ORDER BY version").Scan(&out).Error
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func closeDB(t *testing.T, db *gorm.DB) {
	t.Helper()
	sqlDB, err := db.DB()
	if err == nil {
		err = sqlDB.Close()
	}
	if err != nil {
		t.Error(err)
	}
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	wantLines, gotLines := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range wantLines {
		if !slices.Contains(gotLines, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range gotLines {
		if !slices.Contains(wantLines, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	if b.Len() == 0 {
		return "(the same lines in another order)"
	}
	return b.String()
}

// TestMigrationClearsSnapshots: step 16 forgets the report snapshots of the stepped refresh before
// it, which held each group's figures and cannot be read as each team's own answers.
func TestMigrationClearsSnapshots(t *testing.T) {
	script, err := os.ReadFile("testdata/schema-15.sql")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "schema-15-with-snapshot.sql")
	withSnapshot := string(script) + "\nINSERT INTO report_snapshots (wave_id, breakdown, responses, data, refreshed_on, revision) " +
		"SELECT id, '', 1, x'00', '2025-10-15', 1 FROM waves;\n"
	if err := os.WriteFile(file, []byte(withSnapshot), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "skillsurvey.db")
	loadFixture(t, path, file)
	s, err := Open(context.Background(), path, WithReassess(reassessForTests))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int64
	if err := s.read.Model(&ReportSnapshot{}).Count(&n).Error; err != nil || n != 0 {
		t.Errorf("%d report snapshots after migrating (%v), want none", n, err)
	}
}
