package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"skillsurvey/internal/survey"
)

// FuzzDecodeSubmission posts arbitrary bytes as the body of POST /api/v1/waves/{wave}/responses,
// through the real router over a real SQLite file, to one of four waves. For every input:
//
//   - the answer is one the route documents and this wave can give (never 500), and matches
//     api/openapi.yaml, the request too when it is taken (2xx);
//   - an error is the one error shape, quoting at most maxMessage characters of the body in any
//     one message or field, and naming only fields the body holds or the survey asks;
//   - a body the decoder takes holds only the documented top-level fields, spelt exactly;
//   - a 201 stores one response in the wave, and any other answer none;
//   - sent again, the same body is a retry (200 with the same receipt after a 201) or gets the
//     same refusal.
//
// Its seeds run in every go test, the large ones in TestDecodeSubmissionLargeSeeds; make fuzz runs
// it for minutes.
func FuzzDecodeSubmission(f *testing.F) {
	for _, s := range submissionSeeds() {
		if len(s.body) <= maxFuzzSeed {
			f.Add(s.wave, []byte(s.body))
		}
	}
	fz := newSubmissionFuzzer(f)
	f.Fuzz(func(t *testing.T, wave uint8, body []byte) {
		fz.check(t, fuzzWaves[int(wave)%len(fuzzWaves)], body)
	})
}

// TestDecodeSubmissionLargeSeeds puts the seeds too large to fuzz from through the fuzzer's checks:
// mutating and shrinking a body of a quarter of a megabyte would take the fuzzer's whole time.
func TestDecodeSubmissionLargeSeeds(t *testing.T) {
	t.Parallel()
	fz := newSubmissionFuzzer(t)
	for i, s := range submissionSeeds() {
		if len(s.body) > maxFuzzSeed {
			t.Run(fmt.Sprintf("seed %d of %d bytes", i, len(s.body)), func(t *testing.T) {
				fz.check(t, fuzzWaves[s.wave], []byte(s.body))
			})
		}
	}
}

// maxFuzzSeed is the largest seed the fuzzer starts from.
const maxFuzzSeed = 4 << 10

// fuzzWaves are the waves a fuzzed body goes to, chosen by the input's first value: past the
// decoder, each takes the body down another path.
var fuzzWaves = []string{waveOpen, waveClosed, waveInvite, waveScheduled}

// Indexes into fuzzWaves, for the seeds.
const (
	toOpen uint8 = iota
	toClosed
	toInvite
	toScheduled
)

// fuzzAnswers are the answers each wave may give, as "status" or "status code": those
// api/openapi.yaml documents for the route, less 415, 421 and 429 (the fuzzer sends JSON, to a
// known host, within generous limits) and 500, which is always a bug.
var fuzzAnswers = map[string][]string{
	waveOpen: {"201", "200", "400 malformed", "404 team_not_found", "409 duplicate_submission",
		"413 too_large", "422 invalid"},
	// Nothing was stored in the closed wave before it closed, so nothing sent to it is a retry (200).
	waveClosed: {"400 malformed", "409 wave_closed", "413 too_large"},
	// Its codes are random, so no fuzzed body holds one: no response (201) or retry (200, 409).
	waveInvite:    {"400 malformed", "403 invitation_invalid", "413 too_large", "422 invalid"},
	waveScheduled: {"400 malformed", "409 wave_not_open", "413 too_large"},
}

// maxFuzzErrorBody bounds an error answer without fields: its message is at most maxMessage
// characters, each at most 6 bytes in JSON (\u001f).
const maxFuzzErrorBody = 8 << 10

// documentedFields are the top-level fields of a submission, as api/openapi.yaml spells them.
var documentedFields = []string{"submission_id", "team", "invitation_code", "answers"}

// submissionFuzzer is the router the fuzzer posts to, over a test environment.
type submissionFuzzer struct {
	e    *testEnv
	h    http.Handler
	spec *specChecker
}

// newSubmissionFuzzer builds a test environment and a router over it whose limits no run meets.
func newSubmissionFuzzer(t testing.TB) *submissionFuzzer {
	e := newTestEnv(t)
	// The router's clock runs from the test's "now", so the allowances refill (at a million events
	// a second, far above any fuzzing rate) and no fuzzing run is ever refused with 429.
	start := time.Now()
	now := func() time.Time { return testNow.Add(time.Since(start)) }
	limitless := Limit{Every: time.Microsecond, Burst: 1_000_000}
	h := New(Config{Store: e.store, Logger: slog.New(slog.DiscardHandler), Now: now, Proxies: mustProxies(t),
		Definitions: []*survey.Definition{e.def},
		Limits:      Limits{SignIn: limitless, Codes: limitless, Submissions: limitless, Requests: limitless}})
	return &submissionFuzzer{e: e, h: h, spec: mustSpec(t)}
}

// check posts body to wave twice and checks both answers.
func (fz *submissionFuzzer) check(t *testing.T, wave string, body []byte) {
	before := fz.count(t, wave)
	first := fz.post(t, wave, body)
	fz.checkAnswer(t, wave, body, first)
	stored := int64(0)
	if first.status == http.StatusCreated {
		stored = 1
	}
	if after := fz.count(t, wave); after != before+stored {
		t.Fatalf("%d: wave %s held %d responses before and %d after, want %d", first.status, wave, before, after, before+stored)
	}

	again := fz.post(t, wave, body)
	fz.checkAnswer(t, wave, body, again)
	if after := fz.count(t, wave); after != before+stored {
		t.Fatalf("sent again: wave %s holds %d responses, want %d", wave, after, before+stored)
	}
	switch {
	case first.status == http.StatusCreated || first.status == http.StatusOK:
		if again.status != http.StatusOK || !sameJSON(t, again.body, string(first.body)) {
			t.Fatalf("a retry after %d answered %s, want 200 with the first receipt %s", first.status, again, first.body)
		}
	case again.status != first.status || errorCode(again) != errorCode(first):
		t.Fatalf("sent twice, answered %s, then %s", first, again)
	}
}

// post sends body to wave's responses in-process, and validates the exchange against the document.
func (fz *submissionFuzzer) post(t *testing.T, wave string, body []byte) result {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/waves/"+wave+"/responses", bytes.NewReader(body))
	req.RemoteAddr, req.Host = "127.0.0.1:4000", "127.0.0.1"
	req.Header.Set("Content-Type", "application/json")
	// So the document can check the request too, when the service takes it.
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	rec := httptest.NewRecorder()
	fz.h.ServeHTTP(rec, req)
	res := rec.Result()
	validateExchange(t, fz.spec, req, res, rec.Body.Bytes())
	return result{status: res.StatusCode, header: res.Header, body: rec.Body.Bytes()}
}

// checkAnswer checks one answer to body: documented for this wave, in the right shape, bounded,
// and taken only when the body holds nothing but the documented fields.
func (fz *submissionFuzzer) checkAnswer(t *testing.T, wave string, body []byte, r result) {
	t.Helper()
	checkHeaders(t, r, true)
	code := ""
	if r.status >= 400 {
		code = checkError(t, r).Code
		fz.checkBounded(t, body, r)
	} else {
		checkJSON(t, r)
		var rc receipt
		if err := json.Unmarshal(r.body, &rc); err != nil || rc.Wave != wave {
			t.Errorf("receipt %s is not of wave %s (%v)", r.body, wave, err)
		}
	}
	if got := strings.TrimSpace(strconv.Itoa(r.status) + " " + code); !slices.Contains(fuzzAnswers[wave], got) {
		t.Fatalf("wave %s answered %q, not one of %q: %.2000s", wave, got, fuzzAnswers[wave], r.body)
	}
	if r.status != http.StatusBadRequest && r.status != http.StatusRequestEntityTooLarge {
		checkTakenBody(t, body)
	}
}

// checkBounded fails an error answer that quotes too much of what was sent: a message or field of
// more than maxMessage characters, an answer without fields of more than maxFuzzErrorBody bytes, or
// a field that names neither a top-level field, nor a question, nor an answer the body holds.
func (fz *submissionFuzzer) checkBounded(t *testing.T, body []byte, r result) {
	t.Helper()
	var e struct{ Error apiError }
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error answer: %v", err)
	}
	if len(e.Error.Fields) == 0 && len(r.body) > maxFuzzErrorBody {
		t.Errorf("a %d answer of %d bytes, over %d", r.status, len(r.body), maxFuzzErrorBody)
	}
	long := func(s string) bool { return utf8.RuneCountInString(s) > maxMessage }
	if long(e.Error.Message) {
		t.Errorf("message of %d characters, over %d", utf8.RuneCountInString(e.Error.Message), maxMessage)
	}
	if len(e.Error.Fields) == 0 {
		return
	}
	named := map[string]bool{"body": true}
	for _, f := range documentedFields {
		named[f] = true
	}
	for _, q := range fz.e.def.Questions() {
		named["answers."+q.Key] = true
	}
	var sent struct{ Answers map[string]json.RawMessage }
	_ = json.Unmarshal(body, &sent) // fields come from past the decoder, which read the same answers
	for k := range sent.Answers {
		named[clip("answers."+k)] = true
	}
	for k, v := range e.Error.Fields {
		if long(k) || long(v) {
			t.Errorf("field of %d characters with a message of %d, over %d", utf8.RuneCountInString(k),
				utf8.RuneCountInString(v), maxMessage)
		}
		if !named[k] {
			t.Errorf("field %.100q names nothing the body holds or the survey asks", k)
		}
	}
}

// checkTakenBody fails a body the decoder took (the answer came from past it) that is not one JSON
// object whose top-level keys are each one of the documented fields, spelt exactly.
func checkTakenBody(t *testing.T, body []byte) {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		t.Fatalf("the decoder took a body that is not one JSON object (%v): %.500q", err, body)
	}
	for k := range top {
		if !slices.Contains(documentedFields, k) {
			t.Fatalf("the decoder took a body with the top-level field %.100q, which is none of %q", k, documentedFields)
		}
	}
}

// errorCode is the code of an error answer, or "" for any other.
func errorCode(r result) string {
	var e struct{ Error struct{ Code string } }
	_ = json.Unmarshal(r.body, &e) // a receipt has no code
	return e.Error.Code
}

// count is how many responses wave holds.
func (fz *submissionFuzzer) count(t *testing.T, wave string) int64 {
	t.Helper()
	n, err := fz.e.store.CountResponses(context.Background(), fz.e.waves[wave].ID)
	if err != nil {
		t.Fatalf("count responses of %s: %v", wave, err)
	}
	return n
}

// fuzzSeed is a body and the wave it goes to (an index into fuzzWaves).
type fuzzSeed struct {
	wave uint8
	body string
}

// submissionSeeds are good submissions and the bodies a careless client, a proxy or an attacker
// could send.
func submissionSeeds() []fuzzSeed {
	const id = "6a1c2f0e-8b3d-4e5f-9a7b-1c2d3e4f5a6b"
	good := openSubmission(id, "digital-engagement", fullAnswers)
	// with is a submission to the open wave with the given top-level fields after its id.
	with := func(fields string) string { return `{"submission_id":"` + id + `",` + fields + `}` }
	answer := func(keyAndValue string) string {
		return with(`"team":"campaigns","answers":{` + minimal + `,` + keyAndValue + `}`)
	}
	nested := func(depth int) string { return strings.Repeat("[", depth) + strings.Repeat("]", depth) }
	var many strings.Builder // 600 unknown answers, more than the 500 the document allows
	for n := range 600 {
		if n > 0 {
			many.WriteByte(',')
		}
		many.WriteString(`"q` + strconv.Itoa(n) + `":0`)
	}
	open := []string{
		good,
		openSubmission("7b2d3f1e-9c4e-4f60-8b8c-2d3e4f5a6b7c", "campaigns", `{`+minimal+`}`),
		openSubmission(strings.ToUpper("8c3e4a2f-0d5f-4a71-9c9d-3e4f5a6b7c8d"), "comms", fullAnswers),
		// Not one JSON object.
		``, " \n\t ", `null`, `[]`, `[` + good + `]`, `"hello"`, `42`, `true`, `{}`, `{`, `}`,
		"\xef\xbb\xbf" + good, // a byte order mark
		// Nested: within the limit, in an answer; past encoding/json's depth limit; nested objects.
		answer(`"comments":` + nested(500)),
		answer(`"comments":` + nested(10_001)),
		with(`"team":"campaigns","answers":` + strings.Repeat(`{"answers":`, 200) + `{}` + strings.Repeat(`}`, 201)),
		// Huge: a text over max_length, a body over the limit, a huge answer key, a huge field name.
		answer(`"comments":"` + strings.Repeat("x", 200<<10) + `"`),
		answer(`"comments":"` + strings.Repeat("x", MaxSubmissionBytes) + `"`),
		answer(`"` + strings.Repeat("k", 100<<10) + `":1`),
		with(`"` + strings.Repeat("f", 100<<10) + `":1,"team":"campaigns","answers":{}`),
		with(`"team":"campaigns","answers":{` + minimal + `,` + many.String() + `}`),
		// Duplicate keys, at the top and in the answers; keys in other capitals.
		`{"team":"a","team":"b"}`,
		with(`"team":"no-such-team","team":"campaigns","answers":{` + minimal + `}`),
		answer(`"consult":9,"consult":2`),
		with(`"TEAM":"campaigns","answers":{` + minimal + `}`),
		`{"Submission_ID":"` + id + `","team":"campaigns","answers":{` + minimal + `}}`,
		// Unknown fields.
		with(`"team":"campaigns","name":"Ann","answers":{` + minimal + `}`),
		with(`"team":"campaigns","answers":{` + minimal + `},"extra":{}`),
		// Each field of the wrong type, and numbers where strings go.
		`{"submission_id":42,"team":"campaigns","answers":{` + minimal + `}}`,
		`{"submission_id":null,"team":"campaigns","answers":{` + minimal + `}}`,
		`{"submission_id":["` + id + `"],"team":"campaigns","answers":{` + minimal + `}}`,
		with(`"team":7,"answers":{` + minimal + `}`),
		with(`"team":{"key":"campaigns"},"answers":{` + minimal + `}`),
		with(`"team":"campaigns","invitation_code":12345,"answers":{` + minimal + `}`),
		with(`"team":"campaigns","invitation_code":"AAAAA-BBBBB-CCCCC","answers":{` + minimal + `}`),
		with(`"team":"campaigns","answers":"all good"`),
		with(`"team":"campaigns","answers":[2]`),
		with(`"team":"campaigns","answers":3`),
		with(`"team":"campaigns","answers":null`),
		answer(`"team-size":"12"`),
		answer(`"social-media":2`),
		answer(`"team-size":1e400`),
		answer(`"team-size":-0`),
		// Invalid UTF-8 and awkward escapes.
		with("\"team\":\"campaigns\xff\",\"answers\":{" + minimal + "}"),
		answer("\"comments\":\"\xff\xfe\xc3(\""),
		answer("\"\xc3(\":1"),
		with("\"\xff\":1,\"team\":\"campaigns\",\"answers\":{}"),
		answer(`"comments":"\ud800 and \u0000"`),
		with(`"team":"camp\u0061igns","answers":{` + minimal + `}`),
		// Something after the object.
		good + ` x`,
		good + `}`,
		good + "\x00",
		good + good,
		good + "\n" + good,
		good + `{}`,
	}
	var seeds []fuzzSeed
	for _, body := range open {
		seeds = append(seeds, fuzzSeed{toOpen, body})
	}
	return append(seeds,
		fuzzSeed{toClosed, good},
		fuzzSeed{toClosed, good + ` x`},
		fuzzSeed{toInvite, `{"submission_id":"` + id + `","invitation_code":"AAAAA-BBBBB-CCCCC","answers":{` + minimal + `}}`},
		fuzzSeed{toInvite, `{"submission_id":"` + id + `","team":"campaigns","invitation_code":"aaaaa bbbbb","answers":{}}`},
		fuzzSeed{toInvite, good},
		fuzzSeed{toScheduled, good},
		fuzzSeed{toScheduled, `[]`},
	)
}
