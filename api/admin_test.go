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
		"token:test-admin-token|203.0.113.7|teams.import|teams|teams=6 created=0 updated=0 renamed=0 retired=0",
		"token:test-admin-token|203.0.113.7|wave.close|wave:autumn|",
		"token:test-admin-token|203.0.113.7|invitations.create|wave:autumn|team=campaigns count=2",
		"token:test-admin-token|203.0.113.7|wave.open|wave:autumn|",
		"token:test-admin-token|203.0.113.7|wave.create|wave:autumn|survey=small mode=invite threshold=4",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the audit log begins\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestImportRenames: previous_key renames a team through the API; a rename the stored teams refuse
// (an old key that names no team, a new key already in use) is 422 by line, and changes nothing.
func TestImportRenames(t *testing.T) {
	e := newTestEnv(t)
	csv := e.as[tokenAdmin].Clone()
	csv.Set("Content-Type", "text/csv")
	const header = "key,name,parent,headcount,previous_key\n"
	renamed := strings.Replace(teamsCSV[strings.Index(teamsCSV, "\n")+1:], "\ncampaigns,Campaigns,comms,8\n", "\ncampaigns-team,Campaigns,comms,8\n", 1)
	body := header + strings.ReplaceAll(renamed, "\n", ",\n")
	body = strings.Replace(body, "campaigns-team,Campaigns,comms,8,", "campaigns-team,Campaigns,comms,8,campaigns", 1)
	r := e.do("PUT", "/api/v1/teams", strings.NewReader(body), csv)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"renamed":1`) {
		t.Fatalf("rename: %s", r)
	}
	for _, c := range []struct{ name, body, want string }{
		{"new key and old key both stored", strings.Replace(strings.Replace(body, ",campaigns\n", ",policy-unit\n", 1), "policy-unit,Policy unit,policy,,\n", "", 1),
			`"line 6":"team \"campaigns-team\" exists already, so \"policy-unit\" cannot be renamed to it"`},
		{"old key still in the file", strings.Replace(body, "policy-unit,Policy unit,policy,,", "policy-unit,Policy unit,policy,,digital-engagement", 1),
			`"line 7":"previous_key \"digital-engagement\" is still a team in this file (line 5)`},
		{"nothing to rename", header + "dept,Department,,300,\nnew-team,New,dept,,never-was\n", `"line 3":"previous_key \"never-was\" names no team: nothing to rename (leave it empty for a new team)"`},
	} {
		r := e.do("PUT", "/api/v1/teams", strings.NewReader(c.body), csv)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), c.want) {
			t.Errorf("%s: %s, want 422 with %s", c.name, r, c.want)
		}
	}
	teams, err := e.store.Teams(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams {
		if tm.Key == "new-team" || tm.Key == "campaigns" {
			t.Errorf("a refused import left team %q", tm.Key)
		}
	}
}
