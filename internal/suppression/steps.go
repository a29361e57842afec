package suppression

// Moves says whether, while a wave is open, a node's own answers in one family of figures (not
// its subtree's), last published at count published (0 if never), are published again at their
// current count: once they have grown by at least step since. Every figure is then the sum of
// blocks of at least step answers from one node each, and a reader who keeps every publication
// learns those blocks and nothing finer (see suppression.go, "Open waves"). Breakdown cells are
// not published while a wave is open; how the own answers split over the options is recorded at
// each move, for FinalMoves at closing.
func Moves(published, current, step int) bool {
	return current-published >= step
}
