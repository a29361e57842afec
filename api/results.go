package api

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/report"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// resultsHandlers serve HR's feed: every wave of a survey in long form, for their own tools.
type resultsHandlers struct {
	reports *reportHandlers
	// surveys are the ids of the definitions loaded at start, so a survey with no wave yet answers
	// an empty feed rather than 404.
	surveys map[string]bool
}

func newResultsHandlers(reports *reportHandlers, defs []*survey.Definition) *resultsHandlers {
	h := &resultsHandlers{reports: reports, surveys: map[string]bool{}}
	for _, d := range defs {
		h.surveys[d.ID] = true
	}
	return h
}

var errSurveyNotFound = newError(http.StatusNotFound, "survey_not_found", "there is no survey with this id")

// results answers GET /surveys/{survey}/results: the figures of every wave of the survey that has
// opened, one row per wave, group and measure, as CSV, JSON or XLSX.
func (h *resultsHandlers) results(c *gin.Context) {
	id := c.Param("survey")
	waves, err := h.waves(c.Request.Context(), id)
	if err != nil {
		respondError(c, err)
		return
	}
	format, err := reportFormat(c)
	if err != nil {
		respondError(c, err)
		return
	}
	reps, err := h.reportsOf(c, waves)
	if err == nil {
		err = h.audit(c, id, format, len(reps))
	}
	if err != nil {
		respondError(c, err)
		return
	}
	h.write(c, format, id, reps)
}

// waves lists the survey's waves that have opened, oldest first (by opening time, then creation).
func (h *resultsHandlers) waves(ctx context.Context, id string) ([]store.Wave, error) {
	all, err := h.reports.store.Waves(ctx)
	if err != nil {
		return nil, err
	}
	known := h.surveys[id]
	var out []store.Wave
	for _, w := range all {
		if w.SurveyID != id {
			continue
		}
		known = true
		if w.State(h.reports.now()) != store.StateScheduled {
			out = append(out, w)
		}
	}
	if !known {
		return nil, errSurveyNotFound
	}
	slices.SortFunc(out, func(a, b store.Wave) int {
		return cmp.Or(openingOf(a).Compare(openingOf(b)), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// openingOf is when a wave opened; the zero time, first, for one with no opening time.
func openingOf(w store.Wave) time.Time {
	if w.OpensAt == nil {
		return time.Time{}
	}
	return *w.OpensAt
}

// reportsOf is each wave's report as GET /waves/{wave}/report serves it to the caller: computed by
// the same report service (so suppression and the stepped refresh are the same), without
// comments, narrowed to the groups the caller may see in that wave's hierarchy.
func (h *resultsHandlers) reportsOf(c *gin.Context, waves []store.Wave) ([]*report.Report, error) {
	ctx, p := c.Request.Context(), principal(c)
	out := make([]*report.Report, 0, len(waves))
	for _, w := range waves {
		def, err := h.reports.definitions.get(ctx, w.DefinitionVersion)
		if err != nil {
			return nil, err
		}
		rep, err := h.reports.reports.Report(ctx, w, def, report.Request{Level: "all"})
		if err != nil {
			return nil, err
		}
		if rep, err = h.reports.scopedTo(ctx, p, w, rep, ""); err != nil {
			return nil, err
		}
		out = append(out, rep)
	}
	return out, nil
}

// audit records every download of the feed (CSV, XLSX) and every read by a program, as report
// exports are.
func (h *resultsHandlers) audit(c *gin.Context, id, format string, waves int) error {
	p := principal(c)
	if format == "json" && p.Kind != access.Program {
		return nil
	}
	return h.reports.store.Audit(c.Request.Context(), store.NewAuditEvent{Actor: p.Actor(), Action: access.ActionReportExport,
		Target: "survey:" + id, Detail: fmt.Sprintf("results format=%s waves=%d", format, waves), Address: clientAddress(c)})
}

// write sends the feed. CSV and JSON are written as their rows are made, so a long feed is never
// held whole: once the first bytes are out a failure (the client gone, say) can only cut the answer
// short, and is logged. An XLSX workbook is made whole first, so a failure is still a 500.
func (h *resultsHandlers) write(c *gin.Context, format, id string, reps []*report.Report) {
	disposition := fmt.Sprintf(`attachment; filename="skillsurvey-%s-results.%s"`, id, format)
	if format == "xlsx" {
		var buf bytes.Buffer
		if err := report.WriteResultsXLSX(&buf, id, reps); err != nil {
			respondError(c, err)
			return
		}
		c.Header("Content-Disposition", disposition)
		c.Data(http.StatusOK, mediaXLSX, buf.Bytes())
		return
	}
	media, rows := gin.MIMEJSON+"; charset=utf-8", func(w io.Writer) error { return report.WriteResultsJSON(w, id, reps) }
	if format == "csv" {
		c.Header("Content-Disposition", disposition)
		media, rows = mediaCSV+"; charset=utf-8", func(w io.Writer) error { return report.WriteResultsCSV(w, reps) }
	}
	c.Header("Content-Type", media)
	c.Status(http.StatusOK)
	if err := rows(c.Writer); err != nil {
		logger(c).WarnContext(c.Request.Context(), "results feed cut short", "request_id", requestID(c), "error", err)
	}
}
