package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/gin-gonic/gin"
)

// The static files (the built pages, static/dist) are read into memory once, at start: each page
// with its shell filled in, each file with a validator (ETag) and its compressed forms. Assets have
// content-hashed names (static/build.mjs), so browsers may keep them for a year without asking
// again; the pages, whose names never change, are asked about each time (no-cache) and answered
// 304 Not Modified while they have not changed.
const (
	cacheImmutable   = "public, max-age=31536000, immutable"
	cacheRevalidate  = "no-cache"
	minCompressBytes = 1024 // smaller bodies gain less than the compressed form's framing costs
)

// siteFile is one static file, ready to serve.
type siteFile struct {
	name      string
	ctype     string
	etag      string // of the identity body; compressed forms add their encoding to it
	immutable bool
	body      []byte
	encoded   map[string][]byte // "br", "gzip": the same body, compressed
}

// site is every static file by its address ("/", "/assets/main-3TL2SDFG.js").
type site map[string]*siteFile

// loadSite reads every built file. Compressed copies the build made beside an asset (name.br,
// name.gz) are its encoded forms; pages, whose shell is filled in here, are compressed here.
func loadSite(files http.FileSystem, shell *template.Template) (site, error) {
	raw := map[string][]byte{}
	if err := readAll(files, "/", raw); err != nil {
		return nil, err
	}
	s := site{}
	for name, body := range raw {
		if strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") || name == "/manifest.json" || path.Base(name) == ".gitkeep" {
			continue
		}
		f := &siteFile{name: name, ctype: contentType(name), body: body, encoded: map[string][]byte{},
			immutable: strings.HasPrefix(name, "/assets/")}
		if strings.HasSuffix(name, ".html") {
			filled, err := fillShell(body, shell)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			f.body = filled
			if compressible(f.ctype) && len(f.body) >= minCompressBytes {
				f.encoded["br"], f.encoded["gzip"] = brotliBytes(f.body), gzipBytes(f.body)
			}
		} else {
			if b, ok := raw[name+".br"]; ok {
				f.encoded["br"] = b
			}
			if b, ok := raw[name+".gz"]; ok {
				f.encoded["gzip"] = b
			}
		}
		sum := sha256.Sum256(f.body)
		f.etag = `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
		s[name] = f
		if name == "/index.html" {
			s["/"] = f
		}
	}
	return s, nil
}

// readAll reads every file under dir into out, by its address.
func readAll(files http.FileSystem, dir string, out map[string][]byte) error {
	d, err := files.Open(dir)
	if err != nil {
		return fmt.Errorf("read the built pages: %w", err)
	}
	defer d.Close()
	entries, err := d.Readdir(-1)
	if err != nil {
		return fmt.Errorf("read the built pages: %w", err)
	}
	for _, e := range entries {
		name := path.Join(dir, e.Name())
		if e.IsDir() {
			if err := readAll(files, name, out); err != nil {
				return err
			}
			continue
		}
		f, err := files.Open(name)
		if err != nil {
			return fmt.Errorf("read the built pages: %w", err)
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		out[name] = b
	}
	return nil
}

func contentType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// serve writes f: its best encoding the browser accepts, its validator and how long to keep it;
// http.ServeContent answers a matching If-None-Match with 304.
func (f *siteFile) serve(c *gin.Context) {
	h := c.Writer.Header()
	body, etag := f.body, f.etag
	if len(f.encoded) > 0 {
		addVary(h, "Accept-Encoding")
		if enc := chooseEncoding(c.GetHeader("Accept-Encoding"), f.encoded); enc != "" {
			body = f.encoded[enc]
			etag = strings.TrimSuffix(etag, `"`) + "-" + enc + `"`
			h.Set("Content-Encoding", enc)
			// ServeContent leaves the length out where an encoding is set, for ranges; a range of
			// compressed bytes helps nobody, so the whole body always goes, with its length.
			c.Request.Header.Del("Range")
			h.Set("Content-Length", strconv.Itoa(len(body)))
		}
	}
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", etag)
	if f.immutable {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cacheRevalidate)
	}
	http.ServeContent(c.Writer, c.Request, f.name, time.Time{}, bytes.NewReader(body))
}

func gzipBytes(b []byte) []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.BestCompression) // the level is valid
	_, _ = w.Write(b)                                       // writes to memory do not fail
	_ = w.Close()
	return out.Bytes()
}

func brotliBytes(b []byte) []byte {
	var out bytes.Buffer
	w := brotli.NewWriterLevel(&out, brotli.BestCompression)
	_, _ = w.Write(b) // writes to memory do not fail
	_ = w.Close()
	return out.Bytes()
}

// page serves one page whatever the path, for pages whose address carries a key.
func (s site) page(name string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, ok := s["/"+name]
		if !ok {
			respondError(c, errNotFound)
			return
		}
		f.serve(c)
	}
}

// filesOrNotFound serves the static files for GET and HEAD; any other address outside /api is a
// page not found, and anything under /api (or another method) the JSON error.
func (s site) filesOrNotFound(pg pages) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := c.Request.URL.Path
		if isAPIPath(p) || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
			respondError(c, errNotFound)
			return
		}
		if f, ok := s[p]; ok && p != "/index.html" {
			f.serve(c)
			return
		}
		pg.notFound(c)
	}
}

// isAPIPath tells the JSON API's addresses (and the machine-read ones beside it) from pages.
func isAPIPath(p string) bool {
	return strings.HasPrefix(p, "/api/") || p == "/api" || p == "/healthz" || p == "/readyz" || p == "/metrics"
}
