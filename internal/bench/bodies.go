package bench

import (
	"encoding/json"
	"fmt"
	"sync/atomic"

	"skillsurvey/internal/crash"
	"skillsurvey/internal/demo"
	"skillsurvey/internal/survey"
)

// poolSize is how many distinct answer sets the clients send, drawn before the clock starts so
// that drawing costs nothing during the run.
const poolSize = 2000

// bodyStart opens every submission body; the submission_id, fresh for each request, follows.
const bodyStart = `{"submission_id":"`

// pool holds the submissions the clients send, in turn.
type pool struct {
	// tails are the bodies after the submission_id: `","team":"…","answers":{…}}`.
	tails [][]byte
	// answers are the same answers as the store keeps them (canonical JSON), for the bare limit.
	answers [][]byte
	next    atomic.Uint64
}

// drawPool draws poolSize answer sets from def, each for one of teams in turn. The canonical
// answers a response is stored with are answers a respondent may send.
func drawPool(def *survey.Definition, teams []string, seed uint64) (*pool, error) {
	if len(teams) == 0 {
		return nil, fmt.Errorf("bench: the wave has no teams to answer for")
	}
	sets, err := demo.New(def, seed).AnswerSets(poolSize)
	if err != nil {
		return nil, fmt.Errorf("bench: draw answers: %w", err)
	}
	p := &pool{answers: sets}
	for i, answers := range sets {
		team, err := json.Marshal(teams[i%len(teams)])
		if err != nil {
			return nil, err
		}
		p.tails = append(p.tails, fmt.Appendf(nil, `","team":%s,"answers":%s}`, team, answers))
	}
	return p, nil
}

// submission is the next body to send, under a fresh submission_id: a new respondent each time.
func (p *pool) submission() []byte {
	tail := p.tails[p.next.Add(1)%uint64(len(p.tails))]
	id := crash.SubmissionID() // a UUID: hex digits and dashes, nothing JSON must escape
	body := make([]byte, 0, len(bodyStart)+len(id)+len(tail))
	return append(append(append(body, bodyStart...), id...), tail...)
}

// storedAnswers is the next answer set as the store keeps it.
func (p *pool) storedAnswers() []byte {
	return p.answers[p.next.Add(1)%uint64(len(p.answers))]
}
