package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"skillsurvey/internal/store"
)

// Session lifetimes: a signed-in browser left alone for Idle is signed out, and no session lasts
// longer than Max, however active.
const (
	DefaultIdle = 30 * time.Minute
	DefaultMax  = 12 * time.Hour
)

// touchEvery is how stale a session's last-seen time may get before a request writes it again:
// one write a minute per active person, not one per request; with a short idle time, a tenth of it,
// so an active person is never taken for an idle one.
const touchEvery = time.Minute

// Errors of signing in and of credentials.
var (
	// ErrBadCredentials is the one answer to an unknown email and a wrong password alike.
	ErrBadCredentials = errors.New("the email address or password is not right")
	// ErrNoSession means the cookie names no live session: unknown, signed out, idle too long or too old.
	ErrNoSession = errors.New("no live session")
	// ErrBadToken means the bearer token is unknown, revoked or expired.
	ErrBadToken = errors.New("the API token is not valid")
)

// SessionStore is what signing in needs from storage.
type SessionStore interface {
	UserByEmail(ctx context.Context, email string) (store.User, error)
	CreateSession(ctx context.Context, s store.Session) error
	SessionByHash(ctx context.Context, idHash string) (store.Session, error)
	TouchSession(ctx context.Context, idHash string, at time.Time) error
	DeleteSession(ctx context.Context, idHash string) error
	DeleteExpiredSessions(ctx context.Context, idleBefore, now time.Time) (int64, error)
	TokenByHash(ctx context.Context, hash string) (store.APIToken, error)
	MarkTokenUsed(ctx context.Context, id uint, day string) error
	Audit(ctx context.Context, e store.NewAuditEvent) error
}

// Service signs people in and out and turns a session cookie or a bearer token into a Principal.
// It keeps nothing in memory another instance would need: sessions live in the database.
type Service struct {
	st        SessionStore
	now       func() time.Time
	idle, max time.Duration
	// hashing bounds the argon2id checks running at once (19 MiB each), so a flood of sign-in
	// attempts cannot exhaust memory.
	hashing chan struct{}
}

// NewService returns the sign-in service. Zero lifetimes take the defaults.
func NewService(st SessionStore, now func() time.Time, idle, max time.Duration) *Service {
	if now == nil {
		now = time.Now
	}
	if idle <= 0 {
		idle = DefaultIdle
	}
	if max <= 0 {
		max = DefaultMax
	}
	return &Service{st: st, now: now, idle: idle, max: max, hashing: make(chan struct{}, 4)}
}

// SignIn checks an email and password and starts a session. An unknown email and a wrong password
// get the same error after the same work. Both outcomes go to the audit log, without the password;
// a failure names the account only when it exists, so a password typed into the email box is never kept.
func (s *Service) SignIn(ctx context.Context, email, password, address string) (cookie string, p Principal, err error) {
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := s.st.UserByEmail(ctx, email)
	known := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", Principal{}, err
	}
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return "", Principal{}, ctx.Err()
	}
	ok := PasswordMatches(u.PasswordHash, password) && known && u.Source != store.SourceOIDC
	<-s.hashing
	if !ok {
		actor := "anonymous"
		if known {
			actor = "user:" + u.Email
		}
		if err := s.st.Audit(ctx, store.NewAuditEvent{Actor: actor, Action: ActionSignInFailed, Detail: "password", Address: address}); err != nil {
			return "", Principal{}, err
		}
		return "", Principal{}, ErrBadCredentials
	}
	cookie, p, err = s.StartSession(ctx, u)
	if err != nil {
		return "", Principal{}, err
	}
	return cookie, p, s.st.Audit(ctx, store.NewAuditEvent{Actor: p.Actor(), Action: ActionSignIn, Detail: "password", Address: address})
}

// StartSession opens a session for a person who has proved who they are, and returns the cookie's
// value. Expired sessions are swept now and then, here, rather than by a timer.
func (s *Service) StartSession(ctx context.Context, u store.User) (string, Principal, error) {
	now := s.now().UTC()
	if _, err := s.st.DeleteExpiredSessions(ctx, now.Add(-s.idle), now); err != nil {
		return "", Principal{}, fmt.Errorf("sweep sessions: %w", err)
	}
	cookie := NewSessionID()
	sess := store.Session{IDHash: Hash(cookie), UserID: u.ID, CSRFToken: NewCSRFToken(),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.max)}
	if err := s.st.CreateSession(ctx, sess); err != nil {
		return "", Principal{}, fmt.Errorf("start session: %w", err)
	}
	sess.User = u
	return cookie, personOf(sess), nil
}

// Session returns the person a session cookie belongs to, or ErrNoSession.
func (s *Service) Session(ctx context.Context, cookie string) (Principal, error) {
	if cookie == "" || len(cookie) > 200 {
		return Principal{}, ErrNoSession
	}
	sess, err := s.st.SessionByHash(ctx, Hash(cookie))
	if errors.Is(err, store.ErrNotFound) {
		return Principal{}, ErrNoSession
	}
	if err != nil {
		return Principal{}, err
	}
	now := s.now().UTC()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.idle {
		if err := s.st.DeleteSession(ctx, sess.IDHash); err != nil {
			return Principal{}, err
		}
		return Principal{}, ErrNoSession
	}
	if now.Sub(sess.LastSeenAt) >= min(touchEvery, s.idle/10) {
		err := s.st.TouchSession(ctx, sess.IDHash, now)
		if errors.Is(err, store.ErrNotFound) {
			return Principal{}, ErrNoSession // signed out in another tab a moment ago
		}
		if err != nil {
			return Principal{}, err
		}
	}
	return personOf(sess), nil
}

// SignOut ends the caller's session on the server, so the cookie is worthless even if kept.
func (s *Service) SignOut(ctx context.Context, p Principal, address string) error {
	if p.Kind != Person || p.Session == "" {
		return nil
	}
	if err := s.st.DeleteSession(ctx, p.Session); err != nil {
		return err
	}
	return s.st.Audit(ctx, store.NewAuditEvent{Actor: p.Actor(), Action: ActionSignOut, Address: address})
}

// Token returns the program a bearer token belongs to, or ErrBadToken, and notes the day it was used.
func (s *Service) Token(ctx context.Context, token string) (Principal, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 200 {
		return Principal{}, ErrBadToken
	}
	t, err := s.st.TokenByHash(ctx, Hash(token))
	if errors.Is(err, store.ErrNotFound) {
		return Principal{}, ErrBadToken
	}
	if err != nil {
		return Principal{}, err
	}
	now := s.now().UTC()
	if t.RevokedAt != nil || (t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)) {
		return Principal{}, ErrBadToken
	}
	// Written once a day at most, so a busy script does not queue on the one writer.
	if today := now.Format(time.DateOnly); t.LastUsedOn != today {
		if err := s.st.MarkTokenUsed(ctx, t.ID, today); err != nil {
			return Principal{}, err
		}
	}
	p := Principal{Kind: Program, Name: t.Name, Role: Role(t.Role), Comments: t.Comments}
	if t.ScopeTeam != nil {
		p.Scope = t.ScopeTeam.Key
	}
	return p, nil
}

func personOf(sess store.Session) Principal {
	u := sess.User
	p := Principal{Kind: Person, Name: u.Email, Role: Role(u.Role), Comments: u.Comments,
		Session: sess.IDHash, CSRF: sess.CSRFToken}
	if u.ScopeTeam != nil {
		p.Scope = u.ScopeTeam.Key
	}
	return p
}
