// Package cli is the command line: subcommands, their flags and SKILLSURVEY_* environment variables.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Env reads an environment variable; tests pass their own.
type Env func(key string) string

// command is one subcommand.
type command struct {
	summary string
	run     func(c *call) error
}

// call is one run of a subcommand: its arguments, environment and output.
type call struct {
	args           []string
	env            Env
	stdout, stderr io.Writer
}

func commands() map[string]command {
	return map[string]command{
		"serve":        {"run the web service", serve},
		"validate":     {"check survey definitions: validate [DIR]", validateCmd},
		"import-teams": {"import the team hierarchy: import-teams FILE.csv|FILE.yaml", importTeams},
		"wave":         {"manage waves: wave create|open|close|list", wave},
		"invitations":  {"make invitation codes: invitations create --wave KEY --team TEAM --count N", invitations},
		"demo":         {"add a wave of synthetic responses to look at: demo [--responses N] [--wave KEY]", demoCmd},
	}
}

// errUsage means the arguments were wrong and usage has been printed.
var errUsage = errors.New("usage")

// Run runs the command line and returns the process's exit code.
func Run(args []string, env Env, stdout, stderr io.Writer) int {
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
	err := cmd.run(&call{args: args[1:], env: env, stdout: stdout, stderr: stderr})
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return 2
	}
	fmt.Fprintf(stderr, "skillsurvey %s: %v\n", args[0], err)
	return 1
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
	fmt.Fprintln(w, "\nEvery command takes --database and --definitions, also as SKILLSURVEY_DATABASE and")
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

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func quoted(items []string) string { return strings.Join(items, ", ") }
