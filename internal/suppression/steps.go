package suppression

// Moves says whether, while a wave is open, a figure last published at count published (0 if
// never) is published again at its current count: once it has grown by at least step since (one
// published below step was never shown, so it counts from nothing), and only where the same
// figure of its parent moves too (parentMoves; true at a top), so that no group shows responses
// its parent does not. What this protects, and what not, is said in suppression.go.
func Moves(published, current, step int, parentMoves bool) bool {
	return parentMoves && (published < step || current-published >= step)
}
