package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape reads the metrics as Prometheus would, through its own text parser.
func (e *testEnv) scrape() map[string]*dto.MetricFamily {
	e.t.Helper()
	rec := httptest.NewRecorder()
	e.metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		e.t.Fatalf("metrics: %d %s", rec.Code, rec.Body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(rec.Body)
	if err != nil {
		e.t.Fatalf("parse metrics: %v", err)
	}
	return families
}

// sample finds the series of a family whose labels include want, or nil.
func sample(families map[string]*dto.MetricFamily, name string, want map[string]string) *dto.Metric {
	f := families[name]
	if f == nil {
		return nil
	}
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		match := true
		for k, v := range want {
			match = match && labels[k] == v
		}
		if match {
			return m
		}
	}
	return nil
}

// value is a counter's or gauge's value, a histogram's count, or -1 when there is no such series.
func value(families map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	m := sample(families, name, labels)
	switch {
	case m == nil:
		return -1
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	}
	return -1
}

// TestMetrics makes requests of each kind and reads the metrics through Prometheus's parser: each
// series is there, moves with the requests, and names routes by template, never a wave, team or
// submission. The router itself answers /metrics with 404, to anyone: the metrics are served
// only on their own address (serve --metrics-listen).
func TestMetrics(t *testing.T) {
	e := newTestEnv(t)
	id := newSubmissionID()
	for _, s := range []struct {
		wave, body string
		want       int
	}{
		{waveOpen, openSubmission(id, "digital-engagement", fullAnswers), 201},
		{waveOpen, openSubmission(id, "digital-engagement", fullAnswers), 200},
		{waveOpen, openSubmission(newSubmissionID(), "digital-engagement", `{"consult": 9}`), 422},
		{waveClosed, openSubmission(newSubmissionID(), "digital-engagement", fullAnswers), 409},
	} {
		if r := e.submit(s.wave, s.body); r.status != s.want {
			t.Fatalf("submit %s: %s, want %d", s.body, r, s.want)
		}
	}
	if r := e.get("/api/v1/waves/" + waveOpen + "/report?level=all"); r.status != http.StatusOK {
		t.Fatalf("report: %s", r)
	}
	for _, header := range []http.Header{{testAnonymous: {"y"}}, nil} {
		if r := e.do(http.MethodGet, "/metrics", nil, header); r.status != http.StatusNotFound {
			t.Errorf("GET /metrics from the main address: %s, want 404", r)
		}
	}

	got := e.scrape()
	submissions := map[string]string{"route": "/api/v1/waves/:wave/responses", "method": "POST", "status": "201"}
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64 // -2: present, whatever its value
	}{
		{"skillsurvey_http_request_duration_seconds", submissions, 1},
		{"skillsurvey_http_request_duration_seconds", map[string]string{"route": "(unmatched)", "method": "GET", "status": "404"}, 2},
		{"skillsurvey_submissions_accepted_total", map[string]string{"kind": "new"}, 1},
		{"skillsurvey_submissions_accepted_total", map[string]string{"kind": "retry"}, 1},
		{"skillsurvey_submissions_refused_total", map[string]string{"reason": "invalid"}, 1},
		{"skillsurvey_submissions_refused_total", map[string]string{"reason": "wave_closed"}, 1},
		{"skillsurvey_report_compute_seconds", nil, 1},
		{"skillsurvey_submission_batch_size", nil, -2},
		{"skillsurvey_submission_queue_length", nil, 0},
		{"skillsurvey_db_connections_max", map[string]string{"pool": "write"}, 1},
		{"skillsurvey_db_connections_max", map[string]string{"pool": "read"}, 4},
		{"skillsurvey_db_connections_open", map[string]string{"pool": "write"}, -2},
		{"skillsurvey_db_waits_total", map[string]string{"pool": "write"}, -2},
		{"go_goroutines", nil, -2},
	} {
		v := value(got, c.name, c.labels)
		if v == -1 || c.want != -2 && v != c.want {
			t.Errorf("%s %v = %v, want %v", c.name, c.labels, v, c.want)
		}
	}
	if n := value(got, "skillsurvey_submission_batch_size", nil); n < 1 {
		t.Errorf("%v batches written, want at least 1", n)
	}

	// They move.
	if r := e.submit(waveOpen, openSubmission(newSubmissionID(), "campaigns", fullAnswers)); r.status != http.StatusCreated {
		t.Fatalf("submit: %s", r)
	}
	again := e.scrape()
	if v := value(again, "skillsurvey_submissions_accepted_total", map[string]string{"kind": "new"}); v != 2 {
		t.Errorf("accepted new = %v after a second, want 2", v)
	}
	if v := value(again, "skillsurvey_http_request_duration_seconds", submissions); v != 2 {
		t.Errorf("201 submissions timed = %v, want 2", v)
	}

	// Nothing about a respondent: no wave, team or submission in a label.
	for name, f := range again {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				for _, secret := range []string{id, "digital-engagement", "campaigns", "/waves/open"} {
					if strings.Contains(l.GetValue(), secret) {
						t.Errorf("%s has label %s=%q", name, l.GetName(), l.GetValue())
					}
				}
			}
		}
	}
}
