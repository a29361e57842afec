package static_test

// Browser tests of the maturity dashboard (/dashboard): the heatmap with a withheld team and
// directorates expanded from the keyboard, a team's page with every chart and its table, the trend
// across two waves, the breakdown by role type and the downloads. Every page and state is checked
// at 320 and 1280 pixels with axe (WCAG 2.2 AA), for Content-Security-Policy violations, script
// errors and requests to other origins, and photographed.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"skillsurvey/internal/demo"
	"skillsurvey/internal/example"
	"skillsurvey/internal/store"
)

// The waves and teams the dashboard tests look at.
const (
	dashEarlierWave = "2026-spring"   // closed, opened six months ago
	dashWave        = "2026-autumn"   // open, an invite wave (its scores show while it is open)
	dashSmallTeam   = "consultations" // 3 responses in the example wave: withheld
	dashBigTeam     = "campaigns"     // plenty of responses in both waves
	dashDirectorate = "policy"        // the small team's directorate
	dashDepartment  = "department"    // the top of the example hierarchy
)

// newDashboardSite starts the service with an open invite wave filled: about 400 synthetic
// responses over the example teams, 3 for one small team (so it is withheld, and with it
// another team of its directorate), and a closed earlier wave of the same survey, 12 responses a
// team, so the trend has two waves.
func newDashboardSite(t *testing.T) *site {
	t.Helper()
	start := time.Now()
	defer func() { t.Logf("site filled in %s", time.Since(start).Round(time.Millisecond)) }()
	s := newSite(t)
	ctx := context.Background()
	teams, err := s.Store.Teams(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	hasChildren := map[uint]bool{}
	for _, tm := range teams {
		if tm.ParentID != nil {
			hasChildren[*tm.ParentID] = true
		}
	}
	var leaves []store.Team
	var small store.Team
	for _, tm := range teams {
		switch {
		case tm.Key == dashSmallTeam:
			small = tm
		case !hasChildren[tm.ID]:
			leaves = append(leaves, tm)
		}
	}
	if small.ID == 0 || len(leaves) < 5 {
		t.Fatalf("the example teams have changed: %d leaves, small team %q found: %v", len(leaves), dashSmallTeam, small.ID != 0)
	}

	opens := time.Now().UTC().AddDate(0, -6, 0)
	closes := opens.AddDate(0, 1, 0)
	early, err := s.Store.CreateWave(ctx, s.Def, store.NewWave{Key: dashEarlierWave, Title: "Spring 2026", Mode: store.ModeOpen, Threshold: 5, OpensAt: &opens, ClosesAt: &closes})
	if err != nil {
		t.Fatal(err)
	}
	g := demo.New(s.Def, 11)
	var rs []store.NewResponse
	for _, tm := range append(leaves, small) {
		// Six months before, each team a step less mature than it will be: the department improved,
		// so its trend has changes to mark.
		maturity := max(0, g.TeamMaturity()-0.15)
		for range 12 {
			r, err := g.Response(early.ID, tm.ID, maturity, opens.Format(time.DateOnly))
			if err != nil {
				t.Fatal(err)
			}
			rs = append(rs, r)
		}
	}
	if err := s.Store.SaveResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}

	// Opened yesterday: before the example wave (an open-mode wave with no answers), so the trend of
	// this wave is the earlier wave and this one.
	yesterday := time.Now().UTC().AddDate(0, 0, -1)
	ex, err := s.Store.CreateWave(ctx, s.Def, store.NewWave{Key: dashWave, Title: "Autumn 2026", Mode: store.ModeInvite, Threshold: 5, OpensAt: &yesterday})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	// Seed 8 draws a wave in which some team has a specialist skill at depth risk (dashRiskyTeam).
	rs, err = demo.Wave(s.Def, ex.ID, leaves, 400, today, 8)
	if err != nil {
		t.Fatal(err)
	}
	g = demo.New(s.Def, 12)
	for range 3 {
		r, err := g.Response(ex.ID, small.ID, 0.5, today)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if err := s.Store.SaveResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	return s
}

// dashCheck is the harness's check, timed, after looking for values a script failed to fill in.
func (tb *tab) dashCheck(state string) {
	tb.t.Helper()
	start := time.Now()
	if leak := tb.dashText(`(document.body.innerText.match(/\b(null|undefined|NaN)\b|\[object \w+\]/) || [''])[0]`); leak != "" {
		tb.t.Errorf("%s at %dpx: the page shows %q", state, tb.width, leak)
	}
	// Reflow (WCAG 1.4.10): the page never scrolls sideways; wide tables scroll in their own region.
	if w := tb.dashNumber(`document.documentElement.scrollWidth`); w > tb.width {
		tb.t.Errorf("%s at %dpx: the page is %dpx wide and scrolls sideways", state, tb.width, w)
	}
	tb.check(state)
	tb.t.Logf("checked %s at %dpx in %s", state, tb.width, time.Since(start).Round(time.Millisecond))
}

// dashQuick checks a state that looks like one already checked with axe and photographed: only
// for Content-Security-Policy violations, script errors and requests to other origins.
func (tb *tab) dashQuick(state string) {
	tb.t.Helper()
	for _, v := range eval[[]string](tb, `window.__csp || []`) {
		tb.t.Errorf("%s at %dpx: Content-Security-Policy violation: %s", state, tb.width, v)
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		tb.t.Errorf("%s at %dpx: %s", state, tb.width, p)
	}
	tb.problems = nil
}

// dashWait polls a JavaScript condition from Go (chromedp's Poll builds its predicate with
// new Function, which the page's Content-Security-Policy rightly refuses).
func (tb *tab) dashWait(what, expression string) {
	tb.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		// A page still loading may not have the elements asked about, or any page at all.
		ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("(() => { try { return !!("+expression+") } catch (e) { return false } })()"))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("at %dpx: timed out waiting for %s (%s)", tb.width, what, expression)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// dashReady waits for the dashboard to finish loading and for n charts to have drawn.
func (tb *tab) dashReady(charts int) {
	tb.t.Helper()
	tb.dashWait("the dashboard", `document.getElementById('dashboard').dataset.state === 'ready'`)
	// A chart is drawn when it comes near the screen: each one still waiting is scrolled to, as
	// a reader scrolling down the page would.
	tb.dashWait(fmt.Sprintf("%d charts to finish drawing", charts),
		fmt.Sprintf(`(() => { document.querySelector('[data-chart][data-chart-ready="false"]')?.scrollIntoView({ block: 'center' }); return document.querySelectorAll('[data-chart][data-chart-ready="true"]').length >= %d })()`, charts))
}

// key presses keys on whatever has focus.
func (tb *tab) dashKey(keys string) {
	tb.t.Helper()
	tb.do(chromedp.KeyEvent(keys))
}

// tabTo presses Tab until the element matching selector has focus, as a keyboard user would.
func (tb *tab) dashTabTo(selector string) {
	tb.t.Helper()
	for range 120 {
		if eval[bool](tb, fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, selector)) {
			return
		}
		tb.dashKey(kb.Tab)
	}
	tb.t.Fatalf("at %dpx: Tab never reached %s", tb.width, selector)
}

func (tb *tab) dashText(expression string) string {
	tb.t.Helper()
	return eval[string](tb, expression)
}

func (tb *tab) dashNumber(expression string) int {
	tb.t.Helper()
	return eval[int](tb, expression)
}

// openTables opens every "Show the figures as a table" under the charts.
func (tb *tab) dashOpenTables() {
	tb.t.Helper()
	eval[bool](tb, `document.querySelectorAll('.app-chart-block details').forEach(d => d.open = true); true`)
}

// dashLabelContrast checks, in a chart's SVG, that every text drawn on a filled shape contrasts with
// it at 4.5:1 or more, as WCAG asks of text. It returns the failures.
const dashLabelContrast = `(() => {
  const rgb = (c) => {
    const el = document.createElement('span'); el.style.color = c; document.body.append(el)
    const m = getComputedStyle(el).color.match(/\d+(\.\d+)?/g).map(Number); el.remove(); return m
  }
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4 })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0)
  const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05) }
  const svg = document.querySelector(SELECTOR + ' svg')
  const shapes = [...svg.querySelectorAll('path, rect')].filter(p => { const f = p.getAttribute('fill'); return !p.closest('defs, pattern') && f && f !== 'none' && !f.startsWith('url(') && p.getAttribute('fill-opacity') !== '0' })
    .map(p => ({ fill: p.getAttribute('fill'), box: p.getBoundingClientRect() })).filter(s => s.box.width >= 1 && s.box.height >= 1)
  const bad = []
  for (const t of svg.querySelectorAll('text')) {
    if (!t.textContent.trim()) continue
    const b = t.getBoundingClientRect(); const cx = b.x + b.width / 2; const cy = b.y + b.height / 2
    let best = null
    for (const s of shapes) {
      const k = s.box
      if (cx >= k.x && cx <= k.x + k.width && cy >= k.y && cy <= k.y + k.height && (!best || k.width * k.height <= best.box.width * best.box.height)) best = s
    }
    const under = best ? best.fill : '#ffffff'
    const r = ratio(t.getAttribute('fill') || '#000000', under)
    if (r < 4.5) bad.push(t.textContent + ' ' + (t.getAttribute('fill')) + ' on ' + under + ' = ' + r.toFixed(2))
  }
  return bad
})()`

// dashOverlaps reports texts of a chart that overlap each other, such as axis labels too long for
// their row on a phone.
func (tb *tab) dashOverlaps(chart string) {
	tb.t.Helper()
	js := fmt.Sprintf(`(() => {
		const boxes = [...document.querySelectorAll('[data-chart=%q] svg text')].filter(t => t.textContent.trim())
			.map(t => ({ text: t.textContent, r: t.getBoundingClientRect() }))
		const out = []
		for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
			const a = boxes[i].r, b = boxes[j].r
			const w = Math.min(a.right, b.right) - Math.max(a.left, b.left)
			const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)
			if (w > 2 && h > 2) out.push(boxes[i].text + ' / ' + boxes[j].text)
		}
		return out
	})()`, chart)
	for _, o := range eval[[]string](tb, js) {
		tb.t.Errorf("at %dpx: %s chart: texts overlap: %s", tb.width, chart, o)
	}
}

func (tb *tab) dashContrast(chart string) {
	tb.t.Helper()
	js := strings.Replace(dashLabelContrast, "SELECTOR", fmt.Sprintf("%q", `[data-chart="`+chart+`"]`), 1)
	for _, bad := range eval[[]string](tb, js) {
		tb.t.Errorf("at %dpx: %s chart: label contrast below 4.5:1: %s", tb.width, chart, bad)
	}
}

// TestDashboardHeatmap: a lead opens the dashboard, sees directorates first, expands the small
// team's directorate from the keyboard and finds the small team withheld, in the chart (hatched,
// and labelled where there is room) and in the table.
func TestDashboardHeatmap(t *testing.T) {
	s := newDashboardSite(t)
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)

		tb.signIn(s.Admin, "/dashboard")
		tb.dashWait("the wave picker", `document.getElementById('wave-key')`)
		tb.dashCheck("no-wave")

		tb.open("/dashboard?wave=no-such-wave")
		tb.dashWait("the error", `document.querySelector('.govuk-error-summary')`)
		if got := tb.dashText(`document.querySelector('.govuk-error-summary').textContent`); !strings.Contains(got, "no-such-wave") {
			t.Errorf("at %dpx: unknown wave error says %q", width, got)
		}
		tb.dashCheck("unknown-wave")

		tb.open("/dashboard?wave=" + dashWave)
		tb.dashReady(1)
		// Everything the reader may see starts open: the department, its directorates and teams.
		if n := tb.dashNumber(`+document.querySelector('[data-chart=heatmap]').dataset.rows`); n != 13 {
			t.Errorf("at %dpx: heatmap starts with %d rows, want the department, 3 directorates and 9 teams", width, n)
		}
		if got := tb.dashText(`[...document.querySelectorAll('[data-chart=heatmap] svg text')].map(t => t.textContent).join('|')`); !strings.Contains(got, "Policy") || !strings.Contains(got, "Consultations") {
			t.Errorf("at %dpx: heatmap labels: %s", width, got)
		}
		if role := tb.dashText(`document.querySelector('[data-chart=heatmap]').getAttribute('role') || ''`); role != "img" {
			t.Errorf("at %dpx: heatmap container role %q, want img (ECharts aria)", width, role)
		}
		if label := tb.dashText(`document.querySelector('[data-chart=heatmap]').getAttribute('aria-label') || ''`); !strings.Contains(label, "table below") {
			t.Errorf("at %dpx: heatmap aria-label %q does not point to the table", width, label)
		}
		tb.dashContrast("heatmap")
		tb.dashCheck("overview")

		// Hovering a cell shows its tooltip, drawn inside the SVG: ECharts' HTML tooltip writes
		// style attributes, which the policy forbids.
		pt := eval[[]float64](tb, `(() => {
			const t = [...document.querySelectorAll('[data-chart=heatmap] svg text')].find(t => /^\d+(\.\d)?$/.test(t.textContent))
			t.scrollIntoView({block: 'center'})
			const r = t.getBoundingClientRect()
			return [r.x + r.width / 2, r.y + r.height / 2]
		})()`)
		tb.do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, pt[0], pt[1]))
		tb.dashWait("the tooltip", `[...document.querySelectorAll('[data-chart=heatmap] svg text')].some(t => /\((Aspiration|Emerging|Developing|Embedded|Reality)\)/.test(t.textContent))`)
		tb.dashQuick("tooltip")

		// Collapse the policy directorate and open it again, with the keyboard alone.
		for _, want := range []struct {
			expanded string
			rows     int
		}{{"false", 10}, {"true", 13}} {
			renders := tb.dashNumber(`+document.querySelector('[data-chart=heatmap]').dataset.chartRenders`)
			tb.dashTabTo(`#toggle-chart-` + dashDirectorate)
			tb.dashKey(kb.Enter)
			tb.dashWait("the heatmap to draw again", fmt.Sprintf(
				`+document.querySelector('[data-chart=heatmap]').dataset.chartRenders > %d && document.querySelector('[data-chart=heatmap]').dataset.chartReady === 'true'`, renders))
			if got := tb.dashText(`document.getElementById('toggle-chart-` + dashDirectorate + `').getAttribute('aria-expanded')`); got != want.expanded {
				t.Errorf("at %dpx: aria-expanded %q after Enter, want %s", width, got, want.expanded)
			}
			if n := tb.dashNumber(`+document.querySelector('[data-chart=heatmap]').dataset.rows`); n != want.rows {
				t.Errorf("at %dpx: heatmap has %d rows after Enter, want %d", width, n, want.rows)
			}
		}
		// The withheld team: every cell withheld, in the table and in the chart.
		if !eval[bool](tb, `!!document.querySelector('tr[data-group=`+dashSmallTeam+`]')`) {
			t.Fatalf("at %dpx: the small team has no row after expanding its directorate", width)
		}
		cells := eval[[]string](tb, `[...document.querySelectorAll('tr[data-group=`+dashSmallTeam+`] td')].map(td => td.textContent.trim())`)
		for _, c := range cells {
			if c != "Withheld" {
				t.Errorf("at %dpx: the small team's table cells are %q, want all Withheld", width, cells)
				break
			}
		}
		if !eval[bool](tb, `!!document.querySelector('[data-chart=heatmap] svg pattern')`) {
			t.Errorf("at %dpx: no hatching pattern in the heatmap for withheld cells", width)
		}
		withheldLabels := tb.dashNumber(`[...document.querySelectorAll('[data-chart=heatmap] svg text')].filter(t => t.textContent === 'Withheld').length`)
		if width == wide && withheldLabels < 8 {
			t.Errorf("at %dpx: %d cells labelled Withheld in the heatmap, want at least the small team's 7 and the key", width, withheldLabels)
		}
		if withheldLabels < 1 {
			t.Errorf("at %dpx: the heatmap's key does not name the withheld hatching", width)
		}
		tb.dashContrast("heatmap")
		tb.dashOverlaps("heatmap")

		// The table alternative, opened and used from the keyboard: its own button collapses.
		tb.dashTabTo(`.app-chart-block summary`)
		tb.dashKey(kb.Enter)
		tb.dashWait("the table to close", `!document.querySelector('.app-chart-block details').open`)
		tb.dashKey(kb.Enter)
		tb.dashWait("the table to open", `document.querySelector('.app-chart-block details').open`)
		tb.dashCheck("expanded")
		tb.dashTabTo(`#toggle-table-` + dashDirectorate)
		tb.dashKey(" ")
		tb.dashWait("the directorate to collapse", `+document.querySelector('[data-chart=heatmap]').dataset.rows === 10`)
		if !eval[bool](tb, `document.activeElement.id === 'toggle-table-`+dashDirectorate+`'`) {
			t.Errorf("at %dpx: focus left the button after collapsing", width)
		}
		if !eval[bool](tb, `!document.querySelector('tr[data-group=`+dashSmallTeam+`]')`) {
			t.Errorf("at %dpx: the small team's row is still shown after collapsing", width)
		}
		tb.dashQuick("collapsed")
	}
}

// TestDashboardTeamPage: a lead opens a team's page and finds each chart with its table, the
// questions pulling it down, skills with depth risks, the response rate; the save button
// downloads a PNG. A withheld team's page shows nothing but that it is withheld.
func TestDashboardTeamPage(t *testing.T) {
	s := newDashboardSite(t)
	team := dashRiskyTeam(t, s)
	charts := []string{"scores", "stages", "target", "skills", "trend"}
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.signIn(s.Admin, "/dashboard?wave="+dashWave+"&group="+team)
		tb.dashReady(len(charts))
		for _, c := range charts {
			if !eval[bool](tb, fmt.Sprintf(`!!document.querySelector('[data-chart=%q][data-chart-ready=true] svg')`, c)) {
				t.Errorf("at %dpx: chart %s did not draw", width, c)
			}
			rows := tb.dashNumber(fmt.Sprintf(`document.querySelector('[data-chart=%q]').closest('.app-chart-block').querySelectorAll('details table tbody tr').length`, c))
			if rows < 1 {
				t.Errorf("at %dpx: chart %s has no table of its figures", width, c)
			}
			if tb.dashNumber(fmt.Sprintf(`document.querySelectorAll('[data-save-chart=%q]').length`, c)) != 1 {
				t.Errorf("at %dpx: chart %s has no save button", width, c)
			}
		}
		if got := tb.dashText(`document.querySelector('[data-summary]').textContent`); !strings.Contains(got, "Response rate") || !strings.Contains(got, "%") {
			t.Errorf("at %dpx: the summary has no response rate: %q", width, got)
		}
		if n := tb.dashNumber(`document.querySelectorAll('#pulling-down table tbody tr').length`); n < 1 {
			t.Errorf("at %dpx: no questions pulling the team down", width)
		}
		// Next steps: every dimension with questions pulling it down names the level above them.
		if n := tb.dashNumber(`document.querySelectorAll('#next-steps [data-next] li').length`); n < 1 {
			t.Errorf("at %dpx: no next steps on the team's page", width)
		}
		// Depth risk: flagged in the table (a tag) and in the chart (a label) alike.
		risks := tb.dashNumber(`document.querySelectorAll('[data-chart=skills]')[0].closest('.app-chart-block').querySelectorAll('table .govuk-tag--red').length`)
		flags := tb.dashNumber(`[...document.querySelectorAll('[data-chart=skills] svg text')].filter(t => t.textContent.includes('at risk')).length`)
		if risks == 0 || risks != flags {
			t.Errorf("at %dpx: %d depth risks in the skills table but %d flagged in the chart; want the same, at least one", width, risks, flags)
		}
		for _, c := range charts {
			tb.dashContrast(c)
			tb.dashOverlaps(c)
		}
		tb.dashOpenTables()
		tb.dashCheck("team")

		if width == wide {
			// Save a chart as an image, from the keyboard.
			dir := t.TempDir()
			tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
					Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir})
				return err
			}))
			tb.dashTabTo(`[data-save-chart=scores]`)
			tb.dashKey(kb.Enter)
			tb.dashWait("the image to be made", `document.querySelector('[data-save-chart=scores]').dataset.saved`)
			if name := tb.dashText(`document.querySelector('[data-save-chart=scores]').dataset.saved`); !strings.HasSuffix(name, ".png") {
				t.Errorf("saved %q, want a PNG", name)
			}
			if !dashDownloaded(t, dir, []byte("\x89PNG\r\n\x1a\n")) {
				t.Errorf("no PNG was downloaded into %s", dir)
			}
			tb.dashQuick("team-saved")
		}

		tb.open("/dashboard?wave=" + dashWave + "&group=" + dashSmallTeam)
		tb.dashWait("the dashboard", `document.getElementById('dashboard').dataset.state === 'ready'`)
		if !eval[bool](tb, `!!document.querySelector('.app-withheld-notice')`) {
			t.Errorf("at %dpx: a withheld team's page does not say it is withheld", width)
		} else if why := tb.dashText(`document.querySelector('.app-withheld-notice').textContent`); !strings.Contains(why, "its first answers are held back until enough arrive") {
			t.Errorf("at %dpx: a team of 3 in an open wave is withheld for %q, want it said that its answers wait for more", width, why)
		}
		if got := tb.dashText(`document.getElementById('dashboard').textContent`); strings.Contains(got, "Response rate") || eval[bool](tb, `!!document.querySelector('[data-chart=scores], [data-summary]')`) {
			t.Errorf("at %dpx: a withheld team's page shows figures", width)
		}
		tb.dashCheck("withheld-team")
	}
}

// dashRiskyTeam picks, from the report API, a team shown in the example wave that has a skill
// with a depth risk (one or no one at practitioner level or above), so its page shows the flag.
func dashRiskyTeam(t *testing.T, s *site) string {
	t.Helper()
	resp := s.get(t, "/api/v1/waves/"+dashWave+"/report?level=team")
	defer resp.Body.Close()
	var rep struct {
		Groups []struct {
			Key      string `json:"key"`
			Withheld bool   `json:"withheld"`
			Skills   map[string]struct {
				DepthRisk bool `json:"depth_risk"`
			} `json:"skills"`
		} `json:"groups"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	for _, g := range rep.Groups {
		for _, sk := range g.Skills {
			if !g.Withheld && sk.DepthRisk {
				return g.Key
			}
		}
	}
	t.Fatal("no team in the example wave has a skill with a depth risk")
	return ""
}

// downloaded waits for a file starting with magic to appear in dir.
func dashDownloaded(t *testing.T, dir string, magic []byte) bool {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err == nil && bytes.HasPrefix(b, magic) && len(b) > 1000 {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// TestDashboardTrend: the department's trend has both waves, with significant changes marked in
// the chart and named in its table; the wave picker lists both waves and opens the earlier one.
func TestDashboardTrend(t *testing.T) {
	s := newDashboardSite(t)
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.signIn(s.Admin, "/dashboard?wave="+dashWave+"&group="+dashDepartment)
		tb.dashReady(5)
		if n := tb.dashNumber(`+document.querySelector('[data-chart=trend]').dataset.waves`); n != 2 {
			t.Fatalf("at %dpx: the trend has %d waves, want 2", width, n)
		}
		labels := tb.dashText(`[...document.querySelectorAll('[data-chart=trend] svg text')].map(t => t.textContent).join('|')`)
		if !strings.Contains(labels, "Spring 2026") || !strings.Contains(labels, "Autumn 2026") {
			t.Errorf("at %dpx: the trend's axis does not name both waves: %s", width, labels)
		}
		significant := tb.dashNumber(`document.querySelectorAll('[data-chart=trend]')[0].closest('.app-chart-block').querySelectorAll('[data-significant]').length`)
		marked := tb.dashNumber(`[...document.querySelectorAll('[data-chart=trend] svg text')].filter(t => /^[▲▼]/.test(t.textContent)).length`)
		if significant == 0 || marked != significant {
			t.Errorf("at %dpx: %d significant changes in the table, %d marked in the chart; want the same, at least one", width, significant, marked)
		}
		if n := tb.dashNumber(`document.querySelector('[data-chart=trend]').closest('.app-chart-block').querySelectorAll('table tbody tr').length`); n != 2 {
			t.Errorf("at %dpx: the trend's table has %d rows, want 2", width, n)
		}
		if got := tb.dashText(`[...document.querySelectorAll('#wave-list li')].map(l => l.textContent).join('|')`); !strings.Contains(got, "Spring 2026") || !strings.Contains(got, "Autumn 2026") {
			t.Errorf("at %dpx: the wave picker lists %q", width, got)
		}
		// The trend's own table opened (the others are checked on a team's page).
		eval[bool](tb, `document.querySelector('[data-chart=trend]').closest('.app-chart-block').querySelector('details').open = true`)
		tb.dashCheck("trend")

		// The earlier wave, from the picker's list, by keyboard: the same group, one wave.
		tb.dashTabTo(`#wave-list a`)
		tb.dashKey(kb.Enter)
		tb.dashWait("the earlier wave", `location.search.includes('`+dashEarlierWave+`')`)
		tb.dashReady(5)
		if n := tb.dashNumber(`+document.querySelector('[data-chart=trend]').dataset.waves`); n != 1 {
			t.Errorf("at %dpx: the earlier wave's trend has %d waves, want 1", width, n)
		}
		if got := tb.dashText(`document.querySelector('.govuk-caption-l').textContent`); !strings.Contains(got, "closed") {
			t.Errorf("at %dpx: the earlier wave's caption %q does not say it is closed", width, got)
		}
		tb.dashCheck("earlier-wave")
	}
}

// TestDashboardBreakdown: while a wave is open, its breakdown page says breakdowns are published
// when it closes; a closed wave's breakdown by role type gives each team a row per answer, with
// withheld cells marked; the form switches to directorates from the keyboard.
func TestDashboardBreakdown(t *testing.T) {
	s := newDashboardSite(t)
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.signIn(s.Admin, "/dashboard?wave="+dashWave+"&view=breakdown")
		tb.dashWait("the dashboard", `document.getElementById('dashboard').dataset.state === 'ready'`)
		if got := tb.dashText(`document.getElementById('dashboard').innerText`); !strings.Contains(got, "Breakdowns for this wave are published when it closes") ||
			eval[bool](tb, `!!document.querySelector('[data-chart]')`) {
			t.Errorf("at %dpx: the open wave's breakdown page does not say breakdowns wait for closing, or shows a chart:\n%s", width, got)
		}
		tb.dashCheck("breakdown-open")

		tb.open("/dashboard?wave=" + dashEarlierWave + "&view=breakdown")
		tb.dashReady(1)
		if got := tb.dashText(`document.getElementById('breakdown-question').value`); got != "role-type" {
			t.Errorf("at %dpx: the breakdown defaults to %q, want role-type", width, got)
		}
		teams := tb.dashNumber(`new Set([...document.querySelectorAll('tr[data-group]')].map(r => r.dataset.group)).size`)
		rows := tb.dashNumber(`+document.querySelector('[data-chart=breakdown]').dataset.rows`)
		if teams < 9 || rows != 2*teams {
			t.Errorf("at %dpx: %d groups and %d rows, want a row per team and role type", width, teams, rows)
		}
		if n := tb.dashNumber(`document.querySelectorAll('tr[data-option] td[data-cell=withheld]').length`); n == 0 {
			t.Errorf("at %dpx: no withheld cell in the breakdown's table", width)
		}
		if !eval[bool](tb, `!!document.querySelector('[data-chart=breakdown] svg pattern')`) {
			t.Errorf("at %dpx: withheld cells are not hatched in the breakdown", width)
		}
		tb.dashContrast("breakdown")
		tb.dashOverlaps("breakdown")
		tb.dashCheck("breakdown")

		tb.dashTabTo(`#breakdown-level`)
		tb.dashKey(kb.ArrowDown) // from teams to directorates
		tb.dashTabTo(`.app-breakdown-form button`)
		tb.dashKey(kb.Enter)
		tb.dashWait("the directorates' breakdown", `location.search.includes('level=directorate')`)
		tb.dashReady(1)
		if n := tb.dashNumber(`+document.querySelector('[data-chart=breakdown]').dataset.rows`); n != 6 {
			t.Errorf("at %dpx: %d rows for 3 directorates by 2 role types", width, n)
		}
		// (12 answers a team are too few for many of a team's cells; a directorate's are more.)
		if n := tb.dashNumber(`document.querySelectorAll('tr[data-option] td[data-cell=shown]').length`); n == 0 {
			t.Errorf("at %dpx: no cell with figures in the directorates' breakdown", width)
		}
		tb.dashOpenTables()
		tb.dashCheck("breakdown-directorates")
	}
}

// TestDashboardDownloads: the CSV and XLSX links carry the page's level and breakdown and answer
// 200 with the right content types, fetched by the page and from Go.
func TestDashboardDownloads(t *testing.T) {
	s := newDashboardSite(t)
	tb := newTab(t, s, wide)
	tb.signIn(s.Admin, "/dashboard")
	pages := []struct {
		path string
		want []string
	}{
		{"/dashboard?wave=" + dashWave, []string{"level=all"}},
		{"/dashboard?wave=" + dashWave + "&group=" + dashBigTeam, []string{"level=all"}},
		{"/dashboard?wave=" + dashEarlierWave + "&view=breakdown", []string{"level=team", "breakdown=role-type"}}, // (an open wave's breakdowns wait for it to close)
	}
	types := map[string]string{
		"csv":  "text/csv; charset=utf-8",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	}
	for _, p := range pages {
		tb.open(p.path)
		tb.dashWait("the dashboard", `document.getElementById('dashboard').dataset.state === 'ready'`)
		for format, media := range types {
			href := tb.dashText(fmt.Sprintf(`document.querySelector('a[data-download=%q]').getAttribute('href')`, format))
			for _, w := range append(p.want, "format="+format) {
				if !strings.Contains(href, w) {
					t.Errorf("%s: %s link %q lacks %s", p.path, format, href, w)
				}
			}
			inPage := eval[string](tb, fmt.Sprintf(`fetch(%q).then(r => r.status + ' ' + r.headers.get('content-type'))`, href), chromedp.EvalAwaitPromise)
			if inPage != "200 "+media {
				t.Errorf("%s: the page fetched %s: %s", p.path, href, inPage)
			}
			resp := s.get(t, href)
			body := new(bytes.Buffer)
			body.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != media || body.Len() == 0 {
				t.Errorf("%s: GET %s: %d %q, %d bytes", p.path, href, resp.StatusCode, resp.Header.Get("Content-Type"), body.Len())
			}
			if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.HasSuffix(strings.TrimSuffix(cd, `"`), "."+format) {
				t.Errorf("%s: %s Content-Disposition %q", p.path, format, cd)
			}
		}
	}
	tb.dashQuick("downloads") // the pages themselves are checked with axe by the tests above
}

// TestDashboardOpenModeWave: the example wave is an open-mode wave. While it is open, its
// dashboard says who has answered in each group and no score anywhere, and warns that its
// answers were not verified; once it closes, its scores show under the same warning.
func TestDashboardOpenModeWave(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	ex, err := s.Store.Wave(ctx, example.WaveKey)
	if err != nil {
		t.Fatal(err)
	}
	teams, err := s.Store.Teams(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := demo.Wave(s.Def, ex.ID, teams, 120, time.Now().UTC().Format(time.DateOnly), 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SaveResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, s, narrow)
	tb.signIn(s.Admin, "/dashboard?wave="+example.WaveKey)
	tb.dashWait("the dashboard", `document.getElementById('dashboard').dataset.state === 'ready'`)
	if got := tb.dashText(`document.querySelector('h1').textContent`); got != "Who has answered so far" {
		t.Errorf("the open-mode wave's page is %q, want the responses page", got)
	}
	page := tb.dashText(`document.getElementById('dashboard').innerText`)
	// Each team's answers are published in batches of 5: the department shows those of the teams
	// with 5 or more.
	perTeam := map[uint]int{}
	for _, r := range rs {
		perTeam[r.TeamID]++
	}
	published := 0
	for _, n := range perTeam {
		if n >= 5 {
			published += n
		}
	}
	for _, want := range []string{"were not verified", "published when it closes", "Responses by group", fmt.Sprintf("%d responses", published)} {
		if !strings.Contains(page, want) {
			t.Errorf("the open-mode wave's page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "Mean") || strings.Contains(page, "score (0 to 100)") || eval[bool](tb, `!!document.querySelector('[data-chart]')`) {
		t.Errorf("the open-mode wave's page shows scores while it is open:\n%s", page)
	}
	tb.dashCheck("open-mode-counts")

	tb.open("/dashboard?wave=" + example.WaveKey + "&view=breakdown")
	tb.dashWait("the dashboard", `document.getElementById('dashboard').dataset.state === 'ready'`)
	if got := tb.dashText(`document.querySelector('h1').textContent`); got != "Who has answered so far" {
		t.Errorf("the open-mode wave's breakdown page is %q, want the responses page", got)
	}

	if _, err := s.Store.CloseWave(ctx, example.WaveKey); err != nil {
		t.Fatal(err)
	}
	tb.open("/dashboard?wave=" + example.WaveKey)
	tb.dashReady(1)
	if !eval[bool](tb, `!!document.querySelector('[data-notice=not-verified]') && !!document.querySelector('[data-chart=heatmap]')`) {
		t.Error("the closed open-mode wave shows no scores, or no warning that its answers were not verified")
	}
	tb.dashCheck("open-mode-closed")
}
