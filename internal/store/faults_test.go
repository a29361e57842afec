package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// faultSetup opens a store on a new SQLite file with its faults at hand, with a wave open.
func faultSetup(t *testing.T) (*Store, *Faults, Wave, uint, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "skillsurvey.db")
	faults := &Faults{}
	s, err := Open(context.Background(), path, WithReassess(reassessForTests), WithClock(newClock().Now), WithFaults(faults))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	teams := importDepartment(t, s)
	createWave(t, s, smallDefinition(t), "2026-spring", ModeOpen)
	w, err := s.OpenWave(context.Background(), "2026-spring")
	if err != nil {
		t.Fatal(err)
	}
	return s, faults, w, teams["digital"].ID, path
}

// wantFault checks that err is ErrUnavailable for the fault want.
func wantFault(t *testing.T, what string, err error, want Fault) {
	t.Helper()
	got, ok := Unavailable(err)
	if !errors.Is(err, ErrUnavailable) || !ok || got != want {
		t.Errorf("%s: err = %v (fault %q, %v); want ErrUnavailable for %q", what, err, got, ok, want)
	}
}

// wantStored checks that the wave holds n responses, in its rows and in its tallies alike: a failed
// write leaves no part of a response behind.
func wantStored(t *testing.T, s *Store, w Wave, n int64) {
	t.Helper()
	counted, err := s.CountResponses(context.Background(), w.ID)
	if err != nil || counted != n || responseRows(t, s, w.ID) != n {
		t.Errorf("CountResponses = %d (%v), %d rows; want %d of each", counted, err, responseRows(t, s, w.ID), n)
	}
}

// TestFullStorageIsUnavailable fills the database to its size limit: the batch that finds no room
// fails whole with ErrUnavailable (full), leaves nothing behind, makes the store not ready, and
// once there is room again the same responses are stored and the store is ready.
func TestFullStorageIsUnavailable(t *testing.T) {
	ctx := context.Background()
	s, faults, w, team, _ := faultSetup(t)
	def := smallDefinition(t)
	if err := faults.Full(ctx, true); err != nil {
		t.Fatal(err)
	}
	var stored int64
	var failed []NewResponse
	for i := 0; i < 400 && failed == nil; i++ {
		batch := make([]NewResponse, 20)
		for j := range batch {
			batch[j] = newResponse(t, def, w.ID, team, fmt.Sprintf("r-%d-%d", i, j), answersA)
		}
		for j, o := range s.SaveBatch(ctx, batch) {
			switch {
			case o.Err == nil && o.Created:
				stored++
			case o.Err != nil:
				wantFault(t, "a response of the batch that found the disk full", o.Err, FaultFull)
				failed = append(failed, batch[j])
			}
		}
	}
	if failed == nil {
		t.Fatal("8,000 responses fit under a database that may not grow")
	}
	if len(failed) != 20 { // the batch that found no room fails whole: none of it acknowledged
		t.Errorf("%d of the batch that found the disk full failed, want all 20", len(failed))
	}
	wantStored(t, s, w, stored)
	wantFault(t, "Ready after the disk filled", s.Ready(ctx), FaultFull)

	if err := faults.Full(ctx, false); err != nil {
		t.Fatal(err)
	}
	for _, o := range s.SaveBatch(ctx, failed) {
		if o.Err != nil || !o.Created {
			t.Fatalf("after room was made: created = %v, err = %v; want stored", o.Created, o.Err)
		}
	}
	wantStored(t, s, w, stored+int64(len(failed)))
	if err := s.Ready(ctx); err != nil {
		t.Errorf("Ready after a write succeeded: %v", err)
	}
}

// TestReadOnlyStorageIsUnavailable makes the writer read-only: writes fail with ErrUnavailable
// (read-only), the store is not ready, its readiness probe finds it still read-only, and, once it
// is writable, the next probe finds it ready with no submission needed.
func TestReadOnlyStorageIsUnavailable(t *testing.T) {
	ctx := context.Background()
	s, faults, w, team, _ := faultSetup(t)
	def := smallDefinition(t)
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready at first: %v", err)
	}
	if err := faults.ReadOnly(ctx, true); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.SaveResponse(ctx, newResponse(t, def, w.ID, team, "read-only", answersA))
	wantFault(t, "a response to a read-only database", err, FaultReadOnly)
	wantStored(t, s, w, 0)
	wantFault(t, "Ready, read-only", s.Ready(ctx), FaultReadOnly)
	faults.ProbeNow()
	wantFault(t, "Ready's probe, read-only", s.Ready(ctx), FaultReadOnly)

	if err := faults.ReadOnly(ctx, false); err != nil {
		t.Fatal(err)
	}
	wantFault(t, "Ready before its next probe is due", s.Ready(ctx), FaultReadOnly)
	faults.ProbeNow()
	if err := s.Ready(ctx); err != nil {
		t.Errorf("Ready whose probe found the database writable: %v", err)
	}
	if err := s.Ready(ctx); err != nil {
		t.Errorf("Ready again: %v", err)
	}
	if _, created, err := s.SaveResponse(ctx, newResponse(t, def, w.ID, team, "read-only", answersA)); err != nil || !created {
		t.Errorf("writable again: created = %v, err = %v", created, err)
	}
}

// TestLockHeldElsewhere holds the write lock from another connection past the writer's busy
// timeout: the write fails with ErrUnavailable (busy), soon, and readiness stays: the lock passes.
func TestLockHeldElsewhere(t *testing.T) {
	ctx := context.Background()
	s, faults, w, team, path := faultSetup(t)
	def := smallDefinition(t)
	if err := faults.BusyTimeout(ctx, 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, _, err = s.SaveResponse(ctx, newResponse(t, def, w.ID, team, "locked-out", answersA))
	wantFault(t, "a response while another process holds the lock", err, FaultBusy)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the write failed after %v, want about the busy timeout", took)
	}
	if err := s.Ready(ctx); err != nil {
		t.Errorf("Ready while a lock is held elsewhere: %v", err)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if _, created, err := s.SaveResponse(ctx, newResponse(t, def, w.ID, team, "locked-out", answersA)); err != nil || !created {
		t.Errorf("after the lock was released: created = %v, err = %v", created, err)
	}
	wantStored(t, s, w, 1)
}

// TestUnavailableKnowsNothingElse: errors that are not storage faults are not taken for them.
func TestUnavailableKnowsNothingElse(t *testing.T) {
	for _, err := range []error{nil, ErrNotFound, ErrConflict, context.DeadlineExceeded, errors.New("database is locked")} {
		if f, ok := Unavailable(err); ok {
			t.Errorf("Unavailable(%v) = %q, true", err, f)
		}
	}
}
