package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"skillsurvey/api"
	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// DefaultMaxConnections caps the connections served at once; more wait to be accepted.
const DefaultMaxConnections = 1000

// Access is serve's settings for who may reach the service and how: its public address, TLS,
// trusted proxies, sessions, abuse limits and single sign-on.
type Access struct {
	PublicURL      string
	TrustedProxies string
	TLSCert        string
	TLSKey         string
	SessionIdle    time.Duration
	SessionMax     time.Duration
	MaxConnections int
	LimitSignIn    string
	LimitCodes     string
	LimitSubmit    string
	LimitRequests  string
	OIDC           access.SSOConfig
	OIDCRules      string
	// RespondentKeyFile and RespondentKey (the environment's) give the respondent key, one way or
	// the other: what respondents' single sign-on is hashed and their passes made with.
	RespondentKeyFile string
	RespondentKey     string
}

// accessFlags adds serve's access flags, defaulting to the environment.
func (c *call) accessFlags(fs *flag.FlagSet, a *Access) error {
	var errs []error
	dur := func(key string, def time.Duration) time.Duration {
		v := c.env(key)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: use a duration such as 30m or 12h", key, v))
		}
		return d
	}
	fs.StringVar(&a.PublicURL, "public-url", c.env("SKILLSURVEY_PUBLIC_URL"),
		"the address people use, such as https://skills.example.gov.uk; required when listening beyond this machine (env SKILLSURVEY_PUBLIC_URL)")
	fs.StringVar(&a.TrustedProxies, "trusted-proxies", c.env("SKILLSURVEY_TRUSTED_PROXIES"),
		"addresses or networks of proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated (env SKILLSURVEY_TRUSTED_PROXIES)")
	fs.StringVar(&a.TLSCert, "tls-cert", c.env("SKILLSURVEY_TLS_CERT"), "serve HTTPS with this certificate file (PEM), with --tls-key (env SKILLSURVEY_TLS_CERT)")
	fs.StringVar(&a.TLSKey, "tls-key", c.env("SKILLSURVEY_TLS_KEY"), "the private key file (PEM) of --tls-cert (env SKILLSURVEY_TLS_KEY)")
	fs.DurationVar(&a.SessionIdle, "session-idle", dur("SKILLSURVEY_SESSION_IDLE", access.DefaultIdle),
		"sign a person out after this long without a request (env SKILLSURVEY_SESSION_IDLE)")
	fs.DurationVar(&a.SessionMax, "session-max", dur("SKILLSURVEY_SESSION_MAX", access.DefaultMax),
		"end every session after this long, however active (env SKILLSURVEY_SESSION_MAX)")
	maxConns := DefaultMaxConnections
	if v := c.env("SKILLSURVEY_MAX_CONNECTIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("SKILLSURVEY_MAX_CONNECTIONS=%q: use a whole number", v))
		}
		maxConns = n
	}
	fs.IntVar(&a.MaxConnections, "max-connections", maxConns, "connections served at once; more wait to be accepted (env SKILLSURVEY_MAX_CONNECTIONS)")
	fs.StringVar(&a.LimitSignIn, "limit-sign-in", c.envOr("SKILLSURVEY_LIMIT_SIGN_IN", api.DefaultLimitSignIn),
		"sign-in attempts per client address: N/DURATION (env SKILLSURVEY_LIMIT_SIGN_IN)")
	fs.StringVar(&a.LimitCodes, "limit-codes", c.envOr("SKILLSURVEY_LIMIT_CODES", api.DefaultLimitCodes),
		"wrong invitation codes per client address: N/DURATION (env SKILLSURVEY_LIMIT_CODES)")
	fs.StringVar(&a.LimitSubmit, "limit-submissions", c.envOr("SKILLSURVEY_LIMIT_SUBMISSIONS", api.DefaultLimitSubmissions),
		"submissions per client address, generous enough for an office behind one address: N/DURATION (env SKILLSURVEY_LIMIT_SUBMISSIONS)")
	fs.StringVar(&a.LimitRequests, "limit-requests", c.envOr("SKILLSURVEY_LIMIT_REQUESTS", api.DefaultLimitRequests),
		"every request per client address (health probes aside), told to clients in RateLimit headers: N/DURATION (env SKILLSURVEY_LIMIT_REQUESTS)")
	fs.StringVar(&a.OIDC.Issuer, "oidc-issuer", c.env("SKILLSURVEY_OIDC_ISSUER"),
		"single sign-on: the OpenID Connect issuer URL, such as https://login.microsoftonline.com/TENANT/v2.0 (env SKILLSURVEY_OIDC_ISSUER)")
	fs.StringVar(&a.OIDC.ClientID, "oidc-client-id", c.env("SKILLSURVEY_OIDC_CLIENT_ID"), "single sign-on: the client id (env SKILLSURVEY_OIDC_CLIENT_ID)")
	// The secret is read from the environment only: a flag would show in the process list.
	a.OIDC.ClientSecret = c.env("SKILLSURVEY_OIDC_CLIENT_SECRET")
	fs.StringVar(&a.OIDC.RedirectURL, "oidc-redirect-url", c.env("SKILLSURVEY_OIDC_REDIRECT_URL"),
		"single sign-on: where the provider sends people back (default: --public-url + /sign-in/callback) (env SKILLSURVEY_OIDC_REDIRECT_URL)")
	fs.StringVar(&a.OIDC.RoleClaim, "oidc-role-claim", c.envOr("SKILLSURVEY_OIDC_ROLE_CLAIM", access.DefaultRoleClaim),
		"single sign-on: the ID token claim holding the person's groups or roles (env SKILLSURVEY_OIDC_ROLE_CLAIM)")
	fs.StringVar(&a.OIDCRules, "oidc-roles", c.env("SKILLSURVEY_OIDC_ROLES"),
		"single sign-on: which claim values grant which role, such as 'skills-admins=admin,comms-leads=lead:comms,hr=hr' (env SKILLSURVEY_OIDC_ROLES)")
	fs.StringVar(&a.RespondentKeyFile, "respondent-key-file", c.env("SKILLSURVEY_RESPONDENT_KEY_FILE"),
		"single sign-on: a file holding the respondent key, at least 32 random bytes, the same on every instance and never in the database; or the key itself in SKILLSURVEY_RESPONDENT_KEY (env SKILLSURVEY_RESPONDENT_KEY_FILE)")
	// The key itself is read from the environment only: a flag would show in the process list.
	a.RespondentKey = c.env("SKILLSURVEY_RESPONDENT_KEY")
	return errors.Join(errs...)
}

// ssoWanted says whether any single sign-on setting was given.
func (a Access) ssoWanted() bool {
	return a.OIDC.Issuer != "" || a.OIDC.ClientID != "" || a.OIDC.ClientSecret != "" || a.OIDCRules != ""
}

// check validates the access settings for a service listening on listen, and returns what the
// router needs (without single sign-on, which needs the store and the network).
func (a *Access) check(listen string) (api.Config, error) {
	var cfg api.Config
	errs := a.checkAddress(listen, &cfg)
	errs = append(errs, a.checkTLS()...)
	errs = append(errs, a.checkSessionsAndLimits(&cfg)...)
	errs = append(errs, a.checkSSO()...)
	errs = append(errs, a.checkRespondentKey(&cfg)...)
	return cfg, errors.Join(errs...)
}

// checkAddress reads the public URL and the trusted proxies: who the service is, and whom it believes.
func (a *Access) checkAddress(listen string, cfg *api.Config) []error {
	var errs []error
	if a.PublicURL != "" {
		u, err := url.Parse(a.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			errs = append(errs, fmt.Errorf("--public-url %q: give the scheme and host only, such as https://skills.example.gov.uk", a.PublicURL))
		} else {
			cfg.Hosts = append(cfg.Hosts, u.Hostname())
		}
	} else if host, _, err := net.SplitHostPort(listen); err == nil && !access.IsLoopback(host) {
		errs = append(errs, fmt.Errorf("--public-url is required when listening on %q: it names the address people use, which the service checks every request's Host against", listen))
	}
	var err error
	if cfg.Proxies, err = access.ParseProxies(a.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("--trusted-proxies: %w", err))
	}
	return errs
}

// checkTLS reads the certificate now, so a wrong file stops the service before it says it is
// running, and refuses an https address the service could not tell it is served at.
func (a *Access) checkTLS() []error {
	var errs []error
	if (a.TLSCert == "") != (a.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together"))
	} else if a.TLSCert != "" {
		if _, err := tls.LoadX509KeyPair(a.TLSCert, a.TLSKey); err != nil {
			errs = append(errs, fmt.Errorf("--tls-cert %q and --tls-key %q: %w", a.TLSCert, a.TLSKey, err))
		}
	}
	// Served as https but neither holding the certificate nor trusting a proxy to say the request
	// came over TLS, the service could not tell: its cookies would lose Secure and no HSTS would
	// be sent, and behind an unlisted proxy every client would share the proxy's address.
	if strings.HasPrefix(a.PublicURL, "https://") && a.TLSCert == "" && a.TrustedProxies == "" {
		errs = append(errs, errors.New("--public-url is https, but the service has no certificate (--tls-cert, --tls-key) and trusts no proxy (--trusted-proxies) to say a request came over HTTPS: give one or the other"))
	}
	return errs
}

// checkSessionsAndLimits reads the session lifetimes, the connection cap and the abuse limits.
func (a *Access) checkSessionsAndLimits(cfg *api.Config) []error {
	var errs []error
	if a.SessionIdle < time.Minute || a.SessionIdle > 24*time.Hour {
		errs = append(errs, fmt.Errorf("--session-idle %s: use 1m to 24h", a.SessionIdle))
	}
	if a.SessionMax < a.SessionIdle || a.SessionMax > 30*24*time.Hour {
		errs = append(errs, fmt.Errorf("--session-max %s: use --session-idle to 720h", a.SessionMax))
	}
	if a.MaxConnections < 1 || a.MaxConnections > 1_000_000 {
		errs = append(errs, fmt.Errorf("--max-connections %d: use 1 to 1000000", a.MaxConnections))
	}
	cfg.Idle, cfg.MaxSession = a.SessionIdle, a.SessionMax
	for _, l := range []struct {
		flag, value string
		into        *api.Limit
	}{{"--limit-sign-in", a.LimitSignIn, &cfg.Limits.SignIn}, {"--limit-codes", a.LimitCodes, &cfg.Limits.Codes},
		{"--limit-submissions", a.LimitSubmit, &cfg.Limits.Submissions}, {"--limit-requests", a.LimitRequests, &cfg.Limits.Requests}} {
		var err error
		if *l.into, err = api.ParseLimit(l.value); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", l.flag, err))
		}
	}
	return errs
}

// checkSSO reads single sign-on's settings, when any is given.
func (a *Access) checkSSO() []error {
	if !a.ssoWanted() {
		return nil
	}
	var errs []error
	if a.OIDC.RedirectURL == "" && a.PublicURL != "" {
		a.OIDC.RedirectURL = strings.TrimSuffix(a.PublicURL, "/") + "/sign-in/callback"
	}
	var rulesErr error
	if a.OIDC.Rules, rulesErr = access.ParseClaimRules(a.OIDCRules); rulesErr != nil {
		errs = append(errs, fmt.Errorf("--oidc-roles: %w", rulesErr))
	}
	if err := a.OIDC.Validate(); err != nil {
		errs = append(errs, ssoFlags(err, rulesErr != nil))
	}
	return errs
}

// defaults fills settings left at zero, as when serve is run from code rather than flags (flags
// have their defaults already, so a zero there is the person's choice, and refused).
func (a *Access) defaults() {
	if a.SessionIdle == 0 {
		a.SessionIdle = access.DefaultIdle
	}
	if a.SessionMax == 0 {
		a.SessionMax = access.DefaultMax
	}
	if a.MaxConnections == 0 {
		a.MaxConnections = DefaultMaxConnections
	}
	for _, l := range []struct {
		v   *string
		def string
	}{{&a.LimitSignIn, api.DefaultLimitSignIn}, {&a.LimitCodes, api.DefaultLimitCodes}, {&a.LimitSubmit, api.DefaultLimitSubmissions},
		{&a.LimitRequests, api.DefaultLimitRequests}} {
		if *l.v == "" {
			*l.v = l.def
		}
	}
}

// connectSSO reaches the identity provider, when single sign-on is configured.
func (a Access) connectSSO(ctx context.Context, st *store.Store) (*access.SSO, error) {
	if !a.ssoWanted() {
		return nil, nil
	}
	// A rule naming a team that is not there would refuse its people only when they sign in.
	for _, r := range a.OIDC.Rules {
		if r.Scope == "" {
			continue
		}
		t, err := st.Team(ctx, r.Scope)
		if errors.Is(err, store.ErrNotFound) || (err == nil && t.Retired) {
			return nil, fmt.Errorf("--oidc-roles: rule %q names team %q, which is not a current team", r.String(), r.Scope)
		}
		if err != nil {
			return nil, err
		}
	}
	return access.NewSSO(ctx, a.OIDC, st, nil)
}

// ssoLabels name single sign-on's settings, as access names them, by the flag (or variable) that
// sets each.
var ssoLabels = []struct{ setting, flag string }{
	{"issuer:", "--oidc-issuer:"},
	{"client id:", "--oidc-client-id:"},
	{"client secret:", "SKILLSURVEY_OIDC_CLIENT_SECRET:"},
	{"redirect URL:", "--oidc-redirect-url:"},
	{"claim rules:", "--oidc-roles:"},
	{"claim rule ", "--oidc-roles: rule "},
}

// ssoFlags rewrites single sign-on's problems in the command line's words; when the roles did not
// parse, their "give at least one" is left out, since that problem is already named.
func ssoFlags(err error, rulesNamed bool) error {
	var lines []string
	for _, line := range strings.Split(err.Error(), "\n") {
		for _, l := range ssoLabels {
			if strings.HasPrefix(line, l.setting) {
				line = l.flag + strings.TrimPrefix(line, l.setting)
				break
			}
		}
		if rulesNamed && strings.HasPrefix(line, "--oidc-roles: give at least one") {
			continue
		}
		lines = append(lines, line)
	}
	return errors.New(strings.Join(lines, "\n"))
}
