package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/scoring"
	"skillsurvey/internal/survey"
)

// The store suite runs against every database the store supports. It uses only the Store's
// exported methods, and each subtest opens its own empty store through open, so a PostgreSQL
// opener (a fresh database or schema per call) can run it unchanged.

// opener opens an empty, migrated store for one test and closes it when the test ends.
type opener func(t testing.TB, opts ...Option) *Store

func TestStoreSQLite(t *testing.T) {
	runSuite(t, openTestStore)
}

// openTestStore opens a store on a new SQLite file in the test's temporary directory.
func openTestStore(t testing.TB, opts ...Option) *Store {
	t.Helper()
	opts = append([]Option{WithReassess(reassessForTests)}, opts...)
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "skillsurvey.db"), opts...)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return s
}

// suiteTest is one subtest of the suite.
type suiteTest struct {
	name string
	test func(t *testing.T, open opener)
}

func runSuite(t *testing.T, open opener) {
	groups := []struct {
		name  string
		tests []suiteTest
	}{
		{"waves", []suiteTest{
			{"create keeps the definition once", testCreateWave},
			{"duplicate key is a conflict", testDuplicateWave},
			{"unknown is not found", testUnknownWave},
			{"state follows opening and closing times", testWaveState},
			{"open and close", testOpenCloseWave},
			{"close or reopen out of turn is a conflict", testWaveOutOfTurn},
			{"listed newest first", testWavesNewestFirst},
			{"more than the most is a conflict", testWaveLimit},
		}},
		{"teams", []suiteTest{
			{"import", testImportTeams},
			{"unknown is not found", testUnknownTeam},
			{"re-import renames, moves and retires", testReimportTeams},
			{"re-import of the same file changes nothing", testReimportUnchanged},
			{"retired team comes back", testRetiredTeamReturns},
			{"subtree follows a move", testSubtreeAfterMove},
			{"a wave keeps the hierarchy it opened with", testWaveHierarchyFrozen},
			{"previous_key renames a team", testRenameTeams},
			{"more than the most, retired ones counted, is a conflict", testTeamLimit},
		}},
		{"responses", []suiteTest{
			{"save creates with scores", testSaveResponse},
			{"retry returns the stored response", testSaveResponseRetry},
			{"same submission with other answers", testSaveResponseDifferentAnswers},
			{"same submission in another wave", testSaveResponseOtherWave},
			{"only the day is stored", testSaveResponseDayOnly},
			{"concurrent duplicates leave one", testConcurrentDuplicates},
		}},
		{"batches", []suiteTest{
			{"each response its own outcome, neighbours stored", testSaveBatchMixed},
			{"a failed transaction fails every outcome", testSaveBatchCommitFails},
		}},
		{"invitations", []suiteTest{
			{"open wave takes none", testInvitationsOpenWave},
			{"codes", testInvitationCodes},
			{"count limits", testInvitationCount},
			{"code sets the team", testInvitationSetsTeam},
			{"code is used once", testInvitationUsedOnce},
			{"code of another wave", testInvitationOtherWave},
			{"no codes for a retired team or a closed wave", testInvitationRefusals},
			{"hash ignores case, spaces and hyphens", testHashCode},
		}},
		{"verified", []suiteTest{
			{"one answer per person", testVerifiedOnce},
			{"one person's answers at once leave one", testVerifiedConcurrent},
			{"one person twice in a batch", testVerifiedBatch},
			{"a verified wave needs its person, no other takes one", testVerifiedNeedsPerson},
		}},
		{"tallies", []suiteTest{
			{"breakdown cells of the options asked for", testCellReads},
		}},
		{"report snapshots", []suiteTest{
			{"update hands the stored snapshot to the change", testSnapshots},
		}},
		{"users", []suiteTest{
			{"create keeps the email in lower case", testCreateUser},
			{"duplicate email is a conflict", testDuplicateUser},
			{"scope team unknown or retired", testUserScope},
			{"unknown is not found", testUnknownUser},
			{"remove ends its sessions", testRemoveUser},
			{"single sign-on creates, then updates", testSaveSSOUser},
			{"single sign-on over a local account is a conflict", testSSORefusesLocal},
			{"more than the most, by single sign-on too, is a conflict", testUserLimit},
		}},
		{"sessions", []suiteTest{
			{"by hash with user and scope team", testSessionByHash},
			{"touch", testTouchSession},
			{"delete", testDeleteSession},
			{"delete a user's", testDeleteUserSessions},
			{"delete expired, idle or at their end", testDeleteExpiredSessions},
			{"sign-in flow is taken once", testSignInFlow},
			{"sign-in flow too old", testSignInFlowTooOld},
			{"old sign-in flows deleted", testDeleteOldSignInFlows},
		}},
		{"tokens", []suiteTest{
			{"create and find by hash", testCreateToken},
			{"duplicate, unknown or retired scope", testTokenRefusals},
			{"revoke once", testRevokeToken},
			{"last used on", testMarkTokenUsed},
			{"more than the most, revoked ones counted, is a conflict", testTokenLimit},
		}},
		{"audit", []suiteTest{
			{"newest first, a page at a time", testAuditEvents},
			{"long strings cut to their columns", testAuditCutsLongStrings},
		}},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) { tc.test(t, open) })
			}
		})
	}
}

// testClock is a settable clock for WithClock, safe for concurrent use.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

// t0 is the suite's start of time: whole seconds, so every database keeps it exactly.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newClock() *testClock { return &testClock{now: t0} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// smallDefinition is the survey package's small test definition.
func smallDefinition(t testing.TB) *survey.Definition {
	t.Helper()
	def, err := survey.Load("../survey/testdata/small.yaml")
	if err != nil {
		t.Fatalf("load definition: %v", err)
	}
	return def
}

// createWave creates a wave of def with the given key and mode and no times (scheduled).
func createWave(t testing.TB, s *Store, def *survey.Definition, key, mode string) Wave {
	t.Helper()
	w, err := s.CreateWave(context.Background(), def, NewWave{Key: key, Title: "Wave " + key, Mode: mode, Threshold: 5})
	if err != nil {
		t.Fatalf("create wave %s: %v", key, err)
	}
	return w
}

func intp(n int) *int { return &n }

// department is a four-level hierarchy: department → directorates → teams → a sub-team.
func department() []hierarchy.Team {
	return []hierarchy.Team{
		{Line: 2, Key: "dept", Name: "Department", Headcount: intp(400)},
		{Line: 3, Key: "comms", Name: "Communications", Parent: "dept"},
		{Line: 4, Key: "policy", Name: "Policy", Parent: "dept", Headcount: intp(120)},
		{Line: 5, Key: "digital", Name: "Digital", Parent: "comms", Headcount: intp(12)},
		{Line: 6, Key: "press", Name: "Press office", Parent: "comms", Headcount: intp(9)},
		{Line: 7, Key: "social", Name: "Social media", Parent: "digital", Headcount: intp(4)},
		{Line: 8, Key: "strategy", Name: "Strategy", Parent: "policy"},
	}
}

// importDepartment imports department() and returns the teams by key.
func importDepartment(t testing.TB, s *Store) map[string]Team {
	t.Helper()
	ctx := context.Background()
	if _, err := s.ImportTeams(ctx, department()); err != nil {
		t.Fatalf("import teams: %v", err)
	}
	teams, err := s.Teams(ctx, true)
	if err != nil {
		t.Fatalf("teams: %v", err)
	}
	byKey := map[string]Team{}
	for _, tm := range teams {
		byKey[tm.Key] = tm
	}
	return byKey
}

// sha is the hex SHA-256 of s, as the API hashes submission ids and content.
func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// answersA and answersB are two different, valid sets of answers to small.yaml.
const (
	answersA = `{"role-type": "specialist", "consult": 3, "now-and-next": {"now": 2, "target": 5},
		"specialist-tools": 2, "social-media": "practitioner", "data": "working", "channels": ["social", "web"]}`
	answersB = `{"role-type": "non-specialist", "consult": 1, "now-and-next": {"now": 1, "target": 3},
		"social-media": "awareness"}`
)

// newResponse builds a checked, scored response as the API does: answers checked and scored
// against def, breakdown choices and distribution values taken from them, hashes of the submission
// id and the content.
func newResponse(t testing.TB, def *survey.Definition, waveID, teamID uint, submissionID, rawAnswers string) NewResponse {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(rawAnswers), &raw); err != nil {
		t.Fatalf("answers: %v", err)
	}
	answers, problems := def.CheckAnswers(raw)
	if len(problems) > 0 {
		t.Fatalf("answers refused: %v", problems)
	}
	r := reassessForTests(def, answers, int(scoring.OriginalRules)) // as the fixtures were scored; the store keeps whatever scores it is given
	r.WaveID, r.TeamID = waveID, teamID
	r.SubmissionHash = sha(submissionID)
	r.ContentHash = sha(fmt.Sprintf("%d\n%s", teamID, r.Answers))
	r.SubmittedOn = "2026-03-04"
	return r
}

// reassessForTests is the submission rules' Reassess, which the store's tests cannot import (the
// submission package imports the store): scores, the role, breakdown choices and distribution
// values.
func reassessForTests(def *survey.Definition, answers survey.Answers, rules int) NewResponse {
	r := NewResponse{DefinitionVersion: def.Version, Answers: def.Canonical(answers),
		Result: scoresOf(scoring.Score(def, answers, scoring.Rules(rules)))}
	for _, q := range def.Questions() {
		a, ok := answers[q.Key]
		if !ok || a.DontKnow {
			continue
		}
		if def.Roles != nil && def.Roles.Question == q.Key {
			r.Role = a.Choices[0]
		}
		if q.Breakdown {
			for _, o := range a.Choices {
				r.Choices = append(r.Choices, Choice{Question: q.Key, Option: o})
			}
		}
		switch q.Type {
		case survey.TypeMultiChoice:
			r.Counted = append(r.Counted, Counted{Question: q.Key})
			for _, o := range a.Choices {
				r.Counted = append(r.Counted, Counted{Question: q.Key, Value: o})
			}
		case survey.TypeNumber:
			if bin, ok := q.Bin(a.Number); ok {
				r.Counted = append(r.Counted, Counted{Question: q.Key}, Counted{Question: q.Key, Value: fmt.Sprint(bin)})
			}
		}
	}
	return r
}

// scoresOf lays the scorer's result out as the store takes it, as the submission rules do.
func scoresOf(res scoring.Result) Scores {
	sc := Scores{Overall: res.Overall, Reality: res.Reality, Aspiration: res.Aspiration, Dimensions: map[string]DimensionScore{}}
	for key, ds := range res.Dimensions {
		sc.Dimensions[key] = DimensionScore{Score: ds.Score, Reality: ds.Reality,
			Aspiration: ds.Aspiration, Complete: ds.Complete, Total: ds.Total}
	}
	for _, it := range res.Items {
		sc.Items = append(sc.Items, ItemScore{Question: it.Question, Dimension: it.Dimension, Score: it.Score,
			Proficiency: it.Proficiency})
	}
	return sc
}

// wantSaved is what SaveResponse should return for r.
func wantSaved(r NewResponse) Saved {
	dims := map[string]*float64{}
	for key, ds := range r.Result.Dimensions {
		dims[key] = ds.Score
	}
	return Saved{TeamID: r.TeamID, ContentHash: r.ContentHash, SubmittedOn: r.SubmittedOn,
		Overall: r.Result.Overall, Dimensions: dims}
}

// responseRows counts a wave's response rows themselves: CountResponses reads the tallies, which a
// test of what a failed write leaves must not rely on alone.
func responseRows(t testing.TB, s *Store, waveID uint) int64 {
	t.Helper()
	var n int64
	if err := s.read.Model(&Response{}).Where("wave_id = ?", waveID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
