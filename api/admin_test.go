package api

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestAdminChangesAudit: each change through the admin API is in the audit log once, worded by
// package waves as on the command line, naming the caller and their address; a refused change is not.
func TestAdminChangesAudit(t *testing.T) {
	e := newTestEnv(t)
	admin := from(e.as[tokenAdmin], "203.0.113.7")
	csv := admin.Clone()
	csv.Set("Content-Type", "text/csv")
	for _, c := range []struct {
		method, path, body string
		header             http.Header
		status             int
	}{
		{"POST", "/api/v1/waves", `{"key":"autumn","survey":"small","mode":"invite","threshold":4}`, admin, http.StatusCreated},
		{"POST", "/api/v1/waves/autumn/open", "", admin, http.StatusOK},
		{"POST", "/api/v1/waves/autumn/invitations", `{"team":"campaigns","count":2}`, admin, http.StatusCreated},
		{"POST", "/api/v1/waves/autumn/close", "", admin, http.StatusOK},
		{"PUT", "/api/v1/teams", teamsCSV, csv, http.StatusOK},
		// Refused: nothing changes, so nothing is written. A body with anything after its object,
		// a field name spelt in other letters, or a field twice, is refused whole.
		{"POST", "/api/v1/waves/autumn/open", "", admin, http.StatusConflict},
		{"POST", "/api/v1/waves/nope/invitations", `{"team":"campaigns","count":2}`, admin, http.StatusNotFound},
		{"POST", "/api/v1/waves/invite/invitations", `{"team":"nope","count":2}`, admin, http.StatusUnprocessableEntity},
		{"POST", "/api/v1/waves", `{"key":"spring","survey":"small","mode":"invite","threshold":4}}`, admin, http.StatusBadRequest},
		{"POST", "/api/v1/waves", `{"key":"spring","survey":"small","mode":"invite","threshold":4}]`, admin, http.StatusBadRequest},
		{"POST", "/api/v1/waves", `{"KEY":"spring","survey":"small","mode":"invite","threshold":4}`, admin, http.StatusBadRequest},
		{"POST", "/api/v1/waves", `{"key":"spring","survey":"small","mode":"invite","threshold":4,"threshold":2}`, admin, http.StatusBadRequest},
	} {
		if r := e.do(c.method, c.path, strings.NewReader(c.body), c.header); r.status != c.status {
			t.Fatalf("%s %s: %s, want %d", c.method, c.path, r, c.status)
		}
	}
	events, _, err := e.store.AuditEvents(context.Background(), 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range events {
		got = append(got, strings.Join([]string{ev.Actor, ev.Address, ev.Action, ev.Target, ev.Detail}, "|"))
	}
	want := []string{
		"token:test-admin-token|203.0.113.7|teams.import|teams|teams=6 created=0 updated=0 retired=0",
		"token:test-admin-token|203.0.113.7|wave.close|wave:autumn|",
		"token:test-admin-token|203.0.113.7|invitations.create|wave:autumn|team=campaigns count=2",
		"token:test-admin-token|203.0.113.7|wave.open|wave:autumn|",
		"token:test-admin-token|203.0.113.7|wave.create|wave:autumn|survey=small mode=invite threshold=4",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the audit log begins\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
