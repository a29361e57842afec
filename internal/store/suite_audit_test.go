package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// testAuditEvents: events come back newest first, a page at a time, with the total.
func testAuditEvents(t *testing.T, open opener) {
	ctx := context.Background()
	clock := newClock()
	s := open(t, WithClock(clock.Now))
	events := []struct {
		at time.Time
		e  NewAuditEvent
	}{
		{t0, NewAuditEvent{Actor: "cli", Action: "user.add", Target: "ana@example.org", Detail: "role admin"}},
		{t0.Add(time.Minute), NewAuditEvent{Actor: "user:ana@example.org", Action: "sign-in", Detail: "password", Address: "192.0.2.7"}},
		// Two in the same instant: the later written comes first.
		{t0.Add(2 * time.Minute), NewAuditEvent{Actor: "user:ana@example.org", Action: "wave.open", Target: "2026-spring", Address: "192.0.2.7"}},
		{t0.Add(2 * time.Minute), NewAuditEvent{Actor: "token:powerbi", Action: "report.export", Target: "2026-spring", Detail: "xlsx"}},
	}
	for _, ev := range events {
		clock.Set(ev.at)
		if err := s.Audit(ctx, ev.e); err != nil {
			t.Fatalf("Audit %s: %v", ev.e.Action, err)
		}
	}
	page := func(offset, limit int) string {
		t.Helper()
		got, total, err := s.AuditEvents(ctx, offset, limit)
		if err != nil {
			t.Fatalf("AuditEvents(%d, %d): %v", offset, limit, err)
		}
		if total != int64(len(events)) {
			t.Errorf("AuditEvents(%d, %d) total = %d, want %d", offset, limit, total, len(events))
		}
		var lines []string
		for _, e := range got {
			lines = append(lines, fmt.Sprintf("%s %s %s %s %s %s", e.At.UTC().Format(time.RFC3339), e.Actor, e.Action, e.Target, e.Detail, e.Address))
		}
		return strings.Join(lines, "\n")
	}
	first := "2026-03-02T09:02:00Z token:powerbi report.export 2026-spring xlsx \n" +
		"2026-03-02T09:02:00Z user:ana@example.org wave.open 2026-spring  192.0.2.7"
	second := "2026-03-02T09:01:00Z user:ana@example.org sign-in  password 192.0.2.7\n" +
		"2026-03-02T09:00:00Z cli user.add ana@example.org role admin "
	for _, tt := range []struct {
		offset, limit int
		want          string
	}{
		{0, 2, first},
		{2, 2, second},
		{0, 50, first + "\n" + second},
		{3, 50, "2026-03-02T09:00:00Z cli user.add ana@example.org role admin "},
		{4, 2, ""},
	} {
		if got := page(tt.offset, tt.limit); got != tt.want {
			t.Errorf("AuditEvents(%d, %d) =\n%s\nwant:\n%s", tt.offset, tt.limit, got, tt.want)
		}
	}
	for _, bad := range [][2]int{{-1, 10}, {0, 0}, {0, -5}} {
		if _, _, err := s.AuditEvents(ctx, bad[0], bad[1]); err == nil {
			t.Errorf("AuditEvents(%d, %d) succeeded", bad[0], bad[1])
		}
	}
}

// testAuditCutsLongStrings: a string longer than its column is cut short, in characters, not refused.
func testAuditCutsLongStrings(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	e := NewAuditEvent{
		Actor:   "user:" + strings.Repeat("a", 400),
		Action:  strings.Repeat("b", 100),
		Target:  strings.Repeat("é", 400), // two bytes each: cut by characters, never inside one
		Detail:  strings.Repeat("d", 5000),
		Address: strings.Repeat("1", 100),
	}
	if err := s.Audit(ctx, e); err != nil {
		t.Fatalf("Audit with long strings: %v", err)
	}
	if err := s.Audit(ctx, NewAuditEvent{Actor: "cli", Action: "teams.import", Detail: "bad \xff byte"}); err != nil {
		t.Fatalf("Audit with invalid UTF-8: %v", err)
	}
	got, _, err := s.AuditEvents(ctx, 0, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("AuditEvents: %d events, %v", len(got), err)
	}
	long := got[1]
	for _, f := range []struct {
		name, value, want string
	}{
		{"actor", long.Actor, e.Actor[:300]},
		{"action", long.Action, e.Action[:64]},
		{"target", long.Target, strings.Repeat("é", 300)},
		{"detail", long.Detail, e.Detail[:1000]},
		{"address", long.Address, e.Address[:64]},
	} {
		if f.value != f.want {
			t.Errorf("%s stored as %d characters (%q...), want %d", f.name, utf8.RuneCountInString(f.value), f.value[:min(len(f.value), 12)],
				utf8.RuneCountInString(f.want))
		}
	}
	if got[0].Detail != "bad \uFFFD byte" {
		t.Errorf("detail with invalid UTF-8 stored as %q, want the byte replaced", got[0].Detail)
	}
}
