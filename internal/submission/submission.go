// Package submission holds the rules of a submission: its answers checked against the wave's
// definition version, scored and hashed; its team or invitation resolved; a retry told from a
// conflict, before and after the wave closes; and the respondent's receipt. It knows nothing of
// HTTP: the handler decodes, calls it and writes the answer.
package submission

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"

	"skillsurvey/internal/scoring"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// Store is what submissions need from storage.
type Store interface {
	WaveTeam(ctx context.Context, waveID uint, key string) (store.Team, error)
	TeamByID(ctx context.Context, id uint) (store.Team, error)
	SaveBatch(ctx context.Context, rs []store.NewResponse) []store.Outcome
	FindResponse(ctx context.Context, waveID uint, submissionHash, contentHash string) (store.Saved, error)
}

// Definitions returns a definition version, parsed.
type Definitions func(ctx context.Context, version string) (*survey.Definition, error)

// Passes checks the pass of someone who signed in to answer a verified wave: *access.Passes.
type Passes interface {
	// Check returns the keyed hash of the person the pass was made for, when it is genuine, of
	// wave waveID and not expired.
	Check(pass string, waveID uint) (person string, err error)
}

// Service applies the rules of a submission, and stores what passes them.
type Service struct {
	store       Store
	definitions Definitions
	now         func() time.Time
	commits     *committer
	// passes is nil where respondents cannot sign in: verified waves cannot be answered.
	passes Passes
}

// Option sets up a Service.
type Option func(*Service)

// WithPasses lets respondents answer verified waves, signed in, with passes checked by p.
func WithPasses(p Passes) Option { return func(s *Service) { s.passes = p } }

// WithBatchSizes has batchSize told the size of each batch of responses written together, as it
// is written (for metrics).
func WithBatchSizes(batchSize func(n int)) Option {
	return func(s *Service) { s.commits.batched = batchSize }
}

// Waiting is how many responses wait for the next batch to be written (for metrics).
func (s *Service) Waiting() int { return s.commits.queued() }

// NewService returns a Service over st, finding definition versions with definitions and dating
// responses by now.
func NewService(st Store, definitions Definitions, now func() time.Time, opts ...Option) *Service {
	s := &Service{store: st, definitions: definitions, now: now, commits: &committer{saveBatch: st.SaveBatch}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Errors of a submission, each a different answer to the respondent.
var (
	// ErrTeamNotFound is a team key that names no team of the wave's hierarchy, or a retired one.
	ErrTeamNotFound = errors.New("submission: no team with this key to answer for")
	// ErrConflict is a submission_id already used for different content.
	ErrConflict = errors.New("submission: submission_id already used for different answers")
	// ErrInvitation is an invitation code that is unknown, of another wave, or used.
	ErrInvitation = errors.New("submission: invitation code is not valid for this wave, or has been used")
	// ErrWaveClosed is a submission to a closed wave that repeats nothing stored before it closed.
	ErrWaveClosed = errors.New("submission: the wave has closed")
	// ErrSignInRequired is a submission to a verified wave without a valid pass for it: none,
	// forged, of another wave or expired.
	ErrSignInRequired = errors.New("submission: sign in to answer this wave")
	// ErrSignInUnavailable is a submission to a verified wave where respondents cannot sign in.
	ErrSignInUnavailable = errors.New("submission: this wave is answered signed in, which this service cannot do now")
	// ErrAlreadyAnswered is a second response from the same person to a verified wave.
	ErrAlreadyAnswered = errors.New("submission: this person has already answered this wave")
)

// Invalid names each field of a submission that breaks a rule, with what is wrong with it.
type Invalid struct {
	Fields map[string]string
}

func (e *Invalid) Error() string {
	return fmt.Sprintf("submission: %d fields are not valid", len(e.Fields))
}

// Submission is a submission as the respondent sent it.
type Submission struct {
	// ID is the client's submission_id, a UUID; its case does not matter.
	ID string
	// Team is the key of the chosen team; an invite wave's code names the team instead.
	Team string
	// InvitationCode is the one-time code of an invite wave.
	InvitationCode string
	// Pass is the respondent's pass of a verified wave, as their browser sent it.
	Pass    string
	Answers map[string]json.RawMessage
}

// Checked is a submission that passed every rule, scored and hashed, ready to save.
type Checked struct {
	sub      Submission
	wave     store.Wave
	def      *survey.Definition
	response store.NewResponse
}

// Check applies the rules to a submission for wave w: the pass of a verified wave first, then the
// team or invitation the wave's mode asks for, and the answers against the wave's definition
// version. refused holds the fields the caller already found malformed, so every bad field is
// named at once, in an *Invalid; an unknown or retired team is ErrTeamNotFound, whatever else is
// wrong.
func (s *Service) Check(ctx context.Context, w store.Wave, sub Submission, refused map[string]string) (Checked, error) {
	person, err := s.person(w, sub.Pass)
	if err != nil {
		return Checked{}, err
	}
	def, err := s.definitions(ctx, w.DefinitionVersion)
	if err != nil {
		return Checked{}, fmt.Errorf("check submission: %w", err)
	}
	fields := map[string]string{}
	maps.Copy(fields, refused)
	teamID, invitationHash, err := s.respondent(ctx, w, sub, fields)
	if err != nil {
		return Checked{}, err
	}
	answers, problems := def.CheckAnswers(sub.Answers)
	maps.Copy(fields, problems)
	if len(fields) > 0 {
		return Checked{}, &Invalid{Fields: fields}
	}
	o := Origin{WaveID: w.ID, TeamID: teamID, InvitationHash: invitationHash, Person: person, SubmissionID: sub.ID,
		TeamKey: sub.Team, Day: s.now().UTC().Format(time.DateOnly), Rules: scoring.Rules(w.ScoringRules)}
	return Checked{sub: sub, wave: w, def: def, response: Response(def, answers, o)}, nil
}

// person is who answers a verified wave, by the keyed hash their pass carries; "" in any other wave,
// whose submissions' passes are not even read.
func (s *Service) person(w store.Wave, pass string) (string, error) {
	if w.Mode != store.ModeVerified {
		return "", nil
	}
	if s.passes == nil {
		return "", ErrSignInUnavailable
	}
	person, err := s.passes.Check(pass, w.ID)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrSignInRequired, err)
	}
	return person, nil
}

// respondent resolves who answers: the chosen team of a wave that is not an invite wave, or the
// hashed code of an invite wave, which is spent, and its team found, only as the response is
// stored. What is missing or out of place is added to fields.
func (s *Service) respondent(ctx context.Context, w store.Wave, sub Submission, fields map[string]string) (teamID uint, invitationHash string, err error) {
	if w.Mode == store.ModeInvite {
		if sub.InvitationCode == "" {
			fields["invitation_code"] = "is required: this wave is answered with an invitation code"
		}
		if sub.Team != "" {
			fields["team"] = "leave out: the invitation code names the team"
		}
		return 0, store.HashCode(sub.InvitationCode), nil
	}
	if sub.InvitationCode != "" {
		fields["invitation_code"] = "leave out: this wave takes no invitation codes"
	}
	if sub.Team == "" {
		fields["team"] = "is required: choose the team you answer for"
		return 0, "", nil
	}
	if _, bad := fields["team"]; bad {
		return 0, "", nil // malformed: not looked up
	}
	t, err := s.store.WaveTeam(ctx, w.ID, sub.Team)
	if errors.Is(err, store.ErrNotFound) || err == nil && t.Retired {
		return 0, "", ErrTeamNotFound
	}
	if err != nil {
		return 0, "", fmt.Errorf("check submission: %w", err)
	}
	return t.ID, "", nil
}

// Save stores a checked submission once per submission_id. Sent again with the same content (its
// answer may have been lost), it gets the first receipt and created is false; with other content
// it is ErrConflict. An invitation code that is unknown, of another wave or used is ErrInvitation;
// a second answer from the same person to a verified wave, ErrAlreadyAnswered.
// Submissions saved at the same time are written together, and each answered once on disk.
func (s *Service) Save(ctx context.Context, c Checked) (rc Receipt, created bool, err error) {
	o := s.commits.save(ctx, c.response)
	saved, created, err := o.Saved, o.Created, o.Err
	switch {
	case errors.Is(err, store.ErrDifferentAnswers):
		return Receipt{}, false, ErrConflict
	case errors.Is(err, store.ErrInvitation):
		return Receipt{}, false, ErrInvitation
	case errors.Is(err, store.ErrAlreadyAnswered):
		return Receipt{}, false, ErrAlreadyAnswered
	case err != nil:
		return Receipt{}, false, err
	}
	rc, err = s.receipt(ctx, c, saved)
	return rc, created, err
}

// Replay answers a submission to wave w after it closed. One that repeats a response stored before
// the wave closed (the same submission_id and content) may have lost its answer on the way, and
// gets the first receipt; anything else is ErrWaveClosed, bad fields, unknown teams and a verified
// wave's missing pass included.
func (s *Service) Replay(ctx context.Context, w store.Wave, sub Submission, refused map[string]string) (Receipt, error) {
	c, err := s.Check(ctx, w, sub, refused)
	var invalid *Invalid
	if errors.As(err, &invalid) || errors.Is(err, ErrTeamNotFound) || errors.Is(err, ErrSignInRequired) ||
		errors.Is(err, ErrSignInUnavailable) {
		return Receipt{}, ErrWaveClosed // not a retry of anything stored
	}
	if err != nil {
		return Receipt{}, err
	}
	saved, err := s.store.FindResponse(ctx, w.ID, c.response.SubmissionHash, c.response.ContentHash)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrDifferentAnswers) {
		return Receipt{}, ErrWaveClosed
	}
	if err != nil {
		return Receipt{}, err
	}
	return s.receipt(ctx, c, saved)
}
