package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"
)

// The service's own information pages, linked from every page's footer, and the pages shown when an
// address leads nowhere or the service fails. Their words are in pages/*.html; what they say about
// storage follows docs/confidentiality.md.

// infoPage serves one of the information pages.
func (p pages) infoPage(name, title string) gin.HandlerFunc {
	return func(c *gin.Context) {
		p.render(c, http.StatusOK, name, pageData{Title: title})
	}
}

// notFound is GOV.UK's "Page not found", for any address outside the API that leads nowhere.
func (p pages) notFound(c *gin.Context) {
	p.render(c, http.StatusNotFound, "page-not-found.html", pageData{Title: "Page not found"})
	c.Abort()
}

// serviceProblem is GOV.UK's "Sorry, there is a problem with the service", for a page that failed
// (the error itself is logged where it happened). Should the page's own template fail, a plain
// version goes out instead.
func (p pages) serviceProblem(c *gin.Context) {
	var buf bytes.Buffer
	body := []byte(serviceProblemPage)
	if t, ok := p["service-problem.html"]; ok {
		if err := t.ExecuteTemplate(&buf, "layout.html", pageData{Title: "Sorry, there is a problem with the service", User: principal(c)}); err == nil {
			body = buf.Bytes()
		}
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusInternalServerError, "text/html; charset=utf-8", body)
	c.Abort()
}

// serviceProblemPage stands alone: nothing in it can fail.
const serviceProblemPage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sorry, there is a problem with the service – Digital skills and maturity survey</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<main>
<h1>Sorry, there is a problem with the service</h1>
<p>Try again later.</p>
<p>If you were answering the survey, your answers are saved in this browser: come back to the same link to carry on.</p>
<p><a href="/">Go to the start page</a></p>
</main>
</body>
</html>
`
