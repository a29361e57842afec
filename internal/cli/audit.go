package cli

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"skillsurvey/internal/store"
)

// Audit list limits: the default fits a screen; the most keeps one command's memory small.
const (
	defaultAuditLimit = 50
	maxAuditLimit     = 10000
)

// audit reads the audit log, newest first.
func audit(c *call) error {
	if len(c.args) < 1 || c.args[0] != "list" {
		fmt.Fprintln(c.stderr, "usage: skillsurvey audit list [--limit N]")
		return errUsage
	}
	var cfg Config
	var limit int
	fs := flag.NewFlagSet("audit list", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	fs.IntVar(&limit, "limit", defaultAuditLimit, fmt.Sprintf("how many events, newest first (1 to %d)", maxAuditLimit))
	if err := c.parseNone(fs, c.args[1:]); err != nil {
		return err
	}
	if limit < 1 || limit > maxAuditLimit {
		fmt.Fprintf(c.stderr, "audit list: --limit %d: use 1 to %d\n", limit, maxAuditLimit)
		return errUsage
	}
	return cfg.withStore(func(ctx context.Context, st *store.Store) error {
		events, total, err := st.AuditEvents(ctx, 0, limit)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "AT\tACTOR\tACTION\tTARGET\tADDRESS\tDETAIL")
		for _, e := range events {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.At.UTC().Format(time.RFC3339), printable(e.Actor), printable(e.Action),
				orDash(printable(e.Target)), orDash(printable(e.Address)), printable(e.Detail))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if int64(len(events)) < total {
			fmt.Fprintf(c.stderr, "showing the newest %d of %d events; use --limit for more\n", len(events), total)
		}
		return nil
	})
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
