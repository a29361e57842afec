package api

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"skillsurvey/internal/survey"
)

// definitionCache keeps parsed definition versions. A version is content-addressed and never
// changes, so caching it is safe on any number of instances.
type definitionCache struct {
	source func(ctx context.Context, version string) ([]byte, error)
	mu     sync.Mutex
	byHash map[string]*survey.Definition
	// asJSON holds each version as the questionnaire sends it, encoded once: every respondent
	// fetches it, and encoding it each time cost more than the rest of the request.
	asJSON map[string][]byte
}

func newDefinitionCache(source func(ctx context.Context, version string) ([]byte, error)) *definitionCache {
	return &definitionCache{source: source, byHash: map[string]*survey.Definition{}, asJSON: map[string][]byte{}}
}

// json returns a definition version encoded as JSON.
func (dc *definitionCache) json(ctx context.Context, version string) ([]byte, error) {
	dc.mu.Lock()
	b, ok := dc.asJSON[version]
	dc.mu.Unlock()
	if ok {
		return b, nil
	}
	d, err := dc.get(ctx, version)
	if err != nil {
		return nil, err
	}
	if b, err = json.Marshal(d); err != nil {
		return nil, fmt.Errorf("encode definition %s: %w", version, err)
	}
	dc.mu.Lock()
	dc.asJSON[version] = b
	dc.mu.Unlock()
	return b, nil
}

func (dc *definitionCache) get(ctx context.Context, version string) (*survey.Definition, error) {
	dc.mu.Lock()
	d, ok := dc.byHash[version]
	dc.mu.Unlock()
	if ok {
		return d, nil
	}
	src, err := dc.source(ctx, version)
	if err != nil {
		return nil, err
	}
	d, err = survey.Parse("definition "+version, src)
	if err != nil {
		return nil, fmt.Errorf("stored definition %s no longer loads: %w", version, err)
	}
	dc.mu.Lock()
	dc.byHash[version] = d
	dc.mu.Unlock()
	return d, nil
}
