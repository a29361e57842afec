package cli

import (
	"path/filepath"
	"testing"
)

// TestBenchFlags checks that bench refuses values out of range and flags that do not go together
// before it starts anything, and says which flag is wrong.
func TestBenchFlags(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.db")
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"no clients", []string{"--clients", "0"}, 1, "--clients 0: use 1 to 1024"},
		{"too many clients", []string{"--clients", "1025"}, 1, "--clients 1025: use 1 to 1024"},
		{"too short", []string{"--duration", "500ms"}, 1, "--duration 500ms: use 1s to 10m"},
		{"too long", []string{"--duration", "11m"}, 1, "--duration 11m0s: use 1s to 10m"},
		{"not a duration", []string{"--duration", "soon"}, 2, "invalid value \"soon\" for flag -duration"},
		{"no responses", []string{"--build", "x.db", "--responses", "0"}, 1, "--responses 0: use 1 to 10000000"},
		{"too many responses", []string{"--build", "x.db", "--responses", "10000001"}, 1, "--responses 10000001: use 1 to 10000000"},
		{"responses without build", []string{"--responses", "10"}, 1, "--responses goes with --build"},
		{"build with database", []string{"--build", "x.db", "--database", "y.db"}, 1, "--database does not go with --build"},
		{"build with crash", []string{"--build", "x.db", "--crash", "3"}, 1, "--crash does not go with --build"},
		{"build with no path", []string{"--build", ""}, 1, "--build and --database need a file path"},
		{"no crash cycles", []string{"--crash", "0"}, 1, "--crash 0: use 1 to 10000 cycles"},
		{"too many crash cycles", []string{"--crash", "10001"}, 1, "--crash 10001: use 1 to 10000 cycles"},
		{"crash with duration", []string{"--crash", "3", "--duration", "5s"}, 1, "--duration does not go with --crash"},
		{"crash with database", []string{"--crash", "3", "--database", "y.db"}, 1, "--database does not go with --crash"},
		{"missing database", []string{"--database", missing, "--duration", "1s"}, 1, "make one with bench --build"},
		{"unknown flag", []string{"--bogus"}, 2, "flag provided but not defined: -bogus"},
		{"an argument", []string{"now"}, 2, "bench takes no argument \"now\""},
		{"help", []string{"-h"}, 2, "skillsurvey bench --build PATH [--responses 1000000]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runCLI(t, env{}, append([]string{"bench"}, tt.args...)...).want(t, tt.code, nil, []string{tt.inStderr})
		})
	}
}

// TestBenchBuild builds a small database through the command line, then again, which adds nothing.
func TestBenchBuild(t *testing.T) {
	path := filepath.Join(t.TempDir(), "large.db")
	runCLI(t, env{}, "bench", "--build", path, "--responses", "20").want(t, 0, []string{"adding 20", "added 20 responses"}, nil)
	runCLI(t, env{}, "bench", "--build", path, "--responses", "20").want(t, 0, []string{"holds 20 responses", "nothing to add"}, nil)
}

// TestHelpListsBench checks that bench is among the commands the usage lists.
func TestHelpListsBench(t *testing.T) {
	runCLI(t, env{}, "help").want(t, 0, nil, []string{"bench", "measure the service from outside"})
}
