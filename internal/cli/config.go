package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"

	"skillsurvey/api"
	"skillsurvey/internal/store"
	"skillsurvey/internal/submission"
	"skillsurvey/internal/survey"
	definitions "skillsurvey/survey-definitions"
)

// Defaults of the settings every command shares.
const (
	DefaultDatabase    = "skillsurvey.db"
	DefaultDefinitions = "survey-definitions"
	DefaultListen      = "127.0.0.1:8080"
)

// Config is the service's settings, from flags, then SKILLSURVEY_* variables, then defaults.
type Config struct {
	Database    string
	Definitions string
	Listen      string
	Example     bool
	// Demo is serve --demo: the demonstration department and an admin, on an empty database.
	Demo bool
	// Access is serve's settings for who may reach the service (serve_access.go).
	Access Access
	// Ops is serve's settings for metrics and shutdown (serve_ops.go).
	Ops Ops
	// Shell is serve's settings for what frames every page (serve_shell.go).
	Shell api.Shell
}

// commonFlags adds --database and --definitions, defaulting to the environment.
func (c *call) commonFlags(fs *flag.FlagSet, cfg *Config) {
	fs.StringVar(&cfg.Database, "database", c.envOr("SKILLSURVEY_DATABASE", DefaultDatabase),
		"SQLite database file, or a postgres:// URL (env SKILLSURVEY_DATABASE)")
	fs.StringVar(&cfg.Definitions, "definitions", c.envOr("SKILLSURVEY_DEFINITIONS", DefaultDefinitions),
		"folder of survey definitions; the shipped ones are built in when the default folder is absent (env SKILLSURVEY_DEFINITIONS)")
}

func (c *call) envOr(key, def string) string {
	if v := c.env(key); v != "" {
		return v
	}
	return def
}

// envBool reads a true/false variable, reporting a bad value rather than guessing.
func (c *call) envBool(key string) (bool, error) {
	v := c.env(key)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: use true or false", key, v)
	}
	return b, nil
}

// Validate checks the settings once, at start.
func (cfg Config) Validate() error {
	var errs []error
	if strings.TrimSpace(cfg.Database) == "" {
		errs = append(errs, errors.New("--database is empty: give a SQLite file path or a postgres:// URL"))
	}
	if strings.TrimSpace(cfg.Definitions) == "" {
		errs = append(errs, errors.New("--definitions is empty: give a folder of survey definitions"))
	}
	if cfg.Example && cfg.Demo {
		errs = append(errs, errors.New("--example and --demo: choose one; each sets up an empty database its own way"))
	}
	if cfg.Listen != "" {
		if err := checkListen(cfg.Listen); err != nil {
			errs = append(errs, err)
		}
	}
	if err := cfg.Shell.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func checkListen(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: want HOST:PORT, such as %s", addr, DefaultListen)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("--listen %q: the port must be a number from 0 to 65535", addr)
	}
	return nil
}

// loadDefinitions reads the definitions folder, or the built-in copy when the default folder is absent.
func (cfg Config) loadDefinitions() ([]*survey.Definition, error) {
	if _, err := os.Stat(cfg.Definitions); errors.Is(err, fs.ErrNotExist) && cfg.Definitions == DefaultDefinitions {
		return survey.LoadFS(definitions.Files, "(built in)")
	}
	return survey.LoadDir(cfg.Definitions)
}

func (cfg Config) openStore(ctx context.Context) (*store.Store, error) {
	return store.Open(ctx, cfg.Database, store.WithReassess(submission.Reassess))
}

// withStore checks the settings, opens the database, runs f with it and closes it: the frame of
// every command that changes or lists something.
func (cfg Config) withStore(f func(ctx context.Context, st *store.Store) error) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return f(ctx, st)
}

// findDefinition picks the definition with the given id.
func findDefinition(defs []*survey.Definition, id string) (*survey.Definition, error) {
	var ids []string
	for _, d := range defs {
		if d.ID == id {
			return d, nil
		}
		ids = append(ids, d.ID)
	}
	return nil, fmt.Errorf("no survey definition with id %q; there are: %s", id, quoted(ids))
}
