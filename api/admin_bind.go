package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"
)

// maxAdminBytes bounds an admin request's JSON body: a few short fields.
const maxAdminBytes = 16 << 10

// bindJSON reads a JSON object into v strictly (no unknown fields, names spelt exactly, nothing
// after it), then checks
// its binding tags, naming every field that breaks one.
func bindJSON(c *gin.Context, v any) error {
	if c.ContentType() != "application/json" {
		return newError(http.StatusUnsupportedMediaType, "unsupported_media_type", "send the body as application/json")
	}
	raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxAdminBytes))
	if err != nil {
		if tooLarge(err) {
			return errTooLarge
		}
		if be := bodyError(err); be != nil {
			return be
		}
		return errUnreadable
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return adminDecodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return malformed("the body must hold one JSON object and nothing after it")
	}
	if err := checkNames(raw, jsonNames(reflect.TypeOf(v))); err != nil {
		return err
	}
	err = validate.Struct(v)
	var ves validator.ValidationErrors
	if errors.As(err, &ves) {
		fields := map[string]string{}
		for _, fe := range ves {
			fields[fe.Field()] = tagMessage(fe)
		}
		return invalid(fields)
	}
	return err
}

func adminDecodeError(err error) error {
	var ute *json.UnmarshalTypeError
	switch {
	case errors.As(err, &ute):
		return malformed(fmt.Sprintf("field %q must be %s", ute.Field, jsonKind(ute.Type.Kind().String())))
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return malformed(strings.TrimPrefix(err.Error(), "json: "))
	case errors.Is(err, io.EOF):
		return malformed("the body is empty; send a JSON object")
	}
	return malformed("the body is not valid JSON: " + strings.TrimPrefix(err.Error(), "json: "))
}

// tagMessage says in words which binding rule a field broke.
func tagMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "max":
		return "is too long: at most " + fe.Param()
	case "min":
		return "is too short: at least " + fe.Param()
	case "oneof":
		return "must be one of: " + fe.Param()
	}
	return "is not valid"
}

// problemFields is an error that names fields: the rules of waves, people and tokens.
type problemFields interface{ Fields() map[string]string }

// asInvalid turns a rule's problems into a 422 naming each field; other errors pass unchanged.
func asInvalid(err error) error {
	var pf problemFields
	if errors.As(err, &pf) {
		return invalid(pf.Fields())
	}
	return err
}
