package hierarchy

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest hierarchy file read.
const MaxFileSize = 4 << 20

// columns are the CSV header, in this order; previous_key, the last, may be left out.
var columns = []string{"key", "name", "parent", "headcount", "previous_key"}

// required is how many of the columns a file must have.
const required = 4

const headerWords = "key,name,parent,headcount and, where teams were renamed, previous_key"

// Read parses a hierarchy from CSV or YAML, chosen by the file name's extension, and checks it.
func Read(name string, r io.Reader) ([]Team, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxFileSize {
		return nil, &Errors{File: name, Rows: []RowError{{Line: 1, Message: fmt.Sprintf("file is larger than %d bytes", MaxFileSize)}}}
	}
	errs := &Errors{File: name}
	var teams []Team
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		teams = readCSV(errs, data)
	case ".yaml", ".yml":
		teams = readYAML(errs, data)
	default:
		return nil, fmt.Errorf("%s: use a .csv, .yaml or .yml file", name)
	}
	if errs.fatal {
		return nil, errs
	}
	// Rows that could be read are checked as a whole too, so every problem is reported at once.
	if err := check(errs, teams); err != nil {
		return nil, err
	}
	return teams, nil
}

// readCSV reads the rows it can, adding a problem to errs for each one it cannot.
func readCSV(errs *Errors, data []byte) []Team {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // spreadsheets often save a byte-order mark
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		errs.add(1, "no header row: want %s", headerWords)
		errs.fatal = true
		return nil
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	if len(header) < required || len(header) > len(columns) || !slices.Equal(header, columns[:len(header)]) {
		errs.add(1, "header is %q: want %s", strings.Join(header, ","), headerWords)
		errs.fatal = true
		return nil
	}
	width := len(header)
	var teams []Team
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			errs.add(pe.Line, "%v", pe.Err)
			errs.fatal = true // the reader cannot go on past a syntax error
			return nil
		}
		// Only after a clean read: FieldPos panics when a parse error left no field behind.
		line, _ := r.FieldPos(0)
		if len(rec) != width {
			errs.add(line, "has %d cells, want %d (%s)", len(rec), width, strings.Join(header, ","))
			continue
		}
		t := Team{Line: line, Key: strings.TrimSpace(rec[0]), Name: strings.TrimSpace(rec[1]), Parent: strings.TrimSpace(rec[2])}
		if width > required {
			t.PreviousKey = strings.TrimSpace(rec[4])
		}
		var msg string
		if t.Headcount, msg = parseHeadcount(rec[3]); msg != "" {
			errs.add(line, "%s", msg)
		}
		teams = append(teams, t)
	}
	return teams
}

// yamlTeam is a team as written in YAML: a list of {key, name, parent, headcount, previous_key}.
type yamlTeam struct {
	Key         string    `yaml:"key"`
	Name        string    `yaml:"name"`
	Parent      string    `yaml:"parent"`
	Headcount   yaml.Node `yaml:"headcount"`
	PreviousKey string    `yaml:"previous_key"`
}

// readYAML reads the teams it can, adding a problem to errs for each one it cannot.
func readYAML(errs *Errors, data []byte) []Team {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := 1, strings.TrimPrefix(err.Error(), "yaml: ")
		if _, err := fmt.Sscanf(msg, "line %d:", &line); err == nil {
			_, msg, _ = strings.Cut(msg, ": ")
		}
		errs.add(line, "%s", msg)
		errs.fatal = true
		return nil
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.SequenceNode {
		errs.add(1, "want a list of teams, each {key, name, parent, headcount, previous_key}")
		errs.fatal = true
		return nil
	}
	var teams []Team
	for _, n := range doc.Content[0].Content {
		var yt yamlTeam
		if n.Kind != yaml.MappingNode {
			errs.add(n.Line, "want {key, name, parent, headcount, previous_key}")
			continue
		}
		if msg := unknownKeys(n); msg != "" {
			errs.add(n.Line, "%s", msg)
			continue
		}
		if err := n.Decode(&yt); err != nil {
			errs.add(n.Line, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
			continue
		}
		t := Team{Line: n.Line, Key: strings.TrimSpace(yt.Key), Name: strings.TrimSpace(yt.Name), Parent: strings.TrimSpace(yt.Parent),
			PreviousKey: strings.TrimSpace(yt.PreviousKey)}
		var msg string
		if yt.Headcount.Kind == yaml.ScalarNode && yt.Headcount.Tag != "!!null" {
			if t.Headcount, msg = parseHeadcount(yt.Headcount.Value); msg != "" {
				errs.add(n.Line, "%s", msg)
			}
		} else if yt.Headcount.Kind != 0 && yt.Headcount.Tag != "!!null" {
			errs.add(n.Line, "headcount must be a whole number")
		}
		teams = append(teams, t)
	}
	return teams
}

func unknownKeys(n *yaml.Node) string {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		known := false
		for _, c := range columns {
			known = known || c == k
		}
		switch {
		case !known:
			return fmt.Sprintf("unknown key %q: want %s", k, strings.Join(columns, ", "))
		case seen[k]:
			return fmt.Sprintf("key %q is written twice", k)
		}
		seen[k] = true
	}
	return ""
}
