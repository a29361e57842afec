package api

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"strings"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
)

// pageFiles are the pages the service renders itself (sign-in and administration), in the GOV.UK
// style of the built pages; layout.html frames each of them.
//
//go:embed pages/*.html
var pageFiles embed.FS

// pages holds each page's template, parsed once with the layout; layout.html itself is kept too,
// for the shell it defines (pages/shell.html), which the static pages are framed with.
type pages map[string]*template.Template

// newPages parses the pages with the shell's settings and the assets' hashed names.
func newPages(shell Shell, assets assetNames) pages {
	funcs := template.FuncMap{
		"shell": func() Shell { return shell },
		"asset": assets.path,
	}
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(pageFiles, "pages/layout.html", "pages/shell.html"))
	names, err := fs.Glob(pageFiles, "pages/*.html")
	if err != nil {
		panic(err)
	}
	out := pages{}
	for _, n := range names {
		name := strings.TrimPrefix(n, "pages/")
		if name == "layout.html" || name == "shell.html" {
			continue
		}
		out[name] = template.Must(template.Must(layout.Clone()).ParseFS(pageFiles, n))
	}
	out["layout.html"] = layout
	return out
}

// pageData is what every page gets: the caller, their CSRF token, and the page's own data.
type pageData struct {
	Title  string
	User   access.Principal
	CSRF   string
	Errors []fieldError
	Page   any
}

// fieldError is one line of a page's error summary, linked to its field.
type fieldError struct {
	Field, Message string
}

// render writes a page. It is buffered, so a template error becomes a 500 rather than half a page.
func (p pages) render(c *gin.Context, status int, name string, data pageData) {
	data.User = principal(c)
	if data.CSRF == "" {
		data.CSRF = data.User.CSRF
	}
	var buf bytes.Buffer
	if err := p[name].ExecuteTemplate(&buf, "layout.html", data); err != nil {
		logger(c).ErrorContext(c.Request.Context(), "internal error", "request_id", requestID(c), "route", c.FullPath(), "error", err)
		p.serviceProblem(c)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// renderError writes an error as a page, for routes people reach in a browser.
func (p pages) renderError(c *gin.Context, err *apiError) {
	p.render(c, err.Status, "problem.html", pageData{Title: "There is a problem", Page: err})
	c.Abort()
}
