package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/net/netutil"

	"skillsurvey/api"
	"skillsurvey/internal/example"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
	"skillsurvey/static"
)

// shutdownGrace is how long requests in flight get to finish after SIGINT or SIGTERM.
const shutdownGrace = 15 * time.Second

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
	if err := c.accessFlags(fs, &cfg.Access); err != nil {
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
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return run(ctx, c, cfg)
}

func run(ctx context.Context, c *call, cfg Config) error {
	log := slog.New(slog.NewTextHandler(c.stderr, nil))
	cfg.Access.defaults()
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
	defer st.Close()
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
	return listenAndServe(ctx, c, cfg, api.New(router), log)
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
	return hintFirstAdmin(ctx, c, st, cfg.Database)
}

// listenAndServe serves h until ctx ends, then lets requests in flight finish for shutdownGrace.
func listenAndServe(ctx context.Context, c *call, cfg Config, h http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Beyond the cap, connections wait to be accepted rather than each taking memory and a goroutine.
	ln = netutil.LimitListener(ln, cfg.Access.MaxConnections)
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	scheme, serveOn := "http", func() error { return srv.Serve(ln) }
	if cfg.Access.TLSCert != "" {
		scheme, serveOn = "https", func() error { return srv.ServeTLS(ln, cfg.Access.TLSCert, cfg.Access.TLSKey) }
	}
	fmt.Fprintf(c.stdout, "skillsurvey is running at %s://%s/ (database %s); press Ctrl+C to stop\n", scheme, ln.Addr(), cfg.Database)
	errc := make(chan error, 1)
	go func() { errc <- serveOn() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
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
		"  skillsurvey user add --database %s --email you@example.gov.uk --role admin\n", database)
	return nil
}
