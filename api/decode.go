package api

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// checkNames refuses a JSON body, already decoded into v, whose member names could be read two
// ways: a name twice in one object (encoding/json keeps the last, where another reader might keep
// the first), or a top-level name not spelt exactly as one of v's fields (encoding/json matches
// names in any case, so "TEAM" would be read as team, though the API documents, and its schema
// allows, only the names as they are spelt). The error shape clips a quoted name.
func checkNames(raw []byte, v any) error {
	name, repeated, err := repeatedName(raw)
	if err != nil {
		return malformed("the body is not valid JSON")
	}
	if repeated {
		return malformed(fmt.Sprintf("the name %q appears twice in one object; give each once", name))
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return malformed("the body must be one JSON object")
	}
	names := jsonNames(reflect.TypeOf(v))
	for _, name := range slices.Sorted(maps.Keys(top)) {
		if !slices.Contains(names, name) {
			return malformed(fmt.Sprintf("unknown field %q; the fields are %s", name, strings.Join(names, ", ")))
		}
	}
	return nil
}

// repeatedName finds the first member name that appears twice in one object of the JSON document
// raw, at any depth.
func repeatedName(raw []byte) (name string, repeated bool, err error) {
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
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
		if n := len(open); n > 0 && open[n-1] != nil && open[n-1].wantKey {
			if name, ok := tok.(string); ok {
				if open[n-1].names[name] {
					return name, true, nil
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
