package access

import "testing"

// The hierarchy of these tests: dept → comms (digital, campaigns → campaigns-north) and policy
// (unit); beside the department, at the top too, an arm's-length body (agency → agency-unit).
var tree = Hierarchy{
	"dept": "", "comms": "dept", "policy": "dept",
	"digital": "comms", "campaigns": "comms", "campaigns-north": "campaigns", "unit": "policy",
	"agency": "", "agency-unit": "agency",
}

func TestCan(t *testing.T) {
	anon := Principal{}
	admin := Principal{Kind: Person, Role: Admin}
	hr := Principal{Kind: Program, Role: HR}
	lead := Principal{Kind: Person, Role: Lead, Scope: "comms"}
	leadless := Principal{Kind: Person, Role: Lead} // a lead whose team was never set sees nothing
	stranger := Principal{Kind: Person, Role: "root"}
	roleless := Principal{Kind: Person}
	anonAdmin := Principal{Role: Admin} // a role without a proof of who it is counts for nothing
	cases := []struct {
		p    Principal
		want [4]bool // Anyone, SignedIn, ReadReports, Administer
	}{
		{anon, [4]bool{true, false, false, false}},
		{admin, [4]bool{true, true, true, true}},
		{hr, [4]bool{true, true, true, false}},
		{lead, [4]bool{true, true, true, false}},
		{leadless, [4]bool{true, true, false, false}},
		{stranger, [4]bool{true, true, false, false}},
		{roleless, [4]bool{true, false, false, false}},
		{anonAdmin, [4]bool{true, false, false, false}},
	}
	for i, tc := range cases {
		for j, perm := range []Permission{Anyone, SignedIn, ReadReports, Administer} {
			if got := tc.p.Can(perm); got != tc.want[j] {
				t.Errorf("case %d (%+v).Can(%s) = %v, want %v", i, tc.p, perm, got, tc.want[j])
			}
		}
		if tc.p.Can(Permission(0)) || tc.p.Can(Permission(99)) {
			t.Errorf("case %d: an unknown permission allowed something", i)
		}
	}
}

func TestSeesAndReadsComments(t *testing.T) {
	leadComms := Principal{Kind: Person, Role: Lead, Scope: "comms"}
	leadCampaigns := Principal{Kind: Program, Role: Lead, Scope: "campaigns"}
	leadDept := Principal{Kind: Person, Role: Lead, Scope: "dept"}
	hr := Principal{Kind: Person, Role: HR}
	hrComments := Principal{Kind: Person, Role: HR, Comments: true}
	admin := Principal{Kind: Person, Role: Admin}
	anon := Principal{}
	// sees and comments list, for each group in the order of groups, what was worked out by hand.
	groups := []string{"dept", "comms", "digital", "campaigns", "campaigns-north", "policy", "unit", "unknown", "agency", "agency-unit"}
	cases := []struct {
		name           string
		p              Principal
		sees, comments string // one letter per group: y or n
	}{
		{"lead of comms", leadComms, "yyyyynnnnn", "nyyyynnnnn"},
		{"lead of campaigns", leadCampaigns, "ynnyynnnnn", "nnnyynnnnn"},
		{"lead of the department", leadDept, "yyyyyyynnn", "yyyyyyynnn"},
		{"lead of the agency", Principal{Kind: Person, Role: Lead, Scope: "agency"}, "nnnnnnnnyy", "nnnnnnnnyy"},
		{"hr", hr, "yyyyyyyyyy", "nnnnnnnnnn"},
		{"hr with comments", hrComments, "yyyyyyyyyy", "yyyyyyyyyy"},
		{"admin", admin, "yyyyyyyyyy", "yyyyyyyyyy"},
		{"anonymous", anon, "nnnnnnnnnn", "nnnnnnnnnn"},
	}
	for _, tc := range cases {
		for i, g := range groups {
			if got := tc.p.Sees(tree, g); got != (tc.sees[i] == 'y') {
				t.Errorf("%s sees %s = %v, want %c", tc.name, g, got, tc.sees[i])
			}
			if got := tc.p.ReadsComments(tree, g); got != (tc.comments[i] == 'y') {
				t.Errorf("%s reads comments of %s = %v, want %c", tc.name, g, got, tc.comments[i])
			}
		}
	}
}

// TestSeesSurvivesACycle: a hierarchy with a loop (which import refuses) cannot hang a decision.
func TestSeesSurvivesACycle(t *testing.T) {
	loop := Hierarchy{"dept": "", "a": "b", "b": "a"}
	lead := Principal{Kind: Person, Role: Lead, Scope: "comms"}
	if lead.Sees(loop, "a") {
		t.Error("a lead sees a group in a loop outside their scope")
	}
}

func TestParseRole(t *testing.T) {
	for _, s := range []string{"admin", "lead", "hr"} {
		if r, err := ParseRole(s); err != nil || string(r) != s {
			t.Errorf("ParseRole(%q) = %q, %v", s, r, err)
		}
	}
	for _, s := range []string{"", "Admin", "root", "admin ", "respondent"} {
		if _, err := ParseRole(s); err == nil {
			t.Errorf("ParseRole(%q) accepted", s)
		}
	}
}

// TestSetsFocus: admins choose any group's focus areas; a lead, their own team's and those below
// it (not the department they may see for comparison); hr and anonymous callers none. Worked out
// by hand over the groups of TestSeesAndReadsComments.
func TestSetsFocus(t *testing.T) {
	groups := []string{"dept", "comms", "digital", "campaigns", "campaigns-north", "policy", "unit", "unknown", "agency", "agency-unit"}
	for _, tc := range []struct {
		name string
		p    Principal
		sets string // one letter per group: y or n
	}{
		{"lead of comms", Principal{Kind: Person, Role: Lead, Scope: "comms"}, "nyyyynnnnn"},
		{"lead of campaigns (a token)", Principal{Kind: Program, Role: Lead, Scope: "campaigns"}, "nnnyynnnnn"},
		{"lead of the department", Principal{Kind: Person, Role: Lead, Scope: "dept"}, "yyyyyyynnn"},
		{"hr", Principal{Kind: Person, Role: HR, Comments: true}, "nnnnnnnnnn"},
		{"admin", Principal{Kind: Person, Role: Admin}, "yyyyyyyyyy"},
		{"anonymous", Principal{}, "nnnnnnnnnn"},
	} {
		for i, g := range groups {
			if got := tc.p.SetsFocus(tree, g); got != (tc.sets[i] == 'y') {
				t.Errorf("%s sets the focus of %s = %v, want %c", tc.name, g, got, tc.sets[i])
			}
		}
	}
}
