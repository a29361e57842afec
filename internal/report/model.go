// Package report turns a wave's stored scores into the figures the department acts on: each group's
// statistics per dimension and overall, skills, breakdowns and comments, rolled up through the team
// hierarchy and never showing a group below the wave's threshold, directly or by subtraction.
package report

import (
	"encoding/json"
	"time"

	"skillsurvey/internal/suppression"
	"skillsurvey/internal/survey"
)

// Why a figure is withheld: the suppression's reasons (fewer than the threshold answered it, or
// shown it would let another be worked out), and the stepped refresh's.
const (
	ReasonSmall           = string(suppression.Small)
	ReasonProtectsAnother = string(suppression.ProtectsAnother)
	ReasonWaiting         = "waiting for more answers"
)

// What a report says of an open-mode wave, in the words of the XLSX About sheet and the dashboard.
const (
	UnverifiedNotice = "Answers to this wave were not verified: anyone with the link could answer, " +
		"as often as they liked, for any team. Read its figures as an indication, not a measure."
	ScoresAfterClosingNotice = "Scores are published when the wave closes. Until then only how many have " +
		"answered is shown: someone who can read the figures could otherwise add answers of their own " +
		"to a small team and work out the rest from its scores."
)

// BreakdownsAfterClosingNotice is what a report says of its breakdowns while its wave is open.
const BreakdownsAfterClosingNotice = "Breakdowns and the shares of answers to each question are published " +
	"when the wave closes. While it is open, each group's figures take in answers in batches of at " +
	"least the threshold from one team, so that no one's answer can be picked out; a breakdown " +
	"would split those batches into groups too small to show."

// Group levels.
const (
	LevelDepartment  = "department"
	LevelDirectorate = "directorate"
	LevelTeam        = "team"
)

// Report is a wave's figures for every group.
type Report struct {
	Wave       WaveInfo    `json:"wave"`
	Level      string      `json:"level"`
	Breakdown  *Breakdown  `json:"breakdown"`
	Dimensions []Dimension `json:"dimensions"`
	Stages     []Stage     `json:"stages"`
	Skills     []SkillInfo `json:"skills"`
	// Distributions names the questions whose answers groups carry as distributions.
	Distributions []DistributionInfo `json:"distributions"`
	// CommentQuestions names the free-text questions whose answers a group's comments hold.
	CommentQuestions []CommentQuestion `json:"comment_questions,omitempty"`
	Groups           []Group           `json:"groups"`
	// Refreshed is the day the figures were last brought up to date.
	Refreshed string `json:"refreshed"`
}

// WaveInfo describes the wave a report is about.
type WaveInfo struct {
	Key     string `json:"key"`
	Title   string `json:"title"`
	Survey  string `json:"survey"`
	Version string `json:"version"`
	State   string `json:"state"`
	Mode    string `json:"mode"`
	// AnswersVerified is false for an open-mode wave: anyone with the link could answer, as often
	// as they liked, so its figures are an indication rather than a measure.
	AnswersVerified bool `json:"answers_verified"`
	// ScoresAfterClosing is true while an open-mode wave is open: its groups carry response counts
	// and rates and no scores, since nothing stops a reader answering too, adding answers of their
	// own to a group until it passes the threshold and reading the rest from its figures.
	ScoresAfterClosing bool `json:"scores_after_closing"`
	// BreakdownsAfterClosing is true while a wave is open: its breakdown cells and distributions
	// are published when it closes, since a cell's few answers could otherwise be worked out from
	// the group's figures published at different moments (BreakdownsAfterClosingNotice).
	BreakdownsAfterClosing bool `json:"breakdowns_after_closing"`
	// ScoringRules is the version of the scoring rules the wave was scored under: 1 scores skills on
	// the ladder (waves created before role-aware skills), 2 against what each role needs.
	ScoringRules     int        `json:"scoring_rules"`
	Threshold        int        `json:"threshold"`
	CommentThreshold int        `json:"comment_threshold"`
	OpensAt          *time.Time `json:"opens_at"`
	ClosesAt         *time.Time `json:"closes_at"`
}

// Breakdown names the question cells are split by.
type Breakdown struct {
	Question string   `json:"question"`
	Text     string   `json:"text"`
	Options  []Option `json:"options"`
}

// Option is one answer of the breakdown question.
type Option struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Dimension names a dimension, in the definition's order, and whether it counts in overall.
type Dimension struct {
	Key       string `json:"key"`
	Title     string `json:"title"`
	InOverall bool   `json:"in_overall"`
}

// Stage names a stage of the scale, where it starts and, where the definition says, what it means
// (so a reader of any wave, closed ones too, can be told what each stage stands for).
type Stage struct {
	Key         string  `json:"key"`
	Label       string  `json:"label"`
	From        float64 `json:"from"`
	Description string  `json:"description,omitempty"`
}

// CommentQuestion names a free-text question, so its comments can be shown under its words.
type CommentQuestion struct {
	Question string `json:"question"`
	Text     string `json:"text"`
}

// SkillInfo describes a skill asked about.
type SkillInfo struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	Group string `json:"group"`
}

// Group is one team, directorate or department. A withheld group carries no figures at all.
type Group struct {
	Key      string  `json:"key"`
	Name     string  `json:"name"`
	Level    string  `json:"level"`
	Parent   *string `json:"parent"`
	Withheld bool    `json:"withheld,omitempty"`
	// Reason says why a withheld group, cell or figure is withheld (see Reason* constants).
	Reason string `json:"reason,omitempty"`

	N *int `json:"n,omitempty"`
	// NotShown counts a closed wave's answers that the group's figures leave out: fewer than the
	// threshold arrived after its figures were last published while the wave was open, and showing
	// them would describe those few. Absent when there are none.
	NotShown     *int                     `json:"not_shown,omitempty"`
	Headcount    *int                     `json:"headcount,omitempty"`
	ResponseRate *Ratio                   `json:"response_rate,omitempty"`
	Overall      *Figures                 `json:"overall,omitempty"`
	Dimensions   map[string]*Figures      `json:"dimensions,omitempty"`
	Skills       map[string]*SkillFigures `json:"skills,omitempty"`
	Cells        []Cell                   `json:"cells,omitempty"`
	// Distributions maps each multi_choice question, and each number question with bins, to how
	// the group answered it.
	Distributions map[string]*Distribution `json:"distributions,omitempty"`
	// Comments maps each free-text question to its answers, shuffled, for groups at or above the
	// comment threshold.
	Comments map[string][]string `json:"comments,omitempty"`
	// HeadcountOutdated says the group has more responses than its headcount: the headcount is
	// older than the answers, so no response rate is given (a rate over 100% would mislead).
	HeadcountOutdated bool `json:"headcount_outdated,omitempty"`
}

// Cell is a group's figures among respondents who gave one answer to the breakdown question.
type Cell struct {
	Option     string              `json:"option"`
	Withheld   bool                `json:"withheld,omitempty"`
	Reason     string              `json:"reason,omitempty"`
	N          *int                `json:"n,omitempty"`
	Overall    *Figures            `json:"overall,omitempty"`
	Dimensions map[string]*Figures `json:"dimensions,omitempty"`
	// Skills are the cell's figures per skill, as a group's.
	Skills map[string]*SkillFigures `json:"skills,omitempty"`
}

// Figures are the statistics of one score (a dimension's or the overall) in one group. Withheld
// figures carry nothing else.
type Figures struct {
	Withheld bool
	Reason   string // why withheld
	N        int
	Mean     float64
	Median   float64
	SD       float64 // NaN when n < 2
	CI95     [2]float64
	Stage    string
	Stages   map[string]int
	// Now and Target are the means of the "now" and "should be" answers of the aspiration-reality
	// questions (the self-rated now, beside Mean, the maturity score of every scored answer); Gap is
	// Target − Now, how far people say the group still has to go. Nil where there are no such
	// answers (or too few to show).
	Now    *float64
	Target *float64
	Gap    *float64
	// Alpha is Cronbach's alpha over the dimension's complete responses; nil where not computed.
	Alpha *float64
	// PullingDown names the questions with the lowest means below the dimension's mean.
	PullingDown []QuestionMean
	// Next is what the group could do next in the dimension; nil where the definition says nothing.
	Next *Next
}

// Next is a next step: the definition's guidance for the group's stage, and for each question
// pulling the dimension down, the wording of the level above where the group's answers sit.
type Next struct {
	Text      string         `json:"text,omitempty"`
	Links     []survey.Link  `json:"links,omitempty"`
	Questions []NextQuestion `json:"questions,omitempty"`
}

// NextQuestion is the next level of one question: what "a step up" looks like there.
type NextQuestion struct {
	Question  string `json:"question"`
	Text      string `json:"text"`
	NextLevel string `json:"next_level"`
}

// QuestionMean is a question's mean score in a group.
type QuestionMean struct {
	Question string  `json:"question"`
	Text     string  `json:"text"`
	Mean     float64 `json:"mean"`
}

// SkillFigures are one skill's figures in one group.
type SkillFigures struct {
	Withheld bool
	Reason   string // why withheld
	N        int
	// Levels is the share of respondents at each proficiency level, 0 to 1.
	Levels map[string]float64
	// Coverage is the share at "working" or above; Depth the number at "practitioner" or above.
	Coverage float64
	Depth    int
	// MeetsExpected is the share at or above the level their role needs; nil where no role has one.
	MeetsExpected *float64
}

// Ratio is a share or a rate, rounded to three decimal places in JSON.
type Ratio float64

// MarshalJSON rounds the ratio.
func (r Ratio) MarshalJSON() ([]byte, error) {
	return json.Marshal(round(float64(r), 3))
}

// DistributionInfo describes a question reported as a distribution: a multi_choice question's
// options, or a number question's bins.
type DistributionInfo struct {
	Question string   `json:"question"`
	Text     string   `json:"text"`
	Type     string   `json:"type"`
	Unit     string   `json:"unit,omitempty"`
	Options  []Option `json:"options,omitempty"`
	Bins     []Bin    `json:"bins,omitempty"`
}

// Bin is a range of a number question's answers: from From up to, not including, To; the last bin
// includes To, the question's max (nil where it has none).
type Bin struct {
	From float64  `json:"from"`
	To   *float64 `json:"to"`
}

// Distribution is how a group answered a multi_choice or number question: N answered it; each
// option's share is of those N (options may be chosen together, so shares add up to 100% or more);
// each bin's, of those N too. Withheld carries nothing else.
type Distribution struct {
	Withheld bool
	Reason   string
	N        int
	Options  []Share
	Bins     []Share
}

// Share is how many of a group's answers chose an option (Key) or fell in a bin (From, To), and
// their share of the answers, 0 to 1.
type Share struct {
	Key      string
	From, To *float64
	Withheld bool
	Reason   string
	N        int
	Share    float64
}
