package access

import (
	"cmp"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"skillsurvey/internal/store"
)

// SignInFlowLifetime is how long a single sign-on may take, from the redirect to the provider to
// its answer: long enough to type a password and a second factor, short enough that a stolen
// state is soon worthless.
const SignInFlowLifetime = 10 * time.Minute

// Defaults of SSOConfig.
const (
	DefaultRoleClaim  = "groups"
	DefaultEmailClaim = "email"
)

// providerTimeout bounds every request to the provider, so a slow one cannot hold a sign-in open.
const providerTimeout = 10 * time.Second

// Errors of single sign-on. Each is a different answer for the person and a different line in the
// audit log; their messages hold no token, code or state.
var (
	// ErrState means the answer belongs to no sign-in this browser started: the state is missing,
	// differs from the cookie's, is unknown or too old, or was used already.
	ErrState = errors.New("the sign-in expired or was already used")
	// ErrExchange means the provider would not turn the code into tokens, or could not be reached.
	ErrExchange = errors.New("the identity provider refused the sign-in")
	// ErrToken means the ID token is missing or fails a check: signature, issuer, audience, expiry
	// or nonce.
	ErrToken = errors.New("the identity provider's answer could not be trusted")
	// ErrEmail means the ID token has no email address, or one the provider has not verified.
	ErrEmail = errors.New("the identity provider gave no verified email address")
	// ErrNotMapped means no claim rule gives the person a role.
	ErrNotMapped = errors.New("no role is granted to this account")
	// ErrAmbiguous means the rules make the person a lead of two different teams.
	ErrAmbiguous = errors.New("the account's groups grant conflicting roles")
)

// SSOConfig is single sign-on's settings, read once at start.
type SSOConfig struct {
	// Issuer is the provider's issuer URL; its discovery document is read from there.
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is where the provider sends the browser back: the service's /sign-in/callback.
	RedirectURL string
	// RoleClaim is the ID token claim whose values the Rules match; "" means DefaultRoleClaim.
	RoleClaim string
	// Rules grant roles from the RoleClaim's values.
	Rules []ClaimRule
	// EmailClaim names the person; "" means DefaultEmailClaim.
	EmailClaim string
}

// Validate checks the settings, naming every problem.
func (c SSOConfig) Validate() error {
	var errs []error
	if err := checkProviderURL(c.Issuer); err != nil {
		errs = append(errs, fmt.Errorf("issuer: %w", err))
	}
	if c.ClientID == "" {
		errs = append(errs, errors.New("client id: give the id the identity provider registered for this service"))
	}
	if c.ClientSecret == "" {
		errs = append(errs, errors.New("client secret: give the secret the identity provider issued with the client id"))
	}
	if err := checkProviderURL(c.RedirectURL); err != nil {
		errs = append(errs, fmt.Errorf("redirect URL: %w", err))
	}
	if len(c.Rules) == 0 {
		errs = append(errs, errors.New("claim rules: give at least one, such as skills-admins=admin"))
	}
	seen := map[string]bool{}
	for _, r := range c.Rules {
		if err := r.check(); err != nil {
			errs = append(errs, fmt.Errorf("claim rule %q: %w", r, err))
		}
		if seen[r.Value] {
			errs = append(errs, fmt.Errorf("claim rule %q: %q has another rule already", r, r.Value))
		}
		seen[r.Value] = true
	}
	return errors.Join(errs...)
}

// checkProviderURL wants an absolute https URL; plain http only on this machine, for trials and tests,
// since anywhere else it would send codes and secrets in the clear.
func checkProviderURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an absolute https URL", s)
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return fmt.Errorf("%q: use https (plain http only for localhost)", s)
	}
	return nil
}

// FlowStore keeps sign-ins under way, so the answer may reach any instance and is used only once.
type FlowStore interface {
	SaveSignInFlow(ctx context.Context, f store.SignInFlow) error
	// TakeSignInFlow deletes and returns the flow; store.ErrNotFound when absent or older than notBefore.
	TakeSignInFlow(ctx context.Context, stateHash string, notBefore time.Time) (store.SignInFlow, error)
	DeleteOldSignInFlows(ctx context.Context, before time.Time) error
}

// Identity is who the provider says signed in, and the role the rules grant them.
type Identity struct {
	Email    string // lower case
	Subject  string // the provider's stable id of the person
	Role     Role
	Scope    string
	Comments bool
}

// SSO signs people in with OpenID Connect: the authorization code flow with PKCE, a nonce, and the
// state kept in the database rather than in memory, so any instance can finish what another started.
type SSO struct {
	oauth      oauth2.Config
	verifier   *oidc.IDTokenVerifier
	client     *http.Client
	flows      FlowStore
	now        func() time.Time
	rules      []ClaimRule
	roleClaim  string
	emailClaim string
}

// NewSSO reads the provider's discovery document and returns single sign-on ready to use. A nil
// now means time.Now.
func NewSSO(ctx context.Context, cfg SSOConfig, flows FlowStore, now func() time.Time) (*SSO, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	client := &http.Client{Timeout: providerTimeout}
	// The provider keeps this client for fetching its signing keys later.
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, client), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("single sign-on: discover %s: %w", cfg.Issuer, err)
	}
	s := &SSO{
		client: client, flows: flows, now: now, rules: slices.Clone(cfg.Rules),
		roleClaim: cmp.Or(cfg.RoleClaim, DefaultRoleClaim), emailClaim: cmp.Or(cfg.EmailClaim, DefaultEmailClaim),
	}
	s.oauth = oauth2.Config{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
		Endpoint: provider.Endpoint(), Scopes: scopes(provider, s.roleClaim),
	}
	s.verifier = provider.VerifierContext(oidc.ClientContext(context.Background(), client),
		&oidc.Config{ClientID: cfg.ClientID, Now: now})
	return s, nil
}

// scopes asks for the email and, when the provider offers a scope named like the role claim
// ("groups" often is both), for that too: providers differ, and most refuse a scope they do not know.
func scopes(p *oidc.Provider, roleClaim string) []string {
	var meta struct {
		Scopes []string `json:"scopes_supported"`
	}
	want := []string{oidc.ScopeOpenID, "email"}
	if err := p.Claims(&meta); err == nil && slices.Contains(meta.Scopes, roleClaim) {
		want = append(want, roleClaim)
	}
	return want
}

// Start begins a sign-in and returns the provider's URL to send the browser to, and the state the
// caller must also put in a short-lived cookie, binding the answer to this browser. returnTo is
// where to go afterwards: a path on this service, else it is dropped.
func (s *SSO) Start(ctx context.Context, returnTo string) (authURL, state string, err error) {
	return s.begin(ctx, returnTo, 0, s.oauth.Scopes)
}

// begin saves a sign-in under way, a respondent's to answer wave waveID or (waveID 0) a member of
// staff's, and returns the provider's URL asking for scopes, and the state.
func (s *SSO) begin(ctx context.Context, returnTo string, waveID uint, scopes []string) (authURL, state string, err error) {
	now := s.now().UTC()
	// Abandoned sign-ins are swept now and then, here, rather than by a timer.
	if err := s.flows.DeleteOldSignInFlows(ctx, now.Add(-SignInFlowLifetime)); err != nil {
		return "", "", fmt.Errorf("sweep sign-in flows: %w", err)
	}
	state, nonce, verifier := randomString(tokenBytes), randomString(tokenBytes), oauth2.GenerateVerifier()
	flow := store.SignInFlow{StateHash: Hash(state), Nonce: nonce, Verifier: verifier,
		ReturnTo: LocalPath(returnTo), CreatedAt: now, WaveID: waveID}
	if err := s.flows.SaveSignInFlow(ctx, flow); err != nil {
		return "", "", fmt.Errorf("save sign-in flow: %w", err)
	}
	ask := s.oauth
	ask.Scopes = scopes
	return ask.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), state, nil
}

// Finish checks the provider's answer at the callback and returns who signed in and where they
// were going. cookieState is the state from the browser's cookie, gotState and code come from the
// callback's query. On ErrNotMapped and ErrAmbiguous the Identity still holds the verified Email and
// Subject, so the refusal can be audited by name. A respondent's sign-in is ErrState here: it never
// makes a member of staff's session.
func (s *SSO) Finish(ctx context.Context, cookieState, gotState, code string) (Identity, string, error) {
	flow, err := s.take(ctx, cookieState, gotState)
	if err != nil {
		return Identity{}, "", err
	}
	if flow.WaveID != 0 {
		return Identity{}, "", fmt.Errorf("%w: the sign-in was begun to answer a wave", ErrState)
	}
	token, err := s.verify(ctx, flow, code)
	if err != nil {
		return Identity{}, "", err
	}
	id, err := s.identify(token)
	return id, flow.ReturnTo, err
}

// take finds and deletes the sign-in under way that the provider's answer names, when the state
// is this browser's.
func (s *SSO) take(ctx context.Context, cookieState, gotState string) (store.SignInFlow, error) {
	if gotState == "" || subtle.ConstantTimeCompare([]byte(cookieState), []byte(gotState)) != 1 {
		return store.SignInFlow{}, fmt.Errorf("%w: the state differs from this browser's", ErrState)
	}
	flow, err := s.flows.TakeSignInFlow(ctx, Hash(gotState), s.now().UTC().Add(-SignInFlowLifetime))
	if errors.Is(err, store.ErrNotFound) {
		return store.SignInFlow{}, fmt.Errorf("%w: no sign-in under way has this state", ErrState)
	}
	if err != nil {
		return store.SignInFlow{}, fmt.Errorf("take sign-in flow: %w", err)
	}
	return flow, nil
}

// verify exchanges the code, proving with the PKCE verifier that this service started the sign-in,
// and checks the ID token it gets back.
func (s *SSO) verify(ctx context.Context, flow store.SignInFlow, code string) (*oidc.IDToken, error) {
	if code == "" {
		return nil, fmt.Errorf("%w: the answer has no code", ErrExchange)
	}
	ctx = oidc.ClientContext(ctx, s.client)
	tokens, err := s.oauth.Exchange(ctx, code, oauth2.VerifierOption(flow.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) { // its full text holds the provider's answer, which may echo the code
			return nil, fmt.Errorf("%w: the token endpoint answered %d %s", ErrExchange, re.Response.StatusCode, re.ErrorCode)
		}
		return nil, fmt.Errorf("%w: %w", ErrExchange, err)
	}
	raw, ok := tokens.Extra("id_token").(string)
	if !ok || raw == "" {
		return nil, fmt.Errorf("%w: the provider sent no ID token", ErrToken)
	}
	token, err := s.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrToken, err)
	}
	if subtle.ConstantTimeCompare([]byte(token.Nonce), []byte(flow.Nonce)) != 1 {
		return nil, fmt.Errorf("%w: the nonce is not this sign-in's", ErrToken)
	}
	return token, nil
}

// identify reads the person's email and grants their role from the verified token's claims.
func (s *SSO) identify(token *oidc.IDToken) (Identity, error) {
	var claims map[string]any
	if err := token.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrToken, err)
	}
	email, err := verifiedEmail(claims, s.emailClaim)
	if err != nil {
		return Identity{}, err
	}
	id := Identity{Email: email, Subject: token.Subject}
	values, err := claimValues(claims, s.roleClaim)
	if err != nil {
		return id, err
	}
	id.Role, id.Scope, id.Comments, err = grant(s.rules, values)
	if err != nil {
		return id, fmt.Errorf("%w (%s has %d values)", err, s.roleClaim, len(values))
	}
	return id, nil
}

// verifiedEmail is the claim's address in lower case. email_verified is required to be true only
// when present: many providers leave it out for addresses they manage themselves.
func verifiedEmail(claims map[string]any, claim string) (string, error) {
	email, _ := claims[claim].(string)
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || len(email) > 254 || strings.Count(email, "@") != 1 {
		return "", fmt.Errorf("%w: claim %s holds no email address", ErrEmail, claim)
	}
	if v, present := claims["email_verified"]; present && v != true && v != "true" {
		return "", fmt.Errorf("%w: the provider has not verified it", ErrEmail)
	}
	return email, nil
}
