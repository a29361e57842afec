package waves

import (
	"context"
	"fmt"

	"skillsurvey/internal/access"
	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// The changes below are the only way the command line and the admin API change waves, teams and
// invitation codes: each makes the change and writes its audit event in one wording, so the log
// reads the same whichever way the change came in. An event is written after its change, and a
// change is refused before it is made when it has no actor to name.

// Creator stores a wave: *store.Store.
type Creator interface {
	CreateWave(ctx context.Context, def *survey.Definition, nw store.NewWave) (store.Wave, error)
	access.Auditor
}

// Changer opens and closes waves: *store.Store.
type Changer interface {
	OpenWave(ctx context.Context, key string) (store.Wave, error)
	CloseWave(ctx context.Context, key string) (store.Wave, error)
	access.Auditor
}

// Inviter makes invitation codes: *store.Store.
type Inviter interface {
	CreateInvitations(ctx context.Context, waveKey, teamKey string, count int) ([]string, error)
	access.Auditor
}

// TeamImporter replaces the team hierarchy: *store.Store.
type TeamImporter interface {
	ImportTeams(ctx context.Context, teams []hierarchy.Team) (store.ImportSummary, error)
	access.Auditor
}

// Create checks a new wave against what setup offers, stores it with the current version of its
// survey's definition and audits it (wave.create). Bad input is an access.Problems error; a key
// already used is the store's ErrConflict.
func Create(ctx context.Context, st Creator, actor access.Actor, setup Setup, surveyID string, nw store.NewWave) (store.Wave, error) {
	if err := actor.Check(); err != nil {
		return store.Wave{}, err
	}
	def, nw, err := Validate(setup, surveyID, nw)
	if err != nil {
		return store.Wave{}, err
	}
	w, err := st.CreateWave(ctx, def, nw)
	if err != nil {
		return store.Wave{}, err
	}
	detail := fmt.Sprintf("survey=%s mode=%s threshold=%d", w.SurveyID, w.Mode, w.Threshold)
	if err := access.Record(ctx, st, actor, access.ActionWaveCreate, target(w.Key), detail); err != nil {
		return store.Wave{}, err
	}
	return w, nil
}

// Open opens a scheduled wave now and audits it (wave.open). An unknown key is the store's
// ErrNotFound; a wave already open or closed, its ErrConflict.
func Open(ctx context.Context, st Changer, actor access.Actor, key string) (store.Wave, error) {
	return change(ctx, st, actor, access.ActionWaveOpen, key, st.OpenWave)
}

// Close closes an open wave now and audits it (wave.close). An unknown key is the store's
// ErrNotFound; a wave not open, its ErrConflict.
func Close(ctx context.Context, st Changer, actor access.Actor, key string) (store.Wave, error) {
	return change(ctx, st, actor, access.ActionWaveClose, key, st.CloseWave)
}

// change changes the state of the wave with the given key by do, and audits it under action.
func change(ctx context.Context, st access.Auditor, actor access.Actor, action, key string,
	do func(context.Context, string) (store.Wave, error)) (store.Wave, error) {
	if err := actor.Check(); err != nil {
		return store.Wave{}, err
	}
	w, err := do(ctx, key)
	if err != nil {
		return store.Wave{}, err
	}
	if err := access.Record(ctx, st, actor, action, target(w.Key), ""); err != nil {
		return store.Wave{}, err
	}
	return w, nil
}

// Invite makes count one-time codes for a team of an invite wave and audits it
// (invitations.create), with the team and how many, never the codes: the audit event is written
// before anyone sees them, since a code nobody has seen is no risk and an unrecorded one is. An
// unknown wave or team is the store's ErrNotFound; an open wave, a closed one or a retired team,
// its ErrConflict.
func Invite(ctx context.Context, st Inviter, actor access.Actor, waveKey, teamKey string, count int) ([]string, error) {
	if err := actor.Check(); err != nil {
		return nil, err
	}
	codes, err := st.CreateInvitations(ctx, waveKey, teamKey, count)
	if err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("team=%s count=%d", teamKey, len(codes))
	if err := access.Record(ctx, st, actor, access.ActionInvitationsCreate, target(waveKey), detail); err != nil {
		return nil, err
	}
	return codes, nil
}

// ImportTeams makes the team hierarchy that waves ask what teams says, all or nothing, and audits
// it (teams.import). The teams must have passed hierarchy.Check, as hierarchy.Read does. It lives
// here rather than in package hierarchy, which the store imports and so cannot call.
func ImportTeams(ctx context.Context, st TeamImporter, actor access.Actor, teams []hierarchy.Team) (store.ImportSummary, error) {
	if err := actor.Check(); err != nil {
		return store.ImportSummary{}, err
	}
	sum, err := st.ImportTeams(ctx, teams)
	if err != nil {
		return store.ImportSummary{}, err
	}
	detail := fmt.Sprintf("teams=%d created=%d updated=%d renamed=%d retired=%d", len(teams), sum.Created, sum.Updated, sum.Renamed, sum.Retired)
	if err := access.Record(ctx, st, actor, access.ActionTeamsImport, "teams", detail); err != nil {
		return store.ImportSummary{}, err
	}
	return sum, nil
}

// target names a wave in the audit log.
func target(key string) string { return "wave:" + key }
