package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// Outcome is what became of one response of a batch.
type Outcome struct {
	// Saved is the stored response: the new one, or the one stored before under its submission hash.
	Saved Saved
	// Created is false when the response was stored before, by an earlier batch or earlier in this one.
	Created bool
	Err     error
}

// SaveResponse stores a response with its scores, once per submission hash and wave: when the hash
// is already stored it returns the stored response and created=false, or ErrDifferentAnswers when
// the content differs. Concurrent duplicates leave one row.
func (s *Store) SaveResponse(ctx context.Context, r NewResponse) (saved Saved, created bool, err error) {
	o := s.SaveBatch(ctx, []NewResponse{r})[0]
	return o.Saved, o.Created, o.Err
}

// SaveBatch stores responses in one write transaction, so they share one sync to disk, and says
// what became of each, in order. Each is handled as SaveResponse handles one: one that fails
// leaves no trace and its neighbours are stored. A submission hash twice in one batch is handled
// as across batches: the second finds the first. What the new ones add to the tallies is summed
// over the batch and written once, at its end. If the transaction fails, every outcome carries
// its error: none was stored.
func (s *Store) SaveBatch(ctx context.Context, rs []NewResponse) []Outcome {
	outcomes := make([]Outcome, len(rs))
	err := s.write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return saveBatch(tx, rs, outcomes)
	})
	if err != nil {
		for i := range outcomes {
			outcomes[i] = Outcome{Err: fmt.Errorf("save response: %w", err)}
		}
	}
	return outcomes
}

// responseSavepoint holds one response of a batch: rolled back to, it undoes that response alone.
const responseSavepoint = "response"

// saveApart saves one response of a batch inside its own savepoint. The response's own failure is
// in the outcome; an error means the transaction itself failed.
func saveApart(tx *gorm.DB, r NewResponse) (Outcome, error) {
	if err := badDay(r); err != nil {
		return Outcome{Err: err}, nil
	}
	if err := tx.Exec("SAVEPOINT " + responseSavepoint).Error; err != nil {
		return Outcome{}, err
	}
	saved, created, err := saveResponse(tx, r)
	if err != nil {
		if rbErr := tx.Exec("ROLLBACK TO SAVEPOINT " + responseSavepoint).Error; rbErr != nil {
			return Outcome{}, errors.Join(err, rbErr)
		}
		created = false
		if errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, ErrInvitation) && r.InvitationHash != "" {
			// Another writer stored the same submission between our read and insert, or used its
			// invitation first (possible where writers run in parallel, as on PostgreSQL): answer
			// with its row, if it is this submission's.
			stored, findErr := existingResponse(tx, r)
			switch {
			case findErr == nil:
				saved, err = stored, nil
			case errors.Is(err, gorm.ErrDuplicatedKey) && !errors.Is(findErr, gorm.ErrRecordNotFound):
				err = findErr // stored with other answers; not found, the duplicate was some other row's
			}
		}
	}
	if relErr := tx.Exec("RELEASE SAVEPOINT " + responseSavepoint).Error; relErr != nil {
		return Outcome{}, relErr
	}
	if err != nil {
		return Outcome{Err: fmt.Errorf("save response: %w", err)}, nil
	}
	return Outcome{Saved: saved, Created: created}, nil
}

// saveResponse stores r unless its submission hash is stored already: then it returns the stored
// response, or ErrDifferentAnswers when the content differs.
func saveResponse(tx *gorm.DB, r NewResponse) (saved Saved, created bool, err error) {
	saved, err = existingResponse(tx, r)
	if err == nil {
		return saved, false, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return Saved{}, false, err
	}
	if r.InvitationHash != "" {
		if r.TeamID, err = useInvitation(tx, r.WaveID, r.InvitationHash); err != nil {
			return Saved{}, false, err
		}
	}
	saved, err = insertResponse(tx, r)
	return saved, err == nil, err
}
