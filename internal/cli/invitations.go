package cli

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
	"skillsurvey/internal/waves"
)

// invitations makes one-time codes for an invite wave and prints them once, as CSV.
func invitations(c *call) error {
	if len(c.args) < 1 || c.args[0] != "create" {
		fmt.Fprintln(c.stderr, "usage: skillsurvey invitations create --wave KEY --team TEAM --count N")
		return errUsage
	}
	var cfg Config
	var waveKey, teamKey string
	var count int
	fs := flag.NewFlagSet("invitations create", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	fs.StringVar(&waveKey, "wave", "", "the invite wave (required)")
	fs.StringVar(&teamKey, "team", "", "the team the codes answer for (required)")
	fs.IntVar(&count, "count", 0, "how many codes (required)")
	if err := c.parseNone(fs, c.args[1:]); err != nil {
		return err
	}
	if waveKey == "" || teamKey == "" || count < 1 {
		fmt.Fprintln(c.stderr, "invitations create needs --wave, --team and a --count of at least 1")
		return errUsage
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		// Audited before the codes are shown: a code nobody has seen is no risk, an unrecorded one is.
		codes, err := waves.Invite(ctx, st, access.Actor{Name: access.CommandLineActor}, waveKey, teamKey, count)
		if err != nil {
			return err
		}
		w := csv.NewWriter(c.stdout)
		_ = w.Write([]string{"wave", "team", "invitation_code"})
		for _, code := range codes {
			_ = w.Write([]string{waveKey, teamKey, code})
		}
		w.Flush()
		return w.Error()
	})
}
