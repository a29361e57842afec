package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

// SQLite-only checks: the connection settings, and what the suite cannot see through the
// exported methods.

func TestSQLiteSettings(t *testing.T) {
	s := openTestStore(t)
	pragma := func(db *gorm.DB, name string) string {
		t.Helper()
		var v string
		if err := db.Raw("PRAGMA " + name).Row().Scan(&v); err != nil {
			t.Fatalf("PRAGMA %s: %v", name, err)
		}
		return v
	}
	for _, pool := range []struct {
		name      string
		db        *gorm.DB
		queryOnly string
		cacheKiB  string
	}{{"writer", s.write, "0", "-" + fmt.Sprint(writerCacheKiB)}, {"readers", s.read, "1", "-" + fmt.Sprint(readerCacheKiB)}} {
		if got := pragma(pool.db, "cache_size"); got != pool.cacheKiB {
			t.Errorf("%s: cache_size = %s, want %s (KiB)", pool.name, got, pool.cacheKiB)
		}
		if got := pragma(pool.db, "mmap_size"); got != "0" {
			t.Errorf("%s: mmap_size = %s, want 0: no memory-mapped I/O", pool.name, got)
		}
		if got := pragma(pool.db, "journal_mode"); got != "wal" {
			t.Errorf("%s: journal_mode = %s, want wal", pool.name, got)
		}
		if got := pragma(pool.db, "synchronous"); got != "2" {
			t.Errorf("%s: synchronous = %s, want 2 (FULL)", pool.name, got)
		}
		if got := pragma(pool.db, "foreign_keys"); got != "1" {
			t.Errorf("%s: foreign_keys = %s, want 1", pool.name, got)
		}
		if got := pragma(pool.db, "busy_timeout"); got == "0" {
			t.Errorf("%s: busy_timeout = 0, want a wait", pool.name)
		}
		if got := pragma(pool.db, "query_only"); got != pool.queryOnly {
			t.Errorf("%s: query_only = %s, want %s", pool.name, got, pool.queryOnly)
		}
	}
	if got, want := pragma(s.write, "wal_autocheckpoint"), fmt.Sprint(writerCheckpointPages); got != want {
		t.Errorf("writer: wal_autocheckpoint = %s, want %s: the checkpointer copies the log beside it", got, want)
	}
	sqlDB, err := s.write.DB()
	if err != nil {
		t.Fatal(err)
	}
	if n := sqlDB.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer pool has %d connections, want 1", n)
	}
}

// TestCheckpointsBesideTheWriter: what the writer commits reaches the database file itself within
// a few checkpoint intervals, though the writer's own checkpoints wait for a much longer log; once
// writes stop, the log is emptied.
func TestCheckpointsBesideTheWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "skillsurvey.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	teams := importDepartment(t, s)
	def := smallDefinition(t)
	w := createWave(t, s, def, "2026-spring", ModeOpen)
	size := func() int64 {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}
	time.Sleep(2 * checkpointEvery) // what the set-up wrote is copied
	before := size()
	var rs []NewResponse
	for i := range 300 {
		rs = append(rs, newResponse(t, def, w.ID, teams["digital"].ID, fmt.Sprint("checkpointed-", i), answersA))
	}
	if err := s.SaveResponses(context.Background(), rs); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * checkpointEvery); size() <= before; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the database file stayed at %d bytes for %v after 300 responses were committed: no checkpoint", before, 5*checkpointEvery)
		}
	}
	// Quiet again, the log, which held the responses in the order they arrived, is emptied.
	logSize := func() int64 {
		info, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}
	for deadline := time.Now().Add(8 * checkpointEvery); logSize() > 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the write-ahead log still holds %d bytes %v after the last write", logSize(), 8*checkpointEvery)
		}
	}
}

func TestSQLiteReadPoolCannotWrite(t *testing.T) {
	s := openTestStore(t)
	err := s.read.Create(&Team{Key: "sneaky", Name: "Written through a reader"}).Error
	if err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Errorf("write through the read pool: err = %v, want a read-only error", err)
	}
	if teams, _ := s.Teams(context.Background(), true); len(teams) != 0 {
		t.Errorf("the write through the read pool left %v", teamKeys(teams))
	}
}

func TestOpenRefusesURLs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct{ url, want string }{
		{filepath.Join(dir, "a.db") + "?mode=memory", "without ? or #"},
		{filepath.Join(dir, "a.db") + "?_foreign_keys=off", "without ? or #"},
		{filepath.Join(dir, "a.db#x"), "without ? or #"},
		{"", "give a file path"},
	}
	for _, tt := range tests {
		s, err := Open(ctx, tt.url)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", tt.url)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%q): err = %q, want it to say %q", tt.url, err, tt.want)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*")); len(matches) > 0 {
		t.Errorf("refused opens left files: %v", matches)
	}
}

func TestSQLiteForeignKeys(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	teams := importDepartment(t, s)
	def := smallDefinition(t)
	w := createWave(t, s, def, "2026-spring", ModeOpen)

	noWave := newResponse(t, def, w.ID+100, teams["digital"].ID, "submission-1", answersA)
	if _, _, err := s.SaveResponse(ctx, noWave); !errors.Is(err, gorm.ErrForeignKeyViolated) {
		t.Errorf("response for a wave that does not exist: err = %v, want a foreign key violation", err)
	}
	noTeam := newResponse(t, def, w.ID, 1<<20, "submission-2", answersA)
	if _, _, err := s.SaveResponse(ctx, noTeam); !errors.Is(err, gorm.ErrForeignKeyViolated) {
		t.Errorf("response for a team that does not exist: err = %v, want a foreign key violation", err)
	}
	if n, err := s.CountResponses(ctx, w.ID); err != nil || n != 0 || responseRows(t, s, w.ID) != 0 {
		t.Errorf("CountResponses = %d, %v, %d rows; want 0", n, err, responseRows(t, s, w.ID))
	}
	var orphans int64
	if err := s.read.Model(&ScoreTally{}).Count(&orphans).Error; err != nil || orphans != 0 {
		t.Errorf("%d tallies left behind by refused responses (%v)", orphans, err)
	}
	// A team in use cannot be deleted from under its responses.
	if _, _, err := s.SaveResponse(ctx, newResponse(t, def, w.ID, teams["digital"].ID, "submission-3", answersA)); err != nil {
		t.Fatal(err)
	}
	// Nor one in a wave's own hierarchy; a team imported after every wave opened is in none.
	if err := s.write.Exec("DELETE FROM teams WHERE id = ?", teams["social"].ID).Error; err == nil {
		t.Error("deleting a team in a wave's hierarchy succeeded")
	}
	late := Team{Key: "late", Name: "Imported later", ParentID: new(teams["dept"].ID)}
	if err := s.write.Create(&late).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.write.Exec("DELETE FROM teams WHERE id = ?", late.ID).Error; err != nil {
		t.Fatalf("delete a leaf in no wave, with no responses: %v", err)
	}
	if err := s.write.Exec("DELETE FROM teams WHERE id = ?", teams["digital"].ID).Error; err == nil {
		t.Error("deleting a team with responses succeeded")
	}
}

// TestSaveResponseRows checks the row a response leaves, which no exported method reads whole.
func TestSaveResponseRows(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	teams := importDepartment(t, s)
	def := smallDefinition(t)
	w := createWave(t, s, def, "2026-spring", ModeOpen)
	r := newResponse(t, def, w.ID, teams["digital"].ID, "submission-1", answersA)
	if _, _, err := s.SaveResponse(ctx, r); err != nil {
		t.Fatal(err)
	}

	var row Response
	if err := s.read.Where("wave_id = ?", w.ID).Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	if row.ID <= 0 || row.SubmittedOn != "2026-03-04" || row.Role != "specialist" || string(row.Answers) != string(r.Answers) ||
		row.DefinitionVersion != def.Version || row.TeamID != teams["digital"].ID {
		t.Errorf("response row = %+v", row)
	}
	var dims map[string]*float64
	if err := json.Unmarshal(row.DimensionScores, &dims); err != nil {
		t.Fatalf("dimension scores %q: %v", row.DimensionScores, err)
	}
	if len(dims) != len(r.Result.Dimensions) {
		t.Errorf("%d dimension scores stored, want %d", len(dims), len(r.Result.Dimensions))
	}
	for dim, want := range r.Result.Dimensions {
		if got, ok := dims[dim]; !ok || !equalFloat(got, want.Score) {
			t.Errorf("dimension %s score stored %v, want %v", dim, ptrOr(got, -1), ptrOr(want.Score, -1))
		}
	}
	if !equalFloat(row.Overall, r.Result.Overall) || !equalFloat(row.Aspiration, r.Result.Aspiration) || !equalFloat(row.Reality, r.Result.Reality) {
		t.Errorf("response row scores = %v %v %v, want %v %v %v", ptrOr(row.Overall, -1), ptrOr(row.Aspiration, -1), ptrOr(row.Reality, -1),
			ptrOr(r.Result.Overall, -1), ptrOr(r.Result.Aspiration, -1), ptrOr(r.Result.Reality, -1))
	}
	// Nothing else is written per response but its free-text answers.
	var tables []string
	if err := s.read.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'response%' ORDER BY name`).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tables, []string{"response_texts", "responses"}) {
		t.Errorf("tables per response: %v, want response_texts and responses", tables)
	}
}

// TestDefinitionStoredOnce counts the stored versions after two waves of one definition.
func TestDefinitionStoredOnce(t *testing.T) {
	s := openTestStore(t)
	def := smallDefinition(t)
	createWave(t, s, def, "2026-spring", ModeOpen)
	createWave(t, s, def, "2026-autumn", ModeInvite)
	var n int64
	if err := s.read.Model(&DefinitionVersion{}).Count(&n).Error; err != nil || n != 1 {
		t.Errorf("%d definition versions stored (%v), want 1", n, err)
	}
}

func equalFloat(a, b *float64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// TestResponseRowsKeepNoArrivalOrder: a SQLite table's hidden rowid grows with each insert, so the
// tables keyed by response id are WITHOUT ROWID, ordered by the random id instead; so is the
// record of who has answered a verified wave, ordered by its keyed hash.
func TestResponseRowsKeepNoArrivalOrder(t *testing.T) {
	s := openTestStore(t)
	for _, table := range []string{"response_texts", "item_tallies", "score_tallies", "cell_tallies", "verified_respondents"} {
		var sql string
		if err := s.read.Raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&sql).Error; err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(sql, "WITHOUT ROWID") {
			t.Errorf("%s is not WITHOUT ROWID:\n%s", table, sql)
		}
	}
	// responses has an INTEGER PRIMARY KEY, which is its rowid: the random id itself.
	var pk int
	if err := s.read.Raw("SELECT pk FROM pragma_table_info('responses') WHERE name = 'id'").Scan(&pk).Error; err != nil || pk != 1 {
		t.Errorf("responses.id is not the primary key (pk=%d, err=%v)", pk, err)
	}
}

// TestMarkTokenUsedWritesOncePerDay: a token's use writes only on its first use of a day, and its
// later uses that day do not even wait for the one writer connection.
func TestMarkTokenUsedWritesOncePerDay(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	tok, err := s.CreateToken(ctx, NewToken{Name: "powerbi", Hash: sha("ssv_powerbi"), Role: "hr"})
	if err != nil {
		t.Fatal(err)
	}
	changes := func() int64 {
		t.Helper()
		var n int64
		// The writer pool has one connection, so this counts every row it has changed.
		if err := s.write.Raw("SELECT total_changes()").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := changes()
	if err := s.MarkTokenUsed(ctx, tok.ID, "2026-03-02"); err != nil {
		t.Fatal(err)
	}
	if n := changes() - before; n != 1 {
		t.Errorf("first use of the day changed %d rows, want 1", n)
	}

	// Hold the one writer connection: a later use the same day must not need it.
	tx := s.write.Begin()
	if tx.Error != nil {
		t.Fatal(tx.Error)
	}
	defer tx.Rollback()
	waitCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.MarkTokenUsed(waitCtx, tok.ID, "2026-03-02"); err != nil {
		t.Errorf("second use of the day waited for the writer: %v", err)
	}
	if err := tx.Rollback().Error; err != nil {
		t.Fatal(err)
	}
	before = changes()
	for range 3 {
		if err := s.MarkTokenUsed(ctx, tok.ID, "2026-03-02"); err != nil {
			t.Fatal(err)
		}
	}
	if n := changes() - before; n != 0 {
		t.Errorf("three more uses the same day changed %d rows, want 0", n)
	}
}

// TestSaveBatchFailingLate: when the transaction fails after some responses of the batch were
// written (here the context ends once their rows are in, before their tallies), every outcome says
// so and none is stored: a 201 is never given for a response the commit did not keep.
func TestSaveBatchFailingLate(t *testing.T) {
	s := openTestStore(t)
	teams := importDepartment(t, s)
	def := smallDefinition(t)
	w := createWave(t, s, def, "2026-spring", ModeOpen)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	rows := 0
	err := s.write.Callback().Raw().After("gorm:raw").Register("test:end-at-second", func(db *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		if strings.HasPrefix(db.Statement.SQL.String(), "INSERT INTO responses ") {
			if rows++; rows == 1 {
				cancel() // the responses are written in the transaction; their tallies are not
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	batch := []NewResponse{
		newResponse(t, def, w.ID, teams["digital"].ID, "one", answersA),
		newResponse(t, def, w.ID, teams["digital"].ID, "two", answersA),
	}
	for i, o := range s.SaveBatch(ctx, batch) {
		if o.Err == nil || o.Created {
			t.Errorf("outcome %d: created = %v, err = %v; want the transaction's error", i, o.Created, o.Err)
		}
	}
	if n, err := s.CountResponses(context.Background(), w.ID); err != nil || n != 0 || responseRows(t, s, w.ID) != 0 {
		t.Errorf("CountResponses = %d, %v, %d rows; want 0: a response the commit did not keep", n, err, responseRows(t, s, w.ID))
	}
}

// TestThresholdBoundsInTheDatabase, as someone going round the store: a wave written straight to
// the database with a threshold under 3 (or over 100), or changed to one, is refused by the
// database itself; the bounds are accepted.
func TestThresholdBoundsInTheDatabase(t *testing.T) {
	s := openTestStore(t)
	def := smallDefinition(t)
	w := createWave(t, s, def, "2026-spring", ModeOpen)
	for _, k := range []int{-1, 0, 1, 2, 101} {
		row := Wave{Key: fmt.Sprint("raw-", k), SurveyID: def.ID, DefinitionVersion: def.Version, Title: "Raw",
			Mode: ModeOpen, Threshold: k, CreatedAt: time.Now()}
		if err := s.write.Omit("Definition").Create(&row).Error; err == nil {
			t.Errorf("a wave inserted with threshold %d was stored", k)
		}
		if err := s.write.Exec("UPDATE waves SET threshold = ? WHERE id = ?", k, w.ID).Error; err == nil {
			t.Errorf("a wave's threshold was changed to %d", k)
		}
	}
	for _, k := range []int{MinThreshold, MaxThreshold} {
		if err := s.write.Exec("UPDATE waves SET threshold = ? WHERE id = ?", k, w.ID).Error; err != nil {
			t.Errorf("threshold %d refused: %v", k, err)
		}
	}
	if err := s.write.Exec("UPDATE waves SET title = 'Renamed' WHERE id = ?", w.ID).Error; err != nil {
		t.Errorf("a change of another column refused: %v", err)
	}
}

// TestVerifiedRespondentsHoldTwoColumns: who has answered a verified wave is its keyed hash and
// the wave, and nothing more: no time, no response id, no index but the hash's.
func TestVerifiedRespondentsHoldTwoColumns(t *testing.T) {
	s := openTestStore(t)
	var cols []string
	if err := s.read.Raw("SELECT name FROM pragma_table_info('verified_respondents') ORDER BY cid").Scan(&cols).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cols, []string{"person", "wave_id"}) {
		t.Errorf("verified_respondents has columns %v, want person and wave_id only", cols)
	}
	var indexes []string
	if err := s.read.Raw("SELECT name FROM pragma_index_list('verified_respondents')").Scan(&indexes).Error; err != nil {
		t.Fatal(err)
	}
	if len(indexes) != 1 {
		t.Errorf("verified_respondents has indexes %v, want only its primary key's", indexes)
	}
}
