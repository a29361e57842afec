package store

// Tables of earlier schemas, kept only so the migrations that made them still run on an empty
// database, and the one that retired them can read them. Until schema 10 every response wrote a
// row per dimension, per scored answer and per breakdown choice; the tallies and the response
// row hold all that reports and retries need.

// retiredScore was one response's score in one dimension (response_scores).
type retiredScore struct {
	ResponseID int64    `gorm:"primaryKey;autoIncrement:false"`
	Dimension  string   `gorm:"primaryKey;size:64;index:idx_scores_report,priority:3"`
	WaveID     uint     `gorm:"not null;index:idx_scores_report,priority:1"`
	TeamID     uint     `gorm:"not null;index:idx_scores_report,priority:2"`
	Score      *float64 `gorm:"index:idx_scores_report,priority:4"`
	Answered   int      `gorm:"not null"`
	Reality    *float64 `gorm:"index:idx_scores_report,priority:8"`
	Aspiration *float64 `gorm:"index:idx_scores_report,priority:7"`
	Complete   bool     `gorm:"not null;default:false;index:idx_scores_report,priority:5"`
	Total      float64  `gorm:"not null;default:0;index:idx_scores_report,priority:6"`

	Response Response `gorm:"constraint:OnDelete:CASCADE"`
}

func (retiredScore) TableName() string { return "response_scores" }

// retiredItem was one response's scored or proficiency answer (response_items).
type retiredItem struct {
	ResponseID  int64    `gorm:"primaryKey;autoIncrement:false"`
	Question    string   `gorm:"primaryKey;size:64;index:idx_items_report,priority:3"`
	WaveID      uint     `gorm:"not null;index:idx_items_report,priority:1"`
	TeamID      uint     `gorm:"not null;index:idx_items_report,priority:2"`
	Dimension   string   `gorm:"size:64;not null;default:''"`
	Score       float64  `gorm:"not null;index:idx_items_report,priority:7"`
	Aspiration  *float64 `gorm:""`
	Proficiency *int     `gorm:"index:idx_items_report,priority:5"`
	Role        string   `gorm:"size:64;not null;default:'';index:idx_items_report,priority:4"`
	Complete    bool     `gorm:"not null;default:false;index:idx_items_report,priority:6"`

	Response Response `gorm:"constraint:OnDelete:CASCADE"`
}

func (retiredItem) TableName() string { return "response_items" }

// retiredChoice was one option a response chose in a breakdown question (response_choices).
type retiredChoice struct {
	ResponseID int64  `gorm:"primaryKey;autoIncrement:false"`
	Question   string `gorm:"primaryKey;size:64"`
	Option     string `gorm:"primaryKey;size:64"`
	WaveID     uint   `gorm:"not null;index:idx_choices_report,priority:1"`
	TeamID     uint   `gorm:"not null;index:idx_choices_report,priority:2"`

	Response Response `gorm:"constraint:OnDelete:CASCADE"`
}

func (retiredChoice) TableName() string { return "response_choices" }

func (*retiredScore) keepsNoOrder()  {}
func (*retiredItem) keepsNoOrder()   {}
func (*retiredChoice) keepsNoOrder() {}
