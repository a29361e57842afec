package store

import (
	"context"
	"fmt"
	neturl "net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/migrator"
	"gorm.io/gorm/schema"
)

// Redact is a database URL fit to print: a PostgreSQL URL without its password (a SQLite path as
// it is).
func Redact(database string) string {
	if !isPostgres(database) {
		return database
	}
	u, err := neturl.Parse(database)
	if err != nil {
		return "postgres://(a URL that does not parse)"
	}
	return u.Redacted()
}

// alone runs fn in a write transaction that no other such transaction, of this instance or another,
// runs beside, as every write transaction is alone on SQLite, whose one writer takes the database's
// lock at BEGIN (_txlock=immediate). PostgreSQL runs transactions side by side (at READ COMMITTED),
// so there it takes a transaction-scoped advisory lock first: the changes that read, check, then
// write (a limit, a team import, a wave opened or closed once, a sign-in flow taken once, a token
// revoked once) see no other such change between their check and their write. Submissions do not
// go through it: their unique keys, upserts and conditional updates keep them right side by side,
// and they are the load.
func (s *Store) alone(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", writeLock).Error; err != nil {
				return fmt.Errorf("wait for other changes: %w", err)
			}
		}
		return fn(tx)
	})
}

// writeLock is the PostgreSQL advisory lock key of the changes made alone (see alone), apart from
// migrationLock.
const writeLock int64 = migrationLock + 1

// isPostgres says whether a database URL names a PostgreSQL server rather than a SQLite file.
func isPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// PostgreSQL pool sizes. Writers there run in parallel, within one instance and across
// instances, so the writer pool has several connections; the submission writer still takes one
// at a time, and the rest serve account, wave and snapshot writes beside it.
const (
	postgresWriters = 4
	postgresReaders = readers
)

// lockTimeout is how long a statement waits for a row or table lock held by another transaction
// before failing, as busy_timeout bounds the wait on SQLite.
const lockTimeout = 10 * time.Second

// openPostgres opens the writer and reader pools on the PostgreSQL database at url, migrating
// between the two, as Open does on SQLite.
func (s *Store) openPostgres(ctx context.Context, url string) error {
	var err error
	if s.write, err = openPostgresPool(url, false, postgresWriters); err != nil {
		return err
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	s.read, err = openPostgresPool(url, true, postgresReaders)
	return err
}

// openPostgresPool opens one pool. Its settings, each on purpose:
//   - lock_timeout: a statement waits for a lock at most as long as SQLite's busy timeout.
//   - default_transaction_read_only on the readers: a bug cannot write through them.
//   - timestamps read back in UTC, as written, so a time compares equal after a round trip.
//   - scores as double precision (see pgDialector).
func openPostgresPool(url string, readOnly bool, conns int) (*gorm.DB, error) {
	config, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err) // the error names no password
	}
	config.RuntimeParams["lock_timeout"] = fmt.Sprint(lockTimeout.Milliseconds())
	config.RuntimeParams["timezone"] = "UTC"
	if readOnly {
		config.RuntimeParams["default_transaction_read_only"] = "on"
	}
	sqlDB := stdlib.OpenDB(*config, stdlib.OptionAfterConnect(func(_ context.Context, conn *pgx.Conn) error {
		conn.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	}))
	sqlDB.SetMaxOpenConns(conns)
	sqlDB.SetMaxIdleConns(conns)
	db, err := gorm.Open(pgDialector{postgres.New(postgres.Config{Conn: sqlDB}).(*postgres.Dialector)}, &gorm.Config{
		// Silent: the SQL logger would print parameters, and parameters hold answers.
		Logger:         logger.Default.LogMode(logger.Silent),
		TranslateError: true,
		NowFunc:        func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", redacted(config), err)
	}
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", redacted(config), err)
	}
	return db, nil
}

// redacted names a database without its password.
func redacted(c *pgx.ConnConfig) string {
	return fmt.Sprintf("postgres://%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// pgDialector is GORM's PostgreSQL dialect with two changes, so both databases store and order
// the same values the same way:
//   - a float64 without a stated precision is a double precision column, as SQLite's REAL is,
//     where GORM would make it decimal (numeric). Scores are tally keys (ScoreTally.Score):
//     numeric would hold and compare them as decimals rather than the float64 values Go
//     computed, and cost more to sum.
//   - text columns compare and sort byte by byte (COLLATE "C"), as SQLite's BINARY does and Go's
//     strings do, whatever the database's locale: a list ordered by key or email comes out in
//     the same order on both, and the order never moves with an operating system's locale data.
type pgDialector struct{ *postgres.Dialector }

// DataTypeOf maps plain floats to double precision and gives text columns the C collation, and
// leaves the rest to GORM's dialect.
func (d pgDialector) DataTypeOf(field *schema.Field) string {
	switch {
	case field.DataType == schema.Float && field.Precision == 0:
		return "double precision"
	case field.DataType == schema.String:
		return d.Dialector.DataTypeOf(field) + ` COLLATE "C"`
	}
	return d.Dialector.DataTypeOf(field)
}

// Migrator is GORM's PostgreSQL migrator over this dialect, so tables get its column types.
func (d pgDialector) Migrator(db *gorm.DB) gorm.Migrator {
	return postgres.Migrator{Migrator: migrator.Migrator{Config: migrator.Config{
		DB: db, Dialector: d, CreateIndexAfterCreateTable: true,
	}}}
}
