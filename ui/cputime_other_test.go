//go:build !unix

package ui

import "time"

// cpuTime is not measured on this system; benchmarks report wall time.
func cpuTime() time.Duration { return 0 }
