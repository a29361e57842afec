package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// user manages the people who sign in to read reports or administer the service.
func user(c *call) error {
	if len(c.args) < 1 {
		fmt.Fprintln(c.stderr, "usage: skillsurvey user add|list|remove [flags]")
		return errUsage
	}
	sub, rest := c.args[0], c.args[1:]
	switch sub {
	case "add":
		return userAdd(c, rest)
	case "list":
		return userList(c, rest)
	case "remove":
		return userRemove(c, rest)
	}
	fmt.Fprintf(c.stderr, "skillsurvey user: unknown subcommand %q: use add, list or remove\n", sub)
	return errUsage
}

// grantFlags are the flags saying what a person or a token may do.
type grantFlags struct {
	role, scope string
	comments    bool
}

func (g *grantFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&g.role, "role", "", "admin, lead or hr (required)")
	fs.StringVar(&g.scope, "scope", "", "for a lead: the key of the team whose subtree they see (required for a lead, refused for others)")
	fs.BoolVar(&g.comments, "comments", false, "for hr: may read free-text comments (admins and leads always may)")
}

func userAdd(c *call, args []string) error {
	var cfg Config
	var g grantFlags
	var email string
	var fromStdin bool
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	fs.StringVar(&email, "email", "", "the person's email address, which they sign in with (required)")
	g.add(fs)
	fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input (default: generate one and print it once)")
	if err := c.parseNone(fs, args); err != nil {
		return err
	}
	if email == "" || g.role == "" {
		fmt.Fprintln(c.stderr, "user add needs --email and --role")
		return errUsage
	}
	var password string
	if fromStdin {
		var err error
		if password, err = readPassword(c.stdin); err != nil {
			return err
		}
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		np := access.NewPerson{Email: email, Role: access.Role(g.role), Scope: g.scope, Comments: g.comments, Password: password}
		u, generated, err := access.NewAccounts(st, time.Now).AddPerson(ctx, access.Actor{Name: access.CommandLineActor}, np)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "added %s %s%s\n", u.Role, u.Email, grantSuffix(g))
		if generated != "" {
			fmt.Fprintf(c.stdout, "generated password, shown only this once (only its hash is kept): %s\n", generated)
		}
		return nil
	})
}

// readPassword reads one line from r, without its line ending. At most a little more than the
// longest password is read, so the rules can say it is too long without memory growing.
func readPassword(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("--password-stdin: there is no standard input to read")
	}
	line, err := bufio.NewReader(io.LimitReader(r, access.MaxPasswordLength+3)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("--password-stdin: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("--password-stdin: standard input holds no password; pipe one line in, or leave the flag out to generate one")
	}
	return line, nil
}

func grantSuffix(g grantFlags) string {
	var s string
	if g.scope != "" {
		s += ", scope " + g.scope
	}
	if g.comments {
		s += ", reads comments"
	}
	return s
}

func userList(c *call, args []string) error {
	var cfg Config
	fs := flag.NewFlagSet("user list", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	if err := c.parseNone(fs, args); err != nil {
		return err
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		people, err := access.NewAccounts(st, time.Now).People(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tROLE\tSCOPE\tSOURCE\tCOMMENTS\tCREATED")
		for _, u := range people {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", printable(u.Email), printable(u.Role), scopeOf(u.ScopeTeam),
				printable(u.Source), readsComments(u.Role, u.Comments), u.CreatedAt.UTC().Format(time.DateOnly))
		}
		return tw.Flush()
	})
}

// readsComments says whose free-text comments a role reads, as the access rules decide.
func readsComments(role string, granted bool) string {
	// Any scope will do: the question is what the role reads, not where.
	p := access.Principal{Kind: access.Person, Role: access.Role(role), Scope: "-", Comments: granted}
	switch {
	case !p.MayReadComments():
		return "no"
	case p.Role == access.Lead:
		return "in scope"
	case p.Role == access.Admin:
		return "all"
	}
	return "yes"
}

func scopeOf(t *store.Team) string {
	if t == nil {
		return "-"
	}
	return printable(t.Key)
}

func userRemove(c *call, args []string) error {
	var cfg Config
	fs := flag.NewFlagSet("user remove", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(c.stderr, "usage: skillsurvey user remove [--database DB] EMAIL")
		return errUsage
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		if err := access.NewAccounts(st, time.Now).RemovePerson(ctx, access.Actor{Name: access.CommandLineActor}, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "removed %s; their sessions have ended\n", strings.ToLower(strings.TrimSpace(pos[0])))
		return nil
	})
}
