package api

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	requestIDKey = "request_id"
	loggerKey    = "logger"
)

func requestID(c *gin.Context) string { return c.GetString(requestIDKey) }

// logger is the service's logger, set on every request by logRequests.
func logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(loggerKey); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}

// logRequests logs one line per request: method, route, status, duration and a request id. It
// deliberately leaves out the client's address, browser, query string and body, which could
// identify a respondent or hold answers.
func logRequests(log *slog.Logger, respondents map[string]bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		c.Set(requestIDKey, id)
		c.Set(loggerKey, log)
		c.Header("X-Request-Id", id)
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "(unmatched)"
		}
		ctx := c.Request.Context()
		if !log.Enabled(ctx, slog.LevelInfo) {
			return
		}
		at := time.Now()
		if respondents[route] {
			// A respondent's request is logged to the minute: a time to the millisecond beside
			// a submission could be matched with who was at their desk just then.
			at = at.Truncate(time.Minute)
		}
		r := slog.NewRecord(at, slog.LevelInfo, "request", 0)
		r.AddAttrs(slog.String("request_id", id), slog.String("method", c.Request.Method), slog.String("route", route),
			slog.Int("status", c.Writer.Status()), slog.Duration("duration", time.Since(start)))
		_ = log.Handler().Handle(ctx, r)
	}
}

// recoverPanics turns a panic into a 500, logged with the request id: in the usual error shape for
// the API, as the "problem with the service" page for a page.
func recoverPanics(pg pages) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				logger(c).ErrorContext(c.Request.Context(), "panic", "request_id", requestID(c), "route", c.FullPath(), "panic", r)
				if isAPIPath(c.Request.URL.Path) {
					respondError(c, newError(http.StatusInternalServerError, "internal", "something went wrong on our side; please try again"))
					return
				}
				pg.serviceProblem(c)
			}
		}()
		c.Next()
	}
}

// securityHeaders sets headers every answer carries. The policy allows nothing from another origin
// and no inline script or style.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	// No page of the service uses the camera, microphone, location or payments, nor shares a window
	// with another site's page.
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if p := c.Request.URL.Path; strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz" || p == "/sign-in" || strings.HasPrefix(p, "/admin") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// limitBody refuses a body over max bytes: at once when Content-Length says so, and otherwise when
// reading passes the limit, so a large body is never read whole.
func limitBody(max int64) gin.HandlerFunc { return limitBodyWith(max, respondError) }

// limitBodyWith is limitBody answering a refusal with refuse (a page, for a form a person sent).
func limitBodyWith(max int64, refuse func(*gin.Context, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > max {
			c.Header("Connection", "close")
			refuse(c, errTooLarge)
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
		c.Next()
	}
}
