package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startCPUProfile writes a CPU profile of the whole process to the file
// named by NMIRF_CPUPROFILE, when it is set, for `go tool pprof`. The
// function it returns ends the profile.
func startCPUProfile() (stop func()) {
	path := os.Getenv("NMIRF_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "nmirf: NMIRF_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "nmirf: NMIRF_CPUPROFILE: %v\n", err)
		}
	}
}
