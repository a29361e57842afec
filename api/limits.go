package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
)

// Limit allows Burst events at once per client address, then one every Every.
type Limit struct {
	Every time.Duration
	Burst int
}

// Limits are the abuse limits, each per client address.
type Limits struct {
	// SignIn counts every sign-in attempt, and every request with a bad API token.
	SignIn Limit
	// Codes counts wrong invitation codes only, so an office answering with good codes never meets it.
	Codes Limit
	// Submissions counts every submission: generous, so a whole office behind one address does not
	// meet it, but a script cannot flood the database.
	Submissions Limit
	// Requests counts every request but the health probes: more generous still, it bounds what one
	// address can ask of the service, and is the limit the RateLimit headers describe.
	Requests Limit
}

// The default limits, as ParseLimit reads them: 10 sign-in attempts, then one every 30 s; 20
// wrong codes, then one every 30 s; 1,200 submissions, then 20 a second; 6,000 requests, then 100
// a second (a whole office behind one address does not meet it; a script does).
const (
	DefaultLimitSignIn      = "10/5m"
	DefaultLimitCodes       = "20/10m"
	DefaultLimitSubmissions = "1200/1m"
	DefaultLimitRequests    = "6000/1m"
)

// DefaultLimits are the default limits, read.
var DefaultLimits = Limits{
	SignIn:      mustLimit(DefaultLimitSignIn),
	Codes:       mustLimit(DefaultLimitCodes),
	Submissions: mustLimit(DefaultLimitSubmissions),
	Requests:    mustLimit(DefaultLimitRequests),
}

// withDefaults fills each limit left at zero with its default.
func (ls Limits) withDefaults() Limits {
	or := func(l, def Limit) Limit {
		if l == (Limit{}) {
			return def
		}
		return l
	}
	d := DefaultLimits
	return Limits{SignIn: or(ls.SignIn, d.SignIn), Codes: or(ls.Codes, d.Codes),
		Submissions: or(ls.Submissions, d.Submissions), Requests: or(ls.Requests, d.Requests)}
}

func mustLimit(s string) Limit {
	l, err := ParseLimit(s)
	if err != nil {
		panic(err)
	}
	return l
}

// ParseLimit reads a limit written N/DURATION: N at once, and N per DURATION after (10/5m).
func ParseLimit(s string) (Limit, error) {
	count, per, _ := strings.Cut(s, "/")
	n, errN := strconv.Atoi(count)
	d, errD := time.ParseDuration(per)
	if errN != nil || errD != nil || n < 1 || n > 1_000_000 || d < time.Second || d > 24*time.Hour {
		return Limit{}, fmt.Errorf("limit %q: write N/DURATION, such as 10/5m (N from 1 to 1000000, DURATION from 1s to 24h)", s)
	}
	return Limit{Every: d / time.Duration(n), Burst: n}, nil
}

func (l Limit) limiter(now func() time.Time) *access.Limiter {
	return access.NewLimiter(l.Every, l.Burst, now)
}

// limitEach spends one event of the client's allowance per request.
func limitEach(l *access.Limiter) gin.HandlerFunc {
	return func(c *gin.Context) {
		if ok, wait := l.Allow(clientAddress(c)); !ok {
			respondLimited(c, wait)
			return
		}
		c.Next()
	}
}

// limitRequests spends one event of the client's general allowance on every request but the
// health probes (a load balancer's probes must not be refused, and come from few addresses), and
// tells the client where it stands in the IETF draft RateLimit headers, on every answer: the
// burst, the whole requests left now, and the whole seconds until the allowance is full again.
// It runs once the client address is known, before the caller is identified, so a flood is
// refused before it costs a database lookup.
func limitRequests(l Limit, now func() time.Time) gin.HandlerFunc {
	requests, burst := l.limiter(now), strconv.Itoa(l.Burst)
	return func(c *gin.Context) {
		if r := c.FullPath(); r == "/healthz" || r == "/readyz" {
			c.Next()
			return
		}
		ok, remaining, reset, wait := requests.Take(clientAddress(c))
		h := c.Writer.Header()
		h.Set("RateLimit-Limit", burst)
		h.Set("RateLimit-Remaining", strconv.Itoa(remaining))
		h.Set("RateLimit-Reset", strconv.Itoa(int(reset/time.Second)))
		if !ok {
			respondLimited(c, wait)
			return
		}
		c.Next()
	}
}

var errLimited = newError(http.StatusTooManyRequests, "rate_limited", "too many requests from your address; try again after the time in Retry-After")

// respondLimited answers 429 with the seconds to wait.
func respondLimited(c *gin.Context, wait time.Duration) {
	c.Header("Retry-After", retryAfter(wait))
	respondError(c, errLimited)
}

// retryAfter is a wait in whole seconds, rounded up.
func retryAfter(wait time.Duration) string { return strconv.Itoa(int(math.Ceil(wait.Seconds()))) }

// requireJSON refuses a body that is not application/json with 415, so no other site can post it
// through a visitor's browser as a plain form (a cross-site form cannot send application/json).
func requireJSON(c *gin.Context) {
	if c.ContentType() != "application/json" {
		respondError(c, newError(http.StatusUnsupportedMediaType, "unsupported_media_type", "send the body as application/json"))
		return
	}
	c.Next()
}
