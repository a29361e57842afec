package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"

	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// MaxSubmissionBytes is the largest submission body accepted. A full questionnaire with every free
// text at its longest is well under it.
const MaxSubmissionBytes = 256 << 10

// submission is the body of POST /waves/{wave}/responses.
type submission struct {
	SubmissionID   string                     `json:"submission_id" validate:"required,uuid"`
	Team           string                     `json:"team" validate:"omitempty,max=64"`
	InvitationCode string                     `json:"invitation_code" validate:"omitempty,max=64"`
	Answers        map[string]json.RawMessage `json:"answers" validate:"required"`
}

// scoreJSON is a score and its stage; both null when there is no score.
type scoreJSON struct {
	Score *float64 `json:"score"`
	Stage *string  `json:"stage"`
}

// receipt is what a respondent gets back: their own scores.
type receipt struct {
	SubmissionID string               `json:"submission_id"`
	Wave         string               `json:"wave"`
	Team         string               `json:"team"`
	SubmittedOn  string               `json:"submitted_on"`
	Overall      scoreJSON            `json:"overall"`
	Dimensions   map[string]scoreJSON `json:"dimensions"`
}

// submit answers POST /waves/{wave}/responses: check, score and store a response, once per submission_id.
func (h *respondentHandlers) submit(c *gin.Context) {
	var sub submission
	if err := h.bind(c, &sub); err != nil {
		respondError(c, err)
		return
	}
	w, err := h.openWave(c)
	if errors.Is(err, errWaveClosed) {
		h.replay(c, w, sub)
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	nr, def, err := h.prepare(c, w, sub)
	if err != nil {
		respondError(c, err)
		return
	}
	// Wrong codes count against the address, so codes cannot be guessed; good ones never do.
	if blocked, wait := h.codes.Blocked(clientAddress(c)); blocked && sub.InvitationCode != "" {
		respondLimited(c, wait)
		return
	}
	saved, created, err := h.store.SaveResponse(c.Request.Context(), nr)
	switch {
	case errors.Is(err, store.ErrDifferentAnswers):
		err = newError(http.StatusConflict, "duplicate_submission", "this submission_id was already used for different answers")
	case errors.Is(err, store.ErrInvitation):
		h.codes.Spend(clientAddress(c))
		err = newError(http.StatusForbidden, "invitation_invalid", "this invitation code is not valid for this wave, or has been used")
	}
	if err != nil {
		respondError(c, err)
		return
	}
	rc, err := h.receipt(c, def, w, sub, saved)
	if err != nil {
		respondError(c, err)
		return
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	c.JSON(status, rc)
}

// replay answers a submission to a closed wave: with the first receipt when it is a retry of a
// response stored before the wave closed (its reply may have been lost), else 409 wave_closed.
func (h *respondentHandlers) replay(c *gin.Context, w store.Wave, sub submission) {
	nr, def, err := h.prepare(c, w, sub)
	var refused *apiError
	if errors.As(err, &refused) {
		respondError(c, errWaveClosed) // not a retry of anything stored: the wave is closed
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	saved, err := h.store.FindResponse(c.Request.Context(), w.ID, nr.SubmissionHash, nr.ContentHash)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrDifferentAnswers) {
			respondError(c, err)
			return
		}
		respondError(c, errWaveClosed)
		return
	}
	rc, err := h.receipt(c, def, w, sub, saved)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, rc)
}

// bind reads the body strictly: malformed JSON, unknown top-level fields or trailing data are 400,
// and a body over the limit 413.
func (h *respondentHandlers) bind(c *gin.Context, sub *submission) error {
	var raw json.RawMessage
	dec := json.NewDecoder(c.Request.Body)
	if err := dec.Decode(&raw); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if tooLarge(err) {
			return errTooLarge
		}
		return malformed("the body must hold one JSON object and nothing after it")
	}
	if raw[0] != '{' {
		return malformed("the body must be a JSON object with submission_id, team and answers")
	}
	strict := json.NewDecoder(bytes.NewReader(raw))
	strict.DisallowUnknownFields()
	if err := strict.Decode(sub); err != nil {
		return decodeError(err)
	}
	return nil
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

func decodeError(err error) error {
	var ute *json.UnmarshalTypeError
	switch {
	case tooLarge(err):
		return errTooLarge
	case errors.As(err, &ute):
		return malformed(fmt.Sprintf("field %q must be %s", ute.Field, jsonKind(ute.Type.Kind().String())))
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return malformed(strings.TrimPrefix(err.Error(), "json: ") + "; the fields are submission_id, team, invitation_code and answers")
	case errors.Is(err, io.EOF):
		return malformed("the body is empty; send a JSON object")
	}
	return malformed("the body is not valid JSON: " + strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(kind string) string {
	switch kind {
	case "map":
		return "an object"
	case "string":
		return "a string"
	}
	return kind
}

var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return name
	})
	return v
}

// shapeErrors names each field of the submission that breaks a binding rule.
func shapeErrors(sub submission) map[string]string {
	fields := map[string]string{}
	err := validate.Struct(sub)
	if err == nil {
		return fields
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		fields["body"] = "is not valid"
		return fields
	}
	for _, fe := range ves {
		switch fe.Tag() {
		case "required":
			fields[fe.Field()] = "is required"
		case "uuid":
			fields[fe.Field()] = "must be a UUID made by the client, such as 0b6f7c9e-5d7a-4a37-9d2c-3f1e2a9b8c71"
		case "max":
			fields[fe.Field()] = fmt.Sprintf("must be at most %s characters", fe.Param())
		default:
			fields[fe.Field()] = "is not valid"
		}
	}
	return fields
}

// prepare checks the submission's fields, team or invitation, and answers, and scores them. Every
// bad field is reported at once.
func (h *respondentHandlers) prepare(c *gin.Context, w store.Wave, sub submission) (store.NewResponse, *survey.Definition, error) {
	ctx := c.Request.Context()
	def, err := h.definitions.get(ctx, w.DefinitionVersion)
	if err != nil {
		return store.NewResponse{}, nil, err
	}
	nr := store.NewResponse{WaveID: w.ID, DefinitionVersion: def.Version, SubmittedOn: h.now().UTC().Format("2006-01-02")}
	fields := shapeErrors(sub)
	if err := h.resolveTeam(c, w, sub, &nr, fields); err != nil {
		return store.NewResponse{}, nil, err
	}
	answers, errs := def.CheckAnswers(sub.Answers)
	for f, msg := range errs {
		fields[f] = msg
	}
	if len(fields) > 0 {
		return store.NewResponse{}, nil, invalid(fields)
	}
	nr.SetAnswers(def, answers)
	// UUIDs are case-insensitive: one spelling keeps a retry in capitals a retry.
	nr.SubmissionHash = hash(strings.ToLower(sub.SubmissionID))
	// The invitation code stays out of the content hash: the hash is stored with the response, so
	// whoever handed out the codes could otherwise tell which code, and so whom, each response came from.
	nr.ContentHash = hash(sub.Team + "\x00" + string(nr.Answers))
	return nr, def, nil
}

// resolveTeam sets the team of an open wave, or the invitation of an invite wave, adding to fields
// what is missing or out of place. An unknown team is an error of its own (404).
func (h *respondentHandlers) resolveTeam(c *gin.Context, w store.Wave, sub submission, nr *store.NewResponse, fields map[string]string) error {
	if w.Mode == store.ModeInvite {
		if sub.InvitationCode == "" {
			fields["invitation_code"] = "is required: this wave is answered with an invitation code"
		}
		if sub.Team != "" {
			fields["team"] = "leave out: the invitation code names the team"
		}
		nr.InvitationHash = store.HashCode(sub.InvitationCode)
		return nil
	}
	if sub.InvitationCode != "" {
		fields["invitation_code"] = "leave out: this wave takes no invitation codes"
	}
	if sub.Team == "" {
		fields["team"] = "is required: choose the team you answer for"
		return nil
	}
	if _, bad := fields["team"]; bad {
		return nil
	}
	t, err := h.store.Team(c.Request.Context(), sub.Team)
	if errors.Is(err, store.ErrNotFound) || err == nil && t.Retired {
		return errTeamNotFound
	}
	nr.TeamID = t.ID
	return err
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// receipt builds the respondent's receipt from what is stored, so a retry gets the first receipt.
func (h *respondentHandlers) receipt(c *gin.Context, def *survey.Definition, w store.Wave, sub submission, saved store.Saved) (receipt, error) {
	// The stored response matched the submission's content, team included; only an invite wave's
	// team, which the code named, has to be looked up.
	team := sub.Team
	if team == "" {
		t, err := h.store.TeamByID(c.Request.Context(), saved.TeamID)
		if err != nil {
			return receipt{}, err
		}
		team = t.Key
	}
	rc := receipt{SubmissionID: sub.SubmissionID, Wave: w.Key, Team: team, SubmittedOn: saved.SubmittedOn,
		Overall: scoreOf(def, saved.Overall), Dimensions: map[string]scoreJSON{}}
	for _, dim := range def.Dimensions {
		rc.Dimensions[dim.Key] = scoreOf(def, saved.Dimensions[dim.Key])
	}
	return rc, nil
}

// scoreOf rounds a score to one decimal place for the client; the stage comes from the exact score.
func scoreOf(def *survey.Definition, score *float64) scoreJSON {
	if score == nil {
		return scoreJSON{}
	}
	rounded := math.Round(*score*10) / 10
	stage := def.StageFor(*score).Key
	return scoreJSON{Score: &rounded, Stage: &stage}
}
