package cli

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeMetricsOnTheirOwnAddress: with --metrics-listen, /metrics is served there and only
// there; the service's own address answers it 404, and the metrics address serves nothing else.
func TestServeMetricsOnTheirOwnAddress(t *testing.T) {
	t.Parallel()
	cfg := Config{Database: filepath.Join(t.TempDir(), "metrics.db"), Definitions: shippedDefinitions, Listen: "127.0.0.1:0",
		Ops: Ops{MetricsListen: "127.0.0.1:0"}}
	addr, stdout := startServe(t, cfg)
	m := regexp.MustCompile(`Metrics are served at http://(127\.0\.0\.1:[0-9]+)/metrics`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no metrics line: %q", stdout.String())
	}
	metricsAddr := m[1]
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	get := func(url string) (int, string) {
		t.Helper()
		res, err := client.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, _ := get("http://" + addr + "/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz: %d", code)
	}
	if code, _ := get("http://" + addr + "/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on the service's address: %d, want 404", code)
	}
	code, body := get("http://" + metricsAddr + "/metrics")
	if code != http.StatusOK || !strings.Contains(body, `skillsurvey_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1`) {
		t.Errorf("GET /metrics on its own address: %d\n%s", code, body)
	}
	if code, _ := get("http://" + metricsAddr + "/healthz"); code != http.StatusNotFound {
		t.Errorf("GET /healthz on the metrics address: %d, want 404", code)
	}
}

// TestServeShutdownPastItsGrace: a client that holds a request open past the grace does not hold
// up the shutdown, nor make it fail.
func TestServeShutdownPastItsGrace(t *testing.T) {
	t.Parallel()
	const grace = 300 * time.Millisecond
	cfg := Config{Database: filepath.Join(t.TempDir(), "grace.db"), Definitions: shippedDefinitions, Listen: "127.0.0.1:0",
		Example: true, Ops: Ops{ShutdownGrace: grace}}
	sv := launch(t, cfg)
	defer sv.cancel()
	addr, stderr := sv.addr, sv.stderr
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "POST /api/v1/waves/example/responses HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", addr)
	time.Sleep(100 * time.Millisecond) // the request is in flight

	sv.cancel()
	start := time.Now()
	select {
	case err := <-sv.done:
		if err != nil {
			t.Errorf("run after a shutdown past its grace = %v, want nil; log:\n%s", err, stderr.String())
		}
	case <-time.After(grace + 5*time.Second):
		t.Fatalf("run still going %v after the grace of %v", grace+5*time.Second, grace)
	}
	if took := time.Since(start); took < grace {
		t.Errorf("shut down in %v, before the grace of %v ended, with a request in flight", took, grace)
	}
	for _, want := range []string{`"msg":"shutting down`, `"msg":"the grace ended with connections open: closing them"`, `"msg":"database closed"`} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the log lacks %s:\n%s", want, stderr.String())
		}
	}
}

func TestServeRefusesBadOpsSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  env
		args []string
		want string
	}{
		{"no grace", env{}, []string{"--shutdown-grace", "0s"}, "--shutdown-grace 0s: give a positive duration"},
		{"grace not a duration", env{"SKILLSURVEY_SHUTDOWN_GRACE": "soon"}, nil, `SKILLSURVEY_SHUTDOWN_GRACE="soon": use a duration`},
		{"metrics address nonsense", env{}, []string{"--metrics-listen", "nonsense"}, `--metrics-listen "nonsense": want HOST:PORT`},
		{"metrics on the service's address", env{"SKILLSURVEY_METRICS_LISTEN": "127.0.0.1:8080"}, []string{"--listen", "127.0.0.1:8080"},
			`--metrics-listen "127.0.0.1:8080" is the service's own address`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "test.db")
			r := runCLI(t, tc.env, append([]string{"serve", "--database", db}, tc.args...)...)
			r.want(t, 1, nil, []string{tc.want})
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing: the service must not start", r.stdout)
			}
			assertNoFile(t, db)
		})
	}
}
