package bench

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"
)

// The aims the service is held to, from the issue that asked for this benchmark.
const (
	// aimRatio: acknowledged submissions at 64 clients, as a multiple of the bare limit.
	aimRatio          = 2.0
	aimSubmissionP99  = 50 * time.Millisecond
	aimRespondentRate = 2700.0 // respondent paths a second
	aimReportP99      = 100 * time.Millisecond
	// aimPeakMemory is 150 MB in decimal megabytes, the stricter reading of "MB".
	aimPeakMemory = 150_000_000
)

// results are the figures of one run.
type results struct {
	clients int
	pool    *pool // the answers sent, which the bare limit stores too
	// warmup is kept for its failures only: its figures are before the service settled.
	warmup, submissions, reports, respondent, simplest, bare *tally
	peak                                                     int64
	peakKnown                                                bool
}

// row is one line of the printed results: a figure, its value, its aim and whether it was met.
type row struct{ figure, value, aim, verdict string }

// rows are the figures in the order they are printed, each beside its aim where it has one.
func (r *results) rows() []row {
	rows := []row{r.rateRow(fmt.Sprintf("submissions acknowledged (%d clients)", r.clients), r.submissions)}
	last := &rows[0]
	last.aim, last.verdict = atLeast(r.submissions.rate(), aimRatio*r.bare.rate(), perSecond)
	last.aim += " (2× bare)"
	rows = append(rows, latencyRows("submission", r.submissions, aimSubmissionP99)...)
	rows = append(rows, r.rateRow("respondent paths (questionnaire + submission)", r.respondent))
	last = &rows[len(rows)-1]
	last.aim, last.verdict = atLeast(r.respondent.rate(), aimRespondentRate, perSecond)
	rows = append(rows, latencyRows("respondent path", r.respondent, 0)...)
	rows = append(rows, r.rateRow("report reads while submissions run", r.reports))
	rows = append(rows, latencyRows("report read", r.reports, aimReportP99)...)
	if r.simplest != nil {
		rows = append(rows, r.rateRow("simplest request (GET /healthz), for scale", r.simplest))
	}
	rows = append(rows, r.rateRow("bare limit (one JSON row per transaction)", r.bare))
	ratio := row{figure: "submissions ÷ bare limit", value: "none stored bare"}
	if r.bare.rate() > 0 {
		x := r.submissions.rate() / r.bare.rate()
		ratio.value = times(x)
		ratio.aim, ratio.verdict = atLeast(x, aimRatio, times)
	}
	return append(rows, ratio, r.memoryRow())
}

// rateRow is a phase's operations a second, with the count and time they come from.
func (r *results) rateRow(figure string, t *tally) row {
	return row{figure: figure, value: fmt.Sprintf("%s (%s in %.1fs)", perSecond(t.rate()), thousands(t.done), t.elapsed.Seconds())}
}

// latencyRows are a phase's p50, p95 and p99; the p99 has aim when aim is not 0.
func latencyRows(what string, t *tally, aim time.Duration) []row {
	s := spreadOf(t.latencies)
	rows := []row{
		{figure: what + " p50", value: millis(float64(s.p50))},
		{figure: what + " p95", value: millis(float64(s.p95))},
		{figure: what + " p99", value: millis(float64(s.p99))},
	}
	if aim != 0 {
		rows[2].aim, rows[2].verdict = below(float64(s.p99), float64(aim), millis)
	}
	return rows
}

func (r *results) memoryRow() row {
	m := row{figure: "server peak memory (VmHWM)", value: "not measured on this system"}
	if r.peakKnown {
		m.value = megabytes(float64(r.peak))
		m.aim, m.verdict = below(float64(r.peak), aimPeakMemory, megabytes)
	}
	return m
}

// print writes the figures as a table, then any failed requests.
func (r *results) print(out io.Writer) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nFIGURE\tVALUE\tAIM\tVERDICT")
	for _, x := range r.rows() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", x.figure, x.value, x.aim, x.verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	r.printFailures(out)
	return nil
}

// phase is one part of a run, named as the failures are told.
type phase struct {
	name  string
	tally *tally
}

func (r *results) phases() []phase {
	phases := []phase{{"warm-up", r.warmup}, {"submissions", r.submissions}, {"report reads", r.reports},
		{"respondent paths", r.respondent}, {"simplest requests", r.simplest}, {"bare limit", r.bare}}
	return slices.DeleteFunc(phases, func(p phase) bool { return p.tally == nil })
}

// failed counts the requests that failed in every phase.
func (r *results) failed() int {
	n := 0
	for _, p := range r.phases() {
		n += p.tally.failed
	}
	return n
}

// printFailures tells how many requests failed in each phase, and the first few in full.
func (r *results) printFailures(out io.Writer) {
	if r.failed() == 0 {
		fmt.Fprintln(out, "\nfailed requests: none")
		return
	}
	fmt.Fprintf(out, "\nfailed requests: %s\n", thousands(r.failed()))
	for _, p := range r.phases() {
		if p.tally.failed == 0 {
			continue
		}
		fmt.Fprintf(out, "  %s: %s failed, the first:\n", p.name, thousands(p.tally.failed))
		for _, e := range p.tally.examples {
			fmt.Fprintf(out, "    %s\n", e)
		}
	}
}

// atLeast compares a value with a floor it must reach.
func atLeast(value, floor float64, show func(float64) string) (aim, verdict string) {
	aim = "≥ " + show(floor)
	if value >= floor {
		return aim, "met"
	}
	return aim, "missed by " + show(floor-value)
}

// below compares a value with a ceiling it must stay under.
func below(value, ceiling float64, show func(float64) string) (aim, verdict string) {
	aim = "< " + show(ceiling)
	if value < ceiling {
		return aim, "met"
	}
	return aim, "missed by " + show(value-ceiling)
}

func perSecond(x float64) string { return thousands(int(x+0.5)) + "/s" }

func millis(ns float64) string { return fmt.Sprintf("%.1f ms", ns/float64(time.Millisecond)) }

func times(x float64) string { return fmt.Sprintf("%.2f×", x) }

func megabytes(bytes float64) string { return fmt.Sprintf("%.1f MB", bytes/1e6) }

// thousands writes n with commas between thousands, as 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
