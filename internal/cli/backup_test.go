package cli

import (
	"context"
	"path/filepath"
	"testing"

	"skillsurvey/internal/store"
)

// TestBackupCommand: backup FILE writes a checked copy that opens with the demo's responses;
// a second backup to the same name is refused and changes nothing; no file or two files are a
// usage error.
func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	e := env{"SKILLSURVEY_DATABASE": filepath.Join(dir, "live.db"), "SKILLSURVEY_DEFINITIONS": shippedDefinitions}
	runCLI(t, e, "demo", "--responses", "30").want(t, 0, nil, nil)
	dest := filepath.Join(dir, "copy.db")
	runCLI(t, e, "backup", dest).want(t, 0, []string{"backed up to " + dest}, nil)
	runCLI(t, e, "backup", dest).want(t, 1, nil, []string{"a file is there already"})
	runCLI(t, e, "backup").want(t, 2, nil, []string{"usage: skillsurvey backup"})
	runCLI(t, e, "backup", dest+"1", dest+"2").want(t, 2, nil, []string{"usage: skillsurvey backup"})
	ctx := context.Background()
	copy, err := store.Open(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	ws, err := copy.Waves(ctx)
	if err != nil || len(ws) != 3 {
		t.Fatalf("the copy holds %d waves (%v), want the demo's 3", len(ws), err)
	}
	if n, err := copy.CountResponses(ctx, ws[0].ID); err != nil || n != 30 {
		t.Errorf("the copy holds %d responses in the current wave (%v), want the demo's 30", n, err)
	}
}
