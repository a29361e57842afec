package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/store"
	"skillsurvey/internal/submission"
	"skillsurvey/internal/survey"
)

// The pages of the plain form, each rendered from a template in pages/survey-*.html.

func (f *surveyForm) page(w store.Wave, def *survey.Definition, page string) formPage {
	return formPage{Survey: def.Title, Wave: w.Title, Action: formAddress(w.Key), SendAction: formAddress(w.Key) + "/send", Page: page}
}

func (f *surveyForm) render(c *gin.Context, status int, name, title string, errs []fieldError, p formPage) {
	f.pages.render(c, status, name, pageData{Title: title + " \u2013 " + p.Survey, Errors: errs, Page: p})
}

// showStart is the start page: what the survey is and how answers are kept.
func (f *surveyForm) showStart(c *gin.Context, w store.Wave, def *survey.Definition, s formState) {
	p := f.page(w, def, "start")
	p.Hidden = s.hidden(def, nil)
	p.Intro = introView{Minutes: def.Minutes, Sections: len(def.Sections), K: w.Threshold, Comments: 2 * w.Threshold,
		Invite: w.Mode == store.ModeInvite, Verified: w.Mode == store.ModeVerified}
	if w.ClosesAt != nil {
		p.Intro.Closes = w.ClosesAt.UTC().Format("2 January 2006")
	}
	if p.Intro.Verified {
		answered, signedIn, err := f.signedIn(c, w)
		if err != nil {
			f.problem(c, err)
			return
		}
		if answered {
			f.problem(c, newError(http.StatusConflict, "already_answered",
				"You have already answered this survey. Each person can answer it once, and we already have your answers."))
			return
		}
		p.Intro.SignIn = !signedIn
		p.Intro.SignInURL = signInAddress(w.Key) + "?then=form"
	}
	f.render(c, http.StatusOK, "survey-start.html", def.Title, nil, p)
}

// signedIn says whether the browser holds a pass for the verified wave, and whether its holder
// has answered already.
func (f *surveyForm) signedIn(c *gin.Context, w store.Wave) (answered, signedIn bool, err error) {
	h := f.respondent
	if h.passes == nil {
		return false, false, errSignInUnavailable
	}
	cookie, _ := c.Cookie(passCookie(isSecure(c)))
	person, err := h.passes.Check(cookie, w.ID)
	if err != nil {
		return false, false, nil
	}
	answered, err = h.store.HasAnswered(c.Request.Context(), w.ID, person)
	return answered, true, err
}

// showTeam is the team page (or the invitation code page of an invite wave).
func (f *surveyForm) showTeam(c *gin.Context, w store.Wave, def *survey.Definition, s formState, message string) {
	p := f.page(w, def, "team")
	p.Back = true
	p.Team = teamView{Invite: w.Mode == store.ModeInvite, Error: message, Code: s.Code}
	if !p.Team.Invite {
		teams, err := f.respondent.store.WaveTeams(c.Request.Context(), w.ID)
		if err != nil {
			f.problem(c, err)
			return
		}
		p.Team.Teams = teamItems(teams, s.Team)
		p.Team.Many = len(p.Team.Teams) >= autocompleteFrom
	}
	s.Team, s.Code = "", "" // the page's own control holds them
	p.Hidden = s.hidden(def, nil)
	var errs []fieldError
	status := http.StatusOK
	title := "Which team are you answering for?"
	field := "team"
	if p.Team.Invite {
		title, field = "Enter your invitation code", "invitation-code"
	}
	if message != "" {
		errs, status = []fieldError{{Field: field, Message: message}}, http.StatusUnprocessableEntity
	}
	f.render(c, status, "survey-team.html", title, errs, p)
}

// autocompleteFrom is how many teams make the team page a list to choose from rather than radios,
// as on the survey page.
const autocompleteFrom = 11

// sectionOpts say how a section is shown: with its problems, or with questions added since the
// respondent last saw it.
type sectionOpts struct {
	errors bool
	// fresh are the questions the answers have just asked on this page, not checked yet.
	fresh map[string]bool
}

// showSection is a section's page. A section no longer shown gives way to the next one shown,
// or to the check page.
func (f *surveyForm) showSection(c *gin.Context, w store.Wave, def *survey.Definition, s formState, page string, opts sectionOpts) {
	raw, problems := s.answers(def)
	visible := visibleSections(def, raw)
	sec := sectionOf(def, page)
	if indexOf(visible, sec) < 0 {
		from := sectionIndex(def, sec)
		sec = nil
		for _, v := range visible {
			if sectionIndex(def, v) > from {
				sec = v
				break
			}
		}
		if sec == nil {
			f.showCheck(c, w, def, s, raw)
			return
		}
	}
	qs := askedIn(def, sec, raw)
	p := f.page(w, def, "section:"+sec.Key)
	p.Back = true
	p.Section = sec
	p.Caption = fmt.Sprintf("Section %d of %d", indexOf(visible, sec)+1, len(visible))
	p.Hidden = s.hidden(def, qs)
	keys := make([]string, len(qs))
	for i, q := range qs {
		keys[i] = q.Key
	}
	p.Asked = strings.Join(keys, " ")
	if n := len(opts.fresh); n > 0 {
		p.Added = fmt.Sprintf("Your answers mean %d more %s on this page. Answer %s, then continue.",
			n, plural(n, "question is asked", "questions are asked"), plural(n, "it", "them"))
	}
	var summary []fieldError
	var byKey map[string]questionErrors
	status := http.StatusOK
	if opts.errors {
		summary, byKey = sectionProblems(def, sec, s, raw, problems, opts.fresh)
		if len(summary) > 0 {
			status = http.StatusUnprocessableEntity
		}
	}
	p.Questions = questionViews(def, qs, s, byKey)
	f.render(c, status, "survey-section.html", sec.Title, summary, p)
}

func sectionIndex(def *survey.Definition, sec *survey.Section) int {
	for i := range def.Sections {
		if &def.Sections[i] == sec {
			return i
		}
	}
	return -1
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// showCheck is "Check your answers before sending them": every question asked and its answer,
// section by section, each with a Change button back to its section.
func (f *surveyForm) showCheck(c *gin.Context, w store.Wave, def *survey.Definition, s formState, raw map[string]json.RawMessage) {
	p := f.page(w, def, "check")
	s.Return = ""
	p.Hidden = s.hidden(def, nil)
	if w.Mode == store.ModeInvite {
		p.Who = checkRow{Question: "Invitation code", Lines: []string{s.Code}, Change: "team", Hidden: "your invitation code"}
	} else {
		name := s.Team
		teams, err := f.respondent.store.WaveTeams(c.Request.Context(), w.ID)
		if err != nil {
			f.problem(c, err)
			return
		}
		for _, t := range teamItems(teams, "") {
			if t.Value == s.Team {
				name = t.Label
			}
		}
		p.Who = checkRow{Question: "Team", Lines: []string{name}, Change: "team", Hidden: "the team you are answering for"}
	}
	for _, sec := range visibleSections(def, raw) {
		cs := checkSection{Key: sec.Key, Title: sec.Title}
		for _, q := range askedIn(def, sec, raw) {
			cs.Rows = append(cs.Rows, checkRow{Question: q.Text, Lines: answerLines(def, q, raw[q.Key]),
				Change: "section:" + sec.Key, Hidden: fmt.Sprintf("your answer to \u201c%s\u201d", q.Text)})
		}
		p.Check = append(p.Check, cs)
	}
	f.render(c, http.StatusOK, "survey-check.html", "Check your answers before sending them", nil, p)
}

// showSent is the confirmation: the answers are stored; the respondent's own scores and what
// could come next.
func (f *surveyForm) showSent(c *gin.Context, w store.Wave, def *survey.Definition, rc submission.Receipt, status int) {
	team := rc.Team
	if teams, err := f.respondent.store.WaveTeams(c.Request.Context(), w.ID); err == nil {
		for _, t := range teamItems(teams, "") {
			if t.Value == rc.Team {
				team = t.Label
			}
		}
	}
	p := f.page(w, def, "sent")
	p.Sent = sentViewOf(def, w, rc, team)
	f.render(c, status, "survey-sent.html", "Your answers have been sent", nil, p)
}
