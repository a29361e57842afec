// Package api is the service's HTTP interface: the Gin router, handlers, middleware and error shape.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/report"
	"skillsurvey/internal/store"
)

// Config holds what the router needs.
type Config struct {
	Store  *store.Store
	Logger *slog.Logger
	// Static serves the web pages; nil serves none.
	Static http.FileSystem
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ReportAccess guards the report endpoints; nil means LocalOnly.
	ReportAccess ReportAccess
}

// New returns the service's HTTP handler with every route.
func New(cfg Config) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ReportAccess == nil {
		cfg.ReportAccess = LocalOnly
	}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	r.Use(logRequests(cfg.Logger), recoverPanics, securityHeaders)

	definitions := newDefinitionCache(cfg.Store.DefinitionSource)
	respondent := &respondentHandlers{store: cfg.Store, definitions: definitions, now: cfg.Now}
	reports := &reportHandlers{store: cfg.Store, reports: report.NewService(cfg.Store, cfg.Store, cfg.Now),
		definitions: definitions, access: cfg.ReportAccess, now: cfg.Now}

	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", readiness(cfg.Store))

	v1 := r.Group("/api/v1")
	// Respondents: anyone with the link (open waves) or an invitation code (invite waves).
	v1.GET("/waves/:wave/questionnaire", respondent.questionnaire)
	v1.GET("/waves/:wave/teams", respondent.teams)
	v1.POST("/waves/:wave/responses", limitBody(MaxSubmissionBytes), respondent.submit)
	// Leads and HR: aggregate figures only, never an individual response.
	v1.GET("/waves", reports.allowed, reports.waves)
	v1.GET("/waves/:wave/report", reports.allowed, reports.report)
	v1.GET("/waves/:wave/trend", reports.allowed, reports.trend)
	v1.GET("/openapi.json", serveOpenAPI) // the OpenAPI document of everything under /api/v1

	if cfg.Static != nil {
		// The web pages: the survey form of a wave for respondents, and the dashboard for leads.
		r.GET("/waves/:wave", servePage(cfg.Static, "survey.html"))
		r.GET("/dashboard", reports.allowed, servePage(cfg.Static, "dashboard.html"))
		r.NoRoute(staticOrNotFound(cfg.Static))
	} else {
		r.NoRoute(func(c *gin.Context) { respondError(c, errNotFound) })
	}
	r.NoMethod(func(c *gin.Context) { respondError(c, errMethod) })
	return r
}

func readiness(s *store.Store) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := s.Ping(ctx); err != nil {
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "database unavailable"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	}
}

// servePage serves one built page whatever the path, for pages whose address carries a key.
func servePage(fs http.FileSystem, name string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, err := fs.Open(name)
		if err != nil {
			respondError(c, errNotFound)
			return
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			respondError(c, err)
			return
		}
		c.Header("Cache-Control", "no-cache")
		http.ServeContent(c.Writer, c.Request, name, info.ModTime(), f)
	}
}

// staticOrNotFound serves the web pages for GET and HEAD outside /api; everything else is a JSON 404.
func staticOrNotFound(fs http.FileSystem) gin.HandlerFunc {
	files := http.FileServer(fs)
	return func(c *gin.Context) {
		p := c.Request.URL.Path
		if strings.HasPrefix(p, "/api/") || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
			respondError(c, errNotFound)
			return
		}
		if strings.HasSuffix(p, "/") && p != "/" {
			respondError(c, errNotFound) // no directory listings
			return
		}
		c.Header("Cache-Control", "no-cache")
		files.ServeHTTP(c.Writer, c.Request)
	}
}
