package static_test

// The service's shell in a browser: every page, static or rendered by the service, has the
// department's header, the phase banner and the footer's links, at a phone's width and a desktop's;
// the footer's pages pass axe; an address that leads nowhere is a styled "Page not found", 404.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"skillsurvey/api"
	"skillsurvey/internal/example"
	"skillsurvey/static"
)

// shellSettings are what an operator would pass to serve: --department-name and the rest.
var shellSettings = api.Shell{Department: "Department for Digital Skills & Careers", Phase: "Alpha",
	ContactEmail: "skills-survey@example.gov.uk", FeedbackURL: "https://forms.example.gov.uk/skills-feedback"}

// newShellSite is newSite with the shell configured.
func newShellSite(t *testing.T) *site {
	t.Helper()
	st, def := exampleStore(t)
	s := &site{Store: st, Def: def}
	s.addPeople(t)
	srv := httptest.NewServer(api.New(api.Config{Store: st, Static: http.FS(static.Files()), Shell: shellSettings}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// shellProblems lists what the page in the tab lacks of the shell.
func (tb *tab) shellProblems() []string {
	tb.t.Helper()
	return eval[[]string](tb, fmt.Sprintf(`(() => {
		const problems = []
		const text = (sel) => { const el = document.querySelector(sel); return el ? el.textContent.trim() : null }
		if (text('header .govuk-header [data-shell="department"]') !== %q) problems.push('header: ' + text('.govuk-header'))
		const phase = document.querySelector('.govuk-phase-banner')
		if (!phase || phase.querySelector('.govuk-tag').textContent.trim() !== %q) problems.push('phase banner: ' + (phase && phase.textContent))
		else if (phase.querySelector('a').getAttribute('href') !== %q) problems.push('phase banner feedback link: ' + phase.querySelector('a').getAttribute('href'))
		const links = {}
		for (const a of document.querySelectorAll('footer.govuk-footer a')) links[a.textContent.trim()] = a.getAttribute('href')
		const want = {'Accessibility statement': '/accessibility', 'Privacy notice': '/privacy', 'Contact': '/contact', 'Feedback': %q}
		for (const [name, href] of Object.entries(want)) if (links[name] !== href) problems.push('footer link ' + name + ': ' + links[name])
		const footer = document.querySelector('footer.govuk-footer')
		if (footer && footer.getBoundingClientRect().width > document.documentElement.clientWidth + 1) problems.push('the footer is wider than the page')
		const header = document.querySelector('.govuk-header')
		if (header && getComputedStyle(header).backgroundColor === 'rgba(0, 0, 0, 0)') problems.push('the page is not styled')
		return problems
	})()`, shellSettings.Department, shellSettings.Phase, shellSettings.FeedbackURL, shellSettings.FeedbackURL))
}

// TestServiceShell opens every kind of page at both widths, signed out and then as an admin.
func TestServiceShell(t *testing.T) {
	s := newShellSite(t)
	signedOut := []string{"/", "/waves/" + example.WaveKey, "/sign-in", "/privacy", "/accessibility", "/contact", "/no-such-page", "/waves/"}
	signedIn := []string{"/dashboard?wave=" + example.WaveKey, "/admin", "/admin/users", "/sign-out", "/privacy"}
	// Pages checked with axe too: the footer's pages and Page not found.
	checked := map[string]string{"/privacy": "privacy", "/accessibility": "accessibility", "/contact": "contact", "/no-such-page": "not-found"}
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		visit := func(path string) {
			tb.t.Helper()
			tb.open(path)
			tb.dashWait("the page", `document.readyState === 'complete'`)
			for _, p := range tb.shellProblems() {
				t.Errorf("%s at %dpx: %s", path, width, p)
			}
			if state, ok := checked[path]; ok {
				tb.pageCheck(state)
			}
		}
		for _, path := range signedOut {
			visit(path)
		}
		tb.signIn(s.Admin, "/dashboard?wave="+example.WaveKey)
		for _, path := range signedIn {
			visit(path)
		}
	}
}

// TestPageNotFound: an address outside the API that leads nowhere answers 404 with the GOV.UK
// page, styled; one under the API keeps its JSON error.
func TestPageNotFound(t *testing.T) {
	s := newShellSite(t)
	tb := newTab(t, s, narrow)
	for _, path := range []string{"/no-such-page", "/waves/", "/assets/no-such-script-ABCDEFGH.js"} {
		tb.open(path)
		status := eval[int](tb, fmt.Sprintf(`fetch(%q).then(r => r.status)`, path), chromedp.EvalAwaitPromise)
		if status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, status)
		}
		if h1 := eval[string](tb, `document.querySelector('h1').textContent`); h1 != "Page not found" {
			t.Errorf("%s: the heading is %q", path, h1)
		}
		if style := eval[string](tb, `getComputedStyle(document.querySelector('h1')).fontFamily`); !strings.Contains(strings.ToLower(style), "arial") {
			t.Errorf("%s: the page is not styled (heading in %q)", path, style)
		}
	}
	kind := eval[string](tb, `fetch('/api/v1/no-such-thing').then(r => r.headers.get('Content-Type'))`, chromedp.EvalAwaitPromise)
	if !strings.HasPrefix(kind, "application/json") {
		t.Errorf("an unknown API address answered %q, want JSON", kind)
	}
}
