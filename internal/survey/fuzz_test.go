package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse, whatever it is given, returns exactly one of a usable definition or a
// list of problems that each name a line.
func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join("testdata", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(validBase))
	for _, tc := range problemCases() {
		f.Add([]byte(tc.doc))
	}
	// Two documents at the edge of the bounds: the most options, and a key one past its length.
	f.Add([]byte(edit("options: [a, b], max_choices: 2", "options: "+flow(MaxOptions, "o#")+", max_choices: 100")))
	f.Add([]byte(edit("{key: num,", "{key: "+longKey(MaxKeyLength+1)+",")))

	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("fuzz.yaml", data)
		switch {
		case d == nil && err == nil:
			t.Fatal("Parse returned neither a definition nor an error")
		case d != nil && err != nil:
			t.Fatalf("Parse returned a definition and the error %v", err)
		case d != nil:
			checkParsed(t, d, data)
		default:
			checkProblems(t, err)
		}
	})
}

func checkParsed(t *testing.T, d *Definition, data []byte) {
	t.Helper()
	sum := sha256.Sum256(data)
	if want := hex.EncodeToString(sum[:]); d.Version != want {
		t.Errorf("version %q, want the sha256 of the bytes %s", d.Version, want)
	}
	n := 0
	for i := range d.Sections {
		for j := range d.Sections[i].Questions {
			q := &d.Sections[i].Questions[j]
			n++
			if got, ok := d.Question(q.Key); !ok || got != q {
				t.Errorf("question %q of section %q is not reachable with Question", q.Key, d.Sections[i].Key)
			}
		}
	}
	if len(d.Questions()) != n {
		t.Errorf("Questions() has %d questions, the sections %d", len(d.Questions()), n)
	}
	// A valid definition must be usable: checking an empty response and finding a stage must not panic.
	d.CheckAnswers(nil)
	d.StageFor(50)
}

func checkProblems(t *testing.T, err error) {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %T (%v), want Problems", err, err)
	}
	if len(ps) == 0 {
		t.Fatal("Parse returned an empty list of problems")
	}
	for _, p := range ps {
		if p.File != "fuzz.yaml" || p.Line < 1 || p.Message == "" {
			t.Errorf("problem %+v: want file fuzz.yaml, a line from 1 and a message", p)
		}
	}
}
