// Package static holds the web pages, built by `npm run build` into dist/ and embedded here.
package static

import (
	"embed"
	"io/fs"
)

// dist is the built pages. On a fresh clone it holds only .gitkeep until the build runs, which
// is why the pattern is all:dist (a dot-file alone would not embed otherwise).
//
//go:embed all:dist
var dist embed.FS

// Files returns the built pages, rooted at dist/.
func Files() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the pattern above guarantees dist exists
	}
	return sub
}

// Built reports whether the pages have been built (dist holds more than its placeholder).
func Built() bool {
	_, err := fs.Stat(Files(), "index.html")
	return err == nil
}
