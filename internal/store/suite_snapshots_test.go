package store

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

func testSnapshots(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	w := createWave(t, s, smallDefinition(t), "2026-spring", ModeOpen)
	if _, err := s.Snapshot(ctx, w.ID, ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("snapshot before any: err = %v, want ErrNotFound", err)
	}
	first := ReportSnapshot{WaveID: w.ID, Breakdown: "", Responses: 12, Data: []byte{1, 2, 3}, RefreshedOn: "2026-03-10"}
	byRole := ReportSnapshot{WaveID: w.ID, Breakdown: "role-type", Responses: 12, Data: []byte{9}, RefreshedOn: "2026-03-10"}
	for _, snap := range []ReportSnapshot{first, byRole} {
		if err := s.SaveSnapshot(ctx, snap); err != nil {
			t.Fatal(err)
		}
	}
	second := ReportSnapshot{WaveID: w.ID, Breakdown: "", Responses: 20, Data: []byte{4, 5}, RefreshedOn: "2026-03-11"}
	if err := s.SaveSnapshot(ctx, second); err != nil {
		t.Fatalf("replacing a snapshot: %v", err)
	}
	for _, want := range []ReportSnapshot{second, byRole} {
		got, err := s.Snapshot(ctx, w.ID, want.Breakdown)
		if err != nil {
			t.Fatal(err)
		}
		if got.Responses != want.Responses || !bytes.Equal(got.Data, want.Data) || got.RefreshedOn != want.RefreshedOn {
			t.Errorf("snapshot %q = %d %v %s, want %d %v %s", want.Breakdown, got.Responses, got.Data, got.RefreshedOn,
				want.Responses, want.Data, want.RefreshedOn)
		}
	}
	if err := s.SaveSnapshot(ctx, ReportSnapshot{WaveID: w.ID + 100, Data: []byte{1}, RefreshedOn: "2026-03-10"}); err == nil {
		t.Error("a snapshot of a wave that does not exist was stored")
	}
}
