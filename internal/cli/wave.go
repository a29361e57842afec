package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"text/tabwriter"
	"time"

	"skillsurvey/internal/store"
)

// Threshold limits: below 3 a figure is close to an individual's answer.
const (
	MinThreshold     = 3
	MaxThreshold     = 100
	DefaultThreshold = 5
)

var waveKeyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

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
	fs.StringVar(&wf.mode, "mode", store.ModeOpen, "open (respondents pick their team) or invite (one-time codes)")
	fs.IntVar(&wf.threshold, "threshold", DefaultThreshold, "smallest group whose figures are shown; fixed once the wave opens")
	if err := c.parseNone(fs, args); err != nil {
		return err
	}
	nw, err := wf.newWave()
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
	def, err := findDefinition(defs, wf.survey)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	w, err := st.CreateWave(ctx, def, nw)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "created wave %q of %s (version %s), %s mode, threshold %d, now %s\n",
		w.Key, def.ID, def.Version[:12], w.Mode, w.Threshold, w.State(time.Now()))
	return nil
}

// newWave checks the flags of wave create and reports every problem at once.
func (wf waveFlags) newWave() (store.NewWave, error) {
	var errs []error
	if wf.survey == "" {
		errs = append(errs, errors.New("--survey is required"))
	}
	if !waveKeyPattern.MatchString(wf.key) || len(wf.key) > 64 {
		errs = append(errs, fmt.Errorf("--key %q: use up to 64 lower-case letters, digits and single hyphens, such as 2026-spring", wf.key))
	}
	if !oneOf(wf.mode, store.ModeOpen, store.ModeInvite) {
		errs = append(errs, fmt.Errorf("--mode %q: use %s or %s", wf.mode, store.ModeOpen, store.ModeInvite))
	}
	if wf.threshold < MinThreshold || wf.threshold > MaxThreshold {
		errs = append(errs, fmt.Errorf("--threshold %d: use %d to %d", wf.threshold, MinThreshold, MaxThreshold))
	}
	opens, err := parseTime("--opens", wf.opens)
	errs = append(errs, err)
	closes, err := parseTime("--closes", wf.closes)
	errs = append(errs, err)
	if opens != nil && closes != nil && !closes.After(*opens) {
		errs = append(errs, errors.New("--closes must be after --opens"))
	}
	if len(wf.title) > 300 {
		errs = append(errs, errors.New("--title is longer than 300 characters"))
	}
	title := wf.title
	if title == "" {
		title = wf.key
	}
	if err := errors.Join(errs...); err != nil {
		return store.NewWave{}, err
	}
	return store.NewWave{Key: wf.key, Title: title, Mode: wf.mode, Threshold: wf.threshold, OpensAt: opens, ClosesAt: closes}, nil
}

func parseTime(flagName, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t, nil
		}
	}
	return nil, fmt.Errorf("%s %q: use a date (2026-03-01) or a time with zone (2026-03-01T09:00:00Z)", flagName, s)
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
		change := st.OpenWave
		if verb == "close" {
			change = st.CloseWave
		}
		w, err := change(ctx, pos[0])
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
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", w.Key, w.SurveyID, w.State(time.Now()), w.Mode, w.Threshold, w.Title)
		}
		return tw.Flush()
	})
}
