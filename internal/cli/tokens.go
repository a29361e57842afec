package cli

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// token manages the API tokens programs use, such as HR's reporting tools.
func token(c *call) error {
	if len(c.args) < 1 {
		fmt.Fprintln(c.stderr, "usage: skillsurvey token create|list|revoke [flags]")
		return errUsage
	}
	sub, rest := c.args[0], c.args[1:]
	switch sub {
	case "create":
		return tokenCreate(c, rest)
	case "list":
		return tokenList(c, rest)
	case "revoke":
		return tokenRevoke(c, rest)
	}
	fmt.Fprintf(c.stderr, "skillsurvey token: unknown subcommand %q: use create, list or revoke\n", sub)
	return errUsage
}

func tokenCreate(c *call, args []string) error {
	var cfg Config
	var g grantFlags
	var name, expires string
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	fs.StringVar(&name, "name", "", "a name for the token, such as hr-powerbi: lower-case letters, digits, '.', '-' and '_' (required)")
	g.add(fs)
	fs.StringVar(&expires, "expires", access.DefaultExpiry, "how long it lasts: days (90d), hours (12h) or never; 1h to 1826d")
	if err := c.parseNone(fs, args); err != nil {
		return err
	}
	if name == "" || g.role == "" {
		fmt.Fprintln(c.stderr, "token create needs --name and --role")
		return errUsage
	}
	life, err := access.ParseExpiry(expires)
	if err != nil {
		return err
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		tr := access.TokenRequest{Name: name, Role: access.Role(g.role), Scope: g.scope, Comments: g.comments, Expires: life}
		t, secret, err := access.NewAccounts(st, time.Now).CreateToken(ctx, access.Actor{Name: access.CommandLineActor}, tr)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "created token %q: role %s%s, %s\n", t.Name, t.Role, grantSuffix(g), expiry(t.ExpiresAt))
		fmt.Fprintln(c.stdout, "Copy the token below now: it is shown only this once (only its hash is kept).")
		fmt.Fprintln(c.stdout, "Programs send it as the header 'Authorization: Bearer <token>'.")
		fmt.Fprintln(c.stdout, secret)
		return nil
	})
}

func expiry(at *time.Time) string {
	if at == nil {
		return "never expires"
	}
	return "expires " + at.UTC().Format("2006-01-02 15:04 UTC")
}

func tokenList(c *call, args []string) error {
	var cfg Config
	fs := flag.NewFlagSet("token list", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	if err := c.parseNone(fs, args); err != nil {
		return err
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		toks, err := access.NewAccounts(st, time.Now).Tokens(ctx)
		if err != nil {
			return err
		}
		now := time.Now()
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tSCOPE\tCOMMENTS\tEXPIRES\tLAST USED\tREVOKED")
		for _, t := range toks {
			expires := "never"
			if t.ExpiresAt != nil {
				expires = t.ExpiresAt.UTC().Format(time.DateOnly)
				if !now.Before(*t.ExpiresAt) {
					expires += " (expired)"
				}
			}
			revoked := "no"
			if t.RevokedAt != nil {
				revoked = t.RevokedAt.UTC().Format(time.DateOnly)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", printable(t.Name), printable(t.Role), scopeOf(t.ScopeTeam),
				readsComments(t.Role, t.Comments), expires, orNever(t.LastUsedOn), revoked)
		}
		return tw.Flush()
	})
}

func orNever(day string) string {
	if day == "" {
		return "never"
	}
	return printable(day)
}

func tokenRevoke(c *call, args []string) error {
	var cfg Config
	fs := flag.NewFlagSet("token revoke", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(c.stderr, "usage: skillsurvey token revoke [--database DB] NAME")
		return errUsage
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		if err := access.NewAccounts(st, time.Now).RevokeToken(ctx, access.Actor{Name: access.CommandLineActor}, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "revoked token %q: programs using it are refused from now on\n", pos[0])
		return nil
	})
}
