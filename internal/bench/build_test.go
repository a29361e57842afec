package bench

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuild fills a database, builds it again to the same size (nothing is added) and then to a
// larger one (only the difference is), as a stopped build resumes.
func TestBuild(t *testing.T) {
	ctx, def := context.Background(), exampleDefinition(t)
	path := filepath.Join(t.TempDir(), "large.db")
	steps := []struct {
		n       int
		want    int64
		printed string
	}{
		{300, 300, "adding 300"},
		{300, 300, "nothing to add"},
		{450, 450, "holds 300 responses in wave \"example\": adding 150"},
	}
	for _, s := range steps {
		var out bytes.Buffer
		if err := Build(ctx, path, def, s.n, 1, &out); err != nil {
			t.Fatalf("Build(%d): %v\n%s", s.n, err, out.String())
		}
		if !strings.Contains(out.String(), s.printed) {
			t.Errorf("Build(%d) printed %q, want it to say %q", s.n, out.String(), s.printed)
		}
		if got := countResponses(t, path); got != s.want {
			t.Errorf("after Build(%d) the database holds %d responses, want %d", s.n, got, s.want)
		}
	}
}
