package survey

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Warnings lists what a valid definition may want changed, without refusing it: stages that do not
// line up with the levels of its scored questions (StageWarnings), dimensions without guidance for
// some stage, and a `minutes` below the estimated time of the longest path (EstimatedMinutes).
func (d *Definition) Warnings() []Problem {
	out := d.StageWarnings()
	out = append(out, d.guidanceWarnings()...)
	return append(out, d.minutesWarnings()...)
}

// StageWarnings are the Warnings about the stages. A team answering every question at level i should
// sit in stage i; with levels scoring 0, 25, 50, 75 and 100, stages starting at 0, 20, 40, 60 and 80
// would call a team answering mostly level 4 with a few 5s "reality". Stages line up when each starts
// where a mean is nearer the next level's score than the last's: 0, 12.5, 37.5, 62.5, 87.5.
func (d *Definition) StageWarnings() []Problem {
	var out []Problem
	for _, levels := range d.levelCounts() {
		if msg := d.stagesAgainst(levels); msg != "" {
			out = append(out, Problem{File: d.File, Line: max(d.At("scale"), 1), Message: "warning: " + msg})
		}
	}
	return out
}

// guidanceWarnings names the stages each dimension has no guidance for: reports show no next step there.
func (d *Definition) guidanceWarnings() []Problem {
	var out []Problem
	for _, dim := range d.Dimensions {
		var missing []string
		for _, stage := range d.Scale.Stages {
			if _, ok := dim.Guidance[stage.Key]; !ok {
				missing = append(missing, stage.Key)
			}
		}
		if len(missing) > 0 {
			out = append(out, Problem{File: d.File, Line: dim.Line, Message: fmt.Sprintf(
				"warning: dimension %q has no guidance for %s: reports will show no next step there", dim.Key, strings.Join(missing, ", "))})
		}
	}
	return out
}

// minutesWarnings warns where the definition tells respondents it takes less time than the longest
// path is estimated to take.
func (d *Definition) minutesWarnings() []Problem {
	estimate := d.EstimatedMinutes()
	if d.Minutes == 0 || float64(d.Minutes) >= estimate {
		return nil
	}
	return []Problem{{File: d.File, Line: max(d.At("minutes"), 1), Message: fmt.Sprintf(
		"warning: minutes is %d, but the longest path (every question asked) is estimated at %.1f minutes: set minutes to %d or shorten the questionnaire",
		d.Minutes, estimate, int(math.Ceil(estimate)))}}
}

// levelCounts lists the distinct numbers of levels of the definition's maturity and
// aspiration-reality questions and of its proficiency scale, smallest first.
func (d *Definition) levelCounts() []int {
	var counts []int
	add := func(n int) {
		if n >= 2 && !slices.Contains(counts, n) {
			counts = append(counts, n)
		}
	}
	for _, q := range d.Questions() {
		if q.Type == TypeMaturity || q.Type == TypeAspirationReality {
			add(len(q.Levels))
		}
		if q.Type == TypeProficiency {
			add(len(d.Proficiency))
		}
	}
	slices.Sort(counts)
	return counts
}

// stagesAgainst says how the stages fail to line up with questions of the given number of levels,
// or "" where each level's score falls in its own stage.
func (d *Definition) stagesAgainst(levels int) string {
	stages := d.Scale.Stages
	want := make([]string, levels)
	for i := range levels {
		if i == 0 {
			want[i] = "0"
			continue
		}
		want[i] = fmt.Sprintf("%g", 100*(float64(i)-0.5)/float64(levels-1))
	}
	hint := fmt.Sprintf("start the stages at %s so a team answering every question at level i sits in stage i", strings.Join(want, ", "))
	if len(stages) != levels {
		return fmt.Sprintf("%d stages against questions of %d levels: %s", len(stages), levels, hint)
	}
	for i := 1; i < levels; i++ {
		// A mean is nearer level i+1 than level i from halfway between their scores.
		halfway := 100 * (float64(i) - 0.5) / float64(levels-1)
		if math.Abs(stages[i].From-halfway) > stageTolerance {
			return fmt.Sprintf("stage %q starts at %g, not %g, halfway between levels %d and %d: %s", stages[i].Key, stages[i].From, halfway, i, i+1, hint)
		}
	}
	return ""
}
