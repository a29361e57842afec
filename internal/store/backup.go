package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrBackupUnsupported is Backup on a database it cannot copy itself (PostgreSQL: use pg_dump,
// see docs/operations.md).
var ErrBackupUnsupported = errors.New("this database is backed up with its own tools (PostgreSQL: pg_dump), not by the service")

// ErrBackupExists refuses to write a backup over a file that is there already.
var ErrBackupExists = errors.New("a file is there already: choose a new name, or remove it first")

// Backup writes a consistent copy of the database to dest, while submissions go on: SQLite's
// VACUUM INTO copies one read transaction's view (every response committed before it began, none
// after) into a temporary file beside dest, from a read-only connection of its own, so the writer
// never waits; the copy is checked (PRAGMA integrity_check), synced, and only then renamed to dest.
// A failure leaves no dest and no temporary file. The copy is a SQLite database that opens as
// any other: restoring is stopping the service and putting it in place of the database file.
func (s *Store) Backup(ctx context.Context, dest string) error {
	if s.write.Dialector.Name() != "sqlite" {
		return ErrBackupUnsupported
	}
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("backup %s: %w", dest, ErrBackupExists)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup %s: %w", dest, err)
	}
	src, err := s.mainFile(ctx)
	if err != nil {
		return err
	}
	// An empty file of a name of its own, beside dest (VACUUM INTO writes into an empty file).
	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".partial-*")
	if err != nil {
		return fmt.Errorf("backup %s: %w", dest, err)
	}
	tmp := f.Name()
	f.Close()
	defer os.Remove(tmp) // gone once renamed; a failed copy leaves nothing behind
	if err := vacuumInto(ctx, src, tmp); err != nil {
		return fmt.Errorf("backup %s: %w", dest, err)
	}
	if err := checkCopy(ctx, tmp); err != nil {
		return fmt.Errorf("backup %s: the copy failed its check: %w", dest, err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup %s: %w", dest, err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("backup %s: %w", dest, err)
	}
	return syncFile(filepath.Dir(dest)) // the rename itself survives a power cut
}

// mainFile is the path of the database file, as SQLite names it.
func (s *Store) mainFile(ctx context.Context) (string, error) {
	var rows []struct {
		Seq        int
		Name, File string
	}
	if err := s.read.WithContext(ctx).Raw("PRAGMA database_list").Scan(&rows).Error; err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	for _, r := range rows {
		if r.Name == "main" && r.File != "" {
			return r.File, nil
		}
	}
	return "", errors.New("backup: the database has no file (an in-memory database)")
}

// vacuumInto copies src into the new file tmp from a read-only connection of its own.
func vacuumInto(ctx context.Context, src, tmp string) error {
	db, err := sql.Open("sqlite3", "file:"+src+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", tmp)
	return err
}

// checkCopy runs SQLite's integrity check over a copy.
func checkCopy(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil {
		return err
	}
	if result != "ok" {
		return fmt.Errorf("integrity check: %s", result)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
