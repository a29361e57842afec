package api

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
)

// signInHandlers serve the sign-in page, sign-out, and the caller's own session.
type signInHandlers struct {
	sessions *access.Service
	sso      *access.SSO
	// limit counts failed sign-ins per address: wrong passwords here, refused single sign-ons and
	// wrong API tokens elsewhere.
	limit *access.Limiter
	pages pages
}

// signInPage is the sign-in page's own data.
type signInPage struct {
	Return    string
	Email     string
	SSO       bool
	SignedOut bool
}

// The sign-in form's CSRF cookie: before a session exists, the form proves it came from this site
// by echoing a random value this site put in a cookie (a "double submit"), so no other site can sign
// a visitor in to an account of its choosing.
const (
	formCookieTLS   = "__Host-skillsurvey-form"
	formCookiePlain = "skillsurvey-form"
)

func formCookie(secure bool) string {
	if secure {
		return formCookieTLS
	}
	return formCookiePlain
}

// maxSignInBytes bounds the sign-in form: an email, a password and two short fields.
const maxSignInBytes = 8 << 10

// form answers GET /sign-in.
func (h *signInHandlers) form(c *gin.Context) {
	ret := safeReturn(c.Query("return"))
	if principal(c).Kind == access.Person {
		c.Redirect(http.StatusSeeOther, ret)
		return
	}
	h.show(c, http.StatusOK, signInPage{Return: ret, SignedOut: c.Query("signed_out") == "1"}, nil)
}

// show renders the sign-in page with a fresh form token.
func (h *signInHandlers) show(c *gin.Context, status int, page signInPage, errs []fieldError) {
	token := access.NewCSRFToken()
	setCookie(c, formCookie(isSecure(c)), token, 3600, isSecure(c))
	page.SSO = h.sso != nil
	h.pages.render(c, status, "signin.html", pageData{Title: "Sign in", CSRF: token, Errors: errs, Page: page})
}

// submit answers POST /sign-in: the form's email and password. The form's token is checked
// before the attempt counts, so another site cannot spend an office's attempts through its staff's
// browsers.
func (h *signInHandlers) submit(c *gin.Context) {
	if !h.fromOurForm(c) {
		return
	}
	// Only failures count: an office signing in one after another from one address never meets
	// the limit, and a guesser meets it after a few wrong passwords.
	if blocked, wait := h.limit.Blocked(clientAddress(c)); blocked {
		c.Header("Retry-After", retryAfter(wait))
		h.pages.renderError(c, newError(http.StatusTooManyRequests, "rate_limited",
			"There have been too many attempts to sign in from your address. Wait "+retryAfter(wait)+" seconds, then try again."))
		return
	}
	page := signInPage{Return: safeReturn(c.PostForm("return")), Email: strings.TrimSpace(c.PostForm("email"))}
	password := c.PostForm("password")
	if page.Email == "" || password == "" {
		h.show(c, http.StatusBadRequest, page, []fieldError{{"email", "Enter your email address and password"}})
		return
	}
	session, _, err := h.sessions.SignIn(c.Request.Context(), page.Email, password, clientAddress(c))
	if errors.Is(err, access.ErrBadCredentials) {
		h.limit.Spend(clientAddress(c))
		h.show(c, http.StatusUnauthorized, page, []fieldError{{"email", "The email address or password is not right"}})
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	// A browser signed in already (as someone else, perhaps) keeps no second session behind.
	if err := h.sessions.SignOut(c.Request.Context(), principal(c), clientAddress(c)); err != nil {
		respondError(c, err)
		return
	}
	clearCookie(c, formCookie(isSecure(c)), isSecure(c))
	setCookie(c, sessionCookie(isSecure(c)), session, 0, isSecure(c))
	c.Redirect(http.StatusSeeOther, page.Return)
}

// fromOurForm reads the posted form and checks that it came from this service's sign-in page: its
// token must echo the form cookie the page set. When not, it answers and returns false.
func (h *signInHandlers) fromOurForm(c *gin.Context) bool {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxSignInBytes)
	if !strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") || c.Request.ParseForm() != nil {
		h.pages.renderError(c, newError(http.StatusBadRequest, "malformed", "Send the sign-in form from the sign-in page."))
		return false
	}
	cookie, err := c.Cookie(formCookie(isSecure(c)))
	sent := c.PostForm("csrf_token")
	if err != nil || cookie == "" || subtle.ConstantTimeCompare([]byte(cookie), []byte(sent)) != 1 {
		h.pages.renderError(c, newError(http.StatusForbidden, "csrf",
			"The sign-in form had expired or did not come from this service. Go back to the sign-in page and try again."))
		return false
	}
	return true
}

// safeReturn is where to go after signing in: the path asked for when it stays on this site,
// else the dashboard.
func safeReturn(s string) string {
	if p := access.LocalPath(s); p != "" {
		return p
	}
	return "/dashboard"
}

// whoAmI answers GET /api/v1/session: the caller, and the CSRF token their changes need.
func (h *signInHandlers) whoAmI(c *gin.Context) {
	p := principal(c)
	out := gin.H{"name": p.Name, "role": p.Role, "scope": nil, "comments": p.MayReadComments(),
		"kind": "person", "csrf_token": nil}
	if p.Scope != "" {
		out["scope"] = p.Scope
	}
	if p.Kind == access.Program {
		out["kind"] = "program"
	} else {
		out["csrf_token"] = p.CSRF
	}
	c.JSON(http.StatusOK, out)
}

// signOutAPI answers DELETE /api/v1/session: ends the session on the server.
func (h *signInHandlers) signOutAPI(c *gin.Context) {
	p := principal(c)
	if p.Kind != access.Person {
		respondError(c, newError(http.StatusForbidden, "forbidden", "an API token has no session to end; an administrator revokes tokens"))
		return
	}
	if err := h.sessions.SignOut(c.Request.Context(), p, clientAddress(c)); err != nil {
		respondError(c, err)
		return
	}
	clearCookie(c, sessionCookie(isSecure(c)), isSecure(c))
	c.Status(http.StatusNoContent)
}

// signOutForm answers GET /sign-out: a button, since signing out changes state and so is a POST.
func (h *signInHandlers) signOutForm(c *gin.Context) {
	h.pages.render(c, http.StatusOK, "signout.html", pageData{Title: "Sign out"})
}

// signOut answers POST /sign-out.
func (h *signInHandlers) signOut(c *gin.Context) {
	if err := h.sessions.SignOut(c.Request.Context(), principal(c), clientAddress(c)); err != nil {
		respondError(c, err)
		return
	}
	clearCookie(c, sessionCookie(isSecure(c)), isSecure(c))
	c.Redirect(http.StatusSeeOther, "/sign-in?signed_out=1")
}
