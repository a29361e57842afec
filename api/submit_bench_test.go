package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"skillsurvey/internal/survey"
)

// BenchmarkSubmissionsConcurrent measures acknowledged submissions: 64 goroutines submit fresh
// submission_ids through the real router in-process, over a SQLite file with synchronous=FULL as
// the store configures it. It reports submissions a second and the 50th and 99th percentile
// latencies.
//
//	go test -tags nomsgpack -run '^$' -bench SubmissionsConcurrent -benchtime 4000x ./api/
func BenchmarkSubmissionsConcurrent(b *testing.B) {
	const clients = 64
	e := newTestEnv(b)
	generous := Limit{Every: time.Microsecond, Burst: 1_000_000}
	h := New(Config{Store: e.store, Logger: slog.New(slog.DiscardHandler), Now: e.clock.Now, Proxies: mustProxies(b), Definitions: []*survey.Definition{e.def},
		Limits: Limits{Submissions: generous, Requests: generous}})
	teams := []string{"digital-engagement", "campaigns", "policy-unit", "comms"}
	bodies := make([]string, b.N)
	for n := range bodies {
		bodies[n] = openSubmission(newSubmissionID(), teams[n%len(teams)], variedAnswers(n))
	}
	latencies := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	began := time.Now()
	for range clients {
		wg.Go(func() {
			for n := int(next.Add(1) - 1); n < b.N; n = int(next.Add(1) - 1) {
				req := httptest.NewRequest(http.MethodPost, "/api/v1/waves/"+waveOpen+"/responses", strings.NewReader(bodies[n]))
				req.RemoteAddr, req.Host = "127.0.0.1:4000", "127.0.0.1"
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				latencies[n] = time.Since(start)
				if rec.Code != http.StatusCreated {
					b.Errorf("submission %d: %d %s", n, rec.Code, rec.Body)
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(began)
	b.StopTimer()
	slices.Sort(latencies)
	b.ReportMetric(float64(b.N)/took.Seconds(), "submissions/s")
	b.ReportMetric(float64(latencies[b.N/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[b.N*99/100].Microseconds())/1000, "p99-ms")
}
