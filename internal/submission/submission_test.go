package submission

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/scoring"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// testNow is just after midnight in Paris, still the evening before in UTC: the day is UTC's.
var testNow = time.Date(2026, time.March, 11, 0, 30, 0, 0, time.FixedZone("CET", 3600))

const testDay = "2026-03-10"

// fullAnswers answers every question of small.yaml as a specialist (as in api/receipt_test.go).
const fullAnswers = `{"role-type":"specialist","channels":["email","social"],"team-size":12,` +
	`"consult":3,"now-and-next":{"now":2,"target":4},"specialist-tools":3,` +
	`"social-media":"expert","data":"practitioner","comments":"More time for analytics, please."}`

// env is the service over a fresh SQLite file: an open wave and an invite wave of small.yaml, a
// hierarchy with a retired team, and three codes of the invite wave for team campaigns.
type env struct {
	st           *store.Store
	def          *survey.Definition
	svc          *Service
	open, invite store.Wave
	codes        []string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "survey.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	def, err := survey.Load("../survey/testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	teams := []hierarchy.Team{
		{Line: 1, Key: "dept", Name: "Department"},
		{Line: 2, Key: "digital", Name: "Digital", Parent: "dept"},
		{Line: 3, Key: "campaigns", Name: "Campaigns", Parent: "dept"},
		{Line: 4, Key: "old-team", Name: "Old team", Parent: "dept"},
	}
	for _, imported := range [][]hierarchy.Team{teams, teams[:3]} { // old-team is retired by the second
		if _, err := st.ImportTeams(ctx, imported); err != nil {
			t.Fatal(err)
		}
	}
	e := &env{st: st, def: def}
	if e.open, err = st.CreateWave(ctx, def, store.NewWave{Key: "open", Title: "Open", Mode: store.ModeOpen, Threshold: 5}); err != nil {
		t.Fatal(err)
	}
	if e.invite, err = st.CreateWave(ctx, def, store.NewWave{Key: "invite", Title: "Invite", Mode: store.ModeInvite, Threshold: 5}); err != nil {
		t.Fatal(err)
	}
	if e.codes, err = st.CreateInvitations(ctx, "invite", "campaigns", 3); err != nil {
		t.Fatal(err)
	}
	definitions := func(_ context.Context, version string) (*survey.Definition, error) {
		if version != def.Version {
			return nil, fmt.Errorf("no definition version %s", version)
		}
		return def, nil
	}
	e.svc = NewService(st, definitions, func() time.Time { return testNow })
	return e
}

func answers(t *testing.T, raw string) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func (e *env) check(t *testing.T, w store.Wave, sub Submission) Checked {
	t.Helper()
	c, err := e.svc.Check(context.Background(), w, sub, nil)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	return c
}

func (e *env) save(t *testing.T, w store.Wave, sub Submission) (Receipt, bool) {
	t.Helper()
	rc, created, err := e.svc.Save(context.Background(), e.check(t, w, sub))
	if err != nil {
		t.Fatalf("save: %v", err)
	}
	return rc, created
}

const id = "0b6f7c9e-5d7a-4a37-9d2c-3f1e2a9b8c71"

func TestSubmissionHashIgnoresCase(t *testing.T) {
	if submissionHash(id) != submissionHash(strings.ToUpper(id)) {
		t.Error("a submission_id in capitals hashes differently")
	}
	if submissionHash(id) == submissionHash(strings.Replace(id, "0b6f", "0b6e", 1)) {
		t.Error("two submission_ids hash alike")
	}
	if h := submissionHash(id); len(h) != 64 || strings.Contains(h, id) {
		t.Errorf("submission hash %q, want 64 hex digits that do not hold the id", h)
	}
}

func TestContentHash(t *testing.T) {
	e := newEnv(t)
	base := e.check(t, e.open, Submission{ID: id, Team: "digital", Answers: answers(t, fullAnswers)}).response
	// The same answers written otherwise: keys reordered, numbers and levels spelled differently.
	respelled := e.check(t, e.open, Submission{ID: strings.ToUpper(id), Team: "digital", Answers: answers(t, `{
		"comments":"More time for analytics, please.","data":"practitioner","social-media":"expert",
		"specialist-tools":3.0,"now-and-next":{"target":4,"now":2e0},"consult":3,"team-size":12.0,
		"channels":["social","email"],"role-type":"specialist"}`)}).response
	if respelled.ContentHash != base.ContentHash || respelled.SubmissionHash != base.SubmissionHash {
		t.Error("the same submission written otherwise hashes differently")
	}
	for name, sub := range map[string]Submission{
		"another team":   {ID: id, Team: "campaigns", Answers: answers(t, fullAnswers)},
		"another answer": {ID: id, Team: "digital", Answers: answers(t, strings.Replace(fullAnswers, `"consult":3`, `"consult":4`, 1))},
	} {
		if e.check(t, e.open, sub).response.ContentHash == base.ContentHash {
			t.Errorf("%s: the content hash did not change", name)
		}
	}
}

// TestInvitationCodeIsNotInTheContentHash: the content hash is stored with the response, so a code
// in it would let whoever handed out the codes tell whom a response came from.
func TestInvitationCodeIsNotInTheContentHash(t *testing.T) {
	e := newEnv(t)
	var hashes []string
	for _, code := range e.codes {
		r := e.check(t, e.invite, Submission{ID: id, InvitationCode: code, Answers: answers(t, fullAnswers)}).response
		if r.InvitationHash != store.HashCode(code) {
			t.Errorf("invitation hash %q, want the stored form of %s", r.InvitationHash, code)
		}
		if r.ContentHash != contentHash("", r.Answers) {
			t.Errorf("content hash of an invite submission holds more than its answers")
		}
		hashes = append(hashes, r.ContentHash)
	}
	if hashes[0] != hashes[1] || hashes[1] != hashes[2] {
		t.Errorf("content hashes differ with the code: %v", hashes)
	}
}

func TestResponseAssembly(t *testing.T) {
	e := newEnv(t)
	r := e.check(t, e.open, Submission{ID: id, Team: "digital", Answers: answers(t, fullAnswers)}).response
	digital, err := e.st.Team(context.Background(), "digital")
	if err != nil {
		t.Fatal(err)
	}
	if r.WaveID != e.open.ID || r.TeamID != digital.ID || r.InvitationHash != "" || r.DefinitionVersion != e.def.Version ||
		r.SubmittedOn != testDay || r.Role != "specialist" {
		t.Errorf("response = %+v", r)
	}
	if want := []store.Choice{{Question: "role-type", Option: "specialist"}}; !slices.Equal(r.Choices, want) {
		t.Errorf("choices %v, want %v", r.Choices, want)
	}
	// A multi_choice counts one answer and each option; team-size (1 to 500, default bins from 1,
	// 126, 251 and 376) one answer and its bin, 0 for 12.
	wantCounted := []store.Counted{{Question: "channels"}, {Question: "channels", Value: "email"},
		{Question: "channels", Value: "social"}, {Question: "team-size"}, {Question: "team-size", Value: "0"}}
	if !slices.Equal(r.Counted, wantCounted) {
		t.Errorf("counted %v, want %v", r.Counted, wantCounted)
	}
	if want := map[string]string{"comments": "More time for analytics, please."}; !maps.Equal(r.Texts, want) {
		t.Errorf("texts %v, want %v", r.Texts, want)
	}
	if len(r.Result.Items) != 5 || r.Result.Overall == nil || len(r.Result.Dimensions) != 2 {
		t.Errorf("scores = %+v, want 5 items, an overall score and 2 dimensions", r.Result)
	}
	// Every score the store is given is the scorer's, field by field.
	checked, problems := e.def.CheckAnswers(answers(t, fullAnswers))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	want := scoring.Score(e.def, checked, scoring.Current)
	same := func(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	if !same(r.Result.Overall, want.Overall) || !same(r.Result.Reality, want.Reality) || !same(r.Result.Aspiration, want.Aspiration) {
		t.Errorf("overall scores %+v, want the scorer's %+v", r.Result, want)
	}
	for key, w := range want.Dimensions {
		got, ok := r.Result.Dimensions[key]
		if !ok || !same(got.Score, w.Score) || !same(got.Reality, w.Reality) || !same(got.Aspiration, w.Aspiration) ||
			got.Complete != w.Complete || got.Total != w.Total {
			t.Errorf("dimension %s = %+v, want the scorer's %+v", key, got, w)
		}
	}
	for i, w := range want.Items {
		got := r.Result.Items[i]
		if got.Question != w.Question || got.Dimension != w.Dimension || got.Score != w.Score || got.Proficiency != w.Proficiency {
			t.Errorf("item %d = %+v, want the scorer's %+v", i, got, w)
		}
	}
}

func TestCheckRefuses(t *testing.T) {
	e := newEnv(t)
	minimal := `{"role-type":"non-specialist","consult":2}`
	tests := []struct {
		name       string
		invite     bool
		sub        Submission
		refused    map[string]string
		wantErr    error
		wantFields []string
	}{
		{name: "open wave without a team", sub: Submission{ID: id, Answers: answers(t, minimal)}, wantFields: []string{"team"}},
		{name: "open wave given a code", sub: Submission{ID: id, Team: "digital", InvitationCode: "AAAAA-BBBBB-CCCCC", Answers: answers(t, minimal)},
			wantFields: []string{"invitation_code"}},
		{name: "invite wave without a code", invite: true, sub: Submission{ID: id, Answers: answers(t, minimal)}, wantFields: []string{"invitation_code"}},
		{name: "invite wave given a team", invite: true, sub: Submission{ID: id, Team: "campaigns", InvitationCode: "AAAAA-BBBBB-CCCCC", Answers: answers(t, minimal)},
			wantFields: []string{"team"}},
		{name: "bad answers", sub: Submission{ID: id, Team: "digital", Answers: answers(t, `{"consult":9}`)},
			wantFields: []string{"answers.role-type", "answers.consult"}},
		{name: "the caller's refusals come with the rest", sub: Submission{ID: "not-a-uuid", Team: "digital", Answers: answers(t, `{"consult":2}`)},
			refused: map[string]string{"submission_id": "must be a UUID"}, wantFields: []string{"submission_id", "answers.role-type"}},
		{name: "a team the caller refused is not looked up", sub: Submission{ID: id, Team: "no-such-team", Answers: answers(t, minimal)},
			refused: map[string]string{"team": "too long"}, wantFields: []string{"team"}},
		{name: "unknown team, whatever else is wrong", sub: Submission{ID: id, Team: "no-such-team", Answers: answers(t, `{"consult":9}`)},
			wantErr: ErrTeamNotFound},
		{name: "retired team", sub: Submission{ID: id, Team: "old-team", Answers: answers(t, minimal)}, wantErr: ErrTeamNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.open
			if tt.invite {
				w = e.invite
			}
			refused := maps.Clone(tt.refused)
			_, err := e.svc.Check(context.Background(), w, tt.sub, refused)
			if !maps.Equal(refused, tt.refused) {
				t.Errorf("the caller's fields were changed: %v", refused)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			var bad *Invalid
			if !errors.As(err, &bad) {
				t.Fatalf("err = %v, want *Invalid", err)
			}
			got := slices.Sorted(maps.Keys(bad.Fields))
			want := slices.Sorted(slices.Values(tt.wantFields))
			if !slices.Equal(got, want) {
				t.Errorf("fields %v, want %v", bad.Fields, want)
			}
		})
	}
}

// TestReceiptWorkedByHand: fullAnswers' scores, as api/receipt_test.go works them out, exact.
//
//	engagement = (100·2/3·1 + 25·2 + 100·1) / 4 = 325/6 = 54.17, developing (40-60)
//	skills     = social-media expert = 100, reality (80+)
//	overall    = (325/6·2 + 100·1) / 3 = 625/9 = 69.44, embedded (60-80)
func TestReceiptWorkedByHand(t *testing.T) {
	e := newEnv(t)
	rc, created := e.save(t, e.open, Submission{ID: id, Team: "digital", Answers: answers(t, fullAnswers)})
	if !created {
		t.Error("a first submission was not created")
	}
	if rc.SubmissionID != id || rc.Wave != "open" || rc.Team != "digital" || rc.SubmittedOn != testDay {
		t.Errorf("receipt %+v", rc)
	}
	for name, tc := range map[string]struct {
		got   Score
		want  float64
		stage string
	}{
		"overall":    {rc.Overall, 625.0 / 9, "embedded"},
		"engagement": {rc.Dimensions["engagement"], 325.0 / 6, "developing"},
		"skills":     {rc.Dimensions["skills"], 100, "reality"},
	} {
		if tc.got.Value == nil || math.Abs(*tc.got.Value-tc.want) > 1e-9 || tc.got.Stage != tc.stage {
			t.Errorf("%s = %v %q, want %v %q", name, tc.got.Value, tc.got.Stage, tc.want, tc.stage)
		}
	}
	if len(rc.Dimensions) != 2 {
		t.Errorf("dimensions %v, want engagement and skills", rc.Dimensions)
	}
	// A dimension without enough answers has neither score nor stage.
	rc, _ = e.save(t, e.open, Submission{ID: "1b6f7c9e-5d7a-4a37-9d2c-3f1e2a9b8c71", Team: "digital",
		Answers: answers(t, `{"role-type":"non-specialist","consult":4,"social-media":"awareness"}`)})
	if sc := rc.Dimensions["engagement"]; sc.Value != nil || sc.Stage != "" {
		t.Errorf("engagement with one answer = %+v, want no score", sc)
	}
}

func TestRetryOrConflict(t *testing.T) {
	e := newEnv(t)
	sub := Submission{ID: id, Team: "digital", Answers: answers(t, fullAnswers)}
	first, created := e.save(t, e.open, sub)
	if !created {
		t.Fatal("the first submission was not created")
	}
	upper := sub
	upper.ID = strings.ToUpper(id)
	for name, retry := range map[string]Submission{"the same again": sub, "the id in capitals": upper} {
		rc, created := e.save(t, e.open, retry)
		want := first
		want.SubmissionID = retry.ID // the receipt names the id as sent this time
		if created || !sameReceipt(rc, want) {
			t.Errorf("%s: created = %v, receipt %+v, want the first %+v", name, created, rc, want)
		}
	}
	for name, other := range map[string]Submission{
		"other answers": {ID: id, Team: "digital", Answers: answers(t, strings.Replace(fullAnswers, `"consult":3`, `"consult":4`, 1))},
		"another team":  {ID: id, Team: "campaigns", Answers: answers(t, fullAnswers)},
	} {
		if _, _, err := e.svc.Save(context.Background(), e.check(t, e.open, other)); !errors.Is(err, ErrConflict) {
			t.Errorf("%s: err = %v, want ErrConflict", name, err)
		}
	}
	if n, err := e.st.CountResponses(context.Background(), e.open.ID); err != nil || n != 1 {
		t.Errorf("%d responses stored (%v), want 1", n, err)
	}
}

func TestInvitations(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sub := Submission{ID: id, InvitationCode: e.codes[0], Answers: answers(t, fullAnswers)}
	first, created := e.save(t, e.invite, sub)
	if !created || first.Team != "campaigns" {
		t.Fatalf("created = %v, team %q; want a new response for the code's team, campaigns", created, first.Team)
	}
	// A retry is known by its submission_id and content, never by its code: another code gets the
	// first receipt, and is not spent.
	other := sub
	other.InvitationCode = e.codes[1]
	if rc, created := e.save(t, e.invite, other); created || !sameReceipt(rc, first) {
		t.Errorf("a retry with another code: created = %v, receipt %+v", created, rc)
	}
	if _, created := e.save(t, e.invite, Submission{ID: "2b6f7c9e-5d7a-4a37-9d2c-3f1e2a9b8c71", InvitationCode: e.codes[1], Answers: answers(t, fullAnswers)}); !created {
		t.Error("the other code was spent by a retry")
	}
	for name, code := range map[string]string{"a used code": e.codes[0], "an unknown code": "AAAAA-BBBBB-CCCCC"} {
		_, _, err := e.svc.Save(ctx, e.check(t, e.invite, Submission{ID: "3b6f7c9e-5d7a-4a37-9d2c-3f1e2a9b8c71", InvitationCode: code, Answers: answers(t, fullAnswers)}))
		if !errors.Is(err, ErrInvitation) || errors.Is(err, store.ErrInvitation) {
			t.Errorf("%s: err = %v, want ErrInvitation and not the store's", name, err)
		}
	}
}

// TestReplay: after a wave closes, only a retry of a stored response gets an answer: its first receipt.
func TestReplay(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sub := Submission{ID: id, Team: "digital", Answers: answers(t, fullAnswers)}
	first, _ := e.save(t, e.open, sub)
	rc, err := e.svc.Replay(ctx, e.open, sub, nil)
	if err != nil || !sameReceipt(rc, first) {
		t.Errorf("a retry after closing: %+v, %v; want the first receipt", rc, err)
	}
	for name, tc := range map[string]struct {
		sub     Submission
		refused map[string]string
	}{
		"a new submission":           {sub: Submission{ID: "4b6f7c9e-5d7a-4a37-9d2c-3f1e2a9b8c71", Team: "digital", Answers: sub.Answers}},
		"the same id, other answers": {sub: Submission{ID: id, Team: "campaigns", Answers: sub.Answers}},
		"bad answers":                {sub: Submission{ID: id, Team: "digital", Answers: answers(t, `{"consult":9}`)}},
		"an unknown team":            {sub: Submission{ID: id, Team: "no-such-team", Answers: sub.Answers}},
		"refused by the caller":      {sub: sub, refused: map[string]string{"submission_id": "must be a UUID"}},
	} {
		if _, err := e.svc.Replay(ctx, e.open, tc.sub, tc.refused); !errors.Is(err, ErrWaveClosed) {
			t.Errorf("%s: err = %v, want ErrWaveClosed", name, err)
		}
	}
}

func sameReceipt(a, b Receipt) bool {
	if a.SubmissionID != b.SubmissionID || a.Wave != b.Wave || a.Team != b.Team || a.SubmittedOn != b.SubmittedOn ||
		!sameScore(a.Overall, b.Overall) || len(a.Dimensions) != len(b.Dimensions) {
		return false
	}
	for key, sc := range a.Dimensions {
		if !sameScore(sc, b.Dimensions[key]) {
			return false
		}
	}
	return true
}

func sameScore(a, b Score) bool {
	return a.Stage == b.Stage && (a.Value == nil) == (b.Value == nil) && (a.Value == nil || *a.Value == *b.Value)
}

// TestTeamsOfTheWavesHierarchy: a respondent answers for a team of the wave's own hierarchy. A team
// imported after the wave opened is not in it; a team retired after it opened still is.
func TestTeamsOfTheWavesHierarchy(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.st.OpenWave(ctx, "open"); err != nil {
		t.Fatal(err)
	}
	w, err := e.st.Wave(ctx, "open")
	if err != nil {
		t.Fatal(err)
	}
	later := []hierarchy.Team{
		{Line: 1, Key: "dept", Name: "Department"},
		{Line: 2, Key: "digital", Name: "Digital", Parent: "dept"},
		{Line: 3, Key: "late-team", Name: "Late team", Parent: "dept"},
	}
	if _, err := e.st.ImportTeams(ctx, later); err != nil { // campaigns retired, late-team new
		t.Fatal(err)
	}
	minimal := answers(t, `{"role-type":"non-specialist","consult":2}`)
	if _, err := e.svc.Check(ctx, w, Submission{ID: id, Team: "late-team", Answers: minimal}, nil); !errors.Is(err, ErrTeamNotFound) {
		t.Errorf("a team imported after the wave opened: err = %v, want ErrTeamNotFound", err)
	}
	c := e.check(t, w, Submission{ID: id, Team: "campaigns", Answers: minimal})
	campaigns, err := e.st.Team(ctx, "campaigns")
	if err != nil || !campaigns.Retired {
		t.Fatalf("campaigns = %+v, %v; want it retired now", campaigns, err)
	}
	if c.response.TeamID != campaigns.ID {
		t.Errorf("the response counts for team %d, want campaigns (%d)", c.response.TeamID, campaigns.ID)
	}
}

// TestScoringRulesOfTheWave: a new wave takes the current scoring rules, and a submission is scored
// under its wave's rules: a specialist at working in social-media (which needs practitioner) scores
// 100·2/3 under role-aware rules and 100·2/4 on the ladder of a wave made before them.
func TestScoringRulesOfTheWave(t *testing.T) {
	if int(scoring.Current) != store.CurrentScoringRules {
		t.Fatalf("scoring.Current = %d, store.CurrentScoringRules = %d: a new wave must take the rules the scorer calls current", scoring.Current, store.CurrentScoringRules)
	}
	e := newEnv(t)
	ctx := context.Background()
	old, err := e.st.CreateWave(ctx, e.def, store.NewWave{Key: "old", Title: "Old", Mode: store.ModeOpen, Threshold: 5, ScoringRules: int(scoring.OriginalRules)})
	if err != nil {
		t.Fatal(err)
	}
	if e.open.ScoringRules != int(scoring.Current) || old.ScoringRules != int(scoring.OriginalRules) {
		t.Fatalf("rules %d and %d, want %d and %d", e.open.ScoringRules, old.ScoringRules, scoring.Current, scoring.OriginalRules)
	}
	for _, tc := range []struct {
		w    store.Wave
		want float64
	}{{e.open, 200.0 / 3}, {old, 50}} {
		c := e.check(t, tc.w, Submission{ID: id, Team: "digital", Answers: answers(t, `{"role-type":"specialist","consult":2,"specialist-tools":2,"social-media":"working"}`)})
		if got := c.response.Result.Dimensions["skills"].Score; got == nil || math.Abs(*got-tc.want) > 1e-9 {
			t.Errorf("wave %s (rules %d): skills %v, want %v", tc.w.Key, tc.w.ScoringRules, got, tc.want)
		}
	}
}
