// Package survey holds the survey definition model: its YAML form, validation and versions.
package survey

// Question types a definition may use.
const (
	TypeMaturity          = "maturity"
	TypeAspirationReality = "aspiration-reality"
	TypeProficiency       = "proficiency"
	TypeChoice            = "choice"
	TypeMultiChoice       = "multi_choice"
	TypeNumber            = "number"
	TypeText              = "text"
)

// DontKnow is the answer a respondent gives instead of a level where a question allows it.
const DontKnow = "dont_know"

// Level-count limits for maturity and aspiration-reality questions.
const (
	MinLevels = 3
	MaxLevels = 7
)

// DefaultTextLength is the longest text answer accepted when a question does not say.
const DefaultTextLength = 2000

// MaxTextLength is the longest max_length a text question may declare.
const MaxTextLength = 10000

// Definition is one questionnaire: its scale, dimensions, skills and questions.
type Definition struct {
	Pos         `yaml:"-" json:"-"`
	ID          string      `yaml:"id" json:"id"`
	Title       string      `yaml:"title" json:"title"`
	Description string      `yaml:"description" json:"description,omitempty"`
	Minutes     int         `yaml:"minutes" json:"minutes,omitempty"`
	Scale       Scale       `yaml:"scale" json:"scale"`
	Proficiency []string    `yaml:"proficiency" json:"proficiency,omitempty"`
	Roles       *Roles      `yaml:"roles" json:"roles,omitempty"`
	Dimensions  []Dimension `yaml:"dimensions" json:"dimensions"`
	Skills      []Skill     `yaml:"skills" json:"skills,omitempty"`
	Sections    []Section   `yaml:"sections" json:"sections"`

	// Version is the content hash of the file the definition was read from.
	Version string `yaml:"-" json:"version"`
	// File is where the definition was read from, for messages.
	File string `yaml:"-" json:"-"`
	// Source is the file's bytes, stored with each version so old waves can be read back exactly.
	Source []byte `yaml:"-" json:"-"`

	questions map[string]*Question
	order     []*Question
}

// Scale is the aspiration-to-reality scale: named stages over scores 0-100.
type Scale struct {
	Stages []Stage `yaml:"stages" json:"stages"`
}

// Stage is a named band of the 0-100 maturity score, starting at From.
type Stage struct {
	Pos         `yaml:"-" json:"-"`
	Key         string  `yaml:"key" json:"key"`
	Label       string  `yaml:"label" json:"label"`
	From        float64 `yaml:"from" json:"from"`
	Description string  `yaml:"description" json:"description,omitempty"`
}

// Roles names the question whose answer is a respondent's role, so skills can say what each role needs.
type Roles struct {
	Pos      `yaml:"-" json:"-"`
	Question string `yaml:"question" json:"question"`
}

// Dimension is an area of maturity; each scored question belongs to one.
type Dimension struct {
	Pos         `yaml:"-" json:"-"`
	Key         string  `yaml:"key" json:"key"`
	Title       string  `yaml:"title" json:"title"`
	Description string  `yaml:"description" json:"description,omitempty"`
	Weight      float64 `yaml:"weight" json:"weight"`
	// MinAnswers is how many scored answers a response needs in this dimension to have a score.
	MinAnswers int `yaml:"min_answers" json:"min_answers"`
	// InOverall says whether the dimension counts in the overall score. Left out, it is true where
	// the dimension has a scored question every respondent is shown, false otherwise: a team that
	// does not do some kind of work skips its questions, and an overall that left them out for some
	// teams and not others could not be compared across teams. See CountsInOverall.
	InOverall *bool `yaml:"in_overall" json:"in_overall,omitempty"`
	// Guidance maps a stage key to what a group whose score in this dimension sits in that stage
	// could do next, in plain words, with links to public guidance.
	Guidance map[string]Guidance `yaml:"guidance" json:"guidance,omitempty"`

	inOverall bool
}

// Guidance is the next step for a group in one stage of a dimension.
type Guidance struct {
	Text  string `yaml:"text" json:"text"`
	Links []Link `yaml:"links" json:"links,omitempty"`
}

// Link is a public page a piece of guidance points to.
type Link struct {
	Title string `yaml:"title" json:"title"`
	URL   string `yaml:"url" json:"url"`
}

// CountsInOverall says whether the dimension counts in the overall score (see InOverall).
func (d *Dimension) CountsInOverall() bool { return d.inOverall }

// Skill is a capability asked about on the proficiency levels.
type Skill struct {
	Pos   `yaml:"-" json:"-"`
	Key   string `yaml:"key" json:"key"`
	Title string `yaml:"title" json:"title"`
	// Group is "specialist" (depth matters) or "mainstream" (coverage matters).
	Group string `yaml:"group" json:"group"`
	// Expected maps a role (an option of the roles question) to the proficiency level it needs.
	Expected map[string]string `yaml:"expected" json:"expected,omitempty"`
}

// Section is one page of the questionnaire.
type Section struct {
	Pos         `yaml:"-" json:"-"`
	Key         string `yaml:"key" json:"key"`
	Title       string `yaml:"title" json:"title"`
	Description string `yaml:"description" json:"description,omitempty"`
	// ShowIf asks the whole section only when an earlier choice has one of the given answers (so a
	// team that does no policy work is not asked about it). Its questions take it as their own.
	ShowIf    *ShowIf    `yaml:"show_if" json:"show_if,omitempty"`
	Questions []Question `yaml:"questions" json:"questions"`
}

// Question is one question of any type; fields that do not apply to its type stay empty.
type Question struct {
	Pos       `yaml:"-" json:"-"`
	Key       string  `yaml:"key" json:"key"`
	Type      string  `yaml:"type" json:"type"`
	Text      string  `yaml:"text" json:"text"`
	Hint      string  `yaml:"hint" json:"hint,omitempty"`
	Required  bool    `yaml:"required" json:"required"`
	DontKnow  bool    `yaml:"dont_know" json:"dont_know"`
	ShowIf    *ShowIf `yaml:"show_if" json:"show_if,omitempty"`
	Dimension string  `yaml:"dimension" json:"dimension,omitempty"`
	Weight    float64 `yaml:"weight" json:"weight,omitempty"`

	// Levels describes every level of a maturity or aspiration-reality question, lowest first.
	Levels []string `yaml:"levels" json:"levels,omitempty"`
	// NowText and TargetText label the two answers of an aspiration-reality question.
	NowText    string `yaml:"now_text" json:"now_text,omitempty"`
	TargetText string `yaml:"target_text" json:"target_text,omitempty"`

	Skill string `yaml:"skill" json:"skill,omitempty"`

	Options    []Option `yaml:"options" json:"options,omitempty"`
	MaxChoices int      `yaml:"max_choices" json:"max_choices,omitempty"`
	Breakdown  bool     `yaml:"breakdown" json:"breakdown,omitempty"`

	Min  *float64 `yaml:"min" json:"min,omitempty"`
	Max  *float64 `yaml:"max" json:"max,omitempty"`
	Unit string   `yaml:"unit" json:"unit,omitempty"`
	// Integer makes a number question accept whole numbers only, such as a count of people or hours.
	Integer bool `yaml:"integer" json:"integer,omitempty"`

	MaxLength int `yaml:"max_length" json:"max_length,omitempty"`

	// Bins lists where each bin of a number question's distribution in reports starts (see
	// BinEdges); respondents never see it.
	Bins []float64 `yaml:"bins" json:"-"`
}

// Option is one answer of a choice or multi_choice question.
type Option struct {
	Key   string `yaml:"key" json:"key"`
	Label string `yaml:"label" json:"label"`
	// Exclusive marks an option of a multi_choice question, such as "None of these", that cannot
	// be chosen with any other.
	Exclusive bool `yaml:"exclusive" json:"exclusive,omitempty"`
}

// ShowIf makes a question appear only when an earlier choice question has one of the given answers.
type ShowIf struct {
	Pos      `yaml:"-" json:"-"`
	Question string   `yaml:"question" json:"question"`
	Equals   string   `yaml:"equals" json:"equals,omitempty"`
	In       []string `yaml:"in" json:"in,omitempty"`
}

// Matches reports whether the answer key chosen for the show_if question shows the question.
func (s *ShowIf) Matches(chosen []string) bool {
	for _, c := range chosen {
		if c == s.Equals {
			return true
		}
		for _, v := range s.In {
			if c == v {
				return true
			}
		}
	}
	return false
}

// Scored reports whether answers to the question feed a dimension score.
func (q *Question) Scored() bool {
	switch q.Type {
	case TypeMaturity, TypeAspirationReality:
		return true
	case TypeProficiency:
		return q.Dimension != ""
	}
	return false
}

// TextLimit is the longest text answer the question accepts, in characters.
func (q *Question) TextLimit() int {
	if q.MaxLength > 0 {
		return q.MaxLength
	}
	return DefaultTextLength
}

// Option returns the option with the given key.
func (q *Question) Option(key string) (Option, bool) {
	for _, o := range q.Options {
		if o.Key == key {
			return o, true
		}
	}
	return Option{}, false
}
