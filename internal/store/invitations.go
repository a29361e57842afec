package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// MaxInvitations is the most codes made in one go.
const MaxInvitations = 10000

// codeAlphabet leaves out letters easily misread (I, L, O, U), as Crockford's base 32 does.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// CreateInvitations makes count one-time codes for a team in an invite wave and returns them; only
// their hashes are stored, so this is the one time they can be seen.
func (s *Store) CreateInvitations(ctx context.Context, waveKey, teamKey string, count int) ([]string, error) {
	if count < 1 || count > MaxInvitations {
		return nil, fmt.Errorf("count must be 1 to %d, not %d", MaxInvitations, count)
	}
	w, err := s.Wave(ctx, waveKey)
	if err != nil {
		return nil, err
	}
	if w.Mode != ModeInvite {
		return nil, fmt.Errorf("wave %q is in %s mode and takes no invitations: %w", waveKey, w.Mode, ErrConflict)
	}
	if w.State(s.now()) == StateClosed {
		return nil, fmt.Errorf("wave %q has closed: %w", waveKey, ErrConflict)
	}
	t, err := s.WaveTeam(ctx, w.ID, teamKey)
	if err != nil {
		return nil, err
	}
	if t.Retired {
		return nil, fmt.Errorf("team %q is retired in this wave's hierarchy (left out of the import it opened with): %w", teamKey, ErrConflict)
	}
	codes := make([]string, count)
	rows := make([]Invitation, count)
	for i := range codes {
		if codes[i], err = newCode(); err != nil {
			return nil, err
		}
		rows[i] = Invitation{CodeHash: HashCode(codes[i]), WaveID: w.ID, TeamID: t.ID}
	}
	err = s.alone(ctx, func(tx *gorm.DB) error {
		return tx.Omit("Wave", "Team").CreateInBatches(rows, 500).Error
	})
	if err != nil {
		return nil, fmt.Errorf("create invitations: %w", err)
	}
	return codes, nil
}

// newCode is 15 random characters (75 bits) in three groups: XXXXX-XXXXX-XXXXX.
func newCode() (string, error) {
	var b [15]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return sb.String(), nil
}

// HashCode is how a code is stored: SHA-256 of the code in capitals without hyphens or spaces, so
// respondents may type it either way.
func HashCode(code string) string {
	norm := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:])
}
