package api

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
)

// checkNames refuses a JSON body, already decoded, whose member names could be read two ways: a
// name twice in one object (encoding/json keeps the last, where another reader might keep the
// first), or a top-level name not spelt exactly as one of names, the body's fields (encoding/json
// matches names in any case, so "TEAM" would be read as team, though the API documents, and its
// schema allows, only the names as they are spelt). The error shape clips a quoted name.
func checkNames(raw []byte, names []string) error {
	name, problem, err := memberNames(raw, names)
	switch {
	case err != nil:
		return malformed("the body is not valid JSON")
	case problem == nameRepeated:
		return malformed(fmt.Sprintf("the name %q appears twice in one object; give each once", name))
	case problem == nameUnknown:
		return malformed(fmt.Sprintf("unknown field %q; the fields are %s", name, strings.Join(names, ", ")))
	}
	return nil
}

// nameProblem is what memberNames found wrong with a document's member names.
type nameProblem int

const (
	namesFine    nameProblem = iota
	nameRepeated             // a name twice in one object
	nameUnknown              // a top-level name not among those allowed
)

// memberNames walks the JSON document raw once and finds the first member name that appears twice
// in one object, at any depth, or (when top is not nil) a name of the top-level object that is not
// one of top.
func memberNames(raw []byte, top []string) (name string, problem nameProblem, err error) {
	type object struct {
		names   map[string]bool
		wantKey bool
	}
	var open []*object // the enclosing objects and arrays (nil for an array)
	valueDone := func() {
		if n := len(open); n > 0 && open[n-1] != nil {
			open[n-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // a number too large for a float64 is for the checker to refuse, by name
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return "", namesFine, nil
		}
		if err != nil {
			return "", namesFine, err
		}
		if n := len(open); n > 0 && open[n-1] != nil && open[n-1].wantKey {
			if name, ok := tok.(string); ok {
				switch {
				case open[n-1].names[name]:
					return name, nameRepeated, nil
				case n == 1 && top != nil && !slices.Contains(top, name):
					return name, nameUnknown, nil
				}
				open[n-1].names[name], open[n-1].wantKey = true, false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			open = append(open, &object{names: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			open = append(open, nil)
		case json.Delim('}'), json.Delim(']'):
			open = open[:len(open)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}

// jsonNames lists the JSON names of a struct's fields (of the struct a pointer points to).
func jsonNames(t reflect.Type) []string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "-" && f.IsExported() {
			names = append(names, cmp.Or(name, f.Name))
		}
	}
	return names
}
