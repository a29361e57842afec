package suppression

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
)

// What the reader of suppression.go knows, node by node. A node's figures are linear functions of
// its column counts (one column per option of the breakdown, then one for the unanswered; a
// single column without a breakdown): the total is (1, 1, ..., 1), a cell is a unit vector.
// What can be worked out about a node is a subspace of these functions, kept as a basis in
// reduced row-echelon form. Few distinct subspaces occur in a table, so each is stored once and
// named by a number, and the meets and sums already worked out are remembered. The suppressor
// keeps, per node, what its subtree gives and what the rest of the table does (see suppression.go);
// whatIf works them out with one more figure withheld, leaving the suppressor as it is.
//
// The arithmetic is modulo the prime p = 2^61-1 rather than over the rationals, which keeps it
// exact in machine words. A function is in a span modulo p exactly when it is over the rationals
// unless p divides a nonzero minor of the figures' 0/1 incidence matrix: no minor of order 32 or
// less reaches p (Hadamard's bound), and beyond that it would take a 1-in-2^61 coincidence.

const prime = 1<<61 - 1

func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	r := lo&prime + (lo>>61 | hi<<3) // 2^64 = 8 * 2^61 = 8 (mod p)
	if r >= prime {
		r -= prime
	}
	return r
}

func subMod(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + prime - b
}

func invMod(a uint64) uint64 {
	if a == 1 || a == prime-1 {
		return a
	}
	r := uint64(1)
	for e := uint64(prime - 2); e > 0; e >>= 1 {
		if e&1 != 0 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
	}
	return r
}

// colBasis is a basis of a subspace of the functions of width column counts (width up to 63).
type colBasis struct {
	width, dim int
	pivots     uint64   // the columns of the rows' leading entries
	rows       []uint64 // dim rows of width entries; each leading entry is 1, alone in its column
}

// maskVector sets v to the sum of the columns in mask.
func maskVector(v []uint64, mask uint64) []uint64 {
	for o := range v {
		v[o] = mask >> o & 1
	}
	return v
}

func isNonzero(x uint64) bool { return x != 0 }

// reduce subtracts the basis from v in place and reports whether v was in the subspace.
func (b *colBasis) reduce(v []uint64) bool {
	w := b.width
	for i, m := 0, b.pivots; m != 0; i, m = i+1, m&(m-1) {
		p := bits.TrailingZeros64(m)
		if f := v[p]; f != 0 {
			for j := p; j < w; j++ {
				if x := b.rows[i*w+j]; x != 0 {
					v[j] = subMod(v[j], mulMod(f, x))
				}
			}
		}
	}
	return !slices.ContainsFunc(v, isNonzero)
}

// add adds v (which it may change) to the basis; rows must have room for another row.
func (b *colBasis) add(v []uint64) {
	if b.reduce(v) {
		return
	}
	w, p := b.width, slices.IndexFunc(v, isNonzero)
	if inv := invMod(v[p]); inv != 1 {
		for j := p; j < w; j++ {
			v[j] = mulMod(v[j], inv)
		}
	}
	for i := range b.dim { // clear column p in the other rows
		if f := b.rows[i*w+p]; f != 0 {
			for j := p; j < w; j++ {
				b.rows[i*w+j] = subMod(b.rows[i*w+j], mulMod(f, v[j]))
			}
		}
	}
	at := bits.OnesCount64(b.pivots & (1<<p - 1)) // the rows that come before
	b.rows = b.rows[:(b.dim+1)*w]
	copy(b.rows[(at+1)*w:], b.rows[at*w:b.dim*w])
	copy(b.rows[at*w:(at+1)*w], v)
	b.dim++
	b.pivots |= 1 << p
}

// perp is the orthogonal complement.
func (b *colBasis) perp() colBasis {
	w := b.width
	c := colBasis{width: w, rows: make([]uint64, 0, w*w)}
	for j := range w {
		if b.pivots&(1<<j) != 0 {
			continue
		}
		u := maskVector(make([]uint64, w), 1<<j)
		for i, m := 0, b.pivots; m != 0; i, m = i+1, m&(m-1) {
			u[bits.TrailingZeros64(m)] = subMod(0, b.rows[i*w+j])
		}
		c.add(u)
	}
	return c
}

// colSpace names a subspace in a colSpaces table.
type colSpace int32

const (
	spaceNone colSpace = 0 // nothing but 0
	spaceAll  colSpace = 1 // every function of the columns
)

// colSpaces stores each subspace once, and remembers what was worked out with them.
type colSpaces struct {
	width   int
	bases   []colBasis
	index   map[string]colSpace
	memo    map[[3]int32]colSpace   // meets (0) and sums (1)
	units   map[uint64]colSpace     // spans of single columns, and of the total (bit 63)
	masks   [][]uint64              // per subspace, 2 bits per set of columns: looked up, and held
	joins   map[[2]colSpace]*joiner // see cosets.go
	reduced map[colSpace][]uint64   // the unit vectors reduced modulo a subspace, see cosets.go
	buffer  []byte
}

// colSpacePools keeps tables of subspaces, per width, from one table of figures to the next:
// the families of a report meet the same subspaces over and over.
var colSpacePools [64]sync.Pool

func newColSpaces(width int) *colSpaces {
	if ss, ok := colSpacePools[width].Get().(*colSpaces); ok {
		return ss
	}
	ss := &colSpaces{width: width, index: map[string]colSpace{}, memo: map[[3]int32]colSpace{},
		units: map[uint64]colSpace{}, joins: map[[2]colSpace]*joiner{},
		reduced: map[colSpace][]uint64{}}
	ss.name(colBasis{width: width})
	ss.span(1<<width-1, false)
	return ss
}

// release hands the table of subspaces back for the next table of figures, unless it grew big.
func (ss *colSpaces) release() {
	if len(ss.bases) < 1<<14 {
		colSpacePools[ss.width].Put(ss)
	}
}

// name returns the number of the subspace, storing it if new.
func (ss *colSpaces) name(b colBasis) colSpace {
	ss.buffer = binary.LittleEndian.AppendUint64(ss.buffer[:0], b.pivots)
	for _, x := range b.rows[:b.dim*b.width] {
		ss.buffer = binary.LittleEndian.AppendUint64(ss.buffer, x)
	}
	if s, ok := ss.index[string(ss.buffer)]; ok {
		return s
	}
	s := colSpace(len(ss.bases))
	ss.index[string(ss.buffer)], ss.bases = s, append(ss.bases, b)
	var masks []uint64
	if ss.width <= 10 {
		masks = make([]uint64, 1<<ss.width/32+1)
	}
	ss.masks = append(ss.masks, masks)
	return s
}

// span is the span of the columns in mask, and of the total if total.
func (ss *colSpaces) span(mask uint64, total bool) colSpace {
	key := mask
	if total {
		key |= 1 << 63
	}
	if s, ok := ss.units[key]; ok {
		return s
	}
	b := colBasis{width: ss.width, rows: make([]uint64, 0, ss.width*ss.width)}
	if total {
		b.add(maskVector(make([]uint64, ss.width), 1<<ss.width-1))
	}
	for o := range ss.width {
		if mask&(1<<o) != 0 {
			b.add(maskVector(make([]uint64, ss.width), 1<<o))
		}
	}
	ss.units[key] = ss.name(b)
	return ss.units[key]
}

// plus is the span of s and t.
func (ss *colSpaces) plus(s, t colSpace) colSpace {
	if s == t || t == spaceNone || s == spaceAll {
		return s
	}
	if s == spaceNone || t == spaceAll {
		return t
	}
	key := [3]int32{1, int32(min(s, t)), int32(max(s, t))}
	if r, ok := ss.memo[key]; ok {
		return r
	}
	b := ss.bases[s]
	b.rows = append(make([]uint64, 0, ss.width*ss.width), b.rows...)
	u := ss.bases[t]
	for i := range u.dim {
		b.add(slices.Clone(u.rows[i*u.width : (i+1)*u.width]))
	}
	ss.memo[key] = ss.name(b)
	return ss.memo[key]
}

// meet is the intersection of s and t: what is known both ways.
func (ss *colSpaces) meet(s, t colSpace) colSpace {
	if s == t || s == spaceNone || t == spaceAll {
		return s
	}
	if t == spaceNone || s == spaceAll {
		return t
	}
	key := [3]int32{0, int32(min(s, t)), int32(max(s, t))}
	if r, ok := ss.memo[key]; ok {
		return r
	}
	p, q := ss.bases[s].perp(), ss.bases[t].perp()
	for i := range q.dim {
		p.add(q.rows[i*q.width : (i+1)*q.width])
	}
	ss.memo[key] = ss.name(p.perp())
	return ss.memo[key]
}

// hasMask says whether s holds the sum of the columns in mask.
func (ss *colSpaces) hasMask(s colSpace, mask uint64) bool {
	if s == spaceAll || mask == 0 {
		return true
	} else if s == spaceNone {
		return false
	}
	bits, word, bit := ss.masks[s], mask/32, 2*(mask%32)
	if bits != nil && bits[word]&(1<<bit) != 0 {
		return bits[word]&(2<<bit) != 0
	}
	var v [64]uint64
	held := ss.bases[s].reduce(maskVector(v[:ss.width], mask))
	if bits != nil {
		bits[word] |= 1 << bit
		if held {
			bits[word] |= 2 << bit
		}
	}
	return held
}
