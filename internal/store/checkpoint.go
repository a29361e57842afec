package store

import (
	"database/sql"
	"time"
)

// The writer commits into the write-ahead log; copying the log back into the database file (a
// checkpoint) is done beside it, from a connection of its own, so that no batch of submissions
// waits while a few thousand pages are written out and synced. SQLite's default has the committing
// connection do it whenever the log passes 1,000 pages: a pause in the one writer every few
// batches, longer as the database grows (at a million responses, about a sixth of acknowledged
// submissions were lost to it). A commit's sync of the log is untouched: a response acknowledged
// is on disk either way.
const (
	// checkpointEvery is how often the checkpointer copies what the log holds: often, so each copy
	// is small and its sync holds up the writer's own syncs of the log only briefly.
	checkpointEvery = 250 * time.Millisecond
	// writerCheckpointPages is how long the log may grow (about 80 MB) before the writer
	// checkpoints after all: a bound, should the checkpointer fall behind or stop.
	writerCheckpointPages = 20_000
)

// checkpointer runs passive checkpoints until stopped. A passive checkpoint never waits for the
// writer or readers: it copies what it can and leaves the rest to the next one.
type checkpointer struct {
	db   *sql.DB
	stop chan struct{}
	done chan struct{}
}

// startCheckpoints opens the checkpointer's connection to the database at dsn and starts it.
func startCheckpoints(dsn string, every time.Duration) (*checkpointer, error) {
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	c := &checkpointer{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run(every)
	return c, nil
}

func (c *checkpointer) run(every time.Duration) {
	defer close(c.done)
	tick := time.NewTicker(every)
	defer tick.Stop()
	last := -1 // the log's length in pages at the last tick
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
			last = c.checkpoint(last)
		}
	}
}

// checkpoint copies the log into the database file and returns the log's length. Once the log has
// been copied whole and nothing was written since the last tick, it also empties the log file: the
// log holds the latest responses in the order they arrived, which is kept no longer than needed.
// Under a steady stream of submissions the log is never idle, and is only overwritten from its
// start after each complete copy. An error (the disk full, say) is left for the next tick; the
// writer's own bound checkpoint still applies meanwhile.
func (c *checkpointer) checkpoint(last int) int {
	var busy, log, copied int
	if err := c.db.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &copied); err != nil {
		return -1
	}
	if busy == 0 && log > 0 && copied == log && log == last {
		c.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	return log
}

// close stops the checkpointer and closes its connection.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.db.Close()
}
