package metrics

import (
	"database/sql"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// scrape returns the metrics as text.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// TestMethodsMadeUpAddNoSeries: a client that invents methods cannot make a series per method.
func TestMethodsMadeUpAddNoSeries(t *testing.T) {
	m := New()
	for _, method := range []string{"BREW", "WHEN", "GET"} {
		m.ObserveRequest("(unmatched)", method, 404, time.Millisecond)
	}
	out := scrape(t, m)
	for _, want := range []string{
		`skillsurvey_http_request_duration_seconds_count{method="other",route="(unmatched)",status="404"} 2`,
		`skillsurvey_http_request_duration_seconds_count{method="GET",route="(unmatched)",status="404"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "BREW") {
		t.Error("a made-up method has a series of its own")
	}
}

// TestWatchedSources: the queue and the pools are read at each scrape, from what is watched.
func TestWatchedSources(t *testing.T) {
	m := New()
	if out := scrape(t, m); !strings.Contains(out, "skillsurvey_submission_queue_length 0") || strings.Contains(out, "skillsurvey_db_connections_open{") {
		t.Errorf("before anything is watched:\n%s", out)
	}
	waiting := 3
	m.WatchQueue(func() int { return waiting })
	m.WatchPools(func() map[string]sql.DBStats {
		return map[string]sql.DBStats{"write": {MaxOpenConnections: 1, OpenConnections: 1, InUse: 1, WaitCount: 7, WaitDuration: 2 * time.Second}}
	})
	waiting = 5
	out := scrape(t, m)
	for _, want := range []string{
		"skillsurvey_submission_queue_length 5",
		`skillsurvey_db_connections_max{pool="write"} 1`,
		`skillsurvey_db_connections_in_use{pool="write"} 1`,
		`skillsurvey_db_waits_total{pool="write"} 7`,
		`skillsurvey_db_wait_seconds_total{pool="write"} 2`,
		`skillsurvey_db_connections_closed_total{pool="write",reason="max_idle"} 0`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s in:\n%s", want, out)
		}
	}
}
