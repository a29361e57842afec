package submission

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"skillsurvey/internal/scoring"
	"skillsurvey/internal/store"
	"skillsurvey/internal/survey"
)

// Origin is where a response goes and what it is known by.
type Origin struct {
	WaveID uint
	// TeamID is the chosen team; zero in an invite wave, whose code names the team as it is spent.
	TeamID uint
	// InvitationHash is the stored form of an invite wave's code.
	InvitationHash string
	// Person is the keyed hash of who answers a verified wave. It is handed to the store to be kept
	// apart from the response, and is no part of the content hash, which is kept with it.
	Person string
	// SubmissionID is the client's submission_id, and TeamKey the chosen team's key (empty in an
	// invite wave): both are stored hashed, never as they are.
	SubmissionID, TeamKey string
	// Day is the day of submission, YYYY-MM-DD: nothing finer is kept.
	Day string
	// Rules is the scoring rules of the wave; zero means scoring.Current.
	Rules scoring.Rules
}

// Response assembles the one stored form of a response whose answers passed def's checks: the
// answers in canonical form and their scores, the respondent's role, the options chosen in
// breakdown questions and the free text, under the origin's wave, team or invitation, hashes and day.
func Response(def *survey.Definition, answers survey.Answers, o Origin) store.NewResponse {
	r := store.NewResponse{
		WaveID: o.WaveID, TeamID: o.TeamID, InvitationHash: o.InvitationHash, Person: o.Person,
		SubmissionHash: submissionHash(o.SubmissionID), DefinitionVersion: def.Version, SubmittedOn: o.Day,
		Answers: def.Canonical(answers), Result: stored(scoring.Score(def, answers, cmp.Or(o.Rules, scoring.Current))), Texts: map[string]string{},
	}
	r.ContentHash = contentHash(o.TeamKey, r.Answers)
	for _, q := range def.Questions() {
		a, ok := answers[q.Key]
		if !ok || a.DontKnow {
			continue
		}
		if def.Roles != nil && def.Roles.Question == q.Key {
			r.Role = a.Choices[0]
		}
		if q.Breakdown {
			for _, option := range a.Choices {
				r.Choices = append(r.Choices, store.Choice{Question: q.Key, Option: option})
			}
		}
		r.Counted = append(r.Counted, counted(q, a)...)
		if q.Type == survey.TypeText {
			r.Texts[q.Key] = a.Text
		}
	}
	return r
}

// counted is what an answer adds to its question's distribution: for a multi_choice, one answer
// and each option chosen; for a number with bins, one answer and its bin.
func counted(q *survey.Question, a survey.Answer) []store.Counted {
	switch q.Type {
	case survey.TypeMultiChoice:
		out := []store.Counted{{Question: q.Key}}
		for _, option := range a.Choices {
			out = append(out, store.Counted{Question: q.Key, Value: option})
		}
		return out
	case survey.TypeNumber:
		if bin, ok := q.Bin(a.Number); ok {
			return []store.Counted{{Question: q.Key}, {Question: q.Key, Value: strconv.Itoa(bin)}}
		}
	}
	return nil
}

// Reassess works a stored response out again from its answers, under its wave's scoring rules, as
// Response did when it arrived (without its origin): the store's migrations use it for figures the
// response row does not keep.
func Reassess(def *survey.Definition, answers survey.Answers, rules int) store.NewResponse {
	return Response(def, answers, Origin{Rules: scoring.Rules(rules)})
}

// submissionHash is how a submission_id is kept. UUIDs are case-insensitive: one spelling keeps a
// retry in capitals a retry.
func submissionHash(id string) string { return hash(strings.ToLower(id)) }

// contentHash tells a retry from other answers under the same submission_id: the team as chosen
// and the canonical answers.
//
// The invitation code stays out of the content hash: the hash is stored with the response, so
// whoever handed out the codes could otherwise tell which code, and so whom, each response came from.
func contentHash(teamKey string, canonical []byte) string {
	return hash(teamKey + "\x00" + string(canonical))
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// stored lays a response's scores out as the store keeps them.
func stored(res scoring.Result) store.Scores {
	sc := store.Scores{Overall: res.Overall, Reality: res.Reality, Aspiration: res.Aspiration,
		Dimensions: make(map[string]store.DimensionScore, len(res.Dimensions))}
	for key, ds := range res.Dimensions {
		sc.Dimensions[key] = store.DimensionScore{Score: ds.Score, Reality: ds.Reality, Aspiration: ds.Aspiration,
			Complete: ds.Complete, Total: ds.Total}
	}
	for _, it := range res.Items {
		sc.Items = append(sc.Items, store.ItemScore{Question: it.Question, Dimension: it.Dimension,
			Score: it.Score, Proficiency: it.Proficiency})
	}
	return sc
}
