package suppression

// Moves says whether, while a wave is open, a node's own answers in one family of figures (not
// its subtree's), last published at count published (0 if never), are published again at their
// current count: once they have grown by at least step since, and by at least half of what was
// published. Every figure is then the sum of blocks of at least step answers from one node each,
// and a reader who keeps every publication learns those blocks and nothing finer (see
// suppression.go, "Open waves"). Breakdown cells are not published while a wave is open; how the
// own answers split over the options is recorded at each move, for FinalMoves at closing, which
// checks a block per move: growing by half at least keeps a node's moves few (a team of 200 moves
// about ten times, whatever the number of reads), so the record stays small and closing fast.
func Moves(published, current, step int) bool {
	return current-published >= max(step, (published+1)/2)
}
