package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gin-gonic/gin"

	"skillsurvey/internal/store"
)

// Every response a test receives from the service under /api/v1 is validated against the OpenAPI
// document (api/openapi.yaml): its status must be documented for the operation, and its content
// type, documented headers and body must match. Requests are validated only when the service took
// them (2xx): tests send malformed requests on purpose, but a request the service accepted must be
// one the document allows.

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// specChecker validates requests and responses against the loaded document.
type specChecker struct {
	doc    *openapi3.T
	router routers.Router
}

// loadSpec loads and validates the embedded document once for every test.
var loadSpec = sync.OnceValues(func() (*specChecker, error) {
	// kin-openapi reads application/yaml and application/x-yaml bodies; a team import may also be
	// sent as text/yaml, which it must read the same way to check it.
	openapi3filter.RegisterBodyDecoder("text/yaml", openapi3filter.YamlBodyDecoder)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("load api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("api/openapi.yaml is not a valid OpenAPI document: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route api/openapi.yaml: %w", err)
	}
	return &specChecker{doc: doc, router: router}, nil
})

func mustSpec(t testing.TB) *specChecker {
	t.Helper()
	s, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validationStats counts what the document checked during the run, reported by TestMain.
type validationStats struct {
	mu          sync.Mutex
	byOperation map[string]int
	responses   int // responses that passed validation
	failed      int // responses that did not
	bodies      int // of which bodies checked against a JSON schema
	opaque      int // of which CSV or XLSX bodies, checked by status, content type and form only
	requests    int // accepted requests validated
}

var checked = &validationStats{byOperation: map[string]int{}}

func (vs *validationStats) add(operation, mediaType string, status int, requestChecked bool) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.responses++
	switch mediaType {
	case "application/json":
		vs.bodies++
	case "text/csv", xlsxType:
		vs.opaque++
	}
	if requestChecked {
		vs.requests++
	}
	vs.byOperation[fmt.Sprintf("%s %d %s", operation, status, mediaType)]++
}

func (vs *validationStats) fail() {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.failed++
}

func (vs *validationStats) String() string {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "openapi: %d responses matched api/openapi.yaml (%d JSON bodies against schemas, %d CSV/XLSX by status, type and form), %d did not; %d accepted requests validated\n",
		vs.responses, vs.bodies, vs.opaque, vs.failed, vs.requests)
	ops := make([]string, 0, len(vs.byOperation))
	for op := range vs.byOperation {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		fmt.Fprintf(&b, "openapi:   %5d  %s\n", vs.byOperation[op], op)
	}
	return b.String()
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testing.Verbose() || os.Getenv("OPENAPI_STATS") != "" {
		fmt.Print(checked)
	}
	os.Exit(code)
}

// exchange is what check found out about one request and its answer.
type exchange struct {
	operation      string // "GET /waves/{wave}/report", or what stood in for an unlisted one
	mediaType      string
	requestChecked bool
}

// check validates one exchange. body is the whole response body.
func (s *specChecker) check(req *http.Request, res *http.Response, body []byte) (exchange, error) {
	ctx := context.Background()
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
		AuthenticationFunc: credentialsSent,
		// The body is printed beside the error; the schema and the value again would drown it.
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()}}
	route, params, err := s.router.FindRoute(req)
	operation := ""
	switch err {
	case nil:
		operation = route.Method + " " + route.Path
	case routers.ErrPathNotFound:
		// An address the document does not list: the one error shape, 404 not_found.
		route, operation = s.undocumented(req, http.StatusNotFound, "NotFound"), "(unlisted address)"
	case routers.ErrMethodNotAllowed:
		route, operation = s.undocumented(req, http.StatusMethodNotAllowed, "MethodNotAllowed"), "(unlisted method)"
	default:
		return exchange{}, fmt.Errorf("find the operation: %w", err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}

	requestChecked := false
	if err == nil && res.StatusCode >= 200 && res.StatusCode < 300 {
		ok, err := s.checkRequest(ctx, in)
		if err != nil {
			return exchange{}, fmt.Errorf("the service took (%d) a request the document does not allow: %w", res.StatusCode, err)
		}
		requestChecked = ok
	}

	mediaType, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	resIn := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode,
		Header: res.Header, Body: io.NopCloser(bytes.NewReader(body)), Options: opts}
	if err := openapi3filter.ValidateResponse(ctx, resIn); err != nil {
		return exchange{}, err
	}
	if mediaType == xlsxType && !bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		return exchange{}, fmt.Errorf("an XLSX body must be a ZIP archive; it starts %q", body[:min(len(body), 8)])
	}
	return exchange{operation: operation, mediaType: mediaType, requestChecked: requestChecked}, nil
}

// checkRequest validates a request the service accepted, on a copy with a fresh body. It reports
// false for a streamed body, which cannot be read again.
func (s *specChecker) checkRequest(ctx context.Context, in *openapi3filter.RequestValidationInput) (bool, error) {
	req := in.Request.Clone(ctx)
	if in.Request.Body != nil && in.Request.Body != http.NoBody {
		if in.Request.GetBody == nil {
			return false, nil
		}
		b, err := in.Request.GetBody()
		if err != nil {
			return false, err
		}
		req.Body = b
	}
	copied := *in
	copied.Request = req
	return true, openapi3filter.ValidateRequest(ctx, &copied)
}

// credentialsSent checks that an accepted request carried the credentials of one of the security
// schemes its operation documents: a request the service took without them means the document says
// an operation needs credentials that the service does not ask for.
func credentialsSent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	req := in.RequestValidationInput.Request
	switch in.SecuritySchemeName {
	case "bearerAuth":
		if scheme, token, _ := strings.Cut(req.Header.Get("Authorization"), " "); strings.EqualFold(scheme, "Bearer") && token != "" {
			return nil
		}
		return fmt.Errorf("no Authorization: Bearer header")
	case "sessionCookie":
		// The document names the cookie used over TLS; over plain HTTP (as in tests) it has no prefix.
		for _, name := range []string{sessionCookieTLS, sessionCookiePlain} {
			if c, err := req.Cookie(name); err == nil && c.Value != "" {
				return nil
			}
		}
		return fmt.Errorf("no session cookie")
	}
	return fmt.Errorf("unknown security scheme %q", in.SecuritySchemeName)
}

// undocumented is a stand-in operation for an address or method the document does not list: it
// answers only status with the named shared response.
func (s *specChecker) undocumented(req *http.Request, status int, response string) *routers.Route {
	op := openapi3.NewOperation()
	op.Responses = openapi3.NewResponses(openapi3.WithStatus(status, s.doc.Components.Responses[response]))
	return &routers.Route{Spec: s.doc, Path: req.URL.Path, Method: req.Method, Operation: op}
}

// validatingTransport validates every answer under /api/v1 it carries against the document,
// failing t through Errorf; it hands on the answer unchanged.
type validatingTransport struct {
	t       testing.TB
	base    http.RoundTripper
	spec    *specChecker
	checked *atomic.Int64
}

func (vt *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := vt.base.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/api/v1/") {
		return res, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	vt.checked.Add(1)
	validateExchange(vt.t, vt.spec, req, res, body)
	return res, nil
}

// validateExchange validates one answer and fails t if the document does not allow it.
func validateExchange(t testing.TB, spec *specChecker, req *http.Request, res *http.Response, body []byte) {
	ex, err := spec.check(req, res, body)
	if err != nil {
		checked.fail()
		t.Errorf("OpenAPI: %s %s answered %d, which api/openapi.yaml does not allow: %v\nbody: %.2000s",
			req.Method, req.URL.RequestURI(), res.StatusCode, err, body)
		return
	}
	checked.add(ex.operation, ex.mediaType, res.StatusCode, ex.requestChecked)
}

// serve runs h in-process on req, as httptest.NewRecorder does, for tests that must set what a real
// connection cannot (such as RemoteAddr); the answer is validated like e.client's.
func (e *testEnv) serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	e.t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if strings.HasPrefix(req.URL.Path, "/api/v1/") {
		validateExchange(e.t, mustSpec(e.t), req, rec.Result(), rec.Body.Bytes())
	}
	return rec
}

// countServed counts the answers the service gives under /api/v1, so a test environment can check
// at its end that each went through the validating client.
func countServed(h http.Handler, served *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if strings.HasPrefix(r.URL.Path, "/api/v1/") {
			served.Add(1)
		}
	})
}

// TestOpenAPIDocumentIsValid loads the embedded document and validates it as OpenAPI 3.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	t.Parallel()
	s := mustSpec(t)
	if got := s.doc.OpenAPI; !strings.HasPrefix(got, "3.0.") {
		t.Errorf("openapi %q, want 3.0.x", got)
	}
	// Every operation documents its errors in the one shape, and every success has a body.
	for path, item := range s.doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", method, path)
			}
			if op.Responses.Status(http.StatusInternalServerError) == nil {
				t.Errorf("%s %s does not document 500", method, path)
			}
			for status, ref := range op.Responses.Map() {
				for mt, content := range ref.Value.Content {
					if content.Schema == nil {
						t.Errorf("%s %s %s %s has no schema", method, path, status, mt)
					}
				}
				if status[0] == '4' || status[0] == '5' {
					schema := ref.Value.Content.Get("application/json")
					if schema == nil || len(ref.Value.Content) != 1 {
						t.Errorf("%s %s %s must answer application/json only", method, path, status)
					}
				}
				for _, name := range everyAnswerHeaders {
					if h := ref.Value.Headers[name]; h == nil || !h.Value.Required {
						t.Errorf("%s %s %s does not document %s as required", method, path, status, name)
					}
				}
			}
			checkAccessDocumented(t, method+" "+path, op)
		}
	}
	if s.doc.Components.SecuritySchemes["bearerAuth"] == nil || s.doc.Components.SecuritySchemes["sessionCookie"] == nil {
		t.Errorf("the security schemes bearerAuth and sessionCookie must be declared")
	}
}

// everyAnswerHeaders are the headers every answer under /api/v1 carries, so every response of the
// document must require them: validation then fails an answer without one.
var everyAnswerHeaders = []string{"X-Request-Id", "Cache-Control", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}

// permissions are the values of x-permission: access.Permission's names.
var permissions = []string{"anyone", "signed in", "reads reports", "admin"}

// checkAccessDocumented checks what every operation must say about access: who may call it
// (x-permission) and with which credentials (security), and the answers access control can give:
// 401 to a bad bearer token anywhere and to no credentials where they are needed, 403 to a role
// that does not fit and to a change without its CSRF token, 421 to an unknown host, 429 with
// Retry-After to a client over its limits; and for a body, 400, 413, 415 and 422.
func checkAccessDocumented(t *testing.T, name string, op *openapi3.Operation) {
	t.Helper()
	perm, _ := op.Extensions["x-permission"].(string)
	if !slices.Contains(permissions, perm) {
		t.Errorf("%s: x-permission %q, want one of %q", name, perm, permissions)
	}
	if op.Security == nil {
		t.Errorf("%s does not say its security", name)
		return
	}
	public := len(*op.Security) == 1 && len((*op.Security)[0]) == 0
	if (perm == "anyone") != public {
		t.Errorf("%s: x-permission %q with security %v: anyone's operations, and only they, need no credentials", name, perm, *op.Security)
	}
	for _, req := range *op.Security {
		for scheme := range req {
			if scheme != "bearerAuth" && scheme != "sessionCookie" {
				t.Errorf("%s: unknown security scheme %q", name, scheme)
			}
		}
	}
	wants := map[int][]string{
		http.StatusUnauthorized:       {"unauthenticated"},
		http.StatusMisdirectedRequest: {"unknown_host"},
		http.StatusTooManyRequests:    {"rate_limited"},
	}
	if !public {
		wants[http.StatusForbidden] = []string{"forbidden"}
		if !isSafeMethod(strings.Fields(name)[0]) {
			wants[http.StatusForbidden] = []string{"forbidden", "csrf"}
		}
	}
	if op.RequestBody != nil {
		wants[http.StatusBadRequest] = []string{"malformed"}
		wants[http.StatusRequestEntityTooLarge] = []string{"too_large"}
		wants[http.StatusUnsupportedMediaType] = []string{"unsupported_media_type"}
		wants[http.StatusUnprocessableEntity] = []string{"invalid"}
	}
	for status, codes := range wants {
		res := op.Responses.Status(status)
		if res == nil {
			t.Errorf("%s does not document %d", name, status)
			continue
		}
		for _, code := range codes {
			if !errorCodeAllowed(res.Value, code) {
				t.Errorf("%s: its %d does not allow the code %q", name, status, code)
			}
		}
	}
	if res := op.Responses.Status(http.StatusTooManyRequests); res != nil {
		if h := res.Value.Headers["Retry-After"]; h == nil || !h.Value.Required || !h.Value.Schema.Value.Type.Is(openapi3.TypeInteger) {
			t.Errorf("%s: its 429 must document Retry-After as a required integer", name)
		}
	}
	if res := op.Responses.Status(http.StatusUnauthorized); res != nil {
		if h := res.Value.Headers["WWW-Authenticate"]; h == nil || !h.Value.Required {
			t.Errorf("%s: its 401 must document WWW-Authenticate as required", name)
		}
	}
}

// errorCodeAllowed says whether a documented error answer allows the error shape with this code.
func errorCodeAllowed(res *openapi3.Response, code string) bool {
	mt := res.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return false
	}
	body := map[string]any{"error": map[string]any{"code": code, "message": "m"}}
	if code == "invalid" {
		body["error"].(map[string]any)["fields"] = map[string]any{"f": "m"}
	}
	return mt.Schema.Value.VisitJSON(body) == nil
}

// TestOpenAPIServed fetches the document the service serves and compares it with the embedded one.
func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	r := e.get("/api/v1/openapi.json")
	if r.status != http.StatusOK {
		t.Fatalf("status %s, want 200", r)
	}
	checkHeaders(t, r, true)
	checkJSON(t, r)
	if !json.Valid(r.body) {
		t.Fatalf("not JSON: %.200s", r.body)
	}

	// The same document as written: the YAML read as plain data equals the JSON served.
	var served, written any
	if err := json.Unmarshal(r.body, &served); err != nil {
		t.Fatal(err)
	}
	want, err := yamlToJSON(openAPIYAML)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &written); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(served, written) {
		t.Errorf("the served document differs from api/openapi.yaml")
	}
	// And the same as an OpenAPI document: loaded by kin-openapi from each, they are equal.
	fromJSON, err := openapi3.NewLoader().LoadFromData(r.body)
	if err != nil {
		t.Fatalf("load the served document: %v", err)
	}
	if err := fromJSON.Validate(context.Background()); err != nil {
		t.Errorf("the served document is not valid: %v", err)
	}
	a, _ := json.Marshal(fromJSON)
	b, _ := json.Marshal(mustSpec(t).doc)
	if !bytes.Equal(a, b) {
		t.Errorf("the served document, loaded, differs from the embedded one, loaded")
	}
}

// ginPathParam matches a Gin path parameter (":wave" or "*rest").
var ginPathParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

// TestOpenAPIListsEveryRoute walks the routes registered in the Gin engine under /api/v1: each must
// be documented, so a new route without documentation fails here. Each documented operation must be
// registered too, unless it is marked x-provisional (being built now).
func TestOpenAPIListsEveryRoute(t *testing.T) {
	t.Parallel()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "routes.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	handler, table := newRouter(Config{Store: st})
	engine, ok := handler.(*gin.Engine)
	if !ok {
		t.Fatalf("newRouter returns %T, want *gin.Engine", handler)
	}
	permitted := map[string]string{}
	for _, rt := range table {
		permitted[rt.method+" "+rt.path] = rt.permission.String()
	}
	doc := mustSpec(t).doc
	base := "/api/v1"
	if len(doc.Servers) != 1 || doc.Servers[0].URL != base {
		t.Fatalf("servers %v, want one: %s", doc.Servers, base)
	}

	registered := map[string]bool{}
	for _, rt := range engine.Routes() {
		if !strings.HasPrefix(rt.Path, base+"/") {
			continue
		}
		path := ginPathParam.ReplaceAllString(strings.TrimPrefix(rt.Path, base), "{$1}")
		key := rt.Method + " " + path
		registered[key] = true
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(rt.Method) == nil {
			t.Errorf("route %s %s is not documented in api/openapi.yaml (as %s under servers %s)", rt.Method, rt.Path, key, base)
			continue
		}
		// Who may call it, as the router has it.
		if got, want := item.GetOperation(rt.Method).Extensions["x-permission"], permitted[rt.Method+" "+rt.Path]; got != want {
			t.Errorf("%s has x-permission %v; the router gives it %q", key, got, want)
		}
		// The path parameters match by name.
		var names []string
		for _, m := range ginPathParam.FindAllStringSubmatch(rt.Path, -1) {
			names = append(names, m[1])
		}
		var documented []string
		for _, p := range append(item.Parameters, item.GetOperation(rt.Method).Parameters...) {
			if p.Value.In == openapi3.ParameterInPath {
				documented = append(documented, p.Value.Name)
			}
		}
		slices.Sort(names)
		slices.Sort(documented)
		if !slices.Equal(names, documented) {
			t.Errorf("%s %s has path parameters %v, the document %v", rt.Method, rt.Path, names, documented)
		}
	}
	if len(registered) == 0 {
		t.Fatal("no route registered under /api/v1")
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if registered[method+" "+path] {
				continue
			}
			if provisional, _ := op.Extensions["x-provisional"].(bool); provisional {
				t.Logf("%s %s is documented as provisional and not registered yet", method, path)
				continue
			}
			t.Errorf("%s %s%s is documented but not registered", method, base, path)
		}
	}
	if !t.Failed() {
		t.Logf("%d routes under %s, all documented", len(registered), base)
	}
}

// TestValidatorCatchesMismatches makes sure the validation every test relies on does fail on
// answers the document does not allow.
func TestValidatorCatchesMismatches(t *testing.T) {
	t.Parallel()
	s := mustSpec(t)
	const id = "0123456789abcdef"
	receipt := `{"submission_id":"` + badID + `","wave":"open","team":"campaigns","submitted_on":"2026-03-10",
		"overall":{"score":50,"stage":"developing"},"dimensions":{"engagement":{"score":null,"stage":null}}}`
	header := func(ct string) http.Header {
		return http.Header{"Content-Type": {ct}, "X-Request-Id": {id}, "Cache-Control": {"no-store"},
			"Ratelimit-Limit": {"6000"}, "Ratelimit-Remaining": {"5999"}, "Ratelimit-Reset": {"1"}}
	}
	without := func(h http.Header, name string) http.Header {
		h.Del(name)
		return h
	}
	with := func(h http.Header, name, value string) http.Header {
		h.Set(name, value)
		return h
	}
	post := func(path, body string) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1"+path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		return r
	}
	get := func(path string) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1"+path, nil)
		return r
	}
	const token = "Bearer ssv_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	withToken := func(r *http.Request) *http.Request {
		r.Header.Set("Authorization", token)
		return r
	}
	withCookie := func(r *http.Request) *http.Request {
		r.AddCookie(&http.Cookie{Name: sessionCookiePlain, Value: "s"})
		return r
	}
	put := func(path, contentType, body string) *http.Request {
		r, _ := http.NewRequest(http.MethodPut, "http://127.0.0.1"+path, strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		return withToken(r)
	}
	limited := func(retryAfter string) http.Header {
		h := header("application/json")
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return h
	}
	const rateLimited = `{"error":{"code":"rate_limited","message":"m"}}`
	unauthenticated := func(challenge string) http.Header {
		h := header("application/json")
		if challenge != "" {
			h.Set("WWW-Authenticate", challenge)
		}
		return h
	}
	const tokens = `{"tokens":[{"name":"power-bi","role":"hr","scope":null,"comments":false,"created_on":"2026-03-01",` +
		`"expires_on":"2026-06-01","last_used_on":null,"revoked":false}]}`
	const whoAmI = `{"name":"lead@example.org","role":"lead","scope":"campaigns","comments":true,"kind":"person",` +
		`"csrf_token":"abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst"}`
	del := func(path string) *http.Request {
		r, _ := http.NewRequest(http.MethodDelete, "http://127.0.0.1"+path, nil)
		return r
	}
	goodSubmission := `{"submission_id":"` + badID + `","team":"campaigns","answers":{"consult":2}}`
	tests := []struct {
		name   string
		req    *http.Request
		status int
		header http.Header
		body   string
		ok     bool
	}{
		{"a good receipt", post("/api/v1/waves/open/responses", goodSubmission), 201, header("application/json; charset=utf-8"), receipt, true},
		{"a good error", post("/api/v1/waves/open/responses", `{`), 400, header("application/json"), `{"error":{"code":"malformed","message":"m"}}`, true},
		{"an unlisted address's 404", get("/api/v1/nowhere"), 404, header("application/json"), `{"error":{"code":"not_found","message":"m"}}`, true},
		{"an undocumented status", post("/api/v1/waves/open/responses", goodSubmission), 418, header("application/json"), `{"error":{"code":"internal","message":"m"}}`, false},
		{"another content type", post("/api/v1/waves/open/responses", goodSubmission), 201, header("text/plain"), receipt, false},
		{"no request id", post("/api/v1/waves/open/responses", goodSubmission), 201, http.Header{"Content-Type": {"application/json"}, "Cache-Control": {"no-store"}}, receipt, false},
		{"a receipt without its team", post("/api/v1/waves/open/responses", goodSubmission), 201, header("application/json"), strings.Replace(receipt, `"team":"campaigns",`, "", 1), false},
		{"a receipt with a field too many", post("/api/v1/waves/open/responses", goodSubmission), 201, header("application/json"), strings.Replace(receipt, `"team"`, `"ip":"1.2.3.4","team"`, 1), false},
		{"a day that is not a date", post("/api/v1/waves/open/responses", goodSubmission), 201, header("application/json"), strings.Replace(receipt, `"2026-03-10"`, `"10 March"`, 1), false},
		{"a score out of range", post("/api/v1/waves/open/responses", goodSubmission), 201, header("application/json"), strings.Replace(receipt, `"score":50`, `"score":150`, 1), false},
		{"an error code this operation never gives", post("/api/v1/waves/open/responses", `{`), 400, header("application/json"), `{"error":{"code":"invalid","message":"m"}}`, false},
		{"an error with a key too many", get("/api/v1/waves/x/teams"), 404, header("application/json"), `{"error":{"code":"wave_not_found","message":"m","detail":"d"}}`, false},
		{"an accepted request the document does not allow", post("/api/v1/waves/open/responses", `{"submission_id":"x","answers":{}}`), 201, header("application/json"), receipt, false},
		{"a withheld group with a count", get("/api/v1/waves/open/report"), 200, header("application/json"),
			strings.Replace(minimalReport, `"withheld":true,"reason":"protects another"`, `"withheld":true,"reason":"protects another","n":3`, 1), false},
		{"a withheld group without its reason", get("/api/v1/waves/open/report"), 200, header("application/json"),
			strings.Replace(minimalReport, `,"reason":"protects another"`, ``, 1), false},
		{"a withheld figure with a reason of another kind", get("/api/v1/waves/open/report"), 200, header("application/json"),
			strings.Replace(minimalReport, `"reason":"small"`, `"reason":"secret"`, 1), false},
		{"a minimal report", withToken(get("/api/v1/waves/open/report")), 200, header("application/json"), minimalReport, true},
		{"a report with distributions", withToken(get("/api/v1/waves/open/report")), 200, header("application/json"),
			withDistributions(`{"n":6,"options":[{"key":"email","n":6,"share":1},{"key":"web","withheld":true,"reason":"small"}]}`), true},
		{"a distribution's share above 1", withToken(get("/api/v1/waves/open/report")), 200, header("application/json"),
			withDistributions(`{"n":6,"options":[{"key":"email","n":6,"share":1.2},{"key":"web","n":0,"share":0}]}`), false},
		{"a withheld option with its count", withToken(get("/api/v1/waves/open/report")), 200, header("application/json"),
			withDistributions(`{"n":6,"options":[{"key":"email","n":2,"withheld":true,"reason":"small"},{"key":"web","n":0,"share":0}]}`), false},
		{"a bin without its end", withToken(get("/api/v1/waves/open/report")), 200, header("application/json"),
			withDistributions(`{"n":6,"bins":[{"from":0,"n":6,"share":1}]}`), false},
		{"a report read with a session", withCookie(get("/api/v1/waves/open/report")), 200, header("application/json"), minimalReport, true},
		{"a report given without credentials", get("/api/v1/waves/open/report"), 200, header("application/json"), minimalReport, false},
		{"a 429 with Retry-After", post("/api/v1/waves/open/responses", goodSubmission), 429, limited("30"), rateLimited, true},
		{"a 429 without Retry-After", post("/api/v1/waves/open/responses", goodSubmission), 429, limited(""), rateLimited, false},
		{"a 429 with Retry-After as a date", post("/api/v1/waves/open/responses", goodSubmission), 429, limited("Wed, 21 Oct 2026 07:28:00 GMT"), rateLimited, false},
		{"a receipt without RateLimit-Limit", post("/api/v1/waves/open/responses", goodSubmission), 201,
			without(header("application/json"), "RateLimit-Limit"), receipt, false},
		{"a receipt without RateLimit-Remaining", post("/api/v1/waves/open/responses", goodSubmission), 201,
			without(header("application/json"), "RateLimit-Remaining"), receipt, false},
		{"a receipt without RateLimit-Reset", post("/api/v1/waves/open/responses", goodSubmission), 201,
			without(header("application/json"), "RateLimit-Reset"), receipt, false},
		{"an error without RateLimit-Remaining", post("/api/v1/waves/open/responses", `{`), 400,
			without(header("application/json"), "RateLimit-Remaining"), `{"error":{"code":"malformed","message":"m"}}`, false},
		{"a 429 without RateLimit-Reset", post("/api/v1/waves/open/responses", goodSubmission), 429,
			without(limited("30"), "RateLimit-Reset"), rateLimited, false},
		{"an unlisted address's 404 without RateLimit-Limit", get("/api/v1/nowhere"), 404,
			without(header("application/json"), "RateLimit-Limit"), `{"error":{"code":"not_found","message":"m"}}`, false},
		{"RateLimit-Remaining below 0", withToken(get("/api/v1/session")), 200,
			with(header("application/json"), "RateLimit-Remaining", "-1"), whoAmI, false},
		{"RateLimit-Reset as a date", withToken(get("/api/v1/session")), 200,
			with(header("application/json"), "RateLimit-Reset", "Wed, 21 Oct 2026 07:28:00 GMT"), whoAmI, false},
		{"a 401 with its challenge", get("/api/v1/waves"), 401, unauthenticated(`Bearer realm="skillsurvey"`), `{"error":{"code":"unauthenticated","message":"m"}}`, true},
		{"a 401 without its challenge", get("/api/v1/waves"), 401, unauthenticated(""), `{"error":{"code":"unauthenticated","message":"m"}}`, false},
		{"a CSRF refusal of a read", withCookie(get("/api/v1/waves")), 403, header("application/json"), `{"error":{"code":"csrf","message":"m"}}`, false},
		{"a CSRF refusal of a change", withCookie(del("/api/v1/tokens/power-bi")), 403, header("application/json"), `{"error":{"code":"csrf","message":"m"}}`, true},
		{"the caller", withToken(get("/api/v1/session")), 200, header("application/json"), whoAmI, true},
		{"tokens", withToken(get("/api/v1/tokens")), 200, header("application/json"), tokens, true},
		{"tokens with their hashes", withToken(get("/api/v1/tokens")), 200, header("application/json"),
			strings.Replace(tokens, `"revoked":false`, `"revoked":false,"hash":"0123"`, 1), false},
		{"a team import in YAML", put("/api/v1/teams", "text/yaml", "- {key: dept, name: Department}\n- {key: comms, name: Comms, parent: dept, headcount: 12}\n"),
			200, header("application/json"), `{"created":2,"updated":0,"renamed":0,"retired":0}`, true},
		{"a team import with a bad key", put("/api/v1/teams", "application/yaml", "- {key: Dept, name: Department}\n"),
			200, header("application/json"), `{"created":1,"updated":0,"renamed":0,"retired":0}`, false},
		{"a submission taken as text/plain", func() *http.Request {
			r := post("/api/v1/waves/open/responses", goodSubmission)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}(), 201, header("application/json"), receipt, false},
		{"a download named oddly", get("/api/v1/waves/open/report?format=csv"), 200,
			func() http.Header {
				h := header("text/csv")
				h.Set("Content-Disposition", `inline; filename="../x.csv"`)
				return h
			}(), "a,b\r\n", false},
		{"an XLSX that is not one", get("/api/v1/waves/open/report?format=xlsx"), 200, header(xlsxType), "a,b\n", false},
		{"a 405 without Allow", del("/api/v1/openapi.json"), 405, header("application/json"), `{"error":{"code":"method_not_allowed","message":"m"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &http.Response{StatusCode: tt.status, Header: tt.header}
			_, err := s.check(tt.req, res, []byte(tt.body))
			if tt.ok && err != nil {
				t.Errorf("refused: %v", err)
			}
			if !tt.ok && err == nil {
				t.Errorf("allowed")
			}
			if err != nil {
				t.Logf("%v", err)
			}
		})
	}
}

// minimalReport is a report of one shown department and one withheld team.
const minimalReport = `{"wave":{"key":"open","title":"T","survey":"small","version":"` +
	`0000000000000000000000000000000000000000000000000000000000000000","state":"open","mode":"invite",` +
	`"answers_verified":true,"scores_after_closing":false,"breakdowns_after_closing":false,"scoring_rules":2,"threshold":5,"comment_threshold":10,"opens_at":"2026-03-08T09:30:00Z","closes_at":null},"level":"all","breakdown":null,` +
	`"dimensions":[{"key":"engagement","title":"Engagement","in_overall":true}],` +
	`"stages":[{"key":"low","label":"Low","from":0},{"key":"high","label":"High","from":50}],` +
	`"skills":[],"distributions":[],"groups":[` +
	`{"key":"dept","name":"Department","level":"department","parent":null,"n":6,"headcount":null,"response_rate":null,"headcount_outdated":false,` +
	`"overall":{"n":6,"mean":50,"median":50,"sd":null,"ci95":[null,null],"stage":"high","stages":{"low":0,"high":6},` +
	`"now":null,"target":null,"gap":null},"dimensions":{"engagement":{"withheld":true,"reason":"small"}},"skills":{}},` +
	`{"key":"t","name":"Team","level":"team","parent":"dept","withheld":true,"reason":"protects another"}],"refreshed":"2026-03-10"}`

// withDistributions is minimalReport with the department carrying one distribution, of channels.
func withDistributions(channels string) string {
	r := strings.Replace(minimalReport, `"distributions":[]`, `"distributions":[{"question":"channels","text":"Which?",`+
		`"type":"multi_choice","options":[{"key":"email","label":"Email"},{"key":"web","label":"Web"}]}]`, 1)
	return strings.Replace(r, `"skills":{}}`, `"skills":{},"distributions":{"channels":`+channels+`}}`, 1)
}

// TestReportsMatchDocument reads reports and trends in every form the document describes, so their
// schemas are checked against real figures: shown, withheld and partly withheld groups, breakdown
// cells, comments, each level and format, and a trend over waves with changes between them.
func TestReportsMatchDocument(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	// A later wave of the same survey, so the trend has a change to show.
	if _, err := e.store.CreateWave(ctx, e.def, store.NewWave{Key: "later", Title: "Autumn 2026", Mode: store.ModeOpen, Threshold: 5}); err != nil {
		t.Fatal(err)
	}
	e.mustChange(e.store.OpenWave(ctx, "later"))

	// In the open wave every team with responses is shown, digital-engagement with comments; in the
	// later one campaigns is withheld (3), and with it digital-engagement, so comms cannot be split.
	counts := map[string]map[string]int{
		waveOpen: {"digital-engagement": 12, "campaigns": 5, "policy-unit": 6},
		"later":  {"digital-engagement": 12, "campaigns": 3, "policy-unit": 6},
	}
	n := 0
	for _, wave := range []string{waveOpen, "later"} {
		for team, count := range counts[wave] {
			for range count {
				n++
				if r := e.submit(wave, openSubmission(newSubmissionID(), team, variedAnswers(n))); r.status != http.StatusCreated {
					t.Fatalf("submit: %s", r)
				}
			}
		}
	}

	// The later wave closes, so its scores are published (an open-mode wave shows counts alone while
	// open, which the open wave exercises).
	e.mustChange(e.store.CloseWave(ctx, "later"))

	// Five invited campaigns respondents: the department is shown in the invite wave too, so the
	// trend has two shown waves in a row and a change between them.
	for i, code := range e.codes {
		body := fmt.Sprintf(`{"submission_id":%q,"invitation_code":%q,"answers":%s}`, newSubmissionID(), code, variedAnswers(100+i))
		if r := e.submit(waveInvite, body); r.status != http.StatusCreated {
			t.Fatalf("submit: %s", r)
		}
	}

	reads := []struct {
		path   string
		accept string
		status int
	}{
		{path: "/api/v1/waves/open/report", status: 200},
		{path: "/api/v1/waves/later/report?level=all", status: 200},
		{path: "/api/v1/waves/later/report?breakdown=role-type", status: 200},
		{path: "/api/v1/waves/open/report?level=team", status: 200},
		{path: "/api/v1/waves/open/report?level=directorate", status: 200},
		{path: "/api/v1/waves/open/report?level=department", status: 200},
		{path: "/api/v1/waves/open/report?breakdown=role-type", status: 200},
		{path: "/api/v1/waves/closed/report", status: 200}, // no responses: every group withheld
		{path: "/api/v1/waves/open/report?format=json", status: 200},
		{path: "/api/v1/waves/open/report?format=csv", status: 200},
		{path: "/api/v1/waves/open/report?format=xlsx&breakdown=role-type", status: 200},
		{path: "/api/v1/waves/open/report", accept: "text/csv", status: 200},
		{path: "/api/v1/waves/open/report", accept: xlsxType, status: 200},
		{path: "/api/v1/waves/open/report", accept: "application/pdf", status: 200},
		{path: "/api/v1/waves/open/report?format=pdf", status: 422},
		{path: "/api/v1/waves/open/report?level=teams", status: 422},
		{path: "/api/v1/waves/open/report?breakdown=consult", status: 422},
		{path: "/api/v1/waves/nope/report", status: 404},
		{path: "/api/v1/waves/scheduled/report", status: 409},
		{path: "/api/v1/waves/later/trend?group=dept", status: 200},
		{path: "/api/v1/waves/later/trend?group=digital-engagement", status: 200},
		{path: "/api/v1/waves/later/trend?group=campaigns", status: 200},
		{path: "/api/v1/waves/later/trend?group=policy-unit", status: 200},
		{path: "/api/v1/waves/open/trend?group=comms", status: 200},
		{path: "/api/v1/waves/later/trend?group=no-such-team", status: 404},
		{path: "/api/v1/waves/later/trend", status: 422},
		{path: "/api/v1/waves/nope/trend?group=dept", status: 404},
	}
	for _, rd := range reads {
		var header http.Header
		if rd.accept != "" {
			header = http.Header{"Accept": {rd.accept}}
		}
		r := e.do(http.MethodGet, rd.path, nil, header)
		if r.status != rd.status {
			t.Errorf("GET %s (Accept %q): %s, want %d", rd.path, rd.accept, r, rd.status)
		}
		if rd.status == http.StatusOK && strings.Contains(rd.path, "/trend?group=dept") && !bytes.Contains(r.body, []byte(`"change":{`)) {
			t.Errorf("the department's trend shows no change, so the document's Change is not exercised: %s", r.body)
		}
		if rd.path == "/api/v1/waves/later/report?breakdown=role-type" {
			// Distributions with options and bins shown and withheld, and cells with gaps and skills.
			for _, part := range []string{`"options":[{"key":"email","n":`, `"reason":"small"}`, `"bins":[{"from":1,"to":126,"n":`,
				`"cells":[{"option":"specialist","n":`, `"social-media":{"n":11,`, `"gap":-9.1}`} {
				if !bytes.Contains(r.body, []byte(part)) {
					t.Errorf("%s holds no %s, so the document's Distribution and Cell are not exercised: %s", rd.path, part, r.body)
				}
			}
		}
	}
}
