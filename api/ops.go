package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

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
