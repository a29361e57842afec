package hierarchy_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"skillsurvey/internal/hierarchy"
)

// FuzzRead gives the same bytes to Read as a CSV and as a YAML file. Read must never panic, and must
// return either teams that pass Check and hold together, or a list of problems that each name a line.
func FuzzRead(f *testing.F) {
	for _, tc := range append(csvCases(), yamlCases()...) {
		f.Add([]byte(tc.data))
	}
	f.Add([]byte(goodCSV))
	f.Add([]byte(goodYAML))
	for _, data := range hostileFiles() {
		f.Add([]byte(data))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"fuzz.csv", "fuzz.yaml"} {
			teams, err := hierarchy.Read(name, bytes.NewReader(data))
			switch {
			case teams == nil && err == nil:
				t.Fatalf("%s: Read returned neither teams nor an error", name)
			case teams != nil && err != nil:
				t.Fatalf("%s: Read returned %d teams and the error %v", name, len(teams), err)
			case err != nil:
				checkRefused(t, name, err)
			default:
				if err := hierarchy.Check(name, teams); err != nil {
					t.Fatalf("%s: Read accepted teams that Check refuses: %v", name, err)
				}
				checkHierarchy(t, name, teams)
			}
		}
	})
}

// hostileFiles are inputs a spreadsheet, a careless edit or an attacker could produce.
func hostileFiles() []string {
	const header = "key,name,parent,headcount\n"
	var deepMap strings.Builder
	for i := range 60 {
		deepMap.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return []string{
		"\xef\xbb\xbf" + header + "department,D,,\n",
		"\xef\xbb\xbf- {key: department, name: D}\n",
		"\xef\xbb\xbf\xef\xbb\xbf" + header + "department,D,,\n", // two marks: only one is dropped
		header + "department,D,,\r\nteam,T,department,3\r\n",
		"key,name,parent,headcount\rdepartment,D,,\r", // old Mac line ends
		header + `"department","The ""quoted"" department","",""` + "\n",
		header + "\"department\nsplit\",D,,\n",
		header + "department,\"D\" x,,\n",
		header + "depart\x00ment,D,,\n",
		header + "department,D\x00,,\n",
		"- {key: \"depart\\0ment\", name: D}\n",
		"- {key: department, name: \"\x00\"}\n",
		header + "department,\xff\xfe,,\n", // a name that is not UTF-8
		header + "department,D,,99999999999999999999999999\n",
		header + "department,D,,1e6\n",
		header + "department,D,,+1000000\n",
		header + "department,D,,0x10\n",
		"- {key: department, name: D, headcount: 99999999999999999999999999}\n",
		"- {key: department, name: D, headcount: 0x10}\n",
		"- {key: department, name: D, headcount: 1_000}\n",
		"- {key: department, name: D, headcount: .inf}\n",
		"- {key: department, name: D, headcount: !!int 7}\n",
		"- {key: department, name: D, headcount: !!str 7}\n",
		"- {key: department, name: D, headcount: {n: 1}}\n",
		// The same team twice through an anchor, and an alias where a key or a team belongs.
		"- &t {key: department, name: D}\n- *t\n",
		"- {key: &k department, name: D}\n- {key: team, name: T, parent: *k}\n",
		"- {&k key: department, name: D}\n- {*k : team, name: T}\n",
		"- {key: department, name: D, <<: {parent: x}}\n",
		billionLaughs(),
		// Nesting one past yaml.v3's limit of 10,000 levels, then deep but allowed nesting. Kept small: the
		// fuzzer mutates these too, and a large input slows every run and minimisation.
		strings.Repeat("[", 10001),
		strings.Repeat("- ", 2000) + "x\n",
		deepMap.String(),
		"--- [{key: a, name: A}]\n--- [{key: b, name: B}]\n",
		"- {key: department, name: D}\n- {key: department, name: D}\n",
		"[{key: a, name: A, parent: b}, {key: b, name: B, parent: c}, {key: c, name: C, parent: a}]",
		header + strings.Repeat("a,A,a,\n", 3),
		"- key: !!binary ZGVwYXJ0bWVudA==\n  name: D\n",
		"- {key: department, name: D, parent: null}\n",
		"- {key: department, name: D, parent: ~, headcount: null}\n",
		"- {key: 1, name: 2}\n",
		"- {key: true, name: false}\n",
		"- {key: [a], name: D}\n",
		"- ? [a]\n  : b\n",
	}
}

// billionLaughs is a list whose last team names nine levels of nine aliases: 9^9 strings if expanded.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("- &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for c := 'b'; c <= 'i'; c++ {
		alias := "*" + string(c-1)
		b.WriteString("- &" + string(c) + " [" + strings.Repeat(alias+", ", 8) + alias + "]\n")
	}
	b.WriteString("- {key: department, name: *i, parent: *i, headcount: *i}\n")
	return b.String()
}

// checkRefused checks that a refused file is reported as row problems of this file, sorted by line.
func checkRefused(t *testing.T, name string, err error) {
	t.Helper()
	var errs *hierarchy.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("%s: error %T (%v), want *hierarchy.Errors", name, err, err)
	}
	if errs.File != name {
		t.Errorf("%s: Errors.File is %q", name, errs.File)
	}
	if len(errs.Rows) == 0 {
		t.Fatalf("%s: Read refused the file without a problem", name)
	}
	for i, r := range errs.Rows {
		if r.Line < 1 || r.Message == "" {
			t.Errorf("%s: problem %+v: want a line from 1 and a message", name, r)
		}
		if i > 0 && r.Line < errs.Rows[i-1].Line {
			t.Errorf("%s: problems out of line order: %d after %d", name, r.Line, errs.Rows[i-1].Line)
		}
	}
}

// checkHierarchy checks an accepted hierarchy without the package's own code, so a rule that Check
// forgets is caught here: keys unique and well formed, every parent present, no loops, and Order
// putting each parent before its children.
func checkHierarchy(t *testing.T, name string, teams []hierarchy.Team) {
	t.Helper()
	if len(teams) == 0 || len(teams) > hierarchy.MaxTeams {
		t.Fatalf("%s: accepted %d teams", name, len(teams))
	}
	byKey := map[string]hierarchy.Team{}
	for _, tm := range teams {
		if !wellFormedKey(tm.Key) {
			t.Errorf("%s: accepted the key %q", name, tm.Key)
		}
		if _, dup := byKey[tm.Key]; dup {
			t.Errorf("%s: accepted the key %q twice", name, tm.Key)
		}
		byKey[tm.Key] = tm
		if strings.TrimSpace(tm.Name) == "" || utf8.RuneCountInString(tm.Name) > hierarchy.MaxNameLength {
			t.Errorf("%s: team %q accepted with the name %q", name, tm.Key, tm.Name)
		}
		for _, s := range []string{tm.Key, tm.Name, tm.Parent} {
			if s != strings.TrimSpace(s) {
				t.Errorf("%s: team %q keeps the spaces around %q", name, tm.Key, s)
			}
		}
		if h := tm.Headcount; h != nil && (*h < 0 || *h > hierarchy.MaxHeadcount) {
			t.Errorf("%s: team %q accepted with headcount %d", name, tm.Key, *h)
		}
		if tm.Line < 1 {
			t.Errorf("%s: team %q has line %d", name, tm.Key, tm.Line)
		}
	}
	for _, tm := range teams {
		// Following parents from any team must reach a top within len(teams) steps.
		steps := 0
		for p := tm.Parent; p != ""; p = byKey[p].Parent {
			if _, ok := byKey[p]; !ok {
				t.Fatalf("%s: team %q has the unknown parent %q", name, tm.Key, p)
			}
			if steps++; steps > len(teams) {
				t.Fatalf("%s: team %q is its own ancestor", name, tm.Key)
			}
		}
	}

	ordered := hierarchy.Order(teams)
	if len(ordered) != len(teams) {
		t.Fatalf("%s: Order returned %d teams of %d", name, len(ordered), len(teams))
	}
	pos := map[string]int{}
	for i, tm := range ordered {
		if _, dup := pos[tm.Key]; dup {
			t.Fatalf("%s: Order returned %q twice", name, tm.Key)
		}
		pos[tm.Key] = i
		if tm != byKey[tm.Key] {
			t.Errorf("%s: Order changed %q: %+v, want %+v", name, tm.Key, tm, byKey[tm.Key])
		}
		if p, ok := pos[tm.Parent]; tm.Parent != "" && (!ok || p >= i) {
			t.Errorf("%s: Order puts %q before its parent %q", name, tm.Key, tm.Parent)
		}
	}
}

// wellFormedKey spells out the key rule by hand: 1 to MaxKeyLength lower-case letters, digits and
// single hyphens, neither first nor last.
func wellFormedKey(key string) bool {
	if key == "" || len(key) > hierarchy.MaxKeyLength || key[0] == '-' || key[len(key)-1] == '-' {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && key[i-1] != '-':
		default:
			return false
		}
	}
	return true
}
