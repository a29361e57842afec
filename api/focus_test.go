package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"skillsurvey/internal/access"
)

// focusPath is where the focus areas of a group of the closed wave are read and chosen.
func focusPath(group string) string {
	return "/api/v1/waves/" + waveClosed + "/groups/" + group + "/focus-areas"
}

// putFocus chooses focus areas as a caller.
func (e *testEnv) putFocus(caller, group, body string) result {
	h := e.as[caller].Clone()
	h.Set("Content-Type", "application/json")
	return e.do(http.MethodPut, focusPath(group), strings.NewReader(body), h)
}

func (e *testEnv) getAs(caller, path string) result {
	return e.do(http.MethodGet, path, nil, e.as[caller])
}

// TestFocusAreasChosenByALead: the lead of comms chooses two focus areas for comms, with notes;
// every reader who sees comms reads them, in the order chosen, with the dimensions' titles; the
// audit log records who chose what; the next trend shows them on the wave they follow.
func TestFocusAreasChosenByALead(t *testing.T) {
	e := newTestEnv(t)
	r := e.putFocus(sessionLeadComms, "comms", `{"areas":[{"dimension":"skills","note":"Pair each new starter\u0007 with a practitioner"},{"dimension":"engagement"}]}`)
	if r.status != 200 {
		t.Fatalf("lead of comms chose: %s", r)
	}
	checkJSON(t, r)
	var got focusAreasJSON
	for _, caller := range []string{sessionLeadComms, sessionAdmin, sessionHR, tokenLeadComms} {
		r := e.getAs(caller, focusPath("comms"))
		if r.status != 200 {
			t.Fatalf("%s reads: %s", caller, r)
		}
		if err := json.Unmarshal(r.body, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Areas) != 2 || got.Areas[0].Dimension != "skills" || got.Areas[0].Title != "Skills" ||
			got.Areas[0].Note != "Pair each new starter with a practitioner" || got.Areas[1].Dimension != "engagement" || got.Areas[1].Note != "" {
			t.Errorf("%s reads %+v; want skills (its note without the control character), then engagement", caller, got.Areas)
		}
		if want := caller != sessionHR; got.MayChange != want {
			t.Errorf("%s: may_change %v, want %v", caller, got.MayChange, want)
		}
	}
	events, _, err := e.store.AuditEvents(context.Background(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range events {
		found = found || ev.Action == access.ActionFocusSet && ev.Actor == "user:lead.comms@example.gov.uk" &&
			strings.Contains(ev.Detail, "group=comms dimensions=skills,engagement")
	}
	if !found {
		t.Errorf("no focus.set event by the lead of comms in %+v", events)
	}
	r = e.getAs(sessionAdmin, "/api/v1/waves/"+waveClosed+"/trend?group=comms")
	if !strings.Contains(string(r.body), `"focus_areas":[{"dimension":"skills","title":"Skills","note":"Pair each new starter with a practitioner"`) {
		t.Errorf("the trend does not show comms' focus areas: %s", r)
	}
	// Cleared with an empty list.
	if r := e.putFocus(sessionAdmin, "comms", `{"areas":[]}`); r.status != 200 || !strings.Contains(string(r.body), `"areas":[]`) {
		t.Errorf("admin cleared: %s", r)
	}
}

// TestFocusAreasRefused: who may not choose, and what may not be chosen, changes nothing.
func TestFocusAreasRefused(t *testing.T) {
	e := newTestEnv(t)
	if r := e.putFocus(sessionLeadComms, "comms", `{"areas":[{"dimension":"skills","note":"kept"}]}`); r.status != 200 {
		t.Fatal(r)
	}
	long := strings.Repeat("é", 501)
	for _, c := range []struct {
		name, caller, group, body, contentType string
		status                                 int
		code                                   string
	}{
		{"hr may read but not choose", sessionHR, "comms", `{"areas":[]}`, "", 403, "forbidden"},
		{"a lead above nobody's scope: the department", sessionLeadComms, "dept", `{"areas":[]}`, "", 403, "forbidden"},
		{"a lead of another directorate", sessionLeadOther, "comms", `{"areas":[]}`, "", 404, "group_not_found"},
		{"no such group", sessionAdmin, "nope", `{"areas":[]}`, "", 404, "group_not_found"},
		{"four areas", sessionAdmin, "comms", `{"areas":[{"dimension":"skills"},{"dimension":"engagement"},{"dimension":"a"},{"dimension":"b"}]}`, "", 422, "invalid"},
		{"no such dimension", sessionAdmin, "comms", `{"areas":[{"dimension":"campaigns"}]}`, "", 422, "invalid"},
		{"a dimension twice", sessionAdmin, "comms", `{"areas":[{"dimension":"skills"},{"dimension":"skills"}]}`, "", 422, "invalid"},
		{"an empty dimension", sessionAdmin, "comms", `{"areas":[{"dimension":""}]}`, "", 422, "invalid"},
		{"a note too long", sessionAdmin, "comms", `{"areas":[{"dimension":"skills","note":"` + long + `"}]}`, "", 422, "invalid"},
		{"an unknown field", sessionAdmin, "comms", `{"areas":[],"owner":"x"}`, "", 400, "malformed"},
		{"not JSON", sessionAdmin, "comms", `areas=skills`, "application/x-www-form-urlencoded", 415, "unsupported_media_type"},
		{"broken JSON", sessionAdmin, "comms", `{"areas":[`, "", 400, "malformed"},
		{"oversized", sessionAdmin, "comms", `{"areas":[{"dimension":"skills","note":"` + strings.Repeat("x", 20<<10) + `"}]}`, "", 413, "too_large"},
	} {
		h := e.as[c.caller].Clone()
		h.Set("Content-Type", "application/json")
		if c.contentType != "" {
			h.Set("Content-Type", c.contentType)
		}
		r := e.do(http.MethodPut, focusPath(c.group), strings.NewReader(c.body), h)
		if r.status != c.status || checkError(t, r).Code != c.code {
			t.Errorf("%s: %s, want %d %s", c.name, r, c.status, c.code)
		}
	}
	// Without the CSRF token, a signed-in person's change is refused.
	h := e.as[sessionLeadComms].Clone()
	h.Del("X-Csrf-Token")
	h.Set("Content-Type", "application/json")
	if r := e.do(http.MethodPut, focusPath("comms"), strings.NewReader(`{"areas":[]}`), h); r.status != 403 || checkError(t, r).Code != "csrf" {
		t.Errorf("without the CSRF token: %s", r)
	}
	// The scheduled wave has no figures to choose from.
	r := e.do(http.MethodPut, "/api/v1/waves/"+waveScheduled+"/groups/comms/focus-areas", strings.NewReader(`{"areas":[]}`),
		http.Header{"Authorization": e.as[tokenAdmin]["Authorization"], "Content-Type": {"application/json"}})
	if r.status != 409 {
		t.Errorf("a scheduled wave: %s", r)
	}
	r = e.getAs(sessionAdmin, focusPath("comms"))
	if !strings.Contains(string(r.body), `"note":"kept"`) || strings.Count(string(r.body), `"dimension"`) != 1 {
		t.Errorf("after the refusals comms' focus areas changed: %s", r)
	}
}
