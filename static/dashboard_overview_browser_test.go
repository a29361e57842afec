package static_test

// Browser tests of the overview (/dashboard?wave=KEY) as a communications lead uses it: every cell
// carries its figure, colours follow the figure on a continuous scale, the switch turns scores into
// gaps, any column sorts (aria-sort says how), each figure says how far it is from the group above
// and from the department, the directorate filter narrows the page, a lead's page opens at their
// own team, and a withheld cell says why. Each state is checked at 320 and 1280 pixels with axe
// (WCAG 2.2 AA, and the heading order), with the keyboard alone.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// overviewGroup is what the tests read of a report's group.
type overviewGroup struct {
	Key, Name, Level, Parent, Reason string
	Withheld                         bool
	Overall                          *overviewFigures
	Dimensions                       map[string]*overviewFigures
}

// overviewFigures is one figure set, or a withheld one.
type overviewFigures struct {
	Withheld  bool
	Mean, Gap *float64
}

func (f *overviewFigures) UnmarshalJSON(b []byte) error {
	var v struct {
		Withheld bool     `json:"withheld"`
		Mean     *float64 `json:"mean"`
		Gap      *float64 `json:"gap"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	f.Withheld, f.Mean, f.Gap = v.Withheld, v.Mean, v.Gap
	return nil
}

// overviewReport reads the wave's report, every level, as the dashboard does.
func overviewReport(t *testing.T, s *site) (map[string]overviewGroup, []string, []float64) {
	t.Helper()
	resp := s.get(t, "/api/v1/waves/"+dashWave+"/report?level=all")
	defer resp.Body.Close()
	var rep struct {
		Groups     []overviewGroup `json:"groups"`
		Dimensions []struct {
			Key string `json:"key"`
		} `json:"dimensions"`
		Stages []struct {
			From float64 `json:"from"`
		} `json:"stages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	groups := map[string]overviewGroup{}
	for _, g := range rep.Groups {
		groups[g.Key] = g
	}
	var dims []string
	for _, d := range rep.Dimensions {
		dims = append(dims, d.Key)
	}
	var from []float64
	for _, st := range rep.Stages {
		from = append(from, st.From)
	}
	return groups, dims, from
}

// overviewCells lists the heatmap's figures as drawn: each label's text and the fill of the cell
// under it.
const overviewCells = `(() => {
  const svg = document.querySelector('[data-chart=heatmap] svg')
  const shapes = [...svg.querySelectorAll('path, rect')].filter(p => { const f = p.getAttribute('fill'); return !p.closest('defs, pattern') && f && f !== 'none' && !f.startsWith('url(') })
    .map(p => ({ fill: p.getAttribute('fill'), box: p.getBoundingClientRect() })).filter(s => s.box.width >= 4 && s.box.height >= 4)
  const out = []
  for (const t of svg.querySelectorAll('text')) {
    if (!/^[+−±]?\d+(\.\d)?$/.test(t.textContent.trim())) continue
    const b = t.getBoundingClientRect(); const cx = b.x + b.width / 2; const cy = b.y + b.height / 2
    let best = null
    for (const s of shapes) {
      const k = s.box
      if (cx >= k.x && cx <= k.x + k.width && cy >= k.y && cy <= k.y + k.height && (!best || k.width * k.height <= best.box.width * best.box.height)) best = s
    }
    if (best) out.push([t.textContent.trim(), best.fill])
  }
  return out
})()`

// overviewHeadings checks the heading order with axe (a best practice, outside the WCAG tags the
// harness runs): no violation and nothing left for a person to check.
func (tb *tab) overviewHeadings(state string) {
	tb.t.Helper()
	res := eval[map[string][]axeViolation](tb, `axe.run(document, {runOnly: {type: 'rule', values: ['heading-order']}}).then(r => ({violations: r.violations, incomplete: r.incomplete}))`,
		chromedp.EvalAwaitPromise)
	for kind, list := range res {
		for _, v := range list {
			var where []string
			for _, n := range v.Nodes {
				where = append(where, n.HTML)
			}
			tb.t.Errorf("%s at %dpx: axe heading-order %s: %s at %s", state, tb.width, kind, v.Help, strings.Join(where, ", "))
		}
	}
}

// overviewCheck is the dashboard's check (axe at WCAG 2.2 AA, reflow, CSP, script errors, a
// screenshot), the heading order, and the height of every link and button in the table.
func (tb *tab) overviewCheck(state string) {
	tb.t.Helper()
	tb.dashCheck(state)
	tb.overviewHeadings(state)
	for _, o := range eval[[]string](tb, `(() => {
		const ticks = [...document.querySelectorAll('.app-scale__tick')].filter(t => t.offsetParent).map(t => [t.textContent, t.getBoundingClientRect()])
		const out = []
		for (let i = 1; i < ticks.length; i++) if (ticks[i][1].left < ticks[i - 1][1].right) out.push(ticks[i - 1][0] + ' / ' + ticks[i][0])
		return out
	})()`) {
		tb.t.Errorf("%s at %dpx: the scale's numbers overlap: %s", state, tb.width, o)
	}
	for _, small := range eval[[]string](tb, `[...document.querySelectorAll('.app-overview-table a, .app-overview-table button')]
		.filter(e => e.offsetParent && e.getBoundingClientRect().height < 24).map(e => e.textContent + ' ' + e.getBoundingClientRect().height)`) {
		tb.t.Errorf("%s at %dpx: a control of the table is under 24px high: %s", state, tb.width, small)
	}
}

// overviewRows is the groups of the table's rows, in order.
func (tb *tab) overviewRows() []string {
	tb.t.Helper()
	return eval[[]string](tb, `[...document.querySelectorAll('.app-overview-table tbody tr')].map(r => r.dataset.group)`)
}

// overviewRendered waits for the heatmap to draw again after something changed.
func (tb *tab) overviewRendered(before int) {
	tb.t.Helper()
	tb.dashWait("the heatmap to draw again", fmt.Sprintf(
		`+document.querySelector('[data-chart=heatmap]').dataset.chartRenders > %d && document.querySelector('[data-chart=heatmap]').dataset.chartReady === 'true'`, before))
}

func (tb *tab) overviewRenders() int {
	tb.t.Helper()
	return tb.dashNumber(`+document.querySelector('[data-chart=heatmap]').dataset.chartRenders`)
}

// TestDashboardOverview: an administrator (who sees the whole department) reads the overview.
func TestDashboardOverview(t *testing.T) {
	s := newDashboardSite(t)
	groups, dims, stages := overviewReport(t, s)
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.signIn(s.Admin, "/dashboard?wave="+dashWave)
		tb.dashReady(1)
		tb.dashWait("the reader's scope", `document.querySelector('.app-overview-table').closest('[data-scope=ready]')`)

		// The whole department starts open: every group of the report has its row.
		if rows := tb.overviewRows(); len(rows) != len(groups) {
			t.Errorf("at %dpx: %d rows, want every one of the %d groups", width, len(rows), len(groups))
		}

		// Every shown cell carries its figure, in the table and in the chart.
		shown := 0
		for _, g := range groups {
			if g.Withheld {
				continue
			}
			for _, f := range append([]*overviewFigures{g.Overall}, dimsOf(g, dims)...) {
				if f != nil && !f.Withheld && f.Mean != nil {
					shown++
				}
			}
		}
		cells := eval[[][]string](tb, overviewCells)
		if len(cells) != shown {
			t.Errorf("at %dpx: %d cells of the heatmap carry a number, want the %d figures shown", width, len(cells), shown)
		}
		if n := tb.dashNumber(`document.querySelectorAll('.app-overview-table td[data-cell=shown] .app-cell__figure').length`); n != shown {
			t.Errorf("at %dpx: %d figures in the table, want %d", width, n, shown)
		}

		// Colours follow the figure: two different means, even within one stage, look different.
		fills := map[string]string{}
		for _, c := range cells {
			fills[c[0]] = c[1]
		}
		a, b := overviewSameStagePair(fills, width == narrow)
		if a == "" {
			t.Errorf("at %dpx: no two different figures of one stage to compare: %v", width, fills)
		} else if fills[a] == fills[b] {
			t.Errorf("at %dpx: %s and %s are drawn in the same colour %s", width, a, b, fills[a])
		}
		tb.dashContrast("heatmap")
		tb.dashOverlaps("heatmap")
		// The scale marks where each stage begins.
		marks := eval[[]float64](tb, `[...document.querySelectorAll('[data-scale=score] [data-at]')].map(t => +t.dataset.at)`)
		if want := append(append([]float64{}, stages...), 100); fmt.Sprint(marks) != fmt.Sprint(want) {
			t.Errorf("at %dpx: the scale is marked at %v, want the stages' starts and 100: %v", width, marks, want)
		}

		// The difference from the group above and from the department, worked out by hand.
		team, dir := overviewComparable(t, groups)
		want := fmt.Sprintf("%s on %s, %s on the department",
			overviewSigned(*groups[team].Overall.Mean-*groups[dir].Overall.Mean), groups[dir].Name,
			overviewSigned(*groups[team].Overall.Mean-*groups[dashDepartment].Overall.Mean))
		if got := tb.dashText(`document.querySelector('tr[data-group=` + team + `] td[data-cell] [data-diff]').textContent`); got != want {
			t.Errorf("at %dpx: %s's overall says %q, want %q", width, team, got, want)
		}

		// A withheld cell says why: in the table and in the chart's tooltip.
		if got := tb.dashText(`document.querySelector('tr[data-group=` + dashSmallTeam + `] [data-why]').textContent`); !strings.Contains(got, "held back until enough arrive") {
			t.Errorf("at %dpx: the withheld team's row says %q", width, got)
		}
		tb.overviewCheck("overview")
		tb.overviewWithheldTooltip()

		// The switch, from the keyboard: the figures become gaps.
		before := tb.overviewRenders()
		tb.dashTabTo(`input[data-measure=score]`)
		tb.dashKey(kb.ArrowDown)
		tb.overviewRendered(before)
		if got := tb.dashText(`document.querySelector('[data-chart=heatmap]').dataset.measure`); got != "gap" {
			t.Fatalf("at %dpx: the heatmap shows %q after choosing the gap", width, got)
		}
		gap := *groups[team].Overall.Gap
		if got := tb.dashText(`document.querySelector('tr[data-group=` + team + `] td[data-cell] .app-cell__figure').textContent`); got != overviewSigned(gap) {
			t.Errorf("at %dpx: %s's overall gap shows %q, want %q", width, team, got, overviewSigned(gap))
		}
		if got := tb.dashText(`document.querySelector('[data-scale]').textContent`); !strings.Contains(got, "wants much more than it has") {
			t.Errorf("at %dpx: the gap's scale does not say what a big gap means: %q", width, got)
		}
		gaps := eval[[][]string](tb, overviewCells)
		if len(gaps) == 0 || !strings.ContainsAny(gaps[0][0], "+−±") {
			t.Errorf("at %dpx: the heatmap's cells after the switch: %v", width, gaps)
		}
		tb.dashContrast("heatmap")
		tb.overviewCheck("overview-gap")

		// Sorting by the overall gap, then the other way, from the keyboard.
		tb.dashTabTo(`button[data-sort=overall]`)
		tb.dashKey(kb.Enter)
		tb.overviewSorted(groups, "overall", "gap", "ascending")
		tb.dashKey(kb.Enter)
		tb.overviewSorted(groups, "overall", "gap", "descending")
		if !eval[bool](tb, `document.activeElement.matches('button[data-sort=overall]')`) {
			t.Errorf("at %dpx: focus left the sort button", width)
		}
		tb.overviewCheck("overview-sorted")

		// Back to scores, and one directorate.
		tb.dashTabTo(`input[data-measure=gap]`)
		tb.dashKey(kb.ArrowUp)
		tb.dashWait("the scores", `document.querySelector('[data-chart=heatmap]').dataset.measure === 'score'`)
		before = tb.overviewRenders()
		tb.dashTabTo(`#overview-directorate`)
		tb.dashKey(groups[dashDirectorate].Name[:1]) // a select chooses the option its first letter starts
		tb.dashWait("the directorate chosen", `document.activeElement.value === '`+dashDirectorate+`'`)
		tb.overviewRendered(before)
		for _, key := range tb.overviewRows() {
			if key != dashDirectorate && groups[key].Parent != dashDirectorate {
				t.Errorf("at %dpx: filtered to %s, the table shows %s (in %s)", width, dashDirectorate, key, groups[key].Parent)
			}
		}
		if n := len(tb.overviewRows()); n < 2 || n != tb.dashNumber(`+document.querySelector('[data-chart=heatmap]').dataset.rows`) {
			t.Errorf("at %dpx: filtered, the table has %d rows and the chart %s", width, n, tb.dashText(`document.querySelector('[data-chart=heatmap]').dataset.rows`))
		}
		if got := tb.dashText(`document.querySelector('[data-overview-status]').textContent`); !strings.Contains(got, groups[dashDirectorate].Name) {
			t.Errorf("at %dpx: the status says %q", width, got)
		}
		tb.overviewCheck("overview-directorate")

		// Sorting a score column reorders the rows, and says so.
		dim := dims[0]
		tb.dashTabTo(`button[data-sort=` + dim + `]`)
		tb.dashKey(kb.Enter)
		tb.overviewSorted(groups, dim, "score", "ascending")

		// Hiding the directorate's teams keeps focus on its button.
		tb.dashTabTo(`#toggle-table-` + dashDirectorate)
		tb.dashKey(kb.Enter)
		tb.dashWait("the directorate to collapse", `document.querySelectorAll('.app-overview-table tbody tr').length === 1`)
		if !eval[bool](tb, `document.activeElement.id === 'toggle-table-`+dashDirectorate+`' && document.activeElement.getAttribute('aria-expanded') === 'false'`) {
			t.Errorf("at %dpx: focus or aria-expanded wrong after collapsing", width)
		}
		tb.dashQuick("overview-collapsed")
	}
}

// TestDashboardOverviewLead: a lead's overview opens at their own team, named as theirs, with
// every team below it one click away.
func TestDashboardOverviewLead(t *testing.T) {
	s := newDashboardSite(t)
	groups, _, _ := overviewReport(t, s)
	var below []string
	for key, g := range groups {
		if g.Parent == leadScope {
			below = append(below, key)
		}
	}
	if len(below) == 0 {
		t.Fatalf("the lead's scope %s has no teams", leadScope)
	}
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.signIn(s.Lead, "/dashboard?wave="+dashWave)
		tb.dashReady(1)
		tb.dashWait("the reader's scope", `document.querySelector('[data-scope-tag]')`)
		if got := tb.dashText(`document.querySelector('tr[aria-current=true]').dataset.group`); got != leadScope {
			t.Errorf("at %dpx: the row marked as the lead's is %q, want %q", width, got, leadScope)
		}
		if got := tb.dashText(`document.getElementById('toggle-table-` + leadScope + `').getAttribute('aria-expanded')`); got != "true" {
			t.Errorf("at %dpx: the lead's directorate starts with aria-expanded %q", width, got)
		}
		rows := tb.overviewRows()
		for _, key := range below {
			found := false
			for _, r := range rows {
				found = found || r == key
			}
			if !found {
				t.Errorf("at %dpx: the lead's team %s has no row: %v", width, key, rows)
			}
			href := tb.dashText(`document.querySelector('tr[data-group=` + key + `] th a').getAttribute('href')`)
			if !strings.Contains(href, "group="+key) {
				t.Errorf("at %dpx: %s's row links to %q", width, key, href)
			}
		}
		// One click (Enter on the link) opens a team's page.
		tb.dashTabTo(`tr[data-group=` + below[0] + `] th a`)
		tb.overviewCheck("overview-lead")
		tb.dashKey(kb.Enter)
		tb.dashWait("the team's page", `location.search.includes('group=`+below[0]+`')`)
	}

	// A lead of one team sees it and the department: their team is compared with the department
	// only, since the directorate above it is not theirs to see.
	teamLead := person{Email: "team-lead@example.gov.uk", Password: testPassword}
	hash, err := access.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	team, dir := overviewComparable(t, groups)
	if _, err := s.Store.CreateUser(context.Background(), store.NewUser{Email: teamLead.Email, PasswordHash: hash, Role: "lead", Scope: team}); err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, s, wide)
	tb.signIn(teamLead, "/dashboard?wave="+dashWave)
	tb.dashReady(1)
	tb.dashWait("the reader's scope", `document.querySelector('[data-scope-tag]')`)
	if rows := tb.overviewRows(); fmt.Sprint(rows) != fmt.Sprint([]string{dashDepartment, team}) {
		t.Errorf("a lead of %s sees rows %v, want the department and their team", team, rows)
	}
	want := overviewSigned(*groups[team].Overall.Mean-*groups[dashDepartment].Overall.Mean) + " on the department"
	if got := tb.dashText(`document.querySelector('tr[data-group=` + team + `] td[data-cell] [data-diff]').textContent`); got != want {
		t.Errorf("a lead of %s reads %q, want %q (not compared with %s, which they cannot see)", team, got, want, dir)
	}
	if got := tb.dashText(`document.querySelector('tr[aria-current=true]').dataset.group`); got != team {
		t.Errorf("the row marked as the lead's is %q, want %q", got, team)
	}
	tb.overviewCheck("overview-team-lead")
}

// overviewTooltip hovers the heatmap's first hatched (withheld) cell and waits for a tooltip that
// says why it is withheld.
func (tb *tab) overviewWithheldTooltip() {
	tb.t.Helper()
	pt := eval[[]float64](tb, `(() => {
		const c = document.querySelector('[data-chart=heatmap]')
		const cells = () => [...c.querySelectorAll('svg path, svg rect')].filter(p => (p.getAttribute('fill') || '').startsWith('url(') && !p.closest('defs, pattern'))
			.filter(p => { const r = p.getBoundingClientRect(); return r.width >= 20 && r.height >= 20 })
		cells()[0].scrollIntoView({block: 'center'})
		const r = cells()[0].getBoundingClientRect()
		return [r.x + r.width / 2, r.y + r.height / 2]
	})()`)
	tb.do(chromedp.MouseEvent("mouseMoved", pt[0], pt[1]))
	tb.dashWait("the withheld cell's tooltip", `[...document.querySelectorAll('[data-chart=heatmap] svg text')].some(t => t.textContent.startsWith('Withheld: '))`)
	got := tb.dashText(`[...document.querySelectorAll('[data-chart=heatmap] svg text')].find(t => t.textContent.startsWith('Withheld: ')).closest('g').textContent`)
	if !strings.Contains(got, "answer") && !strings.Contains(got, "work out") {
		tb.t.Errorf("at %dpx: the withheld cell's tooltip does not say why: %q", tb.width, got)
	}
}

// overviewSorted checks that each group's children appear in the order asked, groups without a
// figure last, and that the column's header says so.
func (tb *tab) overviewSorted(groups map[string]overviewGroup, column, measure, dir string) {
	tb.t.Helper()
	tb.dashWait("the header to say "+dir, fmt.Sprintf(`document.querySelector('th[data-column=%q]').getAttribute('aria-sort') === %q`, column, dir))
	if n := tb.dashNumber(`document.querySelectorAll('th[aria-sort]').length`); n != 1 {
		tb.t.Errorf("at %dpx: %d headers carry aria-sort, want 1", tb.width, n)
	}
	rows := tb.overviewRows()
	last := map[string]float64{}
	for _, key := range rows {
		g := groups[key]
		f := g.Overall
		if column != "overall" && g.Dimensions != nil {
			f = g.Dimensions[column]
		}
		if g.Withheld || f == nil || f.Withheld {
			last[g.Parent] = math.Inf(1) // groups without a figure come last
			continue
		}
		v := f.Mean
		if measure == "gap" {
			v = f.Gap
		}
		if v == nil {
			last[g.Parent] = math.Inf(1)
			continue
		}
		x := *v
		if dir == "descending" {
			x = -x
		}
		if prev, ok := last[g.Parent]; ok && x < prev {
			tb.t.Errorf("at %dpx: sorted by %s %s %s, %s (%v) comes after a sibling with %v", tb.width, column, measure, dir, key, *v, math.Abs(prev))
		}
		last[g.Parent] = x
	}
}

func dimsOf(g overviewGroup, dims []string) []*overviewFigures {
	var out []*overviewFigures
	for _, d := range dims {
		out = append(out, g.Dimensions[d])
	}
	return out
}

// overviewComparable picks a team whose overall score and whose directorate's are shown.
func overviewComparable(t *testing.T, groups map[string]overviewGroup) (team, dir string) {
	t.Helper()
	for key, g := range groups {
		p, ok := groups[g.Parent]
		if g.Level == "team" && !g.Withheld && g.Overall != nil && g.Overall.Mean != nil && ok && p.Level == "directorate" && !p.Withheld && p.Overall != nil && p.Overall.Mean != nil {
			return key, g.Parent
		}
	}
	t.Fatal("no team with its directorate shown")
	return "", ""
}

// overviewSigned writes a difference as the page does: a sign, one decimal place, a minus sign.
func overviewSigned(x float64) string {
	x = math.Round(x*10) / 10
	switch {
	case x > 0:
		return fmt.Sprintf("+%.1f", x)
	case x < 0:
		return fmt.Sprintf("−%.1f", -x)
	}
	return "±0.0"
}

// overviewSameStagePair finds two different figures between 37.5 and 62.5 (one stage of the
// shipped survey's scale).
func overviewSameStagePair(fills map[string]string, whole bool) (string, string) {
	var in []string
	for text := range fills {
		var v float64
		if _, err := fmt.Sscan(text, &v); err == nil && v >= 38 && v < 62 {
			in = append(in, text)
		}
	}
	for i := range in {
		for j := range in {
			var x, y float64
			fmt.Sscan(in[i], &x)
			fmt.Sscan(in[j], &y)
			if y-x >= 5 {
				return in[i], in[j]
			}
		}
	}
	return "", ""
}
