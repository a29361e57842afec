package access

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"skillsurvey/internal/store"
)

// Problems says what is wrong with a request, one message per field: here email, role, scope,
// comments, password, name and expires; for a wave (package waves) survey, key, title, mode,
// threshold, opens_at and closes_at. It is an error; Fields gives the map for an API's answer.
type Problems map[string]string

// Error lists the problems in field order: "email: ...; role: ...".
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

// Limits of what an account or a token may be.
const (
	MaxEmailLength = 254 // what a mail server accepts in a path
	// MinExpiry and MaxExpiry bound a token's life: shorter is a typo, longer is a token nobody
	// remembers handing out. MaxExpiry is five years, leap days included.
	MinExpiry = time.Hour
	MaxExpiry = 1826 * 24 * time.Hour
	// DefaultExpiry is the life of a token when none is asked for.
	DefaultExpiry = "90d"
)

// AccountStore is what managing people and tokens needs from storage.
type AccountStore interface {
	Team(ctx context.Context, key string) (store.Team, error)
	CreateUser(ctx context.Context, nu store.NewUser) (store.User, error)
	Users(ctx context.Context) ([]store.User, error)
	RemoveUser(ctx context.Context, email string) error
	CreateToken(ctx context.Context, nt store.NewToken) (store.APIToken, error)
	Tokens(ctx context.Context) ([]store.APIToken, error)
	RevokeToken(ctx context.Context, name string, at time.Time) (store.APIToken, error)
	Auditor
}

// Accounts holds the rules for people and API tokens. The command line and the admin API both go
// through it, so neither can make an account or a token the other would refuse, or skip the audit log.
type Accounts struct {
	st  AccountStore
	now func() time.Time
}

// NewAccounts returns the rules over st. A nil clock is time.Now.
func NewAccounts(st AccountStore, now func() time.Time) *Accounts {
	if now == nil {
		now = time.Now
	}
	return &Accounts{st: st, now: now}
}

// NewPerson is an account to add. An empty Password asks for a generated one.
type NewPerson struct {
	Email    string
	Role     Role
	Scope    string
	Comments bool
	Password string
}

// AddPerson adds a local account and returns it, with the generated password when none was given:
// the one time anyone sees it. Bad input is a Problems error; an email already used is ErrConflict.
func (a *Accounts) AddPerson(ctx context.Context, actor Actor, np NewPerson) (store.User, string, error) {
	if err := actor.Check(); err != nil {
		return store.User{}, "", err
	}
	p := Problems{}
	email, problem := normalEmail(np.Email)
	if problem != "" {
		p["email"] = problem
	}
	a.checkGrant(ctx, np.Role, np.Scope, np.Comments, p)
	if np.Password != "" {
		if err := CheckPasswordRules(np.Password); err != nil {
			p["password"] = err.Error()
		}
	}
	if err := p.err(); err != nil {
		return store.User{}, "", err
	}
	password, how := np.Password, "password set"
	var generated string
	if password == "" {
		generated = GeneratePassword()
		password, how = generated, "password generated"
	}
	hash, err := HashPassword(password)
	if err != nil {
		return store.User{}, "", err
	}
	u, err := a.st.CreateUser(ctx, store.NewUser{Email: email, PasswordHash: hash, Role: string(np.Role),
		Scope: np.Scope, Comments: np.Comments, Source: store.SourceLocal})
	if err != nil {
		return store.User{}, "", err
	}
	detail := grantDetail(np.Role, np.Scope, np.Comments) + ", " + how
	if err := Record(ctx, a.st, actor, ActionUserAdd, email, detail); err != nil {
		return store.User{}, "", err
	}
	return u, generated, nil
}

// RemovePerson removes an account and so ends its sessions. Nobody removes their own account
// through the API: the last admin cannot lock everyone out by mistake.
func (a *Accounts) RemovePerson(ctx context.Context, actor Actor, email string) error {
	if err := actor.Check(); err != nil {
		return err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return Problems{"email": "is required"}
	}
	if actor.Name == (Principal{Kind: Person, Name: email}).Actor() {
		return fmt.Errorf("remove user %q: nobody removes their own account; ask another admin: %w", email, store.ErrConflict)
	}
	if err := a.st.RemoveUser(ctx, email); err != nil {
		return err
	}
	return Record(ctx, a.st, actor, ActionUserRemove, email, "")
}

// People returns every account, in email order.
func (a *Accounts) People(ctx context.Context) ([]store.User, error) { return a.st.Users(ctx) }

// TokenRequest is an API token to create. Expires is its life from now; 0 is never.
type TokenRequest struct {
	Name     string
	Role     Role
	Scope    string
	Comments bool
	Expires  time.Duration
}

var tokenNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,99}$`)

// CreateToken makes an API token and returns its stored details and the token itself: the one time
// anyone sees it, since only its hash is kept. Bad input is a Problems error; a name already used is
// ErrConflict.
func (a *Accounts) CreateToken(ctx context.Context, actor Actor, tr TokenRequest) (store.APIToken, string, error) {
	if err := actor.Check(); err != nil {
		return store.APIToken{}, "", err
	}
	p := Problems{}
	// A name starting with a dot ("..") would be read as a path in DELETE /tokens/{name}; one
	// starting with the token prefix is most likely a token pasted in the wrong place, and the name
	// goes into the audit log.
	switch {
	case !tokenNamePattern.MatchString(tr.Name):
		p["name"] = "use 1 to 100 lower-case letters, digits, dots, hyphens and underscores, starting with a letter or digit, such as hr-powerbi"
	case strings.HasPrefix(tr.Name, TokenPrefix):
		p["name"] = "must not start with " + TokenPrefix + ", which marks the tokens themselves"
	}
	a.checkGrant(ctx, tr.Role, tr.Scope, tr.Comments, p)
	if tr.Expires != 0 && (tr.Expires < MinExpiry || tr.Expires > MaxExpiry) {
		p["expires"] = expiryRange
	}
	if err := p.err(); err != nil {
		return store.APIToken{}, "", err
	}
	var expires *time.Time
	expiry := "never expires"
	if tr.Expires != 0 {
		at := a.now().UTC().Add(tr.Expires).Truncate(time.Second)
		expires, expiry = &at, "expires "+at.Format(time.RFC3339)
	}
	token := NewToken()
	t, err := a.st.CreateToken(ctx, store.NewToken{Name: tr.Name, Hash: Hash(token), Role: string(tr.Role),
		Scope: tr.Scope, Comments: tr.Comments, ExpiresAt: expires})
	if err != nil {
		return store.APIToken{}, "", err
	}
	if err := Record(ctx, a.st, actor, ActionTokenCreate, tr.Name, grantDetail(tr.Role, tr.Scope, tr.Comments)+", "+expiry); err != nil {
		return store.APIToken{}, "", err
	}
	return t, token, nil
}

// Tokens returns every token, revoked ones too, in name order.
func (a *Accounts) Tokens(ctx context.Context) ([]store.APIToken, error) { return a.st.Tokens(ctx) }

// RevokeToken revokes a token for good, from now. An unknown name is ErrNotFound; a revoked one ErrConflict.
func (a *Accounts) RevokeToken(ctx context.Context, actor Actor, name string) error {
	if err := actor.Check(); err != nil {
		return err
	}
	if name == "" {
		return Problems{"name": "is required"}
	}
	if _, err := a.st.RevokeToken(ctx, name, a.now().UTC()); err != nil {
		return err
	}
	return Record(ctx, a.st, actor, ActionTokenRevoke, name, "")
}

var expiryPattern = regexp.MustCompile(`^([0-9]{1,7})([hd])$`)

const expiryRange = "use 1h to 1826d (five years), or never"

// ParseExpiry reads a token's life: "90d" (days), "12h" (hours) or "never" (0). It must be an hour
// to five years. A bad value is a Problems error on field "expires".
func ParseExpiry(s string) (time.Duration, error) {
	if s == "never" {
		return 0, nil
	}
	m := expiryPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, Problems{"expires": "use a number of days or hours, such as 90d or 12h, or never"}
	}
	n, _ := strconv.Atoi(m[1]) // at most seven digits: always a number, never an overflow
	unit := time.Hour
	if m[2] == "d" {
		unit = 24 * time.Hour
	}
	d := time.Duration(n) * unit
	if d < MinExpiry || d > MaxExpiry {
		return 0, Problems{"expires": expiryRange}
	}
	return d, nil
}

// checkGrant adds to p what is wrong with a role, its scope and the comments flag, the same for a
// person and a token.
func (a *Accounts) checkGrant(ctx context.Context, role Role, scope string, comments bool, p Problems) {
	if _, err := ParseRole(string(role)); err != nil {
		p["role"] = "use one of " + roleNames()
		if scope != "" {
			a.checkScope(ctx, scope, p)
		}
		return
	}
	switch {
	case role == Lead && scope == "":
		p["scope"] = "is required for a lead: the key of the team whose subtree they see"
	case role != Lead && scope != "":
		p["scope"] = fmt.Sprintf("only a lead has a scope: %s sees every team", article(role))
	case scope != "":
		a.checkScope(ctx, scope, p)
	}
	if comments && role != HR {
		p["comments"] = "only hr is granted comments: admins read them all, and leads those of their scope"
	}
}

// checkScope looks the scope's team up, so an unknown or retired team is a problem on the field
// rather than a conflict that could be mistaken for a used email or name.
func (a *Accounts) checkScope(ctx context.Context, scope string, p Problems) {
	if len(scope) > 64 {
		p["scope"] = "no team has this key"
		return
	}
	t, err := a.st.Team(ctx, scope)
	switch {
	case errors.Is(err, store.ErrNotFound):
		p["scope"] = "no team has this key"
	case err != nil:
		p["scope"] = "could not be checked; try again"
	case t.Retired:
		p["scope"] = "the team is retired (not in the latest import)"
	}
}

func article(r Role) string {
	if r == Admin {
		return "an admin"
	}
	return "hr"
}

// normalEmail trims and lower-cases an email as the store keeps it, and says what is wrong with it.
// The shape is checked, not the address: only a mail server can say whether it exists.
func normalEmail(s string) (string, string) {
	if !utf8.ValidString(s) {
		return "", "is not valid text" // checked first: ToLower would quietly mend it
	}
	email := strings.ToLower(strings.TrimSpace(s))
	local, domain, _ := strings.Cut(email, "@")
	switch {
	case email == "":
		return "", "is required"
	case len(email) > MaxEmailLength:
		return "", fmt.Sprintf("is longer than %d characters", MaxEmailLength)
	case strings.IndexFunc(email, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return "", "must not contain spaces, line breaks or control characters"
	case strings.ContainsAny(email, `<>()[],;:"\`):
		return "", "use a plain address such as name@example.org, without a name or brackets"
	case strings.Count(email, "@") != 1 || local == "" || len(local) > 64 || !domainShape(domain):
		return "", "is not an email address such as name@example.org"
	}
	return email, ""
}

// domainShape says whether s is dot-separated labels, none empty.
func domainShape(s string) bool {
	if s == "" {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
	}
	return true
}

// grantDetail describes a role for the audit log: "role lead, scope comms" or "role hr, comments".
func grantDetail(role Role, scope string, comments bool) string {
	d := "role " + string(role)
	if scope != "" {
		d += ", scope " + scope
	}
	if comments {
		d += ", comments"
	}
	return d
}
