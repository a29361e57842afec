package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// ErrUnavailable is storage that cannot take a write just now: the disk is full, the database is
// read-only, the disk fails, or another process has held the write lock past the busy timeout.
// Nothing of the failed write was kept, and the same write may succeed later. Errors that wrap it
// carry a Fault saying which.
var ErrUnavailable = errors.New("storage unavailable")

// Fault is why storage cannot take a write.
type Fault string

// The faults storage reports.
const (
	FaultFull     Fault = "full"      // no room: SQLITE_FULL (the disk, or the size limit)
	FaultReadOnly Fault = "read-only" // SQLITE_READONLY: a read-only file, mount or connection
	FaultIO       Fault = "disk"      // SQLITE_IOERR: the disk failed a read, write or sync
	FaultBusy     Fault = "busy"      // SQLITE_BUSY or _LOCKED past the busy timeout: a lock held elsewhere
)

// Lasting is whether the fault stays until someone acts (space freed, a mount made writable), as
// opposed to a lock that is released on its own: readiness reports only lasting faults.
func (f Fault) Lasting() bool { return f != FaultBusy }

// faultError is a driver error that means storage is unavailable, with the fault it means.
type faultError struct {
	fault Fault
	err   error
}

func (e *faultError) Error() string {
	return fmt.Sprintf("%s (%s): %v", ErrUnavailable, e.fault, e.err)
}

func (e *faultError) Is(target error) bool { return target == ErrUnavailable }
func (e *faultError) Unwrap() error        { return e.err }

// Unavailable reports whether err means storage cannot take a write just now, and which fault:
// ErrUnavailable from this package, or a driver error anywhere in err's chain (so it also holds for
// errors of queries this package did not translate), SQLite's or PostgreSQL's.
func Unavailable(err error) (Fault, bool) {
	var fe *faultError
	if errors.As(err, &fe) {
		return fe.fault, true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return postgresFault(pe.Code)
	}
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return "", false
	}
	switch se.Code {
	case sqlite3.ErrFull:
		return FaultFull, true
	case sqlite3.ErrReadonly:
		return FaultReadOnly, true
	case sqlite3.ErrIoErr:
		return FaultIO, true
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return FaultBusy, true
	}
	return "", false
}

// postgresFault is the fault a PostgreSQL SQLSTATE means, if any. (A read-only transaction,
// 25006, is a fault only of the writers: the readers' transactions are read-only on purpose, and
// never write.)
func postgresFault(code string) (Fault, bool) {
	switch code {
	case "53100", "53200", "53400": // disk_full, out_of_memory, configuration_limit_exceeded
		return FaultFull, true
	case "25006", "57P03": // read_only_sql_transaction (a standby), cannot_connect_now
		return FaultReadOnly, true
	case "58030": // io_error
		return FaultIO, true
	case "55P03", "40P01": // lock_not_available (past lock_timeout), deadlock_detected
		return FaultBusy, true
	}
	return "", false
}

// translateFault wraps err in ErrUnavailable, with its fault, when it means storage is unavailable.
func translateFault(err error) error {
	if f, ok := Unavailable(err); ok && !errors.Is(err, ErrUnavailable) {
		return &faultError{fault: f, err: err}
	}
	return err
}

// writeHealth remembers whether the last write found storage unable to take it for a lasting fault
// (full, read-only, failing), for readiness. A lock held elsewhere is not remembered: it passes.
type writeHealth struct {
	mu     sync.Mutex
	failed error     // the last write's lasting fault; nil when it succeeded
	probed time.Time // when the fault was last seen, by a write or a probe
}

// note records a write's outcome: a lasting fault marks storage unwritable, success writable, and
// any other error (a busy lock, a rule broken) says nothing about the storage.
func (h *writeHealth) note(err error, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		h.failed = nil
		return
	}
	if f, ok := Unavailable(err); ok && f.Lasting() {
		h.failed, h.probed = translateFault(err), now
	}
}

// due returns the last lasting fault, and whether a probe is due: at most one every probeEvery,
// so a readiness check cannot hammer a failing disk.
func (h *writeHealth) due(now time.Time) (failed error, probe bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failed == nil {
		return nil, false
	}
	if now.Sub(h.probed) < probeEvery {
		return h.failed, false
	}
	h.probed = now // one probe at a time
	return h.failed, true
}

// probeEvery is how often, at most, Ready tries a write while the last one failed.
const probeEvery = 5 * time.Second

// Ready checks that the store can serve: the database answers, its schema is the one this program
// needs (no newer instance has migrated past it), and the last write did not fail for want of
// space, a read-only file or a failing disk. While it did, Ready tries a small write of its own
// (at most every few seconds), so storage that has come back is seen even when no submission
// arrives to find it; a successful submission clears the fault at once. The error wraps
// ErrUnavailable when storage cannot take writes.
func (s *Store) Ready(ctx context.Context) error {
	var version int
	err := s.read.WithContext(ctx).Model(&schemaMigration{}).Select("COALESCE(MAX(version), 0)").Scan(&version).Error
	if err != nil {
		return fmt.Errorf("read the schema version: %w", err)
	}
	if version != SchemaVersion() {
		return fmt.Errorf("the database is at schema %d, this program needs %d", version, SchemaVersion())
	}
	failed, probe := s.health.due(time.Now())
	if !probe {
		return failed
	}
	err = s.probeWrite(ctx)
	s.health.note(err, time.Now())
	if err != nil {
		return fmt.Errorf("probe a write: %w", translateFault(err))
	}
	return nil
}

// probeWrite commits a write that changes nothing a reader sees: on SQLite the header's user
// version, which this program does not use and leaves at 0 (SQLite still writes the page and syncs
// the log, as a submission's commit does); on PostgreSQL a one-row update of the migrations'
// record to what it holds, which a standby or a full disk refuses.
func (s *Store) probeWrite(ctx context.Context) error {
	if s.write.Dialector.Name() != "sqlite" {
		return s.write.WithContext(ctx).Exec("UPDATE schema_migrations SET version = version WHERE version = (SELECT MAX(version) FROM schema_migrations)").Error
	}
	return s.write.WithContext(ctx).Exec("PRAGMA user_version = 0").Error
}
