package api

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

func TestQuestionnaire(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	r := e.get("/api/v1/waves/open/questionnaire")
	if r.status != http.StatusOK {
		t.Fatalf("status %s, want 200", r)
	}
	checkHeaders(t, r, true)
	checkJSON(t, r)

	var got struct {
		Wave   map[string]any  `json:"wave"`
		Survey json.RawMessage `json:"survey"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatalf("decode: %v: %s", err, r.body)
	}
	opened := testNow.Add(-48 * time.Hour).Format(time.RFC3339)
	wantWave := map[string]any{"key": "open", "title": "Spring 2026", "mode": "open", "state": "open",
		"threshold": 5.0, "opens_at": opened, "closes_at": nil}
	if !reflect.DeepEqual(got.Wave, wantWave) {
		t.Errorf("wave %v, want %v", got.Wave, wantWave)
	}

	var survey struct {
		ID       string
		Version  string
		Sections []struct {
			Key       string
			Questions []struct{ Key, Type string }
		}
	}
	if err := json.Unmarshal(got.Survey, &survey); err != nil {
		t.Fatalf("decode survey: %v", err)
	}
	if survey.ID != "small" || survey.Version != e.def.Version || len(survey.Version) != 64 {
		t.Errorf("survey %q version %q, want small version %q", survey.ID, survey.Version, e.def.Version)
	}
	var sections, questions []string
	for _, s := range survey.Sections {
		sections = append(sections, s.Key)
		for _, q := range s.Questions {
			questions = append(questions, q.Key+":"+q.Type)
		}
	}
	wantSections := []string{"about-you", "engagement", "skills"}
	wantQuestions := []string{"role-type:choice", "channels:multi_choice", "team-size:number", "consult:maturity",
		"now-and-next:aspiration-reality", "specialist-tools:maturity", "social-media:proficiency", "data:proficiency", "comments:text"}
	if !slices.Equal(sections, wantSections) || !slices.Equal(questions, wantQuestions) {
		t.Errorf("sections %v questions %v, want %v and %v", sections, questions, wantSections, wantQuestions)
	}

	// The survey is the definition's public JSON, nothing more.
	want, _ := json.Marshal(e.def)
	if !sameJSON(t, got.Survey, string(want)) {
		t.Errorf("survey differs from the definition:\n%s\nwant\n%s", got.Survey, want)
	}
	var anyDoc any
	_ = json.Unmarshal(r.body, &anyDoc)
	for _, bad := range []string{"Pos", "File", "Source", "Line", "keys", "order"} {
		if path := findKey(anyDoc, bad, "$"); path != "" {
			t.Errorf("internal field %q at %s", bad, path)
		}
	}
	if strings.Contains(string(r.body), "small.yaml") || strings.Contains(string(r.body), "testdata") {
		t.Errorf("questionnaire names the definition's file: %s", r.body)
	}
}

// TestQuestionnaireOfTheShippedSurvey: the shipped survey as the questionnaire serves it, every part
// the small test survey lacks (a section's condition, dimensions' guidance, whole-number questions)
// checked against the OpenAPI document by the validating client.
func TestQuestionnaireOfTheShippedSurvey(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	def, err := survey.Load("../survey-definitions/digital-communications.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := e.store.CreateWave(ctx, def, store.NewWave{Key: "shipped", Title: "Shipped survey", Mode: store.ModeOpen, Threshold: 5}); err != nil {
		t.Fatal(err)
	}
	e.mustChange(e.store.OpenWave(ctx, "shipped"))
	r := e.get("/api/v1/waves/shipped/questionnaire")
	if r.status != http.StatusOK {
		t.Fatalf("status %s, want 200", r)
	}
	for _, want := range []string{
		`"key":"policy-engagement","title":"Engaging people in policy making","show_if":{"question":"team-work","equals":"policy"}`,
		`"guidance":{"aspiration":{"text":"Pick one policy`,
		`"unit":"hours","integer":true`,
	} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("the questionnaire lacks %s", want)
		}
	}
}

// findKey returns the path of the first object key named key, or "".
func findKey(v any, key, path string) string {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if k == key {
				return path + "." + k
			}
			if p := findKey(child, key, path+"."+k); p != "" {
				return p
			}
		}
	case []any:
		for _, child := range v {
			if p := findKey(child, key, path+"[]"); p != "" {
				return p
			}
		}
	}
	return ""
}

func TestRespondentReads(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tests := []struct {
		name, method, path string
		wantStatus         int
		wantCode           string // error code, or "" for a success
		wantBody           string // exact JSON of a success, or "" to skip
		wantAllow          string // the Allow header of a 405
		api                bool   // under /api/: no-store
	}{
		{name: "questionnaire of an invite wave", method: "GET", path: "/api/v1/waves/invite/questionnaire", wantStatus: 200, api: true},
		{name: "questionnaire of an unknown wave", method: "GET", path: "/api/v1/waves/nope/questionnaire", wantStatus: 404, wantCode: "wave_not_found", api: true},
		{name: "questionnaire of a scheduled wave", method: "GET", path: "/api/v1/waves/scheduled/questionnaire", wantStatus: 409, wantCode: "wave_not_open", api: true},
		{name: "questionnaire of a closed wave", method: "GET", path: "/api/v1/waves/closed/questionnaire", wantStatus: 409, wantCode: "wave_closed", api: true},
		// Active teams only (old-team is retired), in key order, each with its parent's key.
		{name: "teams of the open wave", method: "GET", path: "/api/v1/waves/open/teams", wantStatus: 200, api: true,
			wantBody: `{"teams":[
				{"key":"campaigns","name":"Campaigns","parent":"comms"},
				{"key":"comms","name":"Communications directorate","parent":"dept"},
				{"key":"dept","name":"Department","parent":null},
				{"key":"digital-engagement","name":"Digital engagement","parent":"comms"},
				{"key":"policy","name":"Policy directorate","parent":"dept"},
				{"key":"policy-unit","name":"Policy unit","parent":"policy"}]}`},
		{name: "teams of an invite wave", method: "GET", path: "/api/v1/waves/invite/teams", wantStatus: 409, wantCode: "invite_only", api: true},
		{name: "teams of an unknown wave", method: "GET", path: "/api/v1/waves/nope/teams", wantStatus: 404, wantCode: "wave_not_found", api: true},
		{name: "teams of a scheduled wave", method: "GET", path: "/api/v1/waves/scheduled/teams", wantStatus: 409, wantCode: "wave_not_open", api: true},
		{name: "teams of a closed wave", method: "GET", path: "/api/v1/waves/closed/teams", wantStatus: 409, wantCode: "wave_closed", api: true},
		{name: "unknown API route", method: "GET", path: "/api/v1/nothing-here", wantStatus: 404, wantCode: "not_found", api: true},
		// An unknown address outside the API is a page, "Page not found": TestServicePages.
		{name: "POST to an unknown route", method: "POST", path: "/api/v1/waves/open/answers", wantStatus: 404, wantCode: "not_found", api: true},
		{name: "DELETE on responses", method: "DELETE", path: "/api/v1/waves/open/responses", wantStatus: 405, wantCode: "method_not_allowed", wantAllow: "POST", api: true},
		{name: "GET on responses", method: "GET", path: "/api/v1/waves/open/responses", wantStatus: 405, wantCode: "method_not_allowed", wantAllow: "POST", api: true},
		{name: "PUT on the questionnaire", method: "PUT", path: "/api/v1/waves/open/questionnaire", wantStatus: 405, wantCode: "method_not_allowed", wantAllow: "GET", api: true},
		{name: "healthz", method: "GET", path: "/healthz", wantStatus: 200, wantBody: `{"status":"ok"}`},
		{name: "readyz", method: "GET", path: "/readyz", wantStatus: 200, wantBody: `{"status":"ready"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.method, tt.path, nil, nil)
			if r.status != tt.wantStatus {
				t.Fatalf("status %s, want %d", r, tt.wantStatus)
			}
			checkHeaders(t, r, tt.api)
			checkJSON(t, r)
			if tt.wantCode != "" {
				if got := checkError(t, r); got.Code != tt.wantCode || got.Fields != nil {
					t.Errorf("error %+v, want code %s without fields", got, tt.wantCode)
				}
			}
			if got := r.header.Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow %q, want %q", got, tt.wantAllow)
			}
			if tt.wantBody != "" && !sameJSON(t, r.body, tt.wantBody) {
				t.Errorf("body %s, want %s", r.body, tt.wantBody)
			}
		})
	}
}
