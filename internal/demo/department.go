package demo

import (
	"math/rand/v2"

	"skillsurvey/internal/hierarchy"
)

// The demonstration department: five directorates of eight teams, with the kinds of team a
// government department has and the patterns its leads would recognise. Digital specialists are
// strong on skills; policy, partnership and corporate teams, mostly not specialists, are thin on
// the mainstream skills everyone needs; people everywhere put where the team should be well above
// where it is. Two directorates each hold two teams too small to show.

// DepartmentKey is the key of the top of the demonstration hierarchy.
const DepartmentKey = "department"

// kind is what a team does, which sets its traits.
type kind int

const (
	specialist     kind = iota // digital specialists: digital communications, content, data, research
	communications             // communications teams with some specialists among them
	policy                     // policy making, mostly not specialists
	partnerships               // working with arm's-length bodies, regions and local government
	corporate                  // corporate services
)

// unit is one team of the demonstration department.
type unit struct {
	key, name string
	headcount int
	kind      kind
}

// directorate is a directorate and its teams.
type directorate struct {
	key, name string
	teams     []unit
}

const departmentName = "Department for Communities and Public Services"

var directorates = []directorate{
	{"communications", "Communications directorate", []unit{
		{"digital-communications", "Digital communications", 42, specialist},
		{"content-design", "Content design", 18, specialist},
		{"campaigns", "Campaigns", 55, communications},
		{"press-office", "Press office", 45, communications},
		{"internal-communications", "Internal communications", 30, communications},
		{"stakeholder-engagement", "Stakeholder engagement", 26, communications},
		{"insight-and-evaluation", "Insight and evaluation", 16, specialist},
		{"speechwriting", "Speechwriting", 12, communications},
	}},
	{"digital-data-technology", "Digital, data and technology", []unit{
		{"digital-services", "Digital services", 95, specialist},
		{"user-research", "User research", 22, specialist},
		{"data-and-analytics", "Data and analytics", 60, specialist},
		{"web-platforms", "Web platforms", 34, specialist},
		{"service-design", "Service design", 26, specialist},
		{"technology-operations", "Technology operations", 110, corporate},
		{"cyber-security", "Cyber security", 30, corporate},
		{"ddat-capability", "Digital, data and technology capability", 14, specialist},
	}},
	{"policy-and-strategy", "Policy and strategy", []unit{
		{"strategy-unit", "Strategy unit", 60, policy},
		{"housing-policy", "Housing policy", 140, policy},
		{"local-growth-policy", "Local growth policy", 110, policy},
		{"communities-policy", "Communities policy", 120, policy},
		{"economic-analysis", "Economic analysis", 75, policy},
		{"legislation", "Legislation and parliamentary", 50, policy},
		{"consultations", "Consultations and engagement", 32, policy},
		{"policy-profession", "Policy profession", 10, policy},
	}},
	{"places-and-partnerships", "Places and partnerships", []unit{
		{"alb-sponsorship", "Arm's-length body sponsorship", 65, partnerships},
		{"regions-north", "Regional delivery: North", 150, partnerships},
		{"regions-midlands", "Regional delivery: Midlands", 120, partnerships},
		{"regions-south", "Regional delivery: South", 160, partnerships},
		{"local-government", "Local government relations", 55, partnerships},
		{"grants", "Grants and funding programmes", 95, partnerships},
		{"devolved-relations", "Devolved governments relations", 5, partnerships},
		{"alb-appointments", "Public appointments", 6, partnerships},
	}},
	{"corporate-services", "Corporate services", []unit{
		{"people-and-capability", "People and capability", 90, corporate},
		{"finance", "Finance", 120, corporate},
		{"commercial", "Commercial", 60, corporate},
		{"estates", "Estates and facilities", 55, corporate},
		{"correspondence", "Ministerial correspondence", 75, corporate},
		{"knowledge-and-information", "Knowledge and information management", 40, corporate},
		{"board-secretariat", "Board secretariat", 4, corporate},
		{"private-office", "Private office", 6, corporate},
	}},
}

// Teams is the demonstration hierarchy, as an import takes it: the department, its directorates
// (whose headcount is their teams') and their teams.
func Teams() []hierarchy.Team {
	out := []hierarchy.Team{{Line: 1, Key: DepartmentKey, Name: departmentName}}
	for _, d := range directorates {
		sum := 0
		for _, u := range d.teams {
			sum += u.headcount
		}
		out = append(out, hierarchy.Team{Line: len(out) + 1, Key: d.key, Name: d.name, Parent: DepartmentKey, Headcount: &sum})
		for _, u := range d.teams {
			out = append(out, hierarchy.Team{Line: len(out) + 1, Key: u.key, Name: u.name, Parent: d.key, Headcount: &u.headcount})
		}
	}
	return out
}

// profile is a kind of team's traits in the current wave, and how readily its people answer.
type profile struct {
	traits Traits
	rate   float64 // the share of the team that answers, before each team's own variation
}

// Dimension and option keys of the shipped survey the profiles name.
const (
	dimPolicy    = "policy-engagement"
	dimALB       = "arms-length-bodies"
	dimCampaigns = "campaigns"
	dimCulture   = "culture"
	dimCareers   = "careers"
	roleQuestion = "role-type"
	workQuestion = "team-work"
	groupMain    = "mainstream"
	groupSpec    = "specialist"
	roleSpec     = "specialist"
	roleNon      = "non-specialist"
)

func roles(specialists float64) map[string]float64 {
	return map[string]float64{roleSpec: specialists, roleNon: 1 - specialists}
}

func work(policy, albs, campaigns float64) map[string]float64 {
	return map[string]float64{"policy": policy, "arms-length-bodies": albs, "campaigns": campaigns}
}

func skills(specMain, specSpec, nonMain, nonSpec float64) map[string]map[string]float64 {
	return map[string]map[string]float64{
		roleSpec: {groupMain: specMain, groupSpec: specSpec},
		roleNon:  {groupMain: nonMain, groupSpec: nonSpec},
	}
}

// profiles are the kinds' traits. Levels run 0 (aspiration) to 1 (reality); proficiency 0 (none)
// to 1 (expert), so 0.5 is "working", what a non-specialist needs of a mainstream skill.
var profiles = map[kind]profile{
	specialist: {rate: 0.72, traits: Traits{Maturity: 0.6, Target: 0.88,
		Dimensions:  map[string]float64{dimCampaigns: 0.62, dimCareers: 0.48},
		Choices:     map[string]map[string]float64{roleQuestion: roles(0.8), workQuestion: work(0.3, 0.2, 0.55)},
		Proficiency: skills(0.82, 0.75, 0.58, 0.35)}},
	communications: {rate: 0.68, traits: Traits{Maturity: 0.5, Target: 0.85,
		Dimensions:  map[string]float64{dimCampaigns: 0.55, dimCareers: 0.42},
		Choices:     map[string]map[string]float64{roleQuestion: roles(0.4), workQuestion: work(0.3, 0.3, 0.85)},
		Proficiency: skills(0.78, 0.6, 0.52, 0.25)}},
	policy: {rate: 0.6, traits: Traits{Maturity: 0.32, Target: 0.75,
		Dimensions:  map[string]float64{dimPolicy: 0.36, dimCampaigns: 0.28},
		Choices:     map[string]map[string]float64{roleQuestion: roles(0.05), workQuestion: work(0.92, 0.3, 0.15)},
		Proficiency: skills(0.72, 0.55, 0.32, 0.14)}},
	partnerships: {rate: 0.55, traits: Traits{Maturity: 0.34, Target: 0.74,
		Dimensions:  map[string]float64{dimALB: 0.4, dimPolicy: 0.3},
		Choices:     map[string]map[string]float64{roleQuestion: roles(0.06), workQuestion: work(0.35, 0.88, 0.2)},
		Proficiency: skills(0.72, 0.5, 0.34, 0.14)}},
	corporate: {rate: 0.58, traits: Traits{Maturity: 0.27, Target: 0.7,
		Dimensions:  map[string]float64{dimCulture: 0.32},
		Choices:     map[string]map[string]float64{roleQuestion: roles(0.04), workQuestion: work(0.1, 0.12, 0.08)},
		Proficiency: skills(0.7, 0.5, 0.3, 0.12)}},
}

// focus is a focus area one team chose after the second wave, with what it would do.
type focus struct {
	team, dimension, note string
}

// focusAreas are chosen after the second wave; in the current wave each team has moved in its
// dimension by focusEffect more than the department's drift.
var focusAreas = []focus{
	{"housing-policy", dimPolicy, "Plan online engagement into every new policy from the start, with help from digital communications."},
	{"communities-policy", dimPolicy, "Run an online workshop before each formal consultation, and write up who took part."},
	{"regions-north", dimALB, "A shared calendar of announcements with the agencies we sponsor, reviewed monthly."},
	{"alb-sponsorship", dimALB, "Agree shared standards for websites and social media with each arm's-length body."},
	{"press-office", dimCulture, "Show work in progress at a fortnightly session open to policy teams."},
	{"finance", dimCulture, "Invite digital colleagues into planning the new budgeting process from the start."},
}

// focusEffect is how far, 0 to 1, a team's level in its focus area rises by the current wave,
// beyond the drift every team has.
const focusEffect = 0.2

// drift is how far every team's levels rise from one wave to the next: slow progress.
const drift = 0.04

// teamPlan is one team's traits in the current wave and how many of its people answer.
type teamPlan struct {
	key       string
	headcount int
	traits    Traits
	weight    float64 // headcount × the team's response rate
}

// plans draws each team's own variation around its kind's profile.
func plans(r *rand.Rand) []teamPlan {
	var out []teamPlan
	for _, d := range directorates {
		for _, u := range d.teams {
			p := profiles[u.kind]
			t := p.traits
			shift := r.NormFloat64() * 0.05
			t.Maturity = clamp(t.Maturity+shift, 0, 1)
			t.Dimensions = shifted(t.Dimensions, shift)
			rate := clamp(p.rate+r.NormFloat64()*0.06, 0.35, 0.8)
			out = append(out, teamPlan{key: u.key, headcount: u.headcount, traits: t, weight: float64(u.headcount) * rate})
		}
	}
	return out
}

// shifted is levels each moved by d (a new map: the profiles' are shared).
func shifted(levels map[string]float64, d float64) map[string]float64 {
	out := make(map[string]float64, len(levels))
	for k, v := range levels {
		out[k] = clamp(v+d, 0, 1)
	}
	return out
}

// earlier is the traits of a team the given number of waves before the current one: every level
// and proficiency lower by the drift, its focus area (if any) lower by the focus effect as well,
// and its target where it was.
func earlier(t Traits, wavesBefore int, focusOn string) Traits {
	d := drift * float64(wavesBefore)
	out := t
	out.Maturity = clamp(t.Maturity-d, 0, 1)
	out.Dimensions = shifted(t.Dimensions, -d)
	out.Proficiency = map[string]map[string]float64{}
	for role, groups := range t.Proficiency {
		out.Proficiency[role] = shifted(groups, -d)
	}
	if focusOn != "" && wavesBefore > 0 {
		out.Dimensions[focusOn] = clamp(out.in(focusOn)-focusEffect, 0, 1)
	}
	return out
}
