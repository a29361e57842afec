package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"

	"skillsurvey/internal/survey"
)

// builtFS stands in for the built pages as static/build.mjs makes them: a page with the shell's
// markers, a manifest, an asset with a content-hashed name and its compressed copies, and an image.
func builtFS(t *testing.T) fstest.MapFS {
	t.Helper()
	script := []byte("console.log('" + strings.Repeat("the dashboard draws its charts ", 200) + "')\n")
	page := "<!DOCTYPE html><html lang=\"en\"><head><title>home</title><script type=\"module\" src=\"/assets/app-ABCDEFGH.js\"></script></head>" +
		"<body><header><!-- shell:header --></header><div><!-- shell:phase --><main>" + strings.Repeat("<p>Words about the survey.</p>", 60) +
		"</main></div><!-- shell:footer --></body></html>"
	return fstest.MapFS{
		"index.html":                {Data: []byte(page)},
		"survey.html":               {Data: []byte(page)},
		"dashboard.html":            {Data: []byte(page)},
		"manifest.json":             {Data: []byte(`{"assets/app.js":"assets/app-ABCDEFGH.js","assets/main.js":"assets/main-IJKLMNOP.js"}`)},
		"assets/app-ABCDEFGH.js":    {Data: script},
		"assets/app-ABCDEFGH.js.br": {Data: brotliBytes(script)},
		"assets/app-ABCDEFGH.js.gz": {Data: gzipBytes(script)},
		"assets/icon-QRSTUVWX.png":  {Data: bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 1000)},
	}
}

// quiet throws the request log away.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// testShell has names that need escaping, to show they are escaped.
var testShell = Shell{Department: "Department for Skills & <Careers>", Phase: "Alpha", ContactEmail: "skills@example.gov.uk"}

// staticRouter is the real router over builtFS and the test environment's store.
func staticRouter(t *testing.T, e *testEnv) http.Handler {
	t.Helper()
	h, _ := newRouter(Config{Store: e.store, Now: e.clock.Now, Static: http.FS(builtFS(t)), Shell: testShell,
		Definitions: []*survey.Definition{e.def}, Logger: quiet})
	return h
}

// get asks h for path with the given Accept-Encoding (and other headers, as name, value pairs),
// exactly as sent: nothing decompresses the answer.
func get(h http.Handler, path, encoding string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+path, nil)
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// decoded is an answer's body, decompressed as its Content-Encoding says.
func decoded(t *testing.T, w *httptest.ResponseRecorder) []byte {
	t.Helper()
	var r io.Reader = w.Body
	switch enc := w.Header().Get("Content-Encoding"); enc {
	case "":
	case "gzip":
		gz, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = gz
	case "br":
		r = brotli.NewReader(w.Body)
	default:
		t.Fatalf("Content-Encoding %q", enc)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decompress %s: %v", w.Header().Get("Content-Encoding"), err)
	}
	return b
}

func varies(w *httptest.ResponseRecorder) bool {
	return strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Accept-Encoding")
}

// TestHashedAssets: an asset with a hashed name is served compressed when asked, the same bytes
// either way, and kept for a year.
func TestHashedAssets(t *testing.T) {
	e := newTestEnv(t)
	h := staticRouter(t, e)
	want := builtFS(t)["assets/app-ABCDEFGH.js"].Data
	for _, tt := range []struct{ accept, want string }{
		{"", ""}, {"gzip", "gzip"}, {"gzip, deflate, br, zstd", "br"}, {"br;q=0, gzip", "gzip"}, {"*", "br"}, {"identity", ""},
	} {
		w := get(h, "/assets/app-ABCDEFGH.js", tt.accept)
		if w.Code != http.StatusOK {
			t.Fatalf("Accept-Encoding %q: status %d", tt.accept, w.Code)
		}
		if got := w.Header().Get("Content-Encoding"); got != tt.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tt.accept, got, tt.want)
		}
		if got := w.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("Accept-Encoding %q: Cache-Control %q", tt.accept, got)
		}
		if !varies(w) {
			t.Errorf("Accept-Encoding %q: Vary %q lacks Accept-Encoding", tt.accept, w.Header().Values("Vary"))
		}
		if len(w.Header().Values("Vary")) != 1 {
			t.Errorf("Accept-Encoding %q: Vary said %d times", tt.accept, len(w.Header().Values("Vary")))
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
			t.Errorf("Content-Type %q", ct)
		}
		if w.Header().Get("ETag") == "" {
			t.Errorf("Accept-Encoding %q: no ETag", tt.accept)
		}
		if !bytes.Equal(decoded(t, w), want) {
			t.Errorf("Accept-Encoding %q: the body is not the asset", tt.accept)
		}
	}
	// An image is compressed already: served as it is, and never said to vary.
	w := get(h, "/assets/icon-QRSTUVWX.png", "gzip, br")
	if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "" || varies(w) {
		t.Errorf("png: status %d, Content-Encoding %q, Vary %q", w.Code, w.Header().Get("Content-Encoding"), w.Header().Values("Vary"))
	}
	// The manifest and the compressed copies are not addresses of their own.
	for _, p := range []string{"/manifest.json", "/assets/app-ABCDEFGH.js.br", "/index.html"} {
		if w := get(h, p, ""); w.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, w.Code)
		}
	}
}

// TestPagesRevalidate: a page carries a validator and must be asked about each time; asking with
// its ETag answers 304 Not Modified, in each encoding.
func TestPagesRevalidate(t *testing.T) {
	e := newTestEnv(t)
	h := staticRouter(t, e)
	for _, path := range []string{"/", "/waves/open", "/dashboard?wave=open"} {
		for _, accept := range []string{"", "gzip", "br"} {
			headers := []string{"Authorization", e.as[tokenAdmin].Get("Authorization")}
			w := get(h, path, accept, headers...)
			if w.Code != http.StatusOK {
				t.Fatalf("%s: status %d", path, w.Code)
			}
			if cc := w.Header().Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("%s: Cache-Control %q, want no-cache", path, cc)
			}
			if got, want := w.Header().Get("Content-Encoding"), map[string]string{"": "", "gzip": "gzip", "br": "br"}[accept]; got != want {
				t.Errorf("%s, Accept-Encoding %q: Content-Encoding %q", path, accept, got)
			}
			if !varies(w) {
				t.Errorf("%s: no Vary: Accept-Encoding", path)
			}
			body := string(decoded(t, w))
			// The shell is filled in, escaped, and every marker is gone.
			for _, want := range []string{"Department for Skills &amp; &lt;Careers&gt;", ">Alpha<", `href="/privacy"`, `href="/accessibility"`, `href="/contact"`, "mailto:skills@example.gov.uk"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page lacks %q", path, want)
				}
			}
			if strings.Contains(body, "<!-- shell:") {
				t.Errorf("%s: a shell marker is left in the page", path)
			}
			etag := w.Header().Get("ETag")
			if etag == "" {
				t.Fatalf("%s: no ETag", path)
			}
			again := get(h, path, accept, append(headers, "If-None-Match", etag)...)
			if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
				t.Errorf("%s, Accept-Encoding %q: revalidating with %s answered %d with %d bytes, want 304 and none", path, accept, etag, again.Code, again.Body.Len())
			}
		}
	}
}

// TestAnswersCompressed: JSON and CSV made per request are compressed when asked and only then;
// small answers and XLSX (a zip already) go out as they are, and every download is still whole.
func TestAnswersCompressed(t *testing.T) {
	e := newTestEnv(t)
	e.addResponses(waveOpen, "digital-engagement", 12)
	h := staticRouter(t, e)
	auth := []string{"Authorization", e.as[tokenAdmin].Get("Authorization")}

	plain := get(h, "/api/v1/openapi.json", "")
	if plain.Header().Get("Content-Encoding") != "" || !varies(plain) {
		t.Errorf("openapi.json without Accept-Encoding: Content-Encoding %q, Vary %q", plain.Header().Get("Content-Encoding"), plain.Header().Values("Vary"))
	}
	for _, enc := range []string{"gzip", "br"} {
		w := get(h, "/api/v1/openapi.json", enc)
		if w.Header().Get("Content-Encoding") != enc || !varies(w) {
			t.Errorf("openapi.json, Accept-Encoding %s: Content-Encoding %q, Vary %q", enc, w.Header().Get("Content-Encoding"), w.Header().Values("Vary"))
		}
		if w.Body.Len() >= plain.Body.Len()/2 {
			t.Errorf("openapi.json in %s is %d bytes, plain %d", enc, w.Body.Len(), plain.Body.Len())
		}
		if !bytes.Equal(decoded(t, w), plain.Body.Bytes()) || !json.Valid(plain.Body.Bytes()) {
			t.Errorf("openapi.json in %s is not the same JSON", enc)
		}
	}
	// A small answer is not worth compressing.
	if w := get(h, "/healthz", "gzip, br"); w.Header().Get("Content-Encoding") != "" || w.Body.String() != `{"status":"ok"}` {
		t.Errorf("healthz: Content-Encoding %q, body %q", w.Header().Get("Content-Encoding"), w.Body)
	}

	csvPlain := get(h, "/api/v1/surveys/small/results?format=csv", "", auth...)
	if csvPlain.Code != http.StatusOK || csvPlain.Body.Len() < minCompressBytes {
		t.Fatalf("CSV: status %d, %d bytes", csvPlain.Code, csvPlain.Body.Len())
	}
	csv := get(h, "/api/v1/surveys/small/results?format=csv", "gzip", auth...)
	if csv.Header().Get("Content-Encoding") != "gzip" || !strings.HasPrefix(csv.Header().Get("Content-Type"), "text/csv") {
		t.Errorf("CSV: Content-Encoding %q, Content-Type %q", csv.Header().Get("Content-Encoding"), csv.Header().Get("Content-Type"))
	}
	if got := decoded(t, csv); !bytes.Equal(got, csvPlain.Body.Bytes()) {
		t.Errorf("the compressed CSV is not the CSV:\n%.300s\nwant\n%.300s", got, csvPlain.Body)
	}
	if d := csv.Header().Get("Content-Disposition"); d != csvPlain.Header().Get("Content-Disposition") || d == "" {
		t.Errorf("CSV: Content-Disposition %q", d)
	}

	// A page the service renders holds the session's CSRF token: never compressed (BREACH).
	if w := get(h, "/privacy", "gzip, br"); w.Code != http.StatusOK || w.Body.Len() < minCompressBytes || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("privacy notice: status %d, %d bytes, Content-Encoding %q, want none", w.Code, w.Body.Len(), w.Header().Get("Content-Encoding"))
	}

	xlsx := get(h, "/api/v1/waves/open/report?format=xlsx", "gzip, br", auth...)
	if xlsx.Code != http.StatusOK || xlsx.Header().Get("Content-Encoding") != "" || !bytes.HasPrefix(xlsx.Body.Bytes(), []byte("PK")) {
		t.Errorf("XLSX: status %d, Content-Encoding %q, starts %q", xlsx.Code, xlsx.Header().Get("Content-Encoding"), xlsx.Body.Bytes()[:min(4, xlsx.Body.Len())])
	}
}

// TestServicePages: the footer's pages and "Page not found" are GOV.UK pages with the shell; an
// unknown address under the API keeps its JSON error.
func TestServicePages(t *testing.T) {
	e := newTestEnv(t)
	for _, static := range []bool{true, false} {
		cfg := Config{Store: e.store, Now: e.clock.Now, Shell: testShell, Definitions: []*survey.Definition{e.def}, Logger: quiet}
		if static {
			cfg.Static = http.FS(builtFS(t))
		}
		h, _ := newRouter(cfg)
		for _, tt := range []struct {
			path, heading string
			status        int
		}{
			{"/privacy", "Privacy notice", 200},
			{"/accessibility", "Accessibility statement", 200},
			{"/contact", "Contact", 200},
			{"/waves/", "Page not found", 404},
			{"/no-such-page", "Page not found", 404},
			{"/assets/gone-AAAAAAAA.js", "Page not found", 404},
		} {
			w := get(h, tt.path, "")
			body := w.Body.String()
			if w.Code != tt.status || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				t.Errorf("%s: status %d, Content-Type %q, want %d and a page", tt.path, w.Code, w.Header().Get("Content-Type"), tt.status)
			}
			for _, want := range []string{`<h1 class="govuk-heading-l">` + tt.heading + `</h1>`, "Department for Skills &amp; &lt;Careers&gt;",
				"govuk-phase-banner", `href="/privacy"`, "govuk-frontend.min.css"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page lacks %q", tt.path, want)
				}
			}
		}
		w := get(h, "/api/v1/no-such-thing", "")
		if w.Code != http.StatusNotFound || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Errorf("an unknown API address: status %d, Content-Type %q, want a JSON 404", w.Code, w.Header().Get("Content-Type"))
		}
	}
	// The privacy notice says what is and is not kept.
	h, _ := newRouter(Config{Store: e.store, Now: e.clock.Now, Definitions: []*survey.Definition{e.def}, Logger: quiet})
	body := get(h, "/privacy", "").Body.String()
	for _, want := range []string{"What is kept when you answer", "the day you sent your answers, but not the time",
		"your name or email address", "internet (IP) address", "your browser or device", DefaultDepartment} {
		if !strings.Contains(body, want) {
			t.Errorf("the privacy notice lacks %q", want)
		}
	}
}

// TestShellValidate: a contact address or feedback link that would not work is refused at start.
func TestShellValidate(t *testing.T) {
	for _, tt := range []struct {
		shell Shell
		ok    bool
	}{
		{Shell{}, true},
		{Shell{ContactEmail: "skills@example.gov.uk", FeedbackURL: "https://forms.example.gov.uk/skills"}, true},
		{Shell{FeedbackURL: "mailto:skills@example.gov.uk"}, true},
		{Shell{ContactEmail: "Skills Team <skills@example.gov.uk>"}, false},
		{Shell{ContactEmail: "nobody"}, false},
		{Shell{FeedbackURL: "javascript:alert(1)"}, false},
		{Shell{FeedbackURL: "forms.example.gov.uk"}, false},
	} {
		if err := tt.shell.Validate(); (err == nil) != tt.ok {
			t.Errorf("%+v: Validate() = %v, want ok %v", tt.shell, err, tt.ok)
		}
	}
}
