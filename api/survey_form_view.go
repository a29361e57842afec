package api

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"skillsurvey/internal/store"
	"skillsurvey/internal/submission"
	"skillsurvey/internal/survey"
)

// What the plain form's templates (pages/survey-*.html) are given, worked out here so they only
// lay it out: ids, which control is checked, which message goes where.

// formPage is what every page of the plain form gets.
type formPage struct {
	Survey     string // the survey's title
	Wave       string // the wave's title
	Action     string // where the page's form posts
	SendAction string
	Page       string // the page, as posted back: start, team, section:<key>, check
	Hidden     []hiddenField
	Caption    string
	Intro      introView
	Team       teamView
	Section    *survey.Section
	Asked      string // the keys of the questions shown, as posted back
	Added      string // what changed on the page since it was last shown
	Questions  []questionView
	Check      []checkSection
	Who        checkRow
	Sent       sentView
	Back       bool
}

// introView is the start page's words.
type introView struct {
	Minutes, Sections, K, Comments int
	Closes                         string
	Invite, Verified, SignIn       bool
	SignInURL                      string
}

// itemView is one radio or checkbox.
type itemView struct {
	ID, Name, Value, Label, Hint, HintID string
	Checked, Divider, Exclusive          bool
}

// pairSide is one side (now or target) of an aspiration-reality question.
type pairSide struct {
	Part, Title, Error, ErrorID string
	Items                       []itemView
}

// questionView is one question, ready to lay out.
type questionView struct {
	Key, Kind, Type, Legend   string
	Hint, HintID              string
	Error, ErrorID            string
	DescribedBy               string
	Items                     []itemView
	Now, Target               pairSide
	DontKnow                  *itemView
	Value, Unit, Limit, Input string
	Numeric, Wide             bool
}

// teamView is the team (or invitation code) question.
type teamView struct {
	Invite, Many bool
	Error        string
	Code         string
	Teams        []itemView
}

// checkSection is one section of the check page.
type checkSection struct {
	Key, Title string
	Rows       []checkRow
}

// checkRow is one answer on the check page, with the page its Change button goes to.
type checkRow struct {
	Question string
	Lines    []string
	Change   string
	Hidden   string // the Change button's words for screen readers
}

// sentView is the confirmation page.
type sentView struct {
	Team      string
	Rows      []scoreRow
	Stages    []stageRow
	Next      []nextView
	K, K2     int
	Closes    string
	Submitted string
}

type scoreRow struct {
	Area, Stage, Score string
	Has                bool
}

type stageRow struct {
	Label, Range, Description string
}

type nextView struct {
	Title, Text string
	Links       []survey.Link
	Questions   []submission.NextQuestion
}

func describedBy(ids ...string) string {
	return strings.Join(slices.DeleteFunc(ids, func(s string) bool { return s == "" }), " ")
}

func idOf(base string, i int) string {
	if i == 0 {
		return base
	}
	return fmt.Sprintf("%s-%d", base, i+1)
}

// questionViews lays out the questions of a section shown to the respondent.
func questionViews(def *survey.Definition, qs []*survey.Question, s formState, errs map[string]questionErrors) []questionView {
	out := make([]questionView, 0, len(qs))
	for _, q := range qs {
		out = append(out, questionViewOf(def, q, s, errs[q.Key]))
	}
	return out
}

func questionViewOf(def *survey.Definition, q *survey.Question, s formState, qe questionErrors) questionView {
	v := questionView{Key: q.Key, Type: q.Type, Legend: q.Text, Hint: q.Hint, Error: qe.Whole}
	if !q.Required {
		v.Legend += " (optional)"
	}
	if v.Hint != "" {
		v.HintID = q.Key + "-hint"
	}
	if v.Error != "" {
		v.ErrorID = q.Key + "-error"
	}
	chosen := s.values[q.Key]
	radio := func(items []itemView) {
		v.Kind = "radios"
		for i := range items {
			items[i].ID, items[i].Name = idOf(q.Key, i), q.Key
			items[i].Checked = slices.Contains(chosen, items[i].Value)
			if items[i].Hint != "" {
				items[i].HintID = items[i].ID + "-item-hint"
			}
		}
		v.Items = items
	}
	dontKnow := func(items []itemView) []itemView {
		if q.DontKnow {
			items = append(items, itemView{Value: survey.DontKnow, Label: "I do not know", Divider: true})
		}
		return items
	}
	switch q.Type {
	case survey.TypeMaturity:
		var items []itemView
		for i, l := range q.Levels {
			items = append(items, itemView{Value: strconv.Itoa(i + 1), Label: l})
		}
		radio(dontKnow(items))
	case survey.TypeProficiency:
		intro, hints := proficiencyHints(q.Hint, def.Proficiency)
		v.Hint = intro
		if intro == "" {
			v.HintID = ""
		}
		var items []itemView
		for _, l := range def.Proficiency {
			items = append(items, itemView{Value: l, Label: sentence(l), Hint: hints[l]})
		}
		radio(dontKnow(items))
	case survey.TypeChoice:
		var items []itemView
		for _, o := range q.Options {
			items = append(items, itemView{Value: o.Key, Label: label(o)})
		}
		radio(dontKnow(items))
	case survey.TypeMultiChoice:
		v.Kind = "checkboxes"
		if q.MaxChoices > 0 {
			v.Hint = strings.TrimSpace(v.Hint + fmt.Sprintf(" Select up to %d.", q.MaxChoices))
			v.HintID = q.Key + "-hint"
		}
		for i, o := range q.Options {
			v.Items = append(v.Items, itemView{ID: idOf(q.Key, i), Name: q.Key, Value: o.Key, Label: label(o),
				Checked: slices.Contains(chosen, o.Key), Divider: o.Exclusive, Exclusive: o.Exclusive})
		}
	case survey.TypeAspirationReality:
		v.Kind, v.Wide = "pair", true
		side := func(part, title, msg string) pairSide {
			ps := pairSide{Part: part, Title: title, Error: msg}
			if msg != "" {
				ps.ErrorID = q.Key + "-" + part + "-error"
			}
			picked := s.values.Get(q.Key + "." + part)
			for i, l := range q.Levels {
				val := strconv.Itoa(i + 1)
				ps.Items = append(ps.Items, itemView{ID: idOf(q.Key+"-"+part, i), Name: q.Key + "." + part, Value: val, Label: l, Checked: picked == val})
			}
			return ps
		}
		v.Now = side(partNow, cmp.Or(q.NowText, "Now"), qe.Now)
		v.Target = side(partTarget, cmp.Or(q.TargetText, "Where it should be"), qe.Target)
		if q.DontKnow {
			v.DontKnow = &itemView{ID: q.Key + "-dont-know", Name: q.Key + "." + partDontKnow, Value: survey.DontKnow,
				Label: "I do not know", Checked: s.values.Get(q.Key+"."+partDontKnow) != ""}
		}
	case survey.TypeNumber:
		v.Kind, v.Value, v.Unit, v.Numeric = "number", s.values.Get(q.Key), q.Unit, q.Integer
	case survey.TypeText:
		v.Kind, v.Value, v.Limit = "text", s.values.Get(q.Key), strconv.Itoa(q.TextLimit())
		v.DescribedBy = describedBy(q.Key+"-info", v.HintID, v.ErrorID)
		return v
	}
	v.DescribedBy = describedBy(v.HintID, v.ErrorID)
	return v
}

// proficiencyHints splits a hint written "Intro. Awareness: ... Working: ..." into the intro and a
// hint for each level, when every level above the first is described in order (as the survey page
// does).
func proficiencyHints(text string, levels []string) (string, map[string]string) {
	if text == "" || len(levels) < 2 {
		return text, nil
	}
	type start struct {
		level    string
		at, body int
	}
	var starts []start
	from := 0
	for _, l := range levels[1:] {
		marker := sentence(l) + ": "
		at := strings.Index(text[from:], marker)
		if at < 0 {
			return text, nil
		}
		at += from
		starts = append(starts, start{l, at, at + len(marker)})
		from = at + len(marker)
	}
	hints := map[string]string{}
	for i, s := range starts {
		end := len(text)
		if i+1 < len(starts) {
			end = starts[i+1].at
		}
		hints[s.level] = sentence(strings.TrimSpace(text[s.body:end]))
	}
	return strings.TrimSpace(text[:starts[0].at]), hints
}

// teamItems are the teams a respondent may choose, labelled with their directorate where that
// tells apart teams of the same name, sorted by label, as the survey page lists them.
func teamItems(teams []store.Team, chosen string) []itemView {
	byID := map[uint]store.Team{}
	for _, t := range teams {
		byID[t.ID] = t
	}
	var items []itemView
	count := map[string]int{}
	for _, t := range teams {
		if t.Retired {
			continue
		}
		l := t.Name
		if t.Parent != nil {
			if p, ok := byID[t.Parent.ID]; ok && p.Parent != nil {
				l = fmt.Sprintf("%s (%s)", t.Name, p.Name)
			}
		}
		count[l]++
		items = append(items, itemView{Name: "team", Value: t.Key, Label: l, Checked: t.Key == chosen})
	}
	for i := range items {
		if count[items[i].Label] > 1 {
			items[i].Label = fmt.Sprintf("%s [%s]", items[i].Label, items[i].Value)
		}
	}
	slices.SortFunc(items, func(a, b itemView) int { return strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)) })
	for i := range items {
		items[i].ID = idOf("team", i)
	}
	return items
}

// answerLines is how an answer reads on the check page, as the survey page writes it.
func answerLines(def *survey.Definition, q *survey.Question, raw json.RawMessage) []string {
	if raw == nil {
		return []string{"Not answered"}
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && s == survey.DontKnow && q.Type != survey.TypeText {
		return []string{"I do not know"}
	}
	level := func(n int) string {
		if n >= 1 && n <= len(q.Levels) {
			return q.Levels[n-1]
		}
		return "Not answered"
	}
	switch q.Type {
	case survey.TypeMaturity:
		var n int
		_ = json.Unmarshal(raw, &n)
		return []string{level(n)}
	case survey.TypeAspirationReality:
		var pair struct{ Now, Target int }
		_ = json.Unmarshal(raw, &pair)
		return []string{cmp.Or(q.NowText, "Now") + ": " + level(pair.Now), cmp.Or(q.TargetText, "Where it should be") + ": " + level(pair.Target)}
	case survey.TypeProficiency:
		return []string{sentence(s)}
	case survey.TypeChoice:
		if o, ok := q.Option(s); ok {
			return []string{label(o)}
		}
		return []string{s}
	case survey.TypeMultiChoice:
		var keys []string
		_ = json.Unmarshal(raw, &keys)
		var out []string
		for _, k := range keys {
			o, _ := q.Option(k)
			out = append(out, cmp.Or(label(o), k))
		}
		return out
	case survey.TypeNumber:
		var n float64
		_ = json.Unmarshal(raw, &n)
		return []string{strings.TrimSpace(num(n) + " " + q.Unit)}
	}
	return []string{s}
}

// sentViewOf is the confirmation page from a receipt.
func sentViewOf(def *survey.Definition, w store.Wave, rc submission.Receipt, team string) sentView {
	v := sentView{Team: team, K: w.Threshold, K2: 2 * w.Threshold, Submitted: rc.SubmittedOn}
	if w.ClosesAt != nil {
		v.Closes = w.ClosesAt.UTC().Format("2 January 2006")
	}
	row := func(area string, sc submission.Score) scoreRow {
		if sc.Value == nil {
			return scoreRow{Area: area, Stage: "Not enough answers to give a stage"}
		}
		stage := sc.Stage
		for _, st := range def.Scale.Stages {
			if st.Key == sc.Stage {
				stage = st.Label
			}
		}
		score := strconv.FormatFloat(math.Round(*sc.Value*10)/10, 'f', -1, 64) // as the receipt rounds
		return scoreRow{Area: area, Stage: stage, Score: score, Has: true}
	}
	v.Rows = append(v.Rows, row("Overall", rc.Overall))
	for _, d := range def.Dimensions {
		sc := rc.Dimensions[d.Key]
		v.Rows = append(v.Rows, row(d.Title, sc))
		if sc.Next != nil && (sc.Next.Guidance.Text != "" || len(sc.Next.Questions) > 0) {
			n := nextView{Title: d.Title, Text: sc.Next.Guidance.Text, Questions: sc.Next.Questions}
			for _, l := range sc.Next.Guidance.Links {
				if strings.HasPrefix(l.URL, "https://") {
					n.Links = append(n.Links, l)
				}
			}
			v.Next = append(v.Next, n)
		}
	}
	stages := def.Scale.Stages
	for i, st := range stages {
		r := fmt.Sprintf("Scores from %s to 100.", num(st.From))
		if i+1 < len(stages) {
			r = fmt.Sprintf("Scores from %s to under %s.", num(st.From), num(stages[i+1].From))
		}
		v.Stages = append(v.Stages, stageRow{Label: st.Label, Range: r, Description: st.Description})
	}
	return v
}
