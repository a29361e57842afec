package submission

import (
	"context"
	"fmt"

	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// Receipt is what a respondent gets back: their own scores, exact; rounding is for the edge.
type Receipt struct {
	SubmissionID string
	Wave         string
	Team         string
	SubmittedOn  string
	Overall      Score
	// Dimensions holds every dimension of the definition, scored or not.
	Dimensions map[string]Score
}

// Score is a score and the key of the stage it falls in; both empty when there is no score.
type Score struct {
	Value *float64
	Stage string
}

// receipt builds the receipt from what is stored, so a retry gets the first receipt. Its
// submission_id is the one sent this time, in the spelling the client used.
func (s *Service) receipt(ctx context.Context, c Checked, saved store.Saved) (Receipt, error) {
	// The stored response matched the submission's content, team included; only an invite wave's
	// team, which the code named, has to be looked up.
	team := c.sub.Team
	if team == "" {
		t, err := s.store.TeamByID(ctx, saved.TeamID)
		if err != nil {
			return Receipt{}, fmt.Errorf("receipt: %w", err)
		}
		team = t.Key
	}
	rc := Receipt{SubmissionID: c.sub.ID, Wave: c.wave.Key, Team: team, SubmittedOn: saved.SubmittedOn,
		Overall: scoreOf(c.def, saved.Overall), Dimensions: make(map[string]Score, len(c.def.Dimensions))}
	for _, dim := range c.def.Dimensions {
		rc.Dimensions[dim.Key] = scoreOf(c.def, saved.Dimensions[dim.Key])
	}
	return rc, nil
}

func scoreOf(def *survey.Definition, score *float64) Score {
	if score == nil {
		return Score{}
	}
	v := *score
	return Score{Value: &v, Stage: def.StageFor(v).Key}
}
