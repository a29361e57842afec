package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"skillsurvey/internal/example"
)

// service is the running server as its clients see it.
type service struct {
	base   string // http://127.0.0.1:PORT
	token  string // an HR token, for reports
	client *http.Client
	pool   *pool
}

// newService makes clients that keep a connection each, as browsers and HR's tools do, so the
// figures measure the service rather than TCP handshakes.
func newService(base, token string, p *pool, conns int) *service {
	transport := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns}
	return &service{base: base, token: token, pool: p, client: &http.Client{Timeout: 30 * time.Second, Transport: transport}}
}

func (s *service) close() { s.client.CloseIdleConnections() }

// submit sends one new submission; only 201, stored, counts.
func (s *service) submit(ctx context.Context) error {
	return s.send(ctx, http.MethodPost, "/responses", s.pool.submission(), "", http.StatusCreated)
}

// respond is one respondent's whole path: fetch the questionnaire, then submit.
func (s *service) respond(ctx context.Context) error {
	if err := s.send(ctx, http.MethodGet, "/questionnaire", nil, "", http.StatusOK); err != nil {
		return err
	}
	return s.submit(ctx)
}

// health asks the simplest thing the server answers: what the machine's HTTP round trip costs,
// for scale beside the other figures.
func (s *service) health(ctx context.Context) error {
	return s.do(ctx, http.MethodGet, "/healthz", nil, "", http.StatusOK)
}

// readReport reads the wave's report as HR's tools do.
func (s *service) readReport(ctx context.Context) error {
	return s.send(ctx, http.MethodGet, "/report", nil, s.token, http.StatusOK)
}

// send makes one request of the example wave and reads the whole answer, which is part of its
// time; an answer other than want is an error that quotes its start.
func (s *service) send(ctx context.Context, method, path string, body []byte, token string, want int) error {
	return s.do(ctx, method, "/api/v1/waves/"+example.WaveKey+path, body, token, want)
}

// do makes one request of the server at path and reads the whole answer (see send).
func (s *service) do(ctx context.Context, method, path string, body []byte, token string, want int) error {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	start, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s answered %d, want %d: %s", method, path, resp.StatusCode, want, start)
	}
	return nil
}
