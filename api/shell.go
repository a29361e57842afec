package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Shell is what frames every page: the department's name in the header, the phase banner, and the
// footer's ways to reach the people who run the service. The static pages and the service's own
// templates draw it from the same templates (pages/shell.html).
type Shell struct {
	// Department is the department's name, in the header of every page.
	Department string
	// Phase is the phase banner's tag, such as "Beta"; empty shows no banner.
	Phase string
	// FeedbackURL is where the banner's and footer's feedback link goes (https: or mailto:); empty
	// sends feedback to ContactEmail, or to the contact page when that is empty too.
	FeedbackURL string
	// ContactEmail is the address of the team that runs the service, on the contact, privacy and
	// accessibility pages; empty says to ask whoever sent the survey link.
	ContactEmail string
}

// DefaultDepartment and DefaultPhase are the shell's defaults.
const (
	DefaultDepartment = "Your department"
	DefaultPhase      = "Beta"
)

// Validate checks the shell's settings: an address that is not a plain email, or a feedback link
// that a browser would not open as a page or an email, is refused at start.
func (s Shell) Validate() error {
	if s.ContactEmail != "" && (strings.ContainsAny(s.ContactEmail, " <>,\"'") || strings.Count(s.ContactEmail, "@") != 1) {
		return fmt.Errorf("contact email %q: use one plain address, such as skills-survey@example.gov.uk", s.ContactEmail)
	}
	if s.FeedbackURL != "" {
		u, err := url.Parse(s.FeedbackURL)
		if err != nil || !(u.Scheme == "https" || u.Scheme == "http" || u.Scheme == "mailto") || (u.Scheme != "mailto" && u.Host == "") {
			return fmt.Errorf("feedback URL %q: use an https:// address or a mailto: link", s.FeedbackURL)
		}
	}
	return nil
}

func (s Shell) withDefaults() Shell {
	if strings.TrimSpace(s.Department) == "" {
		s.Department = DefaultDepartment
	}
	return s
}

// Feedback is where the feedback links go.
func (s Shell) Feedback() string {
	switch {
	case s.FeedbackURL != "":
		return s.FeedbackURL
	case s.ContactEmail != "":
		return "mailto:" + s.ContactEmail + "?subject=" + url.PathEscape("Feedback on the digital skills survey")
	}
	return "/contact"
}

// shellMarkers are the comments in the static pages (static/src/*.html) that the service replaces
// with the shell, once, at start: the header above the service navigation, the phase banner below
// it, and the footer.
var shellMarkers = map[string]string{
	"<!-- shell:header -->": "shell-header",
	"<!-- shell:phase -->":  "shell-phase",
	"<!-- shell:footer -->": "shell-footer",
}

// fillShell returns a static page with its markers replaced by the shell (html/template escapes
// the configured names and addresses).
func fillShell(page []byte, t *template.Template) ([]byte, error) {
	for marker, name := range shellMarkers {
		if !bytes.Contains(page, []byte(marker)) {
			continue
		}
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, name, nil); err != nil {
			return nil, fmt.Errorf("shell %s: %w", name, err)
		}
		page = bytes.ReplaceAll(page, []byte(marker), bytes.TrimSpace(b.Bytes()))
	}
	return page, nil
}

// assetNames maps each asset's plain name (assets/main.js) to its content-hashed name, from the
// manifest the build writes (static/build.mjs). Without one (pages not built, or a test's stand-in)
// the plain names are used.
type assetNames map[string]string

func readAssetNames(files http.FileSystem) assetNames {
	names := assetNames{}
	if files == nil {
		return names
	}
	f, err := files.Open("/manifest.json")
	if err != nil {
		return names
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		panic(fmt.Sprintf("read the built pages' manifest.json: %v", err))
	}
	if err := json.Unmarshal(b, &names); err != nil {
		panic(fmt.Sprintf("the built pages' manifest.json is not valid: %v", err)) // the build writes it
	}
	return names
}

// path is the address of an asset, by its plain name ("assets/main.js").
func (a assetNames) path(name string) string {
	if h, ok := a[name]; ok {
		return "/" + h
	}
	return "/" + name
}
