package static_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// TestDashboardFocusAreas: a lead chooses two focus areas for their team after the earlier wave,
// from the keyboard, with a note for one; the page lists them, the API holds them, and the current
// wave's trend says what was chosen and how each moved. Too many chosen is refused with the error
// summary, changing nothing.
func TestDashboardFocusAreas(t *testing.T) {
	s := newDashboardSite(t)
	rep := readGroupReport(t, s, dashEarlierWave)
	var dims []string
	for _, d := range rep.Dimensions {
		dims = append(dims, d.Key)
	}
	if len(dims) < 4 {
		t.Fatalf("the survey has %d dimensions, want at least 4 to choose too many", len(dims))
	}
	tb := newTab(t, s, wide)
	tb.signIn(s.Lead, "/dashboard?wave="+dashEarlierWave+"&group="+dashBigTeam)
	tb.dashWait("the focus areas", `!!document.querySelector('[data-section=focus] [data-focus-count]')`)
	if n := tb.dashNumber(`+document.querySelector('[data-section=focus] [data-focus-count]').dataset.focusCount`); n != 0 {
		t.Fatalf("the team already has %d focus areas", n)
	}
	check := func(dim string) {
		t.Helper()
		tb.dashTabTo(`input[name=dimension][value="` + dim + `"]`)
		tb.dashKey(" ")
	}
	// Four chosen: refused, with the error summary, and nothing stored.
	for _, d := range dims[:4] {
		check(d)
	}
	tb.dashTabTo(`.app-focus__form button[type=submit]`)
	tb.dashKey(kb.Enter)
	tb.dashWait("the error summary", `!!document.querySelector('.app-focus .govuk-error-summary')`)
	if got := tb.dashText(`document.querySelector('.app-focus .govuk-error-summary').textContent`); !strings.Contains(got, "at most 3") {
		t.Errorf("the error summary says %q", got)
	}
	if n := tb.dashNumber(`+document.querySelector('[data-section=focus] [data-focus-count]').dataset.focusCount`); n != 0 {
		t.Errorf("after the refusal the page shows %d focus areas, want 0", n)
	}
	if n := len(storedFocus(t, s).Areas); n != 0 {
		t.Errorf("after the refusal %d focus areas are stored, want 0", n)
	}
	// Two chosen, the first with a note.
	for _, d := range dims[2:4] {
		check(d) // uncheck
	}
	tb.dashTabTo(`textarea[name="note-` + dims[0] + `"]`)
	tb.dashKey("Share one example each month")
	tb.dashTabTo(`.app-focus__form button[type=submit]`)
	tb.dashKey(kb.Enter)
	tb.dashWait("the focus areas saved", `(document.querySelector('[data-section=focus] [data-focus-count]') || {dataset: {}}).dataset.focusCount === '2'`)
	tb.groupCheck("focus-chosen")

	stored := storedFocus(t, s)
	if len(stored.Areas) != 2 || stored.Areas[0].Dimension != dims[0] || stored.Areas[0].Note != "Share one example each month" || stored.Areas[1].Dimension != dims[1] {
		t.Errorf("stored %+v, want %s with its note, then %s", stored.Areas, dims[0], dims[1])
	}

	// The current wave's trend shows them on the earlier wave, with what moved.
	tb.open("/dashboard?wave=" + dashWave + "&group=" + dashBigTeam)
	tb.dashWait("the trend's focus areas", `!!document.querySelector('[data-section=focus-trend] [data-focus-wave="`+dashEarlierWave+`"]')`)
	got := tb.dashText(`document.querySelector('[data-section=focus-trend]').textContent`)
	if !strings.Contains(got, "Share one example each month") || !(strings.Contains(got, " up ") || strings.Contains(got, " down ") || strings.Contains(got, "no change can be shown")) {
		t.Errorf("the trend says of the focus areas: %q", got)
	}
	if n := tb.dashNumber(`document.querySelectorAll('[data-section=focus-trend] li').length`); n != 1 {
		t.Errorf("%d waves with focus areas on the trend, want 1", n)
	}
	tb.groupCheck("focus-trend")
}

// focusAreas is what the API holds of a group's focus areas.
type focusAreas struct {
	Areas []struct{ Dimension, Note string }
}

// storedFocus reads the big team's focus areas after the earlier wave from the API.
func storedFocus(t *testing.T, s *site) focusAreas {
	t.Helper()
	resp := s.get(t, "/api/v1/waves/"+dashEarlierWave+"/groups/"+dashBigTeam+"/focus-areas")
	defer resp.Body.Close()
	var stored focusAreas
	if err := json.NewDecoder(resp.Body).Decode(&stored); err != nil {
		t.Fatal(err)
	}
	return stored
}
