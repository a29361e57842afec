package cli

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"
)

// healthCmd asks the service listening at --listen whether it is ready (GET /readyz), for a
// container's HEALTHCHECK: the runtime image has no curl, and needs none. Exit 0 when ready.
func healthCmd(c *call) error {
	var listen string
	var timeout time.Duration
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.StringVar(&listen, "listen", c.envOr("SKILLSURVEY_LISTEN", DefaultListen), "the address the service listens on (env SKILLSURVEY_LISTEN)")
	fs.DurationVar(&timeout, "timeout", 3*time.Second, "how long to wait for the answer")
	if err := c.parseNone(fs, c.args); err != nil {
		return err
	}
	if err := checkListen(listen); err != nil {
		return err
	}
	host, port, _ := net.SplitHostPort(listen)
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1" // listening on every address: ask on loopback
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not ready: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: /readyz answered %s", resp.Status)
	}
	fmt.Fprintln(c.stdout, "ready")
	return nil
}
