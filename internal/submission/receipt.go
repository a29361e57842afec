package submission

import (
	"cmp"
	"context"
	"fmt"
	"slices"

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

// Score is a score and the key of the stage it falls in; both empty when there is no score. A
// dimension's score carries the respondent's next step where the definition gives one.
type Score struct {
	Value *float64
	Stage string
	Next  *Next
}

// Next is a respondent's next step in a dimension: the definition's guidance for their stage, and
// for their own answers below their score there (lowest first), the wording of the level above.
type Next struct {
	Guidance  survey.Guidance
	Questions []NextQuestion
}

// NextQuestion is one question's next level.
type NextQuestion struct {
	Question, Text, NextLevel string
}

// maxNextQuestions is how many questions a next step names: the few that would move the score most.
const maxNextQuestions = 3

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
		sc := scoreOf(c.def, saved.Dimensions[dim.Key])
		if sc.Value != nil {
			sc.Next = nextStep(c.def, &dim, *sc.Value, sc.Stage, c.response.Result.Items)
		}
		rc.Dimensions[dim.Key] = sc
	}
	return rc, nil
}

// nextStep is the respondent's next step in dimension dim, where they scored score (in stage):
// nil where the definition has no guidance for the stage and no answer of theirs has a level above.
func nextStep(def *survey.Definition, dim *survey.Dimension, score float64, stage string, items []store.ItemScore) *Next {
	below := slices.DeleteFunc(slices.Clone(items), func(it store.ItemScore) bool {
		return it.Dimension != dim.Key || it.Score >= score
	})
	slices.SortStableFunc(below, func(a, b store.ItemScore) int { return cmp.Compare(a.Score, b.Score) })
	next := &Next{Guidance: dim.Guidance[stage]}
	for _, it := range below {
		q, ok := def.Question(it.Question)
		if !ok || len(next.Questions) == maxNextQuestions {
			continue
		}
		if level, ok := q.NextLevel(it.Score); ok {
			next.Questions = append(next.Questions, NextQuestion{Question: q.Key, Text: q.Text, NextLevel: level})
		}
	}
	if next.Guidance.Text == "" && len(next.Questions) == 0 {
		return nil
	}
	return next
}

func scoreOf(def *survey.Definition, score *float64) Score {
	if score == nil {
		return Score{}
	}
	v := *score
	return Score{Value: &v, Stage: def.StageFor(v).Key}
}
