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
}

// The default limits, as ParseLimit reads them: 10 sign-in attempts, then one every 30 s; 20
// wrong codes, then one every 30 s; 1,200 submissions, then 20 a second.
const (
	DefaultLimitSignIn      = "10/5m"
	DefaultLimitCodes       = "20/10m"
	DefaultLimitSubmissions = "1200/1m"
)

// DefaultLimits are the default limits, read.
var DefaultLimits = Limits{
	SignIn:      mustLimit(DefaultLimitSignIn),
	Codes:       mustLimit(DefaultLimitCodes),
	Submissions: mustLimit(DefaultLimitSubmissions),
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
