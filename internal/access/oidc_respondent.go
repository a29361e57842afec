package access

import (
	"context"
	"fmt"

	"github.com/coreos/go-oidc/v3/oidc"
)

// Respondent is who signed in to answer a verified wave, as the provider proved it: its issuer and
// its stable id of the person there (the subject), and nothing more. It is turned into a keyed hash
// at once (Passes.Person) and is neither stored nor logged.
type Respondent struct {
	WaveID          uint
	Issuer, Subject string
}

// StartRespondent begins the sign-in of someone who wants to answer wave waveID, and returns the
// provider's URL and the state, as Start does. Any person the provider signs in may answer: no role
// is granted, so the provider is asked for the openid scope only, not for an email or groups.
func (s *SSO) StartRespondent(ctx context.Context, waveID uint, returnTo string) (authURL, state string, err error) {
	if waveID == 0 {
		return "", "", fmt.Errorf("start a respondent's sign-in: no wave")
	}
	return s.begin(ctx, returnTo, waveID, []string{oidc.ScopeOpenID})
}

// FinishRespondent checks the provider's answer to a respondent's sign-in, as Finish does a member
// of staff's, and returns who signed in, for which wave, and where they were going. A member of
// staff's sign-in is ErrState here.
func (s *SSO) FinishRespondent(ctx context.Context, cookieState, gotState, code string) (Respondent, string, error) {
	flow, err := s.take(ctx, cookieState, gotState)
	if err != nil {
		return Respondent{}, "", err
	}
	if flow.WaveID == 0 {
		return Respondent{}, "", fmt.Errorf("%w: the sign-in was not begun to answer a wave", ErrState)
	}
	token, err := s.verify(ctx, flow, code)
	if err != nil {
		return Respondent{}, "", err
	}
	if token.Subject == "" || token.Issuer == "" {
		return Respondent{}, "", fmt.Errorf("%w: it names no subject", ErrToken)
	}
	return Respondent{WaveID: flow.WaveID, Issuer: token.Issuer, Subject: token.Subject}, flow.ReturnTo, nil
}
