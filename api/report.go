package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/report"
	"skillsurvey/internal/store"
)

// reportStore is what the report endpoints need from storage.
type reportStore interface {
	Wave(ctx context.Context, key string) (store.Wave, error)
	Waves(ctx context.Context) ([]store.Wave, error)
	Teams(ctx context.Context, withRetired bool) ([]store.Team, error)
	WaveTeams(ctx context.Context, waveID uint) ([]store.Team, error)
	Audit(ctx context.Context, e store.NewAuditEvent) error
}

// reportHandlers serve leads and HR the figures of a wave.
type reportHandlers struct {
	store       reportStore
	reports     *report.Service
	definitions *definitionCache
	now         func() time.Time
	// focus gives trends the focus areas groups chose; nil for none.
	focus focusTeams
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
	format, req, err := reportRequest(c)
	if err != nil {
		respondError(c, err)
		return
	}
	rep, err := h.reports.Report(ctx, w, def, req)
	var bad *report.ErrBadRequest
	if errors.As(err, &bad) {
		err = invalid(map[string]string{bad.Field: bad.Message})
	}
	if err == nil {
		rep, err = h.scoped(c, w, rep)
	}
	if err == nil {
		err = h.audit(c, w, format, req)
	}
	if err != nil {
		respondError(c, err)
		return
	}
	h.write(c, format, rep)
}

// reportRequest reads a report's format, level, breakdown and whether comments are wanted (and
// allowed to this caller).
func reportRequest(c *gin.Context) (string, report.Request, error) {
	format, err := reportFormat(c)
	if err != nil {
		return "", report.Request{}, err
	}
	req := report.Request{Level: c.DefaultQuery("level", "all"), Breakdown: c.Query("breakdown")}
	switch c.DefaultQuery("comments", "false") {
	case "true":
		if !principal(c).MayReadComments() {
			return "", report.Request{}, errNoComments
		}
		req.Comments = true
	case "false":
	default:
		return "", report.Request{}, invalid(map[string]string{"comments": "use true or false"})
	}
	return format, req, nil
}

var errNoComments = newError(http.StatusForbidden, "comments_not_granted", "your account may read figures but not free-text comments; ask an administrator to grant comments")

// hierarchy maps every team, retired ones too, to its parent, for deciding what a lead sees: the
// current hierarchy, or with a wave, the wave's own (a lead sees their team as it was then).
func (h *reportHandlers) hierarchy(ctx context.Context, w *store.Wave) (access.Hierarchy, error) {
	var teams []store.Team
	var err error
	if w != nil {
		teams, err = h.store.WaveTeams(ctx, w.ID)
	} else {
		teams, err = h.store.Teams(ctx, true)
	}
	if err != nil {
		return nil, err
	}
	return access.HierarchyOf(teams), nil
}

// scoped narrows a report to what the caller may see (a lead gets their subtree and the
// department, and comments only where they may read them) and, with ?group=KEY, to that group and
// the groups below it. A group the caller may not see answers exactly as one that does not exist.
func (h *reportHandlers) scoped(c *gin.Context, w store.Wave, rep *report.Report) (*report.Report, error) {
	return h.scopedTo(c.Request.Context(), principal(c), w, rep, c.Query("group"))
}

// scopedTo narrows a report to what p may see and, where group is not empty, to that group and the
// groups below it. The report is shared, so it is copied, never changed.
func (h *reportHandlers) scopedTo(ctx context.Context, p access.Principal, w store.Wave, rep *report.Report, group string) (*report.Report, error) {
	if group == "" && (p.Role == access.Admin || p.Role == access.HR) {
		return rep, nil // comments were refused before when not granted
	}
	tree, err := h.hierarchy(ctx, &w)
	if err != nil {
		return nil, err
	}
	if _, known := tree[group]; group != "" && (!known || !p.Sees(tree, group)) {
		return nil, errGroupNotFound
	}
	out := *rep
	out.Groups = make([]report.Group, 0, len(rep.Groups))
	for _, g := range rep.Groups {
		if !p.Sees(tree, g.Key) || (group != "" && !tree.Within(g.Key, group)) {
			continue
		}
		if !p.ReadsComments(tree, g.Key) {
			g.Comments = nil
		}
		out.Groups = append(out.Groups, g)
	}
	return &out, nil
}

// audit records every download (CSV, XLSX) and every report a program reads.
func (h *reportHandlers) audit(c *gin.Context, w store.Wave, format string, req report.Request) error {
	p := principal(c)
	if format == "json" && p.Kind != access.Program {
		return nil // the dashboard reading figures is not an export
	}
	detail := fmt.Sprintf("level=%s format=%s", req.Level, format)
	if group := c.Query("group"); group != "" {
		detail += " group=" + group
	}
	if req.Breakdown != "" {
		detail += " breakdown=" + req.Breakdown
	}
	if req.Comments {
		detail += " comments=true"
	}
	return h.store.Audit(c.Request.Context(), store.NewAuditEvent{Actor: p.Actor(), Action: access.ActionReportExport,
		Target: "wave:" + w.Key, Detail: detail, Address: clientAddress(c)})
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

// itemOf is w as the list of waves gives it, in its state at now.
func itemOf(w store.Wave, now time.Time) waveItem {
	return waveItem{Wave: w.Key, Title: w.Title, Survey: w.SurveyID, State: w.State(now), Mode: w.Mode,
		OpensAt: w.OpensAt, ClosesAt: w.ClosesAt}
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
		out[i] = itemOf(w, h.now())
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
		err = errWaveNotFound
	}
	if err == nil {
		err = h.mayTrend(c, groupKey)
	}
	var t *report.Trend
	if err == nil {
		t, err = h.trendOf(ctx, w, groupKey)
	}
	if err == nil && principal(c).Kind == access.Program {
		err = h.store.Audit(ctx, store.NewAuditEvent{Actor: principal(c).Actor(), Action: access.ActionTokenUse,
			Target: "wave:" + w.Key, Detail: "trend group=" + groupKey, Address: clientAddress(c)})
	}
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

// mayTrend refuses a group the caller may not see with the same answer as a group that does not exist.
func (h *reportHandlers) mayTrend(c *gin.Context, group string) error {
	tree, err := h.hierarchy(c.Request.Context(), nil)
	if err != nil {
		return err
	}
	if !principal(c).Sees(tree, group) {
		return errGroupNotFound
	}
	return nil
}

// trendOf is a group's figures in every wave of w's survey up to w.
func (h *reportHandlers) trendOf(ctx context.Context, w store.Wave, group string) (*report.Trend, error) {
	waves, err := h.earlierWaves(ctx, w)
	if err != nil {
		return nil, err
	}
	t, err := h.reports.Trend(ctx, waves, group)
	if errors.Is(err, report.ErrGroupNotFound) {
		return nil, errGroupNotFound
	}
	if err == nil && h.focus != nil {
		err = withFocusAreas(ctx, h.focus, t, waves)
	}
	return t, err
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

var errGroupNotFound = newError(http.StatusNotFound, "group_not_found", "there is no group with this key in these waves that you may see")

// openedAfter orders waves by opening time, then by creation.
func openedAfter(a, b store.Wave) bool {
	if a.OpensAt == nil || b.OpensAt == nil || !a.OpensAt.Equal(*b.OpensAt) {
		return a.OpensAt != nil && b.OpensAt != nil && a.OpensAt.After(*b.OpensAt)
	}
	return a.ID > b.ID
}
