// Package cli is the command line: subcommands, their flags and SKILLSURVEY_* environment variables.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Env reads an environment variable; tests pass their own.
type Env func(key string) string

// command is one subcommand.
type command struct {
	summary string
	run     func(c *call) error
}

// call is one run of a subcommand: its arguments, environment, input and output.
type call struct {
	args []string
	env  Env
	// stdin is read only when a command says so (user add --password-stdin); it may be nil.
	stdin          io.Reader
	stdout, stderr io.Writer
}

func commands() map[string]command {
	return map[string]command{
		"serve":        {"run the web service", serve},
		"validate":     {"check survey definitions: validate [DIR]", validateCmd},
		"import-teams": {"import the team hierarchy: import-teams FILE.csv|FILE.yaml", importTeams},
		"wave":         {"manage waves: wave create|open|close|list", wave},
		"invitations":  {"make invitation codes: invitations create --wave KEY --team TEAM --count N", invitations},
		"user":         {"manage people who sign in: user add|list|remove", user},
		"token":        {"manage API tokens for programs: token create|list|revoke", token},
		"audit":        {"read the audit log: audit list [--limit N]", audit},
		"backup":       {"write a checked copy of the database while the service runs: backup FILE", backupCmd},
		"health":       {"ask the running service whether it is ready, for a container's HEALTHCHECK: health [--listen ADDR]", healthCmd},
		"demo":         {"build a synthetic department to look at, in an empty database: demo [--responses N] [--seed N]", demoCmd},
		"bench":        {"measure the service from outside: bench [--clients N] [--duration D] | --build PATH | --crash N", benchCmd},
	}
}

// errUsage means the arguments were wrong and usage has been printed.
var errUsage = errors.New("usage")

// Run runs the command line and returns the process's exit code. stdin is read only by commands
// that say so, such as user add --password-stdin.
func Run(args []string, env Env, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) < 1 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr, cmds)
		if len(args) < 1 {
			return 2
		}
		return 0
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "skillsurvey: unknown command %q\n\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	err := cmd.run(&call{args: args[1:], env: env, stdin: stdin, stdout: stdout, stderr: stderr})
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return 2
	}
	var fe fieldErrors
	if errors.As(err, &fe) {
		fields := fe.Fields()
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			fmt.Fprintf(stderr, "skillsurvey %s: %s: %s\n", args[0], flagOf(f), fields[f])
		}
		return 1
	}
	fmt.Fprintf(stderr, "skillsurvey %s: %v\n", args[0], err)
	return 1
}

// fieldErrors is bad input named field by field, as the rules in access and waves report it.
type fieldErrors interface {
	error
	Fields() map[string]string
}

// flagOf names a field of the rules as the flag that sets it.
func flagOf(field string) string {
	switch field {
	case "opens_at":
		return "--opens"
	case "closes_at":
		return "--closes"
	case "password":
		return "--password-stdin"
	}
	return "--" + field
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: skillsurvey COMMAND [flags]")
	fmt.Fprintln(w, "\ncommands:")
	for _, n := range names {
		fmt.Fprintf(w, "  %-13s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nEvery command but health takes --database and --definitions, also as SKILLSURVEY_DATABASE and")
	fmt.Fprintln(w, "SKILLSURVEY_DEFINITIONS. Run 'skillsurvey COMMAND -h' for a command's flags.")
}

// parse parses flags, printing usage and errors to stderr, and returns the positional arguments.
// Flags may come after positional ones too ("wave open KEY --database X"), which the flag
// package alone would not accept.
func (c *call) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(c.stderr)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// parseNone parses flags of a command that takes no positional arguments.
func (c *call) parseNone(fs *flag.FlagSet, args []string) error {
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fmt.Fprintf(c.stderr, "%s takes no argument %q; run with -h for its flags\n", fs.Name(), pos[0])
		return errUsage
	}
	return nil
}

func quoted(items []string) string { return strings.Join(items, ", ") }

// printable escapes control characters (line breaks, tabs, terminal escapes) in a stored value
// before it reaches a terminal or a column, so a hostile value cannot rewrite the screen.
func printable(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsControl(r) {
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
