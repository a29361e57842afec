package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// peakMemory is the most memory the process has held resident at once (VmHWM, its high-water
// mark), in bytes; known is false where the system does not tell.
func peakMemory(pid int) (bytes int64, known bool, err error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false, fmt.Errorf("bench: peak memory: %w", err)
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		rest, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0, false, fmt.Errorf("bench: peak memory: VmHWM %q: %w", rest, err)
		}
		return kb * 1024, true, nil
	}
	return 0, false, fmt.Errorf("bench: peak memory: no VmHWM in /proc/%d/status", pid)
}
