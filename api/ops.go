package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/metrics"
	"skillsurvey/internal/store"
)

// readyStore is what readiness needs from storage.
type readyStore interface {
	Ping(ctx context.Context) error
	Ready(ctx context.Context) error
}

// readiness answers GET /readyz: 200 when the database answers, its schema is the one this program
// needs and the last write did not find storage full or read-only; 503 otherwise, saying which
// (never the database's own error, which is logged).
func readiness(s readyStore) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		status, err := "database unavailable", s.Ping(ctx)
		if err == nil {
			status, err = "not ready", s.Ready(ctx)
		}
		if err == nil {
			c.JSON(http.StatusOK, gin.H{"status": "ready"})
			return
		}
		if fault, ok := store.Unavailable(err); ok && errors.Is(err, store.ErrUnavailable) {
			status = "storage unavailable: " + string(fault)
		}
		logger(c).WarnContext(ctx, "not ready", "request_id", requestID(c), "error", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": status})
	}
}

// errorCodeKey holds the code of the error a request was answered with (set by respondError).
const errorCodeKey = "error_code"

// submissionsRoute is the route whose answers count as submissions accepted or refused.
const submissionsRoute = "/api/v1/waves/:wave/responses"

// observeRequests records each request's duration by route template, method and status, and each
// submission's outcome: accepted (201 new, 200 a retry) or refused, by its answer's error code.
func observeRequests(m *metrics.Metrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route, status := c.FullPath(), c.Writer.Status()
		if route == "" {
			route = "(unmatched)"
		}
		m.ObserveRequest(route, c.Request.Method, status, time.Since(start))
		if route != submissionsRoute || c.Request.Method != http.MethodPost {
			return
		}
		switch code := c.GetString(errorCodeKey); {
		case status == http.StatusCreated:
			m.SubmissionAccepted(false)
		case status == http.StatusOK:
			m.SubmissionAccepted(true)
		case code != "":
			m.SubmissionRefused(code)
		default:
			m.SubmissionRefused("status_" + strconv.Itoa(status))
		}
	}
}
