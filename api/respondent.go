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
	HasAnswered(ctx context.Context, waveID uint, person string) (bool, error)
}

// respondentHandlers serve staff answering a wave.
type respondentHandlers struct {
	store       respondentStore
	definitions *definitionCache
	now         func() time.Time
	// codes counts wrong invitation codes per address.
	codes *access.Limiter
	// passes check respondents' passes of verified waves; nil where respondents cannot sign in.
	passes *access.Passes
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

// passJSON is what a respondent's browser holds for a verified wave.
type passJSON struct {
	SignedIn bool   `json:"signed_in"`
	Answered bool   `json:"answered"`
	SignIn   string `json:"sign_in"`
}

// pass answers GET /waves/{wave}/pass: whether this browser is signed in to answer the verified
// wave, and whether the person it is signed in as has answered it already, so the survey page can
// say so before they start. The pass cookie is HttpOnly: the page cannot read it itself.
func (h *respondentHandlers) pass(c *gin.Context) {
	w, err := h.openWave(c)
	if err != nil {
		respondError(c, err)
		return
	}
	if w.Mode != store.ModeVerified {
		respondError(c, newError(http.StatusConflict, "not_verified", "this wave is answered without signing in"))
		return
	}
	if h.passes == nil {
		respondError(c, errSignInUnavailable)
		return
	}
	out := passJSON{SignIn: signInAddress(w.Key)}
	cookie, _ := c.Cookie(passCookie(isSecure(c)))
	person, err := h.passes.Check(cookie, w.ID)
	if err == nil {
		out.SignedIn = true
		if out.Answered, err = h.store.HasAnswered(c.Request.Context(), w.ID, person); err != nil {
			respondError(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, out)
}
