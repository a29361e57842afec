package access

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Claim rules turn what an identity provider says about a person (their groups or roles) into a
// role and scope here.

// ClaimRule grants a role to everyone whose role claim holds Value.
type ClaimRule struct {
	Value string
	Role  Role
	// Scope is the team key a lead sees; empty for other roles.
	Scope string
	// Comments lets hr read free-text comments.
	Comments bool
}

// String writes the rule as ParseClaimRules reads it.
func (r ClaimRule) String() string {
	s := r.Value + "=" + string(r.Role)
	if r.Scope != "" {
		s += ":" + r.Scope
	}
	if r.Comments {
		s += "+comments"
	}
	return s
}

// check holds a rule to the rules of accounts: a lead needs a team, admin and hr take none, and
// only hr is granted comments (admins and leads read them anyway).
func (r ClaimRule) check() error {
	if strings.TrimSpace(r.Value) == "" {
		return errors.New("the claim value is empty")
	}
	if _, err := ParseRole(string(r.Role)); err != nil {
		return err
	}
	switch {
	case r.Role == Lead && r.Scope == "":
		return errors.New("a lead needs a team: VALUE=lead:TEAM")
	case r.Role != Lead && r.Scope != "":
		return fmt.Errorf("%s takes no team (only lead does)", r.Role)
	case r.Comments && r.Role != HR:
		return fmt.Errorf("+comments is for hr only (%s reads comments already)", r.Role)
	}
	return nil
}

// ParseClaimRules reads rules written as VALUE=ROLE[:TEAM][+comments], separated by commas, as in
// "skills-admins=admin,comms-leads=lead:comms,hr-analysts=hr,hr-comments=hr+comments". The value
// ends at the last "=", so values holding one still work. An empty string is no rules.
func ParseClaimRules(s string) ([]ClaimRule, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var rules []ClaimRule
	seen := map[string]bool{}
	for i, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		r, err := parseClaimRule(entry)
		if err != nil {
			return nil, fmt.Errorf("claim rule %d %q: %w", i+1, entry, err)
		}
		if seen[r.Value] {
			return nil, fmt.Errorf("claim rule %d %q: %q has a rule already; give each value one rule", i+1, entry, r.Value)
		}
		seen[r.Value] = true
		rules = append(rules, r)
	}
	return rules, nil
}

func parseClaimRule(entry string) (ClaimRule, error) {
	eq := strings.LastIndex(entry, "=")
	if entry == "" || eq < 0 {
		return ClaimRule{}, errors.New("want VALUE=ROLE, VALUE=lead:TEAM or VALUE=hr+comments")
	}
	r := ClaimRule{Value: strings.TrimSpace(entry[:eq])}
	grant := strings.TrimSpace(entry[eq+1:])
	if g, ok := strings.CutSuffix(grant, "+comments"); ok {
		grant, r.Comments = g, true
	} else if strings.Contains(grant, "+") {
		return ClaimRule{}, errors.New("the only option after + is comments")
	}
	role, scope, hasScope := strings.Cut(grant, ":")
	if hasScope && scope == "" {
		return ClaimRule{}, errors.New("the team after : is empty")
	}
	r.Role, r.Scope = Role(role), scope
	return r, r.check()
}

// claimValues reads the role claim as a string or a list of strings; absent is no values.
func claimValues(claims map[string]any, claim string) ([]string, error) {
	switch v := claims[claim].(type) {
	case nil:
		return nil, nil
	case string:
		return []string{v}, nil
	case []any:
		values := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("%w: claim %s holds a %T, not a string", ErrNotMapped, claim, e)
			}
			values = append(values, s)
		}
		return values, nil
	}
	return nil, fmt.Errorf("%w: claim %s is neither a string nor a list of strings", ErrNotMapped, claim)
}

// rank orders the roles when several rules match one person: the widest wins.
var rank = map[Role]int{Lead: 1, HR: 2, Admin: 3}

// grant applies the rules to the role claim's values. The highest role matched wins; hr rules add
// up (comments if any grants them); lead rules naming two teams are refused, since one session sees
// one subtree and picking either would be a guess.
func grant(rules []ClaimRule, values []string) (role Role, scope string, comments bool, err error) {
	for _, r := range rules {
		if slices.Contains(values, r.Value) && rank[r.Role] > rank[role] {
			role = r.Role
		}
	}
	if role == "" {
		return "", "", false, ErrNotMapped
	}
	for _, r := range rules {
		if r.Role != role || !slices.Contains(values, r.Value) {
			continue
		}
		if role == Lead && scope != "" && r.Scope != scope {
			return "", "", false, fmt.Errorf("%w: lead of %s and of %s", ErrAmbiguous, scope, r.Scope)
		}
		scope, comments = r.Scope, comments || r.Comments
	}
	return role, scope, comments, nil
}
