package report

// Suppression: which figures may be shown without exposing a group smaller than the threshold k,
// directly or by subtraction.
//
// The groups form a hierarchy (each node's figures cover its whole subtree, including responses
// attached to the node itself), and may be split into breakdown cells (node × option of a choice
// question; respondents who left the question unanswered are in no cell). Anyone can add and
// subtract shown figures. Beside the figures themselves, the derivable "columns" are, for each set
// S of options: the sum of a node's cells in S (derivable where those cells are shown), and its
// total minus that sum (derivable where the node and those cells are shown); S empty gives the
// node totals. Along the hierarchy, a derivable value at P minus the derivable values at P's
// nearest derivable descendants leaves the responses of a region no figure covers. The rule is
// that every such remainder is 0 or at least k. Where one is not, the smallest figure that makes
// it derivable is withheld too (complementary suppression), and the rules run again until none is
// broken. On a hierarchy alone this is exact: the shown sets form a nested family whose remainders
// are disjoint, so every set derivable from them is a union of remainders. The property test in
// suppress_test.go checks the whole, breakdowns included, against an exact linear-algebra audit.

// maxSubsetOptions bounds the option sets tried: 2^m sets per column. Above it only single
// options and their complements are tried.
const maxSubsetOptions = 10

// Table is the counts of one family of figures (a group's responses, one dimension, one skill...).
type Table struct {
	// Parent of each node, -1 at the top; a parent comes before its children.
	Parent []int
	// Total is the count behind each node's figure.
	Total []int
	// Cells[node][option] is the count behind each breakdown cell; nil without a breakdown.
	Cells [][]int
}

// Shown says which figures of a table may be shown.
type Shown struct {
	Node []bool
	Cell [][]bool
}

// Suppress decides which figures of t may be shown with threshold k. A figure withheld in
// within (the group-level decision, for a family of figures inside the groups) stays withheld;
// within may be nil.
func Suppress(t Table, k int, within *Shown) Shown {
	s := primary(t, k, within)
	cols := columns(optionCount(t))
	children := childLists(t.Parent)
	for changed := true; changed; {
		changed = false
		for _, col := range cols {
			for s.fixColumn(t, k, col, children) {
				changed = true
			}
		}
	}
	return s
}

func optionCount(t Table) int {
	if len(t.Cells) == 0 {
		return 0
	}
	return len(t.Cells[0])
}

// primary withholds every figure below k, and every cell of a withheld node.
func primary(t Table, k int, within *Shown) Shown {
	n := len(t.Parent)
	s := Shown{Node: make([]bool, n)}
	if t.Cells != nil {
		s.Cell = make([][]bool, n)
	}
	for i := range n {
		s.Node[i] = t.Total[i] >= k && (within == nil || within.Node[i])
		if t.Cells == nil {
			continue
		}
		s.Cell[i] = make([]bool, len(t.Cells[i]))
		for o, c := range t.Cells[i] {
			s.Cell[i][o] = s.Node[i] && c >= k && (within == nil || within.Cell == nil || within.Cell[i][o])
		}
	}
	return s
}

// column is one derivable column: the sum of the cells in options, or the node total minus it.
type column struct {
	options    []int
	complement bool
}

// columns lists the totals, then for each non-empty option set its sum and its complement.
func columns(m int) []column {
	cols := []column{{complement: true}}
	var sets [][]int
	if m <= maxSubsetOptions {
		for mask := 1; mask < 1<<m; mask++ {
			var set []int
			for o := range m {
				if mask&(1<<o) != 0 {
					set = append(set, o)
				}
			}
			sets = append(sets, set)
		}
	} else {
		for o := range m {
			sets = append(sets, []int{o})
		}
	}
	for _, set := range sets {
		cols = append(cols, column{options: set}, column{options: set, complement: true})
	}
	return cols
}

// value is the column's value at a node, and whether shown figures make it derivable.
func (s Shown) value(t Table, col column, node int) (int, bool) {
	if col.complement && !s.Node[node] {
		return 0, false
	}
	sum := 0
	for _, o := range col.options {
		if !s.Cell[node][o] {
			return 0, false
		}
		sum += t.Cells[node][o]
	}
	if col.complement {
		return t.Total[node] - sum, true
	}
	return sum, true
}

// fixColumn finds the first node whose remainder in the column is between 0 and k and withholds
// one more figure to mend it. It reports whether it withheld anything.
func (s Shown) fixColumn(t Table, k int, col column, children [][]int) bool {
	n := len(t.Parent)
	values := make([]int, n)
	derivable := make([]bool, n)
	below := make([]int, n) // sum of the values at the nearest derivable descendants
	for node := n - 1; node >= 0; node-- {
		values[node], derivable[node] = s.value(t, col, node)
		for _, c := range children[node] {
			if derivable[c] {
				below[node] += values[c]
			} else {
				below[node] += below[c]
			}
		}
	}
	for node := range n {
		if r := values[node] - below[node]; derivable[node] && r > 0 && r < k {
			s.withhold(t, col, s.victim(node, values, derivable, children))
			return true
		}
	}
	return false
}

// victim picks the figure to withhold for a remainder at node: the nearest derivable descendant
// with the smallest non-zero value, which adds the most protection for the least loss, or the
// node itself when it has none.
func (s Shown) victim(node int, values []int, derivable []bool, children [][]int) int {
	victim, best := node, -1
	stack := append([]int(nil), children[node]...)
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !derivable[d] {
			stack = append(stack, children[d]...)
			continue
		}
		if values[d] > 0 && (best < 0 || values[d] < best) {
			victim, best = d, values[d]
		}
	}
	return victim
}

// withhold makes the column underivable at node by withholding its smallest figure in it.
func (s Shown) withhold(t Table, col column, node int) {
	if len(col.options) == 0 {
		s.Node[node] = false
		if s.Cell != nil {
			for o := range s.Cell[node] {
				s.Cell[node][o] = false
			}
		}
		return
	}
	smallest := col.options[0]
	for _, o := range col.options[1:] {
		if t.Cells[node][o] < t.Cells[node][smallest] {
			smallest = o
		}
	}
	s.Cell[node][smallest] = false
}

func childLists(parent []int) [][]int {
	children := make([][]int, len(parent))
	for i, p := range parent {
		if p >= 0 {
			children[p] = append(children[p], i)
		}
	}
	return children
}
