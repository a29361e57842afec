package store

import (
	"bytes"
	"context"
	"testing"
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
}
