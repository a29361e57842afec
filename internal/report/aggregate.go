package report

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"skillsurvey/internal/store"
)

// Source is what building a report needs from storage.
type Source interface {
	// WaveTeams is the wave's own hierarchy, frozen when it opened (store.WaveTeam).
	WaveTeams(ctx context.Context, waveID uint) ([]store.Team, error)
	ScoreCounts(ctx context.Context, waveID uint) ([]store.ScoreCount, error)
	// The Each methods hand over rows as they are read; a row is valid only during the call.
	EachItemSum(ctx context.Context, waveID uint, f func(store.ItemSum)) error
	EachCellCount(ctx context.Context, waveID uint, question string, f func(store.CellCount)) error
	CellGaps(ctx context.Context, waveID uint, question string) ([]store.CellGap, error)
	EachCellSkill(ctx context.Context, waveID uint, question string, f func(store.CellSkill)) error
	Distributions(ctx context.Context, waveID uint) ([]store.DistributionCount, error)
	Texts(ctx context.Context, waveID uint) ([]store.TeamText, error)
}

// Moments sums a quantity: count, sum and sum of squares.
type Moments struct {
	N          int
	Sum, SumSq float64
}

func (m *Moments) add(o Moments) { m.N += o.N; m.Sum += o.Sum; m.SumSq += o.SumSq }

// Gap sums both sides of the gap over aspiration-reality answers; Respondents counts the responses.
type Gap struct {
	Respondents, N      int
	Aspiration, Reality float64
}

// part is one family's aggregate in one group: a score histogram, gap sums, item moments, skill
// levels, texts, or just a count. Count is always how many responses the part rests on, which is
// what suppression and the stepped refresh compare with the threshold. Fields are exported for
// gob, which stores published parts between refreshes.
type part struct {
	Count  int
	Hist   map[float64]int // score value → responses; scores take few distinct values
	Gap    Gap
	Items  [2]Moments // all answers, and complete responses only (for Cronbach's alpha)
	Sums   Moments
	Skills map[string]map[int]int // role → proficiency level → responses
	Texts  []string
	// Waiting marks an open wave's part that has not been published yet and is not due: it shows
	// nothing until enough answers arrive.
	Waiting bool
}

// Keys of parts. A breakdown cell's part is cellKey(cellOf(question, option), family).
const (
	keyResponses = "responses"
	keyOverall   = "overall"
)

func dimKey(d string) string   { return "dim:" + d }
func gapKey(d string) string   { return "gap:" + d } // gapKey("") pools every dimension
func itemKey(q string) string  { return "item:" + q }
func alphaKey(d string) string { return "alpha:" + d }
func skillKey(q string) string { return "skill:" + q }
func textKey(q string) string  { return "text:" + q }

func cellKey(cell, family string) string { return "cell:" + cell + "|" + family }

// cellOf names a breakdown cell by its question and option, so the cells of different breakdowns
// never share a part.
func cellOf(question, option string) string { return question + "=" + option }

// node is one group with every part of its whole subtree.
type node struct {
	team   store.Team
	parent int
	level  string
	parts  map[string]*part
	// notShown counts a closed wave's answers in this group that its final figures leave out: fewer
	// than the threshold arrived after the figures last published while it was open.
	notShown int
}

// get returns the part under key, creating it empty.
func (n *node) get(key string) *part {
	p := n.parts[key]
	if p == nil {
		p = &part{}
		n.parts[key] = p
	}
	return p
}

// count is how many responses a part rests on, 0 when there is none.
func (n *node) count(key string) int {
	if p := n.parts[key]; p != nil {
		return p.Count
	}
	return 0
}

func (p *part) addScore(score float64, c int) {
	if p.Hist == nil {
		p.Hist = map[float64]int{}
	}
	p.Hist[score] += c
	p.Count += c
}

// tree is the hierarchy of a report, parents before children, with aggregates rolled up.
type tree struct {
	nodes []*node
	// up maps a team id to the indexes of the nodes whose subtree holds it.
	up map[uint][]int
}

// loadTree builds the wave's own hierarchy: every team active when it opened, and retired teams
// that hold responses.
func loadTree(ctx context.Context, src Source, waveID uint, withResponses map[uint]bool) (*tree, error) {
	teams, err := src.WaveTeams(ctx, waveID)
	if err != nil {
		return nil, err
	}
	ancestry := ancestryOf(teams)
	keep := map[uint]bool{}
	for _, t := range teams {
		if !t.Retired || withResponses[t.ID] {
			for _, a := range ancestry[t.ID] {
				keep[a] = true
			}
		}
	}
	var kept []store.Team
	for _, t := range teams {
		if keep[t.ID] {
			kept = append(kept, t)
		}
	}
	sort.Slice(kept, func(i, j int) bool {
		di, dj := len(ancestry[kept[i].ID]), len(ancestry[kept[j].ID])
		if di != dj {
			return di < dj
		}
		return kept[i].Key < kept[j].Key
	})
	tr := &tree{up: map[uint][]int{}}
	index := map[uint]int{}
	for i, t := range kept {
		n := &node{team: t, parent: -1, parts: map[string]*part{}}
		if t.ParentID != nil {
			n.parent = index[*t.ParentID]
		}
		n.level = levelOf(len(ancestry[t.ID]) - 1)
		index[t.ID] = i
		tr.nodes = append(tr.nodes, n)
	}
	for id, ancestors := range ancestry {
		for _, a := range ancestors {
			if i, ok := index[a]; ok {
				tr.up[id] = append(tr.up[id], i)
			}
		}
	}
	return tr, nil
}

// ancestryOf maps each team to itself and every team above it, nearest first.
func ancestryOf(teams []store.Team) map[uint][]uint {
	parent := make(map[uint]*uint, len(teams))
	for _, t := range teams {
		parent[t.ID] = t.ParentID
	}
	up := make(map[uint][]uint, len(teams))
	for _, t := range teams {
		for id := &t.ID; id != nil && len(up[t.ID]) <= len(teams); id = parent[*id] {
			up[t.ID] = append(up[t.ID], *id) // bounded: a stored hierarchy has no cycle, but a loop must not hang a report
		}
	}
	return up
}

func levelOf(depth int) string {
	switch depth {
	case 0:
		return LevelDepartment
	case 1:
		return LevelDirectorate
	}
	return LevelTeam
}

// load reads every aggregate of a wave into the tree: the score counts it is given, and the item
// sums and distributions, read meanwhile.
func (tr *tree) load(ctx context.Context, src Source, waveID uint, counts []store.ScoreCount) error {
	err := tr.loadTogether(
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
		},
		func(s *sums) error { return loadDistributions(ctx, src, waveID, s) })
	if err != nil {
		return err
	}
	tr.addOthers()
	return nil
}

// loadTogether runs loaders side by side, each gathering its rows in sums of its own (each reads
// on a reader connection of its own, and the database's readers run in parallel), then rolls them
// up the tree one after another. Loaders must make parts of different keys.
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
		s.rollUp()
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
	s.rollUp()
	return nil
}

// loadCells reads the breakdown counts, gap sums and skills into the tree, side by side.
func (tr *tree) loadCells(ctx context.Context, src Source, waveID uint, question string) error {
	err := tr.loadTogether(
		func(s *sums) error {
			cell := cellNames(question)
			return src.EachCellCount(ctx, waveID, question, func(r store.CellCount) {
				if p := s.at(r.TeamID, cell(r.Option), r.Dimension); p != nil {
					p.addScore(r.Score, r.N)
				}
			})
		},
		func(s *sums) error {
			gaps, err := src.CellGaps(ctx, waveID, question)
			cell := cellNames(question)
			for _, g := range gaps {
				if p := s.at(g.TeamID, cell(g.Option), g.Dimension); p != nil {
					p.addGap(Gap{Respondents: g.N, N: g.N, Aspiration: g.Aspiration, Reality: g.Reality})
				}
			}
			return err
		},
		func(s *sums) error {
			cell := cellNames(question)
			return src.EachCellSkill(ctx, waveID, question, func(c store.CellSkill) {
				if p := s.at(c.TeamID, cell(c.Option), c.Skill); p != nil {
					p.addSkill(c.Role, c.Level, c.N)
				}
			})
		})
	if err != nil {
		return fmt.Errorf("breakdown by %s: %w", question, err)
	}
	return nil
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

// rollUp adds each node's rows to every node above it and puts them in the tree. Parents come
// before their children in tr.nodes, so going backwards every node's subtree is complete before it
// is added to its parent.
func (s *sums) rollUp() {
	for i := len(s.tr.nodes) - 1; i >= 0; i-- {
		parent := s.tr.nodes[i].parent
		if parent < 0 || s.own[i] == nil {
			continue
		}
		if s.own[parent] == nil {
			s.own[parent] = make(map[string]*part, len(s.own[i]))
		}
		for key, p := range s.own[i] {
			into := s.own[parent][key]
			if into == nil {
				into = &part{}
				s.own[parent][key] = into
			}
			into.merge(p)
		}
	}
	for i, n := range s.tr.nodes {
		for key, p := range s.own[i] {
			if old, ok := n.parts[key]; ok {
				p.merge(old) // a part an earlier loader made (none does today)
			}
			n.parts[key] = p
		}
	}
}

// merge adds another part of the same family to p.
func (p *part) merge(o *part) {
	p.Count += o.Count
	if len(o.Hist) > 0 && p.Hist == nil {
		p.Hist = make(map[float64]int, len(o.Hist))
	}
	for v, c := range o.Hist {
		p.Hist[v] += c
	}
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
