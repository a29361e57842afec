package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"skillsurvey/internal/access"
	"skillsurvey/internal/hierarchy"
	"skillsurvey/internal/waves"
)

// importTeams replaces the team hierarchy with a file's, all or nothing.
func importTeams(c *call) error {
	var cfg Config
	fs := flag.NewFlagSet("import-teams", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	pos, err := c.parse(fs, c.args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(c.stderr, "usage: skillsurvey import-teams [--database DB] FILE.csv|FILE.yaml")
		return errUsage
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	teams, err := hierarchy.Read(pos[0], f)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := waves.ImportTeams(ctx, st, access.Actor{Name: access.CommandLineActor}, teams)
	var rows *hierarchy.Errors
	if errors.As(err, &rows) {
		rows.File = pos[0] // problems only the stored teams show, such as a previous_key naming no team
		return rows
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "imported %d teams: %d new, %d updated, %d renamed, %d retired (not in the file)\n",
		len(teams), sum.Created, sum.Updated, sum.Renamed, sum.Retired)
	fmt.Fprintln(c.stdout, "waves already open keep the hierarchy they opened with; waves not yet open take this one")
	return nil
}
