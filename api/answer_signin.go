package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// answerSignIn serves respondents' single sign-on to answer a verified wave: the redirect to the
// identity provider and, through the shared callback, its answer, which becomes a pass. It is not
// a member of staff's sign-in: any person the provider signs in may answer, no session is made or
// read, and nothing about who signed in is stored, audited or logged.
type answerSignIn struct {
	sso    *access.SSO
	passes *access.Passes
	waves  interface {
		Wave(ctx context.Context, key string) (store.Wave, error)
	}
	now func() time.Time
	// limit is the failed sign-in limiter, shared with staff sign-in.
	limit *access.Limiter
	pages pages
}

// The cookies of a respondent's sign-in. The state cookie binds the provider's answer to the
// browser that asked, as the staff one does, and tells the shared callback that the answer is a
// respondent's. The pass carries the wave, the person's keyed hash and its end, MACed, from the
// sign-in to the submission: HttpOnly, and SameSite=Lax, so another site cannot make a browser send
// it with a submission of its own.
const (
	answerSSOCookieTLS   = "__Host-skillsurvey-answer-sso"
	answerSSOCookiePlain = "skillsurvey-answer-sso"
	passCookieTLS        = "__Host-skillsurvey-pass"
	passCookiePlain      = "skillsurvey-pass"
)

func answerSSOCookie(secure bool) string {
	if secure {
		return answerSSOCookieTLS
	}
	return answerSSOCookiePlain
}

func passCookie(secure bool) string {
	if secure {
		return passCookieTLS
	}
	return passCookiePlain
}

// errSignInUnavailable answers a verified wave's respondents where they cannot sign in: single
// sign-on or its respondent key is not configured now.
var errSignInUnavailable = newError(http.StatusServiceUnavailable, "sign_in_unavailable",
	"this wave is answered signed in with your organisation's account, which this service cannot do at the moment; tell the survey's organisers")

// signInAddress is where a respondent signs in to answer a wave.
func signInAddress(waveKey string) string { return "/waves/" + url.PathEscape(waveKey) + "/sign-in" }

// surveyAddress is a wave's survey page.
func surveyAddress(waveKey string) string { return "/waves/" + url.PathEscape(waveKey) }

// start answers GET /waves/{wave}/sign-in: sends the browser to the identity provider, to come back
// to the wave's survey page signed in (or to its plain form, with ?then=form).
func (h *answerSignIn) start(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if blocked, wait := h.limit.Blocked(clientAddress(c)); blocked {
		limitedPage(h.pages, c, wait)
		return
	}
	w, err := h.waves.Wave(c.Request.Context(), c.Param("wave"))
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.pages.renderError(c, newError(http.StatusNotFound, "wave_not_found", "There is no survey at this address. Check the link you were sent."))
		return
	case err != nil:
		respondError(c, err)
		return
	case w.Mode != store.ModeVerified:
		h.pages.renderError(c, newError(http.StatusConflict, "not_verified",
			"This survey is answered without signing in. Go back to the survey page to answer it."))
		return
	case w.State(h.now()) != store.StateOpen:
		h.pages.renderError(c, newError(http.StatusConflict, "wave_not_open", "This survey is not taking answers now."))
		return
	}
	back := surveyAddress(w.Key)
	if c.Query("then") == "form" {
		back = formAddress(w.Key) // the plain form, for a browser without JavaScript
	}
	authURL, state, err := h.sso.StartRespondent(c.Request.Context(), w.ID, back)
	if err != nil {
		respondError(c, err)
		return
	}
	secure := isSecure(c)
	setCookie(c, answerSSOCookie(secure), state, int(access.SignInFlowLifetime.Seconds()), secure)
	c.Redirect(http.StatusSeeOther, authURL)
}

// owns says whether the provider's answer at the callback is to a respondent's sign-in begun in
// this browser: its state is the one in the respondent's state cookie.
func (h *answerSignIn) owns(c *gin.Context) bool {
	state, err := c.Cookie(answerSSOCookie(isSecure(c)))
	return err == nil && state != "" && state == c.Query("state")
}

// callback answers the provider's answer to a respondent's sign-in: a pass for the wave, and back
// to its survey page.
func (h *answerSignIn) callback(c *gin.Context) {
	cookieState, secure, ok := providerAnswer(c, h.limit, h.pages, answerSSOCookie)
	if !ok {
		return
	}
	if c.Query("error") != "" {
		h.refuse(c, errors.New("the provider refused: "+oauthErrorCode(c.Query("error"))), errAnswerRefused)
		return
	}
	r, ret, err := h.sso.FinishRespondent(c.Request.Context(), cookieState, c.Query("state"), c.Query("code"))
	switch {
	case errors.Is(err, access.ErrState):
		h.refuse(c, err, errAnswerState)
		return
	case errors.Is(err, access.ErrExchange) || errors.Is(err, access.ErrToken):
		h.refuse(c, err, errAnswerUntrusted)
		return
	case err != nil:
		respondError(c, err)
		return
	}
	setCookie(c, passCookie(secure), h.passes.Issue(r), int(access.PassLifetime.Seconds()), secure)
	c.Redirect(http.StatusSeeOther, answerReturn(ret))
}

// answerReturn is where to go after signing in: the survey page the sign-in began for.
func answerReturn(ret string) string {
	if p := access.LocalPath(ret); p != "" {
		return p
	}
	return "/"
}

// The pages a respondent's failed sign-in shows: what to do, not what went wrong.
var (
	errAnswerState = newError(http.StatusBadRequest, "sign_in_expired",
		"Your sign-in took too long, was already used, or was started in another browser. Go back to the survey page and sign in again.")
	errAnswerRefused = newError(http.StatusUnauthorized, "sign_in_failed",
		"Your organisation's sign-in did not let you in. Go back to the survey page and sign in again.")
	errAnswerUntrusted = newError(http.StatusUnauthorized, "sign_in_failed",
		"Your organisation's sign-in could not be checked. Go back to the survey page and sign in again; if it happens again, tell the survey's organisers.")
)

// refuse spends a sign-in attempt, logs why (the error names no person: respondents' sign-ins are
// never logged or audited by name) and shows page.
func (h *answerSignIn) refuse(c *gin.Context, err error, page *apiError) {
	h.limit.Spend(clientAddress(c))
	logger(c).WarnContext(c.Request.Context(), "respondent sign-in refused", "request_id", requestID(c), "error", err)
	h.pages.renderError(c, page)
}
