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
		name, problem, err := memberNames([]byte(c.json), nil)
		if repeated := problem == nameRepeated; err != nil || repeated != c.repeated || name != c.name {
			t.Errorf("memberNames(%s) = %q, %v, %v; want %q, repeated %v", c.json, name, problem, err, c.name, c.repeated)
		}
	}
}

func TestMemberNamesAtTheTop(t *testing.T) {
	top := []string{"team", "answers"}
	for _, c := range []struct {
		json    string
		name    string
		problem nameProblem
	}{
		{`{"team":"a","answers":{"TEAM":1}}`, "", namesFine}, // only the top level is held to top
		{`{"team":"a","TEAM":"b"}`, "TEAM", nameUnknown},
		{`{"answers":{},"team":"a","team":"b"}`, "team", nameRepeated},
	} {
		name, problem, err := memberNames([]byte(c.json), top)
		if err != nil || name != c.name || problem != c.problem {
			t.Errorf("memberNames(%s) = %q, %v, %v; want %q, %v", c.json, name, problem, err, c.name, c.problem)
		}
	}
}
