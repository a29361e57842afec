package api

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/store"
	"skillsurvey/internal/waves"
)

// adminStore is what the admin endpoints need from storage.
type adminStore interface {
	waves.Creator
	waves.Changer
	waves.Inviter
	waves.TeamImporter
	Wave(ctx context.Context, key string) (store.Wave, error)
	Waves(ctx context.Context) ([]store.Wave, error)
	Teams(ctx context.Context, withRetired bool) ([]store.Team, error)
	AuditEvents(ctx context.Context, offset, limit int) ([]store.AuditEvent, int64, error)
}

// adminHandlers serve administrators: waves, teams, invitation codes, people, tokens and the audit log.
type adminHandlers struct {
	store    adminStore
	accounts *access.Accounts
	// waves is what new waves may be: the survey definitions, and whether respondents can sign in.
	setup waves.Setup
	now   func() time.Time
}

// actor is the caller as the audit log names them.
func actor(c *gin.Context) access.Actor { return access.ActorOf(principal(c), clientAddress(c)) }

// newWaveJSON is the body of POST /waves.
type newWaveJSON struct {
	Key       string `json:"key" validate:"required,max=64"`
	Survey    string `json:"survey" validate:"required,max=64"`
	Title     string `json:"title" validate:"max=300"`
	Mode      string `json:"mode" validate:"omitempty,max=16"`
	Threshold *int   `json:"threshold"`
	OpensAt   string `json:"opens_at" validate:"max=40"`
	ClosesAt  string `json:"closes_at" validate:"max=40"`
}

// createWave answers POST /waves.
func (h *adminHandlers) createWave(c *gin.Context) {
	var body newWaveJSON
	if err := bindJSON(c, &body); err != nil {
		respondError(c, err)
		return
	}
	nw := store.NewWave{Key: body.Key, Title: body.Title, Mode: body.Mode, Threshold: waves.DefaultThreshold}
	if nw.Mode == "" {
		nw.Mode = waves.DefaultMode(h.setup.SignIn)
	}
	if body.Threshold != nil {
		nw.Threshold = *body.Threshold
	}
	fields := map[string]string{}
	for _, t := range []struct {
		field, value string
		into         **time.Time
	}{{"opens_at", body.OpensAt, &nw.OpensAt}, {"closes_at", body.ClosesAt, &nw.ClosesAt}} {
		var err error
		if *t.into, err = waves.ParseTime(t.field, t.value); err != nil {
			fields[t.field] = "use a date (2026-03-01) or a time with zone (2026-03-01T09:00:00Z)"
		}
	}
	if len(fields) > 0 {
		respondError(c, invalid(fields))
		return
	}
	w, err := waves.Create(c.Request.Context(), h.store, actor(c), h.setup, body.Survey, nw)
	switch {
	case errors.Is(err, store.ErrLimit):
		err = newError(http.StatusConflict, "conflict", fmt.Sprintf("there are already %d waves, the most a service keeps", store.MaxWaves))
	case errors.Is(err, store.ErrConflict):
		err = newError(http.StatusConflict, "conflict", fmt.Sprintf("there is already a wave with the key %q", body.Key))
	}
	if err != nil {
		respondError(c, asInvalid(err))
		return
	}
	c.JSON(http.StatusCreated, h.waveItem(w))
}

func (h *adminHandlers) waveItem(w store.Wave) waveItem { return itemOf(w, h.now()) }

// changeWave answers POST /waves/{wave}/open and /close.
func (h *adminHandlers) changeWave(open bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		w, err := h.setWaveState(c, c.Param("wave"), open)
		if err != nil {
			respondError(c, err)
			return
		}
		c.JSON(http.StatusOK, h.waveItem(w))
	}
}

// setWaveState opens or closes a wave now, which records it in the audit log; shared by the API and
// the admin page. An unknown wave is errWaveNotFound; one whose state forbids it, a wave_state conflict.
func (h *adminHandlers) setWaveState(c *gin.Context, key string, open bool) (store.Wave, error) {
	ctx := c.Request.Context()
	change, verb := waves.Close, "closed"
	if open {
		change, verb = waves.Open, "opened"
	}
	before, err := h.store.Wave(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return store.Wave{}, errWaveNotFound
	}
	if err != nil {
		return store.Wave{}, err
	}
	w, err := change(ctx, h.store, actor(c), key)
	if errors.Is(err, store.ErrConflict) {
		return store.Wave{}, newError(http.StatusConflict, "wave_state",
			fmt.Sprintf("wave %q is %s, so it cannot be %s now", key, before.State(h.now()), verb))
	}
	return w, err
}

// maxTeamsBytes bounds a team hierarchy file: tens of thousands of teams.
const maxTeamsBytes = 1 << 20

// importTeams answers PUT /teams: a whole hierarchy as CSV or YAML, all or nothing.
func (h *adminHandlers) importTeams(c *gin.Context) {
	name := map[string]string{"text/csv": "teams.csv", "application/yaml": "teams.yaml", "application/x-yaml": "teams.yaml",
		"text/yaml": "teams.yaml"}[c.ContentType()]
	if name == "" {
		respondError(c, newError(http.StatusUnsupportedMediaType, "unsupported_media_type", "send the hierarchy as text/csv or application/yaml"))
		return
	}
	teams, err := hierarchy.Read(name, http.MaxBytesReader(c.Writer, c.Request.Body, maxTeamsBytes))
	var rows *hierarchy.Errors
	switch {
	case tooLarge(err):
		respondError(c, errTooLarge)
		return
	case errors.As(err, &rows):
		respondError(c, hierarchyProblems(rows))
		return
	case bodyError(err) != nil:
		respondError(c, bodyError(err))
		return
	case err != nil:
		respondError(c, malformed("the hierarchy could not be read"))
		return
	}
	sum, err := waves.ImportTeams(c.Request.Context(), h.store, actor(c), teams)
	switch {
	case errors.Is(err, store.ErrLimit):
		err = invalid(map[string]string{"teams": fmt.Sprintf("the import would make more than the %d teams a service keeps, retired ones included; nothing was imported", store.MaxTeams)})
	case errors.As(err, &rows):
		err = hierarchyProblems(rows) // found against the stored teams, such as a previous_key naming none
	}
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"created": sum.Created, "updated": sum.Updated, "renamed": sum.Renamed, "retired": sum.Retired})
}

// hierarchyProblems answers a refused hierarchy: each problem under its line.
func hierarchyProblems(rows *hierarchy.Errors) *apiError {
	fields := map[string]string{}
	for _, r := range rows.Rows {
		key := "line " + strconv.Itoa(r.Line)
		fields[key] = strings.TrimPrefix(fields[key]+"; "+r.Message, "; ")
	}
	return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "the hierarchy has problems; see fields; nothing was imported", Fields: fields}
}

// adminTeamJSON is a team as administrators see it.
type adminTeamJSON struct {
	Key       string  `json:"key"`
	Name      string  `json:"name"`
	Parent    *string `json:"parent"`
	Headcount *int    `json:"headcount"`
	Retired   bool    `json:"retired"`
}

// teams answers GET /teams: the whole hierarchy, retired teams too.
func (h *adminHandlers) teams(c *gin.Context) {
	all, err := h.store.Teams(c.Request.Context(), true)
	if err != nil {
		respondError(c, err)
		return
	}
	out := make([]adminTeamJSON, len(all))
	for i, t := range all {
		out[i] = adminTeamJSON{Key: t.Key, Name: t.Name, Headcount: t.Headcount, Retired: t.Retired}
		if t.Parent != nil {
			out[i].Parent = &t.Parent.Key
		}
	}
	c.JSON(http.StatusOK, gin.H{"teams": out})
}

// invitationsJSON is the body of POST /waves/{wave}/invitations.
type invitationsJSON struct {
	Team  string `json:"team" validate:"required,max=64"`
	Count int    `json:"count" validate:"required,min=1,max=10000"`
}

// createInvitations answers POST /waves/{wave}/invitations: new one-time codes as CSV, for a mail
// merge. They are shown this once: only their hashes are kept.
func (h *adminHandlers) createInvitations(c *gin.Context) {
	var body invitationsJSON
	if err := bindJSON(c, &body); err != nil {
		respondError(c, err)
		return
	}
	csvData, err := h.invitations(c, c.Param("wave"), body.Team, body.Count)
	if err != nil {
		respondError(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="invitations-%s-%s.csv"`, c.Param("wave"), body.Team))
	c.Data(http.StatusCreated, mediaCSV+"; charset=utf-8", csvData)
}

// invitations makes codes and writes them as CSV; shared by the API and the admin page.
func (h *adminHandlers) invitations(c *gin.Context, waveKey, teamKey string, count int) ([]byte, error) {
	ctx := c.Request.Context()
	// Looked up first: the store's not-found alone would not say whether the wave or the team is missing.
	_, err := h.store.Wave(ctx, waveKey)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errWaveNotFound
	case err != nil:
		return nil, err
	}
	codes, err := waves.Invite(ctx, h.store, actor(c), waveKey, teamKey, count)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, invalid(map[string]string{"team": "there is no team with this key"})
	case errors.Is(err, store.ErrConflict):
		return nil, newError(http.StatusConflict, "conflict", "codes cannot be made for this wave and team: the wave must be an open or scheduled invite wave, and the team current")
	case err != nil:
		return nil, err
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"wave", "team", "invitation_code"})
	for _, code := range codes {
		_ = w.Write([]string{waveKey, teamKey, code})
	}
	w.Flush()
	return []byte(b.String()), w.Error()
}

// auditJSON is one event of the audit log.
type auditJSON struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Target string    `json:"target"`
	Detail string    `json:"detail"`
	// Address is the client's address for staff actions; empty from the command line.
	Address string `json:"address"`
}

// auditLog answers GET /audit?page=N&per_page=M: the audit log, newest first.
func (h *adminHandlers) auditLog(c *gin.Context) {
	page, perr := strconv.Atoi(c.DefaultQuery("page", "1"))
	per, qerr := strconv.Atoi(c.DefaultQuery("per_page", "50"))
	fields := map[string]string{}
	if perr != nil || page < 1 || page > 1_000_000 {
		fields["page"] = "must be a whole number from 1"
	}
	if qerr != nil || per < 1 || per > 200 {
		fields["per_page"] = "must be a whole number from 1 to 200"
	}
	if len(fields) > 0 {
		respondError(c, invalid(fields))
		return
	}
	events, total, err := h.store.AuditEvents(c.Request.Context(), (page-1)*per, per)
	if err != nil {
		respondError(c, err)
		return
	}
	out := make([]auditJSON, len(events))
	for i, e := range events {
		out[i] = auditJSON{At: e.At, Actor: e.Actor, Action: e.Action, Target: e.Target, Detail: e.Detail, Address: e.Address}
	}
	c.JSON(http.StatusOK, gin.H{"events": out, "page": page, "per_page": per, "total": total})
}
