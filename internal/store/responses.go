package store

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Errors of a submission.
var (
	// ErrDifferentAnswers is a submission_id already used for other answers.
	ErrDifferentAnswers = errors.New("submission_id already used for different answers")
	// ErrInvitation is an invitation code that is unknown, for another wave, or used.
	ErrInvitation = errors.New("invitation code is not valid or has been used")
	// ErrAlreadyAnswered is a second response from the same person to a verified wave.
	ErrAlreadyAnswered = errors.New("this person has already answered this wave")
)

// NewResponse is a checked, scored response ready to store. The submission rules assemble it;
// the store keeps what it is given.
type NewResponse struct {
	WaveID uint
	// TeamID is the chosen team; in an invite wave the invitation's team is used instead.
	TeamID         uint
	SubmissionHash string
	ContentHash    string
	InvitationHash string // invite waves only
	// Person is the keyed hash of who answers a verified wave (verified waves only). It is kept
	// apart, in verified_respondents, so that the same person cannot answer twice; never with the
	// response.
	Person            string
	DefinitionVersion string
	SubmittedOn       string
	Role              string
	Answers           []byte
	Choices           []Choice
	// Counted are what the response adds to the distributions of its multi_choice and number
	// questions (see DistributionTally).
	Counted []Counted
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
	Score *float64
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
	// Proficiency is the level index of a proficiency answer, else -1.
	Proficiency int
}

// Choice is an option chosen in a breakdown question.
type Choice struct {
	Question, Option string
}

// Counted is one value a response adds to a question's distribution: an option chosen in a
// multi_choice question, or the bin of a number; Value "" counts the response as one that answered.
type Counted struct {
	Question, Value string
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
	err := tx.Select("team_id", "content_hash", "submitted_on", "overall", "dimension_scores").
		Where("wave_id = ? AND submission_hash = ?", r.WaveID, r.SubmissionHash).Take(&row).Error
	if err != nil {
		return Saved{}, err
	}
	if row.ContentHash != r.ContentHash {
		return Saved{}, ErrDifferentAnswers
	}
	return savedFrom(row)
}

// savedFrom reads a stored response row as its receipt needs it.
func savedFrom(row Response) (Saved, error) {
	saved := Saved{TeamID: row.TeamID, ContentHash: row.ContentHash, SubmittedOn: row.SubmittedOn, Overall: row.Overall}
	if err := json.Unmarshal(row.DimensionScores, &saved.Dimensions); err != nil {
		return Saved{}, fmt.Errorf("stored dimension scores: %w", err)
	}
	return saved, nil
}

// encodeDimensionScores is how a response row keeps its receipt's dimension scores.
func encodeDimensionScores(dims map[string]*float64) ([]byte, error) {
	if dims == nil {
		dims = map[string]*float64{}
	}
	return json.Marshal(dims)
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

// insertResponse writes a response row and its free-text answers: all that is written per
// response. Its tallies are the caller's, summed over the batch.
func insertResponse(tx *gorm.DB, r NewResponse) (Saved, error) {
	saved, err := insertResponses(tx, []NewResponse{r})
	if err != nil {
		return Saved{}, err
	}
	return saved[0], nil
}

// responseColumns are the columns insertResponses writes, in its order.
const responseColumns = `id, wave_id, team_id, submission_hash, content_hash, definition_version, submitted_on, role,
	answers, overall, aspiration, reality, dimension_scores`

// insertResponses writes response rows, each under a new random id, then their free-text
// answers, a statement per rowsPerStatement rows (see execRows).
func insertResponses(tx *gorm.DB, rs []NewResponse) ([]Saved, error) {
	saved := make([]Saved, len(rs))
	var rows, texts []any
	for i, r := range rs {
		id, err := randomID()
		if err != nil {
			return nil, err
		}
		saved[i] = savedOf(r)
		dims, err := encodeDimensionScores(saved[i].Dimensions)
		if err != nil {
			return nil, err
		}
		rows = append(rows, id, r.WaveID, r.TeamID, r.SubmissionHash, r.ContentHash, r.DefinitionVersion,
			r.SubmittedOn, r.Role, r.Answers, r.Result.Overall, r.Result.Aspiration, r.Result.Reality, dims)
		for _, q := range slices.Sorted(maps.Keys(r.Texts)) {
			texts = append(texts, id, q, r.WaveID, r.TeamID, r.Texts[q])
		}
	}
	if err := insertRows(tx, "responses", responseColumns, 13, rows); err != nil {
		return nil, err
	}
	if err := insertRows(tx, "response_texts", "response_id, question, wave_id, team_id, text", 5, texts); err != nil {
		return nil, err
	}
	return saved, nil
}

// rowsPerStatement is the most rows one statement writes: 64 rows of 13 values stay well inside
// every database's limit on parameters.
const rowsPerStatement = 64

// insertRows writes rows of width values each, flattened in args.
func insertRows(tx *gorm.DB, table, columns string, width int, args []any) error {
	return execRows(tx, "INSERT INTO "+table+" ("+columns+")", "", width, args)
}

// execRows runs head VALUES (...), (...) tail over rows of width values each, flattened in args,
// in statements of rowsPerStatement (64), 32, 16, 8, 4, 2 and 1 rows: few enough shapes that every
// connection keeps each prepared (see statementCache), however many rows a batch has.
func execRows(tx *gorm.DB, head, tail string, width int, args []any) error {
	row := "(?" + strings.Repeat(", ?", width-1) + ")"
	for len(args) > 0 {
		rows := rowsPerStatement
		for rows*width > len(args) {
			rows /= 2
		}
		sql := head + " VALUES " + row + strings.Repeat(", "+row, rows-1) + tail
		if err := tx.Exec(sql, args[:rows*width]...).Error; err != nil {
			return err
		}
		args = args[rows*width:]
	}
	return nil
}

// savedOf is a new response as its receipt needs it.
func savedOf(r NewResponse) Saved {
	saved := Saved{TeamID: r.TeamID, ContentHash: r.ContentHash, SubmittedOn: r.SubmittedOn,
		Overall: r.Result.Overall, Dimensions: make(map[string]*float64, len(r.Result.Dimensions))}
	for dim, ds := range r.Result.Dimensions {
		saved.Dimensions[dim] = ds.Score
	}
	return saved
}

// randomID is a positive 63-bit random number: response IDs carry no order of arrival.
func randomID() (int64, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(b[:]) >> 1), nil
}

// CountResponses counts a wave's stored responses, from the overall score tallies (each response
// adds one to exactly one of them, in the transaction that stores it): a few hundred rows to sum
// instead of an index of every response, which reports ask on every request.
func (s *Store) CountResponses(ctx context.Context, waveID uint) (int64, error) {
	var n int64
	err := s.read.WithContext(ctx).Model(&ScoreTally{}).Select("COALESCE(SUM(n), 0)").
		Where("wave_id = ? AND dimension = ?", waveID, "").Scan(&n).Error
	return n, err
}

// SaveResponses stores many new responses, a batch per transaction: for demonstrations, imports and
// benchmarks, where nobody waits on each one. It does not check for retries.
func (s *Store) SaveResponses(ctx context.Context, rs []NewResponse) error {
	const batch = 500
	for start := 0; start < len(rs); start += batch {
		end := min(start+batch, len(rs))
		for _, r := range rs[start:end] {
			if err := badDay(r); err != nil {
				return err
			}
		}
		err := s.write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if _, err := insertResponses(tx, rs[start:end]); err != nil {
				return err
			}
			var sums tallies
			for _, r := range rs[start:end] {
				sums.add(r)
			}
			return sums.write(tx)
		})
		if err != nil {
			return fmt.Errorf("save responses: %w", err)
		}
	}
	return nil
}
