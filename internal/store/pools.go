package store

import (
	"database/sql"

	"gorm.io/gorm"
)

// Pools reports the statistics of the store's connection pools, by name ("write", "read"), for
// metrics.
func (s *Store) Pools() map[string]sql.DBStats {
	out := map[string]sql.DBStats{}
	for name, db := range map[string]*gorm.DB{"write": s.write, "read": s.read} {
		if db == nil {
			continue
		}
		if sqlDB, err := db.DB(); err == nil {
			out[name] = sqlDB.Stats()
		}
	}
	return out
}
