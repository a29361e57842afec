package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func testCreateWave(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t, WithClock(newClock().Now))
	def := smallDefinition(t)
	opens, closes := t0.Add(24*time.Hour), t0.Add(15*24*time.Hour)
	w, err := s.CreateWave(ctx, def, NewWave{Key: "2026-spring", Title: "Spring 2026", Mode: ModeInvite,
		Threshold: 7, OpensAt: &opens, ClosesAt: &closes})
	if err != nil {
		t.Fatalf("CreateWave: %v", err)
	}
	if w.ID == 0 {
		t.Error("CreateWave returned no id")
	}
	got, err := s.Wave(ctx, "2026-spring")
	if err != nil {
		t.Fatalf("Wave: %v", err)
	}
	if got.ID != w.ID || got.Key != "2026-spring" || got.Title != "Spring 2026" || got.Mode != ModeInvite ||
		got.Threshold != 7 || got.SurveyID != def.ID || got.DefinitionVersion != def.Version {
		t.Errorf("Wave = %+v, want what was created: %+v", got, w)
	}
	if got.OpensAt == nil || !got.OpensAt.Equal(opens) || got.ClosesAt == nil || !got.ClosesAt.Equal(closes) {
		t.Errorf("Wave times = %v, %v; want %v, %v", got.OpensAt, got.ClosesAt, opens, closes)
	}
	if !got.CreatedAt.Equal(t0) {
		t.Errorf("CreatedAt = %v, want the clock's %v", got.CreatedAt, t0)
	}

	// A second wave of the same definition reuses the stored version: the version is the
	// primary key, so storing it twice would fail the second CreateWave.
	if _, err := s.CreateWave(ctx, def, NewWave{Key: "2026-autumn", Title: "Autumn 2026", Mode: ModeOpen, Threshold: 5}); err != nil {
		t.Fatalf("second wave of the same definition: %v", err)
	}
	if err := s.SaveDefinition(ctx, def); err != nil {
		t.Fatalf("SaveDefinition of a stored version: %v", err)
	}
	src, err := s.DefinitionSource(ctx, def.Version)
	if err != nil {
		t.Fatalf("DefinitionSource: %v", err)
	}
	file, err := os.ReadFile("../survey/testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, file) {
		t.Errorf("DefinitionSource returned %d bytes that differ from the file's %d", len(src), len(file))
	}
	if _, err := s.DefinitionSource(ctx, "no-such-version"); !errors.Is(err, ErrNotFound) {
		t.Errorf("DefinitionSource of an unknown version: err = %v, want ErrNotFound", err)
	}

	// The last guard under package waves: whoever calls, no wave shows figures of fewer than 3.
	t.Run("a threshold below 3 is refused", func(t *testing.T) {
		for _, k := range []int{-1, 0, 1, 2} {
			key := fmt.Sprintf("small-%d", k+1)
			if _, err := s.CreateWave(ctx, def, NewWave{Key: key, Title: "Small", Mode: ModeOpen, Threshold: k}); err == nil {
				t.Errorf("CreateWave with threshold %d: no error", k)
			}
			if _, err := s.Wave(ctx, key); !errors.Is(err, ErrNotFound) {
				t.Errorf("threshold %d: the refused wave was stored (err = %v)", k, err)
			}
		}
		if _, err := s.CreateWave(ctx, def, NewWave{Key: "smallest", Title: "Smallest", Mode: ModeOpen, Threshold: MinThreshold}); err != nil {
			t.Errorf("CreateWave with threshold %d: %v", MinThreshold, err)
		}
	})
	t.Run("a threshold above 100 is refused", func(t *testing.T) {
		for _, k := range []int{101, 1000, int(^uint(0) >> 1)} {
			key := fmt.Sprintf("large-%d", k)
			_, err := s.CreateWave(ctx, def, NewWave{Key: key, Title: "Large", Mode: ModeOpen, Threshold: k})
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("threshold %d is above 100", k)) {
				t.Errorf("CreateWave with threshold %d: err = %v, want it refused as above 100", k, err)
			}
			if _, err := s.Wave(ctx, key); !errors.Is(err, ErrNotFound) {
				t.Errorf("threshold %d: the refused wave was stored (err = %v)", k, err)
			}
		}
		if _, err := s.CreateWave(ctx, def, NewWave{Key: "largest", Title: "Largest", Mode: ModeOpen, Threshold: MaxThreshold}); err != nil {
			t.Errorf("CreateWave with threshold %d: %v", MaxThreshold, err)
		}
	})
}

func testDuplicateWave(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	def := smallDefinition(t)
	first := createWave(t, s, def, "2026-spring", ModeOpen)
	_, err := s.CreateWave(ctx, def, NewWave{Key: "2026-spring", Title: "Again", Mode: ModeInvite, Threshold: 9})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("CreateWave with a used key: err = %v, want ErrConflict", err)
	}
	got, err := s.Wave(ctx, "2026-spring")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != first.Title || got.Mode != ModeOpen || got.Threshold != 5 {
		t.Errorf("the refused wave changed the first: %+v", got)
	}
}

func testUnknownWave(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	if _, err := s.Wave(ctx, "no-such-wave"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Wave: err = %v, want ErrNotFound", err)
	}
	if _, err := s.OpenWave(ctx, "no-such-wave"); !errors.Is(err, ErrNotFound) {
		t.Errorf("OpenWave: err = %v, want ErrNotFound", err)
	}
	if _, err := s.CloseWave(ctx, "no-such-wave"); !errors.Is(err, ErrNotFound) {
		t.Errorf("CloseWave: err = %v, want ErrNotFound", err)
	}
	ws, err := s.Waves(ctx)
	if err != nil || len(ws) != 0 {
		t.Errorf("Waves of an empty store = %v, %v; want none", ws, err)
	}
}

func testWaveState(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	def := smallDefinition(t)
	opens, closes := t0.Add(24*time.Hour), t0.Add(48*time.Hour)
	waves := map[string]NewWave{
		"both":        {OpensAt: &opens, ClosesAt: &closes},
		"no-times":    {},
		"opens-only":  {OpensAt: &opens},
		"closes-only": {ClosesAt: &closes},
	}
	for key, nw := range waves {
		nw.Key, nw.Title, nw.Mode, nw.Threshold = key, key, ModeOpen, 5
		if _, err := s.CreateWave(ctx, def, nw); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		wave string
		at   time.Time
		want string
	}{
		{"both", opens.Add(-time.Second), StateScheduled},
		{"both", opens, StateOpen},
		{"both", opens.Add(time.Second), StateOpen},
		{"both", closes.Add(-time.Nanosecond), StateOpen},
		{"both", closes, StateClosed},
		{"both", closes.Add(time.Hour), StateClosed},
		{"no-times", closes.Add(time.Hour), StateScheduled},
		{"opens-only", opens.Add(-time.Second), StateScheduled},
		{"opens-only", opens.Add(1000 * time.Hour), StateOpen},
		{"closes-only", opens, StateScheduled},
		{"closes-only", closes, StateClosed},
	}
	for _, tt := range tests {
		// Read back, so the times are checked as stored, not as given.
		w, err := s.Wave(ctx, tt.wave)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.State(tt.at); got != tt.want {
			t.Errorf("%s.State(%v) = %s, want %s", tt.wave, tt.at, got, tt.want)
		}
		// The same instant in another zone is the same state.
		if got := w.State(tt.at.In(time.FixedZone("BST", 3600))); got != tt.want {
			t.Errorf("%s.State(%v in BST) = %s, want %s", tt.wave, tt.at, got, tt.want)
		}
	}
}

func testOpenCloseWave(t *testing.T, open opener) {
	ctx := context.Background()
	clock := newClock()
	s := open(t, WithClock(clock.Now))
	createWave(t, s, smallDefinition(t), "2026-spring", ModeOpen)

	openedAt := t0.Add(time.Hour)
	clock.Set(openedAt)
	w, err := s.OpenWave(ctx, "2026-spring")
	if err != nil {
		t.Fatalf("OpenWave on a scheduled wave: %v", err)
	}
	if w.OpensAt == nil || !w.OpensAt.Equal(openedAt) || w.State(openedAt) != StateOpen {
		t.Errorf("after OpenWave: OpensAt %v, state %s; want %v, open", w.OpensAt, w.State(openedAt), openedAt)
	}
	clock.Set(openedAt.Add(time.Minute))
	if _, err := s.OpenWave(ctx, "2026-spring"); !errors.Is(err, ErrConflict) {
		t.Errorf("OpenWave on an open wave: err = %v, want ErrConflict", err)
	}

	closedAt := openedAt.Add(14 * 24 * time.Hour)
	clock.Set(closedAt)
	w, err = s.CloseWave(ctx, "2026-spring")
	if err != nil {
		t.Fatalf("CloseWave on an open wave: %v", err)
	}
	if w.ClosesAt == nil || !w.ClosesAt.Equal(closedAt) || w.State(closedAt) != StateClosed {
		t.Errorf("after CloseWave: ClosesAt %v, state %s; want %v, closed", w.ClosesAt, w.State(closedAt), closedAt)
	}
	stored, err := s.Wave(ctx, "2026-spring")
	if err != nil {
		t.Fatal(err)
	}
	if stored.OpensAt == nil || !stored.OpensAt.Equal(openedAt) || stored.ClosesAt == nil || !stored.ClosesAt.Equal(closedAt) {
		t.Errorf("stored times = %v, %v; want %v, %v", stored.OpensAt, stored.ClosesAt, openedAt, closedAt)
	}
}

func testWaveOutOfTurn(t *testing.T, open opener) {
	ctx := context.Background()
	clock := newClock()
	s := open(t, WithClock(clock.Now))
	def := smallDefinition(t)
	createWave(t, s, def, "scheduled", ModeOpen)
	if _, err := s.CloseWave(ctx, "scheduled"); !errors.Is(err, ErrConflict) {
		t.Errorf("CloseWave on a scheduled wave: err = %v, want ErrConflict", err)
	}
	if w, _ := s.Wave(ctx, "scheduled"); w.ClosesAt != nil || w.OpensAt != nil {
		t.Errorf("a refused CloseWave changed the wave: %+v", w)
	}

	createWave(t, s, def, "done", ModeOpen)
	if _, err := s.OpenWave(ctx, "done"); err != nil {
		t.Fatal(err)
	}
	clock.Set(t0.Add(time.Hour))
	if _, err := s.CloseWave(ctx, "done"); err != nil {
		t.Fatal(err)
	}
	clock.Set(t0.Add(2 * time.Hour))
	if _, err := s.OpenWave(ctx, "done"); !errors.Is(err, ErrConflict) {
		t.Errorf("OpenWave on a closed wave: err = %v, want ErrConflict", err)
	}
	if _, err := s.CloseWave(ctx, "done"); !errors.Is(err, ErrConflict) {
		t.Errorf("CloseWave on a closed wave: err = %v, want ErrConflict", err)
	}
	if w, _ := s.Wave(ctx, "done"); w.State(clock.Now()) != StateClosed || !w.ClosesAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("the closed wave changed: %+v", w)
	}
}

func testWavesNewestFirst(t *testing.T, open opener) {
	ctx := context.Background()
	clock := newClock()
	s := open(t, WithClock(clock.Now))
	def := smallDefinition(t)
	for i, key := range []string{"2024-spring", "2025-spring", "2026-spring"} {
		clock.Set(t0.Add(time.Duration(i) * 24 * time.Hour))
		createWave(t, s, def, key, ModeOpen)
	}
	// Two waves created in the same instant: the later one first.
	createWave(t, s, def, "2026-autumn", ModeOpen)
	ws, err := s.Waves(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, w := range ws {
		keys = append(keys, w.Key)
	}
	if want := []string{"2026-autumn", "2026-spring", "2025-spring", "2024-spring"}; !slices.Equal(keys, want) {
		t.Errorf("Waves = %v, want %v", keys, want)
	}
}
