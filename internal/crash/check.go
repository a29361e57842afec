package crash

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3" // the driver the store uses, read here without the store
)

// retryAll sends every submission once more to a server that is up: one answered before must get
// 200 with exactly its first receipt; one whose answer was lost gets 201 (it was never stored) or
// 200 (it was), and then, sent again, 200 with that same receipt.
func retryAll(ctx context.Context, cfg Config, base string, l *ledger) {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Clients}}
	defer client.CloseIdleConnections()
	l.mu.Lock()
	ids := make([]string, 0, len(l.ids))
	for id := range l.ids {
		ids = append(ids, id)
	}
	l.mu.Unlock()
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range cfg.Clients {
		wg.Go(func() {
			for id := range jobs {
				l.retry(ctx, client, base, id)
			}
		})
	}
	for _, id := range ids {
		jobs <- id
	}
	close(jobs)
	wg.Wait()
}

// retry sends one submission once, or twice if it had no answer yet.
func (l *ledger) retry(ctx context.Context, client *http.Client, base, id string) {
	l.mu.Lock()
	s := l.ids[id]
	body, first := s.body, s.receipt
	l.mu.Unlock()
	status, answer, err := post(ctx, client, base, body)
	switch {
	case err != nil:
		l.problem("final retry of %s: %v", id, err)
		return
	case first != nil && (status != http.StatusOK || !sameJSON(answer, first)):
		l.problem("final retry of %s answered %d %s, want 200 with its first receipt %s", id, status, answer, first)
		return
	case first != nil:
		return
	case status != http.StatusOK && status != http.StatusCreated:
		l.problem("final retry of %s, which had no answer, answered %d %s, want 201 or 200", id, status, answer)
		return
	}
	l.mu.Lock()
	l.countLost(s, status, nil)
	s.receipt = answer
	l.mu.Unlock()
	again, repeat, err := post(ctx, client, base, body)
	if err != nil || again != http.StatusOK || !sameJSON(repeat, answer) {
		l.problem("second final retry of %s answered %d %s (%v), want 200 with %s", id, again, repeat, err, answer)
	}
}

// checkDatabase opens the stopped server's database read-only and checks that SQLite finds it
// sound and that it holds every submission sent exactly once, and nothing else; it returns how
// many responses it holds.
func checkDatabase(ctx context.Context, cfg Config, l *ledger) (rows int64) {
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(cfg.Dir, "crash.db")+"?mode=ro")
	if err != nil {
		l.problem("open database: %v", err)
		return 0
	}
	defer db.Close()
	if got := column(ctx, db, l, "PRAGMA integrity_check"); len(got) != 1 || got[0] != "ok" {
		l.problem("PRAGMA integrity_check: %s", strings.Join(got, "; "))
	}
	if got := column(ctx, db, l, "PRAGMA foreign_key_check"); len(got) > 0 {
		sort.Strings(got)
		l.problem("PRAGMA foreign_key_check: %d rows point at nothing, in %s", len(got), strings.Join(slices.Compact(got), ", "))
	}
	stored, err := storedBySubmission(ctx, db)
	if err != nil {
		l.problem("responses by submission: %v", err)
		return 0
	}
	for _, n := range stored {
		rows += int64(n)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var missing, twice []string
	for id := range l.ids {
		switch n := stored[submissionHash(id)]; {
		case n == 0:
			missing = append(missing, id)
		case n > 1:
			twice = append(twice, id)
		}
		delete(stored, submissionHash(id))
	}
	sort.Strings(missing)
	sort.Strings(twice)
	if len(missing) > 0 {
		l.note("not stored, though answered 201 or 200: %s", some(missing))
	}
	if len(twice) > 0 {
		l.note("stored more than once: %s", some(twice))
	}
	if len(stored) > 0 || rows != int64(len(l.ids)) {
		l.note("the database holds %d responses for %d submissions sent (%d under a submission_id nobody sent)",
			rows, len(l.ids), len(stored))
	}
	return rows
}

// storedBySubmission counts the responses stored under each submission hash.
func storedBySubmission(ctx context.Context, db *sql.DB) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, "SELECT submission_hash, count(*) FROM responses GROUP BY submission_hash")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	stored := map[string]int{}
	for rows.Next() {
		var hash string
		var n int
		if err := rows.Scan(&hash, &n); err != nil {
			return nil, err
		}
		stored[hash] = n
	}
	return stored, rows.Err()
}

// some lists ids, the first ten of them when there are more.
func some(ids []string) string {
	if len(ids) > 10 {
		return fmt.Sprintf("%s and %d more", strings.Join(ids[:10], ", "), len(ids)-10)
	}
	return strings.Join(ids, ", ")
}

// column reads the first column of every row a query returns, as text.
func column(ctx context.Context, db *sql.DB, l *ledger, query string) []string {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		l.problem("%s: %v", query, err)
		return nil
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		values := make([]any, len(cols))
		for i := range values {
			values[i] = new(sql.RawBytes)
		}
		if err := rows.Scan(values...); err != nil {
			l.problem("%s: %v", query, err)
			return out
		}
		out = append(out, string(*values[0].(*sql.RawBytes)))
	}
	if err := rows.Err(); err != nil {
		l.problem("%s: %v", query, err)
	}
	return out
}

// submissionHash is how the store keys a submission_id (internal/submission's rule: SHA-256 of the
// id in lower case, hex). Written out again here so the check does not trust the code it checks.
func submissionHash(id string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(id)))
	return hex.EncodeToString(sum[:])
}
