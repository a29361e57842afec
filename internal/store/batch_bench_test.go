package store

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkSaveBatch measures the writer alone: batches of 32 new responses over the four teams of
// the test department, one transaction and one sync each, with nothing else running.
//
//	go test -tags nomsgpack -run '^$' -bench SaveBatch ./internal/store/
func BenchmarkSaveBatch(b *testing.B) {
	const size = 32
	ctx := context.Background()
	s := openTestStore(b)
	teams := importDepartment(b, s)
	def := smallDefinition(b)
	w := createWave(b, s, def, "2026-spring", ModeOpen)
	keys := []string{"digital", "press", "social", "strategy"}
	n := 0
	for b.Loop() {
		batch := make([]NewResponse, size)
		for i := range batch {
			answers := answersA
			if n%3 == 0 {
				answers = answersB
			}
			batch[i] = newResponse(b, def, w.ID, teams[keys[n%len(keys)]].ID, fmt.Sprint("bench-", n), answers)
			n++
		}
		for _, o := range s.SaveBatch(ctx, batch) {
			if o.Err != nil || !o.Created {
				b.Fatalf("created = %v, err = %v", o.Created, o.Err)
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "responses/s")
}
