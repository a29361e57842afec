// Package access decides who may do what: roles and their scope, passwords, sessions, API tokens,
// single sign-on, abuse limits and the audit log. It has no HTTP in it, so the API, the pages and
// the command line all go through the same rules.
package access

import (
	"fmt"
	"strings"

	"skillsurvey/internal/store"
)

// Role is what a signed-in person or a token may do.
type Role string

// The roles. Respondents have none: they stay anonymous.
const (
	// Admin may do everything, including managing waves, teams, users and tokens.
	Admin Role = "admin"
	// Lead reads the figures of one team's subtree, and the department's for comparison.
	Lead Role = "lead"
	// HR reads department-wide aggregates at every level and wave; comments only when granted.
	HR Role = "hr"
)

// Roles lists every role, in the order they are offered.
var Roles = []Role{Admin, Lead, HR}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("%q is not a role: use %s", s, roleNames())
}

func roleNames() string {
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// Permission is what a route needs. Every route of the service names one.
type Permission int

// The permissions, from the least to the most.
const (
	// Anyone: respondents and the public (the questionnaire, submitting, the sign-in page).
	Anyone Permission = iota + 1
	// SignedIn: any person or token with a role (who am I, sign out).
	SignedIn
	// ReadReports: the figures of waves, narrowed to a lead's scope by the handler through Sees.
	ReadReports
	// Administer: waves, teams, invitation codes, users, tokens and the audit log.
	Administer
)

// String names the permission in the route table and in the documentation.
func (p Permission) String() string {
	switch p {
	case Anyone:
		return "anyone"
	case SignedIn:
		return "signed in"
	case ReadReports:
		return "reads reports"
	case Administer:
		return "admin"
	}
	return fmt.Sprintf("Permission(%d)", int(p))
}

// Kind says how a caller proved who they are.
type Kind int

// The kinds of caller.
const (
	Anonymous Kind = iota
	Person         // a session cookie
	Program        // an API token
)

// Principal is the caller of one request, as read from the stored session or token, never from the
// request itself.
type Principal struct {
	Kind Kind
	// Name is the person's email or the token's name.
	Name string
	Role Role
	// Scope is the key of the team whose subtree a lead sees; empty for other roles.
	Scope string
	// Comments allows an hr caller to read free-text comments.
	Comments bool
	// Session is the stored hash of the session, so sign-out can end it; CSRF its token.
	Session string
	CSRF    string
}

// Actor names the caller in the audit log.
func (p Principal) Actor() string {
	switch p.Kind {
	case Person:
		return "user:" + p.Name
	case Program:
		return "token:" + p.Name
	}
	return "anonymous"
}

// Can says whether the caller may use a route that needs perm.
func (p Principal) Can(perm Permission) bool {
	switch perm {
	case Anyone:
		return true
	case SignedIn:
		return p.Kind != Anonymous && p.Role != ""
	case ReadReports:
		return p.Kind != Anonymous && (p.Role == Admin || p.Role == HR || (p.Role == Lead && p.Scope != ""))
	case Administer:
		return p.Kind != Anonymous && p.Role == Admin
	}
	return false // an unknown permission allows nothing
}

// Hierarchy maps each team's key to its parent's key ("" for the department at the top). It is
// read from the store for each decision, so a moved team is seen where it is now.
type Hierarchy map[string]string

// Sees says whether the caller may see a group's figures: admins and hr see every group; a lead
// sees their team's subtree and the department at the top of it, for comparison (not any other
// group at the top, such as an arm's-length body imported beside the department); nobody else
// sees any.
func (p Principal) Sees(h Hierarchy, group string) bool {
	if !p.Can(ReadReports) {
		return false
	}
	if p.Role != Lead {
		return true
	}
	parent, known := h[group]
	if !known {
		return false
	}
	return p.owns(h, group) || (parent == "" && h.Within(p.Scope, group))
}

// MayReadComments says whether the caller's role reads free-text comments at all: admins and
// leads do (leads within their subtree: see ReadsComments), hr only when granted.
func (p Principal) MayReadComments() bool {
	return p.Can(ReadReports) && (p.Role != HR || p.Comments)
}

// ReadsComments says whether the caller may read a group's free-text comments: admins always, a
// lead within their subtree (not the department's, unless that is their scope), hr only when granted.
func (p Principal) ReadsComments(h Hierarchy, group string) bool {
	switch {
	case !p.Sees(h, group) || !p.MayReadComments():
		return false
	case p.Role == Lead:
		return p.owns(h, group)
	}
	return true
}

// SetsFocus says whether the caller may choose a group's focus areas: admins any group's, a lead
// their own team's and those below it (not the department's, unless that is their scope); hr
// reads them but chooses none.
func (p Principal) SetsFocus(h Hierarchy, group string) bool {
	switch {
	case !p.Sees(h, group):
		return false
	case p.Role == Lead:
		return p.owns(h, group)
	}
	return p.Role == Admin
}

// owns says whether group is the lead's scope or below it.
func (p Principal) owns(h Hierarchy, group string) bool { return h.Within(group, p.Scope) }

// HierarchyOf maps teams to their parents' keys, from the stored teams (retired ones included, so
// old figures stay placed).
func HierarchyOf(teams []store.Team) Hierarchy {
	byID := make(map[uint]string, len(teams))
	for _, t := range teams {
		byID[t.ID] = t.Key
	}
	h := make(Hierarchy, len(teams))
	for _, t := range teams {
		h[t.Key] = ""
		if t.ParentID != nil {
			h[t.Key] = byID[*t.ParentID]
		}
	}
	return h
}

// Within says whether group is top or sits below it.
func (h Hierarchy) Within(group, top string) bool {
	if _, known := h[group]; !known || top == "" {
		return false
	}
	seen := map[string]bool{}
	for key := group; key != "" && !seen[key]; key = h[key] {
		if key == top {
			return true
		}
		seen[key] = true // a checked hierarchy has no cycle; this guards against one anyway
	}
	return false
}
