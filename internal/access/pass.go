package access

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MinRespondentKeyBytes is the shortest respondent key accepted: 256 bits, as long as the hash.
const MinRespondentKeyBytes = 32

// PassLifetime is how long a respondent's pass lasts after they sign in: long enough to answer at
// leisure, a meeting in the middle included; short enough that a pass left in a shared browser
// soon stops working.
const PassLifetime = 4 * time.Hour

// ErrPass is a pass that does not let its holder answer this wave: missing, forged, of another
// wave or expired. The message says which, never whose.
var ErrPass = errors.New("no valid pass to answer this wave: sign in")

// Passes turns a respondent's single sign-on into what a verified wave needs, with the respondent
// key: the keyed hash that stands for the person in that wave, and a short-lived pass that carries
// it from the sign-in to the submission without anything being stored in between.
//
// The key must be the same on every instance and must never be kept in the database: whoever
// holds both the key and the table of who has answered could hash a named person and test whether
// they answered a wave (not how: nothing links the table to the responses).
type Passes struct {
	// Two keys made from the respondent key, one per use, so a pass's MAC is never a person's hash.
	personKey, passKey []byte
	now                func() time.Time
}

// NewPasses makes passes under the respondent key. A nil now means time.Now.
func NewPasses(key []byte, now func() time.Time) (*Passes, error) {
	if len(key) < MinRespondentKeyBytes {
		return nil, fmt.Errorf("the respondent key has %d bytes; give at least %d random ones", len(key), MinRespondentKeyBytes)
	}
	if now == nil {
		now = time.Now
	}
	return &Passes{personKey: mac(key, "skillsurvey person v1"), passKey: mac(key, "skillsurvey pass v1"), now: now}, nil
}

func mac(key []byte, parts ...string) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		// Each part with its length, so no two lists of parts are written the same.
		fmt.Fprintf(m, "%d:%s", len(p), p)
	}
	return m.Sum(nil)
}

// Person is the keyed hash that stands for a respondent in one wave: HMAC-SHA256, under the
// respondent key, of the provider's issuer, the person's subject there and the wave. It differs
// from wave to wave, so the tables of two waves cannot be matched to follow someone across them.
func (p *Passes) Person(r Respondent) string {
	return hex.EncodeToString(mac(p.personKey, r.Issuer, r.Subject, strconv.FormatUint(uint64(r.WaveID), 10)))
}

// passVersion begins every pass, so its form can change without old ones being misread.
const passVersion = "p1"

// Issue makes the pass of a respondent who has just signed in: the wave, their keyed hash and when
// the pass ends, with a MAC under the respondent key. Nothing is stored: the pass is all there is.
func (p *Passes) Issue(r Respondent) string {
	body := strings.Join([]string{passVersion, strconv.FormatUint(uint64(r.WaveID), 10), p.Person(r),
		strconv.FormatInt(p.now().Add(PassLifetime).Unix(), 10)}, ".")
	return body + "." + base64.RawURLEncoding.EncodeToString(mac(p.passKey, body))
}

// Check returns the keyed hash of the person a pass was issued to, if it is genuine, of wave
// waveID and not expired; otherwise ErrPass.
func (p *Passes) Check(pass string, waveID uint) (string, error) {
	if pass == "" {
		return "", fmt.Errorf("%w: there is none", ErrPass)
	}
	parts := strings.Split(pass, ".")
	if len(parts) != 5 || parts[0] != passVersion {
		return "", fmt.Errorf("%w: it is not a pass", ErrPass)
	}
	body := strings.Join(parts[:4], ".")
	sum, err := base64.RawURLEncoding.DecodeString(parts[4])
	if err != nil || !hmac.Equal(sum, mac(p.passKey, body)) {
		return "", fmt.Errorf("%w: it was not made here", ErrPass)
	}
	// Made here, so the fields are as Issue wrote them.
	if parts[1] != strconv.FormatUint(uint64(waveID), 10) {
		return "", fmt.Errorf("%w: it is for another wave", ErrPass)
	}
	if expires, err := strconv.ParseInt(parts[3], 10, 64); err != nil || !p.now().Before(time.Unix(expires, 0)) {
		return "", fmt.Errorf("%w: it has expired", ErrPass)
	}
	return parts[2], nil
}
