// Package waves holds the rules of waves and the changes made to them in one place, below both
// ways in (the command line and the admin API): neither can create a wave the other would refuse,
// and each change (creating, opening or closing a wave, making its invitation codes, importing the
// teams that waves ask) writes one audit event, worded the same whichever way it came in.
package waves

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// Threshold limits. Below 3 a figure is close to one person's answer; the store refuses it too, as
// a last guard. Above 100 almost every team would be withheld, which is a typo, not a policy.
const (
	MinThreshold     = store.MinThreshold
	MaxThreshold     = store.MaxThreshold
	DefaultThreshold = 5
)

// DefaultMode is the mode a wave is made in when none is asked for: verified (one answer per
// person, signed in) where respondents can sign in through single sign-on, else invite (one code
// per person). Never open: in an open wave anyone with the link may answer as often as they like,
// so a reader who also answers could fill a small team up to the threshold with answers of their
// own, and the figures less their own answers would describe whoever else answered.
func DefaultMode(signIn bool) string {
	if signIn {
		return store.ModeVerified
	}
	return store.ModeInvite
}

// Setup is what the service offers the waves it makes: the survey definitions loaded, and whether
// respondents can sign in through single sign-on (configured with the respondent key), which
// verified waves need.
type Setup struct {
	Definitions []*survey.Definition
	SignIn      bool
}

// Key and title limits: the key goes into addresses and file names, the title onto every page.
const (
	MaxKeyLength   = 64
	MaxTitleLength = 300
)

var keyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Check says what is wrong with a new wave of the survey with the given id, one problem per field
// (survey, key, title, mode, threshold, closes_at), or nil; signIn says whether respondents can sign
// in, which a verified wave needs. It does not know which surveys exist: Validate checks that
// against the loaded definitions.
func Check(surveyID string, nw store.NewWave, signIn bool) access.Problems {
	p := access.Problems{}
	if surveyID == "" {
		p["survey"] = "is required: give the id of a survey definition"
	}
	if len(nw.Key) > MaxKeyLength || !keyPattern.MatchString(nw.Key) {
		p["key"] = fmt.Sprintf("use up to %d lower-case letters, digits and single hyphens, such as 2026-spring", MaxKeyLength)
	}
	switch {
	case !utf8.ValidString(nw.Title):
		p["title"] = "is not valid text"
	case utf8.RuneCountInString(nw.Title) > MaxTitleLength:
		p["title"] = fmt.Sprintf("is longer than %d characters", MaxTitleLength)
	case strings.IndexFunc(nw.Title, unicode.IsControl) >= 0:
		p["title"] = "must be one line without control characters"
	}
	switch nw.Mode {
	case store.ModeInvite, store.ModeOpen:
	case store.ModeVerified:
		if !signIn {
			p["mode"] = "verified needs respondents to sign in with single sign-on, which is not configured (with its respondent key): use invite"
		}
	default:
		p["mode"] = fmt.Sprintf("use %s (one-time codes), %s (signed in with single sign-on, once each) or %s (anyone with the link)",
			store.ModeInvite, store.ModeVerified, store.ModeOpen)
	}
	if nw.Threshold < MinThreshold || nw.Threshold > MaxThreshold {
		p["threshold"] = fmt.Sprintf("use %d to %d, not %d", MinThreshold, MaxThreshold, nw.Threshold)
	}
	if nw.OpensAt != nil && nw.ClosesAt != nil && !nw.ClosesAt.After(*nw.OpensAt) {
		p["closes_at"] = "must be after the opening time"
	}
	if len(p) == 0 {
		return nil
	}
	return p
}

// ParseTime reads an opening or closing time: a date (2026-03-01, midnight UTC) or RFC 3339 with a
// zone (2026-03-01T09:00:00Z). "" is no time. A bad value is an access.Problems error on field.
func ParseTime(field, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t, nil
		}
	}
	return nil, access.Problems{field: "use a date (2026-03-01) or a time with zone (2026-03-01T09:00:00Z)"}
}

// Validate checks a new wave and finds its survey among the loaded definitions, without storing
// anything: callers that must not touch the database on bad input (the command line) ask first.
// An empty title becomes the key. Bad input is an access.Problems error, every problem at once.
func Validate(setup Setup, surveyID string, nw store.NewWave) (*survey.Definition, store.NewWave, error) {
	if nw.Title == "" {
		nw.Title = nw.Key
	}
	defs := setup.Definitions
	p := Check(surveyID, nw, setup.SignIn)
	def := find(defs, surveyID)
	if def == nil && surveyID != "" {
		if p == nil {
			p = access.Problems{}
		}
		p["survey"] = fmt.Sprintf("no survey definition has this id; there are: %s", ids(defs))
	}
	if len(p) > 0 {
		return nil, store.NewWave{}, p
	}
	return def, nw, nil
}

func find(defs []*survey.Definition, id string) *survey.Definition {
	for _, d := range defs {
		if d.ID == id {
			return d
		}
	}
	return nil
}

func ids(defs []*survey.Definition) string {
	if len(defs) == 0 {
		return "none"
	}
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.ID
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
