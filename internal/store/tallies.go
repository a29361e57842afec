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
	items  map[itemKey]*itemSum
	scores map[scoreTallyKey]*scoreSum
	cells  map[cellKey]int // responses
}

// itemSum is what an item tally adds up (see ItemTally).
type itemSum struct {
	n          int
	sum, sumSq float64
}

// scoreSum is what a score tally adds up (see ScoreTally).
type scoreSum struct {
	n, gapN, completeN  int
	aspiration, reality float64
	total, totalSq      float64
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
		t.items, t.scores, t.cells = map[itemKey]*itemSum{}, map[scoreTallyKey]*scoreSum{}, map[cellKey]int{}
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
		t.cells[cellKey{r.WaveID, r.TeamID, c.Question, c.Option, "", scoreKey(res.Overall)}]++
		for dim, ds := range res.Dimensions {
			if ds.Score != nil {
				t.cells[cellKey{r.WaveID, r.TeamID, c.Question, c.Option, dim, *ds.Score}]++
			}
		}
	}
}

// addItem counts one scored or proficiency answer (its level -1 for a question on maturity levels).
func (t *tallies) addItem(r NewResponse, it ItemScore) {
	k := itemKey{r.WaveID, r.TeamID, it.Question, r.Role, it.Proficiency,
		it.Dimension != "" && r.Result.Dimensions[it.Dimension].Complete}
	sum := t.items[k]
	if sum == nil {
		sum = &itemSum{}
		t.items[k] = sum
	}
	sum.n++
	sum.sum += it.Score
	sum.sumSq += it.Score * it.Score
}

func (t *tallies) addScore(k scoreTallyKey, aspiration, reality *float64, complete bool, total float64) {
	sum := t.scores[k]
	if sum == nil {
		sum = &scoreSum{}
		t.scores[k] = sum
	}
	sum.n++
	if aspiration != nil {
		sum.gapN++
		sum.aspiration += *aspiration
		sum.reality += *reality
	}
	if complete {
		sum.completeN++
		sum.total += total
		sum.totalSq += total * total
	}
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
		items = append(items, k.wave, k.team, k.question, k.role, k.level, k.complete, v.n, v.sum, v.sumSq)
	}
	for _, k := range sortedKeys(t.scores, compareScores) {
		v := t.scores[k]
		scores = append(scores, k.wave, k.team, k.dimension, k.score, v.n, v.gapN, v.aspiration, v.reality, v.completeN, v.total, v.totalSq)
	}
	for _, k := range sortedKeys(t.cells, compareCells) {
		cells = append(cells, k.wave, k.team, k.question, k.option, k.dimension, k.score, t.cells[k])
	}
	err := upsert(tx, "item_tallies", []string{"wave_id", "team_id", "question", "role", "level", "complete"},
		[]string{"n", "sum", "sum_sq"}, items)
	if err == nil {
		err = upsert(tx, "score_tallies", []string{"wave_id", "team_id", "dimension", "score"},
			[]string{"n", "gap_n", "aspiration", "reality", "complete_n", "total", "total_sq"}, scores)
	}
	if err == nil {
		err = upsert(tx, "cell_tallies", []string{"wave_id", "team_id", "question", "option", "dimension", "score"},
			[]string{"n"}, cells)
	}
	return err
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
