package store

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"skillsurvey/internal/store/storetest"
)

// TestTwoInstancesOnePostgres runs two stores, as two service instances would, on one PostgreSQL
// database: they start (and migrate) at once, create waves on a new definition version at once,
// and each finds what the other wrote: a retried submission's first receipt, report snapshots
// (one update wins, the other merges again over it), sessions.
func TestTwoInstancesOnePostgres(t *testing.T) {
	ctx := context.Background()
	url := storetest.FreshSchema(t)
	a, b := openTogether(t, url)

	teams := importDepartment(t, a)
	def := smallDefinition(t)
	var wg sync.WaitGroup
	var errA, errB error
	wg.Go(func() {
		_, errA = a.CreateWave(ctx, def, NewWave{Key: "wave-a", Title: "A", Mode: ModeOpen, Threshold: 5})
	})
	wg.Go(func() {
		_, errB = b.CreateWave(ctx, def, NewWave{Key: "wave-b", Title: "B", Mode: ModeOpen, Threshold: 5})
	})
	wg.Wait()
	if errA != nil || errB != nil {
		t.Fatalf("two waves on a new definition version at once: %v; %v", errA, errB)
	}
	w, err := a.OpenWave(ctx, "wave-a")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("a retry on the other instance gets its first receipt", func(t *testing.T) {
		r := newResponse(t, def, w.ID, teams["digital"].ID, "submission-1", answersA)
		first, created, err := a.SaveResponse(ctx, r)
		if err != nil || !created {
			t.Fatalf("first: created = %v, err = %v", created, err)
		}
		again, created, err := b.SaveResponse(ctx, r)
		if err != nil || created || !reflect.DeepEqual(again, first) {
			t.Errorf("retry on b: %s, created = %v, err = %v; want %s", savedString(again), created, err, savedString(first))
		}
		// The same submission sent to both at once, many times: one row, one receipt.
		r2 := newResponse(t, def, w.ID, teams["press"].ID, "submission-2", answersB)
		const n = 16
		outcomes := make([]Outcome, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			s := []*Store{a, b}[i%2]
			wg.Go(func() {
				<-start
				outcomes[i] = s.SaveBatch(ctx, []NewResponse{r2})[0]
			})
		}
		close(start)
		wg.Wait()
		created2 := 0
		for i, o := range outcomes {
			if o.Err != nil {
				t.Errorf("instance %d: %v", i%2, o.Err)
			}
			if o.Created {
				created2++
			}
			if o.Err == nil && !reflect.DeepEqual(o.Saved, wantSaved(r2)) {
				t.Errorf("instance %d: %s, want %s", i%2, savedString(o.Saved), savedString(wantSaved(r2)))
			}
		}
		if created2 != 1 || responseRows(t, a, w.ID) != 2 || countResponses(t, b, w) != 2 {
			t.Errorf("%d created, %d rows, %d counted; want 1 created, 2 of each", created2, responseRows(t, a, w.ID), countResponses(t, b, w))
		}
	})

	t.Run("the same submissions in opposite orders on both at once", func(t *testing.T) {
		// Each instance locks the rows it inserts in the order it inserts them: two batches
		// holding the same submissions in opposite orders would deadlock, and PostgreSQL would
		// fail one of them whole, unless each batch inserts in one order (by submission).
		for round := range 10 {
			var batch []NewResponse
			for i := range 8 {
				batch = append(batch, newResponse(t, def, w.ID, teams["digital"].ID, fmt.Sprintf("crossing %d %d", round, i), answersA))
			}
			reversed := slices.Clone(batch)
			slices.Reverse(reversed)
			var wg sync.WaitGroup
			var outA, outB []Outcome
			wg.Go(func() { outA = a.SaveBatch(ctx, batch) })
			wg.Go(func() { outB = b.SaveBatch(ctx, reversed) })
			wg.Wait()
			created := 0
			for _, o := range append(outA, outB...) {
				if o.Err != nil {
					t.Fatalf("round %d: %v", round, o.Err)
				}
				if o.Created {
					created++
				}
			}
			if created != len(batch) {
				t.Errorf("round %d: %d created, want %d", round, created, len(batch))
			}
		}
	})

	t.Run("report snapshots: one update wins, the other merges over it", func(t *testing.T) {
		const rounds = 10
		for range rounds {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, s := range []*Store{a, b} {
				wg.Go(func() {
					errs[i] = s.UpdateSnapshot(ctx, w.ID, func(old *ReportSnapshot) (*ReportSnapshot, error) {
						next := &ReportSnapshot{RefreshedOn: "2026-03-10", Data: []byte{'a' + byte(i)}}
						if old != nil {
							next.Data = append(slices.Clone(old.Data), next.Data...)
							next.Responses = old.Responses + 1
						}
						return next, nil
					})
				})
			}
			wg.Wait()
			if errs[0] != nil || errs[1] != nil {
				t.Fatalf("UpdateSnapshot: %v; %v", errs[0], errs[1])
			}
		}
		for _, s := range []*Store{a, b} {
			got, err := s.Snapshot(ctx, w.ID)
			if err != nil || got == nil {
				t.Fatalf("Snapshot: %+v, %v", got, err)
			}
			if bytes.Count(got.Data, []byte("a")) != rounds || bytes.Count(got.Data, []byte("b")) != rounds ||
				got.Revision != 2*rounds || got.Responses != 2*rounds-1 {
				t.Errorf("snapshot after %d rounds from both: data %q, revision %d, responses %d; want every update kept",
					rounds, got.Data, got.Revision, got.Responses)
			}
		}
	})

	t.Run("a check then a change, on both at once, happens once", func(t *testing.T) {
		for round := range 10 {
			state := sha(fmt.Sprint("state ", round))
			if err := a.SaveSignInFlow(ctx, SignInFlow{StateHash: state, Nonce: "n", Verifier: "v", CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
			key := fmt.Sprint("wave-", round)
			if _, err := a.CreateWave(ctx, def, NewWave{Key: key, Title: key, Mode: ModeOpen, Threshold: 5}); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			taken, opened := make([]error, 2), make([]error, 2)
			for i, s := range []*Store{a, b} {
				wg.Go(func() { _, taken[i] = s.TakeSignInFlow(ctx, state, t0.Add(-time.Minute)) })
				wg.Go(func() { _, opened[i] = s.OpenWave(ctx, key) })
			}
			wg.Wait()
			if (taken[0] == nil) == (taken[1] == nil) {
				t.Errorf("round %d: a sign-in flow taken on both at once: %v; %v; want it taken once", round, taken[0], taken[1])
			}
			if (opened[0] == nil) == (opened[1] == nil) {
				t.Errorf("round %d: a wave opened on both at once: %v; %v; want it opened once", round, opened[0], opened[1])
			}
		}
	})

	t.Run("a session made on one is found on the other", func(t *testing.T) {
		u := createUser(t, a, "lead@example.org", "lead", "digital")
		createSession(t, a, u.ID, "cookie", t0, t0.Add(8*time.Hour))
		got, err := b.SessionByHash(ctx, sha("cookie"))
		if err != nil || got.UserID != u.ID || got.User.Email != "lead@example.org" {
			t.Fatalf("SessionByHash on b: %+v, %v", got, err)
		}
		if err := b.DeleteSession(ctx, sha("cookie")); err != nil {
			t.Fatal(err)
		}
		if sessionExists(t, a, "cookie") {
			t.Error("a session signed out on b is still found on a")
		}
	})
}

// openTogether opens two stores on one database at once: one migrates while the other waits
// for it, then finds every step applied.
func openTogether(t *testing.T, url string) (*Store, *Store) {
	t.Helper()
	stores := make([]*Store, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(context.Background(), url, WithReassess(reassessForTests)) })
	}
	wg.Wait()
	for i, s := range stores {
		if s != nil {
			t.Cleanup(func() { s.Close() })
		}
		if errs[i] != nil {
			t.Fatalf("open instance %d: %v", i, errs[i])
		}
	}
	return stores[0], stores[1]
}

// TestMigratePostgres: an empty PostgreSQL database reaches the latest schema, every step
// recorded once, even with two instances starting at once; every step runs again over the
// tables it made without failing (as a later step does when step 1 has built its table from the
// current models); scores are double precision and text sorts byte by byte.
func TestMigratePostgres(t *testing.T) {
	url := storetest.FreshSchema(t)
	a, _ := openTogether(t, url)
	var versions []int
	if err := a.write.Raw("SELECT version FROM schema_migrations ORDER BY version").Scan(&versions).Error; err != nil {
		t.Fatal(err)
	}
	if len(versions) != SchemaVersion() || versions[len(versions)-1] != SchemaVersion() {
		t.Errorf("schema_migrations = %v, want 1 to %d once each", versions, SchemaVersion())
	}
	columns := func() []string {
		var cols []string
		err := a.write.Raw(`SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || COALESCE(collation_name, '')
			FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1`).Scan(&cols).Error
		if err != nil {
			t.Fatal(err)
		}
		return cols
	}
	before := columns()
	for _, want := range []string{"score_tallies.score double precision ", "responses.overall double precision ",
		"teams.key character varying C"} {
		if !slices.Contains(before, want) {
			t.Errorf("no column %q among:\n%v", want, before)
		}
	}
	if err := a.write.Exec("DELETE FROM schema_migrations").Error; err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(a.write, SchemaVersion()); err != nil {
		t.Fatalf("steps run again: %v", err)
	}
	if after := columns(); !slices.Equal(after, before) {
		t.Errorf("running the steps again changed the columns:\n%v\nwas\n%v", after, before)
	}
}

// TestPostgresReadPoolCannotWrite: the reader pool's transactions are read-only, as SQLite's
// readers are query_only.
func TestPostgresReadPoolCannotWrite(t *testing.T) {
	s := openPostgresTestStore(t)
	if err := s.read.Exec("DELETE FROM teams").Error; err == nil {
		t.Error("a write through the read pool succeeded")
	}
}
