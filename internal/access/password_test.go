package access

import (
	"strings"
	"testing"
)

func TestPasswords(t *testing.T) {
	const pw = "a long enough password"
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with the chosen settings", h)
	}
	h2, _ := HashPassword(pw)
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !PasswordMatches(h, pw) || !PasswordMatches(h2, pw) {
		t.Error("the right password does not match")
	}
	for _, wrong := range []string{"", "a long enough passwor", "A long enough password", pw + " ", strings.Repeat("x", 10000)} {
		if PasswordMatches(h, wrong) {
			t.Errorf("%.20q matches", wrong)
		}
	}
	// Hashes that are not ours, or tampered, match nothing, not even the empty password.
	parts := strings.Split(h, "$")
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=99999999,t=2,p=1$" + parts[4] + "$" + parts[5], // a tampered row asking for 95 GiB
		"$argon2id$v=19$m=19456,t=1000,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=2,p=1$!!!$" + parts[5], "$argon2id$v=19$m=19456,t=2,p=1$" + parts[4] + "$"} {
		if PasswordMatches(bad, pw) || PasswordMatches(bad, "") {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
}

func TestPasswordRules(t *testing.T) {
	for pw, ok := range map[string]bool{
		"short":                        false,
		"elevenchars":                  false,
		"twelve chars":                 true,
		"ünïcödé pässwörd":             true, // 16 characters, more bytes
		strings.Repeat("x", 256):       true,
		strings.Repeat("x", 257):       false,
		strings.Repeat("é", 129):       false, // 258 bytes
		"\xff\xfe invalid utf-8 bytes": false,
	} {
		if err := CheckPasswordRules(pw); (err == nil) != ok {
			t.Errorf("CheckPasswordRules(%.20q) = %v, want ok=%v", pw, err, ok)
		}
		if _, err := HashPassword(pw); (err == nil) != ok {
			t.Errorf("HashPassword(%.20q) = %v, want ok=%v", pw, err, ok)
		}
	}
}

func TestGeneratedPasswords(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		p := GeneratePassword()
		if len(p) != 23 || strings.Count(p, "-") != 3 || CheckPasswordRules(p) != nil {
			t.Fatalf("generated %q: want 20 characters in groups of five", p)
		}
		if strings.ContainsAny(p, "0O1lI") {
			t.Errorf("generated %q holds a character easily misread", p)
		}
		if seen[p] {
			t.Fatalf("generated %q twice", p)
		}
		seen[p] = true
	}
}

func TestSecrets(t *testing.T) {
	tok := NewToken()
	if !strings.HasPrefix(tok, TokenPrefix) || len(tok) != len(TokenPrefix)+52 { // 256 bits in base32: 52 characters
		t.Errorf("token %q: want the prefix and 52 base32 characters", tok)
	}
	if a, b := NewSessionID(), NewSessionID(); NewToken() == tok || a == b {
		t.Error("two secrets are equal")
	}
	// SHA-256 of "abc", from FIPS 180-2's worked example.
	if got := Hash("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("Hash(abc) = %s", got)
	}
}

// TestArgon2idKnownAnswer checks the hashing against the reference implementation's published test
// vector (phc-winner-argon2, argon2id, m=65536, t=2, p=1, password "password", salt "somesalt"),
// worked out outside this code: a change of algorithm or parameter order would fail it.
func TestArgon2idKnownAnswer(t *testing.T) {
	const reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	if !PasswordMatches(reference, "password") {
		t.Error("the reference hash of \"password\" does not match")
	}
	if PasswordMatches(reference, "Password") {
		t.Error("the reference hash matches another password")
	}
	// The same hash labelled argon2i (another algorithm) is refused, not checked as argon2id.
	if PasswordMatches(strings.Replace(reference, "argon2id", "argon2i", 1), "password") {
		t.Error("an argon2i label was accepted")
	}
}
