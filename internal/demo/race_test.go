//go:build race

package demo_test

// race is whether the race detector is on: it makes building several times slower, so the aim
// for building time is not checked under it.
const race = true
