package waves

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// good is a wave every rule accepts; each case of TestCheck changes one thing.
func good() store.NewWave {
	return store.NewWave{Key: "2026-spring", Title: "Spring 2026", Mode: store.ModeInvite, Threshold: 5,
		OpensAt: at("2026-03-01T09:00:00Z"), ClosesAt: at("2026-03-15T17:00:00Z")}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		survey string
		change func(*store.NewWave)
		want   []string // the fields with a problem
	}{
		{"good", "small", func(*store.NewWave) {}, nil},
		{"verified mode", "small", func(w *store.NewWave) { w.Mode = store.ModeVerified }, nil},
		{"no times", "small", func(w *store.NewWave) { w.OpensAt, w.ClosesAt = nil, nil }, nil},
		{"closes only", "small", func(w *store.NewWave) { w.OpensAt = nil }, nil},
		{"open mode", "small", func(w *store.NewWave) { w.Mode = store.ModeOpen }, nil},
		{"threshold at the lower limit", "small", func(w *store.NewWave) { w.Threshold = MinThreshold }, nil},
		{"threshold at the upper limit", "small", func(w *store.NewWave) { w.Threshold = MaxThreshold }, nil},
		{"key of 64 characters", "small", func(w *store.NewWave) { w.Key = strings.Repeat("a", 64) }, nil},
		{"title of 300 characters, some not ASCII", "small", func(w *store.NewWave) { w.Title = strings.Repeat("é", 300) }, nil},
		{"empty title", "small", func(w *store.NewWave) { w.Title = "" }, nil},

		{"no survey", "", func(*store.NewWave) {}, []string{"survey"}},
		{"no key", "small", func(w *store.NewWave) { w.Key = "" }, []string{"key"}},
		{"key with capitals and a space", "small", func(w *store.NewWave) { w.Key = "Spring 2026" }, []string{"key"}},
		{"key with an underscore", "small", func(w *store.NewWave) { w.Key = "spring_2026" }, []string{"key"}},
		{"key with a double hyphen", "small", func(w *store.NewWave) { w.Key = "spring--2026" }, []string{"key"}},
		{"key starting with a hyphen", "small", func(w *store.NewWave) { w.Key = "-spring" }, []string{"key"}},
		{"key climbing out of a folder", "small", func(w *store.NewWave) { w.Key = "../etc" }, []string{"key"}},
		{"key with a newline", "small", func(w *store.NewWave) { w.Key = "spring\n2026" }, []string{"key"}},
		{"key of 65 characters", "small", func(w *store.NewWave) { w.Key = strings.Repeat("a", 65) }, []string{"key"}},
		{"key of a million characters", "small", func(w *store.NewWave) { w.Key = strings.Repeat("a", 1<<20) }, []string{"key"}},
		{"title of 301 characters", "small", func(w *store.NewWave) { w.Title = strings.Repeat("t", 301) }, []string{"title"}},
		{"title with a newline", "small", func(w *store.NewWave) { w.Title = "Spring\n2026" }, []string{"title"}},
		{"title with a terminal escape", "small", func(w *store.NewWave) { w.Title = "Spring \x1b[2J" }, []string{"title"}},
		{"title not UTF-8", "small", func(w *store.NewWave) { w.Title = "Spring \xff" }, []string{"title"}},
		{"no mode", "small", func(w *store.NewWave) { w.Mode = "" }, []string{"mode"}},
		{"mode closed", "small", func(w *store.NewWave) { w.Mode = "closed" }, []string{"mode"}},
		{"mode in capitals", "small", func(w *store.NewWave) { w.Mode = "OPEN" }, []string{"mode"}},
		{"verified in capitals", "small", func(w *store.NewWave) { w.Mode = "VERIFIED" }, []string{"mode"}},
		{"threshold 0", "small", func(w *store.NewWave) { w.Threshold = 0 }, []string{"threshold"}},
		{"threshold 2", "small", func(w *store.NewWave) { w.Threshold = 2 }, []string{"threshold"}},
		{"threshold negative", "small", func(w *store.NewWave) { w.Threshold = -5 }, []string{"threshold"}},
		{"threshold 101", "small", func(w *store.NewWave) { w.Threshold = 101 }, []string{"threshold"}},
		{"closes before it opens", "small", func(w *store.NewWave) { w.OpensAt, w.ClosesAt = w.ClosesAt, w.OpensAt }, []string{"closes_at"}},
		{"closes when it opens", "small", func(w *store.NewWave) { w.ClosesAt = at("2026-03-01T10:00:00+01:00") }, []string{"closes_at"}},
		{"every problem at once", "", func(w *store.NewWave) {
			*w = store.NewWave{Key: "X", Title: strings.Repeat("t", 301), Mode: "m", Threshold: 0,
				OpensAt: at("2026-03-02T00:00:00Z"), ClosesAt: at("2026-03-01T00:00:00Z")}
		}, []string{"closes_at", "key", "mode", "survey", "threshold", "title"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			nw := good()
			tc.change(&nw)
			p := Check(tc.survey, nw, true)
			var got []string
			for f, msg := range p {
				got = append(got, f)
				if msg == "" {
					t.Errorf("field %s has an empty message", f)
				}
				if len(msg) > 200 {
					t.Errorf("field %s: message of %d bytes echoes the input: %.80q...", f, len(msg), msg)
				}
			}
			slices.Sort(got)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Check: problems on %v, want %v: %v", got, tc.want, p)
			}
			if tc.want == nil && p != nil {
				t.Errorf("Check of a good wave = %#v, want nil", p)
			}
		})
	}
}

// TestVerifiedNeedsSignIn: a verified wave is refused, with a reason, where respondents cannot
// sign in; the default mode is verified where they can, and never open.
func TestVerifiedNeedsSignIn(t *testing.T) {
	t.Parallel()
	nw := good()
	nw.Mode = store.ModeVerified
	p := Check("small", nw, false)
	if len(p) != 1 || !strings.Contains(p["mode"], "single sign-on") {
		t.Errorf("Check of a verified wave without sign-in = %v, want a problem on mode naming single sign-on", p)
	}
	if p := Check("small", good(), false); p != nil {
		t.Errorf("Check of an invite wave without sign-in = %v", p)
	}
	if DefaultMode(true) != store.ModeVerified || DefaultMode(false) != store.ModeInvite {
		t.Errorf("DefaultMode = %s with sign-in, %s without; want verified, invite", DefaultMode(true), DefaultMode(false))
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want *time.Time
		bad  bool
	}{
		{"", nil, false},
		{"2026-03-01", at("2026-03-01T00:00:00Z"), false},
		{"2026-03-01T09:00:00Z", at("2026-03-01T09:00:00Z"), false},
		{"2026-03-01T09:00:00+01:00", at("2026-03-01T08:00:00Z"), false},
		{"2026-03-01T09:00:00.5Z", at("2026-03-01T09:00:00.5Z"), false},
		{"2026-03-01T09:00:00", nil, true}, // no zone: whose nine o'clock?
		{"2026-13-01", nil, true},
		{"2026-02-30", nil, true},
		{"01/03/2026", nil, true},
		{"next monday", nil, true},
		{" 2026-03-01", nil, true},
		{"2026-03-01\n", nil, true},
		{strings.Repeat("9", 10000), nil, true},
	}
	for _, tc := range cases {
		got, err := ParseTime("opens_at", tc.in)
		if tc.bad {
			var p access.Problems
			if !errors.As(err, &p) || p["opens_at"] == "" || len(p) != 1 {
				t.Errorf("ParseTime(%.40q): err = %v, want an access.Problems error on opens_at", tc.in, err)
			}
			if got != nil {
				t.Errorf("ParseTime(%.40q) = %v with an error", tc.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tc.in, err)
			continue
		}
		if (got == nil) != (tc.want == nil) || (got != nil && !got.Equal(*tc.want)) {
			t.Errorf("ParseTime(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func loadSmall(t *testing.T) []*survey.Definition {
	t.Helper()
	def, err := survey.Load("../survey/testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return []*survey.Definition{def}
}

func TestCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openStore(t)
	defs := loadSmall(t)
	setup := Setup{Definitions: defs}

	nw := good()
	nw.Title = ""
	w, err := Create(ctx, st, cli, setup, "small", nw)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if w.Key != "2026-spring" || w.Title != "2026-spring" || w.SurveyID != "small" || w.DefinitionVersion != defs[0].Version ||
		w.Threshold != 5 || w.Mode != store.ModeInvite || !w.OpensAt.Equal(*nw.OpensAt) {
		t.Errorf("Create = %+v; want the wave asked for, titled by its key", w)
	}

	t.Run("the same key again is the store's conflict", func(t *testing.T) {
		_, err := Create(ctx, st, cli, setup, "small", good())
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("err = %v, want ErrConflict", err)
		}
	})
	t.Run("an unknown survey is a problem listing the ids", func(t *testing.T) {
		nw := good()
		nw.Key = "other"
		_, err := Create(ctx, st, cli, setup, "nope", nw)
		var p access.Problems
		if !errors.As(err, &p) || !strings.Contains(p["survey"], "there are: small") || len(p) != 1 {
			t.Errorf("err = %v, want a problem on survey naming small", err)
		}
		if _, err := st.Wave(ctx, "other"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the refused wave was stored: %v", err)
		}
	})
	t.Run("no definitions at all", func(t *testing.T) {
		_, err := Create(ctx, st, cli, Setup{}, "small", good())
		var p access.Problems
		if !errors.As(err, &p) || !strings.Contains(p["survey"], "there are: none") {
			t.Errorf("err = %v, want a problem on survey saying there are none", err)
		}
	})
	t.Run("every problem at once, and nothing stored", func(t *testing.T) {
		_, err := Create(ctx, st, cli, setup, "nope", store.NewWave{Key: "Bad Key", Mode: "x", Threshold: 1})
		var p access.Problems
		if !errors.As(err, &p) {
			t.Fatalf("err = %v, want Problems", err)
		}
		for _, f := range []string{"survey", "key", "mode", "threshold"} {
			if p[f] == "" {
				t.Errorf("no problem on %s: %v", f, p)
			}
		}
		ws, err := st.Waves(ctx)
		if err != nil || len(ws) != 1 {
			t.Errorf("waves after refusals = %d, %v; want only the first", len(ws), err)
		}
	})
}
