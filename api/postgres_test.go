package api

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
	"skillsurvey/internal/store/storetest"
	"skillsurvey/internal/survey"
)

// TestScenariosOnPostgres runs API scenarios (submissions, retries, invitations, reports, the
// results feed, sign-in and access) again on PostgreSQL: each opens its environment through
// testDatabase, which gives the subtests of this test a fresh PostgreSQL schema.
func TestScenariosOnPostgres(t *testing.T) {
	storetest.PostgresURL(t)
	for _, tc := range []struct {
		name string
		test func(*testing.T)
	}{
		{"TestSubmitRefusesBadSubmissions", TestSubmitRefusesBadSubmissions},
		{"TestSubmitReceipts", TestSubmitReceipts},
		{"TestSubmitIsIdempotent", TestSubmitIsIdempotent},
		{"TestSubmitInviteWave", TestSubmitInviteWave},
		{"TestRetryAfterTheWaveCloses", TestRetryAfterTheWaveCloses},
		{"TestConcurrentSubmissions", TestConcurrentSubmissions},
		{"TestConcurrentInvitation", TestConcurrentInvitation},
		{"TestReportJSON", TestReportJSON},
		{"TestReportRefusals", TestReportRefusals},
		{"TestReportDownloads", TestReportDownloads},
		{"TestTrend", TestTrend},
		{"TestWaveList", TestWaveList},
		{"TestResultsFeedMatchesReports", TestResultsFeedMatchesReports},
		{"TestSignIn", TestSignIn},
		{"TestCSRF", TestCSRF},
		{"TestLeadCannotReachAnotherSubtree", TestLeadCannotReachAnotherSubtree},
		{"TestLeadSeesOwnSubtreeAndDepartment", TestLeadSeesOwnSubtreeAndDepartment},
	} {
		t.Run(tc.name, tc.test)
	}
}

// TestTwoInstancesOnPostgres: two services on one PostgreSQL database, as behind a load balancer.
// A submission retried against the other gets its first receipt and is stored once; a session
// made by signing in on one works on the other; both publish the same report figures.
func TestTwoInstancesOnPostgres(t *testing.T) {
	storetest.PostgresURL(t)
	a := newTestEnv(t)
	b := a.otherInstance(t)

	id := newSubmissionID()
	body := openSubmission(id, "digital-engagement", fullAnswers)
	first := a.submit(waveOpen, body)
	checkReceipt(t, first, http.StatusCreated, fullReceipt(id, waveOpen, "digital-engagement"))
	retry := b.submit(waveOpen, body)
	if retry.status != http.StatusOK || !bytes.Equal(retry.body, first.body) {
		t.Errorf("the retry on the other instance: %s\nwant the first receipt: %s", retry, first)
	}
	if n := b.count(waveOpen); n != 1 {
		t.Errorf("%d responses stored, want 1", n)
	}

	session := a.sessionOf(t, a.postSignIn(t, "198.51.100.7", "admin@example.gov.uk", testPassword))
	if r := b.do(http.MethodGet, "/api/v1/session", nil, session); r.status != http.StatusOK {
		t.Errorf("a session made on one instance, on the other: %s", r)
	}

	a.addResponses(waveOpen, "campaigns", 6)
	ra, rb := a.get("/api/v1/waves/open/report"), b.get("/api/v1/waves/open/report")
	if ra.status != http.StatusOK || !bytes.Equal(ra.body, rb.body) {
		t.Errorf("the two instances' reports differ:\n%s\n%s", ra, rb)
	}
}

// otherInstance is a second service on e's database, as another instance behind a load balancer
// would be: its own store (and connections) and router, with e's clock, callers and client.
func (e *testEnv) otherInstance(t *testing.T) *testEnv {
	t.Helper()
	st, err := store.Open(context.Background(), e.database, store.WithClock(e.clock.Now))
	if err != nil {
		t.Fatalf("open the second instance's store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	proxies, err := access.ParseProxies("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	o := &testEnv{t: t, database: e.database, store: st, def: e.def, clock: e.clock, client: e.client,
		waves: e.waves, codes: e.codes, as: e.as}
	// Its answers count with e's, which e's client validates.
	o.srv = httptest.NewServer(countServed(New(Config{Store: st, Logger: slog.New(slog.DiscardHandler), Now: e.clock.Now,
		Proxies: proxies, Definitions: []*survey.Definition{e.def}}), &e.served))
	t.Cleanup(o.srv.Close)
	return o
}
