package report

import (
	"iter"
	"time"
)

// The results feed is every wave of one survey in long form, for HR's own tools (Excel, Power BI,
// R): one row per wave, group and measure, the same columns in every format. It is made from the
// waves' reports as the API serves them, so it never shows a figure another way; a withheld group
// or figure keeps its labels and reason and carries no number at all.

// ResultsColumn is one column of the results feed: its name, a stable key, and what it holds.
type ResultsColumn struct {
	Name  string
	About string
}

// ResultsColumns are the feed's columns, in order. Tools read them by name, so a column is never
// renamed or moved; a new one goes at the end.
var ResultsColumns = []ResultsColumn{
	{"wave", "The wave's key: stable, and unique across the service."},
	{"wave_title", "The wave's title."},
	{"opened_on", "The day the wave opened (YYYY-MM-DD, UTC)."},
	{"closed_on", "The day the wave closes, or closed (YYYY-MM-DD, UTC); empty when no closing is set."},
	{"wave_state", "open or closed when the feed was read. An open wave's figures move in steps of at least the threshold of new answers."},
	{"answers_verified", "false for an open-mode wave: anyone with the link could answer, so read its figures as an indication, not a measure. While such a wave is open its rows carry counts and no scores; the scores come when it closes."},
	{"scoring_rules", "The scoring rules the wave was scored under: 1 scores skills on the ladder, 2 against the level each role needs. Compare skills figures only between waves of the same rules."},
	{"definition_version", "The version (content hash) of the survey definition the wave asked."},
	{"group", "The key of the team, directorate or department: stable from wave to wave (unless an import renamed it)."},
	{"group_name", "The group's name in the wave's own hierarchy."},
	{"level", "department, directorate or team."},
	{"parent", "The key of the group above; empty for the department."},
	{"measure", "overall, or the key of a dimension."},
	{"measure_title", "Overall, or the dimension's title."},
	{"withheld", "true where the figure may not be shown (fewer answers than the wave's threshold, or shown it would give another away); the row then carries no number at all."},
	{"withheld_reason", "Why a figure is withheld: small, protects another, or waiting for more answers; empty where shown."},
	{"n", "Responses in the group (its whole subtree)."},
	{"n_measure", "Responses with a score for this measure."},
	{"mean", "The maturity score: the mean score, 0 to 100, one decimal place."},
	{"median", "The median score, 0 to 100."},
	{"sd", "The standard deviation of the scores; empty for fewer than two."},
	{"ci95_low", "The low end of the 95% confidence interval of the mean (Student's t); empty where it cannot be computed."},
	{"ci95_high", "The high end of the same interval."},
	{"stage", "The key of the stage the mean sits in."},
	{"now", "The self-rated now: the mean \"now\" answer of the measure's aspiration-reality questions, 0 to 100; empty where there are none."},
	{"target", "The mean \"should be\" answer of the same questions: where people say the group should be."},
	{"gap", "target minus now, in points."},
	{"headcount", "The group's imported headcount in the wave's hierarchy; empty where unknown."},
	{"response_rate", "n divided by headcount, 0 to 1, three decimal places; empty where the headcount is unknown or outdated."},
	{"headcount_outdated", "true where the group has more responses than its headcount: the headcount is older than the answers, and response_rate is left empty rather than over 100%."},
}

// The kinds of value a feed cell holds, so each format writes it its own way: text is neutralised
// for spreadsheets, an optional text is null in JSON when empty, scores and ratios are rounded at
// the edge. A nil cell (any number of a withheld row) is empty, or null in JSON.
type (
	feedText     string
	feedOptional string
	feedScore    struct{ x *float64 }
	feedRatio    struct{ x *float64 }
)

// resultRow is one row of the feed: a wave, a group and a measure, with its figures.
type resultRow struct {
	wave           *WaveInfo
	group          *Group
	measure, title string
	withheld       bool
	reason         string
	// figures is nil for a group counted only (an open-mode wave while open): counts, no scores.
	figures *Figures
}

// values lists the row's cells in the order of ResultsColumns.
func (r *resultRow) values() []any {
	w, g := r.wave, r.group
	out := make([]any, 0, len(ResultsColumns))
	out = append(out, feedText(w.Key), feedText(w.Title), dayOf(w.OpensAt), dayOf(w.ClosesAt), feedText(w.State),
		w.AnswersVerified, w.ScoringRules, feedText(w.Version),
		feedText(g.Key), feedText(g.Name), feedText(g.Level), parentOf(g), feedText(r.measure), feedText(r.title),
		r.withheld, feedOptional(r.reason))
	if r.withheld {
		// Every number empty, the group's own count, rate and flag too.
		return append(out, make([]any, len(ResultsColumns)-len(out))...)
	}
	var nMeasure *int
	mean, median, sd, low, high := feedScore{}, feedScore{}, feedScore{}, feedScore{}, feedScore{}
	now, target, gap := feedScore{}, feedScore{}, feedScore{}
	var stage feedOptional
	if f := r.figures; f != nil {
		n := f.N
		nMeasure = &n
		mean, median, sd = feedScore{&f.Mean}, feedScore{&f.Median}, feedScore{&f.SD}
		low, high = feedScore{&f.CI95[0]}, feedScore{&f.CI95[1]}
		now, target, gap = feedScore{f.Now}, feedScore{f.Target}, feedScore{f.Gap}
		stage = feedOptional(f.Stage)
	}
	var rate *float64
	if g.ResponseRate != nil {
		x := float64(*g.ResponseRate)
		rate = &x
	}
	return append(out, g.N, nMeasure, mean, median, sd, low, high, stage, now, target, gap,
		g.Headcount, feedRatio{rate}, &g.HeadcountOutdated)
}

func dayOf(t *time.Time) feedOptional {
	if t == nil {
		return ""
	}
	return feedOptional(t.UTC().Format(time.DateOnly))
}

func parentOf(g *Group) feedOptional {
	if g.Parent == nil {
		return ""
	}
	return feedOptional(*g.Parent)
}

// resultRows lists the rows of the reports: waves in the order given, groups as each report lists
// them, and for each group the overall score then each dimension in the definition's order. Every
// group has a row for every measure, shown or not, so (wave, group, measure) is a key.
func resultRows(reps []*Report) iter.Seq[*resultRow] {
	return func(yield func(*resultRow) bool) {
		for _, rep := range reps {
			measures := append([]Dimension{{Key: "overall", Title: "Overall"}}, rep.Dimensions...)
			for i := range rep.Groups {
				g := &rep.Groups[i]
				for _, m := range measures {
					if !yield(resultRowOf(rep, g, m)) {
						return
					}
				}
			}
		}
	}
}

func resultRowOf(rep *Report, g *Group, m Dimension) *resultRow {
	r := &resultRow{wave: &rep.Wave, group: g, measure: m.Key, title: m.Title}
	switch {
	case g.Withheld:
		r.withheld, r.reason = true, g.Reason
	case m.Key == "overall":
		r.figures = g.Overall
	default:
		r.figures = g.Dimensions[m.Key]
	}
	if r.figures != nil && r.figures.Withheld {
		r.withheld, r.reason, r.figures = true, r.figures.Reason, nil
	}
	return r
}
