package static_test

// Browser tests of when the dashboard's charts are drawn: a chart well below the screen is not
// drawn, nor ECharts fetched, until the reader scrolls near it; its place is kept meanwhile, so
// nothing on the page moves when it is drawn; and where ECharts cannot be fetched, the chart's
// place says so, its table of figures is still there, and printing leaves out the empty chart.

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// shortScreen makes the tab's screen 200 pixels high, so the overview's heatmap starts well
// below the screen and the screen above it.
func (tb *tab) shortScreen() {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: int64(tb.width), Height: 200, DeviceScaleFactor: 1, Mobile: tb.width < 600}); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

const heatmapJS = `document.querySelector('[data-chart=heatmap]')`

func TestDashboardChartDrawnNearTheScreen(t *testing.T) {
	s := newDashboardSite(t)
	tb := newTab(t, s, narrow)
	tb.shortScreen()
	// Every request for ECharts' chunk, seen as the browser sends it (the page's own list of
	// resources names a request only once it has finished).
	var echartsAsked atomic.Int32
	if err := chromedp.Listen(tb.ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && strings.Contains(e.Request.URL, "/assets/echarts-") {
			echartsAsked.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	tb.signIn(s.Admin, "/dashboard?wave="+dashWave)
	tb.dashWait("the overview", `document.getElementById('dashboard').dataset.state === 'ready' && `+heatmapJS)
	// The heatmap has kept its place once the page's first layout has run; a chart that wrongly
	// draws (or fetches ECharts) at once is given time to do so before anything is checked.
	tb.dashWait("the heatmap's place to be kept", heatmapJS+`.style.height !== ''`)
	time.Sleep(500 * time.Millisecond)
	below := tb.dashNumber(heatmapJS + `.getBoundingClientRect().top - 2 * window.innerHeight`)
	if below <= 0 {
		t.Fatalf("the heatmap starts within two screens of the top; the test needs it further down")
	}
	if got := tb.dashText(heatmapJS + `.dataset.chartReady`); got != "false" {
		t.Errorf("the heatmap, %dpx below the screen, has data-chart-ready=%q, want false (not drawn yet)", below, got)
	}
	if eval[bool](tb, `!!`+heatmapJS+`.querySelector('svg')`) {
		t.Error("the heatmap is drawn before the reader comes near it")
	}
	if n := echartsAsked.Load(); n != 0 {
		t.Errorf("ECharts is asked for %d times before any chart is near the screen", n)
	}
	kept := tb.dashNumber(heatmapJS + `.getBoundingClientRect().height`)
	if kept < 200 {
		t.Errorf("the heatmap keeps %dpx for itself before it is drawn, want its full height", kept)
	}
	tableTop := tb.dashNumber(heatmapJS + `.closest('.app-chart-block').querySelector('table').getBoundingClientRect().top + window.scrollY`)

	eval[bool](tb, `(`+heatmapJS+`.scrollIntoView({ block: 'start' }), true)`)
	tb.dashWait("the heatmap to draw", heatmapJS+`.dataset.chartReady === 'true' && `+heatmapJS+`.querySelector('svg')`)
	if got := tb.dashNumber(heatmapJS + `.getBoundingClientRect().height`); got != kept {
		t.Errorf("drawn, the heatmap is %dpx high; it kept %dpx before, so the page moved", got, kept)
	}
	if got := tb.dashNumber(heatmapJS + `.closest('.app-chart-block').querySelector('table').getBoundingClientRect().top + window.scrollY`); got != tableTop {
		t.Errorf("the table under the heatmap moved from %dpx to %dpx when the chart was drawn", tableTop, got)
	}
	if n := echartsAsked.Load(); n != 1 {
		t.Errorf("ECharts is asked for %d times in all, want once, when the heatmap came near", n)
	}
	tb.dashCheck("heatmap-drawn-on-scroll")
}

func TestDashboardChartWithoutECharts(t *testing.T) {
	s := newDashboardSite(t)
	tb := newTab(t, s, wide)
	if _, err := chromedp.Call(tb.ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{
		URLPatterns: []*network.BlockPattern{{URLPattern: "*://*:*/assets/echarts-*", Block: true}}}); err != nil {
		t.Fatalf("browser: %v", err)
	}
	tb.signIn(s.Admin, "/dashboard?wave="+dashWave)
	tb.dashWait("the overview", `document.getElementById('dashboard').dataset.state === 'ready' && `+heatmapJS)
	eval[bool](tb, `(`+heatmapJS+`.scrollIntoView({ block: 'start' }), true)`)
	tb.dashWait("the heatmap to give up", heatmapJS+`.dataset.chartReady === 'failed'`)
	if got := tb.dashText(heatmapJS + `.textContent`); !strings.Contains(got, "could not be loaded") || !strings.Contains(got, "table below") {
		t.Errorf("where the heatmap could not be drawn, it says %q", got)
	}
	if rows := tb.dashNumber(heatmapJS + `.closest('.app-chart-block').querySelectorAll('table tbody tr').length`); rows < 2 {
		t.Errorf("without the chart, its table has %d rows", rows)
	}
	tb.dashCheck("heatmap-not-loaded")

	// Printed, a chart that never drew is left off the paper, not printed as an empty box; its
	// table prints.
	tb.groupMedia("print")
	if got := tb.dashText(`getComputedStyle(` + heatmapJS + `).display`); got != "none" {
		t.Errorf("printed, the chart that could not be drawn has display %q, want none", got)
	}
	if got := tb.dashText(`getComputedStyle(` + heatmapJS + `.closest('.app-chart-block').querySelector('table')).display`); got == "none" {
		t.Error("printed, the table of a chart that could not be drawn is hidden")
	}
	tb.groupMedia("")
}
