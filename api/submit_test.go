package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// badID is the submission_id of the bad scenarios: none is stored, so one id serves them all.
const badID = "0b6f7c9e-5d7a-4a37-9d2c-3f1e2a9b8c71"

// minimal is the least an open-wave submission must answer: the two required questions.
const minimal = `"role-type":"non-specialist","consult":2`

// openBody is an open-wave submission for team digital-engagement with the given answers.
func openBody(answers string) string {
	return `{"submission_id":"` + badID + `","team":"digital-engagement","answers":{` + answers + `}}`
}

// withAnswer is the minimal submission plus one more answer.
func withAnswer(keyAndValue string) string { return openBody(minimal + "," + keyAndValue) }

// streamed sends a body of size bytes, starting with the scenario's body and padded with "x",
// through a reader that stalls after stallAt bytes (or never, if 0) until the test ends. A server
// that tried to read it all would never answer.
type streamed struct {
	size    int64
	stallAt int64
	chunked bool // no Content-Length
}

// submitScenario is one submission and the error it must get.
type submitScenario struct {
	name       string
	wave       string
	body       string
	stream     *streamed
	wantStatus int
	wantCode   string
	wantFields []string // the exact keys of error.fields; nil for none
}

func TestSubmitRefusesBadSubmissions(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	code := e.codes[0]
	inviteBody := func(extra string) string {
		return `{"submission_id":"` + badID + `"` + extra + `,"answers":{` + minimal + `}}`
	}
	long := strings.Repeat("a", 201)
	const (
		malformed = "malformed"
		invalid   = "invalid"
	)
	scenarios := []submitScenario{
		// The body's shape: 400.
		{name: "malformed JSON", wave: waveOpen, body: `{"submission_id": "` + badID + `", "answers": {`, wantStatus: 400, wantCode: malformed},
		{name: "empty body", wave: waveOpen, body: ``, wantStatus: 400, wantCode: malformed},
		{name: "only whitespace", wave: waveOpen, body: " \n\t ", wantStatus: 400, wantCode: malformed},
		{name: "a JSON array", wave: waveOpen, body: `[` + openBody(minimal) + `]`, wantStatus: 400, wantCode: malformed},
		{name: "a JSON string", wave: waveOpen, body: `"hello"`, wantStatus: 400, wantCode: malformed},
		{name: "unknown top-level field", wave: waveOpen, body: `{"submission_id":"` + badID + `","team":"digital-engagement","name":"Ann","answers":{` + minimal + `}}`, wantStatus: 400, wantCode: malformed},
		{name: "trailing object after the body", wave: waveOpen, body: openBody(minimal) + `{}`, wantStatus: 400, wantCode: malformed},
		{name: "trailing garbage after the body", wave: waveOpen, body: openBody(minimal) + ` x`, wantStatus: 400, wantCode: malformed},
		{name: "a field twice", wave: waveOpen, body: `{"submission_id":"` + badID + `","team":"digital-engagement","team":"campaigns","answers":{` + minimal + `}}`, wantStatus: 400, wantCode: malformed},
		{name: "an answer twice", wave: waveOpen, body: `{"submission_id":"` + badID + `","team":"digital-engagement","answers":{` + minimal + `,"consult":3}}`, wantStatus: 400, wantCode: malformed},
		{name: "a part of an answer twice", wave: waveOpen, body: `{"submission_id":"` + badID + `","team":"digital-engagement","answers":{` + minimal +
			`,"now-and-next":{"now":2,"target":4,"now":5}}}`, wantStatus: 400, wantCode: malformed},
		{name: "a field name in capitals", wave: waveOpen, body: `{"submission_id":"` + badID + `","TEAM":"digital-engagement","answers":{` + minimal + `}}`, wantStatus: 400, wantCode: malformed},
		{name: "more answers than a questionnaire has questions", wave: waveOpen, body: `{"submission_id":"` + badID +
			`","team":"digital-engagement","answers":{` + manyAnswers(501) + `}}`, wantStatus: 400, wantCode: malformed},
		{name: "answers is a list", wave: waveOpen, body: `{"submission_id":"` + badID + `","team":"digital-engagement","answers":[2]}`, wantStatus: 400, wantCode: malformed},
		{name: "answers is a string", wave: waveOpen, body: `{"submission_id":"` + badID + `","team":"digital-engagement","answers":"all good"}`, wantStatus: 400, wantCode: malformed},
		{name: "submission_id is a number", wave: waveOpen, body: `{"submission_id":42,"team":"digital-engagement","answers":{` + minimal + `}}`, wantStatus: 400, wantCode: malformed},

		// The submission's fields: 422 naming each.
		{name: "answers missing", wave: waveOpen, body: `{"submission_id":"` + badID + `","team":"digital-engagement"}`,
			wantStatus: 422, wantCode: invalid, wantFields: []string{"answers", "answers.role-type", "answers.consult"}},
		{name: "answers null", wave: waveOpen, body: `{"submission_id":"` + badID + `","team":"digital-engagement","answers":null}`,
			wantStatus: 422, wantCode: invalid, wantFields: []string{"answers", "answers.role-type", "answers.consult"}},
		{name: "body is JSON null", wave: waveOpen, body: `null`, wantStatus: 400, wantCode: "malformed"},
		{name: "submission_id missing", wave: waveOpen, body: `{"team":"digital-engagement","answers":{` + minimal + `}}`,
			wantStatus: 422, wantCode: invalid, wantFields: []string{"submission_id"}},
		{name: "submission_id not a UUID", wave: waveOpen, body: strings.Replace(openBody(minimal), badID, "response-1", 1),
			wantStatus: 422, wantCode: invalid, wantFields: []string{"submission_id"}},
		{name: "submission_id a UUID with a character too many", wave: waveOpen, body: strings.Replace(openBody(minimal), badID, badID+"0", 1),
			wantStatus: 422, wantCode: invalid, wantFields: []string{"submission_id"}},
		{name: "team missing", wave: waveOpen, body: `{"submission_id":"` + badID + `","answers":{` + minimal + `}}`,
			wantStatus: 422, wantCode: invalid, wantFields: []string{"team"}},
		{name: "team longer than 64", wave: waveOpen, body: strings.Replace(openBody(minimal), "digital-engagement", strings.Repeat("t", 65), 1),
			wantStatus: 422, wantCode: invalid, wantFields: []string{"team"}},
		{name: "open wave given an invitation code", wave: waveOpen, body: `{"submission_id":"` + badID + `","team":"digital-engagement","invitation_code":"` + code + `","answers":{` + minimal + `}}`,
			wantStatus: 422, wantCode: invalid, wantFields: []string{"invitation_code"}},

		// Who and where: 404 and 409.
		{name: "team unknown", wave: waveOpen, body: strings.Replace(openBody(minimal), "digital-engagement", "no-such-team", 1), wantStatus: 404, wantCode: "team_not_found"},
		{name: "team retired", wave: waveOpen, body: strings.Replace(openBody(minimal), "digital-engagement", "old-team", 1), wantStatus: 404, wantCode: "team_not_found"},
		{name: "team unknown even with bad answers", wave: waveOpen, body: strings.Replace(withAnswer(`"team-size":0`), "digital-engagement", "no-such-team", 1), wantStatus: 404, wantCode: "team_not_found"},
		{name: "wave unknown", wave: "no-such-wave", body: openBody(minimal), wantStatus: 404, wantCode: "wave_not_found"},
		{name: "wave scheduled", wave: waveScheduled, body: openBody(minimal), wantStatus: 409, wantCode: "wave_not_open"},
		{name: "wave closed", wave: waveClosed, body: openBody(minimal), wantStatus: 409, wantCode: "wave_closed"},

		// Answers against the definition: 422 naming each answer.
		{name: "unknown question", wave: waveOpen, body: withAnswer(`"favourite-colour":"blue"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.favourite-colour"}},
		{name: "maturity 0", wave: waveOpen, body: openBody(`"role-type":"non-specialist","consult":0`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.consult"}},
		{name: "maturity 5 of 4 levels", wave: waveOpen, body: openBody(`"role-type":"non-specialist","consult":5`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.consult"}},
		{name: "maturity 2.5", wave: waveOpen, body: openBody(`"role-type":"non-specialist","consult":2.5`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.consult"}},
		{name: "maturity as a string", wave: waveOpen, body: openBody(`"role-type":"non-specialist","consult":"3"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.consult"}},
		{name: "maturity as a boolean", wave: waveOpen, body: openBody(`"role-type":"non-specialist","consult":true`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.consult"}},
		{name: "maturity as a list", wave: waveOpen, body: openBody(`"role-type":"non-specialist","consult":[3]`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.consult"}},
		{name: "maturity of a shown show_if question out of range", wave: waveOpen, body: openBody(`"role-type":"specialist","consult":2,"specialist-tools":4`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.specialist-tools"}},
		{name: "aspiration-reality without target", wave: waveOpen, body: withAnswer(`"now-and-next":{"now":2}`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.now-and-next"}},
		{name: "aspiration-reality with an extra key", wave: waveOpen, body: withAnswer(`"now-and-next":{"now":2,"target":4,"when":2027}`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.now-and-next"}},
		{name: "aspiration-reality not an object", wave: waveOpen, body: withAnswer(`"now-and-next":3`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.now-and-next"}},
		{name: "aspiration-reality as a pair", wave: waveOpen, body: withAnswer(`"now-and-next":[2,4]`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.now-and-next"}},
		{name: "aspiration-reality now out of range", wave: waveOpen, body: withAnswer(`"now-and-next":{"now":6,"target":4}`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.now-and-next"}},
		{name: "aspiration-reality target 0", wave: waveOpen, body: withAnswer(`"now-and-next":{"now":2,"target":0}`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.now-and-next"}},
		{name: "aspiration-reality now null", wave: waveOpen, body: withAnswer(`"now-and-next":{"now":null,"target":3}`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.now-and-next"}},
		{name: "proficiency unknown level", wave: waveOpen, body: withAnswer(`"social-media":"guru"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.social-media"}},
		{name: "proficiency as a number", wave: waveOpen, body: withAnswer(`"social-media":2`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.social-media"}},
		{name: "proficiency in other capitals", wave: waveOpen, body: withAnswer(`"social-media":"Working"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.social-media"}},
		{name: "choice unknown option", wave: waveOpen, body: openBody(`"role-type":"manager","consult":2`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.role-type"}},
		{name: "choice given as a list", wave: waveOpen, body: openBody(`"role-type":["specialist"],"consult":2`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.role-type"}},
		{name: "choice given its label", wave: waveOpen, body: openBody(`"role-type":"Digital specialist","consult":2`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.role-type"}},
		{name: "multi_choice duplicate", wave: waveOpen, body: withAnswer(`"channels":["email","email"]`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.channels"}},
		{name: "multi_choice unknown option", wave: waveOpen, body: withAnswer(`"channels":["email","fax"]`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.channels"}},
		{name: "multi_choice too many", wave: waveOpen, body: withAnswer(`"channels":["email","social","web","events"]`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.channels"}},
		{name: "multi_choice not a list", wave: waveOpen, body: withAnswer(`"channels":"email"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.channels"}},
		{name: "multi_choice list of numbers", wave: waveOpen, body: withAnswer(`"channels":[1,2]`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.channels"}},
		{name: "number below min", wave: waveOpen, body: withAnswer(`"team-size":0`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.team-size"}},
		{name: "number above max", wave: waveOpen, body: withAnswer(`"team-size":501`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.team-size"}},
		{name: "number negative", wave: waveOpen, body: withAnswer(`"team-size":-3`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.team-size"}},
		{name: "number as a string", wave: waveOpen, body: withAnswer(`"team-size":"12"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.team-size"}},
		{name: "number not whole where whole numbers are asked for", wave: waveOpen, body: withAnswer(`"team-size":1.5`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.team-size"}},
		{name: "number far too large for float64", wave: waveOpen, body: withAnswer(`"team-size":1e400`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.team-size"}},
		{name: "text over max_length", wave: waveOpen, body: withAnswer(`"comments":"` + long + `"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.comments"}},
		{name: "text over max_length in characters", wave: waveOpen, body: withAnswer(`"comments":"` + strings.Repeat("é", 201) + `"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.comments"}},
		{name: "text as a number", wave: waveOpen, body: withAnswer(`"comments":42`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.comments"}},
		{name: "dont_know on a proficiency question without it", wave: waveOpen, body: withAnswer(`"social-media":"dont_know"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.social-media"}},
		{name: "dont_know on an aspiration-reality question without it", wave: waveOpen, body: withAnswer(`"now-and-next":"dont_know"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.now-and-next"}},
		{name: "dont_know on a choice question", wave: waveOpen, body: openBody(`"role-type":"dont_know","consult":2`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.role-type"}},
		{name: "dont_know on a number question", wave: waveOpen, body: withAnswer(`"team-size":"dont_know"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.team-size"}},
		{name: "required question missing", wave: waveOpen, body: openBody(`"role-type":"specialist"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.consult"}},
		{name: "required question null", wave: waveOpen, body: openBody(`"role-type":"specialist","consult":null`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.consult"}},
		{name: "every required question missing", wave: waveOpen, body: openBody(``), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.role-type", "answers.consult"}},
		{name: "answer to a hidden show_if question", wave: waveOpen, body: withAnswer(`"specialist-tools":2`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.specialist-tools"}},
		// Whether specialist-tools is asked depends on a bad answer, so only that answer is named.
		{name: "answer to a show_if question whose condition is missing", wave: waveOpen, body: openBody(`"consult":2,"specialist-tools":2`), wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.role-type"}},
		{name: "several errors at once", wave: waveOpen,
			body:       `{"submission_id":"not-a-uuid","answers":{"role-type":"manager","consult":9,"channels":["email","fax"],"team-size":"many","comments":42,"colour":"blue","specialist-tools":2,"social-media":"dont_know"}}`,
			wantStatus: 422, wantCode: invalid,
			wantFields: []string{"submission_id", "team", "answers.role-type", "answers.consult", "answers.channels", "answers.team-size",
				"answers.comments", "answers.colour", "answers.social-media"}},

		// Invite waves: the code names the team.
		{name: "invite wave without a code", wave: waveInvite, body: inviteBody(``), wantStatus: 422, wantCode: invalid, wantFields: []string{"invitation_code"}},
		{name: "invite wave with a team as well as a code", wave: waveInvite, body: inviteBody(`,"team":"campaigns","invitation_code":"` + code + `"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"team"}},
		{name: "invite wave with a team and no code", wave: waveInvite, body: inviteBody(`,"team":"campaigns"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"team", "invitation_code"}},
		{name: "invite wave with a code over 64 characters", wave: waveInvite, body: inviteBody(`,"invitation_code":"` + strings.Repeat("A", 65) + `"`), wantStatus: 422, wantCode: invalid, wantFields: []string{"invitation_code"}},
		{name: "invite wave with an unknown code", wave: waveInvite, body: inviteBody(`,"invitation_code":"AAAAA-BBBBB-CCCCC"`), wantStatus: 403, wantCode: "invitation_invalid"},
		{name: "invite wave with a good code and bad answers", wave: waveInvite, body: `{"submission_id":"` + badID + `","invitation_code":"` + code + `","answers":{"consult":2}}`, wantStatus: 422, wantCode: invalid, wantFields: []string{"answers.role-type"}},

		// Too large: 413, answered without reading the body whole.
		{name: "over the limit, whole, with Content-Length", wave: waveOpen, body: withAnswer(`"comments":"` + strings.Repeat("x", MaxSubmissionBytes) + `"`), wantStatus: 413, wantCode: "too_large"},
		{name: "10 MiB with Content-Length", wave: waveOpen, body: `{"submission_id":"` + badID + `","team":"digital-engagement","answers":{"comments":"`,
			stream: &streamed{size: 10 << 20, stallAt: 64 << 10}, wantStatus: 413, wantCode: "too_large"}, // refused on its Content-Length alone
		{name: "10 MiB chunked", wave: waveOpen, body: `{"submission_id":"` + badID + `","team":"digital-engagement","answers":{"comments":"`,
			stream: &streamed{size: 10 << 20, stallAt: 2 << 20, chunked: true}, wantStatus: 413, wantCode: "too_large"},
		{name: "just over the limit, chunked, trailing spaces", wave: waveOpen, body: openBody(minimal) + strings.Repeat(" ", MaxSubmissionBytes),
			stream: &streamed{size: int64(len(openBody(minimal)) + MaxSubmissionBytes), chunked: true}, wantStatus: 413, wantCode: "too_large"},
	}

	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			var r result
			if sc.stream != nil {
				r = e.submitStream(t, sc.wave, sc.body, *sc.stream)
			} else {
				r = e.submit(sc.wave, sc.body)
			}
			if r.status != sc.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, sc.wantStatus, r.body)
			}
			checkHeaders(t, r, true)
			got := checkError(t, r)
			if got.Code != sc.wantCode {
				t.Errorf("code %q, want %q: %s", got.Code, sc.wantCode, r.body)
			}
			want := slices.Clone(sc.wantFields)
			slices.Sort(want)
			if gotFields := keys(got.Fields); !slices.Equal(gotFields, want) {
				t.Errorf("fields %v, want %v: %s", gotFields, want, r.body)
			}
		})
	}
	t.Logf("%d bad submissions", len(scenarios))

	for _, w := range allWaves {
		if n := e.count(w); n != 0 {
			t.Errorf("wave %s holds %d responses after bad submissions only, want 0", w, n)
		}
	}
	// The codes of the invite wave are all still unused: a bad submission never spends one.
	for i, c := range e.codes {
		body := `{"submission_id":"` + newSubmissionID() + `","invitation_code":"` + c + `","answers":{` + minimal + `}}`
		if r := e.submit(waveInvite, body); r.status != http.StatusCreated {
			t.Errorf("code %d after the bad submissions: %s, want 201", i, r)
		}
	}
}

// submitStream sends a large body through a reader that stalls part-way. The answer must arrive
// while the reader is stalled, so the server cannot have waited for the whole body.
func (e *testEnv) submitStream(t *testing.T, wave, prefix string, s streamed) result {
	t.Helper()
	// The reader gives up when the request does, so a server that waits for the whole body fails
	// the test after 10 s instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	release := ctx.Done()
	stallAt := s.stallAt
	if stallAt == 0 {
		stallAt = s.size
	}
	body := &stallingReader{prefix: prefix, size: s.size, stallAt: stallAt, release: release}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.srv.URL+"/api/v1/waves/"+wave+"/responses", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if s.chunked {
		req.ContentLength = -1
	} else {
		req.ContentLength = s.size
	}
	res, err := e.client.Do(req)
	if err != nil {
		t.Fatalf("no answer while the body was still being sent: %v", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	return result{status: res.StatusCode, header: res.Header, body: b}
}

// stallingReader yields prefix, then "x" up to size bytes, but blocks at stallAt until release is closed.
type stallingReader struct {
	prefix        string
	size, stallAt int64
	n             int64
	release       <-chan struct{}
}

func (r *stallingReader) Read(p []byte) (int, error) {
	if r.n >= r.size {
		return 0, io.EOF
	}
	if r.n >= r.stallAt {
		<-r.release
		return 0, errors.New("test over")
	}
	if left := r.stallAt - r.n; int64(len(p)) > left {
		p = p[:left]
	}
	for i := range p {
		if at := r.n + int64(i); at < int64(len(r.prefix)) {
			p[i] = r.prefix[at]
		} else {
			p[i] = 'x'
		}
	}
	r.n += int64(len(p))
	return len(p), nil
}

// manyAnswers is n answers to questions no definition has, as JSON object members.
func manyAnswers(n int) string {
	members := make([]string, n)
	for i := range members {
		members[i] = fmt.Sprintf(`"q%d":0`, i)
	}
	return strings.Join(members, ",")
}
