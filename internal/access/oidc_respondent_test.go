package access

import (
	"context"
	"errors"
	"net/url"
	"testing"
)

// startRespondent begins a respondent's sign-in to wave and plays the browser at the provider,
// where who signs in; it returns the provider's URL, the state and the code.
func (h *ssoHarness) startRespondent(wave uint, who person) (authURL *url.URL, state, code string) {
	h.t.Helper()
	raw, state, err := h.sso.StartRespondent(context.Background(), wave, "/waves/spring")
	if err != nil {
		h.t.Fatal(err)
	}
	authURL, err = url.Parse(raw)
	if err != nil {
		h.t.Fatal(err)
	}
	return authURL, state, h.atProvider(raw, state, who)
}

func TestRespondentSignIn(t *testing.T) {
	h := newSSOHarness(t)
	ctx := context.Background()

	t.Run("anyone the provider signs in, by subject alone", func(t *testing.T) {
		// No email, no groups: a respondent needs neither.
		authURL, state, code := h.startRespondent(7, person{sub: "sub-ann"})
		if got := authURL.Query().Get("scope"); got != "openid" {
			t.Errorf("the provider is asked for scope %q, want openid only", got)
		}
		r, back, err := h.sso.FinishRespondent(ctx, state, state, code)
		if err != nil {
			t.Fatal(err)
		}
		if r != (Respondent{WaveID: 7, Issuer: h.idp.Issuer(), Subject: "sub-ann"}) || back != "/waves/spring" {
			t.Errorf("FinishRespondent = %+v, %q", r, back)
		}
	})
	t.Run("a respondent's sign-in never makes a staff sign-in", func(t *testing.T) {
		_, state, code := h.startRespondent(7, member("ann@example.gov.uk", "skills-admins"))
		if _, _, err := h.sso.Finish(ctx, state, state, code); !errors.Is(err, ErrState) {
			t.Errorf("Finish of a respondent's sign-in: %v, want ErrState", err)
		}
	})
	t.Run("a staff sign-in is not a respondent's", func(t *testing.T) {
		state, code := h.authorize(h.sso, member("ann@example.gov.uk", "skills-admins"), "/dashboard")
		if _, _, err := h.sso.FinishRespondent(ctx, state, state, code); !errors.Is(err, ErrState) {
			t.Errorf("FinishRespondent of a staff sign-in: %v, want ErrState", err)
		}
	})
	t.Run("the answer is this browser's, and used once", func(t *testing.T) {
		_, state, code := h.startRespondent(7, person{sub: "sub-ann"})
		if _, _, err := h.sso.FinishRespondent(ctx, "another browser's", state, code); !errors.Is(err, ErrState) {
			t.Errorf("another browser's state: %v, want ErrState", err)
		}
		if _, _, err := h.sso.FinishRespondent(ctx, state, state, code); err != nil {
			t.Fatalf("the browser that started: %v", err)
		}
		if _, _, err := h.sso.FinishRespondent(ctx, state, state, code); !errors.Is(err, ErrState) {
			t.Errorf("used again: %v, want ErrState", err)
		}
	})
	t.Run("no wave", func(t *testing.T) {
		if _, _, err := h.sso.StartRespondent(ctx, 0, "/"); err == nil {
			t.Error("StartRespondent for wave 0 succeeded")
		}
	})
}
