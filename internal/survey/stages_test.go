package survey

import (
	"math"
	"testing"
)

// TestNextStageFrom: where the stage after each stage of the shipped scale begins, as StageFor reads
// it (the scale's own starts, 12.5, 37.5, 62.5 and 87.5, less StageFor's tolerance); none after the
// last. A score just under each bound is in the stage before, one at it in the next.
func TestNextStageFrom(t *testing.T) {
	def, err := Load("../../survey-definitions/digital-communications.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]float64{"aspiration": 12.5, "emerging": 37.5, "developing": 62.5, "embedded": 87.5} {
		got := def.NextStageFrom(key)
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("after %s: %v, want %v", key, got, want)
		}
		if def.StageFor(got).Key == key || def.StageFor(got-1e-6).Key != key {
			t.Errorf("after %s: StageFor(%v) = %s, StageFor just under = %s", key, got, def.StageFor(got).Key, def.StageFor(got-1e-6).Key)
		}
	}
	if got := def.NextStageFrom("reality"); !math.IsInf(got, 1) {
		t.Errorf("after the last stage: %v, want +Inf", got)
	}
}
