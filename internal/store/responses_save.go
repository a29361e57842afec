package store

import (
	"context"
	"errors"
	"fmt"
	"time"

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
	s.noteBatch(outcomes, err == nil)
	return outcomes
}

// noteBatch translates the storage faults among a batch's outcomes to ErrUnavailable and records
// for readiness whether the batch found storage unwritable (a lasting fault in any outcome) or
// writable (committed without one). A lock held elsewhere says neither.
func (s *Store) noteBatch(outcomes []Outcome, committed bool) {
	var fault error
	for i := range outcomes {
		if f, ok := Unavailable(outcomes[i].Err); ok {
			outcomes[i].Err = translateFault(outcomes[i].Err)
			if f.Lasting() {
				fault = outcomes[i].Err
			}
		}
	}
	if fault != nil || committed {
		s.health.note(fault, time.Now())
	}
}

// responseSavepoint holds one response of a batch: rolled back to, it undoes that response alone.
const responseSavepoint = "response"

// inSavepoint runs save inside the savepoint name and, when save fails, rolls back to it, undoing
// what save wrote and nothing else. It returns save's error; txErr means the transaction failed.
func inSavepoint(tx *gorm.DB, name string, save func() error) (saveErr, txErr error) {
	if err := tx.Exec("SAVEPOINT " + name).Error; err != nil {
		return nil, err
	}
	if saveErr = save(); saveErr != nil {
		if err := tx.Exec("ROLLBACK TO SAVEPOINT " + name).Error; err != nil {
			return nil, errors.Join(saveErr, err)
		}
	}
	return saveErr, tx.Exec("RELEASE SAVEPOINT " + name).Error
}

// saveApart saves one response of a batch inside its own savepoint, looking for a stored response
// of its submission first when lookUp is set (the batch's one query has looked for the others).
// The response's own failure is in the outcome; an error means the transaction itself failed.
func saveApart(tx *gorm.DB, r NewResponse, lookUp bool) (Outcome, error) {
	var o Outcome
	err, txErr := inSavepoint(tx, responseSavepoint, func() error {
		var err error
		o.Saved, o.Created, err = saveResponse(tx, r, lookUp)
		return err
	})
	if txErr != nil {
		return Outcome{}, txErr
	}
	if err != nil {
		return recovered(tx, r, err), nil
	}
	return o, nil
}

// recovered is the outcome of a response whose save failed with err. Another writer may have
// stored the same submission between our read and insert, or used its invitation or its person's
// one answer first (possible where writers run in parallel, as on PostgreSQL): then the answer is
// its row, if it is this submission's.
func recovered(tx *gorm.DB, r NewResponse, err error) Outcome {
	if errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, ErrInvitation) && r.InvitationHash != "" ||
		errors.Is(err, ErrAlreadyAnswered) {
		stored, findErr := existingResponse(tx, r)
		switch {
		case findErr == nil:
			return Outcome{Saved: stored}
		case errors.Is(err, gorm.ErrDuplicatedKey) && !errors.Is(findErr, gorm.ErrRecordNotFound):
			err = findErr // stored with other answers; not found, the duplicate was some other row's
		}
	}
	return Outcome{Err: fmt.Errorf("save response: %w", err)}
}

// saveResponse stores r unless (with lookUp) its submission hash is stored already: then it
// returns the stored response, or ErrDifferentAnswers when the content differs.
func saveResponse(tx *gorm.DB, r NewResponse, lookUp bool) (saved Saved, created bool, err error) {
	if lookUp {
		saved, err = existingResponse(tx, r)
		if err == nil {
			return saved, false, nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return Saved{}, false, err
		}
	}
	if r.InvitationHash != "" {
		if r.TeamID, err = useInvitation(tx, r.WaveID, r.InvitationHash); err != nil {
			return Saved{}, false, err
		}
	}
	if r.Person != "" {
		if err := markAnswered(tx, r.WaveID, r.Person); err != nil {
			return Saved{}, false, err
		}
	}
	saved, err = insertResponse(tx, r)
	return saved, err == nil, err
}
