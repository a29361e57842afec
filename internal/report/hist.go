package report

import (
	"cmp"
	"slices"

	"skillsurvey/internal/stats"
)

// hist is a score histogram: each distinct score with how many responses have it, in order of
// score, no count zero. Kept in order because figures are summed in order of value (the same
// answers give the same figures to the last bit), because tallies arrive in order of score (so a
// histogram is built by appending), and because rolling a hierarchy up is then a merge of sorted
// runs rather than a hash of every value at every level.
type hist []stats.ValueCount

func byValue(x stats.ValueCount, v float64) int { return cmp.Compare(x.Value, v) }

// add counts c more responses with score v.
func (h hist) add(v float64, c int) hist {
	if c == 0 {
		return h
	}
	if n := len(h); n == 0 || h[n-1].Value < v {
		return append(h, stats.ValueCount{Value: v, Count: c})
	} else if h[n-1].Value == v {
		h[n-1].Count += c
		return h
	}
	i, found := slices.BinarySearchFunc(h, v, byValue)
	if found {
		h[i].Count += c
		return h
	}
	return slices.Insert(h, i, stats.ValueCount{Value: v, Count: c})
}

// plus is h and o together. It may be h itself, written over and grown (the caller must own h's
// array, as a part owns its histogram), or a new histogram; never o, so p = p.plus(o) leaves o as
// it was, and a histogram merged into an empty one is a copy.
func (h hist) plus(o hist) hist {
	if len(o) == 0 {
		return h
	}
	if len(h) == 0 {
		return slices.Clone(o)
	}
	size := len(h) + len(o) - common(h, o)
	if cap(h) < size {
		// Room to spare: a group's histogram takes its children's one after another.
		out := make(hist, 0, size+size/2)
		i, j := 0, 0
		for i < len(h) && j < len(o) {
			switch a, b := h[i], o[j]; {
			case a.Value < b.Value:
				out = append(out, a)
				i++
			case a.Value > b.Value:
				out = append(out, b)
				j++
			default:
				out = append(out, stats.ValueCount{Value: a.Value, Count: a.Count + b.Count})
				i++
				j++
			}
		}
		out = append(out, h[i:]...)
		return append(out, o[j:]...)
	}
	// In place, from the back: each place written is past every score of h not yet read.
	out := h[:size]
	i, j := len(h)-1, len(o)-1
	for k := size - 1; j >= 0; k-- {
		switch {
		case i >= 0 && h[i].Value > o[j].Value:
			out[k] = h[i]
			i--
		case i >= 0 && h[i].Value == o[j].Value:
			out[k] = stats.ValueCount{Value: h[i].Value, Count: h[i].Count + o[j].Count}
			i--
			j--
		default:
			out[k] = o[j]
			j--
		}
	}
	return out // h's scores below i are where they were
}

// common counts the scores h and o share.
func common(h, o hist) int {
	n, i, j := 0, 0, 0
	for i < len(h) && j < len(o) {
		switch {
		case h[i].Value < o[j].Value:
			i++
		case h[i].Value > o[j].Value:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// minus is h less o, whose responses h includes (a breakdown cell's from its group's); scores
// left with no response are dropped, and h's array is reused where it has every score of o. A score of o that h lacks stays as
// a negative count, so a histogram that did not include o shows as wrong figures (summarise gives
// NaN), not as a plausible one that disagrees with its part's count.
func (h hist) minus(o hist) hist {
	if includes(h, o) {
		// In place: what is kept never runs ahead of what is read.
		out, j := h[:0], 0
		for _, a := range h {
			if j < len(o) && o[j].Value == a.Value {
				a.Count -= o[j].Count
				j++
			}
			if a.Count != 0 {
				out = append(out, a)
			}
		}
		return out
	}
	out := make(hist, 0, len(h))
	i, j := 0, 0
	for i < len(h) || j < len(o) {
		switch {
		case j == len(o) || i < len(h) && h[i].Value < o[j].Value:
			out = append(out, h[i])
			i++
		case i == len(h) || o[j].Value < h[i].Value:
			out = append(out, stats.ValueCount{Value: o[j].Value, Count: -o[j].Count})
			j++
		default:
			if c := h[i].Count - o[j].Count; c != 0 {
				out = append(out, stats.ValueCount{Value: h[i].Value, Count: c})
			}
			i++
			j++
		}
	}
	return out
}

// includes says whether every score of o is one of h's.
func includes(h, o hist) bool {
	i := 0
	for _, b := range o {
		for i < len(h) && h[i].Value < b.Value {
			i++
		}
		if i == len(h) || h[i].Value != b.Value {
			return false
		}
	}
	return true
}

// histOf is the histogram of a map of score → responses (as a snapshot stores it).
func histOf(m map[float64]int) hist {
	h := make(hist, 0, len(m))
	for v, c := range m {
		if c != 0 {
			h = append(h, stats.ValueCount{Value: v, Count: c})
		}
	}
	slices.SortFunc(h, func(a, b stats.ValueCount) int { return cmp.Compare(a.Value, b.Value) })
	return h
}
