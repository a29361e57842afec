package report

import (
	"context"
	"sort"

	"skillsurvey/internal/store"
)

// Source is what building a report needs from storage.
type Source interface {
	// WaveTeams is the wave's own hierarchy, frozen when it opened (store.WaveTeam).
	WaveTeams(ctx context.Context, waveID uint) ([]store.Team, error)
	ScoreCounts(ctx context.Context, waveID uint) ([]store.ScoreCount, error)
	// The Each methods hand over rows as they are read; a row is valid only during the call.
	EachItemSum(ctx context.Context, waveID uint, f func(store.ItemSum)) error
	// How many cell tally rows each option of a breakdown question has: what reading it costs.
	CellRows(ctx context.Context, waveID uint, question string) (map[string]int, error)
	// A breakdown's cells, of the options listed.
	EachCellCount(ctx context.Context, waveID uint, question string, options []string, f func(store.CellCount)) error
	EachCellSkill(ctx context.Context, waveID uint, question string, options []string, f func(store.CellSkill)) error
	// The totals alone, summed in the database: what an open wave records of its cells.
	EachCellTotal(ctx context.Context, waveID uint, question, except string, f func(store.CellTotal)) error
	EachCellSkillTotal(ctx context.Context, waveID uint, question, except string, f func(store.CellSkillTotal)) error
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
	Count int
	// Hist is the score histogram as a snapshot stores it (gob: value → responses), filled only
	// while one is written or read (publishedState.toWire, fromWire); reports use scores.
	Hist   map[float64]int
	scores hist // score value → responses, in order of score
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
	// liveParts are a closed wave's figures as last published while it was open (tree.live rolled
	// up): shown where a final figure may not be.
	liveParts map[string]*part
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
	p.scores = p.scores.add(score, c)
	p.Count += c
}

// tree is the hierarchy of a report, parents before children, with aggregates rolled up.
type tree struct {
	nodes []*node
	// up maps a team id to the indexes of the nodes whose subtree holds it.
	up map[uint][]int
	// own holds, per node, the parts of the answers given for the node's team itself (not its
	// subtree), as loaded; rollUp makes the nodes' parts from it. An open wave publishes own
	// parts, each when it has grown by the threshold (see publish).
	own []map[string]*part
	// live holds, for a closed wave, the own parts last published while it was open, and
	// liveMoves every publication of them with its breakdown cells (publishedState); nil for a
	// wave that published nothing while open.
	live      []map[string]*part
	liveMoves []map[string][]publishedMove
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
	tr := &tree{up: map[uint][]int{}, own: make([]map[string]*part, len(kept))}
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
