package survey

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestStageWarnings: stages that do not start where a mean is nearer the next level are warned of;
// the shipped definition's are not.
func TestStageWarnings(t *testing.T) {
	src, err := os.ReadFile("../../survey-definitions/digital-communications.yaml")
	if err != nil {
		t.Fatal(err)
	}
	shipped := string(src)
	old := strings.NewReplacer("from: 12.5", "from: 20", "from: 37.5", "from: 40", "from: 62.5", "from: 60", "from: 87.5", "from: 80").Replace(shipped)
	i := strings.Index(shipped, "    - key: emerging\n")
	j := strings.Index(shipped, "    - key: developing\n")
	// Without the stage "emerging", and without the dimensions' guidance for it.
	fourStages := regexp.MustCompile(`(?s)\n      emerging:\n.*?\n      developing:`).ReplaceAllString(shipped[:i]+shipped[j:], "\n      developing:")
	for _, tc := range []struct {
		name, src, want string
	}{
		{"shipped", shipped, ""},
		{"stages at 0, 20, 40, 60, 80", old, `stage "emerging" starts at 20, not 12.5, halfway between levels 1 and 2: start the stages at 0, 12.5, 37.5, 62.5, 87.5`},
		{"four stages", fourStages, "4 stages against questions of 5 levels"},
	} {
		d, err := Parse("def.yaml", []byte(tc.src))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		w := d.StageWarnings()
		switch {
		case tc.want == "" && len(w) > 0:
			t.Errorf("%s: warnings %v, want none", tc.name, w)
		case tc.want != "" && (len(w) != 1 || !strings.Contains(w[0].Message, tc.want) || w[0].Line == 0):
			t.Errorf("%s: warnings %v, want one at the scale saying %q", tc.name, w, tc.want)
		}
	}
}

// TestGuidance: a dimension's next steps name stages of the scale, say something and link only to
// https pages; a stage without guidance is warned of, not refused.
func TestGuidance(t *testing.T) {
	withGuidance := func(g string) string {
		return strings.Replace(validBase, "{key: dim, title: Dim, weight: 1, min_answers: 1}", "{key: dim, title: Dim, weight: 1, min_answers: 1, guidance: "+g+"}", 1)
	}
	good := withGuidance(`{low: {text: Start small, links: [{title: Service Manual, url: "https://www.gov.uk/service-manual"}]}, high: {text: Share what works}}`)
	d, err := Parse("def.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if g := d.Dimensions[0].Guidance["low"]; g.Text != "Start small" || len(g.Links) != 1 || g.Links[0].URL != "https://www.gov.uk/service-manual" {
		t.Errorf("guidance read as %+v", g)
	}
	for _, w := range d.Warnings() {
		if strings.Contains(w.Message, "guidance") {
			t.Errorf("guidance for every stage still warns: %v", w)
		}
	}
	half, err := Parse("def.yaml", []byte(withGuidance(`{low: {text: Start small}}`)))
	if err != nil {
		t.Fatal(err)
	}
	w := half.Warnings()
	if i := slices.IndexFunc(w, func(p Problem) bool { return strings.Contains(p.Message, "guidance") }); i < 0 ||
		!strings.Contains(w[i].Message, `dimension "dim" has no guidance for high`) {
		t.Errorf("a stage without guidance: warnings %v", w)
	}
	for _, tc := range []struct{ name, g, want string }{
		{"unknown stage", `{middle: {text: Hm}}`, `"middle" is not a stage of the scale`},
		{"no text", `{low: {text: " "}}`, `for stage "low" has no text`},
		{"plain http", `{low: {text: T, links: [{title: X, url: "http://example.com/"}]}}`, `links to "http://example.com/"`},
		{"script", `{low: {text: T, links: [{title: X, url: "javascript:alert(1)"}]}}`, `links to "javascript:alert(1)"`},
		{"no title", `{low: {text: T, links: [{title: "", url: "https://example.com/"}]}}`, `a link whose title is empty`},
		{"unknown key", `{low: {text: T, colour: red}}`, `unknown key "colour"`},
	} {
		_, err := Parse("def.yaml", []byte(withGuidance(tc.g)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
