package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The container image cannot be built here (no container engine), so this test runs what the image
// runs: the binary, started as the Dockerfile's last stage says (its ENV, ENTRYPOINT and CMD, with
// the image's /data in a folder of the test's and its port a free one), and asked whether it is
// ready by the Dockerfile's HEALTHCHECK command. And it reads compose.yaml for the names the
// service takes.

// image is what the Dockerfile's last stage says the container runs.
type image struct {
	env                   map[string]string
	entrypoint, cmd, test []string
	workdir               string
}

// readImage reads the last stage of the Dockerfile: its ENV (continued lines too), WORKDIR,
// ENTRYPOINT, CMD and HEALTHCHECK's CMD, each in the JSON (exec) form.
func readImage(t *testing.T) image {
	t.Helper()
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	stages := regexp.MustCompile(`(?m)^FROM `).Split(string(data), -1)
	last := strings.ReplaceAll(stages[len(stages)-1], "\\\n", " ")
	img := image{env: map[string]string{}}
	execForm := func(s string) []string {
		var argv []string
		if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &argv); err != nil {
			t.Fatalf("not in the exec form %q: %v", s, err)
		}
		return argv
	}
	sc := bufio.NewScanner(strings.NewReader(last))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch word, rest, _ := strings.Cut(line, " "); word {
		case "ENV":
			for _, kv := range regexp.MustCompile(`(\w+)=(\S+)`).FindAllStringSubmatch(rest, -1) {
				img.env[kv[1]] = kv[2]
			}
		case "WORKDIR":
			img.workdir = strings.TrimSpace(rest)
		case "ENTRYPOINT":
			img.entrypoint = execForm(rest)
		case "CMD":
			img.cmd = execForm(rest)
		case "HEALTHCHECK":
			_, cmd, ok := strings.Cut(rest, "CMD ")
			if !ok {
				t.Fatalf("HEALTHCHECK without CMD: %q", rest)
			}
			img.test = execForm(cmd)
		}
	}
	if len(img.entrypoint) == 0 || len(img.cmd) == 0 || len(img.test) == 0 || img.workdir == "" {
		t.Fatalf("the Dockerfile's last stage lacks ENTRYPOINT, CMD, HEALTHCHECK or WORKDIR: %+v", img)
	}
	return img
}

// TestImageRunsTheService starts the binary as the image does and finds it ready by the image's
// own health check, answering on the address its environment names; then stops it with SIGTERM,
// as a container engine does.
func TestImageRunsTheService(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	img := readImage(t)
	for _, key := range []string{"SKILLSURVEY_DATABASE", "SKILLSURVEY_LISTEN", "SKILLSURVEY_PUBLIC_URL"} {
		if img.env[key] == "" {
			t.Errorf("the image sets no %s", key)
		}
	}
	if !strings.HasPrefix(img.env["SKILLSURVEY_DATABASE"], img.workdir+"/") {
		t.Errorf("the database %s is not in the volume %s", img.env["SKILLSURVEY_DATABASE"], img.workdir)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin", "skillsurvey")
	build := exec.Command("go", "build", "-tags", "nomsgpack", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	port := freePort(t)
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	// The image's environment, with its volume here and its port a free one.
	var env []string
	for k, v := range img.env {
		v = strings.Replace(v, img.workdir, data, 1)
		v = strings.Replace(v, ":8080", fmt.Sprintf(":%d", port), 1)
		env = append(env, k+"="+v)
	}
	run := func(argv []string) *exec.Cmd {
		if argv[0] != "skillsurvey" {
			t.Fatalf("the image runs %q, not the skillsurvey binary", argv[0])
		}
		cmd := exec.Command(bin, argv[1:]...)
		cmd.Dir, cmd.Env = data, append(os.Environ(), env...)
		return cmd
	}
	server := run(append(img.entrypoint, img.cmd...))
	var log strings.Builder
	server.Stdout, server.Stderr = &log, &log
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- server.Wait() }()
	defer func() {
		if server.ProcessState == nil {
			server.Process.Kill()
		}
	}()
	ready := false
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if out, err := run(img.test).CombinedOutput(); err == nil && strings.Contains(string(out), "ready") {
			ready = true
			break
		}
	}
	if !ready {
		t.Fatalf("the health check never passed; the service said:\n%s", log.String())
	}
	// Reached on the address people use (the public URL's host), as through the published port.
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d/api/v1/openapi.json", port), nil)
	req.Host = strings.TrimPrefix(strings.Replace(img.env["SKILLSURVEY_PUBLIC_URL"], ":8080", fmt.Sprintf(":%d", port), 1), "http://")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /api/v1/openapi.json as %s: %s", req.Host, resp.Status)
	}
	if _, err := os.Stat(strings.Replace(img.env["SKILLSURVEY_DATABASE"], img.workdir, data, 1)); err != nil {
		t.Errorf("no database in the volume: %v", err)
	}
	server.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after SIGTERM the service exited with %v:\n%s", err, log.String())
		}
	case <-time.After(30 * time.Second):
		t.Errorf("the service did not stop within 30 s of SIGTERM")
	}
}

// TestComposeFile: compose.yaml runs the image with PostgreSQL, through environment variables the
// service reads.
func TestComposeFile(t *testing.T) {
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	compose := string(data)
	for _, want := range []string{"build: .", "image: postgres:", "SKILLSURVEY_DATABASE: postgres://", "pg_isready", "condition: service_healthy"} {
		if !strings.Contains(compose, want) {
			t.Errorf("compose.yaml lacks %q", want)
		}
	}
	var src strings.Builder
	files, _ := filepath.Glob("internal/cli/*.go")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		src.Write(b)
	}
	for _, name := range regexp.MustCompile(`(SKILLSURVEY_[A-Z_]+):`).FindAllStringSubmatch(compose, -1) {
		if !strings.Contains(src.String(), `"`+name[1]+`"`) {
			t.Errorf("compose.yaml sets %s, which the service does not read", name[1])
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
