// Package hierarchy reads a department's team hierarchy from CSV or YAML and checks it as a whole:
// keys, parents, cycles and headcounts, with an error per bad row.
package hierarchy

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxTeams is the most teams one file may hold; a department has hundreds, not millions.
const MaxTeams = 20000

// MaxHeadcount is the largest headcount accepted for one team.
const MaxHeadcount = 1000000

// Limits of a team's key and name, as stored.
const (
	MaxKeyLength  = 64
	MaxNameLength = 200
)

var keyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Team is one row of a hierarchy file: a team, directorate or the department itself.
type Team struct {
	Line      int // where it was written, for messages
	Key       string
	Name      string
	Parent    string // empty for the top of the hierarchy
	Headcount *int   // nil where unknown
}

// RowError is one thing wrong with one row.
type RowError struct {
	Line    int
	Message string
}

// Errors is every problem found in a file; the file is refused whole.
type Errors struct {
	File string
	Rows []RowError
	// fatal is set when reading could not go on, so whole-file checks would mislead.
	fatal bool
}

func (e *Errors) Error() string {
	lines := make([]string, len(e.Rows))
	for i, r := range e.Rows {
		lines[i] = fmt.Sprintf("%s:%d: %s", e.File, r.Line, r.Message)
	}
	return strings.Join(lines, "\n")
}

func (e *Errors) add(line int, format string, args ...any) {
	e.Rows = append(e.Rows, RowError{Line: line, Message: fmt.Sprintf(format, args...)})
}

// parseHeadcount reads a headcount cell; empty means unknown.
func parseHeadcount(s string) (*int, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > MaxHeadcount {
		return nil, fmt.Sprintf("headcount %q must be a whole number from 0 to %d, or empty when unknown", s, MaxHeadcount)
	}
	return &n, ""
}

// Check reports duplicate keys, bad keys and names, unknown parents and cycles, all at once.
func Check(file string, teams []Team) error {
	return check(&Errors{File: file}, teams)
}

// check adds the whole-file problems to errs, which may already hold problems found while reading.
func check(errs *Errors, teams []Team) error {
	if len(teams) == 0 {
		errs.add(1, "the file holds no teams")
	}
	if len(teams) > MaxTeams {
		errs.add(teams[MaxTeams].Line, "more than %d teams", MaxTeams)
	}
	byKey := map[string]Team{}
	for _, t := range teams {
		switch {
		case t.Key == "":
			errs.add(t.Line, "team has no key")
			continue
		case !keyPattern.MatchString(t.Key):
			errs.add(t.Line, "key %q must be lower-case letters, digits and single hyphens", t.Key)
		case len(t.Key) > MaxKeyLength:
			errs.add(t.Line, "key %q is longer than %d characters", t.Key, MaxKeyLength)
		}
		if strings.TrimSpace(t.Name) == "" {
			errs.add(t.Line, "team %q has no name", t.Key)
		} else if utf8.RuneCountInString(t.Name) > MaxNameLength {
			errs.add(t.Line, "team %q has a name longer than %d characters", t.Key, MaxNameLength)
		}
		if first, dup := byKey[t.Key]; dup {
			errs.add(t.Line, "key %q is already used at line %d", t.Key, first.Line)
			continue
		}
		byKey[t.Key] = t
	}
	for _, t := range teams {
		if t.Parent == "" || t.Key == "" {
			continue
		}
		if _, ok := byKey[t.Parent]; !ok {
			errs.add(t.Line, "team %q has unknown parent %q", t.Key, t.Parent)
		}
	}
	for _, line := range cycles(byKey) {
		errs.add(line.line, "team %q is its own ancestor: %s", line.key, line.path)
	}
	if len(errs.Rows) > 0 {
		sort.SliceStable(errs.Rows, func(i, j int) bool { return errs.Rows[i].Line < errs.Rows[j].Line })
		return errs
	}
	return nil
}

type cycleRow struct {
	line      int
	key, path string
}

// cycles finds every team that reaches itself by following parents, naming the loop once per team in it.
func cycles(byKey map[string]Team) []cycleRow {
	var rows []cycleRow
	for key, t := range byKey {
		path := []string{key}
		seen := map[string]bool{key: true}
		for p := t.Parent; p != ""; p = byKey[p].Parent {
			if _, ok := byKey[p]; !ok {
				break
			}
			path = append(path, p)
			if p == key {
				rows = append(rows, cycleRow{line: t.Line, key: key, path: strings.Join(path, " → ")})
				break
			}
			if seen[p] {
				break // a loop further up, reported for the teams on it
			}
			seen[p] = true
		}
	}
	return rows
}

// Order returns teams with every parent before its children, as the store needs to insert them.
func Order(teams []Team) []Team {
	children := map[string][]Team{}
	var out []Team
	for _, t := range teams {
		children[t.Parent] = append(children[t.Parent], t)
	}
	var visit func(parent string)
	visit = func(parent string) {
		for _, t := range children[parent] {
			out = append(out, t)
			visit(t.Key)
		}
	}
	visit("")
	return out
}
