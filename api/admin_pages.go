package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// adminPages serve the administrators' pages: waves, invitation codes and people. They are forms
// over the admin API's own functions (setWaveState, invitations, Accounts), so a page can do
// nothing the API would refuse, and leaves the same audit trail.
type adminPages struct {
	admin *adminHandlers
	pages pages
}

// wavesPage is the data of GET /admin.
type wavesPage struct {
	Waves []waveRow
	// Done says what the last change did, for the success banner.
	Done string
}

// waveRow is one wave as the waves table shows it.
type waveRow struct {
	Key, Title, State, Mode, Opens, Closes string
	CanOpen, CanClose, Codes               bool
}

// teamOption is a current team in a select.
type teamOption struct{ Key, Name string }

// invitationsPage is the data of the invitation codes form.
type invitationsPage struct {
	Wave        waveRow
	Teams       []teamOption
	Team, Count string
	Problems    map[string]string
}

// peoplePage is the data of GET /admin/users and of its form sent back with problems.
type peoplePage struct {
	People   []personRow
	Teams    []teamOption
	Form     personForm
	Problems map[string]string
}

// personRow is one account as the people table shows it.
type personRow struct {
	Email, Role, Scope, Source string
	// EmailParts are the email cut where a line may break (after @, before a dot), so a long
	// address wraps in a narrow table instead of making the page scroll sideways.
	EmailParts []string
}

// personForm is what the "Add a person" form holds.
type personForm struct {
	Email, Role, Scope string
	Comments           bool
}

// addedPage shows a new account and its password, this once.
type addedPage struct {
	Person   personRow
	Password string
}

// waves answers GET /admin: every wave with the button that changes its state.
func (a *adminPages) waves(c *gin.Context) {
	a.showWaves(c, http.StatusOK, nil)
}

// showWaves renders the waves page, with a banner for the change named in the query.
func (a *adminPages) showWaves(c *gin.Context, status int, errs []fieldError) {
	all, err := a.admin.store.Waves(c.Request.Context())
	if err != nil {
		respondError(c, err)
		return
	}
	page := wavesPage{Waves: make([]waveRow, len(all))}
	q := c.Request.URL.Query()
	for i, w := range all {
		page.Waves[i] = a.waveRow(w)
		if len(errs) == 0 {
			page.Done = doneMessage(q, w, page.Done)
		}
	}
	a.pages.render(c, status, "admin-waves.html", pageData{Title: "Waves", Errors: errs, Page: page})
}

// doneMessage is the banner's message when the query names wave w as just opened or closed.
func doneMessage(q url.Values, w store.Wave, current string) string {
	switch w.Key {
	case q.Get("opened"):
		return fmt.Sprintf("%s is open.", w.Title)
	case q.Get("closed"):
		return fmt.Sprintf("%s is closed.", w.Title)
	}
	return current
}

func (a *adminPages) waveRow(w store.Wave) waveRow {
	state := w.State(a.admin.now())
	row := waveRow{Key: w.Key, Title: w.Title, State: state, Mode: "Anyone with the link",
		Opens: dateInWords(w.OpensAt), Closes: dateInWords(w.ClosesAt),
		CanOpen: state == store.StateScheduled, CanClose: state == store.StateOpen}
	switch w.Mode {
	case store.ModeInvite:
		row.Mode = "Invitation codes"
		row.Codes = state != store.StateClosed
	case store.ModeVerified:
		row.Mode = "Single sign-on, once each"
	}
	return row
}

// dateInWords is a time as people write it, in UTC, the zone the service keeps.
func dateInWords(t *time.Time) string {
	if t == nil {
		return "Not set"
	}
	return t.UTC().Format("2 January 2006 at 3:04pm") + " UTC"
}

// changeWave answers POST /admin/waves/{wave}/open and /close, then goes back to the waves page
// with a banner (post, redirect, get: reloading the page does not send the change again).
func (a *adminPages) changeWave(open bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		w, err := a.admin.setWaveState(c, c.Param("wave"), open)
		var ae *apiError
		switch {
		case errors.Is(err, errWaveNotFound):
			a.pages.renderError(c, errPageWaveNotFound)
		case errors.As(err, &ae) && ae.Code == "wave_state":
			a.showWaves(c, http.StatusConflict, []fieldError{{"wave-" + c.Param("wave"), a.stateProblem(c, open)}})
		case err != nil:
			respondError(c, err)
		case open:
			c.Redirect(http.StatusSeeOther, "/admin?"+url.Values{"opened": {w.Key}}.Encode())
		default:
			c.Redirect(http.StatusSeeOther, "/admin?"+url.Values{"closed": {w.Key}}.Encode())
		}
	}
}

// stateProblem says why the wave in the address cannot be opened or closed now.
func (a *adminPages) stateProblem(c *gin.Context, open bool) string {
	w, err := a.admin.store.Wave(c.Request.Context(), c.Param("wave"))
	if err != nil {
		return "The wave could not be changed: reload the page and try again"
	}
	verb := "closed"
	if open {
		verb = "opened"
	}
	return fmt.Sprintf("%s is %s, so it cannot be %s now", w.Title, w.State(a.admin.now()), verb)
}

// errPageWaveNotFound is errWaveNotFound in words for a page.
var errPageWaveNotFound = newError(http.StatusNotFound, "wave_not_found", "There is no wave with this key. Go back to the list of waves and choose one.")

// invitationsForm answers GET /admin/waves/{wave}/invitations.
func (a *adminPages) invitationsForm(c *gin.Context) {
	a.showInvitations(c, http.StatusOK, invitationsPage{})
}

// showInvitations renders the invitation codes form of the wave in the address.
func (a *adminPages) showInvitations(c *gin.Context, status int, page invitationsPage) {
	ctx := c.Request.Context()
	w, err := a.admin.store.Wave(ctx, c.Param("wave"))
	if errors.Is(err, store.ErrNotFound) {
		a.pages.renderError(c, errPageWaveNotFound)
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	page.Wave = a.waveRow(w)
	if !page.Wave.Codes {
		a.pages.renderError(c, newError(http.StatusConflict, "no_codes", fmt.Sprintf(
			"%s takes no invitation codes: codes are for invite waves that are scheduled or open.", w.Title)))
		return
	}
	if page.Teams, err = a.teamOptions(c); err != nil {
		respondError(c, err)
		return
	}
	errs := fieldErrors(page.Problems, "team", "count")
	a.pages.render(c, status, "admin-invitations.html", pageData{Title: "Make invitation codes", Errors: errs, Page: page})
}

// teamOptions are the current teams, by name.
func (a *adminPages) teamOptions(c *gin.Context) ([]teamOption, error) {
	teams, err := a.admin.store.Teams(c.Request.Context(), false)
	if err != nil {
		return nil, err
	}
	out := make([]teamOption, len(teams))
	for i, t := range teams {
		out[i] = teamOption{Key: t.Key, Name: t.Name}
	}
	return out, nil
}

// invitations answers POST /admin/waves/{wave}/invitations: the codes as a CSV download for a
// mail merge, or the form again saying what to put right.
func (a *adminPages) invitations(c *gin.Context) {
	page := invitationsPage{Team: strings.TrimSpace(c.PostForm("team")), Count: strings.TrimSpace(c.PostForm("count")),
		Problems: map[string]string{}}
	count, err := strconv.Atoi(strings.NewReplacer(",", "", " ", "").Replace(page.Count))
	switch {
	case page.Count == "":
		page.Problems["count"] = "Enter how many codes to make"
	case err != nil || count < 1 || count > store.MaxInvitations:
		page.Problems["count"] = fmt.Sprintf("Enter a whole number of codes from 1 to %s", thousands(store.MaxInvitations))
	}
	if page.Team == "" {
		page.Problems["team"] = "Select the team the codes are for"
	}
	if len(page.Problems) > 0 {
		a.showInvitations(c, http.StatusUnprocessableEntity, page)
		return
	}
	csvData, err := a.admin.invitations(c, c.Param("wave"), page.Team, count)
	var ae *apiError
	switch {
	case errors.Is(err, errWaveNotFound):
		a.pages.renderError(c, errPageWaveNotFound)
	case errors.As(err, &ae) && (ae.Code == "invalid" || ae.Code == "conflict"):
		page.Problems["team"] = "Select a current team: codes are made for current teams of an invite wave that is scheduled or open"
		a.showInvitations(c, ae.Status, page)
	case err != nil:
		respondError(c, err)
	default:
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="invitations-%s-%s.csv"`, c.Param("wave"), page.Team))
		c.Data(http.StatusOK, mediaCSV+"; charset=utf-8", csvData)
	}
}

// people answers GET /admin/users: every account, and the form to add one.
func (a *adminPages) people(c *gin.Context) {
	a.showPeople(c, http.StatusOK, personForm{}, nil)
}

// showPeople renders the people page with the form as sent and its problems.
func (a *adminPages) showPeople(c *gin.Context, status int, form personForm, problems map[string]string) {
	all, err := a.admin.accounts.People(c.Request.Context())
	if err != nil {
		respondError(c, err)
		return
	}
	page := peoplePage{People: make([]personRow, len(all)), Form: form, Problems: problems}
	for i, u := range all {
		page.People[i] = toPersonRow(u)
	}
	if page.Teams, err = a.teamOptions(c); err != nil {
		respondError(c, err)
		return
	}
	errs := fieldErrors(problems, "email", "role", "scope", "comments")
	a.pages.render(c, status, "admin-people.html", pageData{Title: "People", Errors: errs, Page: page})
}

func toPersonRow(u store.User) personRow {
	row := personRow{Email: u.Email, EmailParts: emailParts(u.Email), Role: roleInWords[u.Role], Scope: "Every team",
		Source: "a password"}
	if u.ScopeTeam != nil {
		row.Scope = u.ScopeTeam.Name
	}
	if u.Source == store.SourceOIDC {
		row.Source = "single sign-on"
	}
	return row
}

// emailParts cuts an email where a line may break: after the @ and before each dot.
func emailParts(email string) []string {
	var parts []string
	start := 0
	for i, r := range email {
		switch {
		case r == '.' && i > start:
			parts, start = append(parts, email[start:i]), i
		case r == '@':
			parts, start = append(parts, email[start:i+1]), i+1
		}
	}
	return append(parts, email[start:])
}

// roleInWords names each role as the pages do.
var roleInWords = map[string]string{string(access.Admin): "Admin", string(access.Lead): "Lead", string(access.HR): "HR"}

// addPerson answers POST /admin/users: the new account with its generated password, shown this
// once, or the form again saying what to put right.
func (a *adminPages) addPerson(c *gin.Context) {
	form := personForm{Email: strings.TrimSpace(c.PostForm("email")), Role: c.PostForm("role")}
	// The form sends every field, shown or not: keep only those that go with the role chosen.
	switch access.Role(form.Role) {
	case access.Lead:
		form.Scope = c.PostForm("scope")
	case access.HR:
		form.Comments = c.PostForm("comments") == "yes"
	}
	u, password, err := a.admin.accounts.AddPerson(c.Request.Context(), actor(c), access.NewPerson{Email: form.Email,
		Role: access.Role(form.Role), Scope: form.Scope, Comments: form.Comments})
	var problems access.Problems
	switch {
	case errors.Is(err, store.ErrConflict):
		a.showPeople(c, http.StatusConflict, form, map[string]string{"email": "There is already an account with this email address"})
	case errors.As(err, &problems):
		a.showPeople(c, http.StatusUnprocessableEntity, form, personProblems(form, problems))
	case err != nil:
		respondError(c, err)
	default:
		a.pages.render(c, http.StatusOK, "admin-person-added.html", pageData{Title: "Account added",
			Page: addedPage{Person: toPersonRow(u), Password: password}})
	}
}

// personProblems says the rules' problems in the words of the form's fields.
func personProblems(form personForm, p access.Problems) map[string]string {
	out := map[string]string{}
	for field, message := range p {
		switch field {
		case "email":
			out[field] = "Enter an email address like name@example.gov.uk, without spaces, a name or brackets"
			if form.Email == "" {
				out[field] = "Enter their email address"
			}
		case "role":
			out[field] = "Select a role"
		case "scope":
			out[field] = "Select a current team, whose figures the lead sees"
			if form.Scope == "" {
				out[field] = "Select the team whose figures the lead sees"
			}
		default:
			out[field] = sentence(field + ": " + message)
		}
	}
	return out
}

// fieldErrors lists problems for the error summary in the order of the form's fields; a problem
// with a field the form lacks comes last.
func fieldErrors(problems map[string]string, order ...string) []fieldError {
	var out []fieldError
	seen := map[string]bool{}
	for _, f := range order {
		if m, ok := problems[f]; ok {
			out = append(out, fieldError{f, m})
			seen[f] = true
		}
	}
	for f, m := range problems {
		if !seen[f] {
			out = append(out, fieldError{f, m})
		}
	}
	return out
}

// sentence starts a message with a capital letter, as a page shows it.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// thousands writes a whole number with commas, as GOV.UK style writes numbers: 10,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
