package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/report"
	"skillsurvey/internal/store"
)

// ReportAccess decides whether a request may read reports. Access control (roles lead and hr, and
// sign-in) arrives with a later issue and plugs in here; until then the default, LocalOnly, lets
// only requests from this machine through.
type ReportAccess func(c *gin.Context) error

// LocalOnly allows report requests from the loopback interface only.
func LocalOnly(c *gin.Context) error {
	host, _, err := net.SplitHostPort(c.Request.RemoteAddr)
	if ip := net.ParseIP(host); err == nil && ip != nil && ip.IsLoopback() {
		return nil
	}
	return newError(http.StatusForbidden, "forbidden", "reports can be read only from the machine the service runs on until sign-in is set up")
}

// AllowAll allows every report request; for tests and for a service behind its own access control.
func AllowAll(*gin.Context) error { return nil }

// reportStore is what the report endpoints need from storage.
type reportStore interface {
	Wave(ctx context.Context, key string) (store.Wave, error)
	Waves(ctx context.Context) ([]store.Wave, error)
}

// reportHandlers serve leads and HR the figures of a wave.
type reportHandlers struct {
	store       reportStore
	reports     *report.Service
	definitions *definitionCache
	access      ReportAccess
	now         func() time.Time
}

// allowed is middleware that asks the access seam.
func (h *reportHandlers) allowed(c *gin.Context) {
	if err := h.access(c); err != nil {
		respondError(c, err)
		return
	}
	c.Next()
}

// report answers GET /waves/{wave}/report: group figures as JSON, CSV or XLSX.
func (h *reportHandlers) report(c *gin.Context) {
	ctx := c.Request.Context()
	w, err := h.store.Wave(ctx, c.Param("wave"))
	if errors.Is(err, store.ErrNotFound) {
		respondError(c, errWaveNotFound)
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	if w.State(h.now()) == store.StateScheduled {
		respondError(c, newError(http.StatusConflict, "wave_not_open", "this wave has not opened, so it has no figures yet"))
		return
	}
	def, err := h.definitions.get(ctx, w.DefinitionVersion)
	if err != nil {
		respondError(c, err)
		return
	}
	req := report.Request{Level: c.DefaultQuery("level", "all"), Breakdown: c.Query("breakdown")}
	rep, err := h.reports.Report(ctx, w, def, req)
	var bad *report.ErrBadRequest
	if errors.As(err, &bad) {
		respondError(c, invalid(map[string]string{bad.Field: bad.Message}))
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}

// trend answers GET /waves/{wave}/trend?group=KEY: the group's figures in every wave of the same
// survey up to this one, with the change between waves.
func (h *reportHandlers) trend(c *gin.Context) {
	ctx := c.Request.Context()
	groupKey := c.Query("group")
	if groupKey == "" {
		respondError(c, invalid(map[string]string{"group": "is required: the key of a team, directorate or the department"}))
		return
	}
	w, err := h.store.Wave(ctx, c.Param("wave"))
	if errors.Is(err, store.ErrNotFound) {
		respondError(c, errWaveNotFound)
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	waves, err := h.earlierWaves(ctx, w)
	if err != nil {
		respondError(c, err)
		return
	}
	t, err := h.reports.Trend(ctx, waves, groupKey)
	if errors.Is(err, report.ErrGroupNotFound) {
		respondError(c, newError(http.StatusNotFound, "group_not_found", "there is no group with this key in these waves"))
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

// earlierWaves lists the waves of w's survey that have opened, up to and including w, oldest first.
func (h *reportHandlers) earlierWaves(ctx context.Context, w store.Wave) ([]report.WaveDefinition, error) {
	all, err := h.store.Waves(ctx)
	if err != nil {
		return nil, err
	}
	var out []report.WaveDefinition
	for i := len(all) - 1; i >= 0; i-- { // Waves lists newest first
		o := all[i]
		if o.SurveyID != w.SurveyID || o.State(h.now()) == store.StateScheduled || o.CreatedAt.After(w.CreatedAt) {
			continue
		}
		def, err := h.definitions.get(ctx, o.DefinitionVersion)
		if err != nil {
			return nil, err
		}
		out = append(out, report.WaveDefinition{Wave: o, Definition: def})
	}
	return out, nil
}
