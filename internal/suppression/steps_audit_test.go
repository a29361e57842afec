package suppression

import "slices"

// stepAuditor is the reader who keeps the publications given: what they can work out is the row
// space of the figures shown, over the non-empty atoms split by step (node, column, step), with
// the exact arithmetic of suppressAuditor (at most 32 atoms). Like suppressAuditor's reader, they
// know which atoms are empty: here, which columns of a node's answers had nobody arrive at a step.
type stepAuditor struct {
	c     stepCase
	atoms []stepAtom
	null  [][]uint64
}

type stepAtom struct{ node, column, step, count int }

func newStepAuditor(c stepCase, shown []figure) stepAuditor {
	au := stepAuditor{c: c}
	for s, step := range c.arrive {
		for i, row := range step {
			for o, x := range row {
				if x > 0 {
					au.atoms = append(au.atoms, stepAtom{i, o, s, x})
				}
			}
		}
	}
	if len(au.atoms) > 32 {
		panic("too many atoms for an exact audit modulo 2^61-1")
	}
	var rows [][]uint64
	for _, f := range shown {
		row := make([]uint64, len(au.atoms))
		for j, a := range au.atoms {
			if c.inSubtree(a.node, f.node) && (f.option < 0 || a.column == f.option) && a.step <= f.through[a.node] {
				row[j] = 1
			}
		}
		rows = append(rows, row)
	}
	au.null = nullSpace(rows, len(au.atoms))
	return au
}

// smallSet returns a set of atoms holding 1 to k-1 answers that can be worked out, or nil.
func (au stepAuditor) smallSet() []stepAtom {
	span := suppressAuditor{null: au.null}
	var small []int
	for i, a := range au.atoms {
		if a.count < au.c.k {
			small = append(small, i)
		}
	}
	var search func(small, set []int, n int) []int
	search = func(small, set []int, n int) []int {
		if len(set) > 0 && span.derivable(set) {
			return set
		}
		for j, i := range small {
			if n+au.atoms[i].count < au.c.k {
				if found := search(small[j+1:], append(slices.Clip(set), i), n+au.atoms[i].count); found != nil {
					return found
				}
			}
		}
		return nil
	}
	var set []stepAtom
	for _, i := range search(small, nil, 0) {
		set = append(set, au.atoms[i])
	}
	return set
}
