package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestBackupUnderLoad: a backup taken while submissions go on opens as a database of its own,
// passes the integrity check, and holds every response stored before it began (and no partial
// one). A second backup to the same name is refused, changing nothing.
func TestBackupUnderLoad(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	def := smallDefinition(t)
	if _, err := s.ImportTeams(ctx, department()); err != nil {
		t.Fatal(err)
	}
	w := createWave(t, s, def, "backup", ModeOpen)
	if _, err := s.OpenWave(ctx, w.Key); err != nil {
		t.Fatal(err)
	}
	team, err := s.Team(ctx, "digital")
	if err != nil {
		t.Fatal(err)
	}
	var stored atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r := newResponse(t, def, w.ID, team.ID, fmt.Sprintf("load-%d-%d", g, i), answersA)
				if err := s.SaveResponses(ctx, []NewResponse{r}); err != nil {
					t.Error(err)
					return
				}
				stored.Add(1)
			}
		})
	}
	for stored.Load() < 50 {
		runtime.Gosched()
	}
	before := stored.Load() // every one of these was acknowledged before the backup began
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	after := stored.Load()
	close(stop)
	wg.Wait()
	copy, err := Open(ctx, dest, WithReassess(reassessForTests))
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer copy.Close()
	n, err := copy.CountResponses(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n < before || n > after {
		t.Errorf("the backup holds %d responses; %d were stored before it began and %d by its end", n, before, after)
	}
	if stored.Load() <= after {
		t.Log("no submission after the backup: the writer may have been held up")
	}
	t.Logf("backup of %d responses taken while %d more were stored", n, stored.Load()-n)
	if err := s.Backup(ctx, dest); !errors.Is(err, ErrBackupExists) {
		t.Errorf("a second backup over the first: %v, want ErrBackupExists", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".*partial*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	if _, err := os.Stat(dest); err != nil {
		t.Fatal(err)
	}
}
