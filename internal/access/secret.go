package access

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
)

// TokenPrefix starts every API token, so a token pasted somewhere it should not be is recognised
// (secret scanners look for such prefixes).
const TokenPrefix = "ssv_"

// tokenBytes is the randomness of a token and of a session: 256 bits.
const tokenBytes = 32

var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// randomString is n random bytes, base32 in lower case.
func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("access: the system's random source failed: " + err.Error()) // crypto/rand never fails on Linux
	}
	return strings.ToLower(encoding.EncodeToString(b))
}

// NewToken makes an API token: the prefix and 256 random bits. Only its Hash is stored.
func NewToken() string { return TokenPrefix + randomString(tokenBytes) }

// NewSessionID makes the value of a session cookie: 256 random bits. Only its Hash is stored.
func NewSessionID() string { return randomString(tokenBytes) }

// NewCSRFToken makes the token a signed-in browser must send with every change it asks for.
func NewCSRFToken() string { return randomString(tokenBytes) }

// Hash is how tokens and session ids are stored: SHA-256 in hex. They carry 256 random bits, so a
// fast hash is enough; passwords, chosen by people, use argon2id instead.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
