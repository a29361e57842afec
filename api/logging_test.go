package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a buffer several goroutines may write to.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestLogsHoldNothingAboutRespondents captures every log line of a run of submissions, valid and
// not, and looks in it for anything that could identify a respondent or reveal an answer. Not
// parallel: it also captures the default logger, which errors and panics are written to.
func TestLogsHoldNothingAboutRespondents(t *testing.T) {
	var logs lockedBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })
	e := newTestEnvLogging(t, &logs)

	const (
		secretText  = "zebra-quokka-7741 marmalade"
		secretKey   = "pangolin-answer-key"
		userAgent   = "RespondentBrowser/9.7 (desk-42-laptop)"
		forwarded   = "203.0.113.77"
		secretQuery = "ref=newsletter-8812"
	)
	// Respondents send no credentials.
	header := http.Header{"User-Agent": {userAgent}, "X-Forwarded-For": {forwarded}, "X-Real-Ip": {forwarded}, testAnonymous: {"y"}}
	validID, invalidID, inviteID := newSubmissionID(), newSubmissionID(), newSubmissionID()
	answers := strings.Replace(fullAnswers, "More time for analytics, please.", secretText, 1)
	bodies := []struct {
		wave, body string
		want       int
	}{
		{waveOpen, openSubmission(validID, "digital-engagement", answers), 201},
		{waveOpen, openSubmission(validID, "digital-engagement", answers), 200},
		{waveOpen, openSubmission(validID, "campaigns", answers), 409},
		{waveOpen, openSubmission(invalidID, "digital-engagement", `{"role-type":"specialist","consult":9,"comments":"`+secretText+strings.Repeat("!", 200)+`"}`), 422},
		{waveOpen, openSubmission(invalidID, "digital-engagement", `{"role-type":"specialist","consult":2,"`+secretKey+`":"`+secretText+`"}`), 422},
		{waveOpen, `{"submission_id":"` + invalidID + `","answers":{"comments":"` + secretText, 400},
		{waveOpen, openSubmission(invalidID, "no-such-team", answers), 404},
		{waveClosed, openSubmission(invalidID, "digital-engagement", answers), 409},
		{waveInvite, fmt.Sprintf(`{"submission_id":%q,"invitation_code":%q,"answers":%s}`, inviteID, e.codes[0], answers), 201},
		{waveInvite, fmt.Sprintf(`{"submission_id":%q,"invitation_code":%q,"answers":%s}`, invalidID, e.codes[0], answers), 403},
	}
	for _, b := range bodies {
		r := e.do(http.MethodPost, "/api/v1/waves/"+b.wave+"/responses?"+secretQuery, strings.NewReader(b.body), header)
		if r.status != b.want {
			t.Errorf("%s: %s, want %d", b.body, r, b.want)
		}
	}
	for _, path := range []string{"/api/v1/waves/open/questionnaire?" + secretQuery, "/api/v1/waves/open/teams?" + secretQuery, "/nothing?" + secretQuery} {
		e.do(http.MethodGet, path, nil, header)
	}
	e.srv.Close() // every handler has finished, so every line is written

	out := logs.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < len(bodies)+3 {
		t.Fatalf("%d log lines, want one per request at least (%d):\n%s", len(lines), len(bodies)+3, out)
	}
	respondentLines := 0
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Errorf("log line is not JSON: %s", l)
		}
		// A respondent's request is logged to the minute only.
		if route, _ := rec["route"].(string); strings.HasPrefix(route, "/api/v1/waves/:wave/") {
			respondentLines++
			at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(rec["time"]))
			if err != nil || !at.Equal(at.Truncate(time.Minute)) {
				t.Errorf("a respondent's request is logged at %v (%v), want a whole minute: %s", rec["time"], err, l)
			}
		}
	}
	if respondentLines < len(bodies)+2 {
		t.Errorf("%d log lines of respondents' requests, want %d", respondentLines, len(bodies)+2)
	}
	for what, secret := range map[string]string{
		"an answer's text":     secretText,
		"an unknown answer":    secretKey,
		"the user agent":       "RespondentBrowser",
		"the client's address": "127.0.0.1",
		"the forwarded for":    forwarded,
		"the query string":     "newsletter-8812",
		"a submission_id":      validID,
		"another":              invalidID,
		"an invite wave's one": inviteID,
		"the invitation code":  e.codes[0],
		"the team":             "digital-engagement",
	} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %s (%q):\n%s", what, secret, out)
		}
	}
	if !strings.Contains(out, `"route":"/api/v1/waves/:wave/responses"`) {
		t.Errorf("the log does not name the route of submissions:\n%s", out)
	}
}
