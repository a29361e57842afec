package access

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"skillsurvey/internal/store"
)

// Audit actions: what the audit log says happened. Never with answers, codes, passwords or tokens.
const (
	ActionSignIn            = "sign-in"
	ActionSignInFailed      = "sign-in.failed"
	ActionSignOut           = "sign-out"
	ActionUserAdd           = "user.add"
	ActionUserRemove        = "user.remove"
	ActionTokenCreate       = "token.create"
	ActionTokenRevoke       = "token.revoke"
	ActionWaveCreate        = "wave.create"
	ActionWaveOpen          = "wave.open"
	ActionWaveClose         = "wave.close"
	ActionTeamsImport       = "teams.import"
	ActionInvitationsCreate = "invitations.create"
	ActionReportExport      = "report.export"
	ActionTokenUse          = "token.use"
	ActionFocusSet          = "focus.set"
	ActionBackup            = "backup"
)

// CommandLineActor names the command line in the audit log: whoever can run it owns the database.
const CommandLineActor = "cli"

// Actor is who asks for a change, as the audit log names them, and from where.
type Actor struct {
	// Name is CommandLineActor, or the Principal's Actor() through the API.
	Name string
	// Address is the client's address; empty on the command line.
	Address string
}

// ActorOf is the actor of a signed-in caller's request from the given address.
func ActorOf(p Principal, address string) Actor { return Actor{Name: p.Actor(), Address: address} }

// Check refuses a change nobody would answer for in the audit log. Ask it before the change.
func (actor Actor) Check() error {
	if strings.TrimSpace(actor.Name) == "" {
		return errors.New("a change needs an actor to name in the audit log")
	}
	return nil
}

// Auditor writes the audit log: *store.Store.
type Auditor interface {
	Audit(ctx context.Context, e store.NewAuditEvent) error
}

// Record writes the audit event of a change the actor has just made. Every change is recorded
// through it, below the command line and the API alike, so one action reads the same whichever
// way it came in. Never pass answers, invitation codes, passwords or tokens.
func Record(ctx context.Context, st Auditor, actor Actor, action, target, detail string) error {
	err := st.Audit(ctx, store.NewAuditEvent{Actor: actor.Name, Action: action, Target: target, Detail: detail, Address: actor.Address})
	if err != nil {
		return fmt.Errorf("%s %s was done, but the audit log could not be written: %w", action, target, err)
	}
	return nil
}
