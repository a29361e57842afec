package survey

import "math"

// NextLevel is the wording of the level above a 0-100 score on a question with levels (maturity
// or aspiration-reality): what the next step up looks like from where the answers sit. A score
// between two levels is below the upper one, which is next; a score at a level has the one above
// it next. ok is false at the top level and for questions without levels.
func (q *Question) NextLevel(score float64) (string, bool) {
	if q.Type != TypeMaturity && q.Type != TypeAspirationReality || len(q.Levels) < 2 {
		return "", false
	}
	at := score * float64(len(q.Levels)-1) / 100 // 0-based level position
	next := int(math.Floor(at+1e-9)) + 1
	if next < 0 || next >= len(q.Levels) {
		return "", false
	}
	return q.Levels[next], true
}
