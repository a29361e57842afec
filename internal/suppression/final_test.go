package suppression

import "testing"

// TestFinalLeavesWithinAlone: a decision Final returns is cut from a longer one (its live
// children were decided with it). Another family decided within it must not write beyond its
// end, or two families decided within it at once would race.
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
