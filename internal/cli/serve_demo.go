package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/demo"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// demoAdmin is the account serve --demo makes to sign in with.
const demoAdmin = "demo-admin@example.org"

// demoFlag adds serve's --demo, defaulting to SKILLSURVEY_DEMO.
func (c *call) demoFlag(fs *flag.FlagSet, cfg *Config) error {
	env, err := c.envBool("SKILLSURVEY_DEMO")
	if err != nil {
		return err
	}
	fs.BoolVar(&cfg.Demo, "demo", env, "on an empty database, build the demonstration department (see 'skillsurvey demo -h') "+
		"and an admin account, and print how to sign in; on one with data, do nothing (env SKILLSURVEY_DEMO)")
	return nil
}

// setUpDemo builds the demonstration department on an empty database, makes an admin account with
// a generated password, and prints, this once, how to sign in and where the dashboard is. On a
// database with teams or waves it says so and changes nothing.
func setUpDemo(ctx context.Context, c *call, cfg Config, st *store.Store, defs []*survey.Definition) error {
	dep, err := buildDemo(ctx, st, defs, demo.DefaultResponses, demoSeed)
	if errors.Is(err, demo.ErrNotEmpty) {
		fmt.Fprintln(c.stdout, "--demo: the database already has teams or waves, so no demonstration was added (it goes only into an empty database: give --database a new file to see it).")
		return hintFirstAdmin(ctx, c, st, cfg.Database)
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintln(c.stdout, demoSummary(dep))
	site := siteURL(cfg)
	if has, err := st.HasUsers(ctx); err != nil || has {
		if err == nil {
			fmt.Fprintf(c.stdout, "Sign in at %s/sign-in with your account, then see the dashboard at %s/dashboard?wave=%s\n", site, site, dep.Waves[2].Key)
		}
		return err
	}
	actor := access.Actor{Name: access.CommandLineActor}
	_, password, err := access.NewAccounts(st, time.Now).AddPerson(ctx, actor, access.NewPerson{Email: demoAdmin, Role: access.Admin})
	if err != nil {
		return fmt.Errorf("demo admin: %w", err)
	}
	fmt.Fprintf(c.stdout, "Sign in at %s/sign-in as %s with this password, shown only this once (only its hash is kept):\n  %s\n"+
		"Then see the dashboard at %s/dashboard?wave=%s\n", site, demoAdmin, password, site, dep.Waves[2].Key)
	return nil
}

// siteURL is the address people reach the service at: the public URL where one is set, else the
// listening address.
func siteURL(cfg Config) string {
	if cfg.Access.PublicURL != "" {
		return strings.TrimSuffix(cfg.Access.PublicURL, "/")
	}
	scheme := "http"
	if cfg.Access.TLSCert != "" {
		scheme = "https"
	}
	return scheme + "://" + cfg.Listen
}
