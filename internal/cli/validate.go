package cli

import (
	"errors"
	"flag"
	"fmt"

	"skillsurvey/internal/survey"
)

// validateCmd checks a folder of definitions and prints every problem as file:line: message.
func validateCmd(c *call) error {
	var cfg Config
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	pos, err := c.parse(fs, c.args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		fmt.Fprintln(c.stderr, "usage: skillsurvey validate [DIR]")
		return errUsage
	}
	if len(pos) == 1 {
		cfg.Definitions = pos[0]
	}
	defs, err := survey.LoadDir(cfg.Definitions)
	var ps survey.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintln(c.stdout, p)
		}
		return fmt.Errorf("%d problem(s) in %s", len(ps), cfg.Definitions)
	}
	if err != nil {
		return err
	}
	for _, d := range defs {
		for _, w := range d.Warnings() {
			fmt.Fprintln(c.stdout, w)
		}
		fmt.Fprintf(c.stdout, "%s: %s, version %s, %d questions in %d dimensions, about %.1f minutes on the longest path: ok\n",
			d.File, d.ID, d.Version[:12], len(d.Questions()), len(d.Dimensions), d.EstimatedMinutes())
	}
	return nil
}
