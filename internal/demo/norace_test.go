//go:build !race

package demo_test

// race is whether the race detector is on (see race_test.go).
const race = false
