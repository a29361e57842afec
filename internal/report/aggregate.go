package report

import (
	"context"
	"fmt"
	"sort"

	"skillsurvey/internal/store"
)

// Source is what building a report needs from storage.
type Source interface {
	Teams(ctx context.Context, withRetired bool) ([]store.Team, error)
	Ancestry(ctx context.Context) (map[uint][]uint, error)
	ScoreCounts(ctx context.Context, waveID uint) ([]store.ScoreCount, error)
	GapSums(ctx context.Context, waveID uint) ([]store.GapSum, error)
	ItemSums(ctx context.Context, waveID uint) ([]store.ItemSum, error)
	TotalSums(ctx context.Context, waveID uint) ([]store.TotalSum, error)
	SkillCounts(ctx context.Context, waveID uint) ([]store.SkillCount, error)
	CellCounts(ctx context.Context, waveID uint, question string) ([]store.CellCount, error)
	Texts(ctx context.Context, waveID uint) ([]store.TeamText, error)
}

// histogram counts responses per score value; scores take few distinct values.
type histogram map[float64]int

func (h histogram) n() int {
	total := 0
	for _, c := range h {
		total += c
	}
	return total
}

// moments sums a quantity: count, sum and sum of squares.
type moments struct {
	n          int
	sum, sumSq float64
}

func (m *moments) add(o moments) { m.n += o.n; m.sum += o.sum; m.sumSq += o.sumSq }

// gap sums both sides of the gap; respondents counts responses behind it.
type gap struct {
	respondents, n      int
	aspiration, reality float64
}

// cell holds one breakdown option's counts within a node.
type cell struct {
	responses int
	overall   histogram
	dims      map[string]histogram
}

// node is one group with every aggregate of its whole subtree.
type node struct {
	team      store.Team
	parent    int
	level     string
	responses int
	overall   histogram
	dims      map[string]histogram
	gaps      map[string]*gap        // "" pools every dimension
	items     map[string]*[2]moments // per question: [0] all answers, [1] complete responses only
	totals    map[string]*moments    // per dimension, complete responses' plain totals
	skills    map[string]map[string]map[int]int
	texts     map[string][]string
	cells     map[string]*cell
}

func newNode(t store.Team) *node {
	return &node{team: t, overall: histogram{}, dims: map[string]histogram{}, gaps: map[string]*gap{},
		items: map[string]*[2]moments{}, totals: map[string]*moments{}, skills: map[string]map[string]map[int]int{},
		texts: map[string][]string{}, cells: map[string]*cell{}}
}

// tree is the hierarchy of a report, parents before children, with aggregates rolled up.
type tree struct {
	nodes []*node
	// up maps a team id to the indexes of the nodes whose subtree holds it.
	up map[uint][]int
}

// loadTree builds the hierarchy: every active team, and retired teams that hold responses.
func loadTree(ctx context.Context, src Source, withResponses map[uint]bool) (*tree, error) {
	teams, err := src.Teams(ctx, true)
	if err != nil {
		return nil, err
	}
	ancestry, err := src.Ancestry(ctx)
	if err != nil {
		return nil, err
	}
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
		n := newNode(t)
		n.parent = -1
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

func levelOf(depth int) string {
	switch depth {
	case 0:
		return LevelDepartment
	case 1:
		return LevelDirectorate
	}
	return LevelTeam
}

// each calls f for every node whose subtree holds the team: the roll-up.
func (tr *tree) each(teamID uint, f func(n *node)) {
	for _, i := range tr.up[teamID] {
		f(tr.nodes[i])
	}
}

// load reads every aggregate of a wave into the tree.
func (tr *tree) load(ctx context.Context, src Source, waveID uint, counts []store.ScoreCount) error {
	for _, c := range counts {
		tr.addScore(c)
	}
	gaps, err := src.GapSums(ctx, waveID)
	if err != nil {
		return err
	}
	for _, g := range gaps {
		tr.each(g.TeamID, func(n *node) { n.addGap(g) })
	}
	items, err := src.ItemSums(ctx, waveID)
	if err != nil {
		return err
	}
	for _, it := range items {
		tr.each(it.TeamID, func(n *node) { n.addItem(it) })
	}
	totals, err := src.TotalSums(ctx, waveID)
	if err != nil {
		return err
	}
	for _, t := range totals {
		tr.each(t.TeamID, func(n *node) { n.addTotal(t) })
	}
	skills, err := src.SkillCounts(ctx, waveID)
	if err != nil {
		return err
	}
	for _, s := range skills {
		tr.each(s.TeamID, func(n *node) { n.addSkill(s) })
	}
	texts, err := src.Texts(ctx, waveID)
	if err != nil {
		return err
	}
	for _, t := range texts {
		tr.each(t.TeamID, func(n *node) { n.texts[t.Question] = append(n.texts[t.Question], t.Text) })
	}
	return nil
}

func (tr *tree) addScore(c store.ScoreCount) {
	tr.each(c.TeamID, func(n *node) {
		if c.Dimension == "" {
			n.responses += c.N
			if c.Score != nil {
				n.overall[*c.Score] += c.N
			}
			return
		}
		h := n.dims[c.Dimension]
		if h == nil {
			h = histogram{}
			n.dims[c.Dimension] = h
		}
		h[*c.Score] += c.N
	})
}

func (n *node) addGap(g store.GapSum) {
	acc := n.gaps[g.Dimension]
	if acc == nil {
		acc = &gap{}
		n.gaps[g.Dimension] = acc
	}
	acc.respondents += g.Respondents
	acc.n += g.N
	acc.aspiration += g.Aspiration
	acc.reality += g.Reality
}

func (n *node) addItem(it store.ItemSum) {
	acc := n.items[it.Question]
	if acc == nil {
		acc = &[2]moments{}
		n.items[it.Question] = acc
	}
	m := moments{n: it.N, sum: it.Sum, sumSq: it.SumSq}
	acc[0].add(m)
	if it.Complete {
		acc[1].add(m)
	}
}

func (n *node) addTotal(t store.TotalSum) {
	acc := n.totals[t.Dimension]
	if acc == nil {
		acc = &moments{}
		n.totals[t.Dimension] = acc
	}
	acc.add(moments{n: t.N, sum: t.Sum, sumSq: t.SumSq})
}

func (n *node) addSkill(s store.SkillCount) {
	byRole := n.skills[s.Question]
	if byRole == nil {
		byRole = map[string]map[int]int{}
		n.skills[s.Question] = byRole
	}
	levels := byRole[s.Role]
	if levels == nil {
		levels = map[int]int{}
		byRole[s.Role] = levels
	}
	levels[s.Level] += s.N
}

// loadCells reads the breakdown counts into the tree.
func (tr *tree) loadCells(ctx context.Context, src Source, waveID uint, question string) error {
	rows, err := src.CellCounts(ctx, waveID, question)
	if err != nil {
		return fmt.Errorf("breakdown by %s: %w", question, err)
	}
	for _, r := range rows {
		tr.each(r.TeamID, func(n *node) {
			c := n.cells[r.Option]
			if c == nil {
				c = &cell{overall: histogram{}, dims: map[string]histogram{}}
				n.cells[r.Option] = c
			}
			if r.Dimension == "" {
				c.responses += r.N
				if r.Score != nil {
					c.overall[*r.Score] += r.N
				}
				return
			}
			if c.dims[r.Dimension] == nil {
				c.dims[r.Dimension] = histogram{}
			}
			c.dims[r.Dimension][*r.Score] += r.N
		})
	}
	return nil
}
