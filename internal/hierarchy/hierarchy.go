// Package hierarchy reads a department's team hierarchy from CSV or YAML and checks it as a whole:
// keys, parents, cycles and headcounts, with an error per bad row.
package hierarchy

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
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
	// PreviousKey, where set, is the key this team had until now: the import renames that team
	// rather than retiring it and making a new one, so its trend carries on across the waves.
	PreviousKey string
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
		if e.File == "" {
			lines[i] = fmt.Sprintf("line %d: %s", r.Line, r.Message)
			continue
		}
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
		} else if !utf8.ValidString(t.Name) || strings.ContainsFunc(t.Name, unicode.IsControl) {
			// The same for every file: YAML refuses these already; a CSV could carry them into pages and exports.
			errs.add(t.Line, "team %q has a name that is not plain text (control characters or bytes that are not UTF-8)", t.Key)
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
	checkPreviousKeys(errs, teams, byKey)
	for _, line := range cycles(byKey) {
		errs.add(line.line, "team %q is its own ancestor: %s", line.key, line.path)
	}
	if len(errs.Rows) > 0 {
		sort.SliceStable(errs.Rows, func(i, j int) bool { return errs.Rows[i].Line < errs.Rows[j].Line })
		return errs
	}
	return nil
}

// checkPreviousKeys: a previous key is a well-formed key, not the team's own, not a key the file
// still holds (that team has not gone anywhere) and not claimed by two teams.
func checkPreviousKeys(errs *Errors, teams []Team, byKey map[string]Team) {
	claimed := map[string]Team{}
	for _, t := range teams {
		prev := t.PreviousKey
		if prev == "" || t.Key == "" {
			continue
		}
		if first, dup := claimed[prev]; dup {
			errs.add(t.Line, "previous_key %q is already claimed by team %q at line %d", prev, first.Key, first.Line)
			continue
		}
		claimed[prev] = t
		switch still, inFile := byKey[prev]; {
		case !keyPattern.MatchString(prev) || len(prev) > MaxKeyLength:
			errs.add(t.Line, "previous_key %q is not a key: lower-case letters, digits and single hyphens, up to %d characters", prev, MaxKeyLength)
		case prev == t.Key:
			errs.add(t.Line, "team %q names itself as its previous_key; leave previous_key empty", t.Key)
		case inFile:
			errs.add(t.Line, "previous_key %q is still a team in this file (line %d): a renamed team's old key must be gone", prev, still.Line)
		}
	}
}

type cycleRow struct {
	line      int
	key, path string
}

// cycles finds every team that reaches itself by following parents, naming the loop once per team
// in it. Each team has one parent, so one walk up from each team not yet seen, stopping at the
// first team seen before, visits every team once: a chain of 20,000 teams is checked as fast as
// 20,000 teams side by side.
func cycles(byKey map[string]Team) []cycleRow {
	walkOf := map[string]int{} // the walk that first reached each team; 0 for none yet
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var rows []cycleRow
	for i, start := range keys {
		walk := i + 1
		var path []string
		key := start
		for {
			if _, ok := byKey[key]; !ok {
				break // the top (no parent), or an unknown parent (reported elsewhere)
			}
			if w := walkOf[key]; w != 0 {
				if w == walk {
					rows = append(rows, loopRows(byKey, path[slices.Index(path, key):])...)
				}
				break // seen before: by this walk (a loop), or by an earlier one (already checked)
			}
			walkOf[key] = walk
			path = append(path, key)
			key = byKey[key].Parent
		}
	}
	return rows
}

// loopRows names a loop (each team's parent is the next, the last's is the first) once per team in
// it. A long loop is named by its first few steps and its length, so the problems of a file stay
// readable (and small) however long the loop.
func loopRows(byKey map[string]Team, loop []string) []cycleRow {
	const longest = 5 // loops up to this long are named whole
	rows := make([]cycleRow, len(loop))
	for i, key := range loop {
		steps := make([]string, 0, longest+1)
		for j := 0; j < min(len(loop), longest); j++ {
			steps = append(steps, loop[(i+j)%len(loop)])
		}
		var path string
		if len(loop) <= longest {
			path = strings.Join(append(steps, key), " → ")
		} else {
			path = fmt.Sprintf("%s → … → %s (a loop of %d teams)", strings.Join(steps, " → "), key, len(loop))
		}
		rows[i] = cycleRow{line: byKey[key].Line, key: key, path: path}
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
