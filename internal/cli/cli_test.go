package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"skillsurvey/internal/store"
)

// shippedDefinitions is the repository's own definitions folder.
const shippedDefinitions = "../../survey-definitions"

// env is a fake environment.
type env map[string]string

func (e env) get(key string) string { return e[key] }

// result is what one run of the command line did.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command line in-process with the given environment and empty standard input.
func runCLI(t *testing.T, e env, args ...string) result {
	t.Helper()
	return runCLIInput(t, e, "", args...)
}

// runCLIInput runs the command line in-process with the given environment and standard input.
func runCLIInput(t *testing.T, e env, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(args, e.get, strings.NewReader(stdin), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// want checks the exit code and that each of the strings appears in stdout or stderr.
func (r result) want(t *testing.T, code int, inStdout, inStderr []string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range inStdout {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
		}
	}
	for _, s := range inStderr {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
}

// testDefinitions makes a folder holding the survey package's small definition (id "small").
func testDefinitions(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../survey/testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "small.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writeFile writes a file in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func assertNoFile(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s exists (or stat failed: %v); the command should have stopped before opening it", path, err)
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		args     []string
		code     int
		inStderr []string
	}{
		{"no arguments", nil, 2, []string{"usage: skillsurvey COMMAND", "import-teams", "wave", "SKILLSURVEY_DATABASE"}},
		{"help", []string{"help"}, 0, []string{"usage: skillsurvey COMMAND"}},
		{"--help", []string{"--help"}, 0, []string{"usage: skillsurvey COMMAND"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`, "usage: skillsurvey COMMAND"}},
		{"validate with two folders", []string{"validate", "a", "b"}, 2, []string{"usage: skillsurvey validate [DIR]"}},
		{"validate with an unknown flag", []string{"validate", "--colour", "red"}, 2, []string{"flag provided but not defined: -colour"}},
		{"validate -h", []string{"validate", "-h"}, 2, []string{"-definitions"}},
		{"import-teams without a file", []string{"import-teams"}, 2, []string{"usage: skillsurvey import-teams"}},
		{"import-teams with two files", []string{"import-teams", "a.csv", "b.csv"}, 2, []string{"usage: skillsurvey import-teams"}},
		{"wave alone", []string{"wave"}, 2, []string{"usage: skillsurvey wave create|open|close|list"}},
		{"wave unknown subcommand", []string{"wave", "delete"}, 2, []string{`unknown subcommand "delete"`}},
		{"wave open without a key", []string{"wave", "open"}, 2, []string{"usage: skillsurvey wave open"}},
		{"wave close with two keys", []string{"wave", "close", "a", "b"}, 2, []string{"usage: skillsurvey wave close"}},
		{"invitations alone", []string{"invitations"}, 2, []string{"usage: skillsurvey invitations create"}},
		{"invitations without count", []string{"invitations", "create", "--wave", "w", "--team", "t"}, 2, []string{"needs --wave, --team and a --count of at least 1"}},
		{"invitations count zero", []string{"invitations", "create", "--wave", "w", "--team", "t", "--count", "0"}, 2, []string{"--count of at least 1"}},
		{"invitations count not a number", []string{"invitations", "create", "--count", "lots"}, 2, []string{`invalid value "lots" for flag -count`}},
		{"user alone", []string{"user"}, 2, []string{"usage: skillsurvey user add|list|remove"}},
		{"user unknown subcommand", []string{"user", "delete"}, 2, []string{`unknown subcommand "delete": use add, list or remove`}},
		{"user add without --email", []string{"user", "add", "--role", "admin"}, 2, []string{"user add needs --email and --role"}},
		{"user add without --role", []string{"user", "add", "--email", "jane@example.org"}, 2, []string{"user add needs --email and --role"}},
		{"user add with a stray argument", []string{"user", "add", "--email", "a@b.org", "--role", "hr", "extra"}, 2, []string{`takes no argument "extra"`}},
		{"user add --comments=maybe", []string{"user", "add", "--comments=maybe"}, 2, []string{`invalid boolean value "maybe" for -comments`}},
		{"user remove without an email", []string{"user", "remove"}, 2, []string{"usage: skillsurvey user remove"}},
		{"user remove with two emails", []string{"user", "remove", "a@b.org", "c@d.org"}, 2, []string{"usage: skillsurvey user remove"}},
		{"user list with an argument", []string{"user", "list", "all"}, 2, []string{`takes no argument "all"`}},
		{"token alone", []string{"token"}, 2, []string{"usage: skillsurvey token create|list|revoke"}},
		{"token unknown subcommand", []string{"token", "show"}, 2, []string{`unknown subcommand "show": use create, list or revoke`}},
		{"token create without --name", []string{"token", "create", "--role", "hr"}, 2, []string{"token create needs --name and --role"}},
		{"token create without --role", []string{"token", "create", "--name", "t"}, 2, []string{"token create needs --name and --role"}},
		{"token revoke without a name", []string{"token", "revoke"}, 2, []string{"usage: skillsurvey token revoke"}},
		{"audit alone", []string{"audit"}, 2, []string{"usage: skillsurvey audit list [--limit N]"}},
		{"audit unknown subcommand", []string{"audit", "clear"}, 2, []string{"usage: skillsurvey audit list"}},
		{"audit list --limit 0", []string{"audit", "list", "--limit", "0"}, 2, []string{"--limit 0: use 1 to 10000"}},
		{"audit list --limit 10001", []string{"audit", "list", "--limit", "10001"}, 2, []string{"--limit 10001: use 1 to 10000"}},
		{"audit list --limit not a number", []string{"audit", "list", "--limit", "all"}, 2, []string{`invalid value "all" for flag -limit`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, env{}, tc.args...)
			r.want(t, tc.code, nil, tc.inStderr)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	t.Run("shipped folder", func(t *testing.T) {
		r := runCLI(t, env{}, "validate", shippedDefinitions)
		r.want(t, 0, []string{"digital-communications.yaml: digital-communications, version ", ": ok\n"}, nil)
	})
	t.Run("bad file", func(t *testing.T) {
		dir := testDefinitions(t)
		small, err := os.ReadFile(filepath.Join(dir, "small.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		bad := strings.Replace(string(small), "\nid: small\n", "\nid: Not Valid\ncolour: red\n", 1)
		writeFile(t, dir, "bad.yaml", bad)
		r := runCLI(t, env{}, "validate", dir)
		file := filepath.Join(dir, "bad.yaml")
		r.want(t, 1, []string{
			file + `:2: id "Not Valid" must be lower-case letters, digits and single hyphens` + "\n",
			file + `:3: unknown key "colour" in definition` + "\n",
		}, []string{"skillsurvey validate: 2 problem(s) in " + dir})
		line := regexp.MustCompile(`^.+\.yaml:[0-9]+: .+$`)
		for _, l := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
			if !line.MatchString(l) {
				t.Errorf("stdout line %q is not file:line: message", l)
			}
		}
	})
	t.Run("missing folder", func(t *testing.T) {
		r := runCLI(t, env{}, "validate", filepath.Join(t.TempDir(), "nowhere"))
		r.want(t, 1, nil, []string{"read definitions in"})
	})
	t.Run("folder without definitions", func(t *testing.T) {
		r := runCLI(t, env{}, "validate", t.TempDir())
		r.want(t, 1, nil, []string{"no survey definitions (*.yaml)"})
	})
}

const goodTeams = `key,name,parent,headcount
department,The department,,
comms,Communications,department,40
digital,"Digital, web and social",comms,12
hr,Human resources,department,
`

// badTeams has four bad rows, each found by a different check.
const badTeams = `key,name,parent,headcount
department,The department,,
comms,Communications,department,40
Bad Key,Bad,department,
orphan,Orphan,nowhere,
comms,Communications again,department,
loop,Loop,loop,
`

func TestImportTeams(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "test.db")
	good := writeFile(t, dir, "teams.csv", goodTeams)
	bad := writeFile(t, dir, "bad.csv", badTeams)

	r := runCLI(t, env{}, "import-teams", "--database", db, good)
	r.want(t, 0, []string{"imported 4 teams: 4 new, 0 updated, 0 renamed, 0 retired (not in the file)\n"}, nil)

	r = runCLI(t, env{}, "import-teams", "--database", db, bad)
	r.want(t, 1, nil, nil)
	if r.stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.stdout)
	}
	wantLines := []string{
		"skillsurvey import-teams: " + bad + `:4: key "Bad Key" must be lower-case letters, digits and single hyphens`,
		bad + `:5: team "orphan" has unknown parent "nowhere"`,
		bad + `:6: key "comms" is already used at line 3`,
		bad + `:7: team "loop" is its own ancestor: loop → loop`,
	}
	if got := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n"); strings.Join(got, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, strings.Join(wantLines, "\n"))
	}

	// The refused file changed nothing.
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	teams, err := st.Teams(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tm := range teams {
		parent := ""
		if tm.Parent != nil {
			parent = tm.Parent.Key
		}
		got = append(got, tm.Key+"<"+parent+":"+tm.Name)
		if tm.Retired {
			t.Errorf("team %s retired by a refused import", tm.Key)
		}
	}
	want := []string{"comms<department:Communications", "department<:The department", "digital<comms:Digital, web and social", "hr<department:Human resources"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("teams after the refused import:\n got %v\nwant %v", got, want)
	}

	t.Run("again, one team fewer", func(t *testing.T) {
		fewer := writeFile(t, t.TempDir(), "teams.yaml", `
- {key: department, name: The department}
- {key: comms, name: Communications, parent: department, headcount: 41}
- {key: digital, name: Digital, parent: comms}
`)
		r := runCLI(t, env{}, "import-teams", "--database", db, fewer)
		// department is unchanged, so only comms and digital count as updated.
		r.want(t, 0, []string{"imported 3 teams: 0 new, 2 updated, 0 renamed, 1 retired (not in the file)\n"}, nil)
	})
	t.Run("missing file", func(t *testing.T) {
		r := runCLI(t, env{}, "import-teams", "--database", db, filepath.Join(dir, "nowhere.csv"))
		r.want(t, 1, nil, []string{"nowhere.csv: no such file or directory"})
	})
	t.Run("unsupported extension", func(t *testing.T) {
		txt := writeFile(t, t.TempDir(), "teams.txt", goodTeams)
		r := runCLI(t, env{}, "import-teams", "--database", db, txt)
		r.want(t, 1, nil, []string{"use a .csv, .yaml or .yml file"})
	})
}

func TestWaveCreateRefusesBadFlags(t *testing.T) {
	t.Parallel()
	defs := testDefinitions(t)
	cases := []struct {
		name     string
		args     []string
		code     int
		inStderr []string
	}{
		{"no --survey", []string{"--key", "w1"}, 1, []string{"skillsurvey wave: --survey: is required"}},
		{"no --key", []string{"--survey", "small"}, 1, []string{"--key: use up to 64 lower-case letters"}},
		{"--key with capitals and a space", []string{"--survey", "small", "--key", "Spring 2026"}, 1, []string{"--key: use up to 64 lower-case letters"}},
		{"--key with an underscore", []string{"--survey", "small", "--key", "spring_2026"}, 1, []string{"--key: "}},
		{"--key over 64 characters", []string{"--survey", "small", "--key", strings.Repeat("a", 65)}, 1, []string{"--key: "}},
		{"bad --mode", []string{"--survey", "small", "--key", "w1", "--mode", "closed"}, 1, []string{"--mode: use invite (one-time codes), verified (signed in with single sign-on, once each) or open"}},
		{"--threshold 2", []string{"--survey", "small", "--key", "w1", "--threshold", "2"}, 1, []string{"--threshold: use 3 to 100, not 2"}},
		{"--threshold 101", []string{"--survey", "small", "--key", "w1", "--threshold", "101"}, 1, []string{"--threshold: use 3 to 100, not 101"}},
		{"--threshold not a number", []string{"--survey", "small", "--key", "w1", "--threshold", "five"}, 2, []string{`invalid value "five" for flag -threshold`}},
		{"bad --opens", []string{"--survey", "small", "--key", "w1", "--opens", "next monday"}, 1, []string{"--opens: use a date (2026-03-01) or a time with zone"}},
		{"--opens without a zone", []string{"--survey", "small", "--key", "w1", "--opens", "2026-03-01T09:00:00"}, 1, []string{"--opens: "}},
		{"bad --closes", []string{"--survey", "small", "--key", "w1", "--closes", "2026-13-01"}, 1, []string{"--closes: "}},
		{"--closes before --opens", []string{"--survey", "small", "--key", "w1", "--opens", "2026-03-02", "--closes", "2026-03-01"}, 1, []string{"--closes: must be after the opening time"}},
		{"--closes equal to --opens", []string{"--survey", "small", "--key", "w1", "--opens", "2026-03-01T00:00:00Z", "--closes", "2026-03-01"}, 1, []string{"--closes: must be after the opening time"}},
		{"--title over 300 characters", []string{"--survey", "small", "--key", "w1", "--title", strings.Repeat("t", 301)}, 1, []string{"--title: is longer than 300 characters"}},
		{"--title with a line break", []string{"--survey", "small", "--key", "w1", "--title", "Spring\n2026"}, 1, []string{"--title: must be one line"}},
		{"unknown survey", []string{"--survey", "nope", "--key", "w1"}, 1, []string{"--survey: no survey definition has this id; there are: small"}},
		{"unknown flag", []string{"--survey", "small", "--key", "w1", "--colour", "red"}, 2, []string{"flag provided but not defined: -colour"}},
		{"every problem at once", []string{"--key", "X", "--mode", "m", "--threshold", "0", "--opens", "x"}, 1, []string{
			"--survey: is required", "--key: ", "--mode: ", "--threshold: ", "--opens: ",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "test.db")
			args := append([]string{"wave", "create", "--database", db, "--definitions", defs}, tc.args...)
			r := runCLI(t, env{}, args...)
			r.want(t, tc.code, nil, tc.inStderr)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			assertNoFile(t, db)
		})
	}
}

func TestWaveLifecycleAndInvitations(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "test.db")
	defs := testDefinitions(t)
	teams := writeFile(t, dir, "teams.csv", goodTeams)
	common := []string{"--database", db, "--definitions", defs}
	cmd := func(words ...string) []string {
		// Flags go before a positional KEY: the flag package stops at the first non-flag.
		out := append([]string{}, words[:2]...)
		out = append(out, common...)
		return append(out, words[2:]...)
	}

	runCLI(t, env{}, "import-teams", "--database", db, teams).want(t, 0, nil, nil)

	r := runCLI(t, env{}, cmd("wave", "create", "--survey", "small", "--key", "2026-spring", "--title", "Spring 2026", "--mode", "invite", "--threshold", "4")...)
	r.want(t, 0, []string{`created wave "2026-spring" of small (version `, "invite mode, threshold 4, now scheduled\n"}, nil)

	r = runCLI(t, env{}, cmd("wave", "create", "--survey", "small", "--key", "2026-spring")...)
	r.want(t, 1, nil, []string{`wave "2026-spring" already exists`})

	r = runCLI(t, env{}, cmd("wave", "create", "--survey", "small", "--key", "later", "--opens", "2099-01-01", "--closes", "2099-02-01T17:00:00Z", "--mode", "open")...)
	r.want(t, 0, []string{`created wave "later"`, "open mode, threshold 5, now scheduled"}, nil)

	// Without --mode, a wave is an invite wave: never open, whose answers are not verified.
	r = runCLI(t, env{}, cmd("wave", "create", "--survey", "small", "--key", "plain")...)
	r.want(t, 0, []string{`created wave "plain"`, "invite mode, threshold 5, now scheduled"}, nil)

	r = runCLI(t, env{}, cmd("wave", "create", "--survey", "small", "--key", "past", "--opens", "2020-01-01", "--closes", "2020-02-01")...)
	r.want(t, 0, []string{`created wave "past"`, "now closed"}, nil)

	r = runCLI(t, env{}, cmd("wave", "close", "2026-spring")...)
	r.want(t, 1, nil, []string{`wave "2026-spring" has not opened`})

	r = runCLI(t, env{}, cmd("wave", "open", "2026-spring")...)
	r.want(t, 0, []string{`wave "2026-spring" is now open` + "\n"}, nil)

	r = runCLI(t, env{}, cmd("wave", "open", "2026-spring")...)
	r.want(t, 1, nil, []string{`wave "2026-spring" is already open`})

	r = runCLI(t, env{}, cmd("wave", "open", "no-such-wave")...)
	r.want(t, 1, nil, []string{`wave "no-such-wave": not found`})

	r = runCLI(t, env{}, cmd("wave", "close", "no-such-wave")...)
	r.want(t, 1, nil, []string{`wave "no-such-wave": not found`})

	r = runCLI(t, env{}, cmd("wave", "list")...)
	r.want(t, 0, nil, nil)
	listed := map[string][]string{}
	for i, l := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		f := strings.Fields(l)
		if i == 0 {
			if strings.Join(f, " ") != "KEY SURVEY STATE MODE THRESHOLD TITLE" {
				t.Errorf("wave list header = %q", l)
			}
			continue
		}
		listed[f[0]] = f[1:]
	}
	for key, want := range map[string]string{
		"2026-spring": "small open invite 4 Spring 2026",
		"later":       "small scheduled open 5 later",
		"plain":       "small scheduled invite 5 plain",
		"past":        "small closed invite 5 past",
	} {
		if got := strings.Join(listed[key], " "); got != want {
			t.Errorf("wave list row %s = %q, want %q\n%s", key, got, want, r.stdout)
		}
	}
	if len(listed) != 4 {
		t.Errorf("wave list shows %d waves, want 4:\n%s", len(listed), r.stdout)
	}

	t.Run("invitations", func(t *testing.T) {
		r := runCLI(t, env{}, cmd("invitations", "create", "--wave", "2026-spring", "--team", "digital", "--count", "5")...)
		r.want(t, 0, nil, nil)
		recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		if err != nil {
			t.Fatalf("output is not CSV: %v\n%s", err, r.stdout)
		}
		if len(recs) != 6 || strings.Join(recs[0], ",") != "wave,team,invitation_code" {
			t.Fatalf("want a header and 5 codes, got:\n%s", r.stdout)
		}
		code := regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$`)
		seen := map[string]bool{}
		for _, rec := range recs[1:] {
			if rec[0] != "2026-spring" || rec[1] != "digital" || !code.MatchString(rec[2]) {
				t.Errorf("row %q: want 2026-spring, digital, XXXXX-XXXXX-XXXXX", rec)
			}
			if seen[rec[2]] {
				t.Errorf("code %s printed twice", rec[2])
			}
			seen[rec[2]] = true
		}
	})
	t.Run("invitations for an open-mode wave", func(t *testing.T) {
		r := runCLI(t, env{}, cmd("invitations", "create", "--wave", "later", "--team", "digital", "--count", "2")...)
		r.want(t, 1, nil, []string{`wave "later" is in open mode and takes no invitations`})
		if r.stdout != "" {
			t.Errorf("stdout = %q, want nothing", r.stdout)
		}
	})
	t.Run("invitations for an unknown team", func(t *testing.T) {
		r := runCLI(t, env{}, cmd("invitations", "create", "--wave", "2026-spring", "--team", "nobody", "--count", "2")...)
		r.want(t, 1, nil, []string{`team "nobody": not found`})
	})
	t.Run("invitations for an unknown wave", func(t *testing.T) {
		r := runCLI(t, env{}, cmd("invitations", "create", "--wave", "nope", "--team", "digital", "--count", "2")...)
		r.want(t, 1, nil, []string{`wave "nope": not found`})
	})
	t.Run("too many invitations", func(t *testing.T) {
		r := runCLI(t, env{}, cmd("invitations", "create", "--wave", "2026-spring", "--team", "digital", "--count", "10001")...)
		r.want(t, 1, nil, []string{"count must be 1 to 10000, not 10001"})
	})

	r = runCLI(t, env{}, cmd("wave", "close", "2026-spring")...)
	r.want(t, 0, []string{`wave "2026-spring" is now closed` + "\n"}, nil)

	r = runCLI(t, env{}, cmd("wave", "open", "2026-spring")...)
	r.want(t, 1, nil, []string{`wave "2026-spring" is closed and cannot be reopened`})

	r = runCLI(t, env{}, cmd("wave", "close", "2026-spring")...)
	r.want(t, 1, nil, []string{`wave "2026-spring" is already closed`})
}

func TestEnvironment(t *testing.T) {
	t.Parallel()
	t.Run("SKILLSURVEY_DATABASE and SKILLSURVEY_DEFINITIONS when no flag is given", func(t *testing.T) {
		t.Parallel()
		db := filepath.Join(t.TempDir(), "env.db")
		e := env{"SKILLSURVEY_DATABASE": db, "SKILLSURVEY_DEFINITIONS": testDefinitions(t)}
		runCLI(t, e, "wave", "create", "--survey", "small", "--key", "from-env").want(t, 0, []string{`created wave "from-env" of small`}, nil)
		if _, err := os.Stat(db); err != nil {
			t.Errorf("SKILLSURVEY_DATABASE not used: %v", err)
		}
		runCLI(t, e, "wave", "list").want(t, 0, []string{"from-env"}, nil)
		runCLI(t, e, "validate").want(t, 0, []string{"small.yaml: small, version "}, nil)
	})
	t.Run("flags win over the environment", func(t *testing.T) {
		t.Parallel()
		envDB := filepath.Join(t.TempDir(), "env.db")
		flagDB := filepath.Join(t.TempDir(), "flag.db")
		e := env{"SKILLSURVEY_DATABASE": envDB, "SKILLSURVEY_DEFINITIONS": filepath.Join(t.TempDir(), "nowhere")}
		runCLI(t, e, "wave", "create", "--database", flagDB, "--definitions", testDefinitions(t), "--survey", "small", "--key", "from-flags").
			want(t, 0, []string{`created wave "from-flags" of small`}, nil)
		assertNoFile(t, envDB)
		runCLI(t, e, "wave", "list", "--database", flagDB).want(t, 0, []string{"from-flags"}, nil)
		runCLI(t, e, "validate", "--definitions", shippedDefinitions).want(t, 0, []string{"digital-communications.yaml: digital-communications"}, nil)
		// The positional folder wins over both.
		runCLI(t, e, "validate", "--definitions", filepath.Join(t.TempDir(), "nowhere"), shippedDefinitions).want(t, 0, []string{"digital-communications"}, nil)
	})
	t.Run("SKILLSURVEY_DEFINITIONS pointing nowhere is not replaced by the built-in copy", func(t *testing.T) {
		t.Parallel()
		db := filepath.Join(t.TempDir(), "test.db")
		e := env{"SKILLSURVEY_DATABASE": db, "SKILLSURVEY_DEFINITIONS": filepath.Join(t.TempDir(), "nowhere")}
		runCLI(t, e, "wave", "create", "--survey", "digital-communications", "--key", "w1").want(t, 1, nil, []string{"read definitions in"})
		assertNoFile(t, db)
	})
}

func TestServeRefusesBadSettings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		env      env
		args     []string
		inStderr []string
	}{
		{"SKILLSURVEY_EXAMPLE=maybe", env{"SKILLSURVEY_EXAMPLE": "maybe"}, nil, []string{`skillsurvey serve: SKILLSURVEY_EXAMPLE="maybe": use true or false`}},
		{"--listen nonsense", env{}, []string{"--listen", "nonsense"}, []string{`skillsurvey serve: --listen "nonsense": want HOST:PORT, such as 127.0.0.1:8080`}},
		{"--listen port out of range", env{}, []string{"--listen", "127.0.0.1:70000"}, []string{`--listen "127.0.0.1:70000": the port must be a number from 0 to 65535`}},
		{"--listen port a name", env{}, []string{"--listen", "localhost:http"}, []string{`--listen "localhost:http": the port must be a number`}},
		{"SKILLSURVEY_LISTEN nonsense", env{"SKILLSURVEY_LISTEN": "nonsense"}, nil, []string{`--listen "nonsense"`}},
		{"empty --database and --definitions", env{}, []string{"--database", " ", "--definitions", "", "--listen", "x"}, []string{
			"--database is empty", "--definitions is empty", `--listen "x"`,
		}},
		{"--example=maybe", env{}, []string{"--example=maybe", "--listen", "nonsense"}, []string{`invalid boolean value "maybe" for -example`}},
		{"SKILLSURVEY_DEMO=maybe", env{"SKILLSURVEY_DEMO": "maybe"}, nil, []string{`skillsurvey serve: SKILLSURVEY_DEMO="maybe": use true or false`}},
		{"example and demo together", env{}, []string{"--example", "--demo"}, []string{"--example and --demo: choose one"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "test.db")
			args := []string{"serve"}
			if !strings.Contains(strings.Join(tc.args, " "), "--database") {
				args = append(args, "--database", db)
			}
			args = append(args, tc.args...)
			r := runCLI(t, tc.env, args...)
			code := 1
			if strings.HasPrefix(tc.name, "--example") {
				code = 2
			}
			r.want(t, code, nil, tc.inStderr)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing: the service must not start", r.stdout)
			}
			assertNoFile(t, db)
		})
	}
}

// syncBuffer is a buffer written by the server's goroutines and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeRunsUntilCancelled(t *testing.T) {
	t.Parallel()
	cfg := Config{
		Database:    filepath.Join(t.TempDir(), "test.db"),
		Definitions: shippedDefinitions,
		Listen:      "127.0.0.1:0",
		Example:     true,
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr syncBuffer
	c := &call{env: env{}.get, stdout: &stdout, stderr: &stderr}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, c, cfg) }()

	running := regexp.MustCompile(`skillsurvey is running at http://(127\.0\.0\.1:[0-9]+)/ \(database `)
	var addr string
	deadline := time.Now().Add(10 * time.Second)
	for addr == "" {
		if m := running.FindStringSubmatch(stdout.String()); m != nil {
			addr = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run returned before listening: %v\nstderr: %s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no URL line after 10s; stdout: %q\nstderr: %s", stdout.String(), stderr.String())
		}
	}
	if !strings.Contains(stdout.String(), `Set up example teams and opened wave "example" of "digital-communications".`) {
		t.Errorf("stdout lacks the example line: %q", stdout.String())
	}

	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + addr + "/api/v1/waves/example/questionnaire")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET questionnaire: %d, want 200", resp.StatusCode)
	}
	client.CloseIdleConnections()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return within 5s of cancel")
	}

	// A second start on the same database leaves the example alone.
	ctx2, cancel2 := context.WithCancel(context.Background())
	var stdout2 syncBuffer
	c2 := &call{env: env{}.get, stdout: &stdout2, stderr: &stderr}
	done2 := make(chan error, 1)
	go func() { done2 <- run(ctx2, c2, cfg) }()
	for !running.MatchString(stdout2.String()) {
		select {
		case err := <-done2:
			t.Fatalf("second run returned early: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel2()
	if err := <-done2; err != nil {
		t.Errorf("second run = %v", err)
	}
	if strings.Contains(stdout2.String(), "Set up example") {
		t.Errorf("the example was set up twice: %q", stdout2.String())
	}
}

func TestServeReportsABusyAddress(t *testing.T) {
	t.Parallel()
	cfg := Config{Database: filepath.Join(t.TempDir(), "a.db"), Definitions: shippedDefinitions, Listen: "127.0.0.1:0"}
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, &call{env: env{}.get, stdout: &stdout, stderr: &stderr}, cfg) }()
	running := regexp.MustCompile(`http://(127\.0\.0\.1:[0-9]+)/`)
	var addr string
	for addr == "" {
		if m := running.FindStringSubmatch(stdout.String()); m != nil {
			addr = m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("run returned before listening: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cfg2 := Config{Database: filepath.Join(t.TempDir(), "b.db"), Definitions: shippedDefinitions, Listen: addr}
	err := run(context.Background(), &call{env: env{}.get, stdout: &bytes.Buffer{}, stderr: &syncBuffer{}}, cfg2)
	if err == nil || !strings.Contains(err.Error(), "listen: ") {
		t.Errorf("run on a busy address = %v, want a listen error", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run = %v", err)
	}
}

// TestFlagsAfterArguments: "wave open KEY --database X" works as "wave open --database X KEY" does.
func TestFlagsAfterArguments(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "test.db")
	defs := "../../survey-definitions"
	runCLI(t, env{}, "wave", "create", "--database", db, "--definitions", defs, "--survey", "digital-communications", "--key", "w").
		want(t, 0, []string{"created wave \"w\""}, nil)
	runCLI(t, env{}, "wave", "open", "w", "--database", db).want(t, 0, []string{"wave \"w\" is now open"}, nil)
	runCLI(t, env{}, "wave", "list", "extra", "--database", db).want(t, 2, nil, []string{"takes no argument \"extra\""})
}

// TestValidateWarns: validate prints a definition's warnings and still passes it.
func TestValidateWarns(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../survey-definitions/digital-communications.yaml")
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(string(src), "from: 87.5", "from: 80", 1)
	if err := os.WriteFile(filepath.Join(dir, "old.yaml"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, env{}, "validate", dir)
	r.want(t, 0, []string{`warning: stage "reality" starts at 80, not 87.5`, ": ok"}, nil)
}
