package crash

import (
	"context"
	"os"
	"path/filepath"
	"time"
)

// This file lends the benchmark (internal/bench) what it shares with the crash test: running the
// real binary as a server, and what a client sends it.

// ServerOptions say how to start a server for a benchmark.
type ServerOptions struct {
	// Binary is the skillsurvey executable; Dir is its working folder, where it uses its built-in
	// definitions, and where its log, serve.log, goes.
	Binary, Dir string
	// Args are serve's flags besides --listen: the server always listens on a free loopback port.
	Args []string
	// StartTimeout is how long it gets to say it is running; 0 is the crash test's 20s.
	StartTimeout time.Duration
}

// Server is a running server started by StartServer.
type Server struct{ s *server }

// StartServer starts the binary as serve and waits until it says where it listens.
func StartServer(ctx context.Context, o ServerOptions) (*Server, error) {
	if o.StartTimeout == 0 {
		o.StartTimeout = startTimeout
	}
	s, err := launch(ctx, launchSpec{binary: o.Binary, dir: o.Dir, logTo: filepath.Join(o.Dir, "serve.log"),
		name: "server", args: o.Args, timeout: o.StartTimeout})
	if err != nil {
		return nil, err
	}
	return &Server{s: s}, nil
}

// URL is where the server listens, such as http://127.0.0.1:41234, without a final slash.
func (s *Server) URL() string { return s.s.url() }

// PID is the server's process id, to read its memory by.
func (s *Server) PID() int { return s.s.cmd.Process.Pid }

// Stop asks the server to shut down with SIGTERM, as an operator would, and expects a clean end.
func (s *Server) Stop() error { return s.s.stop() }

// Kill ends the server with SIGKILL, for a run that is abandoned.
func (s *Server) Kill() error { return s.s.kill() }

// Teams reads the keys of the teams a respondent of the example wave may choose.
func Teams(ctx context.Context, base string) ([]string, error) { return fetchTeams(ctx, base) }

// SubmissionID makes a fresh submission_id, a version 4 UUID.
func SubmissionID() string { return newUUID() }

// Environment is this process's environment without SKILLSURVEY_* variables, so a child runs as
// its flags say and never on a database a variable names.
func Environment() []string { return withoutSettings(os.Environ()) }
