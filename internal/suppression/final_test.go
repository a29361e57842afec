package suppression

import (
	"fmt"
	"testing"
)

// panicMessage runs f and returns what it panicked with, or "" if it did not.
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// TestFinalRefusesWhatCannotBe: a node cannot have published more own answers than it holds, in
// total or in any column (answers are never taken back), nor a move take back what an earlier
// one published; and the live answers must be given for every node.
func TestFinalRefusesWhatCannotBe(t *testing.T) {
	// A department (own: 4 in option 0, 1 unanswered) and a team (2 in option 0, 5 unanswered).
	tab := Table{Parent: []int{-1, 0}, Total: []int{12, 7}, Cells: [][]int{{6}, {2}}}
	for _, tc := range []struct {
		name string
		call func()
		want string
	}{
		{"more than the team holds", func() { Final(Table{Parent: []int{-1}, Total: []int{4}}, Live{Own: []int{6}}, 5, nil) },
			"suppression: node 0 published more own answers than it holds"},
		{"more than the team holds in option 0", func() { Final(tab, Live{Own: []int{0, 6}, Cells: [][]int{nil, {5}}}, 5, nil) },
			"suppression: node 1 published more own answers than it holds"},
		{"more than the department holds itself", func() { Final(tab, Live{Own: []int{6, 0}, Cells: [][]int{{4}, nil}}, 5, nil) },
			"suppression: node 0 published more own answers than it holds"},
		{"a node missing", func() { Final(tab, Live{Own: []int{5}}, 5, nil) },
			"suppression: live answers for 1 nodes of 2"},
		{"a move taking back", func() { FinalMoves(tab, [][]Move{nil, {{Own: 5, Cells: []int{2}}, {Own: 7, Cells: []int{1}}}}, 5, nil) },
			"suppression: node 1's moves took answers back"},
		{"moves missing", func() { FinalMoves(tab, [][]Move{nil}, 5, nil) },
			"suppression: moves for 1 nodes of 2"},
	} {
		if got := panicMessage(tc.call); got != tc.want {
			t.Errorf("%s: panicked with %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := panicMessage(func() { Final(tab, Live{Own: []int{5, 7}, Cells: [][]int{{4}, {2}}}, 5, nil) }); got != "" {
		t.Errorf("everything published: panicked with %q", got)
	}
}

// TestFinalLeavesWithinAlone: a decision Final returns is cut from a longer one (its blocks were
// decided with it). Another family decided within it must not write beyond its end, or two
// families decided within it at once would race.
func TestFinalLeavesWithinAlone(t *testing.T) {
	groups := Final(Table{Parent: []int{-1, 0, 0}, Total: []int{20, 12, 8}}, Live{Own: []int{0, 6, 5}}, 5, nil)
	if cap(groups.NodeWhy) == len(groups.NodeWhy) {
		t.Fatal("Final's reasons have no room beyond their end: nothing to check")
	}
	beyond := groups.NodeWhy[:cap(groups.NodeWhy)]
	beyond[len(groups.NodeWhy)] = "beyond the end"
	Final(Table{Parent: []int{-1, 0, 0}, Total: []int{18, 11, 7}}, Live{Own: []int{0, 5, 5}}, 5, &groups)
	if got := beyond[len(groups.NodeWhy)]; got != "beyond the end" {
		t.Errorf("deciding within it wrote %q beyond the end of the groups' reasons", got)
	}
}
