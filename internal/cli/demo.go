package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/demo"
	"skillsurvey/internal/example"
	"skillsurvey/internal/store"
	"skillsurvey/internal/waves"
)

// demoCmd fills a database with a realistic synthetic wave, so the dashboard has something to show.
func demoCmd(c *call) error {
	var cfg Config
	var responses int
	var key string
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	fs.IntVar(&responses, "responses", 400, "how many synthetic responses")
	fs.StringVar(&key, "wave", "demo", "key of the wave to create")
	if err := c.parseNone(fs, c.args); err != nil {
		return err
	}
	if responses < 1 || responses > 1_000_000 {
		return fmt.Errorf("--responses %d: use 1 to 1000000", responses)
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	defs, err := cfg.loadDefinitions()
	if err != nil {
		return err
	}
	def, err := findDefinition(defs, example.SurveyID)
	if err != nil {
		return err
	}
	// An invite wave (none of its codes is used: the answers are written directly), so its scores
	// show while it is open, as a real invited wave's do.
	nw := store.NewWave{Key: key, Title: "Demonstration wave (synthetic answers)", Mode: store.ModeInvite, Threshold: waves.DefaultThreshold}
	// Asked before the database is opened, so a refused key leaves no file behind.
	if _, _, err := waves.Validate(waves.Setup{Definitions: defs}, def.ID, nw); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := example.ImportTeams(ctx, st); err != nil {
		return err
	}
	actor := access.Actor{Name: access.CommandLineActor}
	if _, err := waves.Create(ctx, st, actor, waves.Setup{Definitions: defs}, def.ID, nw); err != nil {
		return err
	}
	w, err := waves.Open(ctx, st, actor, key)
	if err != nil {
		return err
	}
	teams, err := st.Teams(ctx, false)
	if err != nil {
		return err
	}
	rs, err := demo.Wave(def, w.ID, teams, responses, time.Now().UTC().Format(time.DateOnly), 2026)
	if err != nil {
		return err
	}
	if err := st.SaveResponses(ctx, rs); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "created wave %q with %d synthetic responses across %d teams; see /api/v1/waves/%s/report\n", key, len(rs), len(teams), key)
	return nil
}
