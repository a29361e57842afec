package api

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestRequestLimit: every request but the health probes spends one of its address's general
// allowance; past it the address gets 429 with Retry-After while another is served, and every
// answer says where the address stands in the RateLimit headers, counting down.
func TestRequestLimit(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	// A clock of its own, so moving it does not move the store's.
	clock := &testClock{}
	clock.Set(testNow)
	h := New(Config{Store: e.store, Now: clock.Now, Logger: slog.New(slog.DiscardHandler),
		Limits: Limits{Requests: Limit{Every: 10 * time.Second, Burst: 3}}})
	const questionnaire = "/api/v1/waves/open/questionnaire"
	steps := []struct {
		name       string
		advance    time.Duration
		address    string
		path       string
		status     int
		remaining  string // RateLimit-Remaining; "" for none of the three headers
		reset      string // RateLimit-Reset
		retryAfter string
	}{
		{"first of three", 0, "192.0.2.1", questionnaire, 200, "2", "10", ""},
		{"a page counts too", 0, "192.0.2.1", "/sign-in", 200, "1", "20", ""},
		{"so does an address with nothing at it", 0, "192.0.2.1", "/api/v1/nowhere", 404, "0", "30", ""},
		{"past the limit", 0, "192.0.2.1", questionnaire, 429, "0", "30", "10"},
		{"a page past the limit", 0, "192.0.2.1", "/sign-in", 429, "0", "30", "10"},
		{"another address is served", 0, "198.51.100.2", questionnaire, 200, "2", "10", ""},
		{"health probes are not limited", 0, "192.0.2.1", "/healthz", 200, "", "", ""},
		{"nor counted", 0, "192.0.2.1", "/readyz", 200, "", "", ""},
		{"0.4 of one back: 26 s from full", 4 * time.Second, "192.0.2.1", questionnaire, 429, "0", "26", "6"},
		{"one back", 6 * time.Second, "192.0.2.1", questionnaire, 200, "0", "30", ""},
		{"full again after 30 s", 30 * time.Second, "192.0.2.1", questionnaire, 200, "2", "10", ""},
		{"an IPv6 address", 0, "2001:db8:1:2::1", questionnaire, 200, "2", "10", ""},
		{"another of its /64 counts against the same allowance", 0, "2001:db8:1:2::99", questionnaire, 200, "1", "20", ""},
		{"another /64 has its own", 0, "2001:db8:1:3::1", questionnaire, 200, "2", "10", ""},
	}
	for _, s := range steps {
		clock.Set(clock.Now().Add(s.advance))
		req := httptest.NewRequest(http.MethodGet, s.path, nil)
		req.RemoteAddr = net.JoinHostPort(s.address, "1000")
		req.Host = "127.0.0.1"
		rec := e.serve(h, req) // answers under /api/v1 are validated: the headers are documented
		got := rec.Header()
		if rec.Code != s.status {
			t.Errorf("%s: GET %s from %s: %d, want %d: %.200s", s.name, s.path, s.address, rec.Code, s.status, rec.Body)
		}
		wantLimit := "3"
		if s.remaining == "" {
			wantLimit = ""
		}
		if got.Get("RateLimit-Limit") != wantLimit || got.Get("RateLimit-Remaining") != s.remaining || got.Get("RateLimit-Reset") != s.reset {
			t.Errorf("%s: RateLimit-Limit %q, -Remaining %q, -Reset %q; want %q, %q, %q", s.name,
				got.Get("RateLimit-Limit"), got.Get("RateLimit-Remaining"), got.Get("RateLimit-Reset"), wantLimit, s.remaining, s.reset)
		}
		if got.Get("Retry-After") != s.retryAfter {
			t.Errorf("%s: Retry-After %q, want %q", s.name, got.Get("Retry-After"), s.retryAfter)
		}
	}
}

// TestRequestLimitHeadersByDefault: with the default limit, answers count down from 6,000 and
// the allowance is a second from full after one request (100 come back a second).
func TestRequestLimitHeadersByDefault(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	// The test service's clock stands still, so what is spent stays spent; an address of its own
	// starts full.
	header := http.Header{"X-Forwarded-For": {"203.0.113.77"}}
	for spent := 1; spent <= 3; spent++ {
		r := e.do(http.MethodGet, "/api/v1/openapi.json", nil, header)
		if r.status != http.StatusOK {
			t.Fatalf("GET openapi.json: %s", r)
		}
		want := []string{"6000", strconv.Itoa(6000 - spent), "1"} // 10 ms per request back, said as a second
		got := []string{r.header.Get("RateLimit-Limit"), r.header.Get("RateLimit-Remaining"), r.header.Get("RateLimit-Reset")}
		if !slices.Equal(got, want) {
			t.Errorf("request %d: RateLimit-Limit, -Remaining, -Reset %q, want %q", spent, got, want)
		}
	}
}
