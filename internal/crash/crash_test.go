package crash

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/example"
	"skillsurvey/internal/survey"
	definitions "skillsurvey/survey-definitions"
)

// TestCrash builds the binary, then kills it with SIGKILL under load SKILLSURVEY_CRASH_CYCLES times
// (5 unless set) and checks that nothing acknowledged was lost or stored twice.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary: not in -short")
	}
	cycles := 5
	if v := os.Getenv("SKILLSURVEY_CRASH_CYCLES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("SKILLSURVEY_CRASH_CYCLES=%q: use a whole number of at least 1", v)
		}
		cycles = n
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	def := exampleDefinition(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, %d cycles", seed, cycles)
	start := time.Now()
	res, err := Run(context.Background(), Config{
		Binary: bin, Dir: dir, Definition: def, Cycles: cycles, Clients: 16,
		MinUp: 500 * time.Millisecond, MaxUp: 2500 * time.Millisecond, Seed: seed, Log: testLog{t},
	})
	for _, p := range res.Problems {
		t.Error(p)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d cycles in %v: %d requests for %d submissions; %d answered 201 during the cycles; %d had an answer lost, of which a later retry found %d stored and stored %d (%d answered only by the final retry); %d rows",
		res.Cycles, time.Since(start).Round(time.Millisecond), res.Requests, res.IDs, res.Acknowledged, res.Lost,
		res.StoredBefore, res.StoredNow, res.Unanswered, res.Rows)
	if res.Acknowledged == 0 || res.Lost == 0 {
		t.Errorf("the run proved little: %d submissions answered 201, %d answers lost to a kill", res.Acknowledged, res.Lost)
	}
}

// testLog passes Run's lines to the test's log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// buildBinary builds skillsurvey into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "skillsurvey")
	build := exec.Command("go", "build", "-tags", "nomsgpack", "-o", bin, ".")
	build.Dir = filepath.Join("..", "..") // the module's root, where main.go is
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// exampleDefinition is the definition of the wave serve --example opens.
func exampleDefinition(t *testing.T) *survey.Definition {
	t.Helper()
	defs, err := survey.LoadFS(definitions.Files, "(built in)")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		if d.ID == example.SurveyID {
			return d
		}
	}
	t.Fatal("no digital-communications among the built-in definitions")
	return nil
}
