package report

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"

	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// Loading a wave's tallies into the tree: each loader gathers its rows at the node of the team they
// are for, then the nodes' parts are rolled up the hierarchy, whole subtrees at a time.

// load reads a wave's aggregates into the tree: the score counts it is given, and the item sums,
// read meanwhile, with any more loaders given (distributions, a breakdown's cells).
func (tr *tree) load(ctx context.Context, src Source, waveID uint, counts []store.ScoreCount, more ...func(s *sums) error) error {
	loaders := append([]func(s *sums) error{
		func(s *sums) error {
			for _, c := range counts {
				if p := s.at(c.TeamID, "", c.Dimension); p != nil {
					p.addScore(c.Score, c.N)
					p.addGapAndTotals(c)
				}
			}
			return nil
		},
		func(s *sums) error {
			return src.EachItemSum(ctx, waveID, func(it store.ItemSum) {
				if p := s.at(it.TeamID, "", it.Question); p != nil {
					p.addItem(it)
				}
			})
		}}, more...)
	return tr.loadTogether(loaders...)
}

// loadTogether runs loaders side by side, each gathering its rows in sums of its own (each reads
// on a reader connection of its own, and the database's readers run in parallel), then keeps
// them as the nodes' own parts, one after another. Loaders must make parts of different keys.
func (tr *tree) loadTogether(loaders ...func(s *sums) error) error {
	all := make([]*sums, len(loaders))
	errs := make([]error, len(loaders))
	var wg sync.WaitGroup
	for i, load := range loaders {
		all[i] = tr.newSums()
		wg.Go(func() { errs[i] = load(all[i]) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, s := range all {
		s.keep()
	}
	return nil
}

// loadTexts reads the free-text answers into the tree, for a report that shows comments.
func (tr *tree) loadTexts(ctx context.Context, src Source, waveID uint) error {
	texts, err := src.Texts(ctx, waveID)
	if err != nil {
		return err
	}
	s := tr.newSums()
	for _, t := range texts {
		if p := s.at(t.TeamID, "", t.Question); p != nil {
			text := p.get(kindText)
			text.Count++
			text.Texts = append(text.Texts, t.Text)
		}
	}
	s.keep()
	return nil
}

// breakdown is how a report reads a breakdown question's cells. Where everyone answers the
// question (required, never hidden, no "don't know"), its last option is worked out as the group's
// figures less the other options', and is not read; the cells of the roles question take their
// skills from the group's, which count them by role.
type breakdown struct {
	question string
	options  []survey.Option
	derived  string   // the option worked out, "" for none
	read     []string // the options read: every one but the one worked out
	byRole   bool
	// totalsOnly reads how many answered each cell's figures and nothing more (an open wave's
	// cells are recorded, not shown), summed in the database.
	totalsOnly bool
}

// newBreakdown reads a breakdown question. rows counts each option's tally rows, where known: the
// option with the most is the one worked out (of equals, the later; knowing none, the last).
func newBreakdown(def *survey.Definition, question string, totalsOnly bool, rows map[string]int) breakdown {
	q, _ := def.Question(question)
	b := breakdown{question: question, options: q.Options, byRole: def.Roles != nil && def.Roles.Question == question,
		totalsOnly: totalsOnly}
	if everyoneAnswers(q) && len(q.Options) > 1 {
		most := -1
		for _, o := range q.Options {
			if rows[o.Key] >= most {
				b.derived, most = o.Key, rows[o.Key]
			}
		}
	}
	b.read = []string{}
	for _, o := range q.Options {
		if o.Key != b.derived {
			b.read = append(b.read, o.Key)
		}
	}
	return b
}

// loaders read the breakdown's counts and gap sums, and beside them its skills, into sums (with
// totalsOnly, the counts alone).
func (b breakdown) loaders(ctx context.Context, src Source, waveID uint) []func(s *sums) error {
	fail := func(err error) error {
		if err != nil {
			return fmt.Errorf("breakdown by %s: %w", b.question, err)
		}
		return nil
	}
	if b.totalsOnly {
		return b.totalLoaders(ctx, src, waveID, fail)
	}
	loaders := []func(s *sums) error{func(s *sums) error {
		cell := cellNames(b.question)
		return fail(src.EachCellCount(ctx, waveID, b.question, b.read, func(r store.CellCount) {
			if p := s.at(r.TeamID, cell(r.Option), r.Dimension); p != nil {
				p.addScore(r.Score, r.N)
				if r.GapN > 0 {
					p.addGap(Gap{Respondents: r.GapN, N: r.GapN, Aspiration: r.Aspiration, Reality: r.Reality})
				}
			}
		}))
	}}
	if !b.byRole {
		loaders = append(loaders, func(s *sums) error {
			cell := cellNames(b.question)
			return fail(src.EachCellSkill(ctx, waveID, b.question, b.read, func(c store.CellSkill) {
				if p := s.at(c.TeamID, cell(c.Option), c.Skill); p != nil {
					p.addSkill(c.Role, c.Level, c.N)
				}
			}))
		})
	}
	return loaders
}

// totalLoaders read the cells' totals alone (see loaders).
func (b breakdown) totalLoaders(ctx context.Context, src Source, waveID uint, fail func(error) error) []func(s *sums) error {
	loaders := []func(s *sums) error{func(s *sums) error {
		cell := cellNames(b.question)
		return fail(src.EachCellTotal(ctx, waveID, b.question, b.derived, func(r store.CellTotal) {
			p := s.at(r.TeamID, cell(r.Option), r.Dimension)
			if p == nil {
				return
			}
			if r.Dimension == "" {
				p.get(kindResponses).Count += r.N
				if r.Scored > 0 {
					p.get(kindOverall).Count += r.Scored
				}
			} else if r.Scored > 0 {
				p.get(kindDim).Count += r.Scored
			}
			if r.GapN > 0 {
				p.addGap(Gap{Respondents: r.GapN, N: r.GapN})
			}
		}))
	}}
	if !b.byRole {
		loaders = append(loaders, func(s *sums) error {
			cell := cellNames(b.question)
			return fail(src.EachCellSkillTotal(ctx, waveID, b.question, b.derived, func(c store.CellSkillTotal) {
				if p := s.at(c.TeamID, cell(c.Option), c.Skill); p != nil {
					p.get(kindSkill).Count += c.N
				}
			}))
		})
	}
	return loaders
}

// complete makes the cells not read, once the group's parts and the cells read are in tr.own.
func (b breakdown) complete(tr *tree) {
	if b.byRole {
		tr.cellSkillsByRole(b.question, b.options)
	}
	if b.derived != "" {
		tr.deriveCell(b)
	}
}

// everyoneAnswers says whether every response answers a choice question with one of its options.
func everyoneAnswers(q *survey.Question) bool {
	return q != nil && q.Required && q.ShowIf == nil && !q.DontKnow
}

// cellSkillsByRole gives each cell of the roles question its skills: the group's respondents of
// that role, as the item tallies count them.
func (tr *tree) cellSkillsByRole(question string, options []survey.Option) {
	for _, own := range tr.own {
		for key, p := range own {
			if !strings.HasPrefix(key, skillKey("")) || p.Skills == nil {
				continue
			}
			for _, o := range options {
				levels := p.Skills[o.Key]
				if len(levels) == 0 {
					continue
				}
				c := &part{Skills: map[string]map[int]int{o.Key: maps.Clone(levels)}}
				for _, n := range levels {
					c.Count += n
				}
				own[cellKey(cellOf(question, o.Key), key)] = c
			}
		}
	}
}

// deriveCell works out, at each node, the derived option's cells: the group's own part less the
// other options' own parts, in every family a breakdown splits (the skills too, unless the roles
// question's cells have them already).
func (tr *tree) deriveCell(b breakdown) {
	question, options, derived, byRole := b.question, b.options, b.derived, b.byRole
	for _, own := range tr.own {
		var derivedParts map[string]*part
		for key, group := range own {
			if !splits(key) || byRole && strings.HasPrefix(key, skillKey("")) {
				continue
			}
			rest := &part{Count: group.Count} // with totalsOnly, counts alone
			if !b.totalsOnly {
				rest = group.clone()
			}
			for _, o := range options {
				c := own[cellKey(cellOf(question, o.Key), key)]
				switch {
				case o.Key == derived || c == nil:
				case b.totalsOnly:
					rest.Count -= c.Count
				default:
					rest.minus(c)
				}
			}
			if rest.Count > 0 {
				if derivedParts == nil {
					derivedParts = map[string]*part{}
				}
				derivedParts[cellKey(cellOf(question, derived), key)] = rest
			}
		}
		for key, p := range derivedParts {
			own[key] = p
		}
	}
}

// cellNames names the cells of a breakdown question (cellOf), each name made once.
func cellNames(question string) func(option string) string {
	names := map[string]string{}
	return func(option string) string {
		name, ok := names[option]
		if !ok {
			name = cellOf(question, option)
			names[option] = name
		}
		return name
	}
}

// sums gathers one loader's rows at the node of the team each is for, then rolls them up the
// hierarchy, each node's whole subtree into its parent, deepest first: far fewer additions than
// adding every row to every node above it.
type sums struct {
	tr  *tree
	own []map[string]*part
	// last is where the last row went: rows come sorted by team and by what they count, so it is
	// usually where the next one goes, and no key is built for it.
	last *nodeParts
}

// nodeParts are the parts of one node about one thing: a dimension ("" for overall) or question,
// within a breakdown cell or not. Their keys are built once, when first used.
type nodeParts struct {
	node       int
	cell, word string
	own        map[string]*part
	parts      [kinds]*part
}

// The kinds of part about one dimension or question (see the key functions).
const (
	kindResponses = iota // keyResponses, overall only
	kindOverall          // keyOverall, overall only
	kindDim
	kindGap
	kindAlpha
	kindItem
	kindSkill
	kindText
	kinds
)

func (tr *tree) newSums() *sums {
	return &sums{tr: tr, own: make([]map[string]*part, len(tr.nodes))}
}

// at returns where a team's rows about word (a dimension or question) go, within a breakdown cell
// ("" for none); nil for a team outside the tree.
func (s *sums) at(teamID uint, cell, word string) *nodeParts {
	up := s.tr.up[teamID]
	if len(up) == 0 {
		return nil
	}
	i := up[0] // the team's own node
	if l := s.last; l != nil && l.node == i && l.cell == cell && l.word == word {
		return l
	}
	if s.own[i] == nil {
		s.own[i] = map[string]*part{}
	}
	s.last = &nodeParts{node: i, cell: cell, word: word, own: s.own[i]}
	return s.last
}

// get returns the part of a kind, making it where there is none.
func (np *nodeParts) get(kind int) *part {
	if p := np.parts[kind]; p != nil {
		return p
	}
	var key string
	switch kind {
	case kindResponses:
		key = keyResponses
	case kindOverall:
		key = keyOverall
	case kindDim:
		key = dimKey(np.word)
	case kindGap:
		key = gapKey(np.word)
	case kindAlpha:
		key = alphaKey(np.word)
	case kindItem:
		key = itemKey(np.word)
	case kindSkill:
		key = skillKey(np.word)
	case kindText:
		key = textKey(np.word)
	}
	if np.cell != "" {
		key = cellKey(np.cell, key)
	}
	p := np.own[key]
	if p == nil {
		p = &part{}
		np.own[key] = p
	}
	np.parts[kind] = p
	return p
}

// keep makes the rows gathered the nodes' own parts (see tree.own).
func (s *sums) keep() {
	for i, own := range s.own {
		if own == nil {
			continue
		}
		if s.tr.own[i] == nil {
			s.tr.own[i] = own
			continue
		}
		for key, p := range own {
			s.tr.own[i][key] = p
		}
	}
}

// rollUp makes each node's parts the sum of its subtree's own parts (own, one map per node),
// leaving own as it is. Parents come before their children in tr.nodes, so going backwards every
// node's subtree is complete before it is added to its parent.
func (tr *tree) rollUp(own []map[string]*part) {
	for i, n := range tr.nodes {
		n.parts = make(map[string]*part, len(own[i]))
		for key, p := range own[i] {
			n.parts[key] = p.clone()
		}
	}
	for i := len(tr.nodes) - 1; i >= 0; i-- {
		parent := tr.nodes[i].parent
		if parent < 0 {
			continue
		}
		into := tr.nodes[parent].parts
		for key, p := range tr.nodes[i].parts {
			sum := into[key]
			if sum == nil {
				sum = &part{}
				into[key] = sum
			}
			sum.merge(p)
		}
	}
}

// subtreeCounts is, per node, how many answers each part of its subtree's own parts rests on.
func (tr *tree) subtreeCounts(own []map[string]*part) []map[string]int {
	counts := make([]map[string]int, len(tr.nodes))
	for i := range tr.nodes {
		counts[i] = make(map[string]int, len(own[i]))
		for key, p := range own[i] {
			counts[i][key] = p.Count
		}
	}
	for i := len(tr.nodes) - 1; i >= 0; i-- {
		if parent := tr.nodes[i].parent; parent >= 0 {
			for key, c := range counts[i] {
				counts[parent][key] += c
			}
		}
	}
	return counts
}

// clone is a copy of p that shares nothing with it.
func (p *part) clone() *part {
	c := &part{}
	c.merge(p)
	return c
}

// minus takes from p a part of the same family that p's answers include (a breakdown cell's
// from its group's): counts, score histogram, gap sums and skill levels.
func (p *part) minus(o *part) {
	p.Count -= o.Count
	p.scores = p.scores.minus(o.scores)
	p.Gap.Respondents -= o.Gap.Respondents
	p.Gap.N -= o.Gap.N
	p.Gap.Aspiration -= o.Gap.Aspiration
	p.Gap.Reality -= o.Gap.Reality
	for role, levels := range o.Skills {
		for lvl, c := range levels {
			if p.Skills[role][lvl] -= c; p.Skills[role][lvl] == 0 {
				delete(p.Skills[role], lvl)
			}
		}
		if len(p.Skills[role]) == 0 {
			delete(p.Skills, role)
		}
	}
}

// merge adds another part of the same family to p.
func (p *part) merge(o *part) {
	p.Count += o.Count
	p.scores = p.scores.plus(o.scores)
	p.Gap.Respondents += o.Gap.Respondents
	p.Gap.N += o.Gap.N
	p.Gap.Aspiration += o.Gap.Aspiration
	p.Gap.Reality += o.Gap.Reality
	p.Items[0].add(o.Items[0])
	p.Items[1].add(o.Items[1])
	p.Sums.add(o.Sums)
	for role, levels := range o.Skills {
		if p.Skills == nil {
			p.Skills = map[string]map[int]int{}
		}
		if p.Skills[role] == nil {
			p.Skills[role] = map[int]int{}
		}
		for lvl, c := range levels {
			p.Skills[role][lvl] += c
		}
	}
	p.Texts = append(p.Texts, o.Texts...)
}

// addScore adds a count of one score of the dimension ("" for the overall score, where a nil score
// is a response without one: it still counts as a response).
func (np *nodeParts) addScore(score *float64, c int) {
	if np.word == "" {
		np.get(kindResponses).Count += c
		if score != nil {
			np.get(kindOverall).addScore(*score, c)
		}
		return
	}
	if score != nil {
		np.get(kindDim).addScore(*score, c)
	}
}

// addGapAndTotals adds the gap sums of a score count, and the totals of its complete responses.
func (np *nodeParts) addGapAndTotals(c store.ScoreCount) {
	if c.GapN > 0 {
		np.addGap(Gap{Respondents: c.GapN, N: c.GapN, Aspiration: c.Aspiration, Reality: c.Reality})
	}
	if c.CompleteN > 0 {
		p := np.get(kindAlpha)
		p.Count += c.CompleteN
		p.Sums.add(Moments{N: c.CompleteN, Sum: c.Total, SumSq: c.TotalSq})
	}
}

// addGap adds gap sums of the dimension ("" for overall).
func (np *nodeParts) addGap(g Gap) {
	p := np.get(kindGap)
	p.Count += g.Respondents
	p.Gap.Respondents += g.Respondents
	p.Gap.N += g.N
	p.Gap.Aspiration += g.Aspiration
	p.Gap.Reality += g.Reality
}

// addItem adds one row of item sums: to the question's moments, and to its skill levels when it
// is a proficiency question.
func (np *nodeParts) addItem(it store.ItemSum) {
	m := Moments{N: it.N, Sum: it.Sum, SumSq: it.SumSq}
	p := np.get(kindItem)
	p.Count += it.N
	p.Items[0].add(m)
	if it.Complete {
		p.Items[1].add(m)
	}
	if it.Level != nil {
		np.addSkill(it.Role, *it.Level, it.N)
	}
}

// addSkill counts respondents of a role at a level of the proficiency question.
func (np *nodeParts) addSkill(role string, level, c int) {
	s := np.get(kindSkill)
	s.Count += c
	if s.Skills == nil {
		s.Skills = map[string]map[int]int{}
	}
	if s.Skills[role] == nil {
		s.Skills[role] = map[int]int{}
	}
	s.Skills[role][level] += c
}
