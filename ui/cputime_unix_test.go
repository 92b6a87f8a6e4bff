//go:build unix

package ui

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the process has used, user and system:
// unlike wall time it does not grow when other processes take the
// processors, so benchmarks report both.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
