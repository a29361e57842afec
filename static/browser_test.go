package static_test

// The browser test harness: a real service on a loopback port (SQLite in a temporary folder, the
// shipped survey, the example teams and an open wave, the built pages) and Debian's headless
// Chromium driven by chromedp. Pages are checked with axe-core at WCAG 2.2 AA, for
// Content-Security-Policy violations, for script errors and for requests to other origins.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"skillsurvey/api"
	"skillsurvey/internal/access"
	"skillsurvey/internal/example"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
	"skillsurvey/static"
)

// Widths every page is checked at: a small phone and a desktop.
const (
	narrow = 320
	wide   = 1280
)

// chromiumPath finds Debian's Chromium. Without it a browser test fails in CI (CI=true) and is
// skipped, loudly, elsewhere.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("SKILLSURVEY_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	needed(t, "Chromium is not installed (apt-get install chromium)")
	return ""
}

// needed fails in CI and skips loudly elsewhere.
func needed(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("browser tests cannot run: %s", why)
	}
	t.Skipf("\n\n*** SKIPPING BROWSER TEST: %s ***\n\n", why)
}

// site is a running service with the example wave open, and people who can sign in to it.
type site struct {
	URL   string
	Store *store.Store
	Def   *survey.Definition
	// Admin sees every team and runs the admin pages; Lead leads one directorate, leadScope.
	Admin, Lead person
	// token is an admin's API token, for the requests tests make from Go rather than the browser.
	token string
	// provider is the identity provider's address, where a site with single sign-on sends the
	// browser on purpose: requests there are not another origin's.
	provider string
}

// person is an account of the site and its password.
type person struct {
	ID              uint
	Email, Password string
}

// leadScope is the directorate of the example teams the site's lead sees.
const leadScope = "communications"

// testPassword is the password of the site's people.
const testPassword = "correct horse battery staple"

// newSite starts the service the way `make run` does, on a loopback port.
func newSite(t *testing.T) *site {
	t.Helper()
	st, def := exampleStore(t)
	s := &site{Store: st, Def: def}
	s.addPeople(t)
	srv := httptest.NewServer(api.New(api.Config{Store: st, Static: http.FS(static.Files())}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// exampleStore is a fresh database with what `make run` sets up: the shipped survey, the example
// teams and an open wave.
func exampleStore(t *testing.T) (*store.Store, *survey.Definition) {
	t.Helper()
	if !static.Built() {
		needed(t, "the pages are not built (make assets)")
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "browser.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	def, err := survey.Load("../survey-definitions/digital-communications.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := example.Setup(context.Background(), st, def); err != nil {
		t.Fatal(err)
	}
	return st, def
}

// addPeople makes the site's admin and lead, and an admin token for requests from Go.
func (s *site) addPeople(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	hash, err := access.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		into        *person
		email, role string
		scope       string
	}{
		{&s.Admin, "admin@example.gov.uk", "admin", ""},
		{&s.Lead, "lead@example.gov.uk", "lead", leadScope},
	} {
		u, err := s.Store.CreateUser(ctx, store.NewUser{Email: p.email, PasswordHash: hash, Role: p.role, Scope: p.scope})
		if err != nil {
			t.Fatalf("add %s: %v", p.email, err)
		}
		*p.into = person{ID: u.ID, Email: p.email, Password: testPassword}
	}
	s.token = access.NewToken()
	if _, err := s.Store.CreateToken(ctx, store.NewToken{Name: "browser-tests", Hash: access.Hash(s.token), Role: "admin"}); err != nil {
		t.Fatal(err)
	}
}

// get fetches a path of the site from Go, with the admin token.
func (s *site) get(t *testing.T, path string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// tab is one browser tab at one width, recording what the page does wrong.
type tab struct {
	t        *testing.T
	ctx      context.Context
	site     *site
	width    int
	mu       sync.Mutex
	problems []string // script errors, and requests to other origins
}

// newTab opens headless Chromium at the given width, with reduced motion asked for.
func newTab(t *testing.T, s *site, width int) *tab {
	t.Helper()
	path := chromiumPath(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // or every run leaves a folder in the system's temp folder
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.UserDataDir(filepath.Join(tmp, "profile")),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(width, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	return prepareTab(t, ctx, s, width)
}

// prepareTab sets a new tab up: it records problems, has the width, reduced motion, and a
// collector of Content-Security-Policy violations.
func prepareTab(t *testing.T, ctx context.Context, s *site, width int) *tab {
	t.Helper()
	tb := &tab{t: t, ctx: ctx, site: s, width: width}
	if err := chromedp.Listen(ctx, tb.listen); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	yes := true
	steps := []func() error{
		func() error { _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); return err },
		func() error { _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); return err },
		func() error {
			_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
				Width: int64(width), Height: 900, DeviceScaleFactor: 1, Mobile: width < 600})
			return err
		},
		func() error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
			return err
		},
		func() error {
			// Collects Content-Security-Policy violations; a script added through DevTools is not
			// subject to the page's policy.
			_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
				Source: `window.__csp = [];
					document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
				RunImmediately: &yes})
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("start Chromium: %v", err)
		}
	}
	return tb
}

func (tb *tab) listen(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		u := e.Request.URL
		if !strings.HasPrefix(u, tb.site.URL) && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") &&
			(tb.site.provider == "" || !strings.HasPrefix(u, tb.site.provider)) {
			tb.problems = append(tb.problems, "request to another origin: "+u)
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg = d.Exception.Description
		}
		tb.problems = append(tb.problems, fmt.Sprintf("script error at %s:%d: %s", d.URL, d.LineNumber+1, msg))
	}
}

// do runs actions that return nothing, failing the test on error; each run has a time limit.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates JavaScript in the page and decodes its value into T.
func eval[T any](tb *tab, expression string, opts ...chromedp.EvaluateOption) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression, opts...))
	if err != nil {
		tb.t.Fatalf("browser: evaluate %.60q: %v", expression, err)
	}
	return v
}

// open loads a path of the site and waits for the page's body.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.site.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// check runs axe-core at WCAG 2.2 AA on the page as it is now, checks for CSP violations, script
// errors and requests to other origins, and writes a screenshot named after the state.
func (tb *tab) check(state string) {
	tb.t.Helper()
	tb.axe(state)
	for _, v := range eval[[]string](tb, `window.__csp || []`) {
		tb.t.Errorf("%s at %dpx: Content-Security-Policy violation: %s", state, tb.width, v)
	}
	tb.mu.Lock()
	for _, p := range tb.problems {
		tb.t.Errorf("%s at %dpx: %s", state, tb.width, p)
	}
	tb.problems = nil
	tb.mu.Unlock()
	tb.screenshot(state)
}

var axeSource = sync.OnceValues(func() ([]byte, error) { return os.ReadFile("node_modules/axe-core/axe.min.js") })

// axeViolation is what axe reports of one rule.
type axeViolation struct {
	ID    string    `json:"id"`
	Help  string    `json:"help"`
	Nodes []axeNode `json:"nodes"`
}

// axeNode is one element that breaks a rule, with the checks it failed.
type axeNode struct {
	Target []any  `json:"target"`
	HTML   string `json:"html"`
	Any    []struct {
		Data any `json:"data"`
	} `json:"any"`
	All []struct {
		Data any `json:"data"`
	} `json:"all"`
	None []struct {
		Data any `json:"data"`
	} `json:"none"`
}

// knownGOVUKIssue says whether a node's failure is GOV.UK Frontend's documented, deliberate one:
// a radio that reveals a conditional question carries aria-expanded, which ARIA does not list for
// radios but screen readers announce (alphagov/govuk-frontend#979). Only that attribute, only on
// a GOV.UK radio, is let through; anything else wrong with the element is still reported.
func knownGOVUKIssue(rule string, n axeNode) bool {
	if rule != "aria-allowed-attr" || !strings.HasPrefix(n.HTML, `<input class="govuk-radios__input"`) {
		return false
	}
	failed := 0
	for _, c := range append(append(n.Any, n.All...), n.None...) {
		attrs, _ := c.Data.([]any) // the attributes, as a list or as {values: [...]}
		if m, ok := c.Data.(map[string]any); ok {
			attrs, _ = m["values"].([]any)
		}
		for _, a := range attrs {
			if s, _ := a.(string); !strings.HasPrefix(s, "aria-expanded=") {
				return false
			}
			failed++
		}
	}
	return failed > 0
}

func (tb *tab) axe(state string) {
	tb.t.Helper()
	src, err := axeSource()
	if err != nil {
		needed(tb.t, "axe-core is not installed (make assets): "+err.Error())
	}
	eval[bool](tb, string(src)+";true")
	violations := eval[[]axeViolation](tb, `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}).then(r => r.violations)`,
		chromedp.EvalAwaitPromise)
	for _, v := range violations {
		var where []string
		for _, n := range v.Nodes {
			if knownGOVUKIssue(v.ID, n) {
				tb.t.Logf("%s at %dpx: axe %s at %v: GOV.UK Frontend's aria-expanded on a conditional radio, let through", state, tb.width, v.ID, n.Target)
				continue
			}
			where = append(where, fmt.Sprint(n.Target))
		}
		if len(where) > 0 {
			tb.t.Errorf("%s at %dpx: axe %s: %s at %s", state, tb.width, v.ID, v.Help, strings.Join(where, ", "))
		}
	}
}

// screenshotDir is where screenshots go: SKILLSURVEY_SCREENSHOTS, or screenshots/ at the top of
// the repository (git-ignored).
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("SKILLSURVEY_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("..", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(dir)
	return abs
}

func (tb *tab) screenshot(state string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	name := strings.NewReplacer(" ", "-", "/", "-").Replace(strings.ToLower(fmt.Sprintf("%s-%s-%d.png", tb.t.Name(), state, tb.width)))
	path := filepath.Join(screenshotDir(tb.t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot: %s", path)
}

// TestHomePage is the smallest browser test: the home page at both widths, checked.
func TestHomePage(t *testing.T) {
	s := newSite(t)
	for _, width := range []int{narrow, wide} {
		tb := newTab(t, s, width)
		tb.open("/")
		tb.check("home")
	}
}

// headingOrder runs axe's heading-order rule (a best practice, outside the WCAG tags check runs)
// and fails on any violation or warning, naming the headings. axe is injected where the page has
// none (a page without JavaScript).
func (tb *tab) headingOrder(state string) {
	tb.t.Helper()
	if !eval[bool](tb, `typeof axe !== 'undefined'`) {
		src, err := axeSource()
		if err != nil {
			tb.t.Fatal(err)
		}
		eval[bool](tb, string(src)+";true")
	}
	found := eval[[]string](tb, `axe.run(document, {runOnly: {type: 'rule', values: ['heading-order']}}).then(r => [...r.violations, ...r.incomplete].flatMap(v => v.nodes.map(n => n.html.slice(0, 100))))`,
		chromedp.EvalAwaitPromise)
	if len(found) != 0 {
		tb.t.Errorf("%s at %dpx: axe heading-order: %q", state, tb.width, found)
	}
}
