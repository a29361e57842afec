package cli

import (
	"errors"
	"flag"
	"fmt"
	"time"
)

// Ops is serve's settings for running the service in production: where its metrics are served,
// and how long a shutdown waits for requests in flight.
type Ops struct {
	// MetricsListen is the address /metrics is served on, apart from the service's own; empty
	// serves no metrics. The service's own address never serves them.
	MetricsListen string
	// ShutdownGrace is how long requests in flight get to finish after SIGINT or SIGTERM; then the
	// connections still open are closed. Zero takes DefaultShutdownGrace.
	ShutdownGrace time.Duration
}

// DefaultShutdownGrace is how long a shutdown waits for requests in flight unless told otherwise:
// a submission takes milliseconds, a large export a few seconds.
const DefaultShutdownGrace = 15 * time.Second

// opsFlags adds --metrics-listen and --shutdown-grace, defaulting to the environment.
func (c *call) opsFlags(fs *flag.FlagSet, o *Ops) error {
	grace := DefaultShutdownGrace
	if v := c.env("SKILLSURVEY_SHUTDOWN_GRACE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("SKILLSURVEY_SHUTDOWN_GRACE=%q: use a duration such as 15s or 1m", v)
		}
		grace = d
	}
	fs.StringVar(&o.MetricsListen, "metrics-listen", c.env("SKILLSURVEY_METRICS_LISTEN"),
		"serve Prometheus metrics at /metrics on this address, such as 127.0.0.1:9090, apart from the service; off when empty (env SKILLSURVEY_METRICS_LISTEN)")
	fs.DurationVar(&o.ShutdownGrace, "shutdown-grace", grace,
		"after SIGTERM or SIGINT, how long requests in flight get to finish before their connections are closed (env SKILLSURVEY_SHUTDOWN_GRACE)")
	return nil
}

// check refuses settings that cannot work, naming the flag.
func (o Ops) check(listen string) error {
	var errs []error
	if o.MetricsListen != "" {
		if checkListen(o.MetricsListen) != nil {
			errs = append(errs, fmt.Errorf("--metrics-listen %q: want HOST:PORT, such as 127.0.0.1:9090", o.MetricsListen))
		} else if o.MetricsListen == listen {
			errs = append(errs, fmt.Errorf("--metrics-listen %q is the service's own address: give metrics one of their own", o.MetricsListen))
		}
	}
	if o.ShutdownGrace <= 0 {
		errs = append(errs, fmt.Errorf("--shutdown-grace %v: give a positive duration, such as 15s", o.ShutdownGrace))
	}
	return errors.Join(errs...)
}

func (o *Ops) defaults() {
	if o.ShutdownGrace == 0 {
		o.ShutdownGrace = DefaultShutdownGrace
	}
}
