package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/report"
	"skillsurvey/internal/store"
)

// ReportAccess decides whether a request may read reports. Access control (roles lead and hr, and
// sign-in) arrives with a later issue and plugs in here; until then the default, LocalOnly, lets
// only requests from this machine through.
type ReportAccess func(c *gin.Context) error

// LocalOnly allows report requests from the loopback interface only. A request a proxy forwarded
// comes from the loopback interface too when the proxy runs on the same machine, so a request with a
// forwarding header is refused whatever its address.
func LocalOnly(c *gin.Context) error {
	forwarded := c.GetHeader("X-Forwarded-For") != "" || c.GetHeader("Forwarded") != "" || c.GetHeader("X-Real-Ip") != ""
	host, _, err := net.SplitHostPort(c.Request.RemoteAddr)
	if ip := net.ParseIP(host); err == nil && ip != nil && ip.IsLoopback() && !forwarded {
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
	format, err := reportFormat(c)
	if err != nil {
		respondError(c, err)
		return
	}
	req := report.Request{Level: c.DefaultQuery("level", "all"), Breakdown: c.Query("breakdown")}
	switch c.DefaultQuery("comments", "false") {
	case "true":
		req.Comments = true
	case "false":
	default:
		respondError(c, invalid(map[string]string{"comments": "use true or false"}))
		return
	}
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
	h.write(c, format, rep)
}

// Media types of the report formats.
const (
	mediaCSV  = "text/csv"
	mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// reportFormat picks json, csv or xlsx from ?format, or else from the Accept header.
func reportFormat(c *gin.Context) (string, error) {
	if f := c.Query("format"); f != "" {
		switch f {
		case "json", "csv", "xlsx":
			return f, nil
		}
		return "", invalid(map[string]string{"format": fmt.Sprintf("%q is not a format: use json, csv or xlsx", f)})
	}
	switch c.NegotiateFormat(gin.MIMEJSON, mediaCSV, mediaXLSX) {
	case mediaCSV:
		return "csv", nil
	case mediaXLSX:
		return "xlsx", nil
	}
	return "json", nil
}

// write sends the report in the chosen format; downloads are named after the wave.
func (h *reportHandlers) write(c *gin.Context, format string, rep *report.Report) {
	var buf bytes.Buffer
	var media string
	var err error
	switch format {
	case "csv":
		media, err = mediaCSV+"; charset=utf-8", report.WriteCSV(&buf, rep)
	case "xlsx":
		media, err = mediaXLSX, report.WriteXLSX(&buf, rep)
	default:
		c.JSON(http.StatusOK, rep)
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="skillsurvey-%s-%s.%s"`, rep.Wave.Key, rep.Level, format))
	c.Data(http.StatusOK, media, buf.Bytes())
}

// waveItem is a wave as the list of waves gives it.
type waveItem struct {
	Wave     string     `json:"wave"`
	Title    string     `json:"title"`
	Survey   string     `json:"survey"`
	State    string     `json:"state"`
	Mode     string     `json:"mode"`
	OpensAt  *time.Time `json:"opens_at"`
	ClosesAt *time.Time `json:"closes_at"`
}

// waves answers GET /waves: every wave, newest first, for the dashboard's wave picker.
func (h *reportHandlers) waves(c *gin.Context) {
	all, err := h.store.Waves(c.Request.Context())
	if err != nil {
		respondError(c, err)
		return
	}
	out := make([]waveItem, len(all))
	for i, w := range all {
		out[i] = waveItem{Wave: w.Key, Title: w.Title, Survey: w.SurveyID, State: w.State(h.now()), Mode: w.Mode,
			OpensAt: w.OpensAt, ClosesAt: w.ClosesAt}
	}
	c.JSON(http.StatusOK, gin.H{"waves": out})
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

// earlierWaves lists the waves of w's survey that opened no later than w did (by opening time, then
// creation), oldest first.
func (h *reportHandlers) earlierWaves(ctx context.Context, w store.Wave) ([]report.WaveDefinition, error) {
	all, err := h.store.Waves(ctx)
	if err != nil {
		return nil, err
	}
	var waves []store.Wave
	for _, o := range all {
		if o.SurveyID == w.SurveyID && o.OpensAt != nil && o.State(h.now()) != store.StateScheduled && !openedAfter(o, w) {
			waves = append(waves, o)
		}
	}
	sort.Slice(waves, func(i, j int) bool { return openedAfter(waves[j], waves[i]) })
	out := make([]report.WaveDefinition, 0, len(waves))
	for _, o := range waves {
		def, err := h.definitions.get(ctx, o.DefinitionVersion)
		if err != nil {
			return nil, err
		}
		out = append(out, report.WaveDefinition{Wave: o, Definition: def})
	}
	return out, nil
}

// openedAfter orders waves by opening time, then by creation.
func openedAfter(a, b store.Wave) bool {
	if a.OpensAt == nil || b.OpensAt == nil || !a.OpensAt.Equal(*b.OpensAt) {
		return a.OpensAt != nil && b.OpensAt != nil && a.OpensAt.After(*b.OpensAt)
	}
	return a.ID > b.ID
}
