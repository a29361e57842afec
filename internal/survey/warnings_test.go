package survey

import (
	"os"
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
	fourStages := shipped[:i] + shipped[j:]
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
		w := d.Warnings()
		switch {
		case tc.want == "" && len(w) > 0:
			t.Errorf("%s: warnings %v, want none", tc.name, w)
		case tc.want != "" && (len(w) != 1 || !strings.Contains(w[0].Message, tc.want) || w[0].Line == 0):
			t.Errorf("%s: warnings %v, want one at the scale saying %q", tc.name, w, tc.want)
		}
	}
}
