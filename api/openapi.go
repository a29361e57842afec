package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"gopkg.in/yaml.v3"
)

// openAPIYAML is the OpenAPI 3 document of everything under /api/v1, as written.
//
//go:embed openapi.yaml
var openAPIYAML []byte

// openAPIJSON returns the OpenAPI document as JSON, converted once from the embedded YAML.
var openAPIJSON = sync.OnceValues(func() ([]byte, error) { return yamlToJSON(openAPIYAML) })

// serveOpenAPI answers GET /api/v1/openapi.json.
func serveOpenAPI(c *gin.Context) {
	doc, err := openAPIJSON()
	if err != nil {
		respondError(c, fmt.Errorf("openapi document: %w", err))
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", doc)
}

// yamlToJSON converts a YAML document to JSON, object keys sorted.
func yamlToJSON(src []byte) ([]byte, error) {
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		return nil, err
	}
	v, err := jsonValue(v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// jsonValue turns what yaml.v3 decodes into what encoding/json can write: every mapping key a string.
func jsonValue(v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			c, err := jsonValue(child)
			if err != nil {
				return nil, err
			}
			v[k] = c
		}
		return v, nil
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, child := range v {
			c, err := jsonValue(child)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = c
		}
		return out, nil
	case []any:
		for i, child := range v {
			c, err := jsonValue(child)
			if err != nil {
				return nil, err
			}
			v[i] = c
		}
		return v, nil
	case time.Time:
		return v.Format(time.RFC3339Nano), nil
	case string, bool, int, int64, uint64, float64, nil:
		return v, nil
	}
	return nil, fmt.Errorf("openapi document: a %T cannot be written as JSON", v)
}
