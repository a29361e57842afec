package api

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// TestBackupDownload: an admin downloads a checked copy of the database, which opens and holds the
// wave's responses; the download is in the audit log; nobody else gets one.
func TestBackupDownload(t *testing.T) {
	e := newTestEnv(t)
	e.addResponses(waveOpen, "digital-engagement", 6)
	r := e.getAs(tokenAdmin, "/api/v1/backup")
	if r.status != 200 || r.header.Get("Content-Type") != mediaSQLite || !bytes.HasPrefix(r.body, []byte("SQLite format 3\x00")) {
		t.Fatalf("admin's backup: %d %s, %d bytes starting %q", r.status, r.header.Get("Content-Type"), len(r.body), r.body[:min(16, len(r.body))])
	}
	if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".db") {
		t.Errorf("Content-Disposition %q", cd)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, r.body, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	copy, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer copy.Close()
	w, err := copy.Wave(ctx, waveOpen)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := copy.CountResponses(ctx, w.ID); err != nil || n != 6 {
		t.Errorf("the backup holds %d responses (%v), want 6", n, err)
	}
	events, _, err := e.store.AuditEvents(ctx, 0, 5)
	if err != nil || len(events) == 0 || events[0].Action != access.ActionBackup {
		t.Errorf("the last audit event is %+v (%v), want a backup", events, err)
	}
	for _, caller := range []string{sessionHR, sessionLeadComms, tokenHR, anonymous} {
		if r := e.getAs(caller, "/api/v1/backup"); r.status != 401 && r.status != 403 {
			t.Errorf("%s got a backup: %d", caller, r.status)
		}
	}
}
