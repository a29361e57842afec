package report

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
)

// What the reader of suppress.go knows, node by node. A node's figures are linear functions of
// its column counts (one column per option of the breakdown, then one for the unanswered; a
// single column without a breakdown): the total is (1, 1, ..., 1), a cell is a unit vector.
// What can be worked out about a node is a subspace of these functions, kept as a basis in
// reduced row-echelon form. Few distinct subspaces occur in a table, so each is stored once and
// named by a number, and the meets and sums already worked out are remembered. The suppressor
// keeps, per node, what its subtree gives and what the rest of the table does (see suppress.go);
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
	width  int
	bases  []colBasis
	index  map[string]colSpace
	memo   map[[3]int32]colSpace // meets (0) and sums (1)
	units  map[uint64]colSpace   // spans of single columns, and of the total (bit 63)
	masks  [][]uint64            // per subspace, 2 bits per set of columns: looked up, and held
	buffer []byte
}

// colSpacePools keeps tables of subspaces, per width, from one table of figures to the next:
// the families of a report meet the same subspaces over and over.
var colSpacePools [64]sync.Pool

func newColSpaces(width int) *colSpaces {
	if ss, ok := colSpacePools[width].Get().(*colSpaces); ok {
		return ss
	}
	ss := &colSpaces{width: width, index: map[string]colSpace{}, memo: map[[3]int32]colSpace{},
		units: map[uint64]colSpace{}}
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

// suppressor holds what the reader knows about each node, as subspaces of the functions of its
// columns, and which figures are shown.
type suppressor struct {
	*colSpaces
	parent   []int
	children [][]int
	k, width int     // width: one column per option, then the unanswered (one without breakdown)
	sub      [][]int // responses in each node's subtree, per column
	own      [][]int // responses attached to the node itself, per column
	// the sets of columns in which the subtree, and the node itself, hold between 1 and k-1
	smallSub, smallOwn [][]uint64
	shown              Shown
	empty              []colSpace // the columns where the node has no responses of its own
	fig                []colSpace // what the node's shown figures give
	inside             []colSpace // what the figures and empty atoms of the node's subtree give
	kids               []colSpace // what every child's subtree gives (the meet of their inside)
	siblings           []colSpace // what every sibling's subtree gives
	outside            []colSpace // what the rest of the table gives
}

func newSuppressor(t Table, k int, s Shown) *suppressor {
	n, w := len(t.Parent), optionCount(t)+1
	sp := &suppressor{colSpaces: newColSpaces(w), parent: t.Parent, children: make([][]int, n), k: k,
		width: w, shown: s, sub: make([][]int, n), own: make([][]int, n), smallSub: make([][]uint64, n),
		smallOwn: make([][]uint64, n), empty: make([]colSpace, n), fig: make([]colSpace, n),
		inside: make([]colSpace, n), kids: make([]colSpace, n), siblings: make([]colSpace, n),
		outside: make([]colSpace, n)}
	for i, p := range t.Parent {
		if p >= 0 {
			sp.children[p] = append(sp.children[p], i)
		}
		sp.sub[i] = make([]int, w)
		sp.sub[i][w-1] = t.Total[i]
		for o := range w - 1 {
			sp.sub[i][o] = t.Cells[i][o]
			sp.sub[i][w-1] -= t.Cells[i][o]
		}
	}
	for i := n - 1; i >= 0; i-- {
		sp.own[i] = slices.Clone(sp.sub[i])
		empty := uint64(0)
		for o := range w {
			for _, c := range sp.children[i] {
				sp.own[i][o] -= sp.sub[c][o]
			}
			if sp.own[i][o] == 0 {
				empty |= 1 << o
			}
		}
		sp.smallSub[i], sp.smallOwn[i] = smallColumnSets(sp.sub[i], k), smallColumnSets(sp.own[i], k)
		sp.empty[i], sp.fig[i], sp.kids[i] = sp.span(empty, false), sp.figSpace(i, noFigure), spaceAll
		for _, c := range sp.children[i] {
			sp.kids[i] = sp.meet(sp.kids[i], sp.inside[c])
		}
		sp.inside[i] = sp.plus(sp.fig[i], sp.meet(sp.empty[i], sp.kids[i]))
		sp.outside[i], sp.siblings[i] = spaceNone, spaceAll
	}
	for i := range n {
		sp.passDown(i)
	}
	return sp
}

// figSpace is what n's shown figures give, leaving out skip.
func (sp *suppressor) figSpace(n int, skip figureRef) colSpace {
	if !sp.shown.Node[n] || skip == (figureRef{n, -1}) {
		return spaceNone
	}
	cells := sp.shownCells(n)
	if skip.node == n {
		cells &^= sp.figureMask(skip)
	}
	return sp.span(cells, true)
}

// passDown recomputes what is known about p's children from outside their subtrees: what is
// known about p (from its figures, and from outside) where p has no responses of its own and
// every sibling's subtree gives it too. It returns the children for which that changed.
func (sp *suppressor) passDown(p int) []int {
	cs := sp.children[p]
	above := sp.meet(sp.plus(sp.fig[p], sp.outside[p]), sp.empty[p])
	suffix := make([]colSpace, len(cs)+1)
	suffix[len(cs)] = spaceAll
	for i := len(cs) - 1; i >= 0; i-- {
		suffix[i] = sp.meet(suffix[i+1], sp.inside[cs[i]])
	}
	var changed []int
	prefix := spaceAll
	for i, c := range cs {
		sp.siblings[c] = sp.meet(prefix, suffix[i+1])
		if out := sp.meet(above, sp.siblings[c]); out != sp.outside[c] {
			sp.outside[c] = out
			changed = append(changed, c)
		}
		prefix = sp.meet(prefix, sp.inside[c])
	}
	return changed
}

// refresh brings the knowledge up to date after x's figures changed.
func (sp *suppressor) refresh(x int) {
	dirty := []int{x} // nodes whose children's outside knowledge may have changed
	for n, in := x, sp.plus(sp.fig[x], sp.meet(sp.empty[x], sp.kids[x])); in != sp.inside[n]; {
		sp.inside[n] = in
		p := sp.parent[n]
		if p < 0 {
			break
		}
		sp.kids[p] = sp.meet(sp.siblings[n], in)
		dirty = append(dirty, p)
		n, in = p, sp.plus(sp.fig[p], sp.meet(sp.empty[p], sp.kids[p]))
	}
	for i := len(dirty) - 1; i >= 0; i-- {
		sp.pushDown(dirty[i])
	}
}

func (sp *suppressor) pushDown(p int) {
	for _, c := range sp.passDown(p) {
		sp.pushDown(c)
	}
}

// whatIf is the knowledge as it would be with one more figure withheld (or none): the figures at
// that node change, and so may the inside of the node and of its ancestors, and what is known
// from outside below them; these are worked out as needed, without touching the suppressor.
type whatIf struct {
	sp      *suppressor
	node    int
	fig     colSpace
	changed []int // the nodes whose inside changes, upward
	inside  []colSpace
}

func (sp *suppressor) without(f figureRef) whatIf {
	v := whatIf{sp: sp, node: f.node}
	if f.node < 0 {
		return v
	}
	v.fig = sp.figSpace(f.node, f)
	for n, in := f.node, sp.plus(v.fig, sp.meet(sp.empty[f.node], sp.kids[f.node])); in != sp.inside[n]; {
		v.changed, v.inside = append(v.changed, n), append(v.inside, in)
		p := sp.parent[n]
		if p < 0 {
			break
		}
		n, in = p, sp.plus(sp.fig[p], sp.meet(sp.empty[p], sp.meet(sp.siblings[n], in)))
	}
	return v
}

func (v whatIf) figOf(n int) colSpace {
	if n == v.node {
		return v.fig
	}
	return v.sp.fig[n]
}

func (v whatIf) insideOf(n int) colSpace {
	if i := slices.Index(v.changed, n); i >= 0 {
		return v.inside[i]
	}
	return v.sp.inside[n]
}

// changedChild is p's child whose inside changes, or -1.
func (v whatIf) changedChild(p int) int {
	if i := slices.IndexFunc(v.changed, func(c int) bool { return v.sp.parent[c] == p }); i >= 0 {
		return v.changed[i]
	}
	return -1
}

func (v whatIf) kidsOf(n int) colSpace {
	if c := v.changedChild(n); c >= 0 {
		return v.sp.meet(v.sp.siblings[c], v.insideOf(c))
	}
	return v.sp.kids[n]
}

func (v whatIf) siblingsOf(m int) colSpace {
	p := v.sp.parent[m]
	c := v.changedChild(p)
	if p < 0 || c < 0 || c == m || v.sp.meet(v.sp.siblings[m], v.insideOf(c)) == v.sp.siblings[m] {
		return v.sp.siblings[m] // the change does not reach their meet
	}
	s := spaceAll
	for _, x := range v.sp.children[p] {
		if x != m {
			s = v.sp.meet(s, v.insideOf(x))
		}
	}
	return s
}

func (v whatIf) outsideOf(m int) colSpace {
	if p := v.sp.parent[m]; v.node >= 0 && p >= 0 {
		return v.sp.meet(v.sp.meet(v.sp.plus(v.figOf(p), v.outsideOf(p)), v.sp.empty[p]), v.siblingsOf(m))
	}
	return v.sp.outside[m]
}

// known is what can be worked out about n's subtree, per column.
func (v whatIf) known(n int) colSpace { return v.sp.plus(v.insideOf(n), v.outsideOf(n)) }

// knownOwn is what can be worked out about the responses attached to n itself: what is known
// about n from its figures and from outside, where every child's subtree gives it too, and the
// columns where n has none.
func (v whatIf) knownOwn(n int) colSpace {
	return v.sp.plus(v.sp.empty[n], v.sp.meet(v.sp.plus(v.figOf(n), v.outsideOf(n)), v.kidsOf(n)))
}
