package report

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/store"
)

// openModeEnv is an open-mode wave, open, with team a of one real respondent and the k-1 answers
// of a reader who also answers (threshold 3), and team b of 5.
func openModeEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "a", "dept"), team(4, "b", "dept")}, 3)
	ctx := context.Background()
	if _, err := e.st.CreateWave(ctx, e.def, store.NewWave{Key: "anyone", Title: "Anyone", Mode: store.ModeOpen, Threshold: 3}); err != nil {
		t.Fatal(err)
	}
	var err error
	if e.wave, err = e.st.OpenWave(ctx, "anyone"); err != nil {
		t.Fatal(err)
	}
	e.add("a", 1) // the real respondent
	e.add("a", 2) // the reader's own answers, k-1 of them
	e.add("b", 5)
	return e
}

// TestOpenModeShowsNoScoresWhileOpen is the attack of a reader who also answers an open-mode wave:
// their k-1 answers lift a team of one past the threshold, and its figures less their own would be
// the one person's. While the wave is open the report holds counts and rates, and no score, in
// JSON, CSV and XLSX alike; it says the answers were not verified.
func TestOpenModeShowsNoScoresWhileOpen(t *testing.T) {
	e := openModeEnv(t)
	svc := NewService(e.st, e.st, e.clock)
	ctx := context.Background()
	for _, req := range []Request{{}, {Breakdown: "role-type"}, {Comments: true}} {
		rep, err := svc.Report(ctx, e.wave, e.def, req)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Wave.ScoresAfterClosing || rep.Wave.AnswersVerified || rep.Wave.Mode != store.ModeOpen {
			t.Errorf("%+v: wave = %+v; want scores after closing, answers not verified", req, rep.Wave)
		}
		if n := shownN(group(t, rep, "a")); n != 3 {
			t.Errorf("%+v: team a n = %d, want its count, 3", req, n)
		}
		body, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		groups := string(body[bytes.Index(body, []byte(`"groups"`)):])
		for _, leak := range []string{`"overall"`, `"dimensions"`, `"skills"`, `"mean"`, `"cells"`, `"comments"`} {
			if strings.Contains(groups, leak) {
				t.Errorf("%+v: the open wave's groups carry %s: %s", req, leak, groups)
			}
		}
		var csv bytes.Buffer
		if err := WriteCSV(&csv, rep); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
		if len(lines) != 1+len(rep.Groups) {
			t.Errorf("%+v: CSV has %d lines, want a header and one per group:\n%s", req, len(lines), csv.String())
		}
		var xlsx bytes.Buffer
		if err := WriteXLSX(&xlsx, rep); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&xlsx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ls := range levelSheets {
			sheet := ls.sheet
			if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
				continue // no group at this level
			}
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range rows[1:] {
				if len(row) > 7 { // Group, Name, Parent, Breakdown, Responses, Headcount, Response rate
					t.Errorf("%+v: the %s sheet shows scores while the wave is open: %q", req, sheet, row)
				}
			}
		}
	}
}

// TestOpenModeScoresAfterClosing: once the open-mode wave closes, its figures are published (the
// threshold then protects against readers who did not answer), still marked as not verified.
func TestOpenModeScoresAfterClosing(t *testing.T) {
	e := openModeEnv(t)
	svc := NewService(e.st, e.st, e.clock)
	ctx := context.Background()
	if _, err := e.st.CloseWave(ctx, e.wave.Key); err != nil {
		t.Fatal(err)
	}
	e.reload()
	rep, err := svc.Report(ctx, e.wave, e.def, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Wave.ScoresAfterClosing || rep.Wave.AnswersVerified {
		t.Errorf("closed wave = %+v; want scores shown, answers still not verified", rep.Wave)
	}
	if g := group(t, rep, "b"); g.Overall == nil || g.Overall.Withheld {
		t.Errorf("team b after closing: overall %+v, want its figures", g.Overall)
	}
}

// TestVerifiedWavesShowScoresWhileOpen: an invite wave keeps the stepped refresh while open, and
// says its answers were verified.
func TestVerifiedWavesShowScoresWhileOpen(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "a", "dept")}, 3)
	e.add("a", 4)
	rep, err := NewService(e.st, e.st, e.clock).Report(context.Background(), e.wave, e.def, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Wave.ScoresAfterClosing || !rep.Wave.AnswersVerified || rep.Wave.Mode != store.ModeInvite {
		t.Errorf("invite wave = %+v", rep.Wave)
	}
	if g := group(t, rep, "a"); g.Overall == nil || g.Overall.Withheld {
		t.Errorf("team a: overall %+v, want its figures", g.Overall)
	}
}

// TestBreakdownsWaitForClosing: while a wave is open, a breakdown report says its breakdowns wait
// for closing, withholds every cell and distribution as waiting for more answers, and its XLSX
// says why; once the wave closes, the cells are decided and shown.
func TestBreakdownsWaitForClosing(t *testing.T) {
	e := newEnv(t, []hierarchy.Team{team(2, "dept", ""), team(3, "a", "dept"), team(4, "b", "dept")}, 3)
	e.add("a", 12)
	e.add("b", 12)
	svc := NewService(e.st, e.st, e.clock)
	byRole := Request{Breakdown: "role-type"}
	rep, err := svc.Report(context.Background(), e.wave, e.def, byRole)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Wave.BreakdownsAfterClosing {
		t.Errorf("open wave = %+v; want breakdowns after closing", rep.Wave)
	}
	for _, g := range rep.Groups {
		if len(g.Cells) != 2 {
			t.Errorf("%s has %d cells, want one per role type, withheld", g.Key, len(g.Cells))
		}
		for _, c := range g.Cells {
			if !c.Withheld || c.Reason != ReasonWaiting || c.N != nil || c.Overall != nil {
				t.Errorf("open wave: %s's cell %s = %+v; want withheld, waiting for more answers", g.Key, c.Option, c)
			}
		}
		for q, d := range g.Distributions {
			if !d.Withheld || d.Reason != ReasonWaiting {
				t.Errorf("open wave: %s's distribution of %s = %+v; want withheld, waiting", g.Key, q, d)
			}
		}
	}
	about, err := openXLSX(t, rep).GetRows("About")
	if err != nil {
		t.Fatal(err)
	}
	said := false
	for _, r := range about {
		said = said || len(r) >= 2 && r[0] == "Breakdown" && r[1] == BreakdownsAfterClosingNotice
	}
	if !said {
		t.Error("the open wave's XLSX About sheet does not say breakdowns are published when it closes")
	}

	if _, err := e.st.CloseWave(context.Background(), "w"); err != nil {
		t.Fatal(err)
	}
	e.reload()
	if rep, err = svc.Report(context.Background(), e.wave, e.def, byRole); err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, g := range rep.Groups {
		for _, c := range g.Cells {
			if c.Reason == ReasonWaiting {
				t.Errorf("closed wave: %s's cell %s still waits", g.Key, c.Option)
			}
			if !c.Withheld {
				shown++
			}
		}
	}
	if rep.Wave.BreakdownsAfterClosing || shown == 0 {
		t.Errorf("closed wave: breakdowns after closing %v, %d cells shown; want false and some", rep.Wave.BreakdownsAfterClosing, shown)
	}
}
