package api

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/store"
	"skillsurvey/internal/submission"
	"skillsurvey/internal/survey"
)

// surveyForm serves the survey as plain HTML forms, one section a page, for respondents whose
// browser runs no JavaScript (a locked-down machine, say). The answers so far ride in each page's
// form as hidden fields, never stored or logged by the service, until "Send your answers" posts
// them through the same submission rules as the JSON API. The form's submission_id is made once,
// on the first page, so a send posted twice gives the first receipt, not a second response.
type surveyForm struct {
	respondent *respondentHandlers
	pages      pages
}

// formAddress is the plain form of a wave.
func formAddress(waveKey string) string { return surveyAddress(waveKey) + "/form" }

// plainFormRedirect sends /waves/{wave}?form=plain, the survey page's link for browsers without
// JavaScript (a static page cannot know its wave's key), to the wave's plain form; every other
// request gets the survey page.
func plainFormRedirect(page gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Query("form") == "plain" {
			c.Redirect(http.StatusSeeOther, formAddress(c.Param("wave")))
			return
		}
		page(c)
	}
}

// start answers GET /waves/{wave}/form: the start page, with a new submission_id.
func (f *surveyForm) start(c *gin.Context) {
	w, def, ok := f.wave(c)
	if !ok {
		return
	}
	f.showStart(c, w, def, formState{SubmissionID: newSubmissionID(), values: url.Values{}})
}

// step answers POST /waves/{wave}/form: the page after the one posted, or the one posted again
// with what is wrong.
func (f *surveyForm) step(c *gin.Context) {
	w, def, ok := f.wave(c)
	if !ok {
		return
	}
	s, err := readForm(c, def)
	if err != nil {
		f.problem(c, err)
		return
	}
	page, to := c.PostForm("page"), c.PostForm("goto")
	switch {
	case page == "start":
		f.showTeam(c, w, def, s, "")
	case page == "team" && to == "back":
		f.showStart(c, w, def, s)
	case page == "team":
		f.chooseTeam(c, w, def, s)
	case page == "check" && to == "team":
		s.Return = "check"
		f.showTeam(c, w, def, s, "")
	case page == "check" && strings.HasPrefix(to, "section:"):
		s.Return = "check"
		f.showSection(c, w, def, s, to, sectionOpts{})
	case strings.HasPrefix(page, "section:"):
		f.leaveSection(c, w, def, s, page, to)
	default:
		f.problem(c, malformed("The form does not say which page it was sent from. Go back to the start of the survey and try again."))
	}
}

// leaveSection takes a section's answers: back without checking them, else on to the next
// section shown (or the check page) once they pass.
func (f *surveyForm) leaveSection(c *gin.Context, w store.Wave, def *survey.Definition, s formState, page, to string) {
	sec := sectionOf(def, page)
	if sec == nil {
		f.problem(c, malformed("The form names a section this survey does not have."))
		return
	}
	raw, problems := s.answers(def)
	visible := visibleSections(def, raw)
	if to == "back" {
		if s.Return == "check" {
			f.showCheck(c, w, def, s, raw)
		} else if i := indexOf(visible, sec); i > 0 {
			f.showSection(c, w, def, s, "section:"+visible[i-1].Key, sectionOpts{})
		} else {
			f.showTeam(c, w, def, s, "")
		}
		return
	}
	// Questions the answers ask on this very page, which it did not show, come first: the page
	// comes back with them, and with any problem of the others.
	asked := strings.Split(c.PostForm("asked"), " ")
	fresh := map[string]bool{}
	for _, q := range askedIn(def, sec, raw) {
		if !slices.Contains(asked, q.Key) {
			fresh[q.Key] = true
		}
	}
	summary, _ := sectionProblems(def, sec, s, raw, problems, fresh)
	if len(summary) > 0 || (len(fresh) > 0 && indexOf(visible, sec) >= 0) {
		f.showSection(c, w, def, s, page, sectionOpts{errors: true, fresh: fresh})
		return
	}
	i := indexOf(visible, sec)
	if s.Return == "check" || i < 0 || i == len(visible)-1 {
		s.Return = ""
		f.showCheck(c, w, def, s, raw)
		return
	}
	f.showSection(c, w, def, s, "section:"+visible[i+1].Key, sectionOpts{})
}

// chooseTeam takes the team (or invitation code) and goes on to the first section, or back to
// the check page.
func (f *surveyForm) chooseTeam(c *gin.Context, w store.Wave, def *survey.Definition, s formState) {
	message := ""
	if w.Mode == store.ModeInvite {
		if s.Code == "" {
			message = "Enter your invitation code"
		}
	} else {
		teams, err := f.respondent.store.WaveTeams(c.Request.Context(), w.ID)
		if err != nil {
			f.problem(c, err)
			return
		}
		if !hasTeam(teams, s.Team) {
			message = "Select the team you are answering for"
		}
	}
	if message != "" {
		f.showTeam(c, w, def, s, message)
		return
	}
	raw, _ := s.answers(def)
	visible := visibleSections(def, raw)
	if s.Return == "check" || len(visible) == 0 {
		s.Return = ""
		f.showCheck(c, w, def, s, raw)
		return
	}
	f.showSection(c, w, def, s, "section:"+visible[0].Key, sectionOpts{})
}

func hasTeam(teams []store.Team, key string) bool {
	for _, t := range teams {
		if t.Key == key && !t.Retired {
			return true
		}
	}
	return false
}

// send answers POST /waves/{wave}/form/send: every section shown is checked as on its page, then
// the answers go through the submission rules, as the JSON API's do, and the receipt is shown.
func (f *surveyForm) send(c *gin.Context) {
	h := f.respondent
	w, err := h.openWave(c)
	closed := errors.Is(err, errWaveClosed)
	if err != nil && !closed {
		f.problem(c, err)
		return
	}
	def, err := h.definitions.get(c.Request.Context(), w.DefinitionVersion)
	if err != nil {
		f.problem(c, err)
		return
	}
	s, err := readForm(c, def)
	if err != nil {
		f.problem(c, err)
		return
	}
	raw, problems := s.answers(def)
	pass, _ := c.Cookie(passCookie(isSecure(c)))
	sub := submission.Submission{ID: s.SubmissionID, Team: s.Team, InvitationCode: s.Code, Pass: pass, Answers: raw}
	if closed {
		f.replay(c, w, def, s, sub)
		return
	}
	for _, sec := range visibleSections(def, raw) {
		if summary, _ := sectionProblems(def, sec, s, raw, problems, nil); len(summary) > 0 {
			s.Return = "check"
			f.showSection(c, w, def, s, "section:"+sec.Key, sectionOpts{errors: true})
			return
		}
	}
	f.save(c, w, def, s, sub)
}

// replay answers a send to a closed wave: the first receipt when it repeats a response stored
// before the wave closed (its page may have been lost), else that the wave has closed.
func (f *surveyForm) replay(c *gin.Context, w store.Wave, def *survey.Definition, s formState, sub submission.Submission) {
	rc, err := f.respondent.submissions.Replay(c.Request.Context(), w, sub, map[string]string{})
	if err != nil {
		f.refused(c, w, def, s, err)
		return
	}
	f.showSent(c, w, def, rc, http.StatusOK)
}

// save checks and stores a send, as the JSON API's submit does, and shows its receipt.
func (f *surveyForm) save(c *gin.Context, w store.Wave, def *survey.Definition, s formState, sub submission.Submission) {
	h := f.respondent
	checked, err := h.submissions.Check(c.Request.Context(), w, sub, map[string]string{})
	if err != nil {
		f.refused(c, w, def, s, err)
		return
	}
	// Wrong codes count against the address, so codes cannot be guessed; good ones never do.
	if s.Code != "" {
		if blocked, wait := h.codes.Blocked(clientAddress(c)); blocked {
			limitedPage(f.pages, c, wait)
			return
		}
	}
	rc, created, err := h.submissions.Save(c.Request.Context(), checked)
	if errors.Is(err, submission.ErrInvitation) {
		h.codes.Spend(clientAddress(c))
	}
	if err != nil {
		f.refused(c, w, def, s, err)
		return
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	f.showSent(c, w, def, rc, status)
}

// refused shows what to do about a refusal of the submission rules, in the respondent's words.
func (f *surveyForm) refused(c *gin.Context, w store.Wave, def *survey.Definition, s formState, err error) {
	var bad *submission.Invalid
	s.Return = "check"
	switch {
	case errors.As(err, &bad):
		for _, sec := range def.Sections {
			for _, q := range sec.Questions {
				if bad.Fields["answers."+q.Key] != "" {
					f.showSection(c, w, def, s, "section:"+sec.Key, sectionOpts{errors: true})
					return
				}
			}
		}
		if bad.Fields["team"] != "" || bad.Fields["invitation_code"] != "" {
			f.showTeam(c, w, def, s, teamMessage(w))
			return
		}
		f.problem(c, malformed("Your answers could not be accepted. Go back to the start of the survey and answer it again."))
	case errors.Is(err, submission.ErrTeamNotFound):
		s.Team = ""
		f.showTeam(c, w, def, s, "The team you chose is no longer in the list. Select your team again")
	case errors.Is(err, submission.ErrInvitation):
		f.showTeam(c, w, def, s, "This invitation code is not valid for this survey, or has already been used. Check it and enter it again")
	case errors.Is(err, submission.ErrSignInRequired):
		f.problem(c, newError(http.StatusUnauthorized, "sign_in_required",
			"Your sign-in has ended, so we could not take your answers. Sign in again from the survey page, then answer again: without JavaScript, answers cannot be kept while you sign in."))
	case errors.Is(err, submission.ErrAlreadyAnswered):
		f.problem(c, newError(http.StatusConflict, "already_answered",
			"You have already answered this survey. Each person can answer it once, and we already have your answers."))
	case errors.Is(err, submission.ErrConflict):
		f.problem(c, newError(http.StatusConflict, "duplicate_submission",
			"These answers have already been sent, so we cannot take them again. There is nothing more you need to do."))
	case errors.Is(err, submission.ErrWaveClosed):
		f.problem(c, newError(http.StatusConflict, "wave_closed", "This survey has closed and takes no more answers."))
	case errors.Is(err, submission.ErrSignInUnavailable):
		f.problem(c, newError(http.StatusServiceUnavailable, "sign_in_unavailable",
			"This survey is answered signed in with your organisation's account, which is not working at the moment. Tell the survey's organisers."))
	default:
		f.problem(c, err)
	}
}

func teamMessage(w store.Wave) string {
	if w.Mode == store.ModeInvite {
		return "Enter your invitation code"
	}
	return "Select the team you are answering for"
}

// wave finds the open wave and its definition, or shows why it cannot be answered.
func (f *surveyForm) wave(c *gin.Context) (store.Wave, *survey.Definition, bool) {
	w, err := f.respondent.openWave(c)
	if err != nil {
		f.problem(c, err)
		return w, nil, false
	}
	def, err := f.respondent.definitions.get(c.Request.Context(), w.DefinitionVersion)
	if err != nil {
		f.problem(c, err)
		return w, nil, false
	}
	return w, def, true
}

// problem shows an error as a page, in words for a respondent; an internal error is logged (never
// with the form's content) and shown as such.
func (f *surveyForm) problem(c *gin.Context, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		logger(c).ErrorContext(c.Request.Context(), "internal error", "request_id", requestID(c), "route", c.FullPath(), "error", err)
		ae = newError(http.StatusInternalServerError, "internal", "Something went wrong on our side. Try again later.")
	}
	switch ae.Code {
	case "wave_not_found":
		ae = newError(ae.Status, ae.Code, "There is no survey at this address. Check the link you were sent.")
	case "wave_closed":
		ae = newError(ae.Status, ae.Code, "This survey has closed and takes no more answers.")
	case "too_large":
		ae = newError(ae.Status, ae.Code, "The form is larger than any answers to this survey could be. Go back to the start of the survey and answer it again.")
	case "wave_not_open":
		ae = newError(ae.Status, ae.Code, sentence(ae.Message)+".")
	}
	c.Header("Cache-Control", "no-store")
	f.pages.renderError(c, ae)
}

// newSubmissionID makes a random (version 4) UUID for a form.
func newSubmissionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func sectionOf(def *survey.Definition, page string) *survey.Section {
	key, ok := strings.CutPrefix(page, "section:")
	if !ok {
		return nil
	}
	for i := range def.Sections {
		if def.Sections[i].Key == key {
			return &def.Sections[i]
		}
	}
	return nil
}

// visibleSections are the sections with a question asked; the others are skipped.
func visibleSections(def *survey.Definition, raw map[string]json.RawMessage) []*survey.Section {
	var out []*survey.Section
	for i := range def.Sections {
		if len(askedIn(def, &def.Sections[i], raw)) > 0 {
			out = append(out, &def.Sections[i])
		}
	}
	return out
}

// askedIn are the questions of a section asked, given the answers.
func askedIn(def *survey.Definition, sec *survey.Section, raw map[string]json.RawMessage) []*survey.Question {
	var out []*survey.Question
	for i := range sec.Questions {
		if def.Asked(&sec.Questions[i], raw) {
			out = append(out, &sec.Questions[i])
		}
	}
	return out
}

func indexOf(list []*survey.Section, sec *survey.Section) int { return slices.Index(list, sec) }
