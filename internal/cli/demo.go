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
	"skillsurvey/internal/survey"
)

// demoAbout is demo's help: what it builds, and why every wave is closed.
const demoAbout = `usage: skillsurvey demo [--responses 1500] [--seed 2026]

Builds a synthetic department in an empty database, so a newcomer sees a full dashboard at once:
5 directorates and 40 teams with headcounts (four teams too small to show), and three waves of
the shipped survey, half a year apart, answered by synthetic staff whose answers are checked and
scored by the real code. Digital specialist teams are strong on skills, policy and corporate teams
thin on mainstream skills, every team's target is above where it is now, and a few teams chose
focus areas after the second wave and narrowed their gap there by the current one.

Every wave is closed, the current one a week ago: a closed wave shows everything the dashboard
can, each team's figures at their full count, breakdowns by role and grade, and how people
answered the choice questions. An open wave shows less: each team's figures only in batches of
the threshold, and no breakdowns or distributions until it closes.

It refuses a database that has teams or waves, so it never mixes with real data.

`

// demoCmd builds the demonstration department into an empty database.
func demoCmd(c *call) error {
	var cfg Config
	var responses int
	var seed uint64
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	fs.IntVar(&responses, "responses", demo.DefaultResponses,
		fmt.Sprintf("responses in the current wave, 1 to %d; each earlier wave has four in five as many", demo.Headcount()))
	fs.Uint64Var(&seed, "seed", demoSeed, "the same seed builds the same answers and figures")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), demoAbout)
		fs.PrintDefaults()
	}
	if err := c.parseNone(fs, c.args); err != nil {
		return err
	}
	if responses < 1 || responses > demo.Headcount() {
		return fmt.Errorf("--responses %d: use 1 to %d, the department's headcount", responses, demo.Headcount())
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		defs, err := cfg.loadDefinitions()
		if err != nil {
			return err
		}
		dep, err := buildDemo(ctx, st, defs, responses, seed)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, demoSummary(dep))
		return nil
	})
}

// demoSeed is the seed demo and serve --demo use unless told.
const demoSeed = 2026

// buildDemo builds the demonstration department of the shipped survey.
func buildDemo(ctx context.Context, st *store.Store, defs []*survey.Definition, responses int, seed uint64) (demo.Department, error) {
	def, err := findDefinition(defs, example.SurveyID)
	if err != nil {
		return demo.Department{}, err
	}
	return demo.Build(ctx, st, def, demo.Options{Responses: responses, Seed: seed, Now: time.Now(),
		Actor: access.Actor{Name: access.CommandLineActor}})
}

// demoSummary says what buildDemo made, in one line.
func demoSummary(dep demo.Department) string {
	current := dep.Waves[len(dep.Waves)-1]
	return fmt.Sprintf("Built the demonstration department: %d teams, directorates and the department; closed waves %q, %q and %q (the current one) with %d, %d and %d synthetic responses; %d focus areas.",
		dep.Teams, dep.Waves[0].Key, dep.Waves[1].Key, current.Key, dep.Responses[0], dep.Responses[1], dep.Responses[2], dep.FocusAreas)
}
