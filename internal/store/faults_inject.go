package store

import (
	"context"
	"strconv"
	"time"
)

// Faults puts the store's writer into the states a disk or a file can be in, for tests of what the
// service answers then. The errors that follow are SQLite's own, from its one writer connection:
// nothing is simulated above the driver.
type Faults struct{ s *Store }

// WithFaults binds f to the store being opened, for tests.
func WithFaults(f *Faults) Option { return func(s *Store) { f.s = s } }

// maxPages is SQLite's own largest max_page_count, its default.
const maxPages = 4294967294

// Full lets the database file grow no more (PRAGMA max_page_count at its current size): a write
// that needs a new page fails with SQLITE_FULL, as on a full disk. Off, it may grow again.
func (f *Faults) Full(ctx context.Context, on bool) error {
	pages := maxPages
	if on {
		pages = 1 // SQLite raises it to the pages the file has
	}
	return f.exec(ctx, "PRAGMA max_page_count = "+strconv.Itoa(pages))
}

// ReadOnly makes the writer refuse to write (PRAGMA query_only), as on a read-only file: writes fail
// with SQLITE_READONLY.
func (f *Faults) ReadOnly(ctx context.Context, on bool) error {
	return f.exec(ctx, "PRAGMA query_only = "+strconv.FormatBool(on))
}

// BusyTimeout sets how long the writer waits for a lock held elsewhere (10 s normally), so a test
// of a lock held past it need not wait that long.
func (f *Faults) BusyTimeout(ctx context.Context, d time.Duration) error {
	return f.exec(ctx, "PRAGMA busy_timeout = "+strconv.FormatInt(d.Milliseconds(), 10))
}

// ProbeNow lets the next readiness check probe a write at once, rather than after probeEvery.
func (f *Faults) ProbeNow() {
	f.s.health.mu.Lock()
	defer f.s.health.mu.Unlock()
	f.s.health.probed = time.Time{}
}

// exec runs a statement on the writer's one connection.
func (f *Faults) exec(ctx context.Context, statement string) error {
	return f.s.write.WithContext(ctx).Exec(statement).Error
}
