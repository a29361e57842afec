package suppression

import (
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// suppressCase is a hierarchy with responses attached to its nodes, split by breakdown option
// (the last "option" is the respondents who left the breakdown question unanswered).
type suppressCase struct {
	parent []int
	direct [][]int // direct[node][option], option m = unanswered
	m      int
	k      int
}

func randomSuppressCase(r *rand.Rand) suppressCase {
	n := 1 + r.IntN(8)
	c := suppressCase{parent: make([]int, n), direct: make([][]int, n), m: r.IntN(4), k: 2 + r.IntN(4)}
	for i := range n {
		c.parent[i] = -1
		if i > 0 {
			c.parent[i] = r.IntN(i)
		}
		c.direct[i] = make([]int, c.m+1)
		for o := range c.direct[i] {
			if r.IntN(3) > 0 { // many empty atoms, as in real small teams
				c.direct[i][o] = r.IntN(8)
			}
		}
	}
	return c
}

func (c suppressCase) inSubtree(node, top int) bool {
	for ; node >= 0; node = c.parent[node] {
		if node == top {
			return true
		}
	}
	return false
}

// table counts each node's subtree and cells from the atoms.
func (c suppressCase) table() Table {
	n := len(c.parent)
	t := Table{Parent: c.parent, Total: make([]int, n)}
	if c.m > 0 {
		t.Cells = make([][]int, n)
		for i := range t.Cells {
			t.Cells[i] = make([]int, c.m)
		}
	}
	for a := range n {
		for top := range n {
			if !c.inSubtree(a, top) {
				continue
			}
			for o, x := range c.direct[a] {
				t.Total[top] += x
				if o < c.m {
					t.Cells[top][o] += x
				}
			}
		}
	}
	return t
}

func (c suppressCase) String() string {
	return fmt.Sprintf("k=%d options=%d parent=%v direct=%v", c.k, c.m, c.parent, c.direct)
}

// suppressAuditor judges a decision as the strongest reader would: one who knows every shown
// figure and which atoms are empty (an atom is the responses attached to one node with one
// option, or unanswered), and adds and subtracts figures in any combination. What they can work
// out is exactly the row space of the shown figures as 0/1 vectors over the non-empty atoms. It
// is computed modulo the prime 2^61-1, with arithmetic of its own (not the package's): with at
// most 32 atoms no minor of a 0/1 matrix reaches that prime (Hadamard's bound), so the answers
// are those of exact rational arithmetic.
type suppressAuditor struct {
	c     suppressCase
	atoms []int      // node*(m+1)+option of each non-empty atom
	null  [][]uint64 // null[i]: atom i's coordinates in a basis of the figures' null space
	// within, when set, is the decision the table was suppressed within: a figure withheld there
	// that k or more answered here need not be hidden here (see mustProtect).
	within *Shown
	// given, when set, is the reader of the known totals alone: a withheld figure they can work
	// out was never hidden (see Table.Known).
	given *suppressAuditor
}

const auditPrime = 1<<61 - 1

func auditMul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	_, r := bits.Div64(hi, lo, auditPrime)
	return r
}

func auditInv(a uint64) uint64 {
	r := uint64(1)
	for e := uint64(auditPrime - 2); e > 0; e >>= 1 {
		if e&1 != 0 {
			r = auditMul(r, a)
		}
		a = auditMul(a, a)
	}
	return r
}

func newSuppressAuditor(c suppressCase, s Shown) suppressAuditor {
	au := suppressAuditor{c: c}
	for node, row := range c.direct {
		for o, x := range row {
			if x > 0 {
				au.atoms = append(au.atoms, node*(c.m+1)+o)
			}
		}
	}
	if len(au.atoms) > 32 {
		panic("too many atoms for an exact audit modulo 2^61-1")
	}
	var rows [][]uint64
	for node := range c.parent {
		for o := -1; o < c.m; o++ {
			if s.Node[node] && (o < 0 || s.Cell[node][o]) {
				row := make([]uint64, len(au.atoms))
				for _, i := range au.set(node, o, false) {
					row[i] = 1
				}
				rows = append(rows, row)
			}
		}
	}
	au.null = nullSpace(rows, len(au.atoms))
	return au
}

// set is the non-empty atoms of a node's subtree (or, own, of the node itself) in an option (all
// options for -1).
func (au suppressAuditor) set(top, option int, own bool) []int {
	var set []int
	for i, a := range au.atoms {
		node, o := a/(au.c.m+1), a%(au.c.m+1)
		if (node == top || !own && au.c.inSubtree(node, top)) && (option < 0 || o == option) {
			set = append(set, i)
		}
	}
	return set
}

// nullSpace reduces the rows to echelon form and returns, for each column, its coordinates in a
// basis of the vectors orthogonal to every row.
func nullSpace(rows [][]uint64, width int) [][]uint64 {
	var pivots []int
	for c := 0; c < width && len(pivots) < len(rows); c++ {
		rank := len(pivots)
		p := rank
		for p < len(rows) && rows[p][c] == 0 {
			p++
		}
		if p == len(rows) {
			continue
		}
		rows[rank], rows[p] = rows[p], rows[rank]
		inv := auditInv(rows[rank][c])
		for j := range rows[rank] {
			rows[rank][j] = auditMul(rows[rank][j], inv)
		}
		for i := range rows {
			if f := rows[i][c]; i != rank && f != 0 {
				for j := range rows[i] {
					rows[i][j] = (rows[i][j] + auditPrime - auditMul(f, rows[rank][j])) % auditPrime
				}
			}
		}
		pivots = append(pivots, c)
	}
	null := make([][]uint64, width)
	for j := range width {
		if slices.Contains(pivots, j) {
			continue
		}
		// The basis vector for free column j: 1 at j, minus each pivot row's entry at j.
		for i := range width {
			null[i] = append(null[i], 0)
		}
		null[j][len(null[j])-1] = 1
		for r, c := range pivots {
			null[c][len(null[c])-1] = (auditPrime - rows[r][j]) % auditPrime
		}
	}
	return null
}

// derivable says whether the sum of the atoms in set is a combination of the shown figures:
// whether it is orthogonal to the null space.
func (au suppressAuditor) derivable(set []int) bool {
	if len(set) == 0 {
		return false
	}
	for t := range au.null[0] {
		sum := uint64(0)
		for _, i := range set {
			sum = (sum + au.null[i][t]) % auditPrime
		}
		if sum != 0 {
			return false
		}
	}
	return true
}

func (au suppressAuditor) count(set []int) int {
	sum := 0
	for _, i := range set {
		a := au.atoms[i]
		sum += au.c.direct[a/(au.c.m+1)][a%(au.c.m+1)]
	}
	return sum
}

func (au suppressAuditor) describe(set []int) string {
	var s []string
	for _, i := range set {
		s = append(s, fmt.Sprintf("%d×%d", au.atoms[i]/(au.c.m+1), au.atoms[i]%(au.c.m+1)))
	}
	return fmt.Sprintf("%v (n=%d)", s, au.count(set))
}

var (
	errShown     = errors.New("a figure below k is shown")
	errWithheld  = errors.New("a withheld figure can be worked out")
	errGroup     = errors.New("a group below k can be worked out")
	errScattered = errors.New("a scattered set below k can be worked out")
)

// audit returns, of each kind, the first thing the reader can work out that suppression.go promises
// to hide: a figure below k shown (errShown), a withheld figure holding responses (errWithheld),
// a single atom or a group below k among the sets of options of a node's subtree or of its own
// responses (errGroup); and (errScattered) a set below k of any other shape.
func (au suppressAuditor) audit(tab Table, s Shown) []error {
	var found []error
	if err := checkShownAreBigEnough(tab, s, au.c.k); err != nil {
		found = append(found, fmt.Errorf("%w: %v", errShown, err))
	}
	if err := au.withheld(s); err != nil {
		found = append(found, err)
	}
	if err := au.groups(); err != nil {
		found = append(found, err)
	}
	var small []int
	for i := range au.atoms {
		if au.count([]int{i}) < au.c.k {
			small = append(small, i)
		}
	}
	if set := au.smallSet(small, nil); set != nil && len(found) == 0 {
		found = append(found, fmt.Errorf("%w: %s", errScattered, au.describe(set)))
	}
	return found
}

func (au suppressAuditor) withheld(s Shown) error {
	for node := range au.c.parent {
		for o := -1; o < au.c.m; o++ {
			set := au.set(node, o, false)
			if au.within != nil && au.count(set) >= au.c.k && !(au.within.Node[node] && (o < 0 || au.within.Cell[node][o])) {
				continue // withheld in within, and not small here
			}
			if au.given != nil && au.given.derivable(set) {
				continue // known anyway
			}
			if !(s.Node[node] && (o < 0 || s.Cell[node][o])) && au.derivable(set) {
				return fmt.Errorf("%w: %d×%d %s", errWithheld, node, o, au.describe(set))
			}
		}
	}
	return nil
}

func (au suppressAuditor) groups() error {
	for node := range au.c.parent {
		for _, own := range []bool{false, true} {
			var byOption [][]int
			var counts []int
			for o := range au.c.m + 1 {
				byOption = append(byOption, au.set(node, o, own))
				counts = append(counts, au.count(byOption[o]))
			}
			for options := 1; options < 1<<(au.c.m+1); options++ {
				n := 0
				for o, x := range counts {
					n += x * (options >> o & 1)
				}
				if n == 0 || n >= au.c.k {
					continue
				}
				var set []int
				for o, atoms := range byOption {
					if options&(1<<o) != 0 {
						set = append(set, atoms...)
					}
				}
				if au.derivable(set) {
					return fmt.Errorf("%w: node %d (own %v), options %b: %s", errGroup, node, own, options, au.describe(set))
				}
			}
		}
	}
	return nil
}

// smallSet returns a derivable set of the small atoms holding fewer than k responses, or nil.
func (au suppressAuditor) smallSet(small, set []int) []int {
	if au.derivable(set) {
		return set
	}
	for j, i := range small {
		if more := append(slices.Clip(set), i); au.count(more) < au.c.k {
			if found := au.smallSet(small[j+1:], more); found != nil {
				return found
			}
		}
	}
	return nil
}

func checkShownAreBigEnough(tab Table, s Shown, k int) error {
	for node := range tab.Parent {
		if s.Node[node] && tab.Total[node] < k {
			return fmt.Errorf("group %d shown with n=%d < k=%d", node, tab.Total[node], k)
		}
		if tab.Cells == nil {
			continue
		}
		for o, shown := range s.Cell[node] {
			if shown && (!s.Node[node] || tab.Cells[node][o] < k) {
				return fmt.Errorf("cell %d×%d shown with n=%d (group shown %v)", node, o, tab.Cells[node][o], s.Node[node])
			}
		}
	}
	return nil
}

// TestSuppressionResistsSubtraction: over tens of thousands of random hierarchies with
// breakdowns, the strongest reader works out no withheld figure (its n, and so its sum of scores,
// which adds up over the same responses), and no set of fewer than k responses of any shape: an
// atom, a group of options of a node, or a set scattered over nodes and options. A linear
// combination is every subtraction and addition there is: parent minus shown children, a
// breakdown total minus shown cells, across any number of levels.
func TestSuppressionResistsSubtraction(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 11))
	cases := 20000
	if testing.Short() {
		cases = 4000
	}
	start, mended := time.Now(), 0
	for i := range cases {
		c := randomSuppressCase(r)
		tab := c.table()
		s := Suppress(tab, c.k, nil)
		if err := checkReasons(tab, s, c.k); err != nil {
			t.Fatalf("case %d: %v\n%s", i, err, c)
		}
		if leaks := newSuppressAuditor(c, s).audit(tab, s); len(leaks) > 0 {
			t.Fatalf("case %d: %v\n%s", i, leaks, c)
		}
		if withheldFigures(s) > withheldFigures(suppressRules1To4(tab, c.k)) {
			mended++
		}
	}
	t.Logf("%d random hierarchies in %v; rule 5 withheld more in %d", cases, time.Since(start), mended)
}

// suppressRules1To4 is Suppress without rule 5, to see what rule 5 adds.
func suppressRules1To4(t Table, k int) Shown {
	sp := newSuppressor(t, k, primary(t, k, nil), nil)
	defer sp.release()
	for sp.pass() {
	}
	return sp.shown
}

// TestSuppressionAuditorCatchesPrimaryOnly keeps the auditor honest: without complementary
// suppression each of its checks must find something to work out, and soon.
func TestSuppressionAuditorCatchesPrimaryOnly(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 11))
	found := map[string]int{}
	for range 200 {
		c := randomSuppressCase(r)
		tab := c.table()
		s := primary(tab, c.k, nil)
		au := newSuppressAuditor(c, s)
		var small []int
		for a := range au.atoms {
			if au.count([]int{a}) < c.k {
				small = append(small, a)
			}
		}
		if au.withheld(s) != nil {
			found["withheld figure"]++
		}
		if au.groups() != nil {
			found["group"]++
		}
		if au.smallSet(small, nil) != nil {
			found["set below k"]++
		}
	}
	t.Logf("with primary suppression only, in 200 random cases: %v", found)
	for _, check := range []string{"withheld figure", "group", "set below k"} {
		if found[check] < 20 {
			t.Errorf("the auditor found a %s to work out in only %d of 200 cases", check, found[check])
		}
	}
}

// TestSuppressionExampleFromIssue: the shown cell (node 2, option 0) covered exactly the non-empty
// atoms of the withheld cell (node 5, option 0), which with node 5's shown total gave away its
// single unanswered respondent.
func TestSuppressionExampleFromIssue(t *testing.T) {
	c := suppressCase{k: 5, m: 2, parent: []int{-1, 0, 1, 2, 0, 2, 1},
		direct: [][]int{{1, 0, 2}, {0, 0, 1}, {0, 5, 5}, {0, 2, 0}, {0, 3, 2}, {6, 0, 1}, {7, 6, 5}}}
	tab := c.table()
	s := Suppress(tab, c.k, nil)
	if leaks := newSuppressAuditor(c, s).audit(tab, s); len(leaks) > 0 {
		t.Fatal(leaks)
	}
	if s.Cell[2][0] && s.Node[5] {
		t.Errorf("cell 2×0 and node 5 both shown: %v", s)
	}
}

// TestSuppressionKeepsWithin: a figure withheld at group level stays withheld in a family inside
// the groups (fewer responses: some skipped the questions), and the family is protected too.
func TestSuppressionKeepsWithin(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 500 {
		c := randomSuppressCase(r)
		group := Suppress(c.table(), c.k, nil)
		family := c
		family.direct = make([][]int, len(c.direct))
		for n, row := range c.direct {
			family.direct[n] = slices.Clone(row)
			for o := range row {
				family.direct[n][o] -= min(row[o], r.IntN(2))
			}
		}
		tab := family.table()
		s := Suppress(tab, c.k, &group)
		au := newSuppressAuditor(family, s)
		au.within = &group
		for n := range tab.Parent {
			for o := -1; o < c.m; o++ {
				if s.Node[n] && !group.Node[n] || o >= 0 && s.Cell[n][o] && !group.Cell[n][o] {
					t.Fatalf("case %d: figure %d×%d withheld for the groups but shown in the family\n%s", i, n, o, family)
				}
			}
		}
		if leaks := au.audit(tab, s); len(leaks) > 0 {
			t.Fatalf("case %d: %v\n%s", i, leaks, family)
		}
	}
}

// TestSuppressionEdgeCases: no nodes, no breakdown, nobody at all, several tops.
func TestSuppressionEdgeCases(t *testing.T) {
	for _, c := range []suppressCase{
		{k: 5},
		{k: 5, parent: []int{-1}, direct: [][]int{{0}}},
		{k: 5, parent: []int{-1, 0, 0}, direct: [][]int{{0}, {7}, {2}}},
		{k: 5, m: 2, parent: []int{-1, -1, 0, 1}, direct: [][]int{{0, 0, 0}, {3, 3, 0}, {6, 1, 1}, {0, 0, 0}}},
		{k: 1, m: 1, parent: []int{-1, 0}, direct: [][]int{{1, 1}, {1, 0}}},
	} {
		tab := c.table()
		s := Suppress(tab, c.k, nil)
		if leaks := newSuppressAuditor(c, s).audit(tab, s); len(leaks) > 0 {
			t.Errorf("%s: %v", c, leaks)
		}
	}
}

// twelveTeams: a department and 3 directorates with nobody attached directly, 12 teams of 3 to
// 20, a breakdown of 2 options.
func twelveTeams(teams [12][3]int) suppressCase {
	c := suppressCase{k: 5, m: 2, parent: []int{-1, 0, 0, 0}, direct: make([][]int, 4, 16)}
	for i := range 4 {
		c.direct[i] = make([]int, 3)
	}
	for i, team := range teams {
		c.parent = append(c.parent, 1+i/4)
		c.direct = append(c.direct, team[:])
	}
	return c
}

func withheldFigures(s Shown) int {
	n := 0
	for i, ok := range s.Node {
		if !ok {
			n++
		}
		if s.Cell == nil {
			continue
		}
		for _, ok := range s.Cell[i] {
			if !ok {
				n++
			}
		}
	}
	return n
}

// TestSuppressionWithholdsLittle makes over-suppression visible on a realistic hierarchy. With
// everyone answering the breakdown question, primary suppression withholds option 1 in teams 4,
// 7 (with its total and option 0), 8, 10 and 14; then option 0 must go in teams 4, 8, 10 and 14,
// where it is the total less option 1; and directorate 2 would still give away options 1 of
// teams 8 and 10 together (3 people), directorate 3 option 1 of team 14 (4), so one more team in
// each loses both options (2 x 2). That is 8 figures; team 7's total (6) stays shown.
func TestSuppressionWithholdsLittle(t *testing.T) {
	c := twelveTeams([12][3]int{
		{8, 3, 0}, {5, 5, 0}, {8, 6, 0}, {2, 4, 0},
		{10, 2, 0}, {8, 6, 0}, {5, 1, 0}, {7, 6, 0},
		{7, 8, 0}, {7, 6, 0}, {6, 4, 0}, {9, 7, 0},
	})
	tab := c.table()
	s := Suppress(tab, c.k, nil)
	if leaks := newSuppressAuditor(c, s).audit(tab, s); len(leaks) > 0 {
		t.Fatal(leaks)
	}
	first, final := withheldFigures(primary(tab, c.k, nil)), withheldFigures(s)
	t.Logf("%d figures: %d withheld below k, %d more to stop subtraction", 3*len(c.parent), first, final-first)
	if final-first > 8 {
		t.Errorf("%d more figures withheld, want at most 8: %v", final-first, s)
	}
	// With a single respondent leaving the question unanswered, in team 6, the unanswered of the
	// team, of directorate 1 and of the department must not come out either: one more cell each.
	c.direct[6] = []int{8, 6, 1}
	tab = c.table()
	s = Suppress(tab, c.k, nil)
	if leaks := newSuppressAuditor(c, s).audit(tab, s); len(leaks) > 0 {
		t.Fatal(leaks)
	}
	first, final = withheldFigures(primary(tab, c.k, nil)), withheldFigures(s)
	t.Logf("with one unanswered: %d withheld below k, %d more", first, final-first)
	if final-first > 11 {
		t.Errorf("%d more figures withheld, want at most 11: %v", final-first, s)
	}
}

// realisticSuppressCase: a department, directorates, teams of 3 to 20 with a breakdown whose
// first options are the most common, and a few who leave it unanswered.
func realisticSuppressCase(r *rand.Rand, directorates, teams, options int) suppressCase {
	c := suppressCase{m: options, parent: []int{-1}}
	for range directorates {
		dir := len(c.parent)
		c.parent = append(c.parent, 0)
		for range teams {
			c.parent = append(c.parent, dir)
		}
	}
	c.direct = make([][]int, len(c.parent))
	for i := range c.parent {
		c.direct[i] = make([]int, options+1)
		size := 3 + r.IntN(18)
		if i == 0 || c.parent[i] == 0 {
			size = r.IntN(2) // few answer for a department or directorate directly
		}
		for range size {
			o := options // unanswered
			if x := r.Float64(); x < 0.95 {
				o = int(x * x / 0.95 / 0.95 * float64(options))
			}
			c.direct[i][o]++
		}
	}
	return c
}

func BenchmarkSuppress(b *testing.B) {
	tab := realisticSuppressCase(rand.New(rand.NewPCG(1, 2)), 10, 24, 3).table() // 251 nodes
	for b.Loop() {
		Suppress(tab, 5, nil)
	}
}

// BenchmarkSuppressReport: a report's suppression, 301 nodes and 6 options: the groups, then 45
// families within them, each missing a few responses (skipped questions); the first 7 are split
// by the breakdown (overall, dimensions), the last 2 need twice the threshold (comments).
func BenchmarkSuppressReport(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	c := realisticSuppressCase(r, 12, 24, 6)
	group := c.table()
	families := make([]Table, 45)
	for i := range families {
		f := c
		f.direct = make([][]int, len(c.direct))
		for n, row := range c.direct {
			f.direct[n] = slices.Clone(row)
			for o := range row {
				f.direct[n][o] -= min(row[o], r.IntN(8)/7)
			}
		}
		if families[i] = f.table(); i >= 7 {
			families[i].Cells = nil
		}
	}
	for b.Loop() {
		shown := Suppress(group, 5, nil)
		for i, t := range families {
			Suppress(t, 5+5*(i/43), &shown)
		}
	}
}

// TestReasons, worked by hand: a department of 12 with teams of 9 and 3, k = 5. The team of 3 is
// small; shown, the department less the team of 9 would be it, so the team of 9 (the smaller of
// the two that mend it) protects it. A family inside the groups keeps the groups' reasons, though
// its own counts are big enough; a cell of a withheld node has the node's reason.
func TestReasons(t *testing.T) {
	groups := Table{Parent: []int{-1, 0, 0}, Total: []int{12, 9, 3},
		Cells: [][]int{{6, 6}, {5, 4}, {1, 2}}}
	s := Suppress(groups, 5, nil)
	wantNodes := []Reason{"", ProtectsAnother, Small}
	if !slices.Equal(s.NodeWhy, wantNodes) {
		t.Errorf("node reasons %q, want %q (shown %v)", s.NodeWhy, wantNodes, s.Node)
	}
	for o := range 2 {
		if s.CellWhy[1][o] != ProtectsAnother || s.CellWhy[2][o] != Small {
			t.Errorf("cells of the withheld teams: %q and %q, want their teams' reasons", s.CellWhy[1][o], s.CellWhy[2][o])
		}
	}
	if err := checkReasons(groups, s, 5); err != nil {
		t.Error(err)
	}
	family := Table{Parent: []int{-1, 0, 0}, Total: []int{11, 8, 3}}
	f := Suppress(family, 5, &s)
	if want := []Reason{"", ProtectsAnother, Small}; !slices.Equal(f.NodeWhy, want) {
		t.Errorf("a family's reasons %q, want the groups' %q", f.NodeWhy, want)
	}
	for i, shown := range f.Node {
		if shown != (f.NodeWhy[i] == "") {
			t.Errorf("node %d shown %v with reason %q", i, shown, f.NodeWhy[i])
		}
	}
}

// checkReasons: a shown figure has no reason; a withheld one is small exactly when fewer than k
// are behind it, and otherwise protects another (a cell of a withheld node takes the node's).
func checkReasons(tab Table, s Shown, k int) error {
	want := func(shown bool, count int) Reason {
		switch {
		case shown:
			return ""
		case count < k:
			return Small
		}
		return ProtectsAnother
	}
	for i, shown := range s.Node {
		if got := s.NodeWhy[i]; got != want(shown, tab.Total[i]) {
			return fmt.Errorf("node %d (count %d, shown %v) withheld as %q", i, tab.Total[i], shown, got)
		}
		if s.Cell == nil {
			continue
		}
		for o := range s.Cell[i] {
			w := want(s.Cell[i][o], tab.Cells[i][o])
			if !s.Node[i] {
				w = s.NodeWhy[i]
			}
			if got := s.CellWhy[i][o]; got != w {
				return fmt.Errorf("cell %d×%d (count %d, shown %v) withheld as %q, want %q", i, o, tab.Cells[i][o], s.Cell[i][o], got, w)
			}
		}
	}
	return nil
}

// TestWithholdsOnlyWhatProtects, the case the issue found, worked by hand: a department whose one
// directorate of 29 has a team of 3 and a team of 26. In the groups' family the team of 3 is small
// and the team of 26 is withheld to protect it (the directorate less the team of 26 would be the
// team of 3). Nobody in the team of 3 answered about campaigns; 22 of the team of 26 did. In the
// campaigns family nothing needs protecting: the directorate's and the department's 22 are shown,
// the two teams stay withheld (as their groups are), and no group below 5 can be worked out.
func TestWithholdsOnlyWhatProtects(t *testing.T) {
	groups := Table{Parent: []int{-1, 0, 1, 1}, Total: []int{29, 29, 3, 26}}
	g := Suppress(groups, 5, nil)
	if want := []bool{true, true, false, false}; !slices.Equal(g.Node, want) {
		t.Fatalf("groups shown %v, want %v", g.Node, want)
	}
	campaigns := Table{Parent: []int{-1, 0, 1, 1}, Total: []int{22, 22, 0, 22}}
	s := Suppress(campaigns, 5, &g)
	if want := []bool{true, true, false, false}; !slices.Equal(s.Node, want) {
		t.Errorf("campaigns shown %v, want %v: the department's and directorate's 22 protect nobody", s.Node, want)
	}
	if want := []Reason{"", "", Small, ProtectsAnother}; !slices.Equal(s.NodeWhy, want) {
		t.Errorf("campaigns reasons %q, want %q (the teams keep their groups' reasons)", s.NodeWhy, want)
	}
	// Had one of the team of 3 answered about campaigns, the directorate less the team of 26 would
	// be that one person: the team of 26 stays withheld, and the audit finds nothing to work out.
	campaigns = Table{Parent: []int{-1, 0, 1, 1}, Total: []int{23, 23, 1, 22}}
	s = Suppress(campaigns, 5, &g)
	c := suppressCase{k: 5, m: 0, parent: campaigns.Parent, direct: [][]int{{0}, {0}, {1}, {22}}}
	au := newSuppressAuditor(c, s)
	au.within = &g
	if leaks := au.audit(campaigns, s); len(leaks) > 0 {
		t.Errorf("with one campaigns answer in the team of 3: %v (shown %v)", leaks, s.Node)
	}
	if s.Node[2] || s.Node[3] {
		t.Errorf("with one campaigns answer in the team of 3, a team is shown: %v", s.Node)
	}
}
