package report

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"skillsurvey/internal/scoring"
	"skillsurvey/internal/stats"
	"skillsurvey/internal/store"
	"skillsurvey/internal/suppression"
	"skillsurvey/internal/survey"
)

// Request says which figures a report holds.
type Request struct {
	// Level is team, directorate, department or all (the default).
	Level string
	// Breakdown is a breakdown question's key, or empty for none.
	Breakdown string
	// Comments asks for the free-text answers of groups at or above the comment threshold.
	Comments bool
}

// ErrBadRequest marks a request the report cannot answer, such as an unknown breakdown question.
type ErrBadRequest struct{ Field, Message string }

func (e *ErrBadRequest) Error() string { return e.Field + ": " + e.Message }

// Build computes a wave's report from its current stored scores as a closed wave's that
// published nothing while open: no stepped refresh and no cache; roll-ups, statistics and
// suppression. Service.Report is what the API serves.
func Build(ctx context.Context, src Source, w store.Wave, def *survey.Definition, req Request, now time.Time) (*Report, error) {
	if err := checkRequest(def, req); err != nil {
		return nil, err
	}
	tr, options, err := current(ctx, src, w, def, req, false)
	if err != nil {
		return nil, err
	}
	tr.rollUp(tr.own)
	tr.addOthers()
	return suppressed(def, tr, w, req, options, false).render(w, req, now), nil
}

// suppressed is a builder over a loaded tree with its suppression decided; open for the figures
// an open wave publishes (no breakdown cells, no distributions).
func suppressed(def *survey.Definition, tr *tree, w store.Wave, req Request, options []survey.Option, open bool) *builder {
	b := &builder{def: def, tree: tr, k: w.Threshold, breakdown: req.Breakdown, options: options, open: open}
	b.suppress()
	return b
}

func checkRequest(def *survey.Definition, req Request) error {
	switch req.Level {
	case "", "all", LevelTeam, LevelDirectorate, LevelDepartment:
	default:
		return &ErrBadRequest{"level", fmt.Sprintf("%q is not a level: use team, directorate, department or all", req.Level)}
	}
	if req.Breakdown == "" {
		return nil
	}
	q, ok := def.Question(req.Breakdown)
	if !ok || !q.Breakdown {
		var keys []string
		for _, q := range def.Questions() {
			if q.Breakdown {
				keys = append(keys, q.Key)
			}
		}
		return &ErrBadRequest{"breakdown", fmt.Sprintf("%q is not a breakdown question of this survey; use one of %v", req.Breakdown, keys)}
	}
	return nil
}

// builder holds one report's tree and which of its figures may be shown.
type builder struct {
	def       *survey.Definition
	tree      *tree
	k         int
	breakdown string
	options   []survey.Option
	groups    suppression.Shown
	shown     map[string]suppression.Shown // per family: "overall", "dim:<key>", "gap:<key>", "item:<q>", ...
	// open marks an open wave's figures: no breakdown cells nor distributions until it closes.
	open bool
	// t keeps the quantiles of Student's t the report's confidence intervals use.
	t stats.TQuantiles
	// cellKeys are, per family, its parts' keys in each option's cell (cellKeysOf), made once
	// rather than for every group and option.
	cellKeys map[string][]string
}

// cellKeysOf names a family's part in each option's cell of the breakdown.
func (b *builder) cellKeysOf(family string) []string {
	if keys, ok := b.cellKeys[family]; ok {
		return keys
	}
	keys := make([]string, len(b.options))
	for o, opt := range b.options {
		keys[o] = cellKey(cellOf(b.breakdown, opt.Key), family)
	}
	return keys
}

func (b *builder) parents() []int {
	p := make([]int, len(b.tree.nodes))
	for i, n := range b.tree.nodes {
		p[i] = n.parent
	}
	return p
}

// suppress decides, family by family, which figures may be shown. Groups come first; every other
// family is decided within the groups shown. An open wave's figures are sums of blocks of at
// least the threshold (see publish) and show no breakdown; a closed wave's are decided with what
// it published while open (suppression.Final), and where a final figure may not be shown, the one
// last published is.
func (b *builder) suppress() {
	parents := b.parents()
	b.shown = map[string]suppression.Shown{}
	// Kept for rendering, which may run on several requests at once: made here, only read after.
	b.cellKeys = map[string][]string{keyResponses: b.cellKeysOf(keyResponses)}
	for _, f := range b.families() {
		b.cellKeys[f.key] = b.cellKeysOf(f.key)
	}
	if b.open {
		b.groups = suppression.Suppress(b.table(parents, keyResponses, false), b.k, nil)
		for _, f := range b.families() {
			b.shown[f.key] = suppression.Suppress(b.table(parents, f.key, false), f.threshold, &b.groups)
		}
		return
	}
	b.groups = b.final(parents, family{keyResponses, b.k, true}, nil)
	for _, f := range b.families() {
		b.shown[f.key] = b.final(parents, f, &b.groups)
	}
	b.suppressDistributions(parents)
	b.showLive()
}

// table is a family's counts, split by the breakdown where cells is set and there is one.
func (b *builder) table(parents []int, family string, cells bool) suppression.Table {
	t := suppression.Table{Parent: parents, Total: make([]int, len(parents))}
	if cells && len(b.options) > 0 {
		t.Cells = make([][]int, len(parents))
	}
	keys := b.cellKeysOf(family)
	for i, n := range b.tree.nodes {
		t.Total[i] = n.count(family)
		if t.Cells == nil {
			continue
		}
		t.Cells[i] = make([]int, len(b.options))
		for o, key := range keys {
			t.Cells[i][o] = n.count(key)
		}
	}
	return t
}

// final decides a closed wave's family: first without the breakdown, as the plain report does,
// then, with the totals that shows known, its cells; so a breakdown report never withholds a total
// the plain report of the same moment shows, nor lets it be used to work out a cell. The cells are
// checked against every publication of each team's answers while the wave was open.
func (b *builder) final(parents []int, f family, within *suppression.Shown) suppression.Shown {
	plain := suppression.Final(b.table(parents, f.key, false), b.live(f.key), f.threshold, within)
	if !f.cells || len(b.options) == 0 {
		return plain
	}
	t := b.table(parents, f.key, true)
	t.Known = plain.Node
	in := suppression.Shown{Node: plain.Node, NodeWhy: plain.NodeWhy}
	if within != nil {
		in.Cell, in.CellWhy = within.Cell, within.CellWhy
	}
	return suppression.FinalMoves(t, b.moves(f.key), f.threshold, &in)
}

// live is what a family published while the wave was open: each node's own answers as last
// published.
func (b *builder) live(family string) suppression.Live {
	l := suppression.Live{Own: make([]int, len(b.tree.nodes))}
	for i := range b.tree.live {
		if p := b.tree.live[i][family]; p != nil {
			l.Own[i] = p.Count
		}
	}
	return l
}

// moves is every publication of each node's own answers in a family while the wave was open, with
// how they split over the breakdown's options.
func (b *builder) moves(family string) [][]suppression.Move {
	moves := make([][]suppression.Move, len(b.tree.nodes))
	keys := b.cellKeysOf(family)
	for i := range b.tree.liveMoves {
		for _, m := range b.tree.liveMoves[i][family] {
			cells := make([]int, len(b.options))
			for o, key := range keys {
				cells[o] = m.Cells[key]
			}
			moves[i] = append(moves[i], suppression.Move{Own: m.Own, Cells: cells})
		}
	}
	return moves
}

// showLive shows, where a closed wave's final figure may not be shown, the figure last published
// while it was open (which its readers had), and counts in each group the answers its response
// count then leaves out. Its breakdown cells stay withheld: they would show the answers left out.
func (b *builder) showLive() {
	for i, n := range b.tree.nodes {
		answered := n.count(keyResponses)
		show := func(s suppression.Shown, family string) {
			if s.Node[i] || n.liveParts[family] == nil || n.liveParts[family].Count == 0 {
				return
			}
			n.parts[family], s.Node[i], s.NodeWhy[i] = n.liveParts[family], true, ""
		}
		show(b.groups, keyResponses)
		for family, s := range b.shown {
			show(s, family)
		}
		if b.groups.Node[i] {
			n.notShown = answered - n.count(keyResponses)
		}
	}
}

// commentThreshold is the smallest group whose comments may be shown: twice the threshold.
func commentThreshold(k int) int { return 2 * k }

// family is one kind of figure, suppressed on its own counts.
type family struct {
	key       string
	threshold int
	cells     bool // split by the breakdown too
}

// families lists every family of figures. Those a breakdown cell shows too (the scores, their gaps
// and the skills) are split by the breakdown.
func (b *builder) families() []family {
	fs := []family{{key: keyOverall, threshold: b.k, cells: true}, {key: gapKey(""), threshold: b.k, cells: true}}
	for _, dim := range b.def.Dimensions {
		fs = append(fs, family{dimKey(dim.Key), b.k, true}, family{gapKey(dim.Key), b.k, true}, family{alphaKey(dim.Key), b.k, false})
	}
	for _, q := range b.def.Questions() {
		if q.Scored() {
			fs = append(fs, family{itemKey(q.Key), b.k, false})
		}
		switch q.Type {
		case survey.TypeProficiency:
			fs = append(fs, family{skillKey(q.Key), b.k, true})
		case survey.TypeText:
			// Comments need twice the threshold: a sentence says more about its writer than a score.
			fs = append(fs, family{textKey(q.Key), commentThreshold(b.k), false})
		}
	}
	return fs
}

func (b *builder) nodeShown(family string, i int) bool {
	s, ok := b.shown[family]
	return ok && s.Node[i]
}

// why says why node i's figure of a family is withheld.
func (b *builder) why(family string, i int) string {
	s, ok := b.shown[family]
	if !ok {
		return ReasonSmall
	}
	return b.waiting(s.NodeWhy[i], b.tree.nodes[i].parts[family])
}

// waiting tells a part not yet published in an open wave (its reason small, as it shows
// nothing) from one too few answered.
func (b *builder) waiting(r suppression.Reason, p *part) string {
	if r == suppression.Small && p != nil && p.Waiting {
		return ReasonWaiting
	}
	return string(r)
}

// render writes the groups of the requested level, withheld ones without figures.
func (b *builder) render(w store.Wave, req Request, now time.Time) *Report {
	rep := b.header(w, req, now)
	for i, n := range b.tree.nodes {
		if req.Level != "" && req.Level != "all" && req.Level != n.level {
			continue
		}
		g := Group{Key: n.team.Key, Name: n.team.Name, Level: n.level}
		if n.parent >= 0 {
			g.Parent = &b.tree.nodes[n.parent].team.Key
		}
		if !b.groups.Node[i] {
			g.Withheld, g.Reason = true, b.waiting(b.groups.NodeWhy[i], n.parts[keyResponses])
			rep.Groups = append(rep.Groups, g)
			continue
		}
		b.count(&g, n)
		if !rep.Wave.ScoresAfterClosing {
			b.fill(&g, i, n)
		}
		rep.Groups = append(rep.Groups, g)
	}
	return rep
}

// scoresAfterClosing says whether a wave's scores wait for it to close: those of an open-mode
// wave, whose answers nobody verified (see WaveInfo.ScoresAfterClosing).
func scoresAfterClosing(w store.Wave, now time.Time) bool {
	return w.Mode == store.ModeOpen && w.State(now) == store.StateOpen
}

// count gives a shown group its response count, the answers its figures leave out, and its
// response rate; where the responses outnumber the headcount, the headcount is flagged as
// outdated instead of giving a rate over 100%.
func (b *builder) count(g *Group, n *node) {
	responses := n.count(keyResponses)
	g.N = &responses
	if n.notShown > 0 {
		notShown := n.notShown
		g.NotShown = &notShown
	}
	if h := n.team.Headcount; h != nil && *h > 0 {
		g.Headcount = h
		if responses > *h {
			g.HeadcountOutdated = true
			return
		}
		rate := Ratio(float64(responses) / float64(*h))
		g.ResponseRate = &rate
	}
}

// fill gives a shown group its figures: overall, dimensions, skills, comments and breakdown cells.
func (b *builder) fill(g *Group, i int, n *node) {
	g.Overall = b.figures(i, keyOverall, "")
	g.Dimensions = map[string]*Figures{}
	for _, dim := range b.def.Dimensions {
		g.Dimensions[dim.Key] = b.figures(i, dimKey(dim.Key), dim.Key)
	}
	g.Skills = b.skills(i, n)
	g.Comments = b.comments(i, n)
	g.Cells = b.cells(i, n)
	g.Distributions = b.distributions(i)
}

// figures computes one figure set of node i, or marks it withheld. dim is empty for the overall score.
func (b *builder) figures(i int, family string, dim string) *Figures {
	if !b.nodeShown(family, i) {
		return &Figures{Withheld: true, Reason: b.why(family, i)}
	}
	n := b.tree.nodes[i]
	f := summariseWith(b.def, n.parts[family].scores, &b.t)
	if b.nodeShown(gapKey(dim), i) {
		f.setGap(n.parts[gapKey(dim)].Gap)
	}
	if dim == "" {
		return f
	}
	if b.nodeShown(alphaKey(dim), i) {
		f.Alpha = alpha(b.def, dim, n)
	}
	f.PullingDown = pullingDown(b.def, dim, f.Mean, n, func(q string) bool { return b.nodeShown(itemKey(q), i) })
	f.Next = nextStep(b.def, dim, f.Stage, f.PullingDown)
	return f
}

func (b *builder) skills(i int, n *node) map[string]*SkillFigures {
	out := map[string]*SkillFigures{}
	for _, q := range b.def.Questions() {
		if q.Type != survey.TypeProficiency {
			continue
		}
		skill, _ := b.def.Skill(q.Skill)
		if !b.nodeShown(skillKey(q.Key), i) {
			out[skill.Key] = &SkillFigures{Withheld: true, Reason: b.why(skillKey(q.Key), i)}
			continue
		}
		out[skill.Key] = skillFigures(b.def, skill, n.parts[skillKey(q.Key)].Skills)
	}
	return out
}

// comments lists the free-text answers of node i where there are enough to show, shuffled so
// their order says nothing about when or by whom they were written.
func (b *builder) comments(i int, n *node) map[string][]string {
	out := map[string][]string{}
	for _, q := range b.def.Questions() {
		if q.Type != survey.TypeText || !b.nodeShown(textKey(q.Key), i) {
			continue
		}
		texts := append([]string(nil), n.parts[textKey(q.Key)].Texts...)
		rand.Shuffle(len(texts), func(a, c int) { texts[a], texts[c] = texts[c], texts[a] })
		out[q.Key] = texts
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// cells computes node i's breakdown cells.
func (b *builder) cells(i int, n *node) []Cell {
	var out []Cell
	for o, opt := range b.options {
		c := Cell{Option: opt.Key}
		if b.open { // breakdowns are published when the wave closes
			c.Withheld, c.Reason = true, ReasonWaiting
			out = append(out, c)
			continue
		}
		if !b.groups.Cell[i][o] {
			c.Withheld = true
			c.Reason = b.waiting(b.groups.CellWhy[i][o], n.parts[b.cellKeysOf(keyResponses)[o]])
			out = append(out, c)
			continue
		}
		count := n.count(b.cellKeysOf(keyResponses)[o])
		c.N = &count
		c.Overall = b.cellFigures(i, o, keyOverall, "")
		c.Dimensions = map[string]*Figures{}
		for _, dim := range b.def.Dimensions {
			c.Dimensions[dim.Key] = b.cellFigures(i, o, dimKey(dim.Key), dim.Key)
		}
		c.Skills = b.cellSkills(i, o)
		out = append(out, c)
	}
	return out
}

// cellShown says whether cell o of node i may show a family's figure, and if not, why.
func (b *builder) cellShown(i, o int, family string) (*part, bool, string) {
	p := b.tree.nodes[i].parts[b.cellKeysOf(family)[o]]
	s, ok := b.shown[family]
	switch {
	case !ok || s.Cell == nil:
		return p, false, ReasonSmall
	case !s.Cell[i][o]:
		return p, false, b.waiting(s.CellWhy[i][o], p)
	}
	return p, true, ""
}

// cellFigures computes a score's figures in cell o of node i, with its gap where that may be shown
// too (each a family of its own, as for the group). dim is empty for the overall score.
func (b *builder) cellFigures(i, o int, family, dim string) *Figures {
	p, shown, why := b.cellShown(i, o, family)
	if !shown {
		return &Figures{Withheld: true, Reason: why}
	}
	f := summariseWith(b.def, p.scores, &b.t)
	if g, shown, _ := b.cellShown(i, o, gapKey(dim)); shown {
		f.setGap(g.Gap)
	}
	return f
}

// cellSkills computes each skill's figures in cell o of node i.
func (b *builder) cellSkills(i, o int) map[string]*SkillFigures {
	out := map[string]*SkillFigures{}
	for _, q := range b.def.Questions() {
		if q.Type != survey.TypeProficiency {
			continue
		}
		skill, _ := b.def.Skill(q.Skill)
		p, shown, why := b.cellShown(i, o, skillKey(q.Key))
		if !shown {
			out[skill.Key] = &SkillFigures{Withheld: true, Reason: why}
			continue
		}
		out[skill.Key] = skillFigures(b.def, skill, p.Skills)
	}
	return out
}

func (b *builder) header(w store.Wave, req Request, now time.Time) *Report {
	level := req.Level
	if level == "" {
		level = "all"
	}
	rep := &Report{
		Wave: WaveInfo{Key: w.Key, Title: w.Title, Survey: b.def.ID, Version: b.def.Version, State: w.State(now),
			Mode: w.Mode, AnswersVerified: w.Mode != store.ModeOpen, ScoresAfterClosing: scoresAfterClosing(w, now),
			BreakdownsAfterClosing: b.open, ScoringRules: w.ScoringRules,
			Threshold: w.Threshold, CommentThreshold: commentThreshold(w.Threshold), OpensAt: w.OpensAt, ClosesAt: w.ClosesAt},
		Level:     level,
		Refreshed: now.UTC().Format("2006-01-02"),
		Groups:    []Group{},
		// Empty lists, not null, for a definition without skills (say).
		Dimensions: []Dimension{}, Stages: []Stage{}, Skills: []SkillInfo{},
		Distributions: distributionInfo(b.def),
	}
	for _, d := range b.def.Dimensions {
		rep.Dimensions = append(rep.Dimensions, Dimension{Key: d.Key, Title: d.Title,
			InOverall: d.CountsInOverall() || w.ScoringRules < int(scoring.RevisedRules)})
	}
	for _, s := range b.def.Scale.Stages {
		rep.Stages = append(rep.Stages, Stage{Key: s.Key, Label: s.Label, From: s.From, Description: s.Description})
	}
	for _, s := range b.def.Skills {
		rep.Skills = append(rep.Skills, SkillInfo{Key: s.Key, Title: s.Title, Group: s.Group})
	}
	for _, q := range b.def.Questions() {
		if q.Type == survey.TypeText {
			rep.CommentQuestions = append(rep.CommentQuestions, CommentQuestion{Question: q.Key, Text: q.Text})
		}
	}
	if len(b.options) > 0 {
		q, _ := b.def.Question(req.Breakdown)
		bd := &Breakdown{Question: q.Key, Text: q.Text}
		for _, o := range b.options {
			bd.Options = append(bd.Options, Option{Key: o.Key, Label: o.Label})
		}
		rep.Breakdown = bd
	}
	return rep
}
