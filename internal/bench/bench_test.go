package bench

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/example"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
	definitions "skillsurvey/survey-definitions"
)

// exampleDefinition is the definition serve --example opens its wave of, as built in.
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

// buildBinary builds skillsurvey into a test folder, as the crash test does.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "skillsurvey")
	build := exec.Command("go", "build", "-tags", "nomsgpack", "-o", bin, ".")
	build.Dir = filepath.Join("..", "..") // the module's root, where main.go is
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// countResponses counts the example wave's responses in the database at path.
func countResponses(t *testing.T, path string) int64 {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := st.Wave(ctx, example.WaveKey)
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.CountResponses(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// everyFigure is what a run must print: each figure the issue asks for, and the failures line.
var everyFigure = []string{
	"submissions acknowledged (4 clients)", "submission p50", "submission p95", "submission p99",
	"respondent paths (questionnaire + submission)", "respondent path p50", "respondent path p95", "respondent path p99",
	"report reads while submissions run", "report read p50", "report read p95", "report read p99",
	"simplest request (GET /healthz), for scale", "bare limit (one JSON row per transaction)", "submissions ÷ bare limit", "server peak memory (VmHWM)",
	"failed requests: none",
}

// TestRun builds the binary and runs the benchmark briefly, with 4 clients, on a fresh database
// and on one made by Build, and checks that every figure is printed and no request failed.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary: not in -short")
	}
	bin, def := buildBinary(t), exampleDefinition(t)
	cfg := Config{Binary: bin, Definition: def, Clients: 4, Duration: 2 * time.Second, Warmup: 500 * time.Millisecond, Seed: 7}
	t.Run("fresh database", func(t *testing.T) {
		out := runAndCheck(t, cfg)
		if !strings.Contains(out, "database fresh") {
			t.Errorf("the output does not say the database was fresh:\n%s", out)
		}
	})
	t.Run("built database", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "large.db")
		if err := Build(context.Background(), path, def, 300, 7, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		cfg := cfg
		cfg.Database, cfg.Duration = path, time.Second
		out := runAndCheck(t, cfg)
		if !strings.Contains(out, path+", in place") {
			t.Errorf("the output does not name the database used in place:\n%s", out)
		}
		if n := countResponses(t, path); n <= 300 {
			t.Errorf("the built database holds %d responses after the run, want more than the 300 built: it was not used in place", n)
		}
	})
}

// runAndCheck runs the benchmark and checks its output names every figure.
func runAndCheck(t *testing.T, cfg Config) string {
	t.Helper()
	var out bytes.Buffer
	start := time.Now()
	if err := Run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	t.Logf("run in %v:\n%s", time.Since(start).Round(time.Millisecond), out.String())
	for _, figure := range everyFigure {
		if !strings.Contains(out.String(), figure) {
			t.Errorf("the output lacks %q", figure)
		}
	}
	if strings.Contains(out.String(), "not measured") {
		t.Error("peak memory was not measured, on Linux")
	}
	return out.String()
}

// TestRunRefusesMissingDatabase checks that a --database that is not there is refused rather
// than made empty, which would measure something else than was asked.
func TestRunRefusesMissingDatabase(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nothing-here.db")
	cfg := Config{Binary: "/does/not/matter", Definition: exampleDefinition(t), Database: missing, Clients: 1, Duration: time.Second}
	var out bytes.Buffer
	err := Run(context.Background(), cfg, &out)
	if err == nil || !strings.Contains(err.Error(), "bench --build") {
		t.Errorf("Run on a missing database: %v, want an error saying how to build one", err)
	}
}

// TestCrash runs the crash test for one cycle through Crash and checks it reports no problem.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary: not in -short")
	}
	cfg := Config{Binary: buildBinary(t), Definition: exampleDefinition(t), Clients: 4, Seed: 7}
	var out bytes.Buffer
	if err := Crash(context.Background(), cfg, 1, &out); err != nil {
		t.Fatalf("Crash: %v\n%s", err, out.String())
	}
	for _, want := range []string{"crash test: 1 cycles", "cycle 1: killed after", "problems: none"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
}
