package static_test

// Browser tests of a verified wave's survey page: the respondent signs in through a real OpenID
// Connect provider (on loopback) from the GOV.UK start button, comes back to the form, answers
// once, and is told so when they come back; a respondent whose sign-in has ended is asked to sign
// in again and sends what they had.

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/oauth2-proxy/mockoidc"

	"skillsurvey/api"
	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
	"skillsurvey/static"
)

const verifiedWave = "verified"

// newVerifiedSite is the service with single sign-on and its respondent key, the example teams, a
// verified wave open now, and an identity provider on loopback, which signs in whoever is queued.
func newVerifiedSite(t *testing.T) (*site, *mockoidc.MockOIDC) {
	t.Helper()
	ctx := context.Background()
	st, def := exampleStore(t)
	if _, err := st.CreateWave(ctx, def, store.NewWave{Key: verifiedWave, Title: "Spring 2026", Mode: store.ModeVerified, Threshold: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenWave(ctx, verifiedWave); err != nil {
		t.Fatal(err)
	}
	idp := startProvider(t)
	srv := httptest.NewUnstartedServer(nil)
	rules, err := access.ParseClaimRules("skills-admins=admin")
	if err != nil {
		t.Fatal(err)
	}
	sso, err := access.NewSSO(ctx, access.SSOConfig{Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: "http://" + srv.Listener.Addr().String() + "/sign-in/callback", Rules: rules}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	passes, err := access.NewPasses(bytes.Repeat([]byte("k"), access.MinRespondentKeyBytes), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = api.New(api.Config{Store: st, Static: http.FS(static.Files()), SSO: sso, Passes: passes})
	srv.Start()
	t.Cleanup(srv.Close)
	// The provider's address is where the browser goes to sign in: not another origin's request.
	return &site{URL: srv.URL, Store: st, Def: def, provider: strings.TrimSuffix(idp.Issuer(), "/oidc")}, idp
}

// startProvider runs the identity provider on loopback for the test's life.
func startProvider(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	idp, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	var one sync.Mutex // mockoidc keeps its sessions in a plain map
	if err := idp.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			one.Lock()
			defer one.Unlock()
			next.ServeHTTP(w, r)
		})
	}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := idp.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	return idp
}

// respondent is someone the provider signs in: no email or groups needed.
func respondent(subject string) *mockoidc.MockUser {
	return &mockoidc.MockUser{Subject: subject}
}

// signInByKeyboard tabs to the page's sign-in button and presses Enter, as who: the browser goes to
// the provider and back to the survey page.
func (tb *tab) signInByKeyboard(idp *mockoidc.MockOIDC, who *mockoidc.MockUser) {
	tb.t.Helper()
	idp.QueueUser(who)
	tb.tabUntil(`el.id === 'sign-in'`)
	tb.press(kb.Enter)
}

// TestSurveyVerifiedSignIn: the landing page of a verified wave offers to sign in, says what is
// kept, and brings the respondent back to the form signed in; they answer once, and coming back
// they are told they have answered.
func TestSurveyVerifiedSignIn(t *testing.T) {
	s, idp := newVerifiedSite(t)
	tb := newTab(t, s, wide)
	tb.open("/waves/" + verifiedWave)
	tb.waitPage("#start")
	landing := eval[string](tb, `document.getElementById('app').textContent`)
	for _, want := range []string{"Sign in to answer", "each person answers once", "coded mark", "cannot be matched"} {
		if !strings.Contains(landing, want) {
			t.Errorf("the landing page does not say %q", want)
		}
	}
	if eval[bool](tb, `[...document.querySelectorAll('a, button')].some(e => e.textContent.includes('Start now'))`) {
		t.Error("the landing page offers to start before signing in")
	}
	tb.check("sign-in-start")

	tb.signInByKeyboard(idp, respondent("ann"))
	tb.waitPage("#team") // back on the survey page, signed in, where the respondent was going
	if got := eval[string](tb, `location.pathname`); got != "/waves/"+verifiedWave {
		t.Errorf("came back to %s", got)
	}
	tb.check("signed-in")

	// Send a complete response from the last page, as a respondent who had answered would.
	tb.resumeWith(verifiedWave, saved{Version: s.Def.Version, SubmissionID: newUUID(t), Team: "digital-services",
		Answers: valid(), Page: "check"})
	tb.waitPage("#check")
	tb.sendByKeyboard()
	tb.waitPage("#confirmation")
	if n := responses(t, s, verifiedWave); n != 1 {
		t.Fatalf("%d responses, want 1", n)
	}

	// Coming back, signed in still, they are told they have answered, before filling anything in.
	tb.open("/waves/" + verifiedWave)
	tb.waitFor(`document.querySelector('#app h1') && document.querySelector('#app h1').textContent === 'You have already answered this survey'`)
	tb.check("already-answered")
	if n := responses(t, s, verifiedWave); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
}

// TestSurveyVerifiedSignInAgain: a respondent whose sign-in has ended when they send is asked to
// sign in again, keeps their answers, and sends them; one who answered already is told so.
func TestSurveyVerifiedSignInAgain(t *testing.T) {
	s, idp := newVerifiedSite(t)
	tb := newTab(t, s, narrow)
	tb.open("/waves/" + verifiedWave)
	tb.waitPage("#start")
	tb.signInByKeyboard(idp, respondent("bob"))
	tb.waitPage("#team")
	tb.resumeWith(verifiedWave, saved{Version: s.Def.Version, SubmissionID: newUUID(t), Team: "digital-services",
		Answers: valid(), Page: "check"})
	tb.waitPage("#check")

	// The pass is gone (it ran out, or the browser dropped it) when the respondent sends.
	if _, err := chromedp.Call(tb.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	tb.sendByKeyboard()
	tb.waitFor(`document.querySelector('#app h1') && document.querySelector('#app h1').textContent === 'Sign in again to send your answers'`)
	tb.check("sign-in-again")
	if n := responses(t, s, verifiedWave); n != 0 {
		t.Fatalf("%d responses stored without a pass", n)
	}

	tb.signInByKeyboard(idp, respondent("bob"))
	tb.waitPage("#check") // back where they were, answers kept
	tb.sendByKeyboard()
	tb.waitPage("#confirmation")
	if n := responses(t, s, verifiedWave); n != 1 {
		t.Fatalf("%d responses, want 1", n)
	}

	// Bob, on another device with other answers, is refused and told why.
	other := tb.isolated(t, s, narrow)
	other.open("/waves/" + verifiedWave)
	other.waitPage("#start")
	other.signInByKeyboard(idp, respondent("bob"))
	other.waitFor(`document.querySelector('#app h1') && document.querySelector('#app h1').textContent === 'You have already answered this survey'`)
	if n := responses(t, s, verifiedWave); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
}
