package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
	"skillsurvey/internal/submission"
)

// respondentStore is what the respondent endpoints need from storage: the submission rules' share
// and the waves and teams respondents see.
type respondentStore interface {
	submission.Store
	Wave(ctx context.Context, key string) (store.Wave, error)
	WaveTeams(ctx context.Context, waveID uint) ([]store.Team, error)
}

// respondentHandlers serve staff answering a wave.
type respondentHandlers struct {
	store       respondentStore
	definitions *definitionCache
	now         func() time.Time
	// codes counts wrong invitation codes per address.
	codes *access.Limiter
	// submissions are the rules of a submission.
	submissions *submission.Service
}

// waveJSON is a wave as respondents see it.
type waveJSON struct {
	Key       string     `json:"key"`
	Title     string     `json:"title"`
	Mode      string     `json:"mode"`
	State     string     `json:"state"`
	Threshold int        `json:"threshold"`
	OpensAt   *time.Time `json:"opens_at"`
	ClosesAt  *time.Time `json:"closes_at"`
}

func toWaveJSON(w store.Wave, now time.Time) waveJSON {
	return waveJSON{Key: w.Key, Title: w.Title, Mode: w.Mode, State: w.State(now), Threshold: w.Threshold,
		OpensAt: w.OpensAt, ClosesAt: w.ClosesAt}
}

// openWave finds a wave that is open now, or says why it cannot be answered.
func (h *respondentHandlers) openWave(c *gin.Context) (store.Wave, error) {
	w, err := h.store.Wave(c.Request.Context(), c.Param("wave"))
	if errors.Is(err, store.ErrNotFound) {
		return store.Wave{}, errWaveNotFound
	}
	if err != nil {
		return store.Wave{}, err
	}
	switch w.State(h.now()) {
	case store.StateScheduled:
		msg := "this wave has not opened yet"
		if w.OpensAt != nil {
			msg = fmt.Sprintf("this wave opens on %s", w.OpensAt.Format("2 January 2006 at 15:04 MST"))
		}
		return store.Wave{}, newError(http.StatusConflict, "wave_not_open", msg)
	case store.StateClosed:
		return w, errWaveClosed
	}
	return w, nil
}

var errWaveClosed = newError(http.StatusConflict, "wave_closed", "this wave has closed and takes no more answers")

// questionnaire answers GET /waves/{wave}/questionnaire: the wave and its definition version.
func (h *respondentHandlers) questionnaire(c *gin.Context) {
	w, err := h.openWave(c)
	if err != nil {
		respondError(c, err)
		return
	}
	def, err := h.definitions.json(c.Request.Context(), w.DefinitionVersion)
	if err != nil {
		respondError(c, err)
		return
	}
	wave, err := json.Marshal(toWaveJSON(w, h.now()))
	if err != nil {
		respondError(c, err)
		return
	}
	// {"survey": ..., "wave": ...}, the definition encoded once per version.
	body := make([]byte, 0, len(def)+len(wave)+20)
	body = append(append(append(append(append(body, `{"survey":`...), def...), `,"wave":`...), wave...), '}')
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// teamJSON is a team a respondent may choose.
type teamJSON struct {
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	Parent *string `json:"parent"`
}

// teams answers GET /waves/{wave}/teams: the teams of the wave's own hierarchy, for open-mode waves.
func (h *respondentHandlers) teams(c *gin.Context) {
	w, err := h.openWave(c)
	if err != nil {
		respondError(c, err)
		return
	}
	if w.Mode == store.ModeInvite {
		respondError(c, newError(http.StatusConflict, "invite_only", "this wave is answered with an invitation code, which names the team"))
		return
	}
	teams, err := h.store.WaveTeams(c.Request.Context(), w.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	out := make([]teamJSON, 0, len(teams))
	for _, t := range teams {
		if t.Retired {
			continue
		}
		tj := teamJSON{Key: t.Key, Name: t.Name}
		if t.Parent != nil {
			tj.Parent = &t.Parent.Key
		}
		out = append(out, tj)
	}
	c.JSON(http.StatusOK, gin.H{"teams": out})
}
