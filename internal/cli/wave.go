package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"text/tabwriter"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
	"skillsurvey/internal/waves"
)

func wave(c *call) error {
	if len(c.args) < 1 {
		fmt.Fprintln(c.stderr, "usage: skillsurvey wave create|open|close|list [flags]")
		return errUsage
	}
	sub, rest := c.args[0], c.args[1:]
	switch sub {
	case "create":
		return waveCreate(c, rest)
	case "open", "close":
		return waveChange(c, sub, rest)
	case "list":
		return waveList(c, rest)
	}
	fmt.Fprintf(c.stderr, "skillsurvey wave: unknown subcommand %q: use create, open, close or list\n", sub)
	return errUsage
}

// waveFlags are the flags of wave create.
type waveFlags struct {
	survey, key, title, opens, closes, mode string
	threshold                               int
}

func waveCreate(c *call, args []string) error {
	var cfg Config
	var wf waveFlags
	fs := flag.NewFlagSet("wave create", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	fs.StringVar(&wf.survey, "survey", "", "id of the survey definition (required)")
	fs.StringVar(&wf.key, "key", "", "the wave's key, used in its address, such as 2026-spring (required)")
	fs.StringVar(&wf.title, "title", "", "title shown to respondents (default: the key)")
	fs.StringVar(&wf.opens, "opens", "", "when it opens: 2026-03-01 or 2026-03-01T09:00:00Z (default: open it with 'wave open')")
	fs.StringVar(&wf.closes, "closes", "", "when it closes, in the same form (default: close it with 'wave close')")
	fs.StringVar(&wf.mode, "mode", "", "invite (one-time codes, one per person), verified (signed in with single sign-on, once each) "+
		"or open (anyone with the link; answers not verified) (default: verified where single sign-on is configured in the environment, as serve reads it, else invite)")
	fs.IntVar(&wf.threshold, "threshold", waves.DefaultThreshold, "smallest group whose figures are shown; fixed once the wave opens")
	if err := c.parseNone(fs, args); err != nil {
		return err
	}
	signIn, err := c.respondentSignIn()
	if err != nil {
		return err
	}
	if wf.mode == "" {
		wf.mode = waves.DefaultMode(signIn)
	}
	nw, err := wf.newWave(signIn)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	defs, err := cfg.loadDefinitions()
	if err != nil {
		return err
	}
	setup := waves.Setup{Definitions: defs, SignIn: signIn}
	// Asked before the database is opened, so a refused wave leaves no file behind.
	if _, _, err := waves.Validate(setup, wf.survey, nw); err != nil {
		return err
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		w, err := waves.Create(ctx, st, access.Actor{Name: access.CommandLineActor}, setup, wf.survey, nw)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "created wave %q of %s (version %s), %s mode, threshold %d, now %s\n",
			w.Key, w.SurveyID, short(w.DefinitionVersion), w.Mode, w.Threshold, w.State(time.Now()))
		return nil
	})
}

// newWave reads the flags of wave create and checks them by the rules of a wave, reporting every
// problem at once; signIn says whether respondents can sign in, as verified waves need.
func (wf waveFlags) newWave(signIn bool) (store.NewWave, error) {
	opens, errOpens := waves.ParseTime("opens_at", wf.opens)
	closes, errCloses := waves.ParseTime("closes_at", wf.closes)
	nw := store.NewWave{Key: wf.key, Title: wf.title, Mode: wf.mode, Threshold: wf.threshold, OpensAt: opens, ClosesAt: closes}
	problems := access.Problems{}
	for _, err := range []error{errOpens, errCloses} {
		var p access.Problems
		if errors.As(err, &p) {
			maps.Copy(problems, p)
		}
	}
	maps.Copy(problems, waves.Check(wf.survey, nw, signIn))
	if len(problems) > 0 {
		return store.NewWave{}, problems
	}
	return nw, nil
}

func short(version string) string {
	if len(version) > 12 {
		return version[:12]
	}
	return version
}

func waveChange(c *call, verb string, args []string) error {
	var cfg Config
	fs := flag.NewFlagSet("wave "+verb, flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintf(c.stderr, "usage: skillsurvey wave %s [--database DB] KEY\n", verb)
		return errUsage
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		change := waves.Open
		if verb == "close" {
			change = waves.Close
		}
		w, err := change(ctx, st, access.Actor{Name: access.CommandLineActor}, pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "wave %q is now %s\n", w.Key, w.State(time.Now()))
		return nil
	})
}

func waveList(c *call, args []string) error {
	var cfg Config
	fs := flag.NewFlagSet("wave list", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	if err := c.parseNone(fs, args); err != nil {
		return err
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		waves, err := st.Waves(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "KEY\tSURVEY\tSTATE\tMODE\tTHRESHOLD\tTITLE")
		for _, w := range waves {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", w.Key, w.SurveyID, w.State(time.Now()), w.Mode, w.Threshold, printable(w.Title))
		}
		return tw.Flush()
	})
}
