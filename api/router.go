// Package api is the service's HTTP interface: the Gin router, handlers, middleware and error shape.
package api

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/metrics"
	"skillsurvey/internal/report"
	"skillsurvey/internal/store"
	"skillsurvey/internal/submission"
	"skillsurvey/internal/survey"
	"skillsurvey/internal/waves"
)

// Config holds what the router needs.
type Config struct {
	Store  *store.Store
	Logger *slog.Logger
	// Static serves the web pages; nil serves none.
	Static http.FileSystem
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Idle and MaxSession bound a session's life; zero takes access.DefaultIdle and DefaultMax.
	Idle, MaxSession time.Duration
	// Proxies are the addresses whose X-Forwarded-For and X-Forwarded-Proto are believed.
	Proxies access.Proxies
	// Hosts are the host names the service answers to, beside loopback names (from --public-url).
	Hosts []string
	// SSO is single sign-on; nil when not configured.
	SSO *access.SSO
	// Passes are respondents' passes, made with the respondent key; with SSO, they let respondents
	// sign in to answer verified waves. Nil when not configured.
	Passes *access.Passes
	// Limits are the abuse limits; a limit left at zero takes its default (DefaultLimits).
	Limits Limits
	// Definitions are the survey definitions loaded at start, for creating waves.
	Definitions []*survey.Definition
	// Shell is what frames every page: the department's name, the phase banner, the footer's links.
	Shell Shell
	// ReportEvery is how long an open wave's report figures are kept while responses arrive
	// (report.RecomputeEvery); zero computes them again at each read that finds a new response.
	ReportEvery time.Duration
	// Metrics receives what the service measures; nil keeps them where nobody reads them. The
	// router never serves them: the command line does, on an address of their own.
	Metrics *metrics.Metrics
}

// route is one row of the route table: who may call what.
type route struct {
	method, path string
	permission   access.Permission
}

// router registers routes, each with the permission it needs, so no route can forget its rule.
type router struct {
	engine *gin.Engine
	gate   *gate
	pages  pages
	table  []route
}

// handle adds a route behind its permission: a JSON API route answers 401 or 403 to a caller its
// permission does not cover; a page sends an anonymous person to the sign-in page.
func (rt *router) handle(method, path string, perm access.Permission, handlers ...gin.HandlerFunc) {
	var pg pages // JSON routes answer in JSON
	if !strings.HasPrefix(path, "/api/") {
		pg = rt.pages
	}
	chain := []gin.HandlerFunc{require(perm, pg)}
	if perm != access.Anyone {
		chain = append(chain, checkCSRF)
	}
	rt.engine.Handle(method, path, append(chain, handlers...)...)
	rt.table = append(rt.table, route{method, path, perm})
}

// respondent adds a route respondents use: anyone may call it, and a session cookie is not even
// read, so a member of staff answering while signed in is not identified.
func (rt *router) respondent(method, path string, handlers ...gin.HandlerFunc) {
	rt.gate.respondents[path] = true
	rt.handle(method, path, access.Anyone, handlers...)
}

// New returns the service's HTTP handler with every route.
func New(cfg Config) http.Handler {
	h, _ := newRouter(cfg)
	return h
}

// newRouter builds the handler and returns its route table.
func newRouter(cfg Config) (http.Handler, []route) {
	gin.SetMode(gin.ReleaseMode)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Limits = cfg.Limits.withDefaults()
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	cfg.Metrics.WatchPools(cfg.Store.Pools)
	sessions := access.NewService(cfg.Store, cfg.Now, cfg.Idle, cfg.MaxSession)
	g := &gate{sessions: sessions, proxies: cfg.Proxies, hosts: map[string]bool{},
		tokens: cfg.Limits.SignIn.limiter(cfg.Now), respondents: map[string]bool{}}
	for _, h := range cfg.Hosts {
		g.hosts[strings.ToLower(h)] = true
	}

	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	pg := newPages(cfg.Shell.withDefaults(), readAssetNames(cfg.Static))
	e.Use(observeRequests(cfg.Metrics), logRequests(cfg.Logger, g.respondents), compress, recoverPanics(pg), securityHeaders, g.connection,
		limitRequests(cfg.Limits.Requests, cfg.Now), g.checkHost, g.identify)
	rt := &router{engine: e, gate: g, pages: pg}

	definitions := newDefinitionCache(cfg.Store.DefinitionSource)
	// Respondents can sign in to answer verified waves where single sign-on has its respondent key.
	var passes *access.Passes
	submissionOpts := []submission.Option{submission.WithBatchSizes(cfg.Metrics.ObserveBatch)}
	if cfg.SSO != nil && cfg.Passes != nil {
		passes = cfg.Passes
		submissionOpts = append(submissionOpts, submission.WithPasses(passes))
	}
	respondent := &respondentHandlers{store: cfg.Store, definitions: definitions, now: cfg.Now, passes: passes,
		codes:       cfg.Limits.Codes.limiter(cfg.Now),
		submissions: submission.NewService(cfg.Store, definitions.get, cfg.Now, submissionOpts...)}
	cfg.Metrics.WatchQueue(respondent.submissions.Waiting)
	reports := &reportHandlers{store: cfg.Store, reports: report.NewService(cfg.Store, cfg.Store, cfg.Now, report.RecomputeEvery(cfg.ReportEvery),
		report.OnCompute(cfg.Metrics.ObserveReport)),
		definitions: definitions, now: cfg.Now, focus: cfg.Store}
	signIn := &signInHandlers{sessions: sessions, sso: cfg.SSO, limit: cfg.Limits.SignIn.limiter(cfg.Now), pages: rt.pages}

	// Operations.
	rt.handle(http.MethodGet, "/healthz", access.Anyone, func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	rt.handle(http.MethodGet, "/readyz", access.Anyone, readiness(cfg.Store))
	rt.handle(http.MethodGet, "/api/v1/openapi.json", access.Anyone, serveOpenAPI)

	// Respondents: anyone with the link (open waves), an invitation code (invite waves) or a pass
	// from signing in (verified waves).
	rt.respondent(http.MethodGet, "/api/v1/waves/:wave/questionnaire", respondent.questionnaire)
	rt.respondent(http.MethodGet, "/api/v1/waves/:wave/teams", respondent.teams)
	rt.respondent(http.MethodGet, "/api/v1/waves/:wave/pass", respondent.pass)
	submissions := limitEach(cfg.Limits.Submissions.limiter(cfg.Now)) // one allowance, however answers are sent
	rt.respondent(http.MethodPost, "/api/v1/waves/:wave/responses",
		submissions, sameOrigin, requireJSON, limitBody(MaxSubmissionBytes), respondent.submit)
	// The same survey as plain HTML forms, for browsers without JavaScript (survey_form.go).
	form := &surveyForm{respondent: respondent, pages: rt.pages}
	rt.respondent(http.MethodGet, "/waves/:wave/form", form.start)
	// A form too large is refused with a page saying so (413).
	formLimit := limitBodyWith(MaxSubmissionBytes, form.problem)
	rt.respondent(http.MethodPost, "/waves/:wave/form", sameOrigin, formLimit, form.step)
	rt.respondent(http.MethodPost, "/waves/:wave/form/send", submissions, sameOrigin, formLimit, form.send)

	// Signing in and out.
	rt.handle(http.MethodGet, "/api/v1/session", access.SignedIn, signIn.whoAmI)
	rt.handle(http.MethodDelete, "/api/v1/session", access.SignedIn, signIn.signOutAPI)
	rt.handle(http.MethodGet, "/sign-in", access.Anyone, signIn.form)
	rt.handle(http.MethodPost, "/sign-in", access.Anyone, signIn.submit)
	rt.handle(http.MethodGet, "/sign-out", access.SignedIn, signIn.signOutForm)
	rt.handle(http.MethodPost, "/sign-out", access.SignedIn, signIn.signOut)
	if cfg.SSO != nil {
		// Single sign-on, only where it is configured.
		sso := &ssoHandlers{sso: cfg.SSO, sessions: sessions, accounts: cfg.Store, limit: signIn.limit, pages: signIn.pages}
		if passes != nil {
			sso.answers = &answerSignIn{sso: cfg.SSO, passes: passes, waves: cfg.Store, now: cfg.Now, limit: signIn.limit, pages: signIn.pages}
			rt.respondent(http.MethodGet, "/waves/:wave/sign-in", sso.answers.start)
		}
		rt.handle(http.MethodGet, "/sign-in/sso", access.Anyone, sso.start)
		// The provider's answer, to staff and respondents alike, never reads a session: a
		// respondent signing in must not touch (even the last-seen time of) their staff session.
		rt.respondent(http.MethodGet, "/sign-in/callback", sso.callback)
	}

	// Leads, HR and admins: aggregate figures only, never an individual response; a lead's narrowed to their scope.
	rt.handle(http.MethodGet, "/api/v1/waves", access.ReadReports, reports.waves)
	rt.handle(http.MethodGet, "/api/v1/waves/:wave/report", access.ReadReports, reports.report)
	rt.handle(http.MethodGet, "/api/v1/waves/:wave/trend", access.ReadReports, reports.trend)
	rt.handle(http.MethodGet, "/api/v1/surveys/:survey/results", access.ReadReports, newResultsHandlers(reports, cfg.Definitions).results)
	// Focus areas: read with the figures; chosen by admins, and by leads for their own teams.
	focus := &focusHandlers{reports: reports, store: cfg.Store}
	rt.handle(http.MethodGet, "/api/v1/waves/:wave/groups/:group/focus-areas", access.ReadReports, focus.get)
	rt.handle(http.MethodPut, "/api/v1/waves/:wave/groups/:group/focus-areas", access.ReadReports, focus.set)

	// Admins: waves, teams, invitation codes, people, tokens and the audit log.
	admin := &adminHandlers{store: cfg.Store, accounts: access.NewAccounts(cfg.Store, cfg.Now), now: cfg.Now,
		setup: waves.Setup{Definitions: cfg.Definitions, SignIn: passes != nil}}
	rt.handle(http.MethodPost, "/api/v1/waves", access.Administer, admin.createWave)
	rt.handle(http.MethodPost, "/api/v1/waves/:wave/open", access.Administer, admin.changeWave(true))
	rt.handle(http.MethodPost, "/api/v1/waves/:wave/close", access.Administer, admin.changeWave(false))
	rt.handle(http.MethodPost, "/api/v1/waves/:wave/invitations", access.Administer, admin.createInvitations)
	rt.handle(http.MethodGet, "/api/v1/teams", access.Administer, admin.teams)
	rt.handle(http.MethodPut, "/api/v1/teams", access.Administer, admin.importTeams)
	rt.handle(http.MethodGet, "/api/v1/users", access.Administer, admin.users)
	rt.handle(http.MethodPost, "/api/v1/users", access.Administer, admin.addUser)
	rt.handle(http.MethodDelete, "/api/v1/users/:email", access.Administer, admin.removeUser)
	rt.handle(http.MethodGet, "/api/v1/tokens", access.Administer, admin.tokens)
	rt.handle(http.MethodPost, "/api/v1/tokens", access.Administer, admin.createToken)
	rt.handle(http.MethodDelete, "/api/v1/tokens/:name", access.Administer, admin.revokeToken)
	rt.handle(http.MethodGet, "/api/v1/audit", access.Administer, admin.auditLog)
	rt.handle(http.MethodGet, "/api/v1/backup", access.Administer, backup(cfg.Store, func() string {
		return cfg.Now().UTC().Format("20060102-150405")
	}))

	// The administrators' pages: forms over the same functions as the admin API.
	adminPages := &adminPages{admin: admin, pages: signIn.pages}
	rt.handle(http.MethodGet, "/admin", access.Administer, adminPages.waves)
	rt.handle(http.MethodPost, "/admin/waves/:wave/open", access.Administer, adminPages.changeWave(true))
	rt.handle(http.MethodPost, "/admin/waves/:wave/close", access.Administer, adminPages.changeWave(false))
	rt.handle(http.MethodGet, "/admin/waves/:wave/invitations", access.Administer, adminPages.invitationsForm)
	rt.handle(http.MethodPost, "/admin/waves/:wave/invitations", access.Administer, adminPages.invitations)
	rt.handle(http.MethodGet, "/admin/users", access.Administer, adminPages.people)
	rt.handle(http.MethodPost, "/admin/users", access.Administer, adminPages.addPerson)

	// What every page's footer links to.
	rt.handle(http.MethodGet, "/accessibility", access.Anyone, rt.pages.infoPage("accessibility.html", "Accessibility statement"))
	rt.handle(http.MethodGet, "/privacy", access.Anyone, rt.pages.infoPage("privacy.html", "Privacy notice"))
	rt.handle(http.MethodGet, "/contact", access.Anyone, rt.pages.infoPage("contact.html", "Contact"))

	if cfg.Static != nil {
		// The web pages: the survey form of a wave for respondents, and the dashboard for leads.
		files, err := loadSite(cfg.Static, rt.pages["layout.html"])
		if err != nil {
			panic(err) // the pages are built into the binary: failing to read them is a broken build
		}
		rt.respondent(http.MethodGet, "/waves/:wave", plainFormRedirect(files.page("survey.html")))
		rt.handle(http.MethodGet, "/dashboard", access.ReadReports, files.page("dashboard.html"))
		e.NoRoute(files.filesOrNotFound(rt.pages))
	} else {
		e.NoRoute(site{}.filesOrNotFound(rt.pages))
	}
	e.NoMethod(func(c *gin.Context) { respondError(c, errMethod) })
	return e, rt.table
}
