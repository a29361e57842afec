package survey

import (
	"strings"
	"time"
)

// The model of how long a questionnaire takes (docs/definitions.md, "How long it takes"). It is an
// estimate for the longest path, every question asked as if every show_if held, so the minutes a
// definition promises hold for the respondent who is asked the most.
//
// Reading: every word the definition puts on a page, at ReadingWordsPerMinute: each section's title
// and description, and each question's text, hint, now_text, target_text and unit, its levels (once,
// though an aspiration-reality question shows them twice), its options' labels (the key where there
// is no label) and, for a proficiency question, the proficiency levels' names. Words the page adds
// itself ("I do not know", "(optional)", the buttons) are left out.
// Answering: a time per question by type (answerTime), and PageTime per section to move on.
const (
	// ReadingWordsPerMinute is how fast adults read non-fiction silently in English, on average (238
	// words a minute: Brysbaert, "How many words do we read per minute?", Journal of Memory and
	// Language, 2019). Weighing a level against one's own work is counted apart, as answering time.
	ReadingWordsPerMinute = 238
	// PageTime is the time to press Continue and find one's place on the next page.
	PageTime = 3 * time.Second
)

// EstimatedMinutes is how long the questionnaire takes on its longest path, every question shown,
// under the model above.
func (d *Definition) EstimatedMinutes() float64 {
	var words int
	var answering time.Duration
	for _, s := range d.Sections {
		words += countWords(s.Title, s.Description)
		answering += PageTime
		for i := range s.Questions {
			q := &s.Questions[i]
			words += d.questionWords(q)
			answering += answerTime(q)
		}
	}
	return float64(words)/ReadingWordsPerMinute + answering.Minutes()
}

// questionWords counts the words a respondent reads to answer q.
func (d *Definition) questionWords(q *Question) int {
	n := countWords(q.Text, q.Hint, q.NowText, q.TargetText, q.Unit) + countWords(q.Levels...)
	for _, o := range q.Options {
		if o.Label != "" {
			n += countWords(o.Label)
		} else {
			n += countWords(o.Key)
		}
	}
	if q.Type == TypeProficiency {
		n += len(d.Proficiency)
	}
	return n
}

// answerTime is the time to answer q once it has been read: choosing one level or option; two
// for an aspiration-reality pair; a tick or not for each option of a multi_choice question;
// recalling and typing a number; and, for free text, a fixed allowance for a sentence or two, since
// its length is the respondent's choice.
func answerTime(q *Question) time.Duration {
	switch q.Type {
	case TypeAspirationReality, TypeNumber:
		return 10 * time.Second
	case TypeMultiChoice:
		return 2 * time.Second * time.Duration(len(q.Options))
	case TypeText:
		return time.Minute
	}
	return 5 * time.Second // maturity, proficiency, choice
}

// countWords counts the words of texts, a word being a run of characters between spaces.
func countWords(texts ...string) int {
	n := 0
	for _, t := range texts {
		n += len(strings.Fields(t))
	}
	return n
}
