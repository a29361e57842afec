package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// speltExactly refuses a JSON object holding a member whose name is not one of v's JSON field
// names spelt exactly: encoding/json matches names in any case, so "TEAM" would be read as team,
// though the API documents (and its schema allows) only the names as they are spelt. (The error
// shape clips the quoted name.)
func speltExactly(raw []byte, v any) error {
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

// jsonNames lists the JSON names of a struct's fields (of the struct a pointer points to).
func jsonNames(t reflect.Type) []string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "-" && f.IsExported() {
			names = append(names, cmpOr(name, f.Name))
		}
	}
	return names
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
