package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// NewAuditEvent is one line to add to the audit log. It must never hold answers, invitation codes,
// passwords or tokens.
type NewAuditEvent struct {
	Actor, Action, Target, Detail, Address string
}

// Audit adds an event to the audit log at the store's clock. Strings longer than their columns are
// cut short rather than refused: a long detail must not cost the record of what happened.
func (s *Store) Audit(ctx context.Context, e NewAuditEvent) error {
	row := AuditEvent{At: s.now().UTC(), Actor: e.Actor, Action: e.Action, Target: e.Target, Detail: e.Detail, Address: e.Address}
	db := s.write.WithContext(ctx)
	if err := fitColumns(db, &row); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	if err := db.Create(&row).Error; err != nil {
		return fmt.Errorf("audit %s: %w", row.Action, err)
	}
	return nil
}

// AuditEvents returns a page of the audit log, newest first, and how many events it holds in all.
func (s *Store) AuditEvents(ctx context.Context, offset, limit int) ([]AuditEvent, int64, error) {
	if offset < 0 || limit < 1 {
		return nil, 0, fmt.Errorf("audit events: offset %d and limit %d: want offset >= 0 and limit >= 1", offset, limit)
	}
	db := s.read.WithContext(ctx)
	var total int64
	if err := db.Model(&AuditEvent{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count audit events: %w", err)
	}
	var events []AuditEvent
	if err := db.Order("at DESC, id DESC").Offset(offset).Limit(limit).Find(&events).Error; err != nil {
		return nil, 0, fmt.Errorf("list audit events: %w", err)
	}
	return events, total, nil
}

// fitColumns cuts each string field of row, a pointer to a model, to its column's size in
// characters, as the model's tags declare it: PostgreSQL refuses a longer value, SQLite would keep it.
// Invalid UTF-8, which PostgreSQL refuses too, becomes U+FFFD.
func fitColumns(db *gorm.DB, row any) error {
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(row); err != nil {
		return err
	}
	v := reflect.ValueOf(row).Elem()
	for _, f := range stmt.Schema.Fields {
		if f.Size <= 0 || f.FieldType.Kind() != reflect.String {
			continue
		}
		field := v.FieldByIndex(f.StructField.Index)
		field.SetString(clip(strings.ToValidUTF8(field.String(), "\uFFFD"), f.Size))
	}
	return nil
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
