package store

import "time"

// The stored rows. They carry GORM tags only: API shapes live in api/, definitions in survey.

// DefinitionVersion is one version of a survey definition, kept whole so old waves never change.
type DefinitionVersion struct {
	Version  string `gorm:"primaryKey;size:64"`
	SurveyID string `gorm:"size:64;not null;index"`
	Title    string `gorm:"size:300;not null"`
	Source   []byte `gorm:"not null"`
	// LoadedAt is when the service first saw this version (not a respondent's time).
	LoadedAt time.Time `gorm:"not null"`
}

// Wave is one run of a survey.
type Wave struct {
	ID                uint   `gorm:"primaryKey"`
	Key               string `gorm:"size:64;not null;uniqueIndex"`
	SurveyID          string `gorm:"size:64;not null;index"`
	DefinitionVersion string `gorm:"size:64;not null"`
	Title             string `gorm:"size:300;not null"`
	Mode              string `gorm:"size:16;not null"`
	Threshold         int    `gorm:"not null"`
	OpensAt           *time.Time
	ClosesAt          *time.Time
	CreatedAt         time.Time `gorm:"not null"`
	// ScoringRules is the version of the scoring rules the wave's responses are scored under
	// (package scoring's Rules), fixed when it is created, so its figures never mix two ways. (Last,
	// as migration 14 added it.)
	ScoringRules int `gorm:"not null;default:1"`

	Definition DefinitionVersion `gorm:"foreignKey:DefinitionVersion;references:Version;constraint:OnDelete:RESTRICT"`
}

// Team is a node of the hierarchy: the department, a directorate or a team.
type Team struct {
	ID        uint   `gorm:"primaryKey"`
	Key       string `gorm:"size:64;not null;uniqueIndex"`
	Name      string `gorm:"size:200;not null"`
	ParentID  *uint  `gorm:"index"`
	Headcount *int
	// Retired teams were left out of the latest import: kept for old responses, not offered to new ones.
	Retired bool `gorm:"not null;default:false"`

	Parent *Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// TeamClosure holds one row per ancestor and descendant (and each team with itself, depth 0), so a
// subtree's responses are one join away.
type TeamClosure struct {
	AncestorID   uint `gorm:"primaryKey;autoIncrement:false"`
	DescendantID uint `gorm:"primaryKey;autoIncrement:false;index"`
	Depth        int  `gorm:"not null"`
}

// Response is one submitted questionnaire. It holds no name, address, browser or time of day:
// SubmittedOn is the day only, and ID is random, so rows carry no order of arrival either.
//
// It is all that is written per response besides its free-text answers: reports read the tallies,
// and anything else (an answer's score, a breakdown choice) can be worked out again from Answers
// and the definition version.
type Response struct {
	ID     int64 `gorm:"primaryKey;autoIncrement:false"`
	WaveID uint  `gorm:"not null;uniqueIndex:idx_responses_submission,priority:1"`
	TeamID uint  `gorm:"not null"`
	// SubmissionHash is the SHA-256 of the client's submission_id, for idempotent retries.
	SubmissionHash string `gorm:"size:64;not null;uniqueIndex:idx_responses_submission,priority:2"`
	// ContentHash is the SHA-256 of team and canonical answers, to tell a retry from a different answer.
	ContentHash       string `gorm:"size:64;not null"`
	DefinitionVersion string `gorm:"size:64;not null"`
	SubmittedOn       string `gorm:"size:10;not null"` // YYYY-MM-DD
	// Role is the answer to the definition's roles question, for "meets expected" skills figures.
	Role    string   `gorm:"size:64;not null;default:''"`
	Answers []byte   `gorm:"not null"` // canonical JSON
	Overall *float64 // the overall score, nil when there is none
	// Aspiration and Reality are the response's two sides of the gap over all its dimensions.
	Aspiration *float64
	Reality    *float64
	// DimensionScores is the receipt's score per dimension, as a JSON object (null for a dimension
	// with too few answers), so a retry answers with the first receipt from this row alone.
	DimensionScores []byte `gorm:"not null;default:'{}'"`

	Wave Wave `gorm:"constraint:OnDelete:RESTRICT"`
	Team Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// ResponseText is one free-text answer, kept apart so reports can list a group's comments without
// reading every response's answers.
type ResponseText struct {
	ResponseID int64  `gorm:"primaryKey;autoIncrement:false"`
	Question   string `gorm:"primaryKey;size:64"`
	WaveID     uint   `gorm:"not null;index:idx_texts_report,priority:1"`
	TeamID     uint   `gorm:"not null;index:idx_texts_report,priority:2"`
	Text       string `gorm:"not null"`

	Response Response `gorm:"constraint:OnDelete:CASCADE"`
}

// Invitation is a one-time code for an invite wave, stored as a hash. Using it marks it used and
// records nothing about the response it allowed.
type Invitation struct {
	CodeHash string `gorm:"primaryKey;size:64"`
	WaveID   uint   `gorm:"not null;index"`
	TeamID   uint   `gorm:"not null"`
	Used     bool   `gorm:"not null;default:false"`

	Wave Wave `gorm:"constraint:OnDelete:CASCADE"`
	Team Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// ReportSnapshot holds the figures a wave's report has published, as the report package encodes
// them: while a wave is open they change only in steps of at least the threshold, so the last
// published figures must be kept between requests and between instances.
type ReportSnapshot struct {
	WaveID    uint   `gorm:"primaryKey;autoIncrement:false"`
	Breakdown string `gorm:"primaryKey;size:64"`
	// Responses is the wave's response count when the snapshot was last compared with the data.
	Responses   int64  `gorm:"not null"`
	Data        []byte `gorm:"not null"`
	RefreshedOn string `gorm:"size:10;not null"` // YYYY-MM-DD
	// Revision counts the writes, so a snapshot merged outside the write transaction is stored only
	// over the one it was merged with.
	Revision int64 `gorm:"not null;default:0"`

	Wave Wave `gorm:"constraint:OnDelete:CASCADE"`
}

// ItemTally sums a team's answers to one question in one wave, per role, proficiency level (-1 for
// questions on maturity levels) and completeness. It is kept up to date in the same transaction as
// the responses, summed over each batch first, so reports read a few thousand tallies instead of
// every answer.
type ItemTally struct {
	WaveID   uint    `gorm:"primaryKey;autoIncrement:false"`
	TeamID   uint    `gorm:"primaryKey;autoIncrement:false"`
	Question string  `gorm:"primaryKey;size:64"`
	Role     string  `gorm:"primaryKey;size:64"`
	Level    int     `gorm:"primaryKey;autoIncrement:false"`
	Complete bool    `gorm:"primaryKey"`
	N        int     `gorm:"not null"`
	Sum      float64 `gorm:"not null"`
	SumSq    float64 `gorm:"not null"`

	Wave Wave `gorm:"constraint:OnDelete:CASCADE"`
	Team Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// ScoreTally sums a team's responses with one score in one dimension (Dimension "" for the overall
// score; Score -1 for responses without one) in one wave: how many, the two sides of their gap, and
// the plain totals of those complete in the dimension. Kept in the same transaction as the
// responses, so reports read tallies instead of every score.
type ScoreTally struct {
	WaveID     uint    `gorm:"primaryKey;autoIncrement:false"`
	TeamID     uint    `gorm:"primaryKey;autoIncrement:false"`
	Dimension  string  `gorm:"primaryKey;size:64"`
	Score      float64 `gorm:"primaryKey;autoIncrement:false"`
	N          int     `gorm:"not null"`
	GapN       int     `gorm:"not null"`
	Aspiration float64 `gorm:"not null"`
	Reality    float64 `gorm:"not null"`
	CompleteN  int     `gorm:"not null"`
	Total      float64 `gorm:"not null"`
	TotalSq    float64 `gorm:"not null"`

	Wave Wave `gorm:"constraint:OnDelete:CASCADE"`
	Team Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// CellTally sums a team's responses that chose one option of a breakdown question and have one
// score in one dimension (Dimension "" for the overall score; Score -1 for responses without one),
// as ScoreTally sums them for the whole team: how many, and the two sides of their gap. Breakdown
// reports read it one question at a time, so the question comes first in its key.
type CellTally struct {
	WaveID     uint    `gorm:"primaryKey;autoIncrement:false"`
	Question   string  `gorm:"primaryKey;size:64"`
	TeamID     uint    `gorm:"primaryKey;autoIncrement:false"`
	Option     string  `gorm:"primaryKey;size:64"`
	Dimension  string  `gorm:"primaryKey;size:64"`
	Score      float64 `gorm:"primaryKey;autoIncrement:false"`
	N          int     `gorm:"not null"`
	GapN       int     `gorm:"not null;default:0"`
	Aspiration float64 `gorm:"not null;default:0"`
	Reality    float64 `gorm:"not null;default:0"`

	Wave Wave `gorm:"constraint:OnDelete:CASCADE"`
	Team Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// CellSkillTally counts a team's responses that chose one option of a breakdown question and
// answered one proficiency question (Skill, the question's key) at one level, per role: a breakdown
// cell's skills. (For the roles question this repeats the item tallies' levels by role: reports
// read a breakdown's cells before they know which question is the roles question.)
type CellSkillTally struct {
	WaveID   uint   `gorm:"primaryKey;autoIncrement:false"`
	Question string `gorm:"primaryKey;size:64"`
	TeamID   uint   `gorm:"primaryKey;autoIncrement:false"`
	Option   string `gorm:"primaryKey;size:64"`
	Skill    string `gorm:"primaryKey;size:64"`
	Role     string `gorm:"primaryKey;size:64"`
	Level    int    `gorm:"primaryKey;autoIncrement:false"`
	N        int    `gorm:"not null"`

	Wave Wave `gorm:"constraint:OnDelete:CASCADE"`
	Team Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// DistributionTally counts a team's answers to a multi_choice or number question: per option chosen
// (Value its key), or per bin of a number (Value the bin's index, from 0), with Value "" counting
// the respondents who answered the question at all.
type DistributionTally struct {
	WaveID   uint   `gorm:"primaryKey;autoIncrement:false"`
	TeamID   uint   `gorm:"primaryKey;autoIncrement:false"`
	Question string `gorm:"primaryKey;size:64"`
	Value    string `gorm:"primaryKey;size:64"`
	N        int    `gorm:"not null"`

	Wave Wave `gorm:"constraint:OnDelete:CASCADE"`
	Team Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// User is a person who signs in to read reports or administer the service: a local account with
// an argon2id password hash, or one made by single sign-on (no password). Respondents are never users.
type User struct {
	ID    uint   `gorm:"primaryKey"`
	Email string `gorm:"size:254;not null;uniqueIndex"` // lower case
	// PasswordHash is an argon2id hash in the PHC string form; empty for single sign-on accounts.
	PasswordHash string `gorm:"size:200;not null;default:''"`
	Role         string `gorm:"size:16;not null"`
	// ScopeTeamID is the team whose subtree a lead may see; nil for admin and hr.
	ScopeTeamID *uint
	// Comments allows an hr user to read free-text comments (admins and leads always may).
	Comments bool   `gorm:"not null;default:false"`
	Source   string `gorm:"size:16;not null;default:'local'"` // local or oidc
	// Subject is the identity provider's stable id of a single sign-on account's person: an email
	// can be changed or reused at the provider, the subject cannot.
	Subject   string    `gorm:"size:255;not null;default:''"`
	CreatedAt time.Time `gorm:"not null"`

	ScopeTeam *Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// Session is one signed-in browser. Only the SHA-256 of the cookie's value is kept, so a copy of
// the database holds no usable session.
type Session struct {
	IDHash     string    `gorm:"primaryKey;size:64"`
	UserID     uint      `gorm:"not null;index"`
	CSRFToken  string    `gorm:"size:64;not null"`
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	// ExpiresAt is the hard end, whatever the activity.
	ExpiresAt time.Time `gorm:"not null;index"`

	User User `gorm:"constraint:OnDelete:CASCADE"`
}

// APIToken lets a program (HR's scripts, Power BI) read or administer through the API. Only the
// SHA-256 of the token is kept.
type APIToken struct {
	ID          uint   `gorm:"primaryKey"`
	Name        string `gorm:"size:100;not null;uniqueIndex"`
	Hash        string `gorm:"size:64;not null;uniqueIndex"`
	Role        string `gorm:"size:16;not null"`
	ScopeTeamID *uint
	Comments    bool       `gorm:"not null;default:false"`
	CreatedAt   time.Time  `gorm:"not null"`
	ExpiresAt   *time.Time // nil: never
	RevokedAt   *time.Time
	LastUsedOn  string `gorm:"size:10;not null;default:''"` // YYYY-MM-DD: the day is enough

	ScopeTeam *Team `gorm:"constraint:OnDelete:RESTRICT"`
}

// AuditEvent is one line of the audit log: an admin action, a sign-in, or a report export. It never
// holds answers, invitation codes, passwords or tokens.
type AuditEvent struct {
	ID     uint      `gorm:"primaryKey"`
	At     time.Time `gorm:"not null;index"`
	Actor  string    `gorm:"size:300;not null"` // user:EMAIL, token:NAME, cli, or anonymous
	Action string    `gorm:"size:64;not null"`  // such as sign-in.failed, wave.open, report.export
	Target string    `gorm:"size:300;not null;default:''"`
	Detail string    `gorm:"size:1000;not null;default:''"`
	// Address is the client's address, for staff actions only; never for respondents.
	Address string `gorm:"size:64;not null;default:''"`
}

// SignInFlow is a single sign-on sign-in under way: kept from the redirect to the provider until
// its answer comes back, then deleted, so the same answer cannot be used twice.
type SignInFlow struct {
	StateHash string    `gorm:"primaryKey;size:64"`
	Nonce     string    `gorm:"size:100;not null"`
	Verifier  string    `gorm:"size:100;not null"` // the PKCE code verifier
	ReturnTo  string    `gorm:"size:500;not null;default:''"`
	CreatedAt time.Time `gorm:"not null;index"`
	// WaveID is the wave a respondent signs in to answer, 0 for a member of staff signing in: the
	// provider's answer is taken as the kind of sign-in it began as, never the other.
	WaveID uint `gorm:"not null;default:0"`
}

// VerifiedRespondent records that a person has answered a verified wave, and nothing else: Person
// is a keyed hash of who signed in and the wave, which only the respondent key (kept out of the
// database) can make from a person's identity. There is no time and no response id, and the table
// is kept in the order of the hashes (without a rowid on SQLite), not of arrival, so no row can be
// matched with the response it allowed.
type VerifiedRespondent struct {
	Person string `gorm:"primaryKey;size:64"`
	WaveID uint   `gorm:"not null"`

	Wave Wave `gorm:"constraint:OnDelete:CASCADE"`
}
