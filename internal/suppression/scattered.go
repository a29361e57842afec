package suppression

import "slices"

// Rule 5, exact: no set of 1 to k-1 responses, of whatever shape, can be worked out.
//
// A combination of shown figures, seen from the responses: each response gets the sum of the
// coefficients of the figures that cover it. Those attached to node m in column o all get H_m(o),
// where H_m is the sum, over m and its ancestors x, of a function h_x of the columns that x's
// shown figures span (fig[x] in state.go): H_m = H_parent + h_m. The combination counts a set S
// exactly when H_m(o) is 1 at every atom of S and 0 at every other atom that holds anyone (an empty
// atom may get anything). Each atom of S holds fewer than k if S does, so only atoms below k get 1.
//
// The search is a dynamic programme up the tree over what H may be. At node n, the H_n its subtree
// allows with nobody of S there is a subspace (low: zero where n has responses of its own, and for
// each child c, what c's subtree allows less what c's figures span: c's inside in state.go).
// With somebody, it is a coset of that subspace, one for each way S can meet the subtree; each is
// kept with the fewest responses S then holds there, and only if fewer than k. A top's coset that
// its own figures reach (one holding 0, less what they span) is a set that can be worked out.
//
// What keeps it fast: subtrees without an atom below k are left to state.go, a leaf's cosets are
// never listed (its parent asks which of its own sets of atoms meet each coset it has), and two
// cosets are met only when their points agree modulo the sum of their subspaces. In a realistic
// table a directorate's first few teams pin its H to a handful of cosets, the rest meet each in
// one way or none, and at the top nothing is left.

// atom is the responses attached to one node in one column.
type atom struct{ node, column int }

// coset is one way a set can meet a subtree: the H it allows (a point of a coset of the node's
// subspace, reduced modulo it) and the fewest responses of the set there.
type coset struct {
	at     []uint64
	zero   bool // the set may hold nobody here (then at is 0)
	fewest int  // the fewest responses when it holds somebody; 0 when it cannot
	// how it holds the fewest: own atoms of a node (its columns in mask), and the cosets it meets
	node int
	mask uint64
	from [2]part
}

type part struct {
	c        *coset
	somebody bool
}

// anybody is the fewest responses a coset holds, nobody counting.
func (c *coset) anybody() int {
	if c.zero {
		return 0
	}
	return c.fewest
}

// atoms lists the atoms of the set behind a coset's fewest.
func (c *coset) atoms(set []atom) []atom {
	for o := 0; c.mask>>o != 0; o++ {
		if c.mask&(1<<o) != 0 {
			set = append(set, atom{c.node, o})
		}
	}
	for _, p := range c.from {
		if p.somebody {
			set = p.c.atoms(set)
		}
	}
	return set
}

// search is one run of the programme.
type search struct {
	*suppressor
	marked  []bool     // the subtree holds an atom below k
	nothing *coset     // the subspace itself, nobody in the set
	buf     []uint64   // scratch
	below   [][]*coset // per node with children, its cosets as its parent sees them
	cosets  []coset    // where new cosets and their points are made, a slab at a time
	points  []uint64
	lists   [2][]*coset // the lists of cosets a node's are worked out in, one after the other
}

// scattered returns a set of atoms holding 1 to k-1 responses that can be worked out, or nil.
func (sp *suppressor) scattered() []atom {
	s := &search{suppressor: sp, marked: make([]bool, len(sp.parent)), below: make([][]*coset, len(sp.parent)),
		nothing: &coset{at: make([]uint64, sp.width), zero: true}}
	any := false
	for n, own := range sp.own {
		for _, c := range own {
			if c > 0 && c < sp.k {
				for m := n; m >= 0 && !s.marked[m]; m = sp.parent[m] {
					s.marked[m], any = true, true
				}
			}
		}
	}
	if !any {
		return nil
	}
	for n := len(sp.parent) - 1; n >= 0; n-- {
		if !s.marked[n] || len(sp.children[n]) == 0 && sp.parent[n] >= 0 {
			continue // a leaf's cosets are sets of its own atoms: its parent meets them as it goes
		}
		cs, low := s.cosetsAt(n)
		cs = s.lift(cs, low, sp.inside[n])
		if sp.parent[n] >= 0 {
			s.below[n] = cs
			continue
		}
		for _, c := range cs {
			if c.fewest > 0 && !slices.ContainsFunc(c.at, isNonzero) {
				return c.atoms(nil)
			}
		}
	}
	return nil
}

// cosetsAt works out node n's cosets from its own atoms and its children's, and returns them with
// the subspace they are cosets of.
func (s *search) cosetsAt(n int) ([]*coset, colSpace) {
	low := s.empty[n]
	cs, next := append(s.lists[0][:0], s.nothing), s.lists[1][:0]
	for _, mask := range s.smallOwn[n] {
		c := s.coset(coset{at: s.point(), fewest: columnCount(s.own[n], mask), node: n, mask: mask})
		for o := range s.width {
			c.at[o] = mask >> o & 1
		}
		cs = append(cs, c)
	}
	unmarked := spaceAll
	for _, c := range s.children[n] {
		if !s.marked[c] {
			unmarked = s.meet(unmarked, s.inside[c])
		}
	}
	if unmarked != spaceAll {
		next = s.meetAll(next, cs, low, []*coset{s.nothing}, unmarked)
		cs, next, low = next, cs[:0], s.meet(low, unmarked)
	}
	for _, c := range s.children[n] {
		if !s.marked[c] {
			continue
		}
		if len(s.children[c]) == 0 {
			next = s.meetLeaf(next, cs, low, c)
		} else {
			next = s.meetAll(next, cs, low, s.below[c], s.inside[c])
		}
		cs, next, low = next, cs[:0], s.meet(low, s.inside[c])
	}
	s.lists = [2][]*coset{cs, next}
	return cs, low
}

// meetAll meets every coset of u in cs with every coset of v in ds, and adds the meets to out. Two
// cosets meet when their points differ by something of u + v, so points reduced modulo that are
// compared first.
func (s *search) meetAll(out, cs []*coset, u colSpace, ds []*coset, v colSpace) []*coset {
	w, both := s.width, &s.bases[s.plus(u, v)]
	keys := s.scratch((len(ds) + 1) * w)
	for i, d := range ds {
		copy(keys[i*w:], d.at)
		both.reduce(keys[i*w : (i+1)*w])
	}
	key := keys[len(ds)*w:]
	for _, c := range cs {
		copy(key, c.at)
		both.reduce(key)
		for i, d := range ds {
			if slices.Equal(key, keys[i*w:(i+1)*w]) {
				out = s.merge(out, s.meetTwo(c, u, d, v))
			}
		}
	}
	return out
}

// meetLeaf is meetAll with the cosets of a leaf c, without listing them all: each is a set of its
// own atoms below k (H is 1 there and 0 at its other atoms), a coset of inside[c].
func (s *search) meetLeaf(out, cs []*coset, u colSpace, c int) []*coset {
	w, v := s.width, s.inside[c]
	uv := s.plus(u, v)
	both, unit := &s.bases[uv], s.unitsModulo(uv)
	sets := s.smallOwn[c]
	keys := s.scratch((len(sets) + 2) * w) // each set's point reduced modulo u + v; then c's; then a set's point
	for i, mask := range sets {
		for o := range w {
			if mask&(1<<o) != 0 {
				addTo(keys[i*w:(i+1)*w], unit[o*w:(o+1)*w])
			}
		}
	}
	key, point := keys[len(sets)*w:(len(sets)+1)*w], keys[(len(sets)+1)*w:]
	for _, x := range cs {
		copy(key, x.at)
		both.reduce(key)
		if !slices.ContainsFunc(key, isNonzero) { // nobody of c
			out = s.merge(out, s.meetTwo(x, u, s.nothing, v))
		}
		for i, mask := range sets {
			if !slices.Equal(key, keys[i*w:(i+1)*w]) {
				continue
			}
			fewest := columnCount(s.own[c], mask)
			if !(x.zero && fewest < s.k || x.fewest > 0 && x.fewest+fewest < s.k) {
				continue
			}
			for o := range w {
				point[o] = mask >> o & 1
			}
			d := s.coset(coset{at: point, fewest: fewest, node: c, mask: mask})
			out = s.merge(out, s.meetTwo(x, u, d, v))
			d.at = nil // scratch: only its atoms are kept
		}
	}
	return out
}

// meetTwo is the meet of a coset c of u and a coset d of v, or nil when they do not meet or the set
// would hold k or more there.
func (s *search) meetTwo(c *coset, u colSpace, d *coset, v colSpace) *coset {
	if c.zero && d.zero && c.fewest == 0 && d.fewest == 0 {
		return s.nothing // nobody in either: the meet of the two subspaces
	}
	m := coset{zero: c.zero && d.zero}
	if c.fewest > 0 && c.fewest+d.anybody() < s.k { // somebody in c, and in d if it must
		m.fewest, m.from = c.fewest+d.anybody(), [2]part{{c, true}, {d, !d.zero}}
	}
	if c.zero && d.fewest > 0 && d.fewest < s.k && (m.fewest == 0 || d.fewest < m.fewest) {
		m.fewest, m.from = d.fewest, [2]part{{d, true}}
	}
	if !m.zero && m.fewest == 0 {
		return nil
	}
	if m.at = s.point(); !s.meetCosets(m.at, c.at, u, d.at, v) {
		s.points = s.points[:len(s.points)-s.width] // not kept
		return nil
	}
	return s.coset(m)
}

// lift is the cosets as the parent sees them: the parent's H may differ from the node's by what
// its figures span, so they become cosets of up (the inside of state.go), some becoming one.
func (s *search) lift(cs []*coset, low, up colSpace) []*coset {
	out := make([]*coset, 0, len(cs))
	if low == up {
		return append(out, cs...)
	}
	for _, c := range cs {
		if c == s.nothing {
			out = s.merge(out, c)
			continue
		}
		at := s.point()
		copy(at, c.at)
		s.bases[up].reduce(at)
		out = s.merge(out, s.coset(coset{at: at, zero: c.zero, fewest: c.fewest, from: [2]part{{c, true}}}))
	}
	return out
}

// merge adds c (unless nil) to cs, joining it with the coset at the same point. Cosets once made
// are not changed: the ways to the sets found point at them.
func (s *search) merge(cs []*coset, c *coset) []*coset {
	if c == nil {
		return cs
	}
	i := slices.IndexFunc(cs, func(d *coset) bool { return slices.Equal(d.at, c.at) })
	if i < 0 {
		return append(cs, c)
	}
	d := *cs[i]
	if c.fewest > 0 && (d.fewest == 0 || c.fewest < d.fewest) {
		d.fewest, d.node, d.mask, d.from = c.fewest, c.node, c.mask, c.from
	} else if d.zero || !c.zero {
		return cs // nothing new
	}
	d.zero = d.zero || c.zero
	cs[i] = s.coset(d)
	return cs
}

// coset keeps a copy of c in the slab and returns it.
func (s *search) coset(c coset) *coset {
	if len(s.cosets) == cap(s.cosets) {
		s.cosets = make([]coset, 0, 256)
	}
	s.cosets = append(s.cosets, c)
	return &s.cosets[len(s.cosets)-1]
}

// point returns a new point of zeros from the slab.
func (s *search) point() []uint64 {
	if len(s.points)+s.width > cap(s.points) {
		s.points = make([]uint64, 0, 256*s.width)
	}
	s.points = s.points[:len(s.points)+s.width]
	p := s.points[len(s.points)-s.width:]
	clear(p)
	return p
}

// scratch returns n words of zeros, reused from one call to the next.
func (s *search) scratch(n int) []uint64 {
	if cap(s.buf) < n {
		s.buf = make([]uint64, n)
	}
	s.buf = s.buf[:n]
	clear(s.buf)
	return s.buf
}
