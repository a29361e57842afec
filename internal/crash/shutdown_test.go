package crash

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"skillsurvey/internal/example"
)

// TestShutdownUnderLoad runs the real binary with a short grace, submits from many clients, holds
// two connections open as slow clients do (one half way through a body, one that never sends a
// byte), and sends SIGTERM: the process must exit 0 within the grace and a margin, having closed
// the database (its log copied in and removed), with every submission answered 201 stored once.
func TestShutdownUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary: not in -short")
	}
	const grace = 2 * time.Second
	const margin = 5 * time.Second // closing connections, the handlers' last batch, the database
	ctx := context.Background()
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	cfg := Config{Binary: bin, Dir: dir, Definition: exampleDefinition(t), Clients: 16, Seed: uint64(time.Now().UnixNano())}
	srv, err := launch(ctx, launchSpec{binary: bin, dir: dir, logTo: filepath.Join(dir, "serve.log"), name: "server", timeout: startTimeout,
		args: []string{"--database", filepath.Join(dir, "crash.db"), "--example", "--shutdown-grace", grace.String(),
			"--limit-submissions", "1000000/1m", "--limit-requests", "1000000/1m"}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		select {
		case <-srv.exited:
		default:
			srv.kill()
		}
	}()
	l := newLedger(cfg.Seed)
	if err := l.prepare(ctx, cfg, srv.url()); err != nil {
		t.Fatal(err)
	}
	slow := holdSlowConnections(t, srv.url())
	defer func() {
		for _, c := range slow {
			c.Close()
		}
	}()

	loadCtx, stopLoad := context.WithCancel(ctx)
	done := l.load(loadCtx, cfg, srv.url(), 1)
	time.Sleep(1500 * time.Millisecond)
	before := l.snapshot()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	signalled := time.Now()
	select {
	case <-srv.exited:
	case <-time.After(grace + margin):
		t.Fatalf("still running %v after SIGTERM with a grace of %v; log:\n%s", grace+margin, grace, srv.logTail())
	}
	took := time.Since(signalled)
	stopLoad()
	<-done
	if srv.err != nil {
		t.Fatalf("the server ended with %v after SIGTERM, want exit status 0; log:\n%s", srv.err, srv.logTail())
	}
	after := l.snapshot()
	t.Logf("exited 0 %v after SIGTERM (grace %v); %d submissions answered 201 before it, %d in all",
		took.Round(time.Millisecond), grace, before.created, after.created)
	if before.created == 0 {
		t.Fatal("no submission was answered 201 before SIGTERM: the test proved nothing")
	}
	if took < grace-200*time.Millisecond {
		t.Errorf("exited %v after SIGTERM, before the grace of %v ended, though a slow client was sending", took, grace)
	}
	for _, p := range l.result(1).Problems {
		t.Error(p)
	}
	if !strings.Contains(srv.logTail(), `"msg":"database closed"`) {
		t.Errorf("the log does not say the database was closed:\n%s", srv.logTail())
	}
	db := filepath.Join(dir, "crash.db")
	if _, err := os.Stat(db + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the write-ahead log is still there after the shutdown (%v): the database was not closed cleanly", err)
	}
	checkAcknowledged(t, db, l)
}

// checkAcknowledged checks that every submission answered 201 is stored exactly once, and that
// SQLite finds the file sound.
func checkAcknowledged(t *testing.T, path string, l *ledger) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := column(ctx, db, l, "PRAGMA integrity_check"); len(got) != 1 || got[0] != "ok" {
		t.Errorf("PRAGMA integrity_check: %s", strings.Join(got, "; "))
	}
	stored, err := storedBySubmission(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var missing []string
	for _, id := range l.created {
		if n := stored[submissionHash(id)]; n != 1 {
			missing = append(missing, fmt.Sprintf("%s (%d rows)", id, n))
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d submissions answered 201 are not stored once: %s", len(missing), len(l.created), some(missing))
	}
}

// holdSlowConnections opens two connections a restart must not wait for: one sending a submission
// whose body stops half way, one that never sends a byte.
func holdSlowConnections(t *testing.T, base string) []net.Conn {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	fmt.Fprintf(conns[0], "POST /api/v1/waves/%s/responses HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{\"submission_id\":",
		example.WaveKey, u.Host)
	return conns
}
