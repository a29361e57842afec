package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/report"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// Focus areas: after a wave's figures, a lead chooses up to three dimensions for their team to work
// on, each with a short note of what they will do. They are the team's records, never linked to
// any answer; the next wave's trend shows them beside what moved.

// focusStore is what the focus areas need from storage.
type focusStore interface {
	SetFocusAreas(ctx context.Context, waveID, teamID uint, areas []store.NewFocusArea) ([]store.FocusArea, error)
	FocusAreas(ctx context.Context, teamID uint, waveIDs ...uint) ([]store.FocusArea, error)
}

type focusHandlers struct {
	reports *reportHandlers
	store   focusStore
}

// focusAreasJSON is a group's focus areas for a wave, and whether the caller may change them.
type focusAreasJSON struct {
	Wave      string      `json:"wave"`
	Group     string      `json:"group"`
	MayChange bool        `json:"may_change"`
	Areas     []focusJSON `json:"areas"`
}

type focusJSON = report.FocusArea

// focusRequest is the body of PUT .../focus-areas: every focus area, replacing those before.
type focusRequest struct {
	Areas []focusChoice `json:"areas" validate:"max=3,dive"`
}

type focusChoice struct {
	Dimension string `json:"dimension" validate:"required,max=64"`
	Note      string `json:"note" validate:"max=500"`
}

// focusTarget is the wave and group an address names, with the wave's hierarchy.
type focusTarget struct {
	wave store.Wave
	def  *survey.Definition
	team store.Team
	tree access.Hierarchy
}

// get answers GET /api/v1/waves/{wave}/groups/{group}/focus-areas.
func (h *focusHandlers) get(c *gin.Context) {
	t, err := h.target(c)
	var areas []store.FocusArea
	if err == nil {
		areas, err = h.store.FocusAreas(c.Request.Context(), t.team.ID, t.wave.ID)
	}
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, t.answer(principal(c), areas))
}

// set answers PUT /api/v1/waves/{wave}/groups/{group}/focus-areas.
func (h *focusHandlers) set(c *gin.Context) {
	ctx := c.Request.Context()
	t, err := h.target(c)
	if err == nil && !principal(c).SetsFocus(t.tree, t.team.Key) {
		err = newError(http.StatusForbidden, "forbidden", "only an admin, or a lead of this team or one above it, may choose its focus areas")
	}
	var req focusRequest
	if err == nil {
		err = bindJSON(c, &req)
	}
	var chosen []store.NewFocusArea
	if err == nil {
		chosen, err = focusChoices(t.def, req)
	}
	var areas []store.FocusArea
	if err == nil {
		areas, err = h.store.SetFocusAreas(ctx, t.wave.ID, t.team.ID, chosen)
	}
	if err == nil {
		keys := make([]string, len(chosen))
		for i, a := range chosen {
			keys[i] = a.Dimension
		}
		err = h.reports.store.Audit(ctx, store.NewAuditEvent{Actor: principal(c).Actor(), Action: access.ActionFocusSet,
			Target: "wave:" + t.wave.Key, Detail: fmt.Sprintf("group=%s dimensions=%s", t.team.Key, strings.Join(keys, ",")),
			Address: clientAddress(c)})
	}
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, t.answer(principal(c), areas))
}

// focusChoices checks the chosen dimensions against the wave's definition and keeps notes as plain
// text (no control characters), naming every field that is wrong.
func focusChoices(def *survey.Definition, req focusRequest) ([]store.NewFocusArea, error) {
	fields := map[string]string{}
	seen := map[string]bool{}
	out := make([]store.NewFocusArea, len(req.Areas))
	for i, a := range req.Areas {
		field := fmt.Sprintf("areas[%d].dimension", i)
		switch _, ok := def.Dimension(a.Dimension); {
		case !ok:
			fields[field] = fmt.Sprintf("%q is not a dimension of this wave's survey", a.Dimension)
		case seen[a.Dimension]:
			fields[field] = fmt.Sprintf("%q is chosen twice", a.Dimension)
		}
		seen[a.Dimension] = true
		out[i] = store.NewFocusArea{Dimension: a.Dimension, Note: survey.PlainText(a.Note)}
	}
	if len(fields) > 0 {
		return nil, invalid(fields)
	}
	return out, nil
}

// target reads the wave and the group from the address: a wave that has opened, and a group of its
// own hierarchy that the caller may see (one they may not answers as one that does not exist).
func (h *focusHandlers) target(c *gin.Context) (focusTarget, error) {
	ctx := c.Request.Context()
	var t focusTarget
	var err error
	t.wave, err = h.reports.store.Wave(ctx, c.Param("wave"))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return t, errWaveNotFound
	case err != nil:
		return t, err
	case t.wave.State(h.reports.now()) == store.StateScheduled:
		return t, newError(http.StatusConflict, "wave_not_open", "this wave has not opened, so it has no figures to choose focus areas from")
	}
	if t.def, err = h.reports.definitions.get(ctx, t.wave.DefinitionVersion); err != nil {
		return t, err
	}
	teams, err := h.reports.store.WaveTeams(ctx, t.wave.ID)
	if err != nil {
		return t, err
	}
	t.tree = access.HierarchyOf(teams)
	group := c.Param("group")
	if !principal(c).Sees(t.tree, group) {
		return t, errGroupNotFound
	}
	for _, team := range teams {
		if team.Key == group {
			t.team = team
			return t, nil
		}
	}
	return t, errGroupNotFound
}

// answer is the group's focus areas as the API gives them to p.
func (t focusTarget) answer(p access.Principal, areas []store.FocusArea) focusAreasJSON {
	out := focusAreasJSON{Wave: t.wave.Key, Group: t.team.Key, MayChange: p.SetsFocus(t.tree, t.team.Key), Areas: []focusJSON{}}
	for _, a := range areas {
		out.Areas = append(out.Areas, focusAreaOf(t.def, a))
	}
	return out
}

// focusAreaOf is a stored focus area as the API and the trend give it, with its dimension's title
// (its key, where the wave's definition no longer has it).
func focusAreaOf(def *survey.Definition, a store.FocusArea) report.FocusArea {
	title := a.Dimension
	if d, ok := def.Dimension(a.Dimension); ok {
		title = d.Title
	}
	return report.FocusArea{Dimension: a.Dimension, Title: title, Note: a.Note, ChosenOn: a.ChosenOn}
}

// withFocusAreas puts into a trend the focus areas its group chose after each wave (none where the
// group is no team of the store's).
func withFocusAreas(ctx context.Context, s focusTeams, t *report.Trend, waves []report.WaveDefinition) error {
	team, err := s.Team(ctx, t.Group)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	ids := make([]uint, len(waves))
	byID := map[uint]report.WaveDefinition{}
	for i, wd := range waves {
		ids[i], byID[wd.Wave.ID] = wd.Wave.ID, wd
	}
	areas, err := s.FocusAreas(ctx, team.ID, ids...)
	if err != nil {
		return err
	}
	byWave := map[string][]report.FocusArea{}
	for _, a := range areas {
		wd := byID[a.WaveID]
		byWave[wd.Wave.Key] = append(byWave[wd.Wave.Key], focusAreaOf(wd.Definition, a))
	}
	for i := range t.Waves {
		t.Waves[i].FocusAreas = byWave[t.Waves[i].Wave]
	}
	return nil
}

// focusTeams is the focus areas' storage with the current hierarchy's teams, found by key.
type focusTeams interface {
	focusStore
	Team(ctx context.Context, key string) (store.Team, error)
}
