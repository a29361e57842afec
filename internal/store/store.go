// Package store keeps waves, teams, definition versions and responses, over GORM: SQLite by default,
// PostgreSQL for a postgres:// URL (postgres.go), with the same SQL on both.
package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Errors callers test for.
var (
	ErrNotFound = errors.New("not found")
	// ErrConflict is a change the current state forbids, such as a second wave with the same key.
	ErrConflict = errors.New("conflict")
	// ErrLimit is a change that would keep more waves, teams, users or tokens than a service keeps
	// (MaxWaves and the like). It wraps ErrConflict, so a caller that knows only conflicts refuses it too.
	ErrLimit = fmt.Errorf("%w: limit reached", ErrConflict)
)

// Store is the service's storage. It is safe for concurrent use.
type Store struct {
	// write has one connection on SQLite: it allows one writer at a time, and queueing writers in
	// Go is cheaper and fairer than letting them spin on the database lock. On PostgreSQL it has a
	// few (postgresWriters).
	write *gorm.DB
	// read serves queries from several connections; WAL lets them run beside the writer. It
	// cannot write, on either database.
	read *gorm.DB
	// checkpoints copies the write-ahead log into the database file beside the writer (SQLite
	// only; nil on PostgreSQL).
	checkpoints *checkpointer
	now         func() time.Time
	limits      limits
	// reassess works stored responses out again, for the migrations that need it (WithReassess).
	reassess Reassess
	// health remembers whether the last write found storage full or read-only (faults.go).
	health writeHealth
}

// Option changes how a store is opened.
type Option func(*Store)

// WithClock sets the clock, for tests.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// readers is how many connections serve queries.
const readers = 4

// statementCache is how many prepared statements each connection keeps.
const statementCache = 64

// The page cache of each connection, in KiB. SQLite's default, 2 MiB, stops holding the upper pages
// of the responses' two B-trees (by random id, and by wave and submission) somewhere past a few
// hundred thousand responses; then every insert and every retry check reads them again, and the
// write rate falls with the size of the database. 32 MiB holds them for several million responses
// (they take about 5 MiB at one million).
// Readers read tallies and small tables, so 8 MiB each is plenty. Pages are allocated as used, so
// a small database costs no more.
const (
	writerCacheKiB = 32 * 1024
	readerCacheKiB = 8 * 1024
)

// Open opens the database at url and migrates its schema: a PostgreSQL database for a postgres://
// or postgresql:// URL, else a SQLite file path (created if needed).
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	postgres := isPostgres(url)
	if !postgres && (url == "" || strings.ContainsAny(url, "?#")) {
		return nil, fmt.Errorf("database path %q: give a file path without ? or #", url)
	}
	s := &Store{now: time.Now, limits: limits{waves: MaxWaves, teams: MaxTeams, users: MaxUsers, tokens: MaxTokens}}
	for _, o := range opts {
		o(s)
	}
	if postgres {
		if err := s.openPostgres(ctx, url); err != nil {
			s.Close()
			return nil, err
		}
		return s, nil
	}
	var err error
	if s.write, err = openSQLite(url, false, 1); err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.read, err = openSQLite(url, true, readers); err != nil {
		s.Close()
		return nil, err
	}
	// The writer's one connection lives as long as the store, so this holds for its life.
	if err := s.write.Exec("PRAGMA wal_autocheckpoint = " + strconv.Itoa(writerCheckpointPages)).Error; err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", url, err)
	}
	if s.checkpoints, err = startCheckpoints(sqliteDSN(url), checkpointEvery); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", url, err)
	}
	return s, nil
}

// openSQLite opens one pool. Every setting is deliberate:
//   - WAL: readers do not block the writer nor it them, and commits cost one fsync.
//   - synchronous=FULL: a response acknowledged to a respondent survives a power cut.
//   - busy_timeout: a connection waits for a lock instead of failing with "database is locked".
//   - foreign_keys: SQLite leaves them off unless asked, per connection.
//   - _txlock=immediate: a write transaction takes the write lock at BEGIN; a deferred one that
//     upgrades later fails at once with SQLITE_BUSY instead of waiting.
//   - query_only on the readers: a bug cannot write through them.
//   - cache_size: see writerCacheKiB and readerCacheKiB.
//   - checkpoints beside the writer, not in it: see checkpoint.go.
//   - _stmt_cache_size: each connection keeps its last statementCache statements prepared (a
//     submission runs the same few; preparing them again cost the writer about a tenth of its
//     time). The driver keeps them per connection; GORM's own PrepareStmt shares one cache
//     between the writer's transactions and the writes outside them, where one can wait on a
//     statement another is preparing for the one connection the first holds.
//   - no memory-mapped I/O (SQLite's default here, checked by a test): mapped pages of a database
//     of several gigabytes would count as the service's memory, and a read error in a mapping
//     (a disk gone bad or full) kills the process with SIGBUS instead of failing one request.
func openSQLite(path string, readOnly bool, conns int) (*gorm.DB, error) {
	dsn := sqliteDSN(path) + "&_stmt_cache_size=" + strconv.Itoa(statementCache)
	if readOnly {
		dsn += "&_query_only=true&_cache_size=-" + strconv.Itoa(readerCacheKiB)
	} else {
		dsn += "&_cache_size=-" + strconv.Itoa(writerCacheKiB)
	}
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{
		// Silent: the SQL logger would print parameters, and parameters hold answers.
		Logger:         logger.Default.LogMode(logger.Silent),
		TranslateError: true,
		NowFunc:        func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(conns)
	sqlDB.SetMaxIdleConns(conns)
	sqlDB.SetConnMaxIdleTime(0)
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// sqliteDSN is the connection string every connection shares (see openSQLite).
func sqliteDSN(path string) string {
	return "file:" + path + "?_journal_mode=WAL&_synchronous=FULL&_busy_timeout=10000&_foreign_keys=on&_txlock=immediate"
}

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.checkpoints != nil {
		errs = append(errs, s.checkpoints.close())
	}
	for _, db := range []*gorm.DB{s.read, s.write} {
		if db == nil {
			continue
		}
		if sqlDB, err := db.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers, for readiness probes.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.read.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// notFound turns GORM's record-not-found into ErrNotFound with context.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf(format+": %w", append(args, ErrNotFound)...)
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
