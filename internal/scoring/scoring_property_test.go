package scoring

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"skillsurvey/internal/survey"
)

const propertyRuns = 3000

// randomRaw builds a random answer set that small.yaml accepts: every question answered, skipped or
// (where allowed) "don't know", respecting required and show_if.
func randomRaw(r *rand.Rand, d *survey.Definition) map[string]string {
	raw := map[string]string{}
	specialist := r.IntN(2) == 0
	if specialist {
		raw["role-type"] = `"specialist"`
	} else {
		raw["role-type"] = `"non-specialist"`
	}
	if r.IntN(3) > 0 {
		all := []string{"email", "social", "web", "events"}
		r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		b, _ := json.Marshal(all[:r.IntN(4)]) // 0 to 3 choices (max_choices 3)
		raw["channels"] = string(b)
	}
	if r.IntN(2) == 0 {
		raw["team-size"] = fmt.Sprint(1 + r.IntN(500))
	}
	if r.IntN(4) == 0 {
		raw["consult"] = `"dont_know"`
	} else {
		raw["consult"] = fmt.Sprint(1 + r.IntN(4))
	}
	if r.IntN(4) > 0 {
		raw["now-and-next"] = fmt.Sprintf(`{"now": %d, "target": %d}`, 1+r.IntN(5), 1+r.IntN(5))
	}
	if specialist && r.IntN(4) > 0 {
		raw["specialist-tools"] = fmt.Sprint(1 + r.IntN(3))
	}
	if r.IntN(4) > 0 {
		raw["social-media"] = fmt.Sprintf("%q", d.Proficiency[r.IntN(len(d.Proficiency))])
	}
	switch r.IntN(3) {
	case 0:
		raw["data"] = `"dont_know"`
	case 1:
		raw["data"] = fmt.Sprintf("%q", d.Proficiency[r.IntN(len(d.Proficiency))])
	}
	if r.IntN(3) == 0 {
		raw["comments"] = `"something"`
	}
	return raw
}

// shuffledCopy returns the answers in a new map filled in a random key order.
func shuffledCopy(r *rand.Rand, a survey.Answers) survey.Answers {
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	out := make(survey.Answers, len(a))
	for _, k := range keys {
		out[k] = a[k]
	}
	return out
}

func inRange(f float64) bool { return !math.IsNaN(f) && f >= 0 && f <= 100 }

func TestScoreProperties(t *testing.T) {
	d := loadSmall(t)
	r := rand.New(rand.NewPCG(20260601, 7))
	for run := range propertyRuns {
		raw := randomRaw(r, d)
		answers := answersFor(t, d, raw)
		rules := []Rules{OriginalRules, RevisedRules}[run%2] // each property holds under both
		res := Score(d, answers, rules)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("run %d, answers %v: %s", run, raw, fmt.Sprintf(format, args...))
		}

		// Every score lies in [0, 100].
		if res.Overall != nil && !inRange(*res.Overall) {
			fail("Overall %v outside [0,100]", *res.Overall)
		}
		for key, ds := range res.Dimensions {
			for name, f := range map[string]*float64{"Score": ds.Score, "Reality": ds.Reality, "Aspiration": ds.Aspiration} {
				if f != nil && !inRange(*f) {
					fail("%s %s %v outside [0,100]", key, name, *f)
				}
			}
		}
		for _, it := range res.Items {
			if !inRange(it.Score) || it.Aspiration != nil && !inRange(*it.Aspiration) {
				fail("item %+v outside [0,100]", it)
			}
		}

		// Overall lies between the lowest and highest dimension score, and is nil only when none exists.
		lo, hi, some := math.Inf(1), math.Inf(-1), false
		for _, ds := range res.Dimensions {
			if ds.Score != nil {
				lo, hi, some = min(lo, *ds.Score), max(hi, *ds.Score), true
			}
		}
		switch {
		case some != (res.Overall != nil):
			fail("Overall %s but some dimension score exists: %v", fmtOpt(res.Overall), some)
		case some && (*res.Overall < lo-tol || *res.Overall > hi+tol):
			fail("Overall %v outside dimension scores [%v, %v]", *res.Overall, lo, hi)
		}

		// Answered counts the dimension's non-"don't know" answers, Score exists exactly when
		// Answered >= min_answers, and lies between the lowest and highest item score of the dimension.
		for _, dim := range d.Dimensions {
			ds := res.Dimensions[dim.Key]
			n := 0
			for _, q := range d.Questions() {
				if a, ok := answers[q.Key]; ok && !a.DontKnow && q.Scored() && q.Dimension == dim.Key {
					n++
				}
			}
			if ds.Answered != n {
				fail("%s Answered %d, want %d", dim.Key, ds.Answered, n)
			}
			if (ds.Score != nil) != (n >= dim.MinAnswers) {
				fail("%s Score %v with %d answers, min_answers %d", dim.Key, ds.Score, n, dim.MinAnswers)
			}
			ilo, ihi := math.Inf(1), math.Inf(-1)
			for _, it := range res.Items {
				if it.Dimension == dim.Key {
					ilo, ihi = min(ilo, it.Score), max(ihi, it.Score)
				}
			}
			if ds.Score != nil && (*ds.Score < ilo-tol || *ds.Score > ihi+tol) {
				fail("%s Score %v outside its item scores [%v, %v]", dim.Key, *ds.Score, ilo, ihi)
			}
		}

		// One item per scored or proficiency answer that is not "don't know".
		wantItems := 0
		for key, a := range answers {
			q, _ := d.Question(key)
			switch q.Type {
			case survey.TypeMaturity, survey.TypeAspirationReality, survey.TypeProficiency:
				if !a.DontKnow {
					wantItems++
				}
			}
		}
		if len(res.Items) != wantItems {
			fail("%d items, want %d", len(res.Items), wantItems)
		}

		// The order in which the answers map was filled changes nothing (nor does rebuilding it from
		// raw answers given in another order).
		if again := Score(d, shuffledCopy(r, answers), rules); !reflect.DeepEqual(again, res) {
			fail("shuffled answers scored %+v, want %+v", again, res)
		}

		// Raising one maturity answer (or the "now" of an aspiration-reality answer, or a proficiency
		// in a dimension) by a level never lowers its dimension score; raising a target never changes it.
		for _, q := range d.Questions() {
			a, ok := answers[q.Key]
			if !ok || a.DontKnow {
				continue
			}
			raised := a
			switch {
			case q.Type == survey.TypeMaturity && a.Level < len(q.Levels):
				raised.Level++
			case q.Type == survey.TypeAspirationReality && a.Now < len(q.Levels):
				raised.Now++
			case q.Type == survey.TypeProficiency && q.Dimension != "" && a.Level < len(d.Proficiency)-1:
				raised.Level++
			default:
				continue
			}
			up := maps.Clone(answers)
			up[q.Key] = raised
			before, after := res.Dimensions[q.Dimension].Score, Score(d, up, rules).Dimensions[q.Dimension].Score
			if (before == nil) != (after == nil) || before != nil && *after < *before-tol {
				fail("raising %s from %+v to %+v moved %s from %s to %s",
					q.Key, a, raised, q.Dimension, fmtOpt(before), fmtOpt(after))
			}
			if q.Type == survey.TypeAspirationReality && a.Target < len(q.Levels) {
				aimed := a
				aimed.Target++
				up[q.Key] = aimed
				if s := Score(d, up, rules).Dimensions[q.Dimension].Score; !sameOpt(s, before) {
					fail("raising the target of %s moved %s from %s to %s", q.Key, q.Dimension, fmtOpt(before), fmtOpt(s))
				}
			}
		}
	}
}

// TestScoreRawOrder checks that CheckAnswers plus Score give the same result whatever order the raw
// answers were inserted in.
func TestScoreRawOrder(t *testing.T) {
	d := loadSmall(t)
	r := rand.New(rand.NewPCG(42, 43))
	for run := range 200 {
		raw := randomRaw(r, d)
		want := Score(d, answersFor(t, d, raw), Current)
		keys := make([]string, 0, len(raw))
		for k := range raw {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		reordered := make(map[string]string, len(raw))
		for _, k := range keys {
			reordered[k] = raw[k]
		}
		if got := Score(d, answersFor(t, d, reordered), Current); !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d: reordered raw answers scored %+v, want %+v", run, got, want)
		}
	}
}
