package bench

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"skillsurvey/internal/access"
	"skillsurvey/internal/crash"
)

// serverStart is how long the server gets to say it is running: on a database of a million
// responses, opening it may first migrate its schema.
const serverStart = 2 * time.Minute

// startServer runs the binary as serve on database, in dir, with abuse limits set as high as
// they go: every client here shares one address, which the limits would otherwise throttle as one
// abusive client. On an empty database --example adds the teams and opens the example wave.
func startServer(ctx context.Context, cfg Config, dir, database string) (*crash.Server, error) {
	return crash.StartServer(ctx, crash.ServerOptions{
		Binary: cfg.Binary, Dir: dir, StartTimeout: serverStart,
		Args: []string{"--database", database, "--example",
			"--limit-submissions", "1000000/1s", "--limit-requests", "1000000/1s"},
	})
}

// createToken makes an HR token with the binary's own token create, as an operator would, and
// returns its secret: reading a report needs one. Each run names a new one, as a kept database
// still holds the tokens of earlier runs; it lasts an hour, the shortest a token may.
func createToken(ctx context.Context, cfg Config, dir, database string) (string, error) {
	name := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	cmd := exec.CommandContext(ctx, cfg.Binary, "token", "create", "--database", database,
		"--name", name, "--role", "hr", "--expires", "1h")
	cmd.Dir, cmd.Env = dir, crash.Environment()
	out, err := cmd.Output()
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		return "", fmt.Errorf("bench: token create: %w: %s", err, ee.Stderr)
	}
	if err != nil {
		return "", fmt.Errorf("bench: token create: %w", err)
	}
	// The secret is the last line: the lines before it tell a person what to do with it.
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	secret := strings.TrimSpace(lines[len(lines)-1])
	if !strings.HasPrefix(secret, access.TokenPrefix) {
		return "", fmt.Errorf("bench: token create printed no token:\n%s", out)
	}
	return secret, nil
}

// databaseFor is the database the run uses: cfg's, in place, or a fresh one in dir. The path is
// made absolute, as the server runs in dir.
func databaseFor(cfg Config, dir string) (string, error) {
	if cfg.Database == "" {
		return filepath.Join(dir, "bench.db"), nil
	}
	return filepath.Abs(cfg.Database)
}
