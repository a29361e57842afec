package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// fullAnswers answers every question of small.yaml as a specialist.
const fullAnswers = `{"role-type":"specialist","channels":["email","social"],"team-size":12,` +
	`"consult":3,"now-and-next":{"now":2,"target":4},"specialist-tools":3,` +
	`"social-media":"expert","data":"practitioner","comments":"More time for analytics, please."}`

// fullReceipt is the receipt of fullAnswers, worked out by hand from DESIGN.md's scoring rule:
// level i of L levels scores 100·(i−1)/(L−1); proficiency p of none..expert (0..4) scores
// 100·min(p, e)/e against the level e the role needs (100·p/4 where none is named).
//
//	consult           3 of 4 → 100·2/3 = 66.667   weight 1
//	now-and-next  now 2 of 5 → 100·1/4 = 25       weight 2 (target 4 → 75 is aspiration, not score)
//	specialist-tools  3 of 3 → 100·2/2 = 100      weight 1
//	engagement = (66.667·1 + 25·2 + 100·1) / (1+2+1) = 216.667/4 = 54.167 → 54.2, developing (40-60)
//	social-media expert = 4, a specialist needs practitioner = 3 → 100·min(4, 3)/3 = 100 (dimension
//	skills; data names no dimension, so no score)
//	skills = 100.0, reality (80+)
//	overall = (54.167·2 + 100·1) / (2+1) = 208.333/3 = 69.444 → 69.4, embedded (60-80)
//
// small.yaml has no guidance, so a dimension's next step is only the level above each of the
// respondent's answers below their score there: in engagement (54.167) that is now-and-next's now
// (25 = level 2 of 5), whose next level is the third, "Planned"; skills has no levels.
func fullReceipt(id, wave, team string) string {
	return `{"submission_id":"` + id + `","wave":"` + wave + `","team":"` + team + `","submitted_on":"` + testDay + `",
		"overall":{"score":69.4,"stage":"embedded"},
		"dimensions":{"engagement":{"score":54.2,"stage":"developing",` + fullNext + `},"skills":{"score":100,"stage":"reality"}}}`
}

const fullNext = `"next":{"questions":[{"question":"now-and-next","text":"Where is your team now, and where should it be?","next_level":"Planned"}]}`

func openSubmission(id, team, answers string) string {
	return fmt.Sprintf(`{"submission_id":%q,"team":%q,"answers":%s}`, id, team, answers)
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(t *testing.T, got []byte, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want is not JSON: %v: %s", err, want)
	}
	return reflect.DeepEqual(g, w)
}

// checkReceipt asserts the status (201, or 200 for a retry) and the receipt.
func checkReceipt(t *testing.T, r result, status int, want string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	checkHeaders(t, r, true)
	checkJSON(t, r)
	if !sameJSON(t, r.body, want) {
		t.Errorf("receipt\n%s\nwant\n%s", r.body, want)
	}
}

func TestSubmitReceipts(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	null := `{"score":null,"stage":null}`
	receipt := func(id, team, overall, engagement, skills string) string {
		return `{"submission_id":"` + id + `","wave":"open","team":"` + team + `","submitted_on":"` + testDay + `",
			"overall":` + overall + `,"dimensions":{"engagement":` + engagement + `,"skills":` + skills + `}}`
	}
	tests := []struct {
		name    string
		team    string
		answers string
		// want builds the receipt from the submission_id.
		want func(id string) string
	}{
		{name: "every question answered", team: "digital-engagement", answers: fullAnswers,
			want: func(id string) string { return fullReceipt(id, waveOpen, "digital-engagement") }},
		// consult 4 of 4 → 100 is engagement's only answer, below its min_answers of 2: no score.
		// social-media awareness (1), against the working level (2) a non-specialist needs:
		// 100·min(1, 2)/2 = 50 → skills 50.0, developing; overall is skills alone.
		{name: "a dimension without enough answers", team: "digital-engagement",
			answers: `{"role-type":"non-specialist","consult":4,"social-media":"awareness"}`,
			want: func(id string) string {
				return receipt(id, "digital-engagement", `{"score":50,"stage":"developing"}`, null, `{"score":50,"stage":"developing"}`)
			}},
		// "don't know" is left out, not counted as zero: engagement has one answer (now 5 of 5 → 100),
		// below min_answers 2; skills has none; so nothing has a score.
		{name: "don't know leaves dimensions unscored", team: "campaigns",
			answers: `{"role-type":"specialist","consult":"dont_know","now-and-next":{"now":5,"target":5},"data":"dont_know"}`,
			want:    func(id string) string { return receipt(id, "campaigns", null, null, null) }},
		// consult 1 of 4 → 0 (weight 1), now 3 of 5 → 50 (weight 2): engagement (0 + 100)/3 = 33.3,
		// emerging; social-media none → 0 → skills 0.0, aspiration; overall (33.33·2 + 0)/3 = 22.2, emerging.
		// Next in engagement: consult (0, below 33.3) is at "Rarely", so "Sometimes" is next.
		{name: "low scores", team: "policy-unit",
			answers: `{"role-type":"non-specialist","consult":1,"now-and-next":{"now":3,"target":5},"social-media":"none"}`,
			want: func(id string) string {
				return receipt(id, "policy-unit", `{"score":22.2,"stage":"emerging"}`,
					`{"score":33.3,"stage":"emerging","next":{"questions":[{"question":"consult","text":"How does your team involve people online?","next_level":"Sometimes"}]}}`,
					`{"score":0,"stage":"aspiration"}`)
			}},
		// Empty optional answers count as not given.
		{name: "empty optional answers", team: "digital-engagement",
			answers: `{"role-type":"non-specialist","consult":2,"channels":[],"team-size":null,"comments":"","now-and-next":null}`,
			// consult 2 of 4 → 33.3, one answer: engagement unscored, nothing else scored.
			want: func(id string) string { return receipt(id, "digital-engagement", null, null, null) }},
		{name: "text at max_length in characters", team: "digital-engagement",
			answers: `{"role-type":"non-specialist","consult":2,"comments":"` + strings.Repeat("é", 200) + `"}`,
			want:    func(id string) string { return receipt(id, "digital-engagement", null, null, null) }},
		{name: "number at its lower bound, written with a decimal point", team: "digital-engagement",
			answers: `{"role-type":"non-specialist","consult":2,"team-size":1.0}`,
			want:    func(id string) string { return receipt(id, "digital-engagement", null, null, null) }},
		// DESIGN.md counts responses attached directly to a parent, so a directorate may be chosen.
		{name: "answering for a directorate", team: "comms", answers: fullAnswers,
			want: func(id string) string { return fullReceipt(id, waveOpen, "comms") }},
		{name: "upper-case UUID", team: "digital-engagement", answers: fullAnswers,
			want: func(id string) string { return fullReceipt(id, waveOpen, "digital-engagement") }},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := newSubmissionID()
			if tt.name == "upper-case UUID" {
				id = strings.ToUpper(id)
			}
			r := e.submit(waveOpen, openSubmission(id, tt.team, tt.answers))
			checkReceipt(t, r, http.StatusCreated, tt.want(id))
			if n := e.count(waveOpen); n != int64(i+1) {
				t.Errorf("%d responses stored, want %d", n, i+1)
			}
		})
	}
}

func TestSubmitIsIdempotent(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	id := newSubmissionID()
	body := openSubmission(id, "digital-engagement", fullAnswers)
	want := fullReceipt(id, waveOpen, "digital-engagement")

	first := e.submit(waveOpen, body)
	checkReceipt(t, first, http.StatusCreated, want)

	steps := []struct {
		name       string
		body       string
		wantStatus int
		wantCode   string
	}{
		{name: "the same body again", body: body, wantStatus: http.StatusOK},
		// Keys reordered, whitespace changed, levels and numbers spelled differently: the same content.
		{name: "the same content written differently", wantStatus: http.StatusOK, body: fmt.Sprintf(`{
			"answers": {
				"comments": "More time for analytics, please.",
				"data": "practitioner", "social-media": "expert",
				"specialist-tools": 3.0, "now-and-next": {"target": 4, "now": 2e0},
				"consult": 3, "team-size": 12.0, "channels": ["social", "email"],
				"role-type": "specialist"
			},
			"team"  :  "digital-engagement",
			"submission_id": %q
		}`, id)},
		{name: "other answers", wantStatus: http.StatusConflict, wantCode: "duplicate_submission",
			body: strings.Replace(body, `"consult":3`, `"consult":4`, 1)},
		{name: "one answer left out", wantStatus: http.StatusConflict, wantCode: "duplicate_submission",
			body: strings.Replace(body, `"team-size":12,`, ``, 1)},
		{name: "another team", wantStatus: http.StatusConflict, wantCode: "duplicate_submission",
			body: openSubmission(id, "campaigns", fullAnswers)},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			r := e.submit(waveOpen, st.body)
			if st.wantCode == "" {
				checkReceipt(t, r, st.wantStatus, want)
				if !bytes.Equal(r.body, first.body) {
					t.Errorf("retry receipt differs from the first:\n%s\n%s", r.body, first.body)
				}
			} else {
				if r.status != st.wantStatus {
					t.Fatalf("status %d, want %d: %s", r.status, st.wantStatus, r.body)
				}
				checkHeaders(t, r, true)
				if got := checkError(t, r); got.Code != st.wantCode || got.Fields != nil {
					t.Errorf("error %+v, want code %s without fields", got, st.wantCode)
				}
			}
			if n := e.count(waveOpen); n != 1 {
				t.Errorf("%d responses stored, want 1", n)
			}
		})
	}
}

func TestSubmitInviteWave(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	id := newSubmissionID()
	inviteSubmission := func(id, code string) string {
		return fmt.Sprintf(`{"submission_id":%q,"invitation_code":%q,"answers":%s}`, id, code, fullAnswers)
	}
	// The invitation names team campaigns; the scores are fullAnswers' (see fullReceipt).
	want := fullReceipt(id, waveInvite, "campaigns")

	first := e.submit(waveInvite, inviteSubmission(id, e.codes[0]))
	checkReceipt(t, first, http.StatusCreated, want)

	again := e.submit(waveInvite, inviteSubmission(id, e.codes[0]))
	checkReceipt(t, again, http.StatusOK, want)
	if !bytes.Equal(again.body, first.body) {
		t.Errorf("retry receipt differs from the first:\n%s\n%s", again.body, first.body)
	}

	// A retry is told by its submission_id and answers, never by its code: the stored response
	// must not depend on the code, or whoever handed out the codes could link responses to them.
	// So the code typed differently, or even another code, gets the first receipt, and that other
	// code is not spent.
	for _, code := range []string{strings.ToLower(strings.ReplaceAll(e.codes[0], "-", "")), e.codes[2]} {
		r := e.submit(waveInvite, inviteSubmission(id, code))
		checkReceipt(t, r, http.StatusOK, want)
		if !bytes.Equal(r.body, first.body) {
			t.Errorf("retry with code %s: receipt differs from the first:\n%s\n%s", code, r.body, first.body)
		}
	}
	if n := e.count(waveInvite); n != 1 {
		t.Errorf("%d responses stored after retries, want 1", n)
	}
	id3 := newSubmissionID()
	third := e.submit(waveInvite, inviteSubmission(id3, e.codes[2]))
	checkReceipt(t, third, http.StatusCreated, fullReceipt(id3, waveInvite, "campaigns"))

	// The code is spent: another submission with it is refused, and stores nothing.
	used := e.submit(waveInvite, inviteSubmission(newSubmissionID(), e.codes[0]))
	if used.status != http.StatusForbidden {
		t.Fatalf("a used code: %s, want 403", used)
	}
	if got := checkError(t, used); got.Code != "invitation_invalid" {
		t.Errorf("a used code: code %q, want invitation_invalid", got.Code)
	}
	if n := e.count(waveInvite); n != 2 {
		t.Errorf("%d responses stored, want 2", n)
	}

	// A code may be typed in lower case, without hyphens or with spaces.
	typed := strings.ToLower(strings.ReplaceAll(e.codes[1], "-", " "))
	id2 := newSubmissionID()
	second := e.submit(waveInvite, inviteSubmission(id2, typed))
	checkReceipt(t, second, http.StatusCreated, fullReceipt(id2, waveInvite, "campaigns"))

	if n := e.count(waveInvite); n != 3 {
		t.Errorf("%d responses stored, want 3", n)
	}
	if n := e.count(waveOpen); n != 0 {
		t.Errorf("open wave holds %d responses, want 0", n)
	}
}

// TestSubmissionIDCaseIsIgnored: a UUID in capitals and the same UUID in small letters are one
// submission, so a client that changes the case on a retry still gets its first receipt.
func TestSubmissionIDCaseIsIgnored(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	id := newSubmissionID()
	first := e.submit(waveOpen, openSubmission(strings.ToUpper(id), "digital-engagement", fullAnswers))
	checkReceipt(t, first, http.StatusCreated, fullReceipt(strings.ToUpper(id), waveOpen, "digital-engagement"))
	again := e.submit(waveOpen, openSubmission(id, "digital-engagement", fullAnswers))
	checkReceipt(t, again, http.StatusOK, fullReceipt(id, waveOpen, "digital-engagement"))
	if n := e.count(waveOpen); n != 1 {
		t.Errorf("%d responses stored, want 1", n)
	}
}

// TestRetryAfterTheWaveCloses: a response stored just before the wave closed, whose reply was lost,
// is answered with its first receipt when retried after; anything else is refused as closed.
func TestRetryAfterTheWaveCloses(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	id := newSubmissionID()
	body := openSubmission(id, "digital-engagement", fullAnswers)
	first := e.submit(waveOpen, body)
	if first.status != http.StatusCreated {
		t.Fatalf("first submission: %s", first)
	}
	if _, err := e.store.CloseWave(context.Background(), waveOpen); err != nil {
		t.Fatal(err)
	}
	again := e.submit(waveOpen, body)
	checkReceipt(t, again, http.StatusOK, string(first.body))
	for name, b := range map[string]string{
		"a new submission":           openSubmission(newSubmissionID(), "digital-engagement", fullAnswers),
		"the same id, other answers": openSubmission(id, "campaigns", fullAnswers),
	} {
		if r := e.submit(waveOpen, b); r.status != http.StatusConflict || checkError(t, r).Code != "wave_closed" {
			t.Errorf("%s after closing: %s, want 409 wave_closed", name, r)
		}
	}
	if n := e.count(waveOpen); n != 1 {
		t.Errorf("%d responses stored, want 1", n)
	}
}
