package api

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/gin-gonic/gin"
)

// compress compresses answers made per request (JSON, CSV) for a client that accepts it: Brotli,
// else gzip. Static files come compressed already (site.serve sets Content-Encoding, and this
// leaves them be). It holds back the first minCompressBytes of a body before deciding, so a small
// answer goes out as it is, and streams after that, so a long download is never held whole.
// Formats that are compressed already (XLSX, images) go out as they are, and so do the pages the
// service renders: they carry the session's CSRF token beside text the reader typed, and the
// length of such a page, compressed, could give the token away a character at a time (BREACH).
func compress(c *gin.Context) {
	accepted := c.GetHeader("Accept-Encoding")
	if c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	w := &compressWriter{ResponseWriter: c.Writer, accepted: accepted}
	c.Writer = w
	defer func() { c.Writer = w.ResponseWriter }()
	c.Next()
	w.finish()
}

// Compression levels for answers made per request: fast enough to cost little beside making the
// answer, and most of the gain (Brotli 5 is smaller than gzip's best on JSON).
const (
	brotliLevel = 5
	gzipLevel   = gzip.DefaultCompression
)

// compressible says whether a content type gains from compression.
func compressible(ctype string) bool {
	t, _, err := mime.ParseMediaType(ctype)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(t, "text/"):
		return true
	case t == "application/json", t == "application/javascript", t == "application/problem+json",
		t == "image/svg+xml", t == "application/xml", t == "application/yaml":
		return true
	}
	return strings.HasSuffix(t, "+json") || strings.HasSuffix(t, "+xml")
}

// chooseEncoding picks Brotli or gzip, in that order, among those the Accept-Encoding header
// allows (q=0 refuses one, "*" allows both) and offered holds; "" means none.
func chooseEncoding(header string, offered map[string][]byte) string {
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		weight := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				weight = f
			}
		}
		q[name] = weight
	}
	for _, enc := range []string{"br", "gzip"} {
		w, named := q[enc]
		if !named {
			w, named = q["*"]
		}
		if _, ok := offered[enc]; named && w > 0 && (offered == nil || ok) {
			return enc
		}
	}
	return ""
}

// compressWriter holds back the start of a body until it knows whether to compress it.
type compressWriter struct {
	gin.ResponseWriter
	accepted string
	status   int
	held     []byte
	decided  bool
	encoder  io.WriteCloser // nil: the body goes out as it is
}

func (w *compressWriter) WriteHeader(code int) {
	if !w.decided {
		w.status = code
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

// WriteHeaderNow is Gin's own way to send the header at once (as for a body-less answer); it
// decides with what is held.
func (w *compressWriter) WriteHeaderNow() {
	if !w.decided {
		w.decide(false)
	}
	w.ResponseWriter.WriteHeaderNow()
}

func (w *compressWriter) Write(b []byte) (int, error) {
	if !w.decided {
		w.held = append(w.held, b...)
		if len(w.held) < minCompressBytes {
			return len(b), nil
		}
		w.decide(true)
		if err := w.release(); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	if w.encoder != nil {
		return w.encoder.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *compressWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// Flush sends what is held and compressed so far, for streamed answers.
func (w *compressWriter) Flush() {
	if !w.decided {
		w.decide(len(w.held) >= minCompressBytes)
		_ = w.release()
	}
	if f, ok := w.encoder.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
	w.ResponseWriter.Flush()
}

// Status is the status written so far, held or sent.
func (w *compressWriter) Status() int {
	if !w.decided && w.status != 0 {
		return w.status
	}
	return w.ResponseWriter.Status()
}

// Written tells whether anything was written, held or sent: an answer held back has been written
// for the handlers' purposes (Gin must not write a second one).
func (w *compressWriter) Written() bool {
	return (!w.decided && (w.status != 0 || len(w.held) > 0)) || w.ResponseWriter.Written()
}

// decide sets the headers for the body: compressed when big is true, the type gains from it, no
// encoding is set already, and the client accepts one. Every compressible answer says it varies
// with Accept-Encoding, compressed or not, so a cache keeps the two apart.
func (w *compressWriter) decide(big bool) {
	w.decided = true
	h := w.ResponseWriter.Header()
	status := w.status
	if status == 0 {
		status = w.ResponseWriter.Status()
	}
	if h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) && !isHTML(h.Get("Content-Type")) &&
		status != http.StatusNoContent && status != http.StatusNotModified {
		addVary(h, "Accept-Encoding")
		if big {
			switch chooseEncoding(w.accepted, nil) {
			case "br":
				w.encoder = brotli.NewWriterLevel(w.ResponseWriter, brotliLevel)
				h.Set("Content-Encoding", "br")
			case "gzip":
				gz, _ := gzip.NewWriterLevel(w.ResponseWriter, gzipLevel) // the level is valid
				w.encoder = gz
				h.Set("Content-Encoding", "gzip")
			}
			if w.encoder != nil {
				h.Del("Content-Length")
				if etag := h.Get("ETag"); etag != "" {
					h.Set("ETag", "W/"+strings.TrimPrefix(etag, "W/")) // no longer the same bytes
				}
			}
		}
	}
	if w.status != 0 {
		w.ResponseWriter.WriteHeader(w.status)
	}
}

// release writes what was held.
func (w *compressWriter) release() error {
	held := w.held
	w.held = nil
	if len(held) == 0 {
		return nil
	}
	var err error
	if w.encoder != nil {
		_, err = w.encoder.Write(held)
	} else {
		_, err = w.ResponseWriter.Write(held)
	}
	return err
}

// finish sends what is still held and ends the compressed stream.
func (w *compressWriter) finish() {
	if !w.decided {
		if w.status == 0 && len(w.held) == 0 {
			return // nothing was written: Gin sends its default answer
		}
		w.decide(false)
	}
	_ = w.release()
	if w.encoder != nil {
		_ = w.encoder.Close()
	}
}

// addVary adds a name to the Vary header unless it is there already.
func addVary(h http.Header, name string) {
	for _, v := range h.Values("Vary") {
		for _, part := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), name) {
				return
			}
		}
	}
	h.Add("Vary", name)
}

func isHTML(ctype string) bool {
	t, _, _ := mime.ParseMediaType(ctype)
	return t == "text/html"
}
