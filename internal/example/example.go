// Package example sets up a ready-to-use service on an empty database: a small team hierarchy
// and an open wave of the shipped survey, so a newcomer can answer at once.
package example

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

//go:embed teams.csv
var teamsCSV []byte

// WaveKey is the key of the example wave.
const WaveKey = "example"

// SurveyID is the shipped survey the example wave, the demonstration and the benchmark run.
const SurveyID = "digital-communications"

// Setup imports the example teams and creates and opens the example wave of def, but only on a
// database with no teams and no waves; it reports whether it did anything.
func Setup(ctx context.Context, st *store.Store, def *survey.Definition) (bool, error) {
	teams, err := st.Teams(ctx, true)
	if err != nil {
		return false, err
	}
	waves, err := st.Waves(ctx)
	if err != nil {
		return false, err
	}
	if len(teams) > 0 || len(waves) > 0 {
		return false, nil
	}
	if _, err := ImportTeams(ctx, st); err != nil {
		return false, err
	}
	_, err = st.CreateWave(ctx, def, store.NewWave{Key: WaveKey, Title: "Example wave", Mode: store.ModeOpen, Threshold: 5})
	if err != nil {
		return false, err
	}
	if _, err := st.OpenWave(ctx, WaveKey); err != nil {
		return false, err
	}
	return true, nil
}

// ImportTeams imports the example hierarchy unless the database already has teams, and reports
// whether it did.
func ImportTeams(ctx context.Context, st *store.Store) (bool, error) {
	teams, err := st.Teams(ctx, true)
	if err != nil || len(teams) > 0 {
		return false, err
	}
	rows, err := hierarchy.Read("example/teams.csv", bytes.NewReader(teamsCSV))
	if err != nil {
		return false, fmt.Errorf("example teams: %w", err)
	}
	if _, err := st.ImportTeams(ctx, rows); err != nil {
		return false, err
	}
	return true, nil
}
