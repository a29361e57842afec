// Package waves holds the rules of a wave in one place: what a new wave may be, whichever way it
// comes in (the command line or the admin API), so neither can create one the other would refuse.
package waves

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// Threshold limits. Below 3 a figure is close to one person's answer; the store refuses it too, as
// a last guard. Above 100 almost every team would be withheld, which is a typo, not a policy.
const (
	MinThreshold     = store.MinThreshold
	MaxThreshold     = 100
	DefaultThreshold = 5
)

// Key and title limits: the key goes into addresses and file names, the title onto every page.
const (
	MaxKeyLength   = 64
	MaxTitleLength = 300
)

var keyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Problems says what is wrong with a new wave, one message per field (survey, key, title, mode,
// threshold, opens_at, closes_at). It is an error; Fields gives the map for an API's answer.
type Problems map[string]string

// Error lists the problems in field order: "key: ...; mode: ...".
func (p Problems) Error() string {
	fields := make([]string, 0, len(p))
	for f := range p {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f + ": " + p[f]
	}
	return strings.Join(parts, "; ")
}

// Fields returns the problems by field name.
func (p Problems) Fields() map[string]string { return p }

// err is p as an error, or nil when there is no problem (a nil map in an error is not nil).
func (p Problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return p
}

// Check says what is wrong with a new wave of the survey with the given id, or nil. It does not
// know which surveys exist: Create checks that against the loaded definitions.
func Check(surveyID string, nw store.NewWave) Problems {
	p := Problems{}
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
	if nw.Mode != store.ModeOpen && nw.Mode != store.ModeInvite {
		p["mode"] = fmt.Sprintf("use %s (respondents pick their team) or %s (one-time codes)", store.ModeOpen, store.ModeInvite)
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
// zone (2026-03-01T09:00:00Z). "" is no time. A bad value is a Problems error on field.
func ParseTime(field, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t, nil
		}
	}
	return nil, Problems{field: "use a date (2026-03-01) or a time with zone (2026-03-01T09:00:00Z)"}
}

// Creator stores a wave: *store.Store.
type Creator interface {
	CreateWave(ctx context.Context, def *survey.Definition, nw store.NewWave) (store.Wave, error)
}

// Validate checks a new wave and finds its survey among the loaded definitions, without storing
// anything: callers that must not touch the database on bad input (the command line) ask first.
// An empty title becomes the key. Bad input is a Problems error, every problem at once.
func Validate(defs []*survey.Definition, surveyID string, nw store.NewWave) (*survey.Definition, store.NewWave, error) {
	if nw.Title == "" {
		nw.Title = nw.Key
	}
	p := Check(surveyID, nw)
	def := find(defs, surveyID)
	if def == nil && surveyID != "" {
		if p == nil {
			p = Problems{}
		}
		p["survey"] = fmt.Sprintf("no survey definition has this id; there are: %s", ids(defs))
	}
	if err := p.err(); err != nil {
		return nil, store.NewWave{}, err
	}
	return def, nw, nil
}

// Create checks a new wave and stores it with the current version of its survey's definition.
// Bad input is a Problems error; a key already used is the store's ErrConflict.
func Create(ctx context.Context, st Creator, defs []*survey.Definition, surveyID string, nw store.NewWave) (store.Wave, error) {
	def, nw, err := Validate(defs, surveyID, nw)
	if err != nil {
		return store.Wave{}, err
	}
	return st.CreateWave(ctx, def, nw)
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
