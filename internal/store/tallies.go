package store

import (
	"cmp"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
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
	items := sortedRows(t.items, func(a, b *ItemTally) int {
		return cmp.Or(cmp.Compare(a.WaveID, b.WaveID), cmp.Compare(a.TeamID, b.TeamID), cmp.Compare(a.Question, b.Question),
			cmp.Compare(a.Role, b.Role), cmp.Compare(a.Level, b.Level), compareBool(a.Complete, b.Complete))
	})
	scores := sortedRows(t.scores, func(a, b *ScoreTally) int {
		return cmp.Or(cmp.Compare(a.WaveID, b.WaveID), cmp.Compare(a.TeamID, b.TeamID), cmp.Compare(a.Dimension, b.Dimension),
			cmp.Compare(a.Score, b.Score))
	})
	cells := sortedRows(t.cells, func(a, b *CellTally) int {
		return cmp.Or(cmp.Compare(a.WaveID, b.WaveID), cmp.Compare(a.TeamID, b.TeamID), cmp.Compare(a.Question, b.Question),
			cmp.Compare(a.Option, b.Option), cmp.Compare(a.Dimension, b.Dimension), cmp.Compare(a.Score, b.Score))
	})
	writes := []func() error{
		func() error {
			return upsert(tx, "item_tallies", items, []string{"wave_id", "team_id", "question", "role", "level", "complete"},
				"n", "sum", "sum_sq")
		},
		func() error {
			return upsert(tx, "score_tallies", scores, []string{"wave_id", "team_id", "dimension", "score"},
				"n", "gap_n", "aspiration", "reality", "complete_n", "total", "total_sq")
		},
		func() error {
			return upsert(tx, "cell_tallies", cells, []string{"wave_id", "team_id", "question", "option", "dimension", "score"}, "n")
		},
	}
	for _, write := range writes {
		if err := write(); err != nil {
			return err
		}
	}
	return nil
}

func sortedRows[K comparable, T any](m map[K]*T, compare func(a, b *T) int) []T {
	rows := make([]*T, 0, len(m))
	for _, r := range m {
		rows = append(rows, r)
	}
	slices.SortFunc(rows, compare)
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = *r
	}
	return out
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

// upsert inserts tallies, adding the sums columns to those of a tally already stored.
func upsert[T any](tx *gorm.DB, table string, rows []T, key []string, sums ...string) error {
	if len(rows) == 0 {
		return nil
	}
	columns := make([]clause.Column, len(key))
	for i, k := range key {
		columns[i] = clause.Column{Name: k}
	}
	add := map[string]any{}
	for _, col := range sums {
		add[col] = gorm.Expr(table + "." + col + " + excluded." + col)
	}
	return tx.Omit("Wave", "Team").Clauses(clause.OnConflict{Columns: columns, DoUpdates: clause.Assignments(add)}).
		CreateInBatches(rows, 500).Error
}
