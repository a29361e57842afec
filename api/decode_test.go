package api

import "testing"

func TestRepeatedName(t *testing.T) {
	for _, c := range []struct {
		json     string
		repeated bool
		name     string
	}{
		{`{"a":1,"b":2}`, false, ""},
		{`{"a":1,"a":2}`, true, "a"},
		{`{"a":{"x":1},"b":{"x":2}}`, false, ""}, // the same name in two objects
		{`{"a":{"x":1,"x":2}}`, true, "x"},
		{`{"a":[{"x":1},{"x":1}],"b":3}`, false, ""},
		{`{"a":[{"x":1,"y":[1,{"z":1,"z":2}]}]}`, true, "z"},
		{`{"a":{"b":{}},"a":1}`, true, "a"}, // after a nested object, the outer one's names go on
		{`{"a":"a","b":"a"}`, false, ""},    // a value is not a name
		{`[{"a":1},{"a":1}]`, false, ""},
		{`{"":1,"":2}`, true, ""},            // the empty name twice
		{`{"a\u0062":1,"ab":2}`, true, "ab"}, // one name, spelt two ways
		{`"a"`, false, ""},
	} {
		name, repeated, err := repeatedName([]byte(c.json))
		if err != nil || repeated != c.repeated || name != c.name {
			t.Errorf("repeatedName(%s) = %q, %v, %v; want %q, %v", c.json, name, repeated, err, c.name, c.repeated)
		}
	}
}
