package report

import (
	"context"
	"strconv"
	"strings"

	"skillsurvey/internal/suppression"
	"skillsurvey/internal/survey"
)

// Distributions: how a group answered its multi_choice questions (the share who chose each
// option) and its number questions (how many answered in each bin; see survey.Question.BinEdges).
//
// Each is suppressed as a breakdown is, on its own counts, within the groups shown. A number
// question's bins split its answers, so they are the cells of one family: no bin below the
// threshold is shown, nor any that the group's answers less its shown bins would give. An option
// of a multi_choice question splits the answers in two, those who chose it and those who did not,
// so each option is a family of two cells: neither who chose it nor who did not is shown below the
// threshold (a share of 100% says what everyone chose, but of at least k people). The options of a
// question share their total, the group's answers, so their families are decided again until all
// of them show the same groups: a total one option's family withholds, to protect its cells, is
// withheld in every other's too.

// Keys of the distribution parts: the answers to a question, the answers with one value (an
// option chosen, a bin's index), and the answers without it (an option not chosen).
func answeredKey(q string) string  { return "answered:" + q }
func valueKey(q, v string) string  { return "value:" + q + "=" + v }
func othersKey(q, v string) string { return "others:" + q + "=" + v }

// Families of distribution figures, in builder.shown.
func choiceFamily(q, option string) string { return "choice:" + q + "=" + option }
func binsFamily(q string) string           { return "bins:" + q }

// loadDistributions reads the distribution counts into s.
func loadDistributions(ctx context.Context, src Source, waveID uint, s *sums) error {
	rows, err := src.Distributions(ctx, waveID)
	if err != nil {
		return err
	}
	for _, r := range rows {
		p := s.at(r.TeamID, "", r.Question)
		if p == nil {
			continue
		}
		key := answeredKey(r.Question)
		if r.Value != "" {
			key = valueKey(r.Question, r.Value)
		}
		pt := p.own[key]
		if pt == nil {
			pt = &part{}
			p.own[key] = pt
		}
		pt.Count += r.N
	}
	return nil
}

// addOthers gives every node, for each value counted there, the answers without it: a part of its
// own, so that while a wave is open it too moves only in steps of the threshold. (A value nobody
// gave has no part: its others are all the answers, see others.)
func (tr *tree) addOthers() {
	for _, n := range tr.nodes {
		for key, p := range n.parts {
			rest, ok := strings.CutPrefix(key, "value:")
			if !ok {
				continue
			}
			q, v, ok := strings.Cut(rest, "=")
			if !ok {
				continue
			}
			n.get(othersKey(q, v)).Count = n.count(answeredKey(q)) - p.Count
		}
	}
}

// others is how many of a node's answers to a question lack a value.
func others(n *node, q, v string) int {
	if p, ok := n.parts[othersKey(q, v)]; ok {
		return p.Count
	}
	return n.count(answeredKey(q)) - n.count(valueKey(q, v))
}

// distributionQuestions are the questions reported as distributions: every multi_choice question,
// and every number question with bins.
func distributionQuestions(def *survey.Definition) []*survey.Question {
	var out []*survey.Question
	for _, q := range def.Questions() {
		if q.Type == survey.TypeMultiChoice || q.Type == survey.TypeNumber && len(q.BinEdges()) > 0 {
			out = append(out, q)
		}
	}
	return out
}

// suppressDistributions decides which distribution figures may be shown, within the groups shown.
func (b *builder) suppressDistributions(parents []int) {
	groups := suppression.Shown{Node: b.groups.Node, NodeWhy: b.groups.NodeWhy}
	table := func(q string, cells func(n *node) []int) suppression.Table {
		t := suppression.Table{Parent: parents, Total: make([]int, len(parents)), Cells: make([][]int, len(parents))}
		for i, n := range b.tree.nodes {
			t.Total[i], t.Cells[i] = n.count(answeredKey(q)), cells(n)
		}
		return t
	}
	for _, q := range distributionQuestions(b.def) {
		if q.Type == survey.TypeNumber {
			bins := len(q.BinEdges())
			b.shown[binsFamily(q.Key)] = suppression.Suppress(table(q.Key, func(n *node) []int {
				counts := make([]int, bins)
				for i := range counts {
					counts[i] = n.count(valueKey(q.Key, strconv.Itoa(i)))
				}
				return counts
			}), b.k, &groups)
			continue
		}
		within := groups
		for {
			shown := append([]bool(nil), within.Node...)
			for _, o := range q.Options {
				s := suppression.Suppress(table(q.Key, func(n *node) []int {
					return []int{n.count(valueKey(q.Key, o.Key)), others(n, q.Key, o.Key)}
				}), b.k, &within)
				b.shown[choiceFamily(q.Key, o.Key)] = s
				for i := range shown {
					shown[i] = shown[i] && s.Node[i]
				}
			}
			if equalBools(shown, within.Node) {
				break
			}
			// A total some option withholds is withheld for every option, and all decided again.
			why := append([]suppression.Reason(nil), within.NodeWhy...)
			for i := range shown {
				if !shown[i] && within.Node[i] {
					why[i] = suppression.ProtectsAnother
				}
			}
			within = suppression.Shown{Node: shown, NodeWhy: why}
		}
	}
}

func equalBools(a, b []bool) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// distributions computes node i's distributions.
func (b *builder) distributions(i int) map[string]*Distribution {
	out := map[string]*Distribution{}
	n := b.tree.nodes[i]
	for _, q := range distributionQuestions(b.def) {
		if b.open { // published when the wave closes, as breakdowns are
			out[q.Key] = &Distribution{Withheld: true, Reason: ReasonWaiting}
			continue
		}
		family := binsFamily(q.Key)
		if q.Type == survey.TypeMultiChoice {
			family = choiceFamily(q.Key, q.Options[0].Key) // every option's family shows the same totals
		}
		s := b.shown[family]
		if !s.Node[i] {
			out[q.Key] = &Distribution{Withheld: true, Reason: b.waiting(s.NodeWhy[i], n.parts[answeredKey(q.Key)])}
			continue
		}
		d := &Distribution{N: n.count(answeredKey(q.Key))}
		// A count of 0 is withheld as a small one is: shown, it would change when the first
		// answers arrive, before k of them have (as a breakdown cell's does not).
		share := func(s suppression.Shown, cell int, key string) Share {
			if !s.Cell[i][cell] {
				return Share{Withheld: true, Reason: b.waiting(s.CellWhy[i][cell], n.parts[key])}
			}
			count := n.count(key)
			return Share{N: count, Share: float64(count) / float64(d.N)}
		}
		if q.Type == survey.TypeMultiChoice {
			for _, o := range q.Options {
				c := share(b.shown[choiceFamily(q.Key, o.Key)], 0, valueKey(q.Key, o.Key))
				c.Key = o.Key
				d.Options = append(d.Options, c)
			}
		} else {
			for bin, from := range q.BinEdges() {
				c := share(s, bin, valueKey(q.Key, strconv.Itoa(bin)))
				c.From, c.To = &from, q.BinEnd(bin)
				d.Bins = append(d.Bins, c)
			}
		}
		out[q.Key] = d
	}
	return out
}

// distributionInfo describes the questions reported as distributions.
func distributionInfo(def *survey.Definition) []DistributionInfo {
	out := []DistributionInfo{}
	for _, q := range distributionQuestions(def) {
		info := DistributionInfo{Question: q.Key, Text: q.Text, Type: q.Type, Unit: q.Unit}
		for _, o := range q.Options {
			info.Options = append(info.Options, Option{Key: o.Key, Label: o.Label})
		}
		for bin, from := range q.BinEdges() {
			info.Bins = append(info.Bins, Bin{From: from, To: q.BinEnd(bin)})
		}
		out = append(out, info)
	}
	return out
}
