package store

import (
	"cmp"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// tallies sums what a batch of responses adds to the item, score and breakdown tallies, so each
// tally a batch touches is written once, whatever the number of responses that touch it.
type tallies struct {
	items  map[itemKey]*ItemTally
	scores map[scoreTallyKey]*ScoreTally
	cells  map[cellKey]*CellTally
}

type itemKey struct {
	wave, team     uint
	question, role string
	level          int
	complete       bool
}

type scoreTallyKey struct {
	wave, team uint
	dimension  string
	score      float64
}

type cellKey struct {
	wave, team                  uint
	question, option, dimension string
	score                       float64
}

// add counts one stored response, r.TeamID being the team it was stored for.
func (t *tallies) add(r NewResponse) {
	if t.items == nil {
		t.items, t.scores, t.cells = map[itemKey]*ItemTally{}, map[scoreTallyKey]*ScoreTally{}, map[cellKey]*CellTally{}
	}
	res := r.Result
	for _, it := range res.Items {
		t.addItem(r, it)
	}
	t.addScore(scoreTallyKey{r.WaveID, r.TeamID, "", scoreKey(res.Overall)}, res.Aspiration, res.Reality, false, 0)
	for dim, ds := range res.Dimensions {
		if ds.Score == nil && ds.Aspiration == nil {
			continue // nothing a report counts
		}
		t.addScore(scoreTallyKey{r.WaveID, r.TeamID, dim, scoreKey(ds.Score)}, ds.Aspiration, ds.Reality, ds.Complete, ds.Total)
	}
	for _, c := range r.Choices {
		t.addCell(cellKey{r.WaveID, r.TeamID, c.Question, c.Option, "", scoreKey(res.Overall)})
		for dim, ds := range res.Dimensions {
			if ds.Score != nil {
				t.addCell(cellKey{r.WaveID, r.TeamID, c.Question, c.Option, dim, *ds.Score})
			}
		}
	}
}

func (t *tallies) addItem(r NewResponse, it ItemScore) {
	k := itemKey{r.WaveID, r.TeamID, it.Question, r.Role, it.Proficiency,
		it.Dimension != "" && r.Result.Dimensions[it.Dimension].Complete}
	if it.Proficiency < 0 {
		k.level = -1
	}
	sum := t.items[k]
	if sum == nil {
		sum = &ItemTally{WaveID: k.wave, TeamID: k.team, Question: k.question, Role: k.role, Level: k.level, Complete: k.complete}
		t.items[k] = sum
	}
	sum.N++
	sum.Sum += it.Score
	sum.SumSq += it.Score * it.Score
}

func (t *tallies) addScore(k scoreTallyKey, aspiration, reality *float64, complete bool, total float64) {
	sum := t.scores[k]
	if sum == nil {
		sum = &ScoreTally{WaveID: k.wave, TeamID: k.team, Dimension: k.dimension, Score: k.score}
		t.scores[k] = sum
	}
	sum.N++
	if aspiration != nil {
		sum.GapN++
		sum.Aspiration += *aspiration
		sum.Reality += *reality
	}
	if complete {
		sum.CompleteN++
		sum.Total += total
		sum.TotalSq += total * total
	}
}

func (t *tallies) addCell(k cellKey) {
	sum := t.cells[k]
	if sum == nil {
		sum = &CellTally{WaveID: k.wave, TeamID: k.team, Question: k.question, Option: k.option, Dimension: k.dimension, Score: k.score}
		t.cells[k] = sum
	}
	sum.N++
}

// scoreKey is a score as a tally key: -1 for none.
func scoreKey(score *float64) float64 {
	if score == nil {
		return -1
	}
	return *score
}

// write adds the sums to the stored tallies. Rows go in key order: neighbours in one statement
// share the database's pages.
func (t *tallies) write(tx *gorm.DB) error {
	var items, scores, cells []any
	for _, k := range sortedKeys(t.items, compareItems) {
		v := t.items[k]
		items = append(items, k.wave, k.team, k.question, k.role, k.level, k.complete, v.N, v.Sum, v.SumSq)
	}
	for _, k := range sortedKeys(t.scores, compareScores) {
		v := t.scores[k]
		scores = append(scores, k.wave, k.team, k.dimension, k.score, v.N, v.GapN, v.Aspiration, v.Reality, v.CompleteN, v.Total, v.TotalSq)
	}
	for _, k := range sortedKeys(t.cells, compareCells) {
		cells = append(cells, k.wave, k.team, k.question, k.option, k.dimension, k.score, t.cells[k].N)
	}
	writes := []func() error{
		func() error {
			return upsert(tx, "item_tallies", []string{"wave_id", "team_id", "question", "role", "level", "complete"},
				[]string{"n", "sum", "sum_sq"}, items)
		},
		func() error {
			return upsert(tx, "score_tallies", []string{"wave_id", "team_id", "dimension", "score"},
				[]string{"n", "gap_n", "aspiration", "reality", "complete_n", "total", "total_sq"}, scores)
		},
		func() error {
			return upsert(tx, "cell_tallies", []string{"wave_id", "team_id", "question", "option", "dimension", "score"},
				[]string{"n"}, cells)
		},
	}
	for _, write := range writes {
		if err := write(); err != nil {
			return err
		}
	}
	return nil
}

// upsert inserts tallies, each its key columns then its sums columns, flattened in args, adding
// the sums to those of a tally already stored.
func upsert(tx *gorm.DB, table string, key, sums []string, args []any) error {
	add := make([]string, len(sums))
	for i, col := range sums {
		add[i] = col + " = " + table + "." + col + " + excluded." + col
	}
	head := "INSERT INTO " + table + " (" + strings.Join(append(slices.Clone(key), sums...), ", ") + ")"
	tail := " ON CONFLICT (" + strings.Join(key, ", ") + ") DO UPDATE SET " + strings.Join(add, ", ")
	return execRows(tx, head, tail, len(key)+len(sums), args)
}

func sortedKeys[K comparable, V any](m map[K]V, compare func(a, b K) int) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compare)
	return keys
}

func compareItems(a, b itemKey) int {
	return cmp.Or(cmp.Compare(a.wave, b.wave), cmp.Compare(a.team, b.team), cmp.Compare(a.question, b.question),
		cmp.Compare(a.role, b.role), cmp.Compare(a.level, b.level), compareBool(a.complete, b.complete))
}

func compareScores(a, b scoreTallyKey) int {
	return cmp.Or(cmp.Compare(a.wave, b.wave), cmp.Compare(a.team, b.team), cmp.Compare(a.dimension, b.dimension),
		cmp.Compare(a.score, b.score))
}

func compareCells(a, b cellKey) int {
	return cmp.Or(cmp.Compare(a.wave, b.wave), cmp.Compare(a.team, b.team), cmp.Compare(a.question, b.question),
		cmp.Compare(a.option, b.option), cmp.Compare(a.dimension, b.dimension), cmp.Compare(a.score, b.score))
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
