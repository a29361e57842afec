package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// markAnswered records, inside the response's own savepoint, that the person has answered the wave:
// a second answer from them is ErrAlreadyAnswered, and rolling back the response takes the record
// with it.
func markAnswered(tx *gorm.DB, waveID uint, person string) error {
	err := tx.Omit(clause.Associations).Create(&VerifiedRespondent{Person: person, WaveID: waveID}).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrAlreadyAnswered
	}
	return err
}

// HasAnswered says whether the person, by their keyed hash, has answered the verified wave, so the
// survey page can tell them before they fill it in again. It reads and writes nothing else.
func (s *Store) HasAnswered(ctx context.Context, waveID uint, person string) (bool, error) {
	var n int64
	err := s.read.WithContext(ctx).Model(&VerifiedRespondent{}).Where("person = ? AND wave_id = ?", person, waveID).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("has answered: %w", err)
	}
	return n > 0, nil
}

// waveModes finds the mode of each wave a batch answers, in one query.
func waveModes(tx *gorm.DB, rs []NewResponse) (map[uint]string, error) {
	ids := map[uint]bool{}
	for _, r := range rs {
		ids[r.WaveID] = true
	}
	list := make([]uint, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	var rows []Wave
	if err := tx.Select("id", "mode").Where("id IN ?", list).Find(&rows).Error; err != nil {
		return nil, err
	}
	modes := make(map[uint]string, len(rows))
	for _, w := range rows {
		modes[w.ID] = w.Mode
	}
	return modes, nil
}

// unverified refuses a response to a verified wave that names no person (it could be one of many
// from the same person), and one naming a person to any other wave: the last guard under the
// submission rules, so no way of writing responses can skip the once-only rule.
func unverified(r NewResponse, mode string) error {
	switch {
	case mode == ModeVerified && r.Person == "":
		return errors.New("save response: a verified wave's response must name its respondent")
	case mode != ModeVerified && r.Person != "":
		return errors.New("save response: only a verified wave keeps who has answered")
	}
	return nil
}
