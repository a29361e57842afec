// Package metrics holds the service's Prometheus series, on a registry of its own (never the
// process-wide default, which any imported package may write to), and serves them in Prometheus's
// text format. It knows nothing of HTTP routing or storage: the router, the submission rules and
// the store hand it what they measure.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the series the service keeps. It is safe for concurrent use.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.HistogramVec
	accepted *prometheus.CounterVec
	refused  *prometheus.CounterVec
	reports  prometheus.Histogram
	batches  prometheus.Histogram

	mu sync.Mutex
	// queue and pools are read at each scrape; nil until watched.
	queue func() int
	pools func() map[string]sql.DBStats
}

// New returns the service's metrics, with the Go runtime's and the process's own.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "skillsurvey_http_request_duration_seconds",
		Help: "Time to answer an HTTP request, by route template, method and status.",
	}, []string{"route", "method", "status"})
	m.accepted = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "skillsurvey_submissions_accepted_total",
		Help: "Submissions answered with a receipt: new (201, stored now) or retry (200, stored before).",
	}, []string{"kind"})
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "skillsurvey_submissions_refused_total",
		Help: "Submissions refused, by the error code of the answer (invalid, rate_limited, storage_unavailable, ...).",
	}, []string{"reason"})
	m.reports = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "skillsurvey_report_compute_seconds",
		Help:    "Time to compute a wave's report figures (reads that find them computed are not counted).",
		Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12), // 1 ms to about 60 s
	})
	m.batches = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "skillsurvey_submission_batch_size",
		Help:    "Submissions written together in one transaction (group commit).",
		Buckets: prometheus.ExponentialBuckets(1, 2, 9), // 1 to 256, the largest batch
	})
	queue := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "skillsurvey_submission_queue_length",
		Help: "Submissions waiting for the next batch to be written.",
	}, m.queueLength)
	m.registry.MustRegister(m.requests, m.accepted, m.refused, m.reports, m.batches, queue, poolCollector{m},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// methods are the HTTP methods counted by name; any other is counted as "other", so a client
// cannot add series by making methods up.
var methods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true,
	http.MethodPut: true, http.MethodDelete: true, http.MethodPatch: true, http.MethodOptions: true}

// ObserveRequest records an answered request. route is the route's template (such as
// /api/v1/waves/:wave/report), never the address asked for, which would make a series per wave.
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	if !methods[method] {
		method = "other"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Observe(d.Seconds())
}

// SubmissionAccepted counts a submission answered with its receipt; retry when it was stored before.
func (m *Metrics) SubmissionAccepted(retry bool) {
	kind := "new"
	if retry {
		kind = "retry"
	}
	m.accepted.WithLabelValues(kind).Inc()
}

// SubmissionRefused counts a refused submission by its answer's error code, one of a fixed set.
func (m *Metrics) SubmissionRefused(reason string) { m.refused.WithLabelValues(reason).Inc() }

// ObserveReport records the time one computation of a wave's figures took.
func (m *Metrics) ObserveReport(d time.Duration) { m.reports.Observe(d.Seconds()) }

// ObserveBatch records the size of a batch of submissions written together.
func (m *Metrics) ObserveBatch(n int) { m.batches.Observe(float64(n)) }

// WatchQueue has each scrape read how many submissions wait for a batch.
func (m *Metrics) WatchQueue(waiting func() int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.queue = waiting
}

// WatchPools has each scrape read the statistics of the database's connection pools, by name.
func (m *Metrics) WatchPools(pools func() map[string]sql.DBStats) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pools = pools
}

func (m *Metrics) queueLength() float64 {
	m.mu.Lock()
	queue := m.queue
	m.mu.Unlock()
	if queue == nil {
		return 0
	}
	return float64(queue())
}
