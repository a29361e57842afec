package cli

import (
	"context"
	"flag"
	"fmt"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// backupCmd writes a consistent copy of the database while the service runs (store.Backup).
func backupCmd(c *call) error {
	var cfg Config
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	c.commonFlags(fs, &cfg)
	pos, err := c.parse(fs, c.args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(c.stderr, "usage: skillsurvey backup [--database DB] FILE")
		return errUsage
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, pos[0]); err != nil {
		return err
	}
	if err := st.Audit(ctx, store.NewAuditEvent{Actor: access.CommandLineActor, Action: access.ActionBackup, Target: pos[0]}); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "backed up to %s (checked); to restore, stop the service and put it in place of the database file\n", pos[0])
	return nil
}
