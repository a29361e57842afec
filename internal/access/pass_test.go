package access

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

var testKey = bytes.Repeat([]byte("k"), MinRespondentKeyBytes)

func newTestPasses(t *testing.T, key []byte, clock *testClock) *Passes {
	t.Helper()
	p, err := NewPasses(key, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNewPassesWantsALongKey(t *testing.T) {
	if _, err := NewPasses(testKey[:MinRespondentKeyBytes-1], nil); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Errorf("a key of 31 bytes: %v, want a refusal", err)
	}
}

// TestPerson: the keyed hash stands for one person in one wave, and for nobody else.
func TestPerson(t *testing.T) {
	clock := &testClock{t: time.Now()}
	p := newTestPasses(t, testKey, clock)
	ann := Respondent{WaveID: 1, Issuer: "https://login.example", Subject: "ann"}
	hash := p.Person(ann)
	if len(hash) != 64 || strings.Contains(hash, "ann") {
		t.Fatalf("Person = %q, want 64 hex digits", hash)
	}
	if p.Person(ann) != hash || newTestPasses(t, testKey, clock).Person(ann) != hash {
		t.Error("the same person in the same wave hashes differently (another instance must agree)")
	}
	for name, other := range map[string]Respondent{
		"another wave":    {WaveID: 2, Issuer: ann.Issuer, Subject: ann.Subject},
		"another person":  {WaveID: 1, Issuer: ann.Issuer, Subject: "bob"},
		"another issuer":  {WaveID: 1, Issuer: "https://other.example", Subject: ann.Subject},
		"parts run on":    {WaveID: 1, Issuer: ann.Issuer + "a", Subject: "nn"},
		"wave in subject": {WaveID: 11, Issuer: ann.Issuer, Subject: "an"},
	} {
		if p.Person(other) == hash {
			t.Errorf("%s hashes the same as Ann", name)
		}
	}
	otherKey := bytes.Repeat([]byte("x"), MinRespondentKeyBytes)
	if newTestPasses(t, otherKey, clock).Person(ann) == hash {
		t.Error("another key hashes the same: the hash must need the key")
	}
}

// TestPassCheck: a pass lets its holder answer its own wave until it expires; anything else is
// refused, each way a pass could be bent.
func TestPassCheck(t *testing.T) {
	clock := &testClock{t: time.Now()}
	p := newTestPasses(t, testKey, clock)
	ann := Respondent{WaveID: 3, Issuer: "https://login.example", Subject: "ann"}
	pass := p.Issue(ann)
	if got, err := p.Check(pass, 3); err != nil || got != p.Person(ann) {
		t.Fatalf("Check of a fresh pass = %q, %v; want Ann's hash", got, err)
	}
	parts := strings.Split(pass, ".")
	with := func(i int, v string) string {
		c := append([]string(nil), parts...)
		c[i] = v
		return strings.Join(c, ".")
	}
	bob := p.Person(Respondent{WaveID: 3, Issuer: ann.Issuer, Subject: "bob"})
	forged := newTestPasses(t, bytes.Repeat([]byte("x"), MinRespondentKeyBytes), clock).Issue(ann)
	for name, bad := range map[string]string{
		"none":                     "",
		"not a pass":               "hello",
		"another version":          with(0, "p0"),
		"moved to another wave":    with(1, "4"),
		"another person's hash":    with(2, bob),
		"expiry put off":           with(3, "99999999999"),
		"MAC cut":                  with(4, parts[4][:10]),
		"MAC not base64":           with(4, "!!!"),
		"made under another key":   forged,
		"a part too many":          pass + ".x",
		"the MAC of a pass alone":  parts[4],
		"the person's hash alone":  parts[2],
		"pass with a space before": " " + pass,
	} {
		if got, err := p.Check(bad, 3); !errors.Is(err, ErrPass) || got != "" {
			t.Errorf("%s: Check = %q, %v; want ErrPass", name, got, err)
		}
	}
	if _, err := p.Check(pass, 4); !errors.Is(err, ErrPass) || !strings.Contains(err.Error(), "another wave") {
		t.Errorf("a pass of wave 3 for wave 4: %v, want ErrPass", err)
	}
	clock.Add(PassLifetime - time.Second)
	if _, err := p.Check(pass, 3); err != nil {
		t.Errorf("a second before it expires: %v", err)
	}
	clock.Add(time.Second)
	if _, err := p.Check(pass, 3); !errors.Is(err, ErrPass) || !strings.Contains(err.Error(), "expired") {
		t.Errorf("an expired pass: %v, want ErrPass", err)
	}
}
