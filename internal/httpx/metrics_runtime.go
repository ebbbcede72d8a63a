package httpx

import (
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// RegisterRuntimeMetrics adds gauges about the process to reg:
// go_goroutines, go_memstats_heap_alloc_bytes (bytes of live and not yet
// swept heap objects), go_memstats_sys_bytes (memory mapped by the Go
// runtime), process_start_time_seconds (the time of this call, made at
// start-up) and, where /proc is available,
// process_resident_memory_bytes. They are read at each scrape without
// stopping the world.
func RegisterRuntimeMetrics(reg *Registry) {
	reg.GaugeFunc("go_goroutines", "Number of goroutines that currently exist.", func() float64 {
		return float64(runtime.NumGoroutine())
	})
	reg.GaugeFunc("go_memstats_heap_alloc_bytes", "Bytes of allocated heap objects.", func() float64 {
		return readRuntimeMetric("/memory/classes/heap/objects:bytes")
	})
	reg.GaugeFunc("go_memstats_sys_bytes", "Bytes of memory obtained from the OS by the Go runtime.", func() float64 {
		return readRuntimeMetric("/memory/classes/total:bytes")
	})
	start := float64(time.Now().UnixMilli()) / 1e3
	reg.GaugeFunc("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds.", func() float64 {
		return start
	})
	if _, ok := residentBytes(); ok {
		reg.GaugeFunc("process_resident_memory_bytes", "Resident memory size in bytes.", func() float64 {
			v, _ := residentBytes()
			return v
		})
	}
}

// readRuntimeMetric returns one runtime/metrics value as a float.
func readRuntimeMetric(name string) float64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	switch s[0].Value.Kind() {
	case metrics.KindUint64:
		return float64(s[0].Value.Uint64())
	case metrics.KindFloat64:
		return s[0].Value.Float64()
	}
	return 0
}

// residentBytes reads the resident set size from /proc/self/statm.
func residentBytes() (float64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return float64(pages) * float64(os.Getpagesize()), true
}
