package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/net/netutil"

	"skillsurvey/internal/metrics"
	"skillsurvey/internal/store"
)

// listenAndServe serves h, and the metrics on their own address when configured, until ctx ends;
// then it shuts down (see shutdown).
func listenAndServe(ctx context.Context, c *call, cfg Config, h http.Handler, m *metrics.Metrics, log *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Beyond the cap, connections wait to be accepted rather than each taking memory and a goroutine.
	ln = netutil.LimitListener(ln, cfg.Access.MaxConnections)
	var inFlight sync.WaitGroup
	srv := &http.Server{
		Handler:           countInFlight(h, &inFlight),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	scheme, serveOn := "http", func() error { return srv.Serve(ln) }
	if cfg.Access.TLSCert != "" {
		scheme, serveOn = "https", func() error { return srv.ServeTLS(ln, cfg.Access.TLSCert, cfg.Access.TLSKey) }
	}
	servers := []*http.Server{srv}
	errc := make(chan error, 2)
	if cfg.Ops.MetricsListen != "" {
		mln, err := net.Listen("tcp", cfg.Ops.MetricsListen)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen for metrics: %w", err)
		}
		// Only /metrics: everything else, the service's pages and API included, is 404 here.
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
		servers = append(servers, msrv)
		fmt.Fprintf(c.stdout, "Metrics are served at http://%s/metrics\n", mln.Addr())
		go func() { errc <- msrv.Serve(mln) }()
	}
	fmt.Fprintf(c.stdout, "skillsurvey is running at %s://%s/ (database %s); press Ctrl+C to stop\n", scheme, ln.Addr(), store.Redact(cfg.Database))
	go func() { errc <- serveOn() }()
	select {
	case err := <-errc:
		for _, s := range servers {
			s.Close()
		}
		return err
	case <-ctx.Done():
	}
	shutdown(servers, &inFlight, cfg.Ops.ShutdownGrace, log)
	for range servers {
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	return nil
}

// afterClose bounds how long a shutdown waits, once connections are closed, for handlers still
// running to return (a batch of submissions being written, say) before the database is closed.
const afterClose = 5 * time.Second

// shutdown stops the servers as a restart needs: no new connections; requests in flight get grace
// to finish; then every connection still open (a slow client, a long export) is closed, and the
// handlers get a moment to return. It never fails: a shutdown that runs past its grace is still a
// clean stop, and what a closed connection was sending had not been acknowledged.
func shutdown(servers []*http.Server, inFlight *sync.WaitGroup, grace time.Duration, log *slog.Logger) {
	log.Info("shutting down: no new connections; requests in flight may finish", "grace", grace.String())
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	var wg sync.WaitGroup
	for _, s := range servers {
		wg.Go(func() {
			if err := s.Shutdown(ctx); err != nil {
				log.Warn("the grace ended with connections open: closing them", "error", err.Error())
				s.Close()
			}
		})
	}
	wg.Wait()
	done := make(chan struct{})
	go func() { inFlight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(afterClose):
		log.Warn("handlers still running after their connections closed", "waited", afterClose.String())
	}
}

// countInFlight counts the requests h is handling, so a shutdown can wait for them after closing
// their connections.
func countInFlight(h http.Handler, inFlight *sync.WaitGroup) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inFlight.Add(1)
		defer inFlight.Done()
		h.ServeHTTP(w, r)
	})
}
