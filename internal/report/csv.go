package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// csvHeader names the CSV columns. The layout is tidy: one row per group, breakdown cell and measure,
// every column a single kind of value, so the file loads straight into a spreadsheet, R or pandas.
var csvHeader = []string{
	"wave", "answers_verified", "group", "group_name", "level", "parent", "withheld", "withheld_reason",
	"n", "headcount", "response_rate",
	"cell", "cell_label", "measure", "measure_title", "n_measure",
	"mean", "median", "sd", "ci95_low", "ci95_high", "stage",
	"now", "target", "gap", "alpha",
	"coverage", "depth", "meets_expected",
	"headcount_outdated", "share",
}

// csvLine is one CSV row before formatting. Text fields hold what the definition, the hierarchy or the
// wave say (all of it treated as hostile); numeric fields are nil where there is nothing to show.
// record is the only way a line becomes cells, so no text escapes neutralising and no number escapes
// rounding.
type csvLine struct {
	wave, group, groupName, level, parent string
	verified                              bool // false for an open-mode wave, on every row
	withheld                              bool
	reason                                string // why withheld
	n, headcount                          *int
	responseRate                          *float64
	cell, cellLabel, measure, title       string
	nMeasure                              *int
	mean, median, sd, ciLow, ciHigh       *float64
	stage                                 string
	now, target, gap, alpha               *float64
	coverage                              *float64
	depth                                 *int
	meetsExpected                         *float64
	share                                 *float64
	outdated                              *bool // more responses than the headcount; nil where no count is shown
}

func (l *csvLine) record() []string {
	return []string{
		neutralise(l.wave), strconv.FormatBool(l.verified), neutralise(l.group), neutralise(l.groupName), neutralise(l.level), neutralise(l.parent),
		strconv.FormatBool(l.withheld), neutralise(l.reason),
		csvInt(l.n), csvInt(l.headcount), csvRatio(l.responseRate),
		neutralise(l.cell), neutralise(l.cellLabel), neutralise(l.measure), neutralise(l.title), csvInt(l.nMeasure),
		csvScore(l.mean), csvScore(l.median), csvScore(l.sd), csvScore(l.ciLow), csvScore(l.ciHigh),
		neutralise(l.stage),
		csvScore(l.now), csvScore(l.target), csvScore(l.gap), csvRatio(l.alpha),
		csvRatio(l.coverage), csvInt(l.depth), csvRatio(l.meetsExpected),
		csvBool(l.outdated), csvRatio(l.share),
	}
}

// WriteCSV writes the report as one RFC 4180 CSV file (CRLF line ends, a header row). A withheld group
// is one row with withheld=true, its reason, and no numbers; so is a withheld breakdown cell; a withheld figure set
// or skill keeps its measure but has no numbers either. Free-text comments are never written.
func WriteCSV(w io.Writer, rep *Report) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := make([]string, len(csvHeader))
	for i, h := range csvHeader {
		header[i] = neutralise(h)
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	for i := range rep.Groups {
		for _, line := range csvGroupLines(rep, &rep.Groups[i]) {
			if err := cw.Write(line.record()); err != nil {
				return fmt.Errorf("write csv row of group %q: %w", rep.Groups[i].Key, err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// csvGroupLines lists a group's rows: overall, each dimension, each skill, each distribution, then
// each breakdown cell's overall, dimensions and skills.
func csvGroupLines(rep *Report, g *Group) []csvLine {
	base := csvLine{wave: rep.Wave.Key, verified: rep.Wave.AnswersVerified, group: g.Key, groupName: g.Name, level: g.Level, withheld: g.Withheld, reason: g.Reason}
	if g.Parent != nil {
		base.parent = *g.Parent
	}
	if g.Withheld {
		return []csvLine{base}
	}
	base.n, base.headcount, base.outdated = g.N, g.Headcount, &g.HeadcountOutdated
	if g.ResponseRate != nil {
		rate := float64(*g.ResponseRate)
		base.responseRate = &rate
	}
	lines := csvMeasureLines(rep, base, g.Overall, g.Dimensions)
	if len(lines) == 0 {
		return []csvLine{base} // counted only, while an open-mode wave is open
	}
	lines = append(lines, csvSkillLines(rep, base, g.Skills)...)
	lines = append(lines, csvDistributionLines(rep, base, g.Distributions)...)
	for _, c := range g.Cells {
		cell := base
		cell.cell, cell.cellLabel = c.Option, optionLabel(rep, c.Option)
		cell.headcount, cell.responseRate, cell.outdated = nil, nil, nil // a headcount is known for teams, not for cells
		if c.Withheld {
			cell.n, cell.withheld, cell.reason = nil, true, c.Reason
			lines = append(lines, cell)
			continue
		}
		cell.n = c.N
		lines = append(lines, csvMeasureLines(rep, cell, c.Overall, c.Dimensions)...)
		lines = append(lines, csvSkillLines(rep, cell, c.Skills)...)
	}
	return lines
}

// csvSkillLines lists one row per skill, in the report's order.
func csvSkillLines(rep *Report, base csvLine, skills map[string]*SkillFigures) []csvLine {
	var lines []csvLine
	for _, s := range rep.Skills {
		if sf, ok := skills[s.Key]; ok && sf != nil {
			lines = append(lines, csvSkillLine(base, s, sf))
		}
	}
	return lines
}

// csvMeasureLines lists the overall row and one row per dimension, in the definition's order.
func csvMeasureLines(rep *Report, base csvLine, overall *Figures, dims map[string]*Figures) []csvLine {
	var lines []csvLine
	if overall != nil {
		lines = append(lines, csvFiguresLine(base, "overall", "Overall", overall))
	}
	for _, d := range rep.Dimensions {
		if f, ok := dims[d.Key]; ok && f != nil {
			lines = append(lines, csvFiguresLine(base, d.Key, d.Title, f))
		}
	}
	return lines
}

func csvFiguresLine(base csvLine, measure, title string, f *Figures) csvLine {
	l := base
	l.measure, l.title = measure, title
	if f.Withheld {
		return csvWithheldLine(l, f.Reason)
	}
	n := f.N
	l.nMeasure = &n
	l.mean, l.median, l.sd = floatRef(f.Mean), floatRef(f.Median), floatRef(f.SD)
	l.ciLow, l.ciHigh = floatRef(f.CI95[0]), floatRef(f.CI95[1])
	l.stage = f.Stage
	l.now, l.target, l.gap, l.alpha = f.Now, f.Target, f.Gap, f.Alpha
	return l
}

func csvSkillLine(base csvLine, s SkillInfo, sf *SkillFigures) csvLine {
	l := base
	l.measure, l.title = "skill:"+s.Key, s.Title
	if sf.Withheld {
		return csvWithheldLine(l, sf.Reason)
	}
	n, depth := sf.N, sf.Depth
	l.nMeasure, l.depth = &n, &depth
	l.coverage, l.meetsExpected = floatRef(sf.Coverage), sf.MeetsExpected
	return l
}

// csvDistributionLines lists, for each question reported as a distribution, a row of its answers
// (measure choice:<question> or number:<question>, n_measure the answers) and a row per option
// (choice:<question>:<option>) or bin (number:<question>:<from>) with its count and share.
func csvDistributionLines(rep *Report, base csvLine, dists map[string]*Distribution) []csvLine {
	var lines []csvLine
	for _, info := range rep.Distributions {
		d, ok := dists[info.Question]
		if !ok || d == nil {
			continue
		}
		kind := "choice:"
		if info.Type == "number" {
			kind = "number:"
		}
		l := base
		l.measure, l.title = kind+info.Question, info.Text
		if d.Withheld {
			lines = append(lines, csvWithheldLine(l, d.Reason))
			continue
		}
		answered := d.N
		l.nMeasure = &answered
		lines = append(lines, l)
		for i, s := range append(slices.Clone(d.Options), d.Bins...) {
			l := base
			if s.Key != "" {
				l.measure, l.title = kind+info.Question+":"+s.Key, optionLabelOf(info.Options, s.Key)
			} else {
				l.measure, l.title = kind+info.Question+":"+strconv.FormatFloat(*s.From, 'g', -1, 64), binTitle(info, i)
			}
			if s.Withheld {
				lines = append(lines, csvWithheldLine(l, s.Reason))
				continue
			}
			n := s.N
			l.nMeasure, l.share = &n, floatRef(s.Share)
			lines = append(lines, l)
		}
	}
	return lines
}

func optionLabelOf(options []Option, key string) string {
	for _, o := range options {
		if o.Key == key {
			return o.Label
		}
	}
	return key
}

// binTitle describes bin i of a number question: "10 to under 20 hours", "50 to 200 hours" (the
// last, which includes max), "50 and over".
func binTitle(info DistributionInfo, i int) string {
	if i >= len(info.Bins) {
		return ""
	}
	b := info.Bins[i]
	from := strconv.FormatFloat(b.From, 'g', -1, 64)
	var title string
	switch {
	case b.To == nil:
		title = from + " and over"
	case i == len(info.Bins)-1:
		title = from + " to " + strconv.FormatFloat(*b.To, 'g', -1, 64)
	default:
		title = from + " to under " + strconv.FormatFloat(*b.To, 'g', -1, 64)
	}
	if info.Unit != "" {
		title += " " + info.Unit
	}
	return title
}

// csvWithheldLine keeps a row's labels and drops every number, the group's own included, so a withheld
// row never carries a figure whatever the column; it says why.
func csvWithheldLine(l csvLine, reason string) csvLine {
	return csvLine{wave: l.wave, verified: l.verified, group: l.group, groupName: l.groupName, level: l.level, parent: l.parent,
		withheld: true, reason: reason, cell: l.cell, cellLabel: l.cellLabel, measure: l.measure, title: l.title}
}

func optionLabel(rep *Report, key string) string {
	if rep.Breakdown == nil {
		return ""
	}
	for _, o := range rep.Breakdown.Options {
		if o.Key == key {
			return o.Label
		}
	}
	return ""
}

func floatRef(x float64) *float64 { return &x }

// formulaTriggers are the first characters that make a spreadsheet read a cell as a formula (OWASP's
// list, plus a line feed, which some importers treat like a carriage return).
const formulaTriggers = "=+-@\t\r\n"

// neutralise prefixes a single quote to text a spreadsheet would otherwise run as a formula. It is
// applied to every text cell; numbers never pass through it, because they are formatted here by
// strconv and can only read as a number (see csvDecimal).
func neutralise(s string) string {
	if s != "" && strings.IndexByte(formulaTriggers, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

func csvBool(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func csvInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// csvScore writes a 0-100 score (or a difference of scores) with one decimal place.
func csvScore(x *float64) string { return csvDecimal(x, 1) }

// csvRatio writes a share, rate or coefficient with three decimal places.
func csvRatio(x *float64) string { return csvDecimal(x, 3) }

// csvDecimal rounds x and writes it as plain decimal digits, with a leading minus sign where x is
// negative: a gap of -12.5 is written -12.5, unquoted, since a spreadsheet reads that as the number it
// is. NaN, infinities and nil are written as an empty cell.
func csvDecimal(x *float64, places int) string {
	if x == nil {
		return ""
	}
	r, ok := rounded(*x, places)
	if !ok {
		return ""
	}
	return strconv.FormatFloat(r, 'f', places, 64)
}

// rounded is x rounded to places decimals, with negative zero made positive (never "-0.0"); false for
// NaN and infinities.
func rounded(x float64, places int) (float64, bool) {
	r := round(x, places)
	if r == nil {
		return 0, false
	}
	if *r == 0 {
		return 0, true
	}
	return *r, true
}
