package cli

import (
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"skillsurvey/api"
)

// TestShellSettings: the shell's flags and variables reach the configuration, flags first.
func TestShellSettings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  env
		args []string
		want api.Shell
	}{
		{"defaults", env{}, nil, api.Shell{Department: api.DefaultDepartment, Phase: api.DefaultPhase}},
		{"from the environment", env{"SKILLSURVEY_DEPARTMENT_NAME": "Department for Skills", "SKILLSURVEY_PHASE": "Alpha",
			"SKILLSURVEY_CONTACT_EMAIL": "skills@example.gov.uk", "SKILLSURVEY_FEEDBACK_URL": "https://forms.example.gov.uk/f"}, nil,
			api.Shell{Department: "Department for Skills", Phase: "Alpha", ContactEmail: "skills@example.gov.uk", FeedbackURL: "https://forms.example.gov.uk/f"}},
		{"flags before the environment", env{"SKILLSURVEY_DEPARTMENT_NAME": "Old name"},
			[]string{"--department-name", "New name", "--phase=", "--contact-email", "a@example.gov.uk"},
			api.Shell{Department: "New name", ContactEmail: "a@example.gov.uk"}},
	}
	for _, tc := range cases {
		c := &call{env: tc.env.get, stdout: io.Discard, stderr: io.Discard}
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		var got api.Shell
		c.shellFlags(fs, &got)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// TestServeRefusesBadShellSettings: a contact address or feedback link that would not work stops
// the service at start, naming the setting.
func TestServeRefusesBadShellSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env      env
		args     []string
		inStderr string
	}{
		{env{}, []string{"--contact-email", "Skills team <skills@example.gov.uk>"}, "contact email"},
		{env{"SKILLSURVEY_FEEDBACK_URL": "javascript:alert(1)"}, nil, "feedback URL"},
	} {
		db := filepath.Join(t.TempDir(), "test.db")
		r := runCLI(t, tc.env, append([]string{"serve", "--database", db}, tc.args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, tc.inStderr) || r.stdout != "" {
			t.Errorf("%v %v: exit %d, stdout %q, stderr %q; want 1 and %q", tc.env, tc.args, r.code, r.stdout, r.stderr, tc.inStderr)
		}
		assertNoFile(t, db)
	}
}
