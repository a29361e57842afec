package suppression

import "slices"

// Cosets of the subspaces of linear.go: the functions x + u for u in a subspace U, kept as a point
// x reduced modulo U (so that each coset has one point). The exact search of scattered.go meets them.

// joiner solves u ≡ d (mod V) for u in U, for one pair of subspaces U and V.
type joiner struct {
	v      colSpace
	images [][]uint64 // the images modulo V of vectors of U, in reduced row-echelon form
	pivots []int
	from   [][]uint64 // the vector of U behind each image
}

func (ss *colSpaces) joiner(u, v colSpace) *joiner {
	if j, ok := ss.joins[[2]colSpace{u, v}]; ok {
		return j
	}
	j := &joiner{v: v}
	bu, bv := ss.bases[u], ss.bases[v]
	w := ss.width
	for i := range bu.dim {
		from := slices.Clone(bu.rows[i*w : (i+1)*w])
		image := slices.Clone(from)
		bv.reduce(image)
		for r, p := range j.pivots { // reduce by the rows so far
			if f := image[p]; f != 0 {
				axpy(image, j.images[r], f)
				axpy(from, j.from[r], f)
			}
		}
		p := slices.IndexFunc(image, isNonzero)
		if p < 0 {
			continue
		}
		inv := invMod(image[p])
		scale(image, inv)
		scale(from, inv)
		for r := range j.images { // clear column p in the rows so far
			if f := j.images[r][p]; f != 0 {
				axpy(j.images[r], image, f)
				axpy(j.from[r], from, f)
			}
		}
		j.images, j.pivots, j.from = append(j.images, image), append(j.pivots, p), append(j.from, from)
	}
	ss.joins[[2]colSpace{u, v}] = j
	return j
}

// solve sets u to a vector of U with u ≡ d (mod V) and reports whether there is one. It changes d.
func (ss *colSpaces) solve(j *joiner, d, u []uint64) bool {
	ss.bases[j.v].reduce(d)
	clear(u)
	for r, p := range j.pivots {
		if f := d[p]; f != 0 {
			axpy(d, j.images[r], f)
			axpy(u, j.from[r], subMod(0, f))
		}
	}
	return !slices.ContainsFunc(d, isNonzero)
}

// meetCosets sets z to the point of (x + U) ∩ (y + V), reduced modulo U ∩ V, and reports whether
// they meet.
func (ss *colSpaces) meetCosets(z, x []uint64, u colSpace, y []uint64, v colSpace) bool {
	var buf [128]uint64
	d, step := buf[:len(x)], buf[64:64+len(x)]
	for o := range d {
		d[o] = subMod(y[o], x[o])
	}
	if !ss.solve(ss.joiner(u, v), d, step) {
		return false
	}
	for o := range z {
		z[o] = (x[o] + step[o]) % prime
	}
	ss.bases[ss.meet(u, v)].reduce(z)
	return true
}

// unitsModulo is the unit vector of each column reduced modulo s, one after the other.
func (ss *colSpaces) unitsModulo(s colSpace) []uint64 {
	if u, ok := ss.reduced[s]; ok {
		return u
	}
	w := ss.width
	u := make([]uint64, w*w)
	for o := range w {
		u[o*w+o] = 1
		ss.bases[s].reduce(u[o*w : (o+1)*w])
	}
	ss.reduced[s] = u
	return u
}

// addTo adds y to x.
func addTo(x, y []uint64) {
	for o, b := range y {
		if x[o] += b; x[o] >= prime {
			x[o] -= prime
		}
	}
}

// axpy subtracts f times y from x.
func axpy(x, y []uint64, f uint64) {
	for o, b := range y {
		if b != 0 {
			x[o] = subMod(x[o], mulMod(f, b))
		}
	}
}

func scale(x []uint64, f uint64) {
	if f == 1 {
		return
	}
	for o := range x {
		x[o] = mulMod(x[o], f)
	}
}
