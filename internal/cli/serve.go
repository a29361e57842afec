package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"skillsurvey/api"
	"skillsurvey/internal/example"
	"skillsurvey/internal/metrics"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
	"skillsurvey/static"
)

func serve(c *call) error {
	var cfg Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	fs.StringVar(&cfg.Listen, "listen", c.envOr("SKILLSURVEY_LISTEN", DefaultListen), "address to listen on (env SKILLSURVEY_LISTEN)")
	exampleEnv, err := c.envBool("SKILLSURVEY_EXAMPLE")
	if err != nil {
		return err
	}
	fs.BoolVar(&cfg.Example, "example", exampleEnv,
		"on an empty database, add example teams and open an example wave (env SKILLSURVEY_EXAMPLE)")
	if err := c.demoFlag(fs, &cfg); err != nil {
		return err
	}
	if err := c.accessFlags(fs, &cfg.Access); err != nil {
		return err
	}
	// Operations: metrics and shutdown (serve_ops.go).
	if err := c.opsFlags(fs, &cfg.Ops); err != nil {
		return err
	}
	c.shellFlags(fs, &cfg.Shell)
	if err := c.parseNone(fs, c.args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if _, err := cfg.Access.check(cfg.Listen); err != nil {
		return err
	}
	if err := cfg.Ops.check(cfg.Listen); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	// After the first signal, a second ends the process at once, as if none were caught.
	context.AfterFunc(ctx, stop)
	return run(ctx, c, cfg)
}

func run(ctx context.Context, c *call, cfg Config) (err error) {
	// JSON lines, for a log collector; never an answer (see api.logRequests).
	log := slog.New(slog.NewJSONHandler(c.stderr, nil))
	cfg.Access.defaults()
	cfg.Ops.defaults()
	router, err := cfg.Access.check(cfg.Listen)
	if err != nil {
		return err
	}
	defs, err := cfg.loadDefinitions()
	if err != nil {
		return err
	}
	st, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// Last, once no request is in flight: SQLite copies its log into the file and removes it.
		if cerr := st.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close the database: %w", cerr))
			return
		}
		log.Info("database closed")
	}()
	if err := prepare(ctx, c, cfg, st, defs, log); err != nil {
		return err
	}
	if router.SSO, err = cfg.Access.connectSSO(ctx, st); err != nil {
		return err
	}
	pages := http.FS(static.Files())
	if !static.Built() {
		log.Warn("the web pages are not built, so only the API is served: run 'make assets' (or 'make run')")
		pages = nil
	}
	router.Store, router.Logger, router.Static, router.Definitions = st, log, pages, defs
	router.ReportEvery, router.Shell = reportEvery, cfg.Shell
	router.Metrics = metrics.New()
	return listenAndServe(ctx, c, cfg, api.New(router), router.Metrics, log)
}

// reportEvery is how long an open wave's report figures are kept while responses arrive: figures
// a second old cost a reader nothing (they move in steps of the threshold anyway), and recomputing
// the wave at every read that finds a new response took a third of the service's time under load.
const reportEvery = time.Second

// prepare stores the definitions, sets up the example when asked, and says how to make the first
// admin when there is none.
func prepare(ctx context.Context, c *call, cfg Config, st *store.Store, defs []*survey.Definition, log *slog.Logger) error {
	for _, d := range defs {
		if err := st.SaveDefinition(ctx, d); err != nil {
			return err
		}
		log.Info("survey definition loaded", "id", d.ID, "version", d.Version[:12], "questions", len(d.Questions()))
	}
	if cfg.Example {
		if err := setUpExample(ctx, c, st, defs); err != nil {
			return err
		}
	}
	if cfg.Demo {
		return setUpDemo(ctx, c, cfg, st, defs)
	}
	return hintFirstAdmin(ctx, c, st, cfg.Database)
}

func setUpExample(ctx context.Context, c *call, st *store.Store, defs []*survey.Definition) error {
	def, err := findDefinition(defs, example.SurveyID)
	if err != nil {
		def = defs[0]
	}
	done, err := example.Setup(ctx, st, def)
	if err != nil {
		return fmt.Errorf("example: %w", err)
	}
	if done {
		fmt.Fprintf(c.stdout, "Set up example teams and opened wave %q of %q.\n", example.WaveKey, def.ID)
	}
	return nil
}

// hintFirstAdmin says how to create the first account when there is none: until then nobody can
// read the dashboard.
func hintFirstAdmin(ctx context.Context, c *call, st *store.Store, database string) error {
	if any, err := st.HasUsers(ctx); err != nil || any {
		return err
	}
	fmt.Fprintf(c.stdout, "No one can sign in yet. Create the first admin in another terminal with:\n"+
		"  skillsurvey user add --database %s --email you@example.gov.uk --role admin\n", store.Redact(database))
	return nil
}
