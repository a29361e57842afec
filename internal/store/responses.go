package store

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Errors of a submission.
var (
	// ErrDifferentAnswers is a submission_id already used for other answers.
	ErrDifferentAnswers = errors.New("submission_id already used for different answers")
	// ErrInvitation is an invitation code that is unknown, for another wave, or used.
	ErrInvitation = errors.New("invitation code is not valid or has been used")
)

// NewResponse is a checked, scored response ready to store. The submission rules assemble it;
// the store keeps what it is given.
type NewResponse struct {
	WaveID uint
	// TeamID is the chosen team; in an invite wave the invitation's team is used instead.
	TeamID            uint
	SubmissionHash    string
	ContentHash       string
	InvitationHash    string // invite waves only
	DefinitionVersion string
	SubmittedOn       string
	Role              string
	Answers           []byte
	Choices           []Choice
	// Texts maps text questions to their answers.
	Texts  map[string]string
	Result Scores
}

// Scores are one response's scores as they are stored, worked out before they reach the store.
type Scores struct {
	// Overall is the weighted mean of the dimension scores, nil when there is none; Reality and
	// Aspiration are the two sides of the response's gap, nil without aspiration-reality answers.
	Overall, Reality, Aspiration *float64
	Dimensions                   map[string]DimensionScore
	Items                        []ItemScore
}

// DimensionScore is one response's result in one dimension.
type DimensionScore struct {
	// Score is nil when the dimension had too few answers.
	Score    *float64
	Answered int
	// Reality and Aspiration are the means of the dimension's aspiration-reality answers.
	Reality, Aspiration *float64
	// Complete says every scored question was answered; Total is then the sum of their scores.
	Complete bool
	Total    float64
}

// ItemScore is one scored or proficiency answer.
type ItemScore struct {
	Question  string
	Dimension string // empty for a proficiency question outside every dimension
	// Score is the answer's score; for an aspiration-reality answer, its "now".
	Score float64
	// Aspiration is the "target" score of an aspiration-reality answer.
	Aspiration *float64
	// Proficiency is the level index of a proficiency answer, else -1.
	Proficiency int
}

// Choice is an option chosen in a breakdown question.
type Choice struct {
	Question, Option string
}

// Saved is a stored response as its receipt needs it.
type Saved struct {
	TeamID      uint
	ContentHash string
	SubmittedOn string
	Overall     *float64
	Dimensions  map[string]*float64
}

// FindResponse returns the stored response of a submission: ErrNotFound when there is none, and
// ErrDifferentAnswers when its content differs.
func (s *Store) FindResponse(ctx context.Context, waveID uint, submissionHash, contentHash string) (Saved, error) {
	saved, err := existingResponse(s.read.WithContext(ctx), NewResponse{WaveID: waveID, SubmissionHash: submissionHash, ContentHash: contentHash})
	if err != nil {
		return Saved{}, notFound(err, "response")
	}
	return saved, nil
}

func existingResponse(tx *gorm.DB, r NewResponse) (Saved, error) {
	var row Response
	err := tx.Where("wave_id = ? AND submission_hash = ?", r.WaveID, r.SubmissionHash).Take(&row).Error
	if err != nil {
		return Saved{}, err
	}
	if row.ContentHash != r.ContentHash {
		return Saved{}, ErrDifferentAnswers
	}
	var scores []ResponseScore
	if err := tx.Where("response_id = ?", row.ID).Find(&scores).Error; err != nil {
		return Saved{}, err
	}
	saved := Saved{TeamID: row.TeamID, ContentHash: row.ContentHash, SubmittedOn: row.SubmittedOn,
		Overall: row.Overall, Dimensions: map[string]*float64{}}
	for _, sc := range scores {
		saved.Dimensions[sc.Dimension] = sc.Score
	}
	return saved, nil
}

// useInvitation marks an unused code of the wave used and returns its team. Nothing links the code
// to the response it allows.
func useInvitation(tx *gorm.DB, waveID uint, codeHash string) (uint, error) {
	var inv Invitation
	err := tx.Where("code_hash = ? AND wave_id = ? AND used = ?", codeHash, waveID, false).Take(&inv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, ErrInvitation
	}
	if err != nil {
		return 0, err
	}
	res := tx.Model(&Invitation{}).Where("code_hash = ? AND used = ?", codeHash, false).Update("used", true)
	if res.Error != nil {
		return 0, res.Error
	}
	if res.RowsAffected != 1 {
		return 0, ErrInvitation
	}
	return inv.TeamID, nil
}

func insertResponse(tx *gorm.DB, r NewResponse) (Saved, error) {
	rows, err := rowsOf(r)
	if err != nil {
		return Saved{}, err
	}
	if err := rows.insert(tx); err != nil {
		return Saved{}, err
	}
	saved := Saved{TeamID: r.TeamID, ContentHash: r.ContentHash, SubmittedOn: r.SubmittedOn,
		Overall: r.Result.Overall, Dimensions: map[string]*float64{}}
	for dim, ds := range r.Result.Dimensions {
		saved.Dimensions[dim] = ds.Score
	}
	return saved, nil
}

// responseRows are the rows one or more responses are stored as.
type responseRows struct {
	responses []Response
	scores    []ResponseScore
	items     []ResponseItem
	choices   []ResponseChoice
	texts     []ResponseText
}

// rowsOf lays a response out as rows, under a new random id.
func rowsOf(r NewResponse) (responseRows, error) {
	id, err := randomID()
	if err != nil {
		return responseRows{}, err
	}
	rows := responseRows{responses: []Response{{
		ID: id, WaveID: r.WaveID, TeamID: r.TeamID, SubmissionHash: r.SubmissionHash, ContentHash: r.ContentHash,
		DefinitionVersion: r.DefinitionVersion, SubmittedOn: r.SubmittedOn, Role: r.Role, Answers: r.Answers,
		Overall: r.Result.Overall, Aspiration: r.Result.Aspiration, Reality: r.Result.Reality,
	}}}
	for dim, ds := range r.Result.Dimensions {
		rows.scores = append(rows.scores, ResponseScore{ResponseID: id, Dimension: dim, WaveID: r.WaveID, TeamID: r.TeamID,
			Score: ds.Score, Answered: ds.Answered, Reality: ds.Reality, Aspiration: ds.Aspiration,
			Complete: ds.Complete, Total: ds.Total})
	}
	for _, it := range r.Result.Items {
		item := ResponseItem{ResponseID: id, Question: it.Question, WaveID: r.WaveID, TeamID: r.TeamID,
			Dimension: it.Dimension, Score: it.Score, Aspiration: it.Aspiration, Role: r.Role,
			Complete: it.Dimension != "" && r.Result.Dimensions[it.Dimension].Complete}
		if it.Proficiency >= 0 {
			p := it.Proficiency
			item.Proficiency = &p
		}
		rows.items = append(rows.items, item)
	}
	for _, c := range r.Choices {
		rows.choices = append(rows.choices, ResponseChoice{ResponseID: id, Question: c.Question, Option: c.Option, WaveID: r.WaveID, TeamID: r.TeamID})
	}
	for q, text := range r.Texts {
		rows.texts = append(rows.texts, ResponseText{ResponseID: id, Question: q, WaveID: r.WaveID, TeamID: r.TeamID, Text: text})
	}
	return rows, nil
}

func (rr *responseRows) add(o responseRows) {
	rr.responses = append(rr.responses, o.responses...)
	rr.scores = append(rr.scores, o.scores...)
	rr.items = append(rr.items, o.items...)
	rr.choices = append(rr.choices, o.choices...)
	rr.texts = append(rr.texts, o.texts...)
}

// insert writes the rows, the responses first for their foreign keys.
func (rr *responseRows) insert(tx *gorm.DB) error {
	if len(rr.responses) > 0 {
		if err := tx.Omit("Wave", "Team").CreateInBatches(rr.responses, 200).Error; err != nil {
			return err
		}
	}
	for _, err := range []error{createAll(tx, rr.scores), createAll(tx, rr.items), createAll(tx, rr.choices), createAll(tx, rr.texts)} {
		if err != nil {
			return err
		}
	}
	if err := addTallies(tx, rr.items); err != nil {
		return err
	}
	return addScoreTallies(tx, rr.responses, rr.scores)
}

// addScoreTallies adds responses and their dimension scores to the score tallies, summed here
// first so each tally is written once.
func addScoreTallies(tx *gorm.DB, responses []Response, scores []ResponseScore) error {
	type key struct {
		wave, team uint
		dimension  string
		score      float64
	}
	sums := map[key]*ScoreTally{}
	var order []key
	add := func(k key, aspiration, reality *float64, complete bool, total float64) {
		t := sums[k]
		if t == nil {
			t = &ScoreTally{WaveID: k.wave, TeamID: k.team, Dimension: k.dimension, Score: k.score}
			sums[k] = t
			order = append(order, k)
		}
		t.N++
		if aspiration != nil {
			t.GapN++
			t.Aspiration += *aspiration
			t.Reality += *reality
		}
		if complete {
			t.CompleteN++
			t.Total += total
			t.TotalSq += total * total
		}
	}
	for _, r := range responses {
		add(key{r.WaveID, r.TeamID, "", scoreKey(r.Overall)}, r.Aspiration, r.Reality, false, 0)
	}
	for _, s := range scores {
		if s.Score == nil && s.Aspiration == nil {
			continue // nothing a report counts
		}
		add(key{s.WaveID, s.TeamID, s.Dimension, scoreKey(s.Score)}, s.Aspiration, s.Reality, s.Complete, s.Total)
	}
	if len(order) == 0 {
		return nil
	}
	tallies := make([]ScoreTally, len(order))
	for i, k := range order {
		tallies[i] = *sums[k]
	}
	sum := func(col string) clause.Expr { return gorm.Expr("score_tallies." + col + " + excluded." + col) }
	return tx.Omit("Wave", "Team").Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "wave_id"}, {Name: "team_id"}, {Name: "dimension"}, {Name: "score"}},
		DoUpdates: clause.Assignments(map[string]any{
			"n": sum("n"), "gap_n": sum("gap_n"), "aspiration": sum("aspiration"), "reality": sum("reality"),
			"complete_n": sum("complete_n"), "total": sum("total"), "total_sq": sum("total_sq"),
		}),
	}).CreateInBatches(tallies, 500).Error
}

// scoreKey is a score as a tally key: -1 for none.
func scoreKey(score *float64) float64 {
	if score == nil {
		return -1
	}
	return *score
}

// addTallies adds items to their tallies: summed here first, so each tally is written once.
func addTallies(tx *gorm.DB, items []ResponseItem) error {
	if len(items) == 0 {
		return nil
	}
	type key struct {
		wave, team     uint
		question, role string
		level          int
		complete       bool
	}
	sums := map[key]*ItemTally{}
	var order []key
	for _, it := range items {
		k := key{it.WaveID, it.TeamID, it.Question, it.Role, -1, it.Complete}
		if it.Proficiency != nil {
			k.level = *it.Proficiency
		}
		t := sums[k]
		if t == nil {
			t = &ItemTally{WaveID: k.wave, TeamID: k.team, Question: k.question, Role: k.role, Level: k.level, Complete: k.complete}
			sums[k] = t
			order = append(order, k)
		}
		t.N++
		t.Sum += it.Score
		t.SumSq += it.Score * it.Score
	}
	tallies := make([]ItemTally, len(order))
	for i, k := range order {
		tallies[i] = *sums[k]
	}
	return tx.Omit("Wave", "Team").Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "wave_id"}, {Name: "team_id"}, {Name: "question"}, {Name: "role"}, {Name: "level"}, {Name: "complete"}},
		DoUpdates: clause.Assignments(map[string]any{
			"n":      gorm.Expr("item_tallies.n + excluded.n"),
			"sum":    gorm.Expr("item_tallies.sum + excluded.sum"),
			"sum_sq": gorm.Expr("item_tallies.sum_sq + excluded.sum_sq"),
		}),
	}).CreateInBatches(tallies, 500).Error
}

// createAll inserts rows in statements of up to 500, skipping an empty slice (GORM refuses those).
func createAll[T any](tx *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return tx.Omit("Response").CreateInBatches(&rows, 500).Error
}

// randomID is a positive 63-bit random number: response IDs carry no order of arrival.
func randomID() (int64, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(b[:]) >> 1), nil
}

// CountResponses counts a wave's stored responses.
func (s *Store) CountResponses(ctx context.Context, waveID uint) (int64, error) {
	var n int64
	err := s.read.WithContext(ctx).Model(&Response{}).Where("wave_id = ?", waveID).Count(&n).Error
	return n, err
}

// SaveResponses stores many new responses, a batch per transaction: for demonstrations, imports and
// benchmarks, where nobody waits on each one. It does not check for retries.
func (s *Store) SaveResponses(ctx context.Context, rs []NewResponse) error {
	const batch = 200
	for start := 0; start < len(rs); start += batch {
		end := min(start+batch, len(rs))
		var all responseRows
		for _, r := range rs[start:end] {
			if _, err := time.Parse(time.DateOnly, r.SubmittedOn); err != nil {
				return fmt.Errorf("save responses: submitted on %q must be a day, YYYY-MM-DD", r.SubmittedOn)
			}
			rows, err := rowsOf(r)
			if err != nil {
				return err
			}
			all.add(rows)
		}
		err := s.write.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return all.insert(tx) })
		if err != nil {
			return fmt.Errorf("save responses: %w", err)
		}
	}
	return nil
}
