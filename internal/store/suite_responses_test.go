package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
)

// responseSetup is a store with the department's teams and an open wave of the small definition.
func responseSetup(t *testing.T, open opener) (*Store, Wave, map[string]Team) {
	t.Helper()
	s := open(t, WithClock(newClock().Now))
	teams := importDepartment(t, s)
	createWave(t, s, smallDefinition(t), "2026-spring", ModeOpen)
	w, err := s.OpenWave(context.Background(), "2026-spring")
	if err != nil {
		t.Fatal(err)
	}
	return s, w, teams
}

func testSaveResponse(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := responseSetup(t, open)
	r := newResponse(t, smallDefinition(t), w.ID, teams["digital"].ID, "submission-1", answersA)
	saved, created, err := s.SaveResponse(ctx, r)
	if err != nil {
		t.Fatalf("SaveResponse: %v", err)
	}
	if !created {
		t.Error("created = false for a new submission")
	}
	if want := wantSaved(r); !reflect.DeepEqual(saved, want) {
		t.Errorf("Saved = %s, want %s", savedString(saved), savedString(want))
	}
	// Every dimension of the definition is there, scored or not.
	if len(saved.Dimensions) != 2 || saved.Dimensions["engagement"] == nil || saved.Dimensions["skills"] == nil || saved.Overall == nil {
		t.Errorf("Saved = %s, want engagement, skills and overall scores", savedString(saved))
	}
	if n, err := s.CountResponses(ctx, w.ID); err != nil || n != 1 {
		t.Errorf("CountResponses = %d, %v; want 1", n, err)
	}
}

func testSaveResponseRetry(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := responseSetup(t, open)
	r := newResponse(t, smallDefinition(t), w.ID, teams["digital"].ID, "submission-1", answersA)
	first, _, err := s.SaveResponse(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	// The retry's receipt is read back from the stored response and scores, not from r.
	retry := r
	retry.Result.Dimensions = nil
	retry.Result.Overall = nil
	again, created, err := s.SaveResponse(ctx, retry)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if created {
		t.Error("created = true for a retry")
	}
	if !reflect.DeepEqual(again, first) {
		t.Errorf("retry Saved = %s, want the first %s", savedString(again), savedString(first))
	}
	if n, err := s.CountResponses(ctx, w.ID); err != nil || n != 1 {
		t.Errorf("CountResponses = %d, %v; want 1", n, err)
	}
}

func testSaveResponseDifferentAnswers(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := responseSetup(t, open)
	def := smallDefinition(t)
	if _, _, err := s.SaveResponse(ctx, newResponse(t, def, w.ID, teams["digital"].ID, "submission-1", answersA)); err != nil {
		t.Fatal(err)
	}
	other := newResponse(t, def, w.ID, teams["digital"].ID, "submission-1", answersB)
	if _, _, err := s.SaveResponse(ctx, other); !errors.Is(err, ErrDifferentAnswers) {
		t.Errorf("same submission, other answers: err = %v, want ErrDifferentAnswers", err)
	}
	otherTeam := newResponse(t, def, w.ID, teams["press"].ID, "submission-1", answersA)
	if _, _, err := s.SaveResponse(ctx, otherTeam); !errors.Is(err, ErrDifferentAnswers) {
		t.Errorf("same submission, other team: err = %v, want ErrDifferentAnswers", err)
	}
	if n, err := s.CountResponses(ctx, w.ID); err != nil || n != 1 {
		t.Errorf("CountResponses = %d, %v; want 1", n, err)
	}
}

func testSaveResponseOtherWave(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := responseSetup(t, open)
	def := smallDefinition(t)
	other := createWave(t, s, def, "2026-autumn", ModeOpen)
	for _, waveID := range []uint{w.ID, other.ID} {
		r := newResponse(t, def, waveID, teams["digital"].ID, "submission-1", answersA)
		if _, created, err := s.SaveResponse(ctx, r); err != nil || !created {
			t.Errorf("wave %d: created = %v, err = %v; want a new response", waveID, created, err)
		}
	}
	for _, waveID := range []uint{w.ID, other.ID} {
		if n, err := s.CountResponses(ctx, waveID); err != nil || n != 1 {
			t.Errorf("CountResponses(%d) = %d, %v; want 1", waveID, n, err)
		}
	}
}

func testSaveResponseDayOnly(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := responseSetup(t, open)
	def := smallDefinition(t)
	for i, when := range []string{"2026-03-04T09:41:00Z", "2026-03-04 09:41", "04/03/2026", "", "2026-3-4"} {
		r := newResponse(t, def, w.ID, teams["digital"].ID, "submission-"+when, answersA)
		r.SubmittedOn = when
		if _, _, err := s.SaveResponse(ctx, r); err == nil {
			t.Errorf("%d: SubmittedOn %q was stored; want only a day, YYYY-MM-DD", i, when)
		}
	}
	r := newResponse(t, def, w.ID, teams["digital"].ID, "submission-day", answersA)
	saved, _, err := s.SaveResponse(ctx, r)
	if err != nil || saved.SubmittedOn != "2026-03-04" {
		t.Errorf("SubmittedOn = %q, %v; want 2026-03-04", saved.SubmittedOn, err)
	}
	if n, err := s.CountResponses(ctx, w.ID); err != nil || n != 1 {
		t.Errorf("CountResponses = %d, %v; want 1", n, err)
	}
}

// TestResponseRowsHoldNothingPersonal guards the confidentiality promise against future edits: no
// stored response row has a time or a field named for a person, an address or a browser, and an
// invitation has no link to the response it allowed.
func TestResponseRowsHoldNothingPersonal(t *testing.T) {
	forbidden := regexp.MustCompile(`^(ip|agent|email|mail|name|time|at|address|browser|user|session)$`)
	timeType := reflect.TypeFor[time.Time]()
	for _, row := range []any{Response{}, ResponseText{}, ItemTally{}, ScoreTally{}, CellTally{}, Invitation{}} {
		typ := reflect.TypeOf(row)
		for _, f := range fields(typ) {
			if ft := f.Type; ft == timeType || ft.Kind() == reflect.Pointer && ft.Elem() == timeType {
				t.Errorf("%s.%s is a time: store the day only, as a YYYY-MM-DD string", typ.Name(), f.Name)
			}
			for _, word := range camelWords(f.Name) {
				if forbidden.MatchString(strings.ToLower(word)) {
					t.Errorf("%s.%s looks personal (%q): responses hold no names, addresses, browsers or times", typ.Name(), f.Name, word)
				}
			}
			if typ.Name() == "Invitation" && (strings.Contains(f.Name, "Response") || strings.Contains(f.Name, "Submission")) {
				t.Errorf("Invitation.%s links a code to a response", f.Name)
			}
		}
	}
}

// fields lists a struct's fields, those of embedded structs included.
func fields(typ reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for f := range typ.Fields() {
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			out = append(out, fields(f.Type)...)
			continue
		}
		out = append(out, f)
	}
	return out
}

// camelWords splits "SubmittedOn" into "Submitted", "On" and "IPAddress" into "IP", "Address".
func camelWords(name string) []string {
	rs := []rune(name)
	var words []string
	start := 0
	for i := 1; i < len(rs); i++ {
		lowerToUpper := !unicode.IsUpper(rs[i-1]) && unicode.IsUpper(rs[i])
		acronymEnd := unicode.IsUpper(rs[i-1]) && unicode.IsUpper(rs[i]) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
		if lowerToUpper || acronymEnd {
			words = append(words, string(rs[start:i]))
			start = i
		}
	}
	return append(words, string(rs[start:]))
}

func testConcurrentDuplicates(t *testing.T, open opener) {
	ctx := context.Background()
	s, w, teams := responseSetup(t, open)
	r := newResponse(t, smallDefinition(t), w.ID, teams["digital"].ID, "submission-1", answersA)
	const n = 20
	type result struct {
		saved   Saved
		created bool
		err     error
	}
	results := make([]result, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			saved, created, err := s.SaveResponse(ctx, r)
			results[i] = result{saved, created, err}
		})
	}
	close(start)
	wg.Wait()
	createdCount := 0
	for i, res := range results {
		if res.err != nil {
			t.Errorf("goroutine %d: %v", i, res.err)
			continue
		}
		if res.created {
			createdCount++
		}
		if !reflect.DeepEqual(res.saved, wantSaved(r)) {
			t.Errorf("goroutine %d: Saved = %s, want %s", i, savedString(res.saved), savedString(wantSaved(r)))
		}
	}
	if createdCount != 1 {
		t.Errorf("%d goroutines created the response, want exactly 1", createdCount)
	}
	if count, err := s.CountResponses(ctx, w.ID); err != nil || count != 1 {
		t.Errorf("CountResponses = %d, %v; want 1", count, err)
	}
}

// savedString shows a Saved with its scores rather than their addresses.
func savedString(s Saved) string {
	show := func(f *float64) string {
		if f == nil {
			return "none"
		}
		return fmt.Sprintf("%.4g", *f)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "{team %d, day %s, content %.8s, overall %s", s.TeamID, s.SubmittedOn, s.ContentHash, show(s.Overall))
	for _, key := range slices.Sorted(maps.Keys(s.Dimensions)) {
		fmt.Fprintf(&b, ", %s %s", key, show(s.Dimensions[key]))
	}
	return b.String() + "}"
}
