package hierarchy_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"testing/quick"

	"skillsurvey/internal/hierarchy"
)

func intp(n int) *int { return &n }

// row is a shorthand for an expected RowError.
func row(line int, message string) hierarchy.RowError {
	return hierarchy.RowError{Line: line, Message: message}
}

// readCase is one file given to Read: either it reads cleanly (wantErr and want nil) or it is refused
// with exactly the rows in want.
type readCase struct {
	name string
	file string
	data string
	want []hierarchy.RowError
}

// runReadCases reads each file and compares the rows of the error, in order.
func runReadCases(t *testing.T, cases []readCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			teams, err := hierarchy.Read(tc.file, strings.NewReader(tc.data))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				if len(teams) == 0 {
					t.Fatal("Read returned no teams and no error")
				}
				return
			}
			if teams != nil {
				t.Errorf("Read returned %d teams beside an error; want none", len(teams))
			}
			var errs *hierarchy.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Read error = %v (%T), want *hierarchy.Errors", err, err)
			}
			if errs.File != tc.file {
				t.Errorf("Errors.File = %q, want %q", errs.File, tc.file)
			}
			if !reflect.DeepEqual(errs.Rows, tc.want) {
				t.Errorf("rows:\n got %s\nwant %s", fmtRows(errs.Rows), fmtRows(tc.want))
			}
		})
	}
}

func fmtRows(rows []hierarchy.RowError) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "\n  %d: %s", r.Line, r.Message)
	}
	return b.String()
}

const headcountMsg = "must be a whole number from 0 to 1000000, or empty when unknown"

func TestReadCSV(t *testing.T) { runReadCases(t, csvCases()) }

// csvCases are the CSV files Read is tested with; the fuzzer starts from them too.
func csvCases() []readCase {
	const header = "key,name,parent,headcount\n"
	const top = "department,The department,,\n" // line 2 when it follows the header
	long := strings.Repeat("a", 201)
	cases := []readCase{
		{name: "good four levels", file: "teams.csv", data: goodCSV},
		{name: "byte-order mark before the header", file: "teams.csv", data: "\xef\xbb\xbf" + header + top},
		{name: "header in capitals with spaces", file: "teams.csv", data: "Key, Name ,PARENT,Headcount\n" + top},
		{name: "upper-case extension", file: "TEAMS.CSV", data: header + top},
		{name: "CRLF line ends", file: "teams.csv", data: "key,name,parent,headcount\r\ndepartment,The department,,\r\n"},
		{name: "name of 200 characters", file: "teams.csv", data: header + "department," + long[:200] + ",,\n"},
		{name: "quoted name with a comma", file: "teams.csv", data: header + top + `comms,"Communications, digital and data",department,12` + "\n"},
		{name: "headcount zero and blank", file: "teams.csv", data: header + "department,D,, \nteam,T,department,0\n"},
		{name: "previous_key column, some empty", file: "teams.csv",
			data: "key,name,parent,headcount,previous_key\ndepartment,D,,,\ndigital,Digital,department,4,web\n"},
		{name: "previous_key problems reported together", file: "teams.csv",
			data: "key,name,parent,headcount,previous_key\ndepartment,D,,,\na,A,department,,a\nb,B,department,,Old Key\nc,C,department,,department\nd,D,department,,web\ne,E,department,,web\n",
			want: []hierarchy.RowError{
				row(3, `team "a" names itself as its previous_key; leave previous_key empty`),
				row(4, `previous_key "Old Key" is not a key: lower-case letters, digits and single hyphens, up to 64 characters`),
				row(5, `previous_key "department" is still a team in this file (line 2): a renamed team's old key must be gone`),
				row(7, `previous_key "web" is already claimed by team "d" at line 6`),
			}},
		{name: "previous_key header but a row of four cells", file: "teams.csv",
			data: "key,name,parent,headcount,previous_key\ndepartment,D,,\n",
			want: []hierarchy.RowError{row(1, "the file holds no teams"), row(2, "has 4 cells, want 5 (key,name,parent,headcount,previous_key)")}},

		{name: "empty file", file: "teams.csv", data: "",
			want: []hierarchy.RowError{row(1, "no header row: want key,name,parent,headcount and, where teams were renamed, previous_key")}},
		{name: "header only", file: "teams.csv", data: header,
			want: []hierarchy.RowError{row(1, "the file holds no teams")}},
		{name: "wrong header", file: "teams.csv", data: "id,name,parent,headcount\n" + top,
			want: []hierarchy.RowError{row(1, `header is "id,name,parent,headcount": want key,name,parent,headcount and, where teams were renamed, previous_key`)}},
		{name: "missing column", file: "teams.csv", data: "key,name,parent\ndepartment,D,\n",
			want: []hierarchy.RowError{row(1, `header is "key,name,parent": want key,name,parent,headcount and, where teams were renamed, previous_key`)}},
		{name: "extra column", file: "teams.csv", data: "key,name,parent,headcount,notes\ndepartment,D,,,\n",
			want: []hierarchy.RowError{row(1, `header is "key,name,parent,headcount,notes": want key,name,parent,headcount and, where teams were renamed, previous_key`)}},
		{name: "columns out of order", file: "teams.csv", data: "name,key,parent,headcount\n" + top,
			want: []hierarchy.RowError{row(1, `header is "name,key,parent,headcount": want key,name,parent,headcount and, where teams were renamed, previous_key`)}},
		{name: "a bad headcount and a duplicate key are reported together", file: "teams.csv",
			data: header + top + "comms,Comms,department,lots\ncomms,Comms again,department,3\n",
			want: []hierarchy.RowError{
				row(3, `headcount "lots" must be a whole number from 0 to 1000000, or empty when unknown`),
				row(4, `key "comms" is already used at line 3`),
			}},
		{name: "key longer than 64 characters", file: "teams.csv", data: header + top + strings.Repeat("k", 65) + ",K,department,\n",
			want: []hierarchy.RowError{row(3, `key "`+strings.Repeat("k", 65)+`" is longer than 64 characters`)}},
		{name: "name of 200 accented characters is not too long", file: "teams.csv", data: header + "department," + strings.Repeat("ŵ", 200) + ",,\n"},
		{name: "too few cells", file: "teams.csv", data: header + top + "comms,Comms\n",
			want: []hierarchy.RowError{row(3, "has 2 cells, want 4 (key,name,parent,headcount)")}},
		{name: "too many cells", file: "teams.csv", data: header + top + "comms,Comms,department,4,extra\n",
			want: []hierarchy.RowError{row(3, "has 5 cells, want 4 (key,name,parent,headcount)")}},
		{name: "bare quote in a later cell", file: "teams.csv", data: header + top + "comms,Comms \"and\" more,department,4\n",
			want: []hierarchy.RowError{row(3, `bare " in non-quoted-field`)}},
		{name: "bare quote in the first cell", file: "teams.csv", data: header + top + "com\"ms,Comms,department,4\n",
			want: []hierarchy.RowError{row(3, `bare " in non-quoted-field`)}},
		{name: "unclosed quote at the end", file: "teams.csv", data: header + top + "\"comms,Comms,department,4\n",
			want: []hierarchy.RowError{row(3, `extraneous or missing " in quoted-field`)}},
		{name: "bad rows before a syntax error are kept", file: "teams.csv",
			data: header + top + "a,A,department,x\nb,B,department,3\nc\"c,C,department,1\nd,D,department,-1\n",
			want: []hierarchy.RowError{
				row(3, `headcount "x" `+headcountMsg),
				row(5, `bare " in non-quoted-field`),
			}},
		{name: "empty key", file: "teams.csv", data: header + top + ",Nameless,department,\n",
			want: []hierarchy.RowError{row(3, "team has no key")}},
		{name: "key with capitals", file: "teams.csv", data: header + top + "Comms,Comms,department,\n",
			want: []hierarchy.RowError{row(3, `key "Comms" must be lower-case letters, digits and single hyphens`)}},
		{name: "key with a space", file: "teams.csv", data: header + top + "digital team,Digital,department,\n",
			want: []hierarchy.RowError{row(3, `key "digital team" must be lower-case letters, digits and single hyphens`)}},
		{name: "key with an underscore", file: "teams.csv", data: header + top + "digital_team,Digital,department,\n",
			want: []hierarchy.RowError{row(3, `key "digital_team" must be lower-case letters, digits and single hyphens`)}},
		{name: "key with a double hyphen", file: "teams.csv", data: header + top + "digital--team,Digital,department,\n",
			want: []hierarchy.RowError{row(3, `key "digital--team" must be lower-case letters, digits and single hyphens`)}},
		{name: "empty name", file: "teams.csv", data: header + top + "comms,  ,department,\n",
			want: []hierarchy.RowError{row(3, `team "comms" has no name`)}},
		{name: "name over 200 characters", file: "teams.csv", data: header + top + "comms," + long + ",department,\n",
			want: []hierarchy.RowError{row(3, `team "comms" has a name longer than 200 characters`)}},
		{name: "duplicate key", file: "teams.csv", data: header + top + "comms,Comms,department,\nhr,HR,department,\ncomms,Comms again,department,\n",
			want: []hierarchy.RowError{row(5, `key "comms" is already used at line 3`)}},
		{name: "unknown parent", file: "teams.csv", data: header + top + "comms,Comms,departmnet,\n",
			want: []hierarchy.RowError{row(3, `team "comms" has unknown parent "departmnet"`)}},
		{name: "self-parent", file: "teams.csv", data: header + top + "comms,Comms,comms,\n",
			want: []hierarchy.RowError{row(3, `team "comms" is its own ancestor: comms → comms`)}},
		{name: "2-cycle", file: "teams.csv", data: header + top + "a,A,b,\nb,B,a,\n",
			want: []hierarchy.RowError{
				row(3, `team "a" is its own ancestor: a → b → a`),
				row(4, `team "b" is its own ancestor: b → a → b`),
			}},
		{name: "3-cycle with a branch hanging off it", file: "teams.csv", data: header + top + "a,A,c,\nb,B,a,\nc,C,b,\nleaf,Leaf,a,\n",
			want: []hierarchy.RowError{
				row(3, `team "a" is its own ancestor: a → c → b → a`),
				row(4, `team "b" is its own ancestor: b → a → c → b`),
				row(5, `team "c" is its own ancestor: c → b → a → c`),
			}},
		{name: "negative headcount", file: "teams.csv", data: header + top + "comms,Comms,department,-1\n",
			want: []hierarchy.RowError{row(3, `headcount "-1" `+headcountMsg)}},
		{name: "headcount not a number", file: "teams.csv", data: header + top + "comms,Comms,department,twelve\n",
			want: []hierarchy.RowError{row(3, `headcount "twelve" `+headcountMsg)}},
		{name: "decimal headcount", file: "teams.csv", data: header + top + "comms,Comms,department,12.5\n",
			want: []hierarchy.RowError{row(3, `headcount "12.5" `+headcountMsg)}},
		{name: "headcount over the maximum", file: "teams.csv", data: header + top + "comms,Comms,department,1000001\n",
			want: []hierarchy.RowError{row(3, `headcount "1000001" `+headcountMsg)}},
		{name: "several bad rows, sorted by line", file: "teams.csv",
			data: header + top +
				"b,B,a,\n" + // 3: cycle with a
				"Bad,Bad key,department,\n" + // 4
				"a,A,b,\n" + // 5: cycle with b
				"orphan,Orphan,nowhere,\n" + // 6
				"b,B twice,department,\n" + // 7
				",,department,\n" + // 8
				"x,,department,\n", // 9
			want: []hierarchy.RowError{
				row(3, `team "b" is its own ancestor: b → a → b`),
				row(4, `key "Bad" must be lower-case letters, digits and single hyphens`),
				row(5, `team "a" is its own ancestor: a → b → a`),
				row(6, `team "orphan" has unknown parent "nowhere"`),
				row(7, `key "b" is already used at line 3`),
				row(8, "team has no key"),
				row(9, `team "x" has no name`),
			}},
		{name: "bad cells reported together", file: "teams.csv",
			data: header + top + "a,A,department,1.5\nb,B\nc,C,department,-3\n",
			want: []hierarchy.RowError{
				row(3, `headcount "1.5" `+headcountMsg),
				row(4, "has 2 cells, want 4 (key,name,parent,headcount)"),
				row(5, `headcount "-3" `+headcountMsg),
			}},
	}
	return cases
}

func TestReadYAML(t *testing.T) { runReadCases(t, yamlCases()) }

// yamlCases are the YAML files Read is tested with; the fuzzer starts from them too.
func yamlCases() []readCase {
	const top = "- key: department\n  name: The department\n" // lines 1-2
	cases := []readCase{
		{name: "good four levels", file: "teams.yaml", data: goodYAML},
		{name: "yml extension", file: "teams.yml", data: top},
		{name: "previous_key", file: "teams.yaml", data: top + "- key: digital\n  name: Digital\n  parent: department\n  previous_key: web\n"},
		{name: "previous_key of a team still in the file", file: "teams.yaml",
			data: top + "- key: digital\n  name: Digital\n  parent: department\n  previous_key: department\n",
			want: []hierarchy.RowError{row(3, `previous_key "department" is still a team in this file (line 1): a renamed team's old key must be gone`)}},
		{name: "flow style", file: "teams.yaml", data: "[{key: department, name: D}, {key: comms, name: C, parent: department, headcount: 3}]\n"},
		{name: "headcount null and empty", file: "teams.yaml", data: top + "  headcount: ~\n- key: comms\n  name: C\n  parent: department\n  headcount:\n"},

		{name: "empty file", file: "teams.yaml", data: "",
			want: []hierarchy.RowError{row(1, "want a list of teams, each {key, name, parent, headcount, previous_key}")}},
		{name: "empty list", file: "teams.yaml", data: "[]\n",
			want: []hierarchy.RowError{row(1, "the file holds no teams")}},
		{name: "not a list", file: "teams.yaml", data: "teams:\n  - key: department\n    name: D\n",
			want: []hierarchy.RowError{row(1, "want a list of teams, each {key, name, parent, headcount, previous_key}")}},
		{name: "a scalar", file: "teams.yaml", data: "department\n",
			want: []hierarchy.RowError{row(1, "want a list of teams, each {key, name, parent, headcount, previous_key}")}},
		{name: "item not a mapping", file: "teams.yaml", data: top + "- comms\n- [hr, HR]\n",
			want: []hierarchy.RowError{
				row(3, "want {key, name, parent, headcount, previous_key}"),
				row(4, "want {key, name, parent, headcount, previous_key}"),
			}},
		{name: "unknown key", file: "teams.yaml", data: top + "- key: comms\n  name: C\n  parnet: department\n",
			want: []hierarchy.RowError{row(3, `unknown key "parnet": want key, name, parent, headcount, previous_key`)}},
		{name: "duplicate key in an item", file: "teams.yaml", data: top + "- key: comms\n  name: C\n  name: Comms\n",
			want: []hierarchy.RowError{row(3, `key "name" is written twice`)}},
		{name: "syntax error", file: "teams.yaml", data: top + "- key: b: c\n",
			// Reported on line 1 with yaml's own "line N:" in the message, unlike survey.Parse.
			want: []hierarchy.RowError{row(3, "mapping values are not allowed in this context")}},
		{name: "empty key", file: "teams.yaml", data: top + "- name: Nameless\n  parent: department\n",
			want: []hierarchy.RowError{row(3, "team has no key")}},
		{name: "bad key", file: "teams.yaml", data: top + "- key: Digital_Team\n  name: D\n  parent: department\n",
			want: []hierarchy.RowError{row(3, `key "Digital_Team" must be lower-case letters, digits and single hyphens`)}},
		{name: "empty name", file: "teams.yaml", data: top + "- key: comms\n  parent: department\n",
			want: []hierarchy.RowError{row(3, `team "comms" has no name`)}},
		{name: "duplicate team key", file: "teams.yaml", data: top + "- key: department\n  name: Again\n",
			want: []hierarchy.RowError{row(3, `key "department" is already used at line 1`)}},
		{name: "unknown parent", file: "teams.yaml", data: top + "- key: comms\n  name: C\n  parent: dept\n",
			want: []hierarchy.RowError{row(3, `team "comms" has unknown parent "dept"`)}},
		{name: "self-parent", file: "teams.yaml", data: "- {key: a, name: A, parent: a}\n",
			want: []hierarchy.RowError{row(1, `team "a" is its own ancestor: a → a`)}},
		{name: "2-cycle", file: "teams.yaml", data: top + "- {key: a, name: A, parent: b}\n- {key: b, name: B, parent: a}\n",
			want: []hierarchy.RowError{
				row(3, `team "a" is its own ancestor: a → b → a`),
				row(4, `team "b" is its own ancestor: b → a → b`),
			}},
		{name: "3-cycle", file: "teams.yaml", data: top + "- {key: a, name: A, parent: c}\n- {key: b, name: B, parent: a}\n- {key: c, name: C, parent: b}\n",
			want: []hierarchy.RowError{
				row(3, `team "a" is its own ancestor: a → c → b → a`),
				row(4, `team "b" is its own ancestor: b → a → c → b`),
				row(5, `team "c" is its own ancestor: c → b → a → c`),
			}},
		{name: "negative headcount", file: "teams.yaml", data: top + "  headcount: -4\n",
			want: []hierarchy.RowError{row(1, `headcount "-4" `+headcountMsg)}},
		{name: "headcount not a number", file: "teams.yaml", data: top + "  headcount: many\n",
			want: []hierarchy.RowError{row(1, `headcount "many" `+headcountMsg)}},
		{name: "decimal headcount", file: "teams.yaml", data: top + "  headcount: 2.5\n",
			want: []hierarchy.RowError{row(1, `headcount "2.5" `+headcountMsg)}},
		{name: "headcount over the maximum", file: "teams.yaml", data: top + "  headcount: 1000001\n",
			want: []hierarchy.RowError{row(1, `headcount "1000001" `+headcountMsg)}},
		{name: "headcount a boolean", file: "teams.yaml", data: top + "  headcount: true\n",
			want: []hierarchy.RowError{row(1, `headcount "true" `+headcountMsg)}},
		{name: "headcount a list", file: "teams.yaml", data: top + "  headcount: [1, 2]\n",
			want: []hierarchy.RowError{row(1, "headcount must be a whole number")}},
		{name: "several bad items, sorted by line", file: "teams.yaml",
			data: top +
				"- {key: b, name: B, parent: a}\n" + // 3
				"- {key: Bad, name: Bad, parent: department}\n" + // 4
				"- {key: a, name: A, parent: b}\n" + // 5
				"- {key: orphan, name: O, parent: nowhere}\n" + // 6
				"- {key: b, name: B twice, parent: department}\n", // 7
			want: []hierarchy.RowError{
				row(3, `team "b" is its own ancestor: b → a → b`),
				row(4, `key "Bad" must be lower-case letters, digits and single hyphens`),
				row(5, `team "a" is its own ancestor: a → b → a`),
				row(6, `team "orphan" has unknown parent "nowhere"`),
				row(7, `key "b" is already used at line 3`),
			}},
		{name: "shape errors reported together", file: "teams.yaml",
			data: top + "- just-a-key\n- {key: a, name: A, colour: red}\n- {key: b, name: B, headcount: -1}\n",
			want: []hierarchy.RowError{
				row(3, "want {key, name, parent, headcount, previous_key}"),
				row(4, `unknown key "colour": want key, name, parent, headcount, previous_key`),
				row(5, `headcount "-1" `+headcountMsg),
			}},
	}
	return cases
}

// A 4-level hierarchy: department → directorates → teams → a sub-team, some headcounts unknown.
const goodCSV = `key,name,parent,headcount
department,The department,,
communications,Communications directorate,department,64
digital-engagement,"Digital engagement, web and social",communications,14
social-media,Social media,digital-engagement,5
corporate,Corporate services,department,
hr,Human resources,corporate,0
`

const goodYAML = `# The same hierarchy as goodCSV.
- key: department
  name: The department
- key: communications
  name: Communications directorate
  parent: department
  headcount: 64
- key: digital-engagement
  name: "Digital engagement, web and social"
  parent: communications
  headcount: 14
- key: social-media
  name: Social media
  parent: digital-engagement
  headcount: "5"
- key: corporate
  name: Corporate services
  parent: department
- {key: hr, name: Human resources, parent: corporate, headcount: 0}
`

func TestReadGoodFileCSVAndYAMLAgree(t *testing.T) {
	want := []hierarchy.Team{
		{Key: "department", Name: "The department"},
		{Key: "communications", Name: "Communications directorate", Parent: "department", Headcount: intp(64)},
		{Key: "digital-engagement", Name: "Digital engagement, web and social", Parent: "communications", Headcount: intp(14)},
		{Key: "social-media", Name: "Social media", Parent: "digital-engagement", Headcount: intp(5)},
		{Key: "corporate", Name: "Corporate services", Parent: "department"},
		{Key: "hr", Name: "Human resources", Parent: "corporate", Headcount: intp(0)},
	}
	for _, tc := range []struct {
		file, data string
		lines      []int
	}{
		{"teams.csv", goodCSV, []int{2, 3, 4, 5, 6, 7}},
		{"teams.yaml", goodYAML, []int{2, 4, 8, 12, 16, 19}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			teams, err := hierarchy.Read(tc.file, strings.NewReader(tc.data))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			var lines []int
			for i := range teams {
				lines = append(lines, teams[i].Line)
				teams[i].Line = 0
			}
			if !reflect.DeepEqual(teams, want) {
				t.Errorf("teams:\n got %s\nwant %s", fmtTeams(teams), fmtTeams(want))
			}
			if !reflect.DeepEqual(lines, tc.lines) {
				t.Errorf("lines = %v, want %v", lines, tc.lines)
			}
		})
	}
}

func fmtTeams(teams []hierarchy.Team) string {
	var b strings.Builder
	for _, t := range teams {
		hc := "nil"
		if t.Headcount != nil {
			hc = fmt.Sprint(*t.Headcount)
		}
		fmt.Fprintf(&b, "\n  %d %s %q parent=%q headcount=%s", t.Line, t.Key, t.Name, t.Parent, hc)
	}
	return b.String()
}

func TestReadWholeFileLimits(t *testing.T) {
	t.Run("file over MaxFileSize", func(t *testing.T) {
		data := "key,name,parent,headcount\n" + strings.Repeat("x", hierarchy.MaxFileSize)
		_, err := hierarchy.Read("big.csv", strings.NewReader(data))
		var errs *hierarchy.Errors
		if !errors.As(err, &errs) {
			t.Fatalf("Read error = %v, want *hierarchy.Errors", err)
		}
		want := []hierarchy.RowError{row(1, fmt.Sprintf("file is larger than %d bytes", hierarchy.MaxFileSize))}
		if !reflect.DeepEqual(errs.Rows, want) {
			t.Errorf("rows = %v, want %v", errs.Rows, want)
		}
	})
	t.Run("file of exactly MaxFileSize is read", func(t *testing.T) {
		data := "key,name,parent,headcount\ndepartment,D,,\n"
		data += strings.Repeat("\n", hierarchy.MaxFileSize-len(data)) // blank lines are skipped
		if _, err := hierarchy.Read("big.csv", strings.NewReader(data)); err != nil {
			t.Fatalf("Read: %v", err)
		}
	})
	t.Run("more than MaxTeams", func(t *testing.T) {
		var b bytes.Buffer
		b.WriteString("key,name,parent,headcount\ndepartment,D,,\n")
		for i := 1; i <= hierarchy.MaxTeams; i++ {
			fmt.Fprintf(&b, "t%d,T,department,\n", i)
		}
		_, err := hierarchy.Read("many.csv", &b)
		var errs *hierarchy.Errors
		if !errors.As(err, &errs) {
			t.Fatalf("Read error = %v, want *hierarchy.Errors", err)
		}
		// teams[MaxTeams] is the (MaxTeams+1)th team, on line MaxTeams+2 after the header.
		want := []hierarchy.RowError{row(hierarchy.MaxTeams+2, fmt.Sprintf("more than %d teams", hierarchy.MaxTeams))}
		if !reflect.DeepEqual(errs.Rows, want) {
			t.Errorf("rows = %v, want %v", errs.Rows, want)
		}
	})
	t.Run("unsupported extension", func(t *testing.T) {
		_, err := hierarchy.Read("teams.txt", strings.NewReader(goodCSV))
		if err == nil || err.Error() != "teams.txt: use a .csv, .yaml or .yml file" {
			t.Fatalf("Read error = %v, want the extension named", err)
		}
		var errs *hierarchy.Errors
		if errors.As(err, &errs) {
			t.Errorf("an unsupported extension is not a row error: %v", errs.Rows)
		}
	})
	t.Run("no extension", func(t *testing.T) {
		if _, err := hierarchy.Read("teams", strings.NewReader(goodCSV)); err == nil {
			t.Fatal("Read of a file without extension: no error")
		}
	})
}

func TestErrorsMessage(t *testing.T) {
	e := &hierarchy.Errors{File: "teams.csv", Rows: []hierarchy.RowError{row(3, "one"), row(7, "two")}}
	if got, want := e.Error(), "teams.csv:3: one\nteams.csv:7: two"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// randomTree makes n teams in a random tree (some with several roots), each parent a team made
// before it, then shuffles them so the file order says nothing about the hierarchy.
func randomTree(r *rand.Rand, n int) []hierarchy.Team {
	teams := make([]hierarchy.Team, n)
	for i := range teams {
		teams[i] = hierarchy.Team{Line: i + 2, Key: fmt.Sprintf("t%d", i), Name: fmt.Sprintf("Team %d", i)}
		if i > 0 && r.IntN(8) != 0 {
			teams[i].Parent = teams[r.IntN(i)].Key
		}
	}
	r.Shuffle(n, func(i, j int) { teams[i], teams[j] = teams[j], teams[i] })
	return teams
}

func TestOrderPutsParentsFirst(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for c := range 300 {
		teams := randomTree(r, 1+r.IntN(60))
		if err := hierarchy.Check("random.csv", teams); err != nil {
			t.Fatalf("case %d: a random tree fails Check: %v", c, err)
		}
		ordered := hierarchy.Order(teams)
		if len(ordered) != len(teams) {
			t.Fatalf("case %d: Order returned %d teams, want %d", c, len(ordered), len(teams))
		}
		pos := map[string]int{}
		for i, tm := range ordered {
			if _, dup := pos[tm.Key]; dup {
				t.Fatalf("case %d: %s returned twice", c, tm.Key)
			}
			pos[tm.Key] = i
		}
		for _, tm := range teams {
			i, ok := pos[tm.Key]
			if !ok {
				t.Fatalf("case %d: %s missing from Order", c, tm.Key)
			}
			if !reflect.DeepEqual(ordered[i], tm) {
				t.Fatalf("case %d: Order changed %s: %+v, want %+v", c, tm.Key, ordered[i], tm)
			}
			if tm.Parent == "" {
				continue
			}
			if p := pos[tm.Parent]; p >= i {
				t.Fatalf("case %d: %s at %d comes before its parent %s at %d", c, tm.Key, i, tm.Parent, p)
			}
		}
	}
}

// Order keeps siblings in file order, so an import is repeatable; testing/quick drives the shapes.
func TestOrderKeepsSiblingsInFileOrder(t *testing.T) {
	f := func(seed uint64, size uint8) bool {
		r := rand.New(rand.NewPCG(seed, 7))
		teams := randomTree(r, 1+int(size)%40)
		fileIndex := map[string]int{}
		for i, tm := range teams {
			fileIndex[tm.Key] = i
		}
		last := map[string]int{} // parent → file index of the last child seen
		for _, tm := range hierarchy.Order(teams) {
			if prev, ok := last[tm.Parent]; ok && fileIndex[tm.Key] < prev {
				return false
			}
			last[tm.Parent] = fileIndex[tm.Key]
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 200}); err != nil {
		t.Error(err)
	}
}

// chain is n teams, each the parent of the next.
func chain(n int) []hierarchy.Team {
	teams := make([]hierarchy.Team, n)
	for i := range teams {
		teams[i] = hierarchy.Team{Line: i + 1, Key: fmt.Sprintf("t%d", i), Name: "T"}
		if i > 0 {
			teams[i].Parent = teams[i-1].Key
		}
	}
	return teams
}

// TestLongChains: a hierarchy 20,000 deep is accepted, and closing it into a loop names every team
// of the loop once. (The loop check used to walk the whole chain from every team: 34 s here.)
func TestLongChains(t *testing.T) {
	teams := chain(20000)
	if err := hierarchy.Check("deep.csv", teams); err != nil {
		t.Fatalf("a chain 20,000 deep: %v", err)
	}
	if got := hierarchy.Order(teams); len(got) != 20000 || got[0].Key != "t0" || got[19999].Key != "t19999" {
		t.Errorf("Order of the chain: %d teams", len(got))
	}
	teams[0].Parent = "t19999"
	var errs *hierarchy.Errors
	if err := hierarchy.Check("loop.csv", teams); !errors.As(err, &errs) || len(errs.Rows) != 20000 {
		t.Fatalf("the chain closed into a loop: %d problems, want one per team", len(errs.Rows))
	}
	if !strings.HasPrefix(errs.Rows[0].Message, `team "t0" is its own ancestor: t0 → t19999 → t19998`) {
		t.Errorf("first problem: %s", errs.Rows[0].Message)
	}
}

// BenchmarkCheckChain: the loop check is linear in the number of teams.
//
//	go test -tags nomsgpack -run '^$' -bench CheckChain ./internal/hierarchy/
func BenchmarkCheckChain(b *testing.B) {
	teams := chain(20000)
	for b.Loop() {
		if err := hierarchy.Check("deep.csv", teams); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNamesArePlainText: a CSV refuses in a name what YAML refuses: NUL and other control
// characters, and bytes that are not UTF-8.
func TestNamesArePlainText(t *testing.T) {
	for _, name := range []string{"Comms\x00", "Comms\x1b[31m", "Co\xffmms", "Tab\tbed"} {
		teams := []hierarchy.Team{{Line: 1, Key: "dept", Name: "Department"}, {Line: 2, Key: "comms", Name: name, Parent: "dept"}}
		var errs *hierarchy.Errors
		if err := hierarchy.Check("teams.csv", teams); !errors.As(err, &errs) || len(errs.Rows) != 1 || errs.Rows[0].Line != 2 {
			t.Errorf("name %q: %v, want one problem on line 2", name, err)
		}
	}
	ok := []hierarchy.Team{{Line: 1, Key: "dept", Name: "Adran – Department (Cymraeg: ŵ ŷ)"}}
	if err := hierarchy.Check("teams.csv", ok); err != nil {
		t.Errorf("a name in Welsh with a dash: %v", err)
	}
}
