package api

import (
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
)

const (
	principalKey = "principal"
	addressKey   = "client_address"
	secureKey    = "secure"
)

// Errors of access.
var (
	errUnauthenticated = newError(http.StatusUnauthorized, "unauthenticated", "sign in, or send a valid API token as Authorization: Bearer ...")
	errForbidden       = newError(http.StatusForbidden, "forbidden", "your role does not allow this")
	errCSRF            = newError(http.StatusForbidden, "csrf", "this change needs the CSRF token of your session, in the X-CSRF-Token header or the csrf_token field")
	errHost            = newError(http.StatusMisdirectedRequest, "unknown_host", "this service does not answer to this host name")
	errCrossSite       = newError(http.StatusForbidden, "cross_site", "this service takes answers only from its own pages")
)

// principal is the caller of the request, set by identify; anonymous before it.
func principal(c *gin.Context) access.Principal {
	if p, ok := c.Get(principalKey); ok {
		return p.(access.Principal)
	}
	return access.Principal{}
}

// clientAddress is the caller's address as limits and the audit log see it, set by identify.
func clientAddress(c *gin.Context) string { return c.GetString(addressKey) }

// isSecure says whether the request came over TLS, to this service or to a trusted proxy that says so.
func isSecure(c *gin.Context) bool { return c.GetBool(secureKey) }

// gate holds what the access middleware needs.
type gate struct {
	sessions *access.Service
	proxies  access.Proxies
	hosts    map[string]bool
	tokens   *access.Limiter // bad bearer tokens, per address
	// respondents are the routes respondents use, where a session is never read; the router
	// fills it as it adds them (router.respondent).
	respondents map[string]bool
}

// checkHost refuses a Host header the service does not answer to, so a page that rebinds its own
// DNS name to this machine cannot reach it through a visitor's browser. Loopback names always pass.
func (g *gate) checkHost(c *gin.Context) {
	host := c.Request.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	// Health probes come from load balancers that often address the service by its IP, and
	// reveal nothing.
	if g.hosts[host] || access.IsLoopback(host) || c.FullPath() == "/healthz" || c.FullPath() == "/readyz" {
		c.Next()
		return
	}
	respondError(c, errHost)
}

// connection settles, once, whether the request came over TLS and from which client address,
// and over TLS tells the browser to come back only that way (HSTS), on every answer.
func (g *gate) connection(c *gin.Context) {
	r := c.Request
	secure := r.TLS != nil || (g.proxies.Trusts(r.RemoteAddr) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
	c.Set(secureKey, secure)
	c.Set(addressKey, g.proxies.ClientAddress(r.RemoteAddr, r.Header.Values("X-Forwarded-For")))
	if secure {
		c.Header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	c.Next()
}

// identify finds the caller: a bearer token, else a session cookie, else anonymous.
func (g *gate) identify(c *gin.Context) {
	r := c.Request
	switch {
	case r.Header.Get("Authorization") != "":
		g.bearer(c)
	case g.respondents[c.FullPath()]:
		// A member of staff who is signed in may answer the survey too: their session is not even
		// looked at, so nothing (not its last-seen time) could tie them to their answers.
		c.Next()
	default:
		g.cookie(c)
	}
}

// bearer identifies a program by its token. A wrong token is refused at once, whatever the route:
// a program should hear that its token is bad, not get a respondent's view.
func (g *gate) bearer(c *gin.Context) {
	scheme, token, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	var p access.Principal
	err := access.ErrBadToken
	if strings.EqualFold(scheme, "Bearer") {
		p, err = g.sessions.Token(c.Request.Context(), strings.TrimSpace(token))
	}
	if errors.Is(err, access.ErrBadToken) {
		// Good tokens always pass; bad ones from one address are slowed down, so the database is
		// not made to look up a flood of guesses (which, at 256 bits, would never succeed).
		if blocked, wait := g.tokens.Blocked(clientAddress(c)); blocked {
			respondLimited(c, wait)
			return
		}
		g.tokens.Spend(clientAddress(c))
		c.Header("WWW-Authenticate", `Bearer error="invalid_token"`)
		respondError(c, errUnauthenticated)
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	c.Set(principalKey, p)
	c.Next()
}

// cookie identifies a person by their session cookie. A dead session's cookie is cleared and the
// caller is anonymous.
func (g *gate) cookie(c *gin.Context) {
	secure := isSecure(c)
	if cookie, err := c.Request.Cookie(sessionCookie(secure)); err == nil {
		p, err := g.sessions.Session(c.Request.Context(), cookie.Value)
		switch {
		case errors.Is(err, access.ErrNoSession):
			clearCookie(c, sessionCookie(secure), secure)
		case err != nil:
			respondError(c, err)
			return
		default:
			c.Set(principalKey, p)
		}
	}
	c.Next()
}

// require lets through callers whose role allows perm. Anyone else gets 401 when unknown and 403
// when known. A page (pg not nil) sends an unknown person to the sign-in page and back, and shows
// a known one a page saying their role does not allow it.
func require(perm access.Permission, pg pages) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := principal(c)
		switch {
		case p.Can(perm):
			c.Next()
		case p.Kind == access.Anonymous && pg != nil:
			c.Redirect(http.StatusSeeOther, "/sign-in?return="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
		case p.Kind == access.Anonymous:
			c.Header("WWW-Authenticate", `Bearer realm="skillsurvey"`)
			respondError(c, errUnauthenticated)
		case pg != nil:
			pg.renderError(c, newError(http.StatusForbidden, "forbidden",
				"Your account does not allow this page. Ask an administrator if you need it."))
		default:
			respondError(c, errForbidden)
		}
	}
}

// checkCSRF refuses a change asked for with a session cookie unless it carries the session's CSRF
// token (header or form field): another site can make a browser send the cookie, but cannot read
// the token. Programs with bearer tokens send no cookie, so they need none.
func checkCSRF(c *gin.Context) {
	p := principal(c)
	if p.Kind != access.Person || isSafeMethod(c.Request.Method) {
		c.Next()
		return
	}
	sent := c.GetHeader("X-CSRF-Token")
	if sent == "" && strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
		sent = c.PostForm("csrf_token")
	}
	if p.CSRF == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(p.CSRF)) != 1 {
		respondError(c, errCSRF)
		return
	}
	c.Next()
}

// sameOrigin refuses a request that the browser says another site made (Sec-Fetch-Site: cross-site
// or same-site): a submission to a verified wave rides on the respondent's pass cookie, and only
// this service's own pages may send one. SameSite=Lax already keeps the cookie off another site's
// POST, and a JSON body cannot come from another site's form nor, without a CORS preflight this
// service never allows, from its scripts; this says so outright. Programs send no such header.
func sameOrigin(c *gin.Context) {
	if site := c.GetHeader("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		respondError(c, errCrossSite)
		return
	}
	c.Next()
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// Session cookie names. Over TLS the __Host- prefix makes the browser refuse the cookie unless it
// is Secure, set by this host for the whole site, and not shared with subdomains; browsers reject
// that prefix without Secure, so plain HTTP (a developer's machine) uses the bare name.
const (
	sessionCookieTLS   = "__Host-skillsurvey-session"
	sessionCookiePlain = "skillsurvey-session"
)

func sessionCookie(secure bool) string {
	if secure {
		return sessionCookieTLS
	}
	return sessionCookiePlain
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site, Secure over TLS; maxAge in
// seconds, 0 for a browser session.
func setCookie(c *gin.Context, name, value string, maxAge int, secure bool) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

func clearCookie(c *gin.Context, name string, secure bool) { setCookie(c, name, "", -1, secure) }
