package api

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/survey"
)

// wantStorageUnavailable checks a 503 storage_unavailable in the error shape, with Retry-After.
func wantStorageUnavailable(t *testing.T, what string, r result) {
	t.Helper()
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("%s: %s, want 503", what, r)
	}
	if eb := checkError(t, r); eb.Code != "storage_unavailable" {
		t.Errorf("%s: code %q, want storage_unavailable", what, eb.Code)
	}
	if got := r.header.Get("Retry-After"); got != "10" {
		t.Errorf("%s: Retry-After %q, want 10", what, got)
	}
}

// readyz asks /readyz and returns its status and body.
func (e *testEnv) readyz() result {
	return e.do(http.MethodGet, "/readyz", nil, http.Header{testAnonymous: {"y"}})
}

// TestFullDiskAnswers503 lets the database grow no more: the submission that finds no room is
// answered 503 storage_unavailable with Retry-After, nothing of it is stored, /readyz answers 503,
// and once there is room the same submission is stored (201) and /readyz answers 200, with no
// restart.
func TestFullDiskAnswers503(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if err := e.faults.Full(ctx, true); err != nil {
		t.Fatal(err)
	}
	var created int64
	var refused string
	for range 2000 {
		body := openSubmission(newSubmissionID(), "digital-engagement", fullAnswers)
		r := e.submit(waveOpen, body)
		if r.status == http.StatusCreated {
			created++
			continue
		}
		wantStorageUnavailable(t, "a submission to a full disk", r)
		refused = body
		break
	}
	if refused == "" {
		t.Fatal("2,000 submissions fit in a database that may not grow")
	}
	if n := e.count(waveOpen); n != created {
		t.Errorf("%d responses stored, want the %d answered 201", n, created)
	}
	if r := e.readyz(); r.status != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "storage unavailable: full") {
		t.Errorf("/readyz with the disk full: %s, want 503 naming it", r)
	}

	if err := e.faults.Full(ctx, false); err != nil {
		t.Fatal(err)
	}
	if r := e.submit(waveOpen, refused); r.status != http.StatusCreated {
		t.Errorf("the refused submission sent again once there is room: %s, want 201", r)
	}
	if n := e.count(waveOpen); n != created+1 {
		t.Errorf("%d responses stored, want %d", n, created+1)
	}
	if r := e.readyz(); r.status != http.StatusOK {
		t.Errorf("/readyz once a write succeeded: %s, want 200", r)
	}
}

// TestReadOnlyDatabaseAnswers503: a read-only database (as root, chmod binds nobody, so the
// writer's connection is made read-only) refuses submissions with 503, and recovers by itself.
func TestReadOnlyDatabaseAnswers503(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if err := e.faults.ReadOnly(ctx, true); err != nil {
		t.Fatal(err)
	}
	body := openSubmission(newSubmissionID(), "digital-engagement", fullAnswers)
	wantStorageUnavailable(t, "a submission to a read-only database", e.submit(waveOpen, body))
	if n := e.count(waveOpen); n != 0 {
		t.Errorf("%d responses stored, want none", n)
	}
	if r := e.readyz(); r.status != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "read-only") {
		t.Errorf("/readyz, read-only: %s, want 503 naming it", r)
	}
	if err := e.faults.ReadOnly(ctx, false); err != nil {
		t.Fatal(err)
	}
	e.faults.ProbeNow() // as if its few seconds had passed: readiness probes a write itself
	if r := e.readyz(); r.status != http.StatusOK {
		t.Errorf("/readyz once writable, no submission needed: %s, want 200", r)
	}
	if r := e.submit(waveOpen, body); r.status != http.StatusCreated {
		t.Errorf("the same submission once writable: %s, want 201", r)
	}
}

// TestLockHeldElsewhereAnswers503: another process holding the write lock past the busy timeout
// makes a submission 503 (not 500), and readiness stays 200: a lock passes by itself.
func TestLockHeldElsewhereAnswers503(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if err := e.faults.BusyTimeout(ctx, 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite3", "file:"+e.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	body := openSubmission(newSubmissionID(), "digital-engagement", fullAnswers)
	wantStorageUnavailable(t, "a submission while another process holds the lock", e.submit(waveOpen, body))
	if r := e.readyz(); r.status != http.StatusOK {
		t.Errorf("/readyz while a lock is held elsewhere: %s, want 200", r)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if r := e.submit(waveOpen, body); r.status != http.StatusCreated {
		t.Errorf("the same submission once the lock is released: %s, want 201", r)
	}
}

// TestSlowBodyAnswers408 sends half a submission and stops: when the server's read timeout passes,
// the answer is 408 request_timeout, in the error shape, naming no socket address.
func TestSlowBodyAnswers408(t *testing.T) {
	e := newTestEnv(t)
	srv := httptest.NewUnstartedServer(New(Config{Store: e.store, Now: e.clock.Now, Logger: slog.New(slog.DiscardHandler),
		Definitions: []*survey.Definition{e.def}}))
	srv.Config.ReadTimeout = 300 * time.Millisecond
	srv.Start()
	defer srv.Close()

	body := openSubmission(newSubmissionID(), "digital-engagement", fullAnswers)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/waves/%s/responses HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		waveOpen, len(body), body[:len(body)/2])
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := result{status: res.StatusCode, header: res.Header, body: b}
	if r.status != http.StatusRequestTimeout {
		t.Fatalf("a body that stopped half way: %s, want 408", r)
	}
	if eb := checkError(t, r); eb.Code != "request_timeout" {
		t.Errorf("code %q, want request_timeout", eb.Code)
	}
	for _, address := range []string{"127.0.0.1", conn.LocalAddr().String(), "tcp", "i/o timeout"} {
		if strings.Contains(string(b), address) {
			t.Errorf("the answer names %q: %s", address, b)
		}
	}
	if n := e.count(waveOpen); n != 0 {
		t.Errorf("%d responses stored, want none", n)
	}
}
