package waves

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"skillsurvey/internal/access"
	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/store"
)

// The two ways in: the command line, and an admin signed in to the API or the admin pages.
var (
	cli   = access.Actor{Name: access.CommandLineActor}
	admin = access.ActorOf(access.Principal{Kind: access.Person, Name: "admin@example.org"}, "203.0.113.7")
)

var threeTeams = []hierarchy.Team{
	{Line: 2, Key: "department", Name: "The department"},
	{Line: 3, Key: "comms", Name: "Communications", Parent: "department"},
	{Line: 4, Key: "digital", Name: "Digital", Parent: "comms"},
}

// inviteWave is a scheduled invite wave with no times, so opening and closing it is up to the test.
func inviteWave() store.NewWave {
	return store.NewWave{Key: "w1", Title: "Wave one", Mode: store.ModeInvite, Threshold: 4}
}

// auditRows is the audit log oldest first, one "action|target|detail" a row, after checking that
// every row names actor and its address.
func auditRows(t *testing.T, st *store.Store, actor access.Actor) []string {
	t.Helper()
	events, _, err := st.AuditEvents(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]string, len(events))
	for i, e := range events {
		if e.Actor != actor.Name || e.Address != actor.Address {
			t.Errorf("event %s by %q from %q, want %q from %q", e.Action, e.Actor, e.Address, actor.Name, actor.Address)
		}
		rows[len(events)-1-i] = e.Action + "|" + e.Target + "|" + e.Detail
	}
	return rows
}

// TestChangesAuditOneWording: each change writes one event, worded the same whichever way it came
// in; only the actor and the address tell the ways apart. The codes never reach the log.
func TestChangesAuditOneWording(t *testing.T) {
	t.Parallel()
	want := []string{
		"teams.import|teams|teams=3 created=3 updated=0 renamed=0 retired=0",
		"wave.create|wave:w1|survey=small mode=invite threshold=4",
		"wave.open|wave:w1|",
		"invitations.create|wave:w1|team=digital count=3",
		"wave.close|wave:w1|",
		"teams.import|teams|teams=2 created=0 updated=1 renamed=0 retired=1",
	}
	ctx := context.Background()
	defs := loadSmall(t)
	got := map[string][]string{}
	for _, actor := range []access.Actor{cli, admin} {
		st := openStore(t)
		if _, err := ImportTeams(ctx, st, actor, threeTeams); err != nil {
			t.Fatalf("ImportTeams: %v", err)
		}
		if _, err := Create(ctx, st, actor, Setup{Definitions: defs}, "small", inviteWave()); err != nil {
			t.Fatalf("Create: %v", err)
		}
		if w, err := Open(ctx, st, actor, "w1"); err != nil || w.Key != "w1" {
			t.Fatalf("Open = %+v, %v", w, err)
		}
		codes, err := Invite(ctx, st, actor, "w1", "digital", 3)
		if err != nil || len(codes) != 3 {
			t.Fatalf("Invite = %v, %v; want 3 codes", codes, err)
		}
		if w, err := Close(ctx, st, actor, "w1"); err != nil || w.Key != "w1" {
			t.Fatalf("Close = %+v, %v", w, err)
		}
		renamed := []hierarchy.Team{threeTeams[0], {Line: 3, Key: "comms", Name: "Comms", Parent: "department"}}
		sum, err := ImportTeams(ctx, st, actor, renamed)
		if err != nil || sum != (store.ImportSummary{Updated: 1, Retired: 1}) {
			t.Fatalf("ImportTeams again = %+v, %v", sum, err)
		}
		got[actor.Name] = auditRows(t, st, actor)
		for _, row := range got[actor.Name] {
			for _, code := range codes {
				if strings.Contains(row, code) {
					t.Errorf("the audit log shows invitation code %s: %q", code, row)
				}
			}
		}
	}
	if !reflect.DeepEqual(got[cli.Name], want) {
		t.Errorf("through the command line, the audit log reads\n%s\nwant\n%s", strings.Join(got[cli.Name], "\n"), strings.Join(want, "\n"))
	}
	if !reflect.DeepEqual(got[admin.Name], got[cli.Name]) {
		t.Errorf("the API's audit log reads\n%s\nthe command line's\n%s", strings.Join(got[admin.Name], "\n"), strings.Join(got[cli.Name], "\n"))
	}
}

// TestRefusedChangesAreNotAudited: a change refused, for want of an actor or by the rules, changes
// nothing and writes nothing.
func TestRefusedChangesAreNotAudited(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	defs := loadSmall(t)
	st := openStore(t)
	if _, err := ImportTeams(ctx, st, cli, threeTeams); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(ctx, st, cli, Setup{Definitions: defs}, "small", inviteWave()); err != nil {
		t.Fatal(err)
	}
	before := len(auditRows(t, st, cli))

	for _, nobody := range []access.Actor{{}, {Name: " ", Address: "203.0.113.7"}} {
		other := inviteWave()
		other.Key = "w2"
		if _, err := Create(ctx, st, nobody, Setup{Definitions: defs}, "small", other); err == nil {
			t.Errorf("Create by %+v: no error", nobody)
		}
		if _, err := st.Wave(ctx, "w2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Create by %+v stored the wave: %v", nobody, err)
		}
		if _, err := Open(ctx, st, nobody, "w1"); err == nil {
			t.Errorf("Open by %+v: no error", nobody)
		}
		if w, err := st.Wave(ctx, "w1"); err != nil || w.OpensAt != nil {
			t.Errorf("Open by %+v opened the wave: %+v, %v", nobody, w, err)
		}
		if _, err := Close(ctx, st, nobody, "w1"); err == nil {
			t.Errorf("Close by %+v: no error", nobody)
		}
		if codes, err := Invite(ctx, st, nobody, "w1", "digital", 2); err == nil || codes != nil {
			t.Errorf("Invite by %+v = %v, %v; want no codes and an error", nobody, codes, err)
		}
		if _, err := ImportTeams(ctx, st, nobody, threeTeams[:1]); err == nil {
			t.Errorf("ImportTeams by %+v: no error", nobody)
		}
		if teams, err := st.Teams(ctx, false); err != nil || len(teams) != 3 {
			t.Errorf("ImportTeams by %+v changed the teams: %d current, %v", nobody, len(teams), err)
		}
	}

	if _, err := Create(ctx, st, cli, Setup{Definitions: defs}, "small", inviteWave()); !errors.Is(err, store.ErrConflict) {
		t.Errorf("Create of a used key: err = %v, want ErrConflict", err)
	}
	if _, err := Close(ctx, st, cli, "w1"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("Close of a scheduled wave: err = %v, want ErrConflict", err)
	}
	if _, err := Open(ctx, st, cli, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Open of an unknown wave: err = %v, want ErrNotFound", err)
	}
	if _, err := Invite(ctx, st, cli, "w1", "nope", 2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Invite for an unknown team: err = %v, want ErrNotFound", err)
	}
	if after := len(auditRows(t, st, cli)); after != before {
		t.Errorf("refused changes wrote %d audit events", after-before)
	}
}

// failingAudit is a store whose audit log cannot be written.
type failingAudit struct{ *store.Store }

var errAuditDown = errors.New("disk full")

func (failingAudit) Audit(context.Context, store.NewAuditEvent) error { return errAuditDown }

// TestUnrecordedChangeIsAnError: a change the audit log could not record is reported, so nobody
// takes it for done and recorded; and the codes of an unrecorded invitation are never handed out.
func TestUnrecordedChangeIsAnError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := failingAudit{openStore(t)}
	unrecorded := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, errAuditDown) || !strings.Contains(err.Error(), "the audit log could not be written") {
			t.Errorf("%s: err = %v, want the audit log's failure", what, err)
		}
	}
	_, err := ImportTeams(ctx, st, cli, threeTeams)
	unrecorded("ImportTeams", err)
	_, err = Create(ctx, st, cli, Setup{Definitions: loadSmall(t)}, "small", inviteWave())
	unrecorded("Create", err)
	_, err = Open(ctx, st, cli, "w1")
	unrecorded("Open", err)
	codes, err := Invite(ctx, st, cli, "w1", "digital", 2)
	unrecorded("Invite", err)
	if codes != nil {
		t.Errorf("Invite handed out %d codes it could not record", len(codes))
	}
	_, err = Close(ctx, st, cli, "w1")
	unrecorded("Close", err)
}
