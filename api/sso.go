package api

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// ssoAccounts is what single sign-on needs from storage beyond sessions: the account the provider's
// claims describe, and the audit log.
type ssoAccounts interface {
	SaveSSOUser(ctx context.Context, nu store.NewUser) (store.User, error)
	UserByEmail(ctx context.Context, email string) (store.User, error)
	DeleteUserSessions(ctx context.Context, userID uint) error
	Audit(ctx context.Context, e store.NewAuditEvent) error
}

// ssoHandlers serve single sign-on: the redirect to the identity provider and its answer.
type ssoHandlers struct {
	sso      *access.SSO
	sessions *access.Service
	accounts ssoAccounts
	// limit is the failed sign-in limiter, shared with the password form: a refused answer from the
	// provider spends one, so a flood of forged answers is slowed down while an office signing in
	// one after another never meets it.
	limit *access.Limiter
	pages pages
	// answers is respondents' sign-in, which shares the callback the provider knows; nil where
	// respondents cannot sign in.
	answers *answerSignIn
}

// The cookie binding a single sign-on to the browser that started it: the provider's answer counts
// only in that browser, so nobody can sign a visitor in with an answer of their own (login CSRF).
// SameSite=Lax still sends it when the provider sends the browser back, a top-level GET.
const (
	ssoCookieTLS   = "__Host-skillsurvey-sso"
	ssoCookiePlain = "skillsurvey-sso"
)

func ssoCookie(secure bool) string {
	if secure {
		return ssoCookieTLS
	}
	return ssoCookiePlain
}

// start answers GET /sign-in/sso: sends the browser to the identity provider.
func (h *ssoHandlers) start(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	ret := safeReturn(c.Query("return"))
	if principal(c).Kind == access.Person {
		c.Redirect(http.StatusSeeOther, ret)
		return
	}
	// An address that has failed too often may not start either; starting itself is not a failure
	// (the general request limit bounds how often anyone starts).
	if blocked, wait := h.limit.Blocked(clientAddress(c)); blocked {
		limitedPage(h.pages, c, wait)
		return
	}
	authURL, state, err := h.sso.Start(c.Request.Context(), ret)
	if err != nil {
		respondError(c, err)
		return
	}
	secure := isSecure(c)
	setCookie(c, ssoCookie(secure), state, int(access.SignInFlowLifetime.Seconds()), secure)
	c.Redirect(http.StatusSeeOther, authURL)
}

// callback answers GET /sign-in/callback: the provider's answer. A respondent's goes to their
// own sign-in; a member of staff's outcome is always audited, and a refusal names the person only
// once the provider has proved who they are.
func (h *ssoHandlers) callback(c *gin.Context) {
	if h.answers != nil && h.answers.owns(c) {
		h.answers.callback(c)
		return
	}
	cookieState, secure, ok := providerAnswer(c, h.limit, h.pages, ssoCookie)
	if !ok {
		return
	}
	if refusal := c.Query("error"); refusal != "" {
		h.refuse(c, "", "provider: "+oauthErrorCode(refusal), errProviderRefused)
		return
	}
	id, ret, err := h.sso.Finish(c.Request.Context(), cookieState, c.Query("state"), c.Query("code"))
	var session string
	if err == nil {
		session, err = h.admit(c, id)
	}
	if err != nil {
		h.failed(c, id, err)
		return
	}
	setCookie(c, sessionCookie(secure), session, 0, secure)
	c.Redirect(http.StatusSeeOther, safeReturn(ret))
}

// admit saves the person's account as the provider's claims describe it, starts their session and
// audits the sign-in. It returns the session cookie's value.
func (h *ssoHandlers) admit(c *gin.Context, id access.Identity) (string, error) {
	ctx := c.Request.Context()
	u, err := h.accounts.SaveSSOUser(ctx, store.NewUser{Email: id.Email, Subject: id.Subject, Role: string(id.Role),
		Scope: id.Scope, Comments: id.Comments, Source: store.SourceOIDC})
	if err != nil {
		return "", err
	}
	session, p, err := h.sessions.StartSession(ctx, u)
	if err != nil {
		return "", err
	}
	event := store.NewAuditEvent{Actor: p.Actor(), Action: access.ActionSignIn, Detail: "sso", Address: clientAddress(c)}
	return session, h.accounts.Audit(ctx, event)
}

// limitedPage answers 429 with the seconds to wait, as a page.
// providerAnswer begins reading the identity provider's answer at a callback, for staff and
// respondents alike: never cached, refused while the address is over the failed sign-in limit, and
// the state cookie (named by cookie, under TLS or not) read and cleared, as it serves once.
func providerAnswer(c *gin.Context, limit *access.Limiter, pg pages, cookie func(secure bool) string) (state string, secure, ok bool) {
	c.Header("Cache-Control", "no-store")
	if blocked, wait := limit.Blocked(clientAddress(c)); blocked {
		limitedPage(pg, c, wait)
		return "", false, false
	}
	secure = isSecure(c)
	state, _ = c.Cookie(cookie(secure))
	clearCookie(c, cookie(secure), secure)
	return state, secure, true
}

func limitedPage(pg pages, c *gin.Context, wait time.Duration) {
	c.Header("Retry-After", retryAfter(wait))
	pg.renderError(c, newError(http.StatusTooManyRequests, "rate_limited",
		"There have been too many attempts to sign in from your address. Wait "+retryAfter(wait)+" seconds, then try again."))
}

// The pages a failed single sign-on shows. They say what the person can do, not what was wrong
// with the provider's answer: that goes to the log.
var (
	errSSOState = newError(http.StatusBadRequest, "sign_in_expired",
		"Your sign-in took too long, was already used, or was started in another browser. Go back to the sign-in page and try again.")
	errProviderRefused = newError(http.StatusUnauthorized, "sign_in_failed",
		"Your organisation's sign-in did not let you in. Go back to the sign-in page and try again.")
	errSSOUntrusted = newError(http.StatusUnauthorized, "sign_in_failed",
		"Your organisation's sign-in could not be checked. Go back to the sign-in page and try again; if it happens again, tell an administrator.")
	errSSONoEmail = newError(http.StatusForbidden, "forbidden",
		"Your organisation's account has no verified email address, which this service needs. Ask your IT team to add one.")
	errSSONoRole = newError(http.StatusForbidden, "forbidden",
		"Your organisation's account is not given a role in this service. If you should see reports, ask an administrator for access.")
	errSSOFull = newError(http.StatusConflict, "conflict",
		"This service has as many accounts as it keeps, so yours cannot be made. Ask an administrator to remove accounts no longer used.")
	errSSOAccount = newError(http.StatusConflict, "conflict",
		"You cannot sign in with your organisation's account: your email address has an account with a password here, or the team your access is for is no longer in use. Sign in with your password, or ask an administrator.")
)

// failed audits and explains a single sign-on that did not sign the person in. An error it does not
// know is internal: logged, and answered as such.
func (h *ssoHandlers) failed(c *gin.Context, id access.Identity, err error) {
	if errors.Is(err, access.ErrNotMapped) || errors.Is(err, access.ErrAmbiguous) {
		// The provider no longer grants this person a role: they are signed out everywhere now,
		// not when their sessions run out.
		if err := h.endSessions(c.Request.Context(), id); err != nil {
			respondError(c, err)
			return
		}
	}
	email := id.Email
	kinds := []struct {
		err    error
		detail string
		page   *apiError
	}{
		{access.ErrState, "state", errSSOState},
		{access.ErrExchange, "exchange", errSSOUntrusted},
		{access.ErrToken, "token", errSSOUntrusted},
		{access.ErrEmail, "email", errSSONoEmail},
		{access.ErrNotMapped, "no role", errSSONoRole},
		{access.ErrAmbiguous, "conflicting roles", errSSONoRole},
		{store.ErrLimit, "account limit", errSSOFull},
		{store.ErrConflict, "account or team conflict", errSSOAccount},
		{store.ErrNotFound, "unknown team", errSSONoRole},
	}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			logger(c).WarnContext(c.Request.Context(), "single sign-on refused", "request_id", requestID(c), "error", err)
			h.refuse(c, email, k.detail, k.page)
			return
		}
	}
	respondError(c, err)
}

// endSessions ends the sessions of the single sign-on account of this person (the same subject at
// the provider), if there is one.
func (h *ssoHandlers) endSessions(ctx context.Context, id access.Identity) error {
	if id.Email == "" || id.Subject == "" {
		return nil
	}
	u, err := h.accounts.UserByEmail(ctx, id.Email)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || u.Source != store.SourceOIDC || u.Subject != id.Subject {
		return err
	}
	return h.accounts.DeleteUserSessions(ctx, u.ID)
}

// refuse spends a sign-in attempt, writes the audit event of a refused single sign-on and shows its page.
func (h *ssoHandlers) refuse(c *gin.Context, email, detail string, page *apiError) {
	h.limit.Spend(clientAddress(c))
	actor := "anonymous"
	if email != "" {
		actor = "user:" + email
	}
	event := store.NewAuditEvent{Actor: actor, Action: access.ActionSignInFailed, Detail: "sso: " + detail, Address: clientAddress(c)}
	if err := h.accounts.Audit(c.Request.Context(), event); err != nil {
		respondError(c, err)
		return
	}
	h.pages.renderError(c, page)
}

var oauthErrorPattern = regexp.MustCompile(`^[a-z_]{1,40}$`)

// oauthErrorCode keeps the provider's error code (access_denied, login_required...) for the audit
// log only when it looks like one: it comes from the query string, which anyone can write.
func oauthErrorCode(s string) string {
	if oauthErrorPattern.MatchString(s) {
		return s
	}
	return "other"
}
