package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id settings: OWASP's recommended minimum (19 MiB, two passes, one lane). A hash takes a few
// tens of milliseconds, slow for a guesser and fast for a person.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password limits: long enough to be safe, short enough that hashing cannot be made expensive.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

var b64 = base64.RawStdEncoding

// HashPassword hashes a password with argon2id and a random salt, in the PHC string form
// $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH.
func HashPassword(password string) (string, error) {
	if err := CheckPasswordRules(password); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPasswordRules says what is wrong with a new password, if anything.
func CheckPasswordRules(password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return errors.New("the password is not valid text")
	case n < MinPasswordLength:
		return fmt.Errorf("the password must be at least %d characters long", MinPasswordLength)
	case len(password) > MaxPasswordLength:
		return fmt.Errorf("the password must be at most %d bytes long", MaxPasswordLength)
	}
	return nil
}

// dummyHash is checked against when there is no account, so an unknown email takes as long as a
// wrong password. It is made on first use: an argon2id hash costs 19 MiB and tens of milliseconds,
// which every command and test binary would otherwise pay at start.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("no account has this password, ever")
	if err != nil {
		panic(err)
	}
	return h
})

// checks counts argon2id checks, so a test can see that every way through signing in pays for one.
var checks atomic.Int64

// PasswordMatches says whether password matches the stored hash. An empty or malformed hash (an
// account that signs in only by single sign-on) matches nothing, after the same work as a real check.
func PasswordMatches(hash, password string) bool {
	ok := true
	params, salt, key, err := decodeHash(hash)
	if err != nil || len(password) > MaxPasswordLength {
		params, salt, key, _ = decodeHash(dummyHash())
		ok = false
	}
	checks.Add(1)
	got := argon2.IDKey([]byte(password), salt, params.time, params.memory, params.threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1 && ok
}

type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
}

func decodeHash(hash string) (argonParams, []byte, []byte, error) {
	var p argonParams
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, errors.New("not an argon2id hash")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, nil, nil, fmt.Errorf("argon2id parameters: %w", err)
	}
	// Bounds keep a tampered row from making a check take minutes or gigabytes.
	if p.memory < 8*1024 || p.memory > 256*1024 || p.time < 1 || p.time > 10 || p.threads < 1 || p.threads > 8 {
		return p, nil, nil, errors.New("argon2id parameters out of range")
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, errors.New("argon2id salt")
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, errors.New("argon2id key")
	}
	return p, salt, key, nil
}

// passwordAlphabet leaves out characters easily misread (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword makes a password of 20 characters (about 115 bits), for `user add` to print once.
func GeneratePassword() string {
	const n = 20
	out := make([]byte, 0, n+3)
	buf := make([]byte, 1)
	for len(out) < n+3 {
		if len(out)%6 == 5 {
			out = append(out, '-') // groups of five are easier to copy by hand
			continue
		}
		if _, err := rand.Read(buf); err != nil {
			panic("access: the system's random source failed: " + err.Error())
		}
		if int(buf[0]) >= 256-256%len(passwordAlphabet) {
			continue // rejection keeps every character equally likely
		}
		out = append(out, passwordAlphabet[int(buf[0])%len(passwordAlphabet)])
	}
	return string(out)
}
