package static_test

// Browser tests of a group's page as a communications lead uses it: what each stage means, a
// withheld figure shown in place with its reason, stage shares with their n, the two "now"
// figures labelled, next steps, comments, a comparison with another group, saved chart images that
// name themselves, printing (controls hidden, tables shown) and the one-page A4 summary. Expected
// values are worked out from the report API's JSON, not from the page's code.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"skillsurvey/internal/demo"
	"skillsurvey/internal/store"
)

// groupReport is what these tests read of the report API.
type groupReport struct {
	Wave struct {
		Title     string `json:"title"`
		Threshold int    `json:"threshold"`
	} `json:"wave"`
	Stages []struct {
		Key, Label, Description string
	} `json:"stages"`
	Dimensions []struct{ Key, Title string } `json:"dimensions"`
	Groups     []groupJSON                   `json:"groups"`
}

type groupJSON struct {
	Key        string                `json:"key"`
	Name       string                `json:"name"`
	Parent     string                `json:"parent"`
	Withheld   bool                  `json:"withheld"`
	Overall    figureJSON            `json:"overall"`
	Dimensions map[string]figureJSON `json:"dimensions"`
	Comments   map[string][]string   `json:"comments"`
}

type figureJSON struct {
	Withheld bool           `json:"withheld"`
	Reason   string         `json:"reason"`
	N        int            `json:"n"`
	Mean     *float64       `json:"mean"`
	Now      *float64       `json:"now"`
	Target   *float64       `json:"target"`
	Gap      *float64       `json:"gap"`
	Stages   map[string]int `json:"stages"`
	Next     *struct {
		Text      string `json:"text"`
		Questions []struct {
			Question  string `json:"question"`
			NextLevel string `json:"next_level"`
		} `json:"questions"`
	} `json:"next"`
}

func readGroupReport(t *testing.T, s *site, wave string) groupReport {
	t.Helper()
	resp := s.get(t, "/api/v1/waves/"+wave+"/report?level=all&comments=true")
	defer resp.Body.Close()
	var rep groupReport
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func (r groupReport) group(t *testing.T, key string) groupJSON {
	t.Helper()
	for _, g := range r.Groups {
		if g.Key == key {
			return g
		}
	}
	t.Fatalf("no group %q in the report", key)
	return groupJSON{}
}

// one writes a score as the page does: one decimal place.
func one(x *float64) string {
	if x == nil {
		return "–"
	}
	return strconv.FormatFloat(*x, 'f', 1, 64)
}

// groupCheck is dashCheck (axe, screenshot) and the heading order.
func (tb *tab) groupCheck(state string) {
	tb.t.Helper()
	tb.dashCheck(state)
	tb.headingOrder(state)
}

// groupReady waits for a group's page, its charts, comments and trend.
func (tb *tab) groupReady(charts int) {
	tb.t.Helper()
	tb.dashReady(charts)
	tb.dashWait("the comments", `document.querySelector('.app-comments-block').dataset.state === 'ready'`)
}

// TestDashboardGroupExplains: a lead reads a big team's page: what each stage means, the stage
// shares with their n adding to 100%, the two "now" figures named for what they are, next steps
// for each shown dimension, the team's comments, and the team beside the department, chosen from
// the keyboard. A team with a dimension waiting for more answers keeps it in place with the reason.
func TestDashboardGroupExplains(t *testing.T) {
	s := newDashboardSite(t)
	rep := readGroupReport(t, s, dashWave)
	big := rep.group(t, dashBigTeam)
	if len(big.Comments["one-change"]) == 0 {
		t.Fatalf("the big team has no comments in the report: the test's premise has changed")
	}
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.signIn(s.Admin, "/dashboard?wave="+dashWave+"&group="+dashBigTeam)
		tb.groupReady(5)

		// What each stage means, in the definition's words.
		for _, st := range rep.Stages {
			got := tb.dashText(fmt.Sprintf(`document.querySelector('#stage-meanings tr[data-stage=%q]').textContent`, st.Key))
			if st.Description == "" || !strings.Contains(got, st.Label) || !strings.Contains(got, st.Description) {
				t.Errorf("at %dpx: stage %s reads %q, want its label and %q", width, st.Key, got, st.Description)
			}
		}

		// Shares at each stage, with n, adding up to 100%.
		for key, f := range big.Dimensions {
			if f.Withheld {
				continue
			}
			row := fmt.Sprintf(`document.querySelector('[data-chart=stages]').closest('.app-chart-block').querySelector('tr[data-dimension=%q]')`, key)
			shares := eval[[]int](tb, row+`.querySelectorAll('[data-share]').length ? [...`+row+`.querySelectorAll('[data-share]')].map(c => +c.dataset.share) : []`)
			n := tb.dashNumber(`+` + row + `.querySelector('[data-n]').dataset.n`)
			if n != f.N {
				t.Errorf("at %dpx: %s: n = %d, the report says %d", width, key, n, f.N)
			}
			sum := 0
			for i, st := range rep.Stages {
				if i >= len(shares) {
					break
				}
				sum += shares[i]
				exact := 100 * float64(f.Stages[st.Key]) / float64(f.N)
				if math.Abs(float64(shares[i])-exact) >= 1 {
					t.Errorf("at %dpx: %s: %s shown as %d%%, the report's %d of %d is %.1f%%", width, key, st.Key, shares[i], f.Stages[st.Key], f.N, exact)
				}
			}
			if len(shares) != len(rep.Stages) || sum != 100 {
				t.Errorf("at %dpx: %s: shares %v add up to %d%%, want one a stage adding to 100%%", width, key, shares, sum)
			}
		}

		// The maturity score and the self-rated now, each named, with why they differ.
		head := tb.dashText(`document.querySelector('[data-chart=target]').closest('.app-chart-block').querySelector('thead').textContent`)
		if !strings.Contains(head, "Maturity score (mean of all answers)") || !strings.Contains(head, "Self-rated now") {
			t.Errorf("at %dpx: the now table's heads read %q", width, head)
		}
		if why := tb.dashText(`document.querySelector('[data-why=now]').textContent`); !strings.Contains(why, "mean of all the dimension’s answers") || !strings.Contains(why, "where their team is now") {
			t.Errorf("at %dpx: no sentence says why the two figures differ: %q", width, why)
		}
		for key, f := range big.Dimensions {
			if f.Withheld || f.Now == nil {
				continue
			}
			row := fmt.Sprintf(`document.querySelector('[data-chart=target]').closest('.app-chart-block').querySelector('tr[data-dimension=%q]')`, key)
			if got := tb.dashText(row + `.querySelector('[data-figure=maturity]').textContent`); got != one(f.Mean) {
				t.Errorf("at %dpx: %s maturity score %q, the report says %s", width, key, got, one(f.Mean))
			}
			if got := tb.dashText(row + `.querySelector('[data-figure=now]').textContent`); got != one(f.Now) {
				t.Errorf("at %dpx: %s self-rated now %q, the report says %s", width, key, got, one(f.Now))
			}
		}

		// Next steps for every shown dimension, in the definition's words.
		steps := 0
		for key, f := range big.Dimensions {
			if f.Withheld || f.Next == nil {
				continue
			}
			steps++
			got := tb.dashText(fmt.Sprintf(`(document.querySelector('#next-steps [data-next=%q]') || {textContent: ''}).textContent`, key))
			if !strings.Contains(got, f.Next.Text) {
				t.Errorf("at %dpx: %s's next steps lack the guidance %q: %q", width, key, f.Next.Text, got)
			}
			for _, q := range f.Next.Questions {
				if !strings.Contains(got, q.NextLevel) {
					t.Errorf("at %dpx: %s's next steps lack the next level of %s, %q", width, key, q.Question, q.NextLevel)
				}
			}
		}
		if steps == 0 {
			t.Error("no dimension of the big team has next steps in the report")
		}
		if n := tb.dashNumber(`document.querySelectorAll('#next-steps ~ [data-section=focus], #next-steps + [data-section=focus]').length`); n != 1 {
			t.Errorf("at %dpx: no place for focus areas after the next steps", width)
		}

		// Comments: every one of the report's, under its question, with the rule.
		if n := tb.dashNumber(`+document.querySelector('[data-question=one-change]').dataset.comments`); n != len(big.Comments["one-change"]) {
			t.Errorf("at %dpx: %d comments shown, the report has %d", width, n, len(big.Comments["one-change"]))
		}
		if rule := tb.dashText(`document.querySelector('[data-comment-rule]').textContent`); !strings.Contains(rule, fmt.Sprintf("at least %d people", 2*rep.Wave.Threshold)) {
			t.Errorf("at %dpx: the comments' rule reads %q", width, rule)
		}
		page := tb.dashText(`document.getElementById('comments').textContent`)
		for _, c := range big.Comments["one-change"] {
			if !strings.Contains(page, c) {
				t.Errorf("at %dpx: comment %q not on the page", width, c)
				break
			}
		}
		tb.dashOpenTables()
		tb.groupCheck("group-explains")

		// Compare with the department, chosen with the keyboard (the department comes first).
		tb.dashTabTo(`#compare-with`)
		tb.dashTabTo(`.app-compare-form button`)
		tb.dashKey(kb.Enter)
		tb.dashWait("the comparison", `location.search.includes('compare=`+dashDepartment+`')`)
		tb.groupReady(5)
		dept := rep.group(t, dashDepartment)
		cells := eval[[]string](tb, `[...document.querySelectorAll('#compare table tr[data-dimension=overall] td')].map(td => td.textContent)`)
		if len(cells) != 4 || cells[0] != one(big.Overall.Mean) || cells[1] != one(dept.Overall.Mean) || cells[2] != one(big.Overall.Gap) || cells[3] != one(dept.Overall.Gap) {
			t.Errorf("at %dpx: the comparison's overall row is %q, want %s and %s, gaps %s and %s", width, cells,
				one(big.Overall.Mean), one(dept.Overall.Mean), one(big.Overall.Gap), one(dept.Overall.Gap))
		}
		tb.groupCheck("group-compared")

		// A dimension waiting for more answers keeps its place, with the reason.
		const waiting = "digital-engagement"
		if f := rep.group(t, waiting).Dimensions["policy-engagement"]; !f.Withheld || f.Reason != "waiting for more answers" {
			t.Fatalf("the premise changed: %s's policy engagement is %+v", waiting, f)
		}
		tb.open("/dashboard?wave=" + dashWave + "&group=" + waiting)
		tb.groupReady(5)
		tb.groupWithheldInPlace("policy-engagement", "Waiting for more answers")
		tb.groupCheck("group-waiting")
	}
}

// groupWithheldInPlace checks a withheld dimension keeps its row in the scores table and its
// place in the scores and stages charts, labelled with why.
func (tb *tab) groupWithheldInPlace(dimension, reason string) {
	tb.t.Helper()
	for _, chart := range []string{"scores", "stages"} {
		row := tb.dashText(fmt.Sprintf(`document.querySelector('[data-chart=%s]').closest('.app-chart-block').querySelector('tr[data-dimension=%q]').textContent`, chart, dimension))
		if !strings.Contains(row, reason) {
			tb.t.Errorf("at %dpx: %s table: %s's row reads %q, want %q", tb.width, chart, dimension, row, reason)
		}
		inChart := tb.dashText(fmt.Sprintf(`[...document.querySelectorAll('[data-chart=%s] svg text')].map(t => t.textContent).join(' ')`, chart))
		if !strings.Contains(strings.Join(strings.Fields(inChart), " "), reason) {
			tb.t.Errorf("at %dpx: the %s chart does not say %q: %s", tb.width, chart, reason, inChart)
		}
	}
	tb.dashContrast("scores")
	tb.dashOverlaps("scores")
	tb.dashOverlaps("stages")
}

// TestDashboardGroupClosedWave: in the closed wave, a team's dimensions that too few answered are
// shown withheld in place as such, a directorate's as protecting a smaller group, and a team
// with too few comments shows none.
func TestDashboardGroupClosedWave(t *testing.T) {
	s := newDashboardSite(t)
	rep := readGroupReport(t, s, dashEarlierWave)
	team := rep.group(t, dashBigTeam)
	if f := team.Dimensions["campaigns"]; !f.Withheld || f.Reason != "small" {
		t.Fatalf("the premise changed: %s's campaigns in %s is %+v", dashBigTeam, dashEarlierWave, f)
	}
	if len(team.Comments) != 0 {
		t.Fatalf("the premise changed: %s has comments in %s", dashBigTeam, dashEarlierWave)
	}
	if f := rep.group(t, dashDirectorate).Dimensions["policy-engagement"]; !f.Withheld || f.Reason != "protects another" {
		t.Fatalf("the premise changed: %s's policy engagement is %+v", dashDirectorate, f)
	}
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.signIn(s.Admin, "/dashboard?wave="+dashEarlierWave+"&group="+dashBigTeam)
		tb.groupReady(4)
		tb.groupWithheldInPlace("campaigns", fmt.Sprintf("Withheld: fewer than %d people answered", rep.Wave.Threshold))
		if got := tb.dashText(`document.querySelector('[data-next=campaigns]').textContent`); !strings.Contains(got, "fewer than") {
			t.Errorf("at %dpx: the withheld dimension's next steps read %q", width, got)
		}
		if n := tb.dashText(`document.querySelector('#comments [data-comments]').dataset.comments`); n != "0" {
			t.Errorf("at %dpx: a team with too few comments shows %s", width, n)
		}
		tb.groupCheck("group-closed")

		tb.open("/dashboard?wave=" + dashEarlierWave + "&group=" + dashDirectorate)
		tb.groupReady(4)
		tb.groupWithheldInPlace("policy-engagement", "Withheld to protect a smaller group")
		tb.groupCheck("group-protects")
	}
}

// TestDashboardGroupShare: a saved chart image names its chart, group, wave and day (in the
// PNG's title as in the picture); printed, the page shows its tables and no controls; the trend
// reads at 320 px; the one-page summary prints on one A4 page.
func TestDashboardGroupShare(t *testing.T) {
	s := newDashboardSite(t)
	rep := readGroupReport(t, s, dashWave)
	big := rep.group(t, dashBigTeam)
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.signIn(s.Admin, "/dashboard?wave="+dashWave+"&group="+dashBigTeam)
		tb.groupReady(5)

		// The trend's labels neither overlap nor run off the chart.
		tb.dashOverlaps("trend")
		if cut := eval[[]string](tb, `(() => {
			const box = document.querySelector('[data-chart=trend] svg').getBoundingClientRect()
			return [...document.querySelectorAll('[data-chart=trend] svg text')].filter(t => t.textContent.trim()).filter(t => {
				const r = t.getBoundingClientRect(); return r.left < box.left - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1
			}).map(t => t.textContent)
		})()`); len(cut) > 0 {
			t.Errorf("at %dpx: trend labels cut off: %q", width, cut)
		}

		// Save the scores chart from the keyboard: the PNG's title names it.
		dir := t.TempDir()
		tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir})
			return err
		}))
		tb.dashTabTo(`[data-save-chart=scores]`)
		tb.dashKey(kb.Enter)
		tb.dashWait("the image to be made", `document.querySelector('[data-save-chart=scores]').dataset.saved`)
		png := groupDownload(t, dir)
		title := pngText(png, "Title")
		day := time.Now().UTC().Format("2 January 2006")
		for _, want := range []string{"Maturity score by dimension", big.Name, rep.Wave.Title, day} {
			if !strings.Contains(title, want) {
				t.Errorf("at %dpx: the saved image's title %q lacks %q", width, title, want)
			}
		}
		if note := pngText(png, "Description"); !strings.Contains(note, fmt.Sprintf("fewer than %d people", rep.Wave.Threshold)) {
			t.Errorf("at %dpx: the saved image's note reads %q", width, note)
		}
		if shown := tb.dashText(`document.querySelector('[data-save-chart=scores]').dataset.savedTitle`); shown != title {
			t.Errorf("at %dpx: the picture's heading %q is not the file's title %q", width, shown, title)
		}

		// Printed: every table shows, no control does, and everything fits the width of A4 paper
		// inside its margins (186 mm, 703 CSS pixels).
		tb.groupMedia("print")
		tb.groupViewport(703)
		hiddenCount := tb.dashNumber(`[...document.querySelectorAll('.app-chart-block table')].filter(t => !t.getClientRects().length).length`)
		tables := tb.dashNumber(`document.querySelectorAll('.app-chart-block table').length`)
		if tables < 5 || hiddenCount != 0 {
			t.Errorf("at %dpx: printed, %d of %d chart tables are hidden", width, hiddenCount, tables)
		}
		if shown := eval[[]string](tb, `[...document.querySelectorAll('button, input, select, form, nav, .govuk-service-navigation, .app-downloads')].filter(e => e.getClientRects().length).map(e => e.outerHTML.slice(0, 80))`); len(shown) > 0 {
			t.Errorf("at %dpx: printed, controls show: %q", width, shown)
		}
		tb.dashWait("the charts drawn for the paper", `[...document.querySelectorAll('[data-chart] svg')].every(s => s.getBoundingClientRect().width <= 703)`)
		tb.groupCheck("group-printed")
		tb.groupViewport(width)
		tb.groupMedia("")

		// The one-page summary, from its link.
		tb.dashTabTo(`a[href*="view=summary"]`)
		tb.dashKey(kb.Enter)
		tb.dashWait("the summary", `document.getElementById('dashboard').dataset.view === 'summary' && document.getElementById('dashboard').dataset.state === 'ready'`)
		row := eval[[]string](tb, `[...document.querySelectorAll('tr[data-dimension=overall] td')].map(td => td.textContent)`)
		if len(row) != 5 || row[0] != one(big.Overall.Mean) || row[4] != one(big.Overall.Gap) {
			t.Errorf("at %dpx: the summary's overall row is %q, want %s … gap %s", width, row, one(big.Overall.Mean), one(big.Overall.Gap))
		}
		tb.groupCheck("group-summary")
		tb.groupMedia("print")
		tb.screenshot("group-summary-printed")
		tb.groupMedia("")
		pages := tb.groupPDFPages("group-summary")
		if pages != 1 {
			t.Errorf("at %dpx: the summary prints on %d A4 pages, want 1", width, pages)
		}
	}
}

// groupMedia emulates print (or, with "", screen) media, keeping reduced motion.
func (tb *tab) groupMedia(media string) {
	tb.t.Helper()
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media,
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
		return err
	}))
}

// groupViewport sets the page's width, as newTab does.
func (tb *tab) groupViewport(width int) {
	tb.t.Helper()
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(width), Height: 900, DeviceScaleFactor: 1, Mobile: width < 600})
		return err
	}))
	tb.width = width
}

// groupPDFPages prints the page to PDF on A4, keeps it beside the screenshots and counts its pages.
func (tb *tab) groupPDFPages(state string) int {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	var pdf []byte
	yes := true
	_, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes, PrintBackground: &yes})
		if err == nil {
			pdf = res.Data
		}
		return err
	}))
	if err != nil {
		tb.t.Fatalf("print to PDF: %v", err)
	}
	path := filepath.Join(screenshotDir(tb.t), strings.ToLower(fmt.Sprintf("%s-%s-%d.pdf", tb.t.Name(), state, tb.width)))
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("printed: %s", path)
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
}

// groupDownload waits for a PNG to be downloaded into dir and returns it.
func groupDownload(t *testing.T, dir string) []byte {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err == nil && bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) && len(b) > 1000 {
				return b
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no PNG was downloaded into %s", dir)
	return nil
}

// pngText reads an iTXt (or tEXt) chunk of a PNG by its keyword.
func pngText(png []byte, keyword string) string {
	for i := 8; i+8 <= len(png); {
		n := int(binary.BigEndian.Uint32(png[i:]))
		kind := string(png[i+4 : i+8])
		if i+12+n > len(png) {
			break
		}
		data := png[i+8 : i+8+n]
		i += 12 + n
		key, rest, ok := bytes.Cut(data, []byte{0})
		if !ok || string(key) != keyword {
			continue
		}
		switch kind {
		case "tEXt":
			return string(rest)
		case "iTXt":
			// compression flag, method, language NUL, translated keyword NUL, text
			if len(rest) < 2 {
				return ""
			}
			parts := bytes.SplitN(rest[2:], []byte{0}, 3)
			if len(parts) == 3 {
				return string(parts[2])
			}
		}
	}
	return ""
}

// TestDashboardGroupLead: a lead of one directorate reads a team of theirs: its comments show
// (a lead reads comments in their own subtree), and the comparison offers exactly the groups the
// lead may see, with figures: their directorate, its teams and the department.
func TestDashboardGroupLead(t *testing.T) {
	s := newDashboardSite(t)
	rep := readGroupReport(t, s, dashWave)
	var want []string
	for _, g := range rep.Groups {
		if g.Withheld || g.Key == dashBigTeam {
			continue
		}
		if g.Key == dashDepartment || g.Key == leadScope || groupParent(rep, g.Key) == leadScope {
			want = append(want, g.Key)
		}
	}
	tb := newTab(t, s, narrow)
	tb.signIn(s.Lead, "/dashboard?wave="+dashWave+"&group="+dashBigTeam)
	tb.groupReady(5)
	got := eval[[]string](tb, `[...document.querySelectorAll('#compare-with option')].map(o => o.value)`)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the lead may compare with %q, want %q", got, want)
	}
	if n := tb.dashNumber(`+(document.querySelector('[data-question=one-change]') || {dataset: {comments: 0}}).dataset.comments`); n != len(rep.group(t, dashBigTeam).Comments["one-change"]) {
		t.Errorf("the lead sees %d comments of their own team", n)
	}
	tb.groupCheck("group-lead")
}

// groupParent is a group's parent's key in the report, or "".
func groupParent(rep groupReport, key string) string {
	for _, g := range rep.Groups {
		if g.Key == key {
			return g.Parent
		}
	}
	return ""
}

// TestDashboardGroupTrendPhone: with six waves of long names, the department's trend still reads
// at 320 px: no wave's name overlaps another or runs off the chart, and the table names them all.
func TestDashboardGroupTrendPhone(t *testing.T) {
	s := newDashboardSite(t)
	ctx := context.Background()
	teams, err := s.Store.Teams(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	titles := []string{"Summer 2026 pulse check", "Late summer 2026 pulse check", "Early autumn 2026 pulse check", "September 2026 check-in"}
	g := demo.New(s.Def, 21)
	for i, title := range titles {
		opens := time.Now().UTC().AddDate(0, -5+i, 0)
		closes := opens.AddDate(0, 0, 14)
		w, err := s.Store.CreateWave(ctx, s.Def, store.NewWave{Key: fmt.Sprintf("pulse-%d", i), Title: title, Mode: store.ModeOpen, Threshold: 5, OpensAt: &opens, ClosesAt: &closes})
		if err != nil {
			t.Fatal(err)
		}
		var rs []store.NewResponse
		for _, tm := range teams {
			for range 6 {
				r, err := g.Response(w.ID, tm.ID, g.TeamMaturity(), opens.Format(time.DateOnly))
				if err != nil {
					t.Fatal(err)
				}
				rs = append(rs, r)
			}
		}
		if err := s.Store.SaveResponses(ctx, rs); err != nil {
			t.Fatal(err)
		}
	}
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.signIn(s.Admin, "/dashboard?wave="+dashWave+"&group="+dashDepartment)
		tb.groupReady(5)
		if n := tb.dashNumber(`+document.querySelector('[data-chart=trend]').dataset.waves`); n != 6 {
			t.Fatalf("at %dpx: the trend has %d waves, want 6", width, n)
		}
		tb.dashOverlaps("trend")
		if cut := eval[[]string](tb, `(() => {
			const box = document.querySelector('[data-chart=trend] svg').getBoundingClientRect()
			return [...document.querySelectorAll('[data-chart=trend] svg text')].filter(t => t.textContent.trim()).filter(t => {
				const r = t.getBoundingClientRect(); return r.left < box.left - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1 || r.top < box.top - 1
			}).map(t => t.textContent)
		})()`); len(cut) > 0 {
			t.Errorf("at %dpx: trend labels cut off: %q", width, cut)
		}
		table := tb.dashText(`document.querySelector('[data-chart=trend]').closest('.app-chart-block').querySelector('table').textContent`)
		for _, title := range titles {
			if !strings.Contains(table, title) {
				t.Errorf("at %dpx: the trend's table does not name %q in full", width, title)
			}
		}
		eval[bool](tb, `document.querySelector('[data-chart=trend]').closest('.app-chart-block').querySelector('details').open = true`)
		tb.groupCheck("group-trend-six-waves")
	}
}
