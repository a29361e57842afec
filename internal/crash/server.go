package crash

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// startTimeout is how long a server gets to say it is running: opening the database after a kill
// replays its write-ahead log first.
const startTimeout = 20 * time.Second

// server is one run of the binary.
type server struct {
	cmd    *exec.Cmd
	addr   string
	logTo  string
	exited chan struct{}
	err    error // how the process ended, once exited is closed
}

var running = regexp.MustCompile(`skillsurvey is running at http://(127\.0\.0\.1:[0-9]+)/`)

// startServer starts the binary on cfg's database, with abuse limits no client here meets, and
// waits until it says where it listens. Its log goes to serve-N.log in cfg.Dir.
func startServer(ctx context.Context, cfg Config, n int) (*server, error) {
	return launch(ctx, launchSpec{
		binary: cfg.Binary, dir: cfg.Dir, logTo: filepath.Join(cfg.Dir, fmt.Sprintf("serve-%d.log", n)),
		name: fmt.Sprintf("server %d", n), timeout: startTimeout,
		args: []string{"--database", filepath.Join(cfg.Dir, "crash.db"), "--example",
			"--limit-submissions", "1000000/1m", "--limit-requests", "1000000/1m"},
	})
}

// launchSpec says how to run one server: serve's flags besides --listen, which is always a free
// loopback port, and where its log goes.
type launchSpec struct {
	binary, dir, logTo string
	name               string // the server as an error names it
	args               []string
	timeout            time.Duration // how long it gets to say it is running
}

// launch starts a server in spec.dir, where it uses its built-in definitions, and waits until it
// says where it listens.
func launch(ctx context.Context, spec launchSpec) (*server, error) {
	logFile, err := os.Create(spec.logTo)
	if err != nil {
		return nil, fmt.Errorf("crash: %w", err)
	}
	defer logFile.Close() // the child holds its own copy
	cmd := exec.Command(spec.binary, append([]string{"serve", "--listen", "127.0.0.1:0"}, spec.args...)...)
	cmd.Dir = spec.dir
	cmd.Env = withoutSettings(os.Environ())
	dieWithParent(cmd)
	out := &watch{found: make(chan string, 1)}
	cmd.Stdout, cmd.Stderr = out, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("crash: start %s: %w", spec.binary, err)
	}
	s := &server{cmd: cmd, logTo: spec.logTo, exited: make(chan struct{})}
	go func() { s.err = cmd.Wait(); close(s.exited) }()
	select {
	case s.addr = <-out.found:
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("crash: %s exited before listening (%v); stdout %q; log:\n%s", spec.name, s.err, out.String(), s.logTail())
	case <-time.After(spec.timeout):
	case <-ctx.Done():
	}
	s.kill()
	return nil, fmt.Errorf("crash: %s did not say it was running within %v; stdout %q", spec.name, spec.timeout, out.String())
}

// withoutSettings drops SKILLSURVEY_* variables, so the server runs as the flags say.
func withoutSettings(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "SKILLSURVEY_") {
			out = append(out, kv)
		}
	}
	return out
}

func (s *server) url() string { return "http://" + s.addr }

// kill sends SIGKILL and waits for the process to end; a process that had already ended by itself
// is a problem.
func (s *server) kill() error {
	select {
	case <-s.exited:
		return fmt.Errorf("server exited by itself before the kill (%v); log:\n%s", s.err, s.logTail())
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("kill: %w", err)
	}
	<-s.exited
	return nil
}

// stop asks the server to shut down as an operator would, and expects it to end cleanly.
func (s *server) stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("SIGTERM: %w", err)
	}
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.kill()
		return errors.New("server did not stop within 30s of SIGTERM")
	}
	if s.err != nil {
		return fmt.Errorf("server ended with %v; log:\n%s", s.err, s.logTail())
	}
	return nil
}

// logTail is the end of the server's log, for a message.
func (s *server) logTail() string {
	b, err := os.ReadFile(s.logTo)
	if err != nil {
		return err.Error()
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// watch keeps what the server prints and passes on the address it says it listens at.
type watch struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	found chan string
	seen  bool
}

func (w *watch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := running.FindStringSubmatch(w.buf.String()); m != nil && !w.seen {
		w.seen = true
		w.found <- m[1]
	}
	return len(p), nil
}

func (w *watch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
