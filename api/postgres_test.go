package api

import (
	"testing"

	"skillsurvey/internal/store/storetest"
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
