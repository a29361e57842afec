package suppression

import "slices"

// wideBasis is a basis, in reduced row-echelon form modulo the prime of linear.go, of a subspace of
// vectors of any width. Checking one set for mending (derivable.go) needs one coordinate per column
// of a node and one per atom of the set, more than colBasis holds; it meets few such subspaces, so
// they are neither stored once nor remembered.
type wideBasis struct {
	width  int
	rows   [][]uint64
	pivots []int // the leading column of each row, increasing
}

func newWideBasis(width int) *wideBasis { return &wideBasis{width: width} }

// reduce subtracts the basis from v in place and reports whether v was in the subspace.
func (b *wideBasis) reduce(v []uint64) bool {
	for i, p := range b.pivots {
		if f := v[p]; f != 0 {
			for j := p; j < b.width; j++ {
				if x := b.rows[i][j]; x != 0 {
					v[j] = subMod(v[j], mulMod(f, x))
				}
			}
		}
	}
	return !slices.ContainsFunc(v, isNonzero)
}

// add adds v (which it may change) to the basis.
func (b *wideBasis) add(v []uint64) {
	if b.reduce(v) {
		return
	}
	p := slices.IndexFunc(v, isNonzero)
	if inv := invMod(v[p]); inv != 1 {
		for j := p; j < b.width; j++ {
			v[j] = mulMod(v[j], inv)
		}
	}
	for _, row := range b.rows { // clear column p in the other rows
		if f := row[p]; f != 0 {
			for j := p; j < b.width; j++ {
				row[j] = subMod(row[j], mulMod(f, v[j]))
			}
		}
	}
	at, _ := slices.BinarySearch(b.pivots, p)
	b.rows, b.pivots = slices.Insert(b.rows, at, v), slices.Insert(b.pivots, at, p)
}

// addUnit adds the unit vector of column j.
func (b *wideBasis) addUnit(j int) {
	v := make([]uint64, b.width)
	v[j] = 1
	b.add(v)
}

// perp is the orthogonal complement.
func (b *wideBasis) perp() *wideBasis {
	c := newWideBasis(b.width)
	for j, i := 0, 0; j < b.width; j++ {
		if i < len(b.pivots) && b.pivots[i] == j {
			i++
			continue
		}
		u := make([]uint64, b.width)
		u[j] = 1
		for r, p := range b.pivots {
			u[p] = subMod(0, b.rows[r][j])
		}
		c.add(u)
	}
	return c
}

// meetWide is the intersection of a and b.
func meetWide(a, b *wideBasis) *wideBasis {
	p := a.perp()
	for _, row := range b.perp().rows {
		p.add(row)
	}
	return p.perp()
}

// embed places the rows of b at the coordinates at (at[j] is where b's coordinate j goes) in a
// basis of the given width, and adds the unit vectors of the coordinates free.
func embed(b *wideBasis, width int, at []int, free []int) *wideBasis {
	e := newWideBasis(width)
	for _, row := range b.rows {
		v := make([]uint64, width)
		for j, x := range row {
			v[at[j]] = x
		}
		e.add(v)
	}
	for _, j := range free {
		e.addUnit(j)
	}
	return e
}

// wide is the subspace s as a wide basis.
func (ss *colSpaces) wide(s colSpace) *wideBasis {
	b := ss.bases[s]
	w := newWideBasis(ss.width)
	for i := range b.dim {
		w.add(slices.Clone(b.rows[i*b.width : (i+1)*b.width]))
	}
	return w
}
