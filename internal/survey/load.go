package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest definition file read; a questionnaire is a few tens of kilobytes.
const MaxFileSize = 1 << 20

// Load reads and validates one definition file.
func Load(path string) (*Definition, error) {
	return loadFile(os.DirFS(filepath.Dir(path)), filepath.Base(path), path)
}

func loadFile(fsys fs.FS, name, shown string) (*Definition, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", shown, err)
	}
	if len(data) > MaxFileSize {
		return nil, Problems{{File: shown, Line: 1, Message: fmt.Sprintf("file is larger than %d bytes", MaxFileSize)}}
	}
	return Parse(shown, data)
}

// LoadDir reads every *.yaml and *.yml file in dir and reports the problems of all of them at once.
func LoadDir(dir string) ([]*Definition, error) {
	return LoadFS(os.DirFS(dir), dir)
}

// LoadFS reads every *.yaml and *.yml file at the top of fsys; messages name files as dir/name.
func LoadFS(fsys fs.FS, dir string) ([]*Definition, error) {
	names, err := definitionFiles(fsys, dir)
	if err != nil {
		return nil, err
	}
	var defs []*Definition
	var problems Problems
	firstFile := map[string]string{}
	for _, name := range names {
		shown := filepath.Join(dir, name)
		d, err := loadFile(fsys, name, shown)
		var ps Problems
		switch {
		case errors.As(err, &ps):
			problems = append(problems, ps...)
			continue
		case err != nil:
			return nil, err
		}
		if other, dup := firstFile[d.ID]; dup {
			problems = append(problems, Problem{File: shown, Line: d.At("id"), Message: fmt.Sprintf("id %q is already used by %s", d.ID, other)})
			continue
		}
		firstFile[d.ID] = shown
		defs = append(defs, d)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return defs, nil
}

func definitionFiles(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read definitions in %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no survey definitions (*.yaml) in %s", dir)
	}
	sort.Strings(names)
	return names, nil
}

// Parse reads a definition from YAML; name is used in messages. Every problem found is returned
// together as Problems.
func Parse(name string, data []byte) (*Definition, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Problems{syntaxProblem(name, err)}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, Problems{{File: name, Line: 1, Message: "file is empty"}}
	}
	d := &Definition{File: name}
	decodeErr := root.Decode(d)
	c := keyChecker{file: name}
	c.walk(&root, reflectValue(d), "definition")
	problems := append(decodeProblems(name, decodeErr, c.duplicateLines), c.problems...)
	if decodeErr == nil {
		// A value of the wrong type leaves a zero behind, and yaml.v3 stops at a duplicate key, so the
		// rules would misreport; an unknown key does not, so the rules still run and every problem is
		// reported at once.
		problems = append(problems, validate(d)...)
	}
	if len(problems) > 0 {
		return nil, problems.sorted()
	}
	sum := sha256.Sum256(data)
	d.Version = hex.EncodeToString(sum[:])
	d.Source = data
	d.index()
	return d, nil
}

// syntaxProblem turns a YAML syntax error ("yaml: line 3: ...") into file:line form.
func syntaxProblem(name string, err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if n, rest, ok := cutLine(msg); ok {
		line, msg = n, rest
	}
	return Problem{File: name, Line: line, Message: msg}
}

// decodeProblems splits yaml.v3's list of type errors, each "line N: message". Its message for a
// duplicate key is left out where the key checker reported that line in its own words, and kept
// otherwise: a decode error must never leave a file without a problem.
func decodeProblems(name string, err error, duplicateLines map[int]bool) Problems {
	if err == nil {
		return nil
	}
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return Problems{syntaxProblem(name, err)}
	}
	var ps Problems
	for _, e := range te.Errors {
		line := 1
		msg := e
		if n, rest, ok := cutLine(e); ok {
			line, msg = n, rest
		}
		if strings.Contains(msg, "already defined at line") && duplicateLines[line] {
			continue
		}
		ps = append(ps, Problem{File: name, Line: line, Message: msg})
	}
	return ps
}

func cutLine(msg string) (int, string, bool) {
	var n int
	if _, err := fmt.Sscanf(msg, "line %d:", &n); err != nil {
		return 0, msg, false
	}
	_, rest, _ := strings.Cut(msg, ": ")
	return n, rest, true
}

// UnmarshalYAML lets an option be written as a bare key ("email") or as {key, label}.
func (o *Option) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		o.Key, o.Label = n.Value, n.Value
		return nil
	}
	type plain Option
	if err := n.Decode((*plain)(o)); err != nil {
		return err
	}
	if o.Label == "" {
		o.Label = o.Key
	}
	return nil
}
