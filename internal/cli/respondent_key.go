package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"

	"skillsurvey/api"
	"skillsurvey/internal/access"
)

// errNoRespondentKey explains why single sign-on needs the respondent key, and what it must be.
var errNoRespondentKey = errors.New("single sign-on is configured, so respondents can sign in to answer verified waves, " +
	"which needs a respondent key: give --respondent-key-file or SKILLSURVEY_RESPONDENT_KEY, at least 32 random bytes " +
	"(such as from 'openssl rand -base64 48'), the same on every instance and never kept in the database: " +
	"whoever holds both the key and the database could test whether a named person answered")

// checkRespondentKey reads the respondent key, which goes with single sign-on: either both or
// neither. It gives the router the passes made with it.
func (a *Access) checkRespondentKey(cfg *api.Config) []error {
	key, err := a.respondentKey()
	switch {
	case err != nil:
		return []error{err}
	case key == nil && a.ssoWanted():
		return []error{errNoRespondentKey}
	case key == nil:
		return nil
	case !a.ssoWanted():
		return []error{errors.New("a respondent key is given, but single sign-on is not configured (--oidc-issuer and the rest): " +
			"respondents sign in only through it")}
	}
	passes, err := access.NewPasses(key, nil)
	if err != nil {
		return []error{fmt.Errorf("--respondent-key-file or SKILLSURVEY_RESPONDENT_KEY: %w", err)}
	}
	cfg.Passes = passes
	return nil
}

// respondentKey is the key from its file or from the environment, spaces and line ends around it
// left out; nil when neither is given.
func (a *Access) respondentKey() ([]byte, error) {
	switch {
	case a.RespondentKeyFile != "" && a.RespondentKey != "":
		return nil, errors.New("give the respondent key one way: --respondent-key-file or SKILLSURVEY_RESPONDENT_KEY, not both")
	case a.RespondentKeyFile != "":
		key, err := os.ReadFile(a.RespondentKeyFile)
		if err != nil {
			return nil, fmt.Errorf("--respondent-key-file: %w", err)
		}
		return bytes.TrimSpace(key), nil
	case a.RespondentKey != "":
		return bytes.TrimSpace([]byte(a.RespondentKey)), nil
	}
	return nil, nil
}

// respondentSignIn says whether respondents can sign in to answer a wave, by the settings serve
// reads from the environment: single sign-on with its respondent key. Settings that would stop
// serve are an error here too, rather than a guess.
func (c *call) respondentSignIn() (bool, error) {
	var a Access
	if err := c.accessFlags(flag.NewFlagSet("serve", flag.ContinueOnError), &a); err != nil {
		return false, err
	}
	if !a.ssoWanted() && a.RespondentKeyFile == "" && a.RespondentKey == "" {
		return false, nil
	}
	var cfg api.Config
	if err := errors.Join(append(a.checkSSO(), a.checkRespondentKey(&cfg)...)...); err != nil {
		return false, fmt.Errorf("single sign-on, as serve would read it from this environment:\n%w", err)
	}
	return true, nil
}
