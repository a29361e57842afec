package bench

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	_ "github.com/mattn/go-sqlite3" // the driver the store uses, here without the store
)

// bareDSN opens SQLite as durably as the store does: WAL, and synchronous=FULL, so a commit has
// reached the disk before it returns; a busy timeout and immediate transactions, so writers wait
// for the lock instead of failing.
const bareDSN = "?_journal_mode=WAL&_synchronous=FULL&_busy_timeout=10000&_txlock=immediate"

// bareLimit measures the simplest durable way to keep a response: one JSON row per transaction,
// through database/sql, from as many clients as the service had, for as long. It is the figure
// the service is held to beating twice over, by committing many submissions in one transaction.
func bareLimit(ctx context.Context, path string, clients int, duration time.Duration, p *pool) (*tally, error) {
	db, err := sql.Open("sqlite3", "file:"+path+bareDSN)
	if err != nil {
		return nil, fmt.Errorf("bench: bare limit: %w", err)
	}
	defer db.Close()
	// One connection, as SQLite has one writer: more only take turns at the lock through the busy
	// handler's sleeps (tried with 64: about half the rate, and a p99 of seconds), so one is the
	// higher bar for the service to clear.
	db.SetMaxOpenConns(1)
	if err := bareTable(ctx, db); err != nil {
		return nil, err
	}
	t := drive(ctx, clients, time.Now().Add(duration), func(ctx context.Context) error {
		return insertOne(ctx, db, p.storedAnswers())
	})
	return t, ctx.Err()
}

// bareTable makes the table and checks that the journal is the write-ahead log asked for.
func bareTable(ctx context.Context, db *sql.DB) error {
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		return fmt.Errorf("bench: bare limit: journal mode %q (%v), want wal", mode, err)
	}
	_, err := db.ExecContext(ctx, "CREATE TABLE responses (id INTEGER PRIMARY KEY, answers TEXT NOT NULL)")
	if err != nil {
		return fmt.Errorf("bench: bare limit: %w", err)
	}
	return nil
}

// insertOne stores one response in a transaction of its own.
func insertOne(ctx context.Context, db *sql.DB, answers []byte) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bare insert: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO responses (answers) VALUES (?)", string(answers)); err != nil {
		tx.Rollback()
		return fmt.Errorf("bare insert: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bare commit: %w", err)
	}
	return nil
}
