package static_test

// Browser tests of signing in and of the admin pages, on the harness in browser_test.go: the
// sign-in page, its error, the return to the address asked for, a session that ends while the
// dashboard loads, and the admin pages (waves, invitation codes, people), each checked with axe
// (WCAG 2.2 AA), for Content-Security-Policy violations, script errors, other-origin requests and
// sideways scrolling at 320 and 1280 pixels; the forms used with the keyboard alone.

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"skillsurvey/internal/example"
	"skillsurvey/internal/store"
)

// signIn opens path as someone not signed in, is sent to the sign-in page, signs in there with
// the keyboard (email, Tab, password, Enter) and waits to be back at path.
func (tb *tab) signIn(p person, path string) {
	tb.t.Helper()
	tb.open(path)
	tb.atSignIn(path)
	tb.typeCredentials(p.Email, p.Password)
	tb.dashWait("the page asked for, "+path, fmt.Sprintf(`location.pathname + location.search === %q && document.readyState === 'complete'`, path))
}

// atSignIn waits for the sign-in page, asked to return to path.
func (tb *tab) atSignIn(path string) {
	tb.t.Helper()
	want := "/sign-in?return=" + url.QueryEscape(path)
	tb.dashWait("the sign-in page", fmt.Sprintf(`location.pathname + location.search === %q && document.getElementById('password')`, want))
}

// typeCredentials fills the sign-in form from the keyboard and sends it with Enter.
func (tb *tab) typeCredentials(email, password string) {
	tb.t.Helper()
	tb.tabUntil(`el.id === 'email'`)
	tb.press(kb.End)
	for range len(eval[string](tb, `document.getElementById('email').value`)) {
		tb.press(kb.Backspace)
	}
	tb.typeText(email)
	tb.press(kb.Tab)
	if id := eval[string](tb, `document.activeElement.id`); id != "password" {
		tb.t.Fatalf("Tab from the email address went to %q, not the password", id)
	}
	tb.typeText(password)
	tb.press(kb.Enter)
}

// noSidewaysScroll checks the page reflows at the tab's width (WCAG 1.4.10).
func (tb *tab) noSidewaysScroll(state string) {
	tb.t.Helper()
	if w := eval[int](tb, `document.documentElement.scrollWidth`); w > tb.width {
		tb.t.Errorf("%s at %dpx: the page is %dpx wide and scrolls sideways", state, tb.width, w)
	}
}

// pageCheck is the harness's check of a server-rendered page, after a reflow check.
func (tb *tab) pageCheck(state string) {
	tb.t.Helper()
	tb.noSidewaysScroll(state)
	tb.check(state)
}

// TestSignInPage: someone not signed in who opens a dashboard address meets the sign-in page; a
// wrong password brings the error summary, focused; the right one returns them to the address
// they asked for, where the dashboard offers to sign out, which ends the session.
func TestSignInPage(t *testing.T) {
	s := newSite(t)
	path := "/dashboard?wave=" + example.WaveKey + "&view=breakdown"
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.open(path)
		tb.atSignIn(path)
		if h1 := eval[string](tb, `document.querySelector('h1').textContent`); h1 != "Sign in" {
			t.Errorf("at %dpx: the sign-in page's heading is %q", width, h1)
		}
		tb.pageCheck("sign-in")

		tb.typeCredentials(s.Admin.Email, "not the password at all")
		tb.dashWait("the error summary", `document.querySelector('.govuk-error-summary') && document.activeElement === document.querySelector('.govuk-error-summary')`)
		if got := eval[string](tb, `document.querySelector('.govuk-error-summary').textContent`); !strings.Contains(got, "The email address or password is not right") {
			t.Errorf("at %dpx: the error summary says %q", width, got)
		}
		if title := eval[string](tb, `document.title`); !strings.HasPrefix(title, "Error: ") {
			t.Errorf("at %dpx: the title %q does not start with Error:", width, title)
		}
		if got := eval[string](tb, `document.getElementById('email').value`); got != s.Admin.Email {
			t.Errorf("at %dpx: the email address typed is not kept: %q", width, got)
		}
		tb.pageCheck("sign-in-error")
		// The summary's link takes focus to the field; the return address is kept.
		tb.tabUntil(`el.getAttribute('href') === '#email'`)
		tb.press(kb.Enter)
		tb.dashWait("the email field to have focus", `document.activeElement.id === 'email'`)

		tb.typeCredentials(s.Admin.Email, s.Admin.Password)
		tb.dashWait("the dashboard asked for", fmt.Sprintf(`location.pathname + location.search === %q && document.getElementById('dashboard').dataset.state !== 'loading'`, path))
		if !eval[bool](tb, `[...document.querySelectorAll('.govuk-service-navigation a')].some(a => a.getAttribute('href') === '/sign-out' && a.textContent.trim() === 'Sign out')`) {
			t.Errorf("at %dpx: the dashboard's navigation has no Sign out", width)
		}

		if width == wide {
			// Sign out with the keyboard: the link, then the page's button.
			tb.tabUntil(`el.getAttribute('href') === '/sign-out'`)
			tb.press(kb.Enter)
			tb.dashWait("the sign-out page", `location.pathname === '/sign-out' && document.querySelector('form[action="/sign-out"] button')`)
			tb.pageCheck("sign-out")
			tb.tabUntil(`el.matches('form[action="/sign-out"] button')`)
			tb.press(kb.Enter)
			tb.dashWait("the signed-out banner", `location.search === '?signed_out=1' && document.querySelector('.govuk-notification-banner--success')`)
			tb.pageCheck("signed-out")
			tb.open(path)
			tb.atSignIn(path)
		}
	}
}

// TestLeadSignsIn: a lead signs in to the dashboard; the admin pages are not for them.
func TestLeadSignsIn(t *testing.T) {
	s := newSite(t)
	tb := newTab(t, s, narrow)
	tb.signIn(s.Lead, "/dashboard")
	tb.dashWait("the dashboard", `document.getElementById('dashboard').dataset.state !== 'loading'`)
	status := eval[int](tb, `fetch('/admin').then(r => r.status)`, chromedp.EvalAwaitPromise)
	if status != 403 {
		t.Errorf("a lead fetched /admin: %d, want 403", status)
	}
	who := eval[string](tb, `fetch('/api/v1/session').then(r => r.json()).then(j => j.role + ' ' + j.scope)`, chromedp.EvalAwaitPromise)
	if who != "lead "+leadScope {
		t.Errorf("the lead's session is %q", who)
	}
	if hidden := eval[bool](tb, `document.getElementById('nav-admin').hidden`); !hidden {
		t.Error("a lead is offered the administration pages")
	}
	tb.dashQuick("lead-dashboard")
}

// TestAdminSeesAdministration: an administrator's dashboard menu leads to the admin pages.
func TestAdminSeesAdministration(t *testing.T) {
	s := newSite(t)
	tb := newTab(t, s, wide)
	tb.signIn(s.Admin, "/dashboard?wave="+example.WaveKey)
	tb.dashWait("the administration link", `!document.getElementById('nav-admin').hidden`)
	if href := eval[string](tb, `document.querySelector('#nav-admin a').getAttribute('href')`); href != "/admin" {
		t.Errorf("the administration link goes to %q", href)
	}
	tb.dashCheck("admin-dashboard-menu")
}

// TestDashboardSessionEnds: when the session ends while the dashboard is loading, the report API
// answers 401 and the page sends the person to sign in, then back to the same address.
func TestDashboardSessionEnds(t *testing.T) {
	s := newSite(t)
	tb := newTab(t, s, wide)
	path := "/dashboard?wave=" + example.WaveKey
	tb.signIn(s.Admin, "/admin")

	var once sync.Once
	chromedp.Listen(tb.ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		go func() {
			// The first API request of the page: the session ends before the service sees it.
			once.Do(func() {
				if err := s.Store.DeleteUserSessions(context.Background(), s.Admin.ID); err != nil {
					t.Error(err)
				}
			})
			chromedp.Call(tb.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
		}()
	})
	if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
		{URLPattern: "*/api/v1/*", RequestStage: fetch.RequestStageRequest}}}); err != nil {
		t.Fatal(err)
	}
	tb.open(path)
	tb.atSignIn(path)
	tb.typeCredentials(s.Admin.Email, s.Admin.Password)
	tb.dashWait("the dashboard again", fmt.Sprintf(`location.pathname + location.search === %q && document.getElementById('dashboard').dataset.state === 'ready'`, path))
	tb.dashQuick("signed-in-again")
}

// addInviteWave adds an open invite-mode wave to the site.
func addInviteWave(t *testing.T, s *site) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Store.CreateWave(ctx, s.Def, store.NewWave{Key: "invited", Title: "Invited wave", Mode: store.ModeInvite, Threshold: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.OpenWave(ctx, "invited"); err != nil {
		t.Fatal(err)
	}
}

// TestAdminPages: each admin page, and each form with its errors, at both widths.
func TestAdminPages(t *testing.T) {
	s := newSite(t)
	addInviteWave(t, s)
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.signIn(s.Admin, "/admin")
		if n := eval[int](tb, `document.querySelectorAll('tr[data-wave]').length`); n != 2 {
			t.Errorf("at %dpx: the waves table has %d rows, want 2", width, n)
		}
		tb.pageCheck("admin-waves")

		tb.tabUntil(`el.getAttribute('href') === '/admin/waves/invited/invitations'`)
		tb.press(kb.Enter)
		tb.dashWait("the invitation codes form", `location.pathname === '/admin/waves/invited/invitations' && document.getElementById('count')`)
		tb.pageCheck("admin-invitations")
		tb.tabUntil(`el.id === 'count'`)
		tb.typeText("0")
		tb.press(kb.Enter)
		tb.dashWait("the error summary", `document.activeElement === document.querySelector('.govuk-error-summary')`)
		links := eval[[]string](tb, `[...document.querySelectorAll('.govuk-error-summary a')].map(a => a.getAttribute('href'))`)
		if strings.Join(links, " ") != "#team #count" {
			t.Errorf("at %dpx: the error summary links to %v", width, links)
		}
		tb.pageCheck("admin-invitations-error")

		tb.open("/admin/users")
		tb.dashWait("the people page", `document.getElementById('email')`)
		if n := eval[int](tb, `document.querySelectorAll('tr[data-person]').length`); n != 2 {
			t.Errorf("at %dpx: the people table has %d rows, want 2", width, n)
		}
		if eval[bool](tb, `document.getElementById('scope').offsetParent !== null`) {
			t.Errorf("at %dpx: the lead's team is shown before lead is chosen", width)
		}
		tb.pageCheck("admin-people")
		tb.tabUntil(`el.id === 'role'`)
		tb.press(" ")
		tb.dashWait("the lead's team to show", `document.getElementById('scope').offsetParent !== null`)
		tb.tabUntil(`el.matches('form[action="/admin/users"] button')`)
		tb.press(kb.Enter)
		tb.dashWait("the error summary", `document.activeElement === document.querySelector('.govuk-error-summary')`)
		links = eval[[]string](tb, `[...document.querySelectorAll('.govuk-error-summary a')].map(a => a.getAttribute('href'))`)
		if strings.Join(links, " ") != "#email #scope" {
			t.Errorf("at %dpx: the error summary links to %v", width, links)
		}
		if !eval[bool](tb, `document.getElementById('role').checked && document.getElementById('scope').offsetParent !== null`) {
			t.Errorf("at %dpx: the form sent back forgot that lead was chosen", width)
		}
		tb.pageCheck("admin-people-error")
	}
}

// TestAdminCloseWave: an admin closes the example wave from the waves page with the keyboard; the
// page says so, the wave is closed and its form is gone.
func TestAdminCloseWave(t *testing.T) {
	s := newSite(t)
	for _, width := range []int{narrow, wide} {
		if width == wide {
			// A fresh open wave to close at this width.
			addInviteWave(t, s)
		}
		key, title := example.WaveKey, "Example wave"
		if width == wide {
			key, title = "invited", "Invited wave"
		}
		tb := newTab(t, s, width)
		tb.signIn(s.Admin, "/admin")
		tb.tabUntil(fmt.Sprintf(`el.matches('form[action="/admin/waves/%s/close"] button')`, key))
		if name := eval[string](tb, `document.activeElement.textContent`); name != "Close "+title {
			t.Errorf("at %dpx: the button's accessible text is %q, want it to name the wave", width, name)
		}
		tb.press(kb.Enter)
		tb.dashWait("the success banner", fmt.Sprintf(`location.search === '?closed=%s' && document.querySelector('.govuk-notification-banner--success')`, key))
		if got := eval[string](tb, `document.querySelector('.govuk-notification-banner').textContent`); !strings.Contains(got, title+" is closed.") {
			t.Errorf("at %dpx: the banner says %q", width, got)
		}
		if eval[bool](tb, fmt.Sprintf(`!!document.querySelector('form[action="/admin/waves/%s/close"]')`, key)) {
			t.Errorf("at %dpx: the closed wave still has a Close button", width)
		}
		w, err := s.Store.Wave(context.Background(), key)
		if err != nil || w.ClosesAt == nil {
			t.Errorf("at %dpx: wave %s is not closed: %v", width, key, err)
		}
		tb.pageCheck("admin-wave-closed")
	}
}

// TestAdminAddPerson: an admin adds a lead with the keyboard; the page shows the password once,
// and the new lead signs in with it.
func TestAdminAddPerson(t *testing.T) {
	s := newSite(t)
	var password string
	for _, width := range []int{narrow, wide} {
		email := fmt.Sprintf("new.lead.%d@example.gov.uk", width)
		tb := newTab(t, s, width)
		tb.signIn(s.Admin, "/admin/users")
		tb.tabUntil(`el.id === 'email'`)
		tb.typeText(email)
		tb.press(kb.Tab)
		if id := eval[string](tb, `document.activeElement.id`); id != "role" {
			t.Fatalf("at %dpx: Tab from the email went to %q, not the first role", width, id)
		}
		tb.press(" ")
		tb.press(kb.Tab)
		tb.dashWait("the lead's team", `document.activeElement.id === 'scope'`)
		for range 30 {
			if eval[string](tb, `document.getElementById('scope').value`) == "policy" {
				break
			}
			tb.press(kb.ArrowDown)
		}
		if got := eval[string](tb, `document.getElementById('scope').value`); got != "policy" {
			t.Fatalf("at %dpx: the arrow keys chose %q", width, got)
		}
		tb.tabUntil(`el.matches('form[action="/admin/users"] button')`)
		tb.press(kb.Enter)
		tb.dashWait("the new account", `document.getElementById('password')`)
		password = eval[string](tb, `document.getElementById('password').textContent.trim()`)
		if len(password) != 23 {
			t.Errorf("at %dpx: the password shown is %q", width, password)
		}
		if got := eval[string](tb, `document.querySelector('main').textContent`); !strings.Contains(got, "Copy it now: it is not shown again") || !strings.Contains(got, "Policy directorate") {
			t.Errorf("at %dpx: the page does not say the password is shown once, or whom the lead sees: %q", width, got)
		}
		tb.pageCheck("admin-person-added")

		// Back to the people page: the new lead is listed, the password nowhere.
		tb.tabUntil(`el.getAttribute('href') === '/admin/users'`)
		tb.press(kb.Enter)
		tb.dashWait("the people page", fmt.Sprintf(`document.querySelector('tr[data-person=%q]')`, email))
		if eval[bool](tb, fmt.Sprintf(`document.body.textContent.includes(%q)`, password)) {
			t.Errorf("at %dpx: the people page shows the password again", width)
		}
		tb.dashQuick("admin-people-after")

		// The new lead signs in with it, in a browser of their own.
		lead := newTab(t, s, width)
		lead.signIn(person{Email: email, Password: password}, "/dashboard")
		lead.dashQuick("new-lead-signed-in")
	}
}
