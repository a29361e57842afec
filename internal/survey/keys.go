package survey

import (
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

var posType = reflect.TypeOf(Pos{})

// keyChecker walks the YAML tree beside the decoded value: it reports unknown and duplicate keys,
// which yaml.v3 would otherwise ignore or stop at, and records each element's lines in its Pos.
type keyChecker struct {
	file     string
	problems Problems
	// duplicateLines holds the lines of the duplicate keys reported, so yaml.v3's own message for
	// them can be left out and any other kept.
	duplicateLines map[int]bool
}

func reflectValue(d *Definition) reflect.Value { return reflect.ValueOf(d).Elem() }

func (c *keyChecker) add(line int, format string, args ...any) {
	c.problems = append(c.problems, Problem{File: c.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (c *keyChecker) walk(n *yaml.Node, v reflect.Value, what string) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			c.walk(n.Content[0], v, what)
		}
		return
	case yaml.AliasNode:
		c.walk(n.Alias, v, what)
		return
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v = reflect.New(v.Type().Elem()) // not decoded: still check its keys
		}
		v = v.Elem()
	}
	switch {
	case v.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		c.walkStruct(n, v, what)
	case v.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		i := 0
		for _, item := range n.Content {
			if nullNode(item) && v.Type().Elem().Kind() == reflect.Struct {
				continue // yaml.v3 leaves a null item out of a slice of structs: keep the rest beside their values
			}
			if i < v.Len() {
				c.walk(item, v.Index(i), what)
			} else if item.Kind != yaml.AliasNode {
				// yaml.v3 leaves out an item it could not decode, such as one with a duplicate key. An
				// alias is not followed here, so the walk stays as long as the file.
				c.walk(item, reflect.New(v.Type().Elem()).Elem(), what)
			}
			i++
		}
	case v.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		c.keyLines(n, what)
		for i := 1; i < len(n.Content); i += 2 {
			if val := n.Content[i]; val.Kind != yaml.AliasNode {
				c.walk(val, reflect.New(v.Type().Elem()).Elem(), what)
			}
		}
	case n.Kind == yaml.MappingNode:
		// A mapping where something else belongs: yaml.v3 reports only its duplicate keys, if it has
		// any, and not the wrong type, so they must be reported here.
		c.keyLines(n, what)
	}
}

func (c *keyChecker) walkStruct(n *yaml.Node, v reflect.Value, what string) {
	fields := yamlFields(v.Type())
	lines := c.keyLines(n, what)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if lines[key.Value] != key.Line {
			continue // a duplicate, already reported
		}
		idx, ok := fields[key.Value]
		if !ok {
			c.add(key.Line, "unknown key %q in %s", key.Value, what)
			continue
		}
		c.walk(val, v.FieldByIndex(idx), fieldWhat(v.Type().FieldByIndex(idx), key.Value, what))
	}
	if f, ok := v.Type().FieldByName("Pos"); ok && f.Type == posType {
		v.FieldByIndex(f.Index).Set(reflect.ValueOf(Pos{Line: n.Line, keys: lines}))
	}
}

// nullNode reports whether a node, or the node it aliases, is a YAML null.
func nullNode(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// keyLines maps each key of a mapping to its line, reporting keys written twice.
func (c *keyChecker) keyLines(n *yaml.Node, what string) map[string]int {
	lines := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i]
		if first, dup := lines[key.Value]; dup {
			c.add(key.Line, "duplicate key %q in %s (first at line %d)", key.Value, what, first)
			if c.duplicateLines == nil {
				c.duplicateLines = map[int]bool{}
			}
			c.duplicateLines[key.Line] = true
			continue
		}
		lines[key.Value] = key.Line
	}
	return lines
}

// fieldWhat names the element a field holds, for messages: "question", "dimension", ...
func fieldWhat(f reflect.StructField, key, parent string) string {
	t := f.Type
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		if t.Name() == "ShowIf" {
			return "show_if"
		}
		return strings.ToLower(t.Name())
	}
	return key + " of " + parent
}

func yamlFields(t reflect.Type) map[string][]int {
	fields := map[string][]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f.Index
	}
	return fields
}
