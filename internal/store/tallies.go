package store

import (
	"cmp"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// tallies sums what a batch of responses adds to the item, score, breakdown and distribution
// tallies, so each tally a batch touches is written once, whatever the number of responses that
// touch it.
type tallies struct {
	items         map[itemKey]*itemSum
	scores        map[scoreTallyKey]*scoreSum
	cells         map[cellKey]*cellSum
	cellSkills    map[cellSkillKey]int // responses
	distributions map[distributionKey]int
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

// cellSum is what a breakdown tally adds up (see CellTally).
type cellSum struct {
	n, gapN             int
	aspiration, reality float64
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
	wave              uint
	question          string
	team              uint
	option, dimension string
	score             float64
}

type cellSkillKey struct {
	wave                uint
	question            string
	team                uint
	option, skill, role string
	level               int
}

type distributionKey struct {
	wave, team      uint
	question, value string
}

// add counts one stored response, r.TeamID being the team it was stored for.
func (t *tallies) add(r NewResponse) {
	for _, it := range r.Result.Items {
		t.addItem(r, it)
	}
	t.addScores(r)
	t.addCells(r)
	t.addDistributions(r)
}

func (t *tallies) addScores(r NewResponse) {
	if t.scores == nil {
		t.scores = map[scoreTallyKey]*scoreSum{}
	}
	res := r.Result
	t.addScore(scoreTallyKey{r.WaveID, r.TeamID, "", scoreKey(res.Overall)}, res.Aspiration, res.Reality, false, 0)
	for dim, ds := range res.Dimensions {
		if ds.Score == nil && ds.Aspiration == nil {
			continue // nothing a report counts
		}
		t.addScore(scoreTallyKey{r.WaveID, r.TeamID, dim, scoreKey(ds.Score)}, ds.Aspiration, ds.Reality, ds.Complete, ds.Total)
	}
}

// addCells counts the response in the breakdown cells it chose: its scores and gap sides as
// addScores counts them for its team, and its proficiency levels.
func (t *tallies) addCells(r NewResponse) {
	if t.cells == nil {
		t.cells, t.cellSkills = map[cellKey]*cellSum{}, map[cellSkillKey]int{}
	}
	res := r.Result
	for _, c := range r.Choices {
		t.addCell(cellKey{r.WaveID, c.Question, r.TeamID, c.Option, "", scoreKey(res.Overall)}, res.Aspiration, res.Reality)
		for dim, ds := range res.Dimensions {
			if ds.Score != nil || ds.Aspiration != nil {
				t.addCell(cellKey{r.WaveID, c.Question, r.TeamID, c.Option, dim, scoreKey(ds.Score)}, ds.Aspiration, ds.Reality)
			}
		}
		for _, it := range res.Items {
			if it.Proficiency >= 0 {
				t.cellSkills[cellSkillKey{r.WaveID, c.Question, r.TeamID, c.Option, it.Question, r.Role, it.Proficiency}]++
			}
		}
	}
}

func (t *tallies) addCell(k cellKey, aspiration, reality *float64) {
	sum := t.cells[k]
	if sum == nil {
		sum = &cellSum{}
		t.cells[k] = sum
	}
	sum.n++
	if aspiration != nil {
		sum.gapN++
		sum.aspiration += *aspiration
		sum.reality += *reality
	}
}

func (t *tallies) addDistributions(r NewResponse) {
	if t.distributions == nil {
		t.distributions = map[distributionKey]int{}
	}
	for _, c := range r.Counted {
		t.distributions[distributionKey{r.WaveID, r.TeamID, c.Question, c.Value}]++
	}
}

// addItem counts one scored or proficiency answer (its level -1 for a question on maturity levels).
func (t *tallies) addItem(r NewResponse, it ItemScore) {
	if t.items == nil {
		t.items = map[itemKey]*itemSum{}
	}
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
	var items, scores, cells, cellSkills, distributions []any
	for _, k := range sortedKeys(t.items, compareItems) {
		v := t.items[k]
		items = append(items, k.wave, k.team, k.question, k.role, k.level, k.complete, v.n, v.sum, v.sumSq)
	}
	for _, k := range sortedKeys(t.scores, compareScores) {
		v := t.scores[k]
		scores = append(scores, k.wave, k.team, k.dimension, k.score, v.n, v.gapN, v.aspiration, v.reality, v.completeN, v.total, v.totalSq)
	}
	for _, k := range sortedKeys(t.cells, compareCells) {
		v := t.cells[k]
		cells = append(cells, k.wave, k.question, k.team, k.option, k.dimension, k.score, v.n, v.gapN, v.aspiration, v.reality)
	}
	for _, k := range sortedKeys(t.cellSkills, compareCellSkills) {
		cellSkills = append(cellSkills, k.wave, k.question, k.team, k.option, k.skill, k.role, k.level, t.cellSkills[k])
	}
	for _, k := range sortedKeys(t.distributions, compareDistributions) {
		distributions = append(distributions, k.wave, k.team, k.question, k.value, t.distributions[k])
	}
	writes := []struct {
		table     string
		key, sums []string
		rows      []any
	}{
		{"item_tallies", []string{"wave_id", "team_id", "question", "role", "level", "complete"}, []string{"n", "sum", "sum_sq"}, items},
		{"score_tallies", []string{"wave_id", "team_id", "dimension", "score"},
			[]string{"n", "gap_n", "aspiration", "reality", "complete_n", "total", "total_sq"}, scores},
		{"cell_tallies", []string{"wave_id", "question", "team_id", "option", "dimension", "score"},
			[]string{"n", "gap_n", "aspiration", "reality"}, cells},
		{"cell_skill_tallies", []string{"wave_id", "question", "team_id", "option", "skill", "role", "level"}, []string{"n"}, cellSkills},
		{"distribution_tallies", []string{"wave_id", "team_id", "question", "value"}, []string{"n"}, distributions},
	}
	for _, w := range writes {
		if err := upsert(tx, w.table, w.key, w.sums, w.rows); err != nil {
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
	return cmp.Or(cmp.Compare(a.wave, b.wave), cmp.Compare(a.question, b.question), cmp.Compare(a.team, b.team),
		cmp.Compare(a.option, b.option), cmp.Compare(a.dimension, b.dimension), cmp.Compare(a.score, b.score))
}

func compareCellSkills(a, b cellSkillKey) int {
	return cmp.Or(cmp.Compare(a.wave, b.wave), cmp.Compare(a.question, b.question), cmp.Compare(a.team, b.team),
		cmp.Compare(a.option, b.option), cmp.Compare(a.skill, b.skill), cmp.Compare(a.role, b.role), cmp.Compare(a.level, b.level))
}

func compareDistributions(a, b distributionKey) int {
	return cmp.Or(cmp.Compare(a.wave, b.wave), cmp.Compare(a.team, b.team), cmp.Compare(a.question, b.question),
		cmp.Compare(a.value, b.value))
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
