package store

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// saveBatch stores a batch inside the caller's transaction and fills in each response's outcome.
// The usual batch, new answers for open waves, costs one query for the retries among it, one for
// the modes of its waves and one INSERT per table for the rest. A response that needs more (an
// invitation to spend, a verified person's one answer to record, a second copy of a submission in
// the batch, any of a batch whose INSERT failed) goes alone, inside its own savepoint, so its
// failure undoes it alone; only the second copy looks for a stored response again. An error means
// the transaction itself failed.
func saveBatch(tx *gorm.DB, rs []NewResponse, outcomes []Outcome) error {
	stored, err := storedResponses(tx, rs)
	if err != nil {
		return err
	}
	modes, err := waveModes(tx, rs)
	if err != nil {
		return err
	}
	seen := map[submissionKey]bool{} // submissions met earlier in the batch
	var plain, apart, again []int
	for i, r := range rs {
		if err := cmp.Or(badDay(r), unverified(r, modes[r.WaveID])); err != nil {
			outcomes[i] = Outcome{Err: err}
			continue
		}
		k := submissionKey{r.WaveID, r.SubmissionHash}
		switch old, ok := stored[k]; {
		case ok:
			outcomes[i] = retryOf(old, r)
		case seen[k]:
			again = append(again, i) // after its first: a retry of it, or new if the first failed
		case r.InvitationHash != "" || r.Person != "":
			apart = append(apart, i)
		default:
			plain = append(plain, i)
		}
		seen[k] = true
	}
	// Rows are locked in the order they are inserted: every batch inserts in one order, by
	// submission, so two batches holding the same submissions (a retry sent to another instance
	// while the first is being stored) wait for each other instead of deadlocking on PostgreSQL.
	bySubmission := func(i, j int) int {
		return cmp.Or(cmp.Compare(rs[i].WaveID, rs[j].WaveID), strings.Compare(rs[i].SubmissionHash, rs[j].SubmissionHash))
	}
	slices.SortFunc(plain, bySubmission)
	slices.SortFunc(apart, bySubmission)
	if err := insertPlain(tx, rs, plain, outcomes); err != nil {
		return err
	}
	for _, i := range apart {
		if outcomes[i], err = saveApart(tx, rs[i], false); err != nil {
			return err
		}
	}
	for _, i := range again {
		if outcomes[i], err = saveApart(tx, rs[i], true); err != nil {
			return err
		}
	}
	var sums tallies
	for i, o := range outcomes {
		if o.Created {
			r := rs[i]
			r.TeamID = o.Saved.TeamID // an invitation's team
			sums.add(r)
		}
	}
	return sums.write(tx)
}

// submissionKey is what makes a response unique: its wave and submission hash.
type submissionKey struct {
	wave uint
	hash string
}

// storedResponses finds the responses of a batch that are stored already, one query per wave.
func storedResponses(tx *gorm.DB, rs []NewResponse) (map[submissionKey]Saved, error) {
	hashes := map[uint][]string{}
	for _, r := range rs {
		hashes[r.WaveID] = append(hashes[r.WaveID], r.SubmissionHash)
	}
	stored := map[submissionKey]Saved{}
	for wave, hs := range hashes {
		var rows []Response
		err := tx.Select("submission_hash", "team_id", "content_hash", "submitted_on", "overall", "dimension_scores").
			Where("wave_id = ? AND submission_hash IN ?", wave, hs).Find(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			saved, err := savedFrom(row)
			if err != nil {
				return nil, err
			}
			stored[submissionKey{wave, row.SubmissionHash}] = saved
		}
	}
	return stored, nil
}

// retryOf is the outcome of a response whose submission is stored: its first receipt, or
// ErrDifferentAnswers.
func retryOf(old Saved, r NewResponse) Outcome {
	if old.ContentHash != r.ContentHash {
		return Outcome{Err: fmt.Errorf("save response: %w", ErrDifferentAnswers)}
	}
	return Outcome{Saved: old}
}

// badDay refuses a response whose day is not a plain day: a time of submission could single a
// respondent out.
func badDay(r NewResponse) error {
	if _, err := time.Parse(time.DateOnly, r.SubmittedOn); err != nil {
		return fmt.Errorf("save response: submitted on %q must be a day, YYYY-MM-DD", r.SubmittedOn)
	}
	return nil
}

// batchSavepoint holds the plain responses of a batch while they are written together.
const batchSavepoint = "batch"

// insertPlain writes the new responses at the given indexes together. Should that fail (a team
// that does not exist, say), it is undone and each is written alone, so only the bad one fails.
func insertPlain(tx *gorm.DB, rs []NewResponse, indexes []int, outcomes []Outcome) error {
	if len(indexes) == 0 {
		return nil
	}
	batch := make([]NewResponse, len(indexes))
	for n, i := range indexes {
		batch[n] = rs[i]
	}
	var saved []Saved
	err, txErr := inSavepoint(tx, batchSavepoint, func() error {
		var err error
		saved, err = insertResponses(tx, batch)
		return err
	})
	if txErr != nil {
		return txErr
	}
	if err == nil {
		for n, i := range indexes {
			outcomes[i] = Outcome{Saved: saved[n], Created: true}
		}
		return nil
	}
	for _, i := range indexes {
		if outcomes[i], err = saveApart(tx, rs[i], false); err != nil {
			return err
		}
	}
	return nil
}
