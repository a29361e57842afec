package api

import (
	"errors"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/store"
)

// apiError is the one error shape every endpoint answers with:
// {"error": {"code", "message", "fields": {...}}}.
type apiError struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

// Errors shared by several handlers.
var (
	errWaveNotFound = newError(http.StatusNotFound, "wave_not_found", "there is no wave with this key")
	errTeamNotFound = newError(http.StatusNotFound, "team_not_found", "there is no team with this key to answer for")
	errNotFound     = newError(http.StatusNotFound, "not_found", "there is nothing at this address")
	errMethod       = newError(http.StatusMethodNotAllowed, "method_not_allowed", "this address does not take this method")
	errTooLarge     = newError(http.StatusRequestEntityTooLarge, "too_large", "the request body is too large")
	errTimeout      = newError(http.StatusRequestTimeout, "request_timeout", "the request body did not arrive in time; please send it again")
	errUnreadable   = malformed("the request body could not be read")
	// errStorage is storage that cannot take a write just now (store.ErrUnavailable): nothing of
	// the request was kept, and the same request may be sent again after Retry-After.
	errStorage = newError(http.StatusServiceUnavailable, "storage_unavailable",
		"the service cannot store anything just now; nothing was kept: please send the same request again in a moment "+
			"(a submission with the same submission_id is never stored twice)")
)

// storageRetryAfter is how long a client is asked to wait before sending a request again that
// storage could not take: long enough for a lock to pass, short enough that a respondent waits.
const storageRetryAfter = 10 * time.Second

// bodyError is the answer to a body whose reading failed for want of the client, not for what it
// sent: 408 when it did not arrive within the server's read timeout, else 400. Nil when err is
// neither. The error's own text, which names the connection's addresses, is never shown.
func bodyError(err error) *apiError {
	var ne net.Error
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return errTimeout
	case errors.As(err, &ne):
		return errUnreadable
	}
	return nil
}

func invalid(fields map[string]string) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "some fields are not valid; see fields", Fields: fields}
}

func malformed(message string) *apiError {
	return newError(http.StatusBadRequest, "malformed", message)
}

// respondError writes err as the error shape. Storage that cannot take a write (store.Unavailable:
// a full disk, a read-only file, a lock held elsewhere) is 503 storage_unavailable with
// Retry-After. Any other error that is not an apiError is internal: it is logged with the request
// id and the client sees only that something went wrong.
func respondError(c *gin.Context, err error) {
	var ae *apiError
	if fault, ok := store.Unavailable(err); ok && !errors.As(err, &ae) {
		logger(c).WarnContext(c.Request.Context(), "storage unavailable", "request_id", requestID(c), "route", c.FullPath(),
			"fault", string(fault), "error", err)
		c.Header("Retry-After", strconv.Itoa(int(storageRetryAfter.Seconds())))
		ae = errStorage
	}
	if ae == nil && !errors.As(err, &ae) {
		logger(c).ErrorContext(c.Request.Context(), "internal error", "request_id", requestID(c), "route", c.FullPath(), "error", err)
		ae = newError(http.StatusInternalServerError, "internal", "something went wrong on our side; please try again")
	}
	c.Set(errorCodeKey, ae.Code)
	c.AbortWithStatusJSON(ae.Status, gin.H{"error": clipped(ae)})
}

// maxMessage bounds an error's message and each field's: some quote what the client sent (an
// unknown field's name, a team key from a large file), which must not make the answer unbounded.
const maxMessage = 1000

func clipped(ae *apiError) *apiError {
	out := *ae
	out.Message = clip(ae.Message)
	if len(ae.Fields) > 0 {
		out.Fields = make(map[string]string, len(ae.Fields))
		for k, v := range ae.Fields {
			out.Fields[clip(k)] = clip(v)
		}
	}
	return &out
}

func clip(s string) string {
	if len([]rune(s)) <= maxMessage {
		return s
	}
	return string([]rune(s)[:maxMessage-1]) + "…"
}
