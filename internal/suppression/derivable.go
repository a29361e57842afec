package suppression

import "slices"

// Whether one given set of atoms can be worked out, for mending (rule 5, see scattered.go): the
// combinations of shown figures are followed up the tree with one coordinate per atom of the set,
// beside the node's function H, and the set can be worked out when they can give every one of its
// atoms 1 and every other atom that holds anyone 0.

// exact works out, in one state of knowledge, what combinations give the atoms of a set.
type exact struct {
	sp   *suppressor
	v    whatIf
	free []uint64 // per node, the columns whose atoms are empty or in the set
	// marked: the subtree holds an atom of the set; up is then worked out here, else it is the
	// inside of state.go
	marked []bool
	up     []colSpace // the H a node's parent may have, as far as the node's subtree goes
	low    []colSpace // the H the subtree allows at the node, with nobody of the set (marked nodes)
}

func (sp *suppressor) newExact(v whatIf, atoms []atom) *exact {
	e := &exact{sp: sp, v: v, free: make([]uint64, len(sp.parent)), marked: make([]bool, len(sp.parent)),
		up: make([]colSpace, len(sp.parent)), low: make([]colSpace, len(sp.parent))}
	for n := range sp.parent {
		for o, c := range sp.own[n] {
			if c == 0 {
				e.free[n] |= 1 << o
			}
		}
	}
	for _, a := range atoms {
		e.free[a.node] |= 1 << a.column
		for n := a.node; n >= 0 && !e.marked[n]; n = sp.parent[n] {
			e.marked[n] = true
		}
	}
	for n := len(sp.parent) - 1; n >= 0; n-- { // children first
		if !e.marked[n] {
			e.up[n] = v.insideOf(n)
			continue
		}
		e.low[n] = sp.span(e.free[n], false)
		for _, c := range sp.children[n] {
			e.low[n] = sp.meet(e.low[n], e.up[c])
		}
		e.up[n] = sp.plus(v.figOf(n), e.low[n])
	}
	return e
}

// combinations is what combinations of shown figures give the atoms followed, per top whose
// subtree holds some: a subspace of vectors with one coordinate per atom.
func (e *exact) combinations(followed []atom) []reach {
	var tops []reach
	for n, p := range e.sp.parent {
		if p < 0 && e.marked[n] {
			r := e.reach(n, followed).restrict(e.sp, e.v.figOf(n))
			tops = append(tops, r.project(e.sp.width))
		}
	}
	return tops
}

// reach is what the subtree of a node allows: pairs of a function H of its columns (the first
// coordinates) and what a combination then gives each atom followed (one coordinate each).
type reach struct {
	b     *wideBasis
	atoms []atom
}

// reach works out a marked node's reach: its own atoms take H's value in their column; each
// child's subtree allows H less something its figures span.
func (e *exact) reach(n int, followed []atom) reach {
	sp, w := e.sp, e.sp.width
	h, marked := sp.span(e.free[n], false), []int(nil)
	for _, c := range sp.children[n] {
		if e.marked[c] {
			marked = append(marked, c)
		} else {
			h = sp.meet(h, e.up[c])
		}
	}
	var own []atom
	for _, a := range followed {
		if a.node == n {
			own = append(own, a)
		}
	}
	r := reach{b: newWideBasis(w + len(own)), atoms: own}
	base := sp.bases[h]
	for i := range base.dim {
		v := make([]uint64, w+len(own))
		copy(v, base.rows[i*w:(i+1)*w])
		for j, a := range own {
			v[w+j] = v[a.column]
		}
		r.b.add(v)
	}
	for _, c := range marked {
		r = r.product(e.reach(c, followed).widen(sp, e.v.figOf(c)), w)
	}
	return r
}

// restrict keeps the pairs whose H lies in s.
func (r reach) restrict(sp *suppressor, s colSpace) reach {
	w := sp.width
	at := make([]int, w)
	for j := range at {
		at[j] = j
	}
	followed := make([]int, len(r.atoms))
	for j := range followed {
		followed[j] = w + j
	}
	return reach{meetWide(r.b, embed(sp.wide(s), r.b.width, at, followed)), r.atoms}
}

// widen adds what s spans to H, giving the atoms nothing: what the parent's H may be.
func (r reach) widen(sp *suppressor, s colSpace) reach {
	for _, row := range sp.wide(s).rows {
		v := make([]uint64, r.b.width)
		copy(v, row)
		r.b.add(v)
	}
	return r
}

// product is the pairs of H and the atoms of both r and q that each allows with the same H.
func (r reach) product(q reach, w int) reach {
	width := w + len(r.atoms) + len(q.atoms)
	rAt, qAt := make([]int, r.b.width), make([]int, q.b.width)
	var rFree, qFree []int
	for j := range width {
		switch {
		case j < w:
			rAt[j], qAt[j] = j, j
		case j < w+len(r.atoms):
			rAt[j] = j
			qFree = append(qFree, j)
		default:
			qAt[j-len(r.atoms)] = j
			rFree = append(rFree, j)
		}
	}
	return reach{meetWide(embed(r.b, width, rAt, rFree), embed(q.b, width, qAt, qFree)), append(slices.Clip(r.atoms), q.atoms...)}
}

// project is what the pairs give the atoms, whatever H.
func (r reach) project(w int) reach {
	b := newWideBasis(len(r.atoms))
	for _, row := range r.b.rows {
		b.add(slices.Clone(row[w:]))
	}
	return reach{b, r.atoms}
}

// derivable says whether the count of the set can be worked out in the state v.
func (sp *suppressor) derivable(set []atom, v whatIf) bool {
	for _, top := range sp.newExact(v, set).combinations(set) {
		want := make([]uint64, len(top.atoms))
		for j := range want {
			want[j] = 1
		}
		if !top.b.reduce(want) {
			return false
		}
	}
	return true
}

// ways measures how many ways there are to work out the set in the state v: the dimension of
// what combinations give its atoms, with every other atom at 0.
func (sp *suppressor) ways(set []atom, v whatIf) int {
	n := 0
	for _, top := range sp.newExact(v, set).combinations(set) {
		n += len(top.b.rows)
	}
	return n
}
