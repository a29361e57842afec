package bench

import (
	"testing"
	"time"
)

// TestVerdicts checks how a figure is set beside its aim.
func TestVerdicts(t *testing.T) {
	ms := func(v float64) float64 { return v * float64(time.Millisecond) }
	tests := []struct {
		name                 string
		compare              func() (aim, verdict string)
		wantAim, wantVerdict string
	}{
		{"rate above its floor", func() (string, string) { return atLeast(3000, 2700, perSecond) }, "≥ 2,700/s", "met"},
		{"rate on its floor", func() (string, string) { return atLeast(2700, 2700, perSecond) }, "≥ 2,700/s", "met"},
		{"rate below its floor", func() (string, string) { return atLeast(2000, 2700, perSecond) }, "≥ 2,700/s", "missed by 700/s"},
		{"ratio below", func() (string, string) { return atLeast(1.5, aimRatio, times) }, "≥ 2.00×", "missed by 0.50×"},
		{"latency under its ceiling", func() (string, string) { return below(ms(40), ms(50), millis) }, "< 50.0 ms", "met"},
		{"latency on its ceiling", func() (string, string) { return below(ms(50), ms(50), millis) }, "< 50.0 ms", "missed by 0.0 ms"},
		{"latency over its ceiling", func() (string, string) { return below(ms(62.5), ms(50), millis) }, "< 50.0 ms", "missed by 12.5 ms"},
		{"memory over", func() (string, string) { return below(160e6, aimPeakMemory, megabytes) }, "< 150.0 MB", "missed by 10.0 MB"},
	}
	for _, tt := range tests {
		aim, verdict := tt.compare()
		if aim != tt.wantAim || verdict != tt.wantVerdict {
			t.Errorf("%s: %q, %q; want %q, %q", tt.name, aim, verdict, tt.wantAim, tt.wantVerdict)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 123456: "123,456", 1_000_000: "1,000,000", -4500: "-4,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestRowsWithoutFigures checks the rows of a run in which nothing was stored bare and memory
// could not be read: they say so, rather than dividing by zero or claiming an aim was met.
func TestRowsWithoutFigures(t *testing.T) {
	r := &results{clients: 64, submissions: &tally{done: 10, elapsed: time.Second}, reports: &tally{},
		respondent: &tally{}, bare: &tally{}, warmup: &tally{}}
	got := map[string]row{}
	for _, x := range r.rows() {
		got[x.figure] = x
	}
	if x := got["submissions ÷ bare limit"]; x.value != "none stored bare" || x.verdict != "" {
		t.Errorf("ratio row %+v, want none stored bare and no verdict", x)
	}
	if x := got["server peak memory (VmHWM)"]; x.value != "not measured on this system" || x.verdict != "" {
		t.Errorf("memory row %+v, want not measured and no verdict", x)
	}
	if x := got["submissions acknowledged (64 clients)"]; x.value != "10/s (10 in 1.0s)" {
		t.Errorf("submissions row %+v, want 10/s (10 in 1.0s)", x)
	}
}
