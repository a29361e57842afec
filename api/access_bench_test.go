package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"skillsurvey/internal/survey"
)

// BenchmarkReportAccess measures what access control adds to reading a report: the same report
// read with a token, with a session, and by a lead whose figures are narrowed to their subtree.
//
//	go test -tags nomsgpack -run '^$' -bench ReportAccess -benchtime 2000x ./api/
func BenchmarkReportAccess(b *testing.B) {
	e := newTestEnv(b)
	for _, team := range []string{"digital-engagement", "campaigns", "policy-unit"} {
		e.addResponses(waveOpen, team, 30)
	}
	h := New(Config{Store: e.store, Now: e.clock.Now, Proxies: mustProxies(b), Definitions: []*survey.Definition{e.def}})
	for _, bc := range []struct{ name, caller, path string }{
		{"admin token, whole report", tokenAdmin, "/api/v1/waves/open/report"},
		{"admin session, whole report", sessionAdmin, "/api/v1/waves/open/report"},
		{"lead token, their subtree", tokenLeadComms, "/api/v1/waves/open/report"},
		{"lead session, one team", sessionLeadComms, "/api/v1/waves/open/report?group=digital-engagement"},
		{"admin token, waves list", tokenAdmin, "/api/v1/waves"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, bc.path, nil)
				req.RemoteAddr, req.Host = "127.0.0.1:4000", "127.0.0.1"
				for k, vs := range e.as[bc.caller] {
					req.Header[k] = vs
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
