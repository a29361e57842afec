package static_test

// The built pages as the service serves them: every script, stylesheet and icon a page names (and
// every script chunk a script imports, such as the dashboard's ECharts) has a content-hashed name,
// is served compressed when asked and kept for a year; the page itself is revalidated (ETag, 304).

import (
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"skillsurvey/api"
	"skillsurvey/static"
)

var assetRef = regexp.MustCompile(`(?:href|src)="(/assets/[^"]+)"`)
var hashedName = regexp.MustCompile(`^/assets/[a-z.-]+-[A-Z0-9]{8}\.(js|css|ico|svg)$`)

// chunkRef is a script's import of another, static or dynamic ("./echarts-3FQ2K7ZP.js").
var chunkRef = regexp.MustCompile(`["'](\./[a-z.-]+-[A-Z0-9]{8}\.js)["']`)

func TestBuiltAssets(t *testing.T) {
	if !static.Built() {
		needed(t, "the pages are not built (make assets)")
	}
	st, _ := exampleStore(t)
	srv := httptest.NewServer(api.New(api.Config{Store: st, Static: http.FS(static.Files())}))
	t.Cleanup(srv.Close)
	// A client that says what it accepts itself, so Go's transport leaves the answer as sent.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, b
	}
	seen := map[string]bool{}
	for _, page := range []string{"/", "/waves/example", "/sign-in"} {
		res, _ := fetch(page, "Accept-Encoding", "gzip, deflate, br")
		// The static pages come compressed; the sign-in page, which holds a CSRF token, never does.
		if compressed := res.Header.Get("Content-Encoding") != ""; res.StatusCode != http.StatusOK || compressed != (page != "/sign-in") {
			t.Errorf("%s: status %d, Content-Encoding %q", page, res.StatusCode, res.Header.Get("Content-Encoding"))
		}
		if page != "/sign-in" {
			if res.Header.Get("Cache-Control") != "no-cache" || res.Header.Get("ETag") == "" {
				t.Errorf("%s: Cache-Control %q, ETag %q", page, res.Header.Get("Cache-Control"), res.Header.Get("ETag"))
			}
			again, _ := fetch(page, "Accept-Encoding", "gzip, deflate, br", "If-None-Match", res.Header.Get("ETag"))
			if again.StatusCode != http.StatusNotModified {
				t.Errorf("%s: revalidating answered %d, want 304", page, again.StatusCode)
			}
		}
		_, plain := fetch(page)
		for _, m := range assetRef.FindAllStringSubmatch(string(plain), -1) {
			seen[m[1]] = true
		}
	}
	// The dashboard's page is served only to someone signed in: its file is read as built.
	dashboard, err := fs.ReadFile(static.Files(), "dashboard.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range assetRef.FindAllStringSubmatch(string(dashboard), -1) {
		seen[m[1]] = true
	}
	if len(seen) < 4 {
		t.Fatalf("the pages name %d assets: %v", len(seen), seen)
	}
	// Scripts name the chunks they import relative to themselves.
	for todo := slices.Collect(maps.Keys(seen)); len(todo) > 0; todo = todo[1:] {
		if !strings.HasSuffix(todo[0], ".js") {
			continue
		}
		_, script := fetch(todo[0])
		for _, m := range chunkRef.FindAllStringSubmatch(string(script), -1) {
			if chunk := "/assets/" + strings.TrimPrefix(m[1], "./"); !seen[chunk] {
				seen[chunk] = true
				todo = append(todo, chunk)
			}
		}
	}
	if !slices.ContainsFunc(slices.Collect(maps.Keys(seen)), func(p string) bool { return strings.HasPrefix(p, "/assets/echarts-") }) {
		t.Errorf("no script imports ECharts' chunk; found %v", slices.Collect(maps.Keys(seen)))
	}
	for path := range seen {
		if !hashedName.MatchString(path) {
			t.Errorf("%s: not a content-hashed name", path)
		}
		res, _ := fetch(path, "Accept-Encoding", "br, gzip")
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: status %d, Cache-Control %q", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
		// Text of 1 KB or more comes compressed; an icon, or a smaller file, as it is.
		_, plain := fetch(path)
		want := "br"
		if ext := path[len(path)-3:]; ext == "ico" || len(plain) < 1024 {
			want = ""
		}
		if got := res.Header.Get("Content-Encoding"); got != want {
			t.Errorf("%s (%d bytes): Content-Encoding %q, want %q", path, len(plain), got, want)
		}
	}
}
