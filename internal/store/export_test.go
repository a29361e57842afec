package store

// withLimits opens a store whose caps the change lowers, so a test reaches them without writing
// 100,000 rows.
func withLimits(change func(*limits)) Option {
	return func(s *Store) { change(&s.limits) }
}
