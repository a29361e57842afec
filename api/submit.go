package api

import (
	"bytes"
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

	"skillsurvey/internal/report"
	"skillsurvey/internal/store"
	"skillsurvey/internal/submission"
	"skillsurvey/internal/survey"
)

// MaxSubmissionBytes is the largest submission body accepted. A full questionnaire with every free
// text at its longest is well under it.
const MaxSubmissionBytes = 256 << 10

// submissionBody is the body of POST /waves/{wave}/responses.
type submissionBody struct {
	SubmissionID   string                     `json:"submission_id" validate:"required,uuid"`
	Team           string                     `json:"team" validate:"omitempty,max=64"`
	InvitationCode string                     `json:"invitation_code" validate:"omitempty,max=64"`
	Answers        map[string]json.RawMessage `json:"answers" validate:"required"`
}

// submission is the body as the submission rules take it, with the respondent's pass of a verified
// wave, which comes in its cookie, never in the body.
func (b submissionBody) submission(pass string) submission.Submission {
	return submission.Submission{ID: b.SubmissionID, Team: b.Team, InvitationCode: b.InvitationCode, Pass: pass, Answers: b.Answers}
}

// scoreJSON is a score and its stage; both null when there is no score.
type scoreJSON struct {
	Score *float64     `json:"score"`
	Stage *string      `json:"stage"`
	Next  *report.Next `json:"next,omitempty"` // the same shape as a report's next step
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

// submit answers POST /waves/{wave}/responses: the submission rules check, score and store a
// response, once per submission_id (and once per person in a verified wave, whose pass rides in
// its cookie).
func (h *respondentHandlers) submit(c *gin.Context) {
	var body submissionBody
	if err := h.bind(c, &body); err != nil {
		respondError(c, err)
		return
	}
	pass, _ := c.Cookie(passCookie(isSecure(c)))
	sub := body.submission(pass)
	w, err := h.openWave(c)
	if errors.Is(err, errWaveClosed) {
		h.replay(c, w, sub, shapeErrors(body))
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	checked, err := h.submissions.Check(c.Request.Context(), w, sub, shapeErrors(body))
	if err != nil {
		respondSubmissionError(c, err, w)
		return
	}
	// Wrong codes count against the address, so codes cannot be guessed; good ones never do.
	if body.InvitationCode != "" {
		if blocked, wait := h.codes.Blocked(clientAddress(c)); blocked {
			respondLimited(c, wait)
			return
		}
	}
	rc, created, err := h.submissions.Save(c.Request.Context(), checked)
	if errors.Is(err, submission.ErrInvitation) {
		h.codes.Spend(clientAddress(c))
	}
	if err != nil {
		respondSubmissionError(c, err, w)
		return
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	c.JSON(status, receiptOf(rc))
}

// replay answers a submission to a closed wave: with the first receipt when it repeats a response
// stored before the wave closed (its reply may have been lost), else 409 wave_closed.
func (h *respondentHandlers) replay(c *gin.Context, w store.Wave, sub submission.Submission, refused map[string]string) {
	rc, err := h.submissions.Replay(c.Request.Context(), w, sub, refused)
	if err != nil {
		respondSubmissionError(c, err, w)
		return
	}
	c.JSON(http.StatusOK, receiptOf(rc))
}

// respondSubmissionError answers a refusal of the submission rules for wave w. A refusal for want
// of signing in says where to sign in, in the message and in the 401's challenge.
func respondSubmissionError(c *gin.Context, err error, w store.Wave) {
	if errors.Is(err, submission.ErrSignInRequired) {
		c.Header("WWW-Authenticate", `SignIn realm="skillsurvey", sign_in="`+signInAddress(w.Key)+`"`)
	}
	respondError(c, submissionError(err, w))
}

// submissionError turns the refusals of the submission rules for wave w into the error shape; any
// other error stays internal.
func submissionError(err error, w store.Wave) error {
	var bad *submission.Invalid
	switch {
	case errors.Is(err, submission.ErrSignInRequired):
		return newError(http.StatusUnauthorized, "sign_in_required",
			"this wave is answered once per person, signed in with your organisation's account: sign in at "+
				signInAddress(w.Key)+", then send your answers again")
	case errors.Is(err, submission.ErrSignInUnavailable):
		return errSignInUnavailable
	case errors.Is(err, submission.ErrAlreadyAnswered):
		return newError(http.StatusConflict, "already_answered", "you have already answered this wave: each person answers once")
	case errors.As(err, &bad):
		return invalid(bad.Fields)
	case errors.Is(err, submission.ErrTeamNotFound):
		return errTeamNotFound
	case errors.Is(err, submission.ErrConflict):
		return newError(http.StatusConflict, "duplicate_submission", "this submission_id was already used for different answers")
	case errors.Is(err, submission.ErrInvitation):
		return newError(http.StatusForbidden, "invitation_invalid", "this invitation code is not valid for this wave, or has been used")
	case errors.Is(err, submission.ErrWaveClosed):
		return errWaveClosed
	}
	return err
}

// bind reads the body strictly: malformed JSON, unknown top-level fields or trailing data are 400,
// and a body over the limit 413.
func (h *respondentHandlers) bind(c *gin.Context, body *submissionBody) error {
	var raw json.RawMessage
	dec := json.NewDecoder(c.Request.Body)
	if err := dec.Decode(&raw); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if tooLarge(err) {
			return errTooLarge
		}
		if be := bodyError(err); be != nil {
			return be
		}
		return malformed("the body must hold one JSON object and nothing after it")
	}
	if raw[0] != '{' {
		return malformed("the body must be a JSON object with submission_id, team and answers")
	}
	strict := json.NewDecoder(bytes.NewReader(raw))
	strict.DisallowUnknownFields()
	if err := strict.Decode(body); err != nil {
		return decodeError(err)
	}
	if err := checkNames(raw, submissionNames); err != nil {
		return err
	}
	if len(body.Answers) > maxAnswers {
		return malformed(fmt.Sprintf("answers holds %d entries; a questionnaire has at most %d questions", len(body.Answers), maxAnswers))
	}
	return nil
}

// submissionNames are the top-level fields of a submission, as spelt.
var submissionNames = jsonNames(reflect.TypeFor[submissionBody]())

// maxAnswers bounds the answers of one submission, as the API document does: no definition has
// more questions, and each unknown one would be named in the answer.
const maxAnswers = survey.MaxQuestions

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

func decodeError(err error) error {
	var ute *json.UnmarshalTypeError
	switch {
	case tooLarge(err):
		return errTooLarge
	case bodyError(err) != nil:
		return bodyError(err)
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
func shapeErrors(body submissionBody) map[string]string {
	fields := map[string]string{}
	err := validate.Struct(body)
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

// receiptOf is the receipt as JSON.
func receiptOf(rc submission.Receipt) receipt {
	out := receipt{SubmissionID: rc.SubmissionID, Wave: rc.Wave, Team: rc.Team, SubmittedOn: rc.SubmittedOn,
		Overall: scoreJSONOf(rc.Overall), Dimensions: make(map[string]scoreJSON, len(rc.Dimensions))}
	for key, sc := range rc.Dimensions {
		out.Dimensions[key] = scoreJSONOf(sc)
	}
	return out
}

// scoreJSONOf rounds a score to one decimal place for the client; its stage came from the exact score.
func scoreJSONOf(sc submission.Score) scoreJSON {
	if sc.Value == nil {
		return scoreJSON{}
	}
	rounded := math.Round(*sc.Value*10) / 10
	stage := sc.Stage
	return scoreJSON{Score: &rounded, Stage: &stage, Next: nextJSONOf(sc.Next)}
}

// nextJSONOf is a respondent's next step, as a report writes one.
func nextJSONOf(n *submission.Next) *report.Next {
	if n == nil {
		return nil
	}
	out := &report.Next{Text: n.Guidance.Text, Links: n.Guidance.Links}
	for _, q := range n.Questions {
		out.Questions = append(out.Questions, report.NextQuestion{Question: q.Question, Text: q.Text, NextLevel: q.NextLevel})
	}
	return out
}
