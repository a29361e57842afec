package store

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// testSnapshots: UpdateSnapshot hands the stored snapshot (nil at first) to the change, stores what
// it returns, and stores nothing when it returns nil.
func testSnapshots(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	w := createWave(t, s, smallDefinition(t), "2026-spring", ModeOpen)
	update := func(next *ReportSnapshot) *ReportSnapshot {
		t.Helper()
		var seen *ReportSnapshot
		err := s.UpdateSnapshot(ctx, w.ID, func(old *ReportSnapshot) (*ReportSnapshot, error) {
			seen = old
			return next, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return seen
	}
	if old := update(nil); old != nil {
		t.Fatalf("before any snapshot, the change saw %+v", old)
	}
	if old := update(&ReportSnapshot{Responses: 12, Data: []byte{1, 2, 3}, RefreshedOn: "2026-03-10"}); old != nil {
		t.Fatalf("a change that stored nothing left %+v", old)
	}
	old := update(&ReportSnapshot{Responses: 20, Data: []byte{4, 5}, RefreshedOn: "2026-03-11"})
	if old == nil || old.Responses != 12 || !bytes.Equal(old.Data, []byte{1, 2, 3}) || old.RefreshedOn != "2026-03-10" {
		t.Fatalf("second update saw %+v, want the first snapshot", old)
	}
	if old := update(nil); old == nil || !bytes.Equal(old.Data, []byte{4, 5}) || old.RefreshedOn != "2026-03-11" {
		t.Fatalf("third update saw %+v, want the replaced snapshot", old)
	}
	err := s.UpdateSnapshot(ctx, w.ID+100, func(*ReportSnapshot) (*ReportSnapshot, error) {
		return &ReportSnapshot{Data: []byte{1}, RefreshedOn: "2026-03-10"}, nil
	})
	if err == nil {
		t.Error("a snapshot of a wave that does not exist was stored")
	}
	testSnapshotRaces(t, s, w.ID)
}

// testSnapshotRaces: the change runs outside the write transaction (a response can be stored while
// it runs), and a change whose snapshot was replaced meanwhile runs again on the newer one, so
// neither update is lost.
func testSnapshotRaces(t *testing.T, s *Store, waveID uint) {
	ctx := context.Background()
	teams := importDepartment(t, s)
	calls := 0
	err := s.UpdateSnapshot(ctx, waveID, func(old *ReportSnapshot) (*ReportSnapshot, error) {
		calls++
		if calls == 1 {
			// Another report publishes first, and a respondent's answer is stored meanwhile: with
			// the merge inside the write transaction both would wait for it forever.
			inner := s.UpdateSnapshot(ctx, waveID, func(*ReportSnapshot) (*ReportSnapshot, error) {
				return &ReportSnapshot{Responses: 30, Data: []byte{7}, RefreshedOn: "2026-03-12"}, nil
			})
			if inner != nil {
				t.Fatal(inner)
			}
			r := newResponse(t, smallDefinition(t), waveID, teams["digital"].ID, "during-a-merge", answersA)
			if _, _, err := s.SaveResponse(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		if calls == 2 && (old == nil || !bytes.Equal(old.Data, []byte{7})) {
			t.Errorf("the second run of the change saw %+v, want the snapshot stored in between", old)
		}
		return &ReportSnapshot{Responses: old.Responses + 1, Data: append(bytes.Clone(old.Data), 8), RefreshedOn: "2026-03-13"}, nil
	})
	if err != nil || calls != 2 {
		t.Fatalf("UpdateSnapshot over a replaced snapshot: %v after %d runs of the change, want 2 runs", err, calls)
	}
	got, err := s.Snapshot(ctx, waveID)
	if err != nil || got == nil || got.Responses != 31 || !bytes.Equal(got.Data, []byte{7, 8}) {
		t.Errorf("stored snapshot %+v (%v), want both updates: 31 responses, data [7 8]", got, err)
	}
}

// TestSnapshotsBesideBatches: report snapshots written while batches of responses are written, the
// two sharing the one writer connection, all finish. (With GORM's PrepareStmt a snapshot write
// could hold GORM's statement lock while waiting for the connection a batch held, and the batch
// wait for the lock: both stood still until the report's request gave up.)
func TestSnapshotsBesideBatches(t *testing.T) {
	s := openTestStore(t)
	teams := importDepartment(t, s)
	def := smallDefinition(t)
	w := createWave(t, s, def, "2026-spring", ModeOpen)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() {
		for n := range 60 {
			batch := make([]NewResponse, 1+n%7) // batches of several sizes: statements not seen before
			for i := range batch {
				batch[i] = newResponse(t, def, w.ID, teams["digital"].ID, fmt.Sprintf("beside-%d-%d", n, i), answersA)
			}
			for _, o := range s.SaveBatch(ctx, batch) {
				if o.Err != nil {
					t.Errorf("batch %d: %v", n, o.Err)
					return
				}
			}
		}
	})
	wg.Go(func() {
		for n := range 60 {
			err := s.UpdateSnapshot(ctx, w.ID, func(*ReportSnapshot) (*ReportSnapshot, error) {
				return &ReportSnapshot{Responses: int64(n), Data: []byte{byte(n)}, RefreshedOn: "2026-03-10"}, nil
			})
			if err != nil {
				t.Errorf("snapshot %d: %v", n, err)
				return
			}
		}
	})
	wg.Wait()
}
