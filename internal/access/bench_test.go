package access

import (
	"context"
	"errors"
	"testing"
)

// BenchmarkSignIn compares the three outcomes of a password sign-in: an unknown email must take
// about as long as a wrong password, so timing cannot tell which emails have accounts.
//
//	go test -tags nomsgpack -run '^$' -bench SignIn -benchtime 200x ./internal/access/
func BenchmarkSignIn(b *testing.B) {
	st, clock, _ := sessionWorld(b)
	s := NewService(st, clock.now, 0, 0)
	ctx := context.Background()
	for _, bc := range []struct {
		name, email, password string
		want                  error
	}{
		{"unknown email", "nobody@example.gov.uk", "the right password", ErrBadCredentials},
		{"wrong password", "lead@example.gov.uk", "the wrong password", ErrBadCredentials},
		{"right password", "lead@example.gov.uk", "the right password", nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := s.SignIn(ctx, bc.email, bc.password, ""); !errors.Is(err, bc.want) {
					b.Fatalf("%v, want %v", err, bc.want)
				}
			}
		})
	}
}
