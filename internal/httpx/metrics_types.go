package httpx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Counter is a value that only goes up. The zero value is ready to use but
// belongs to no registry; get counters from Registry.Counter or
// CounterVec.With.
type Counter struct{ bits atomic.Uint64 }

// Inc adds one.
func (c *Counter) Inc() { c.Add(1) }

// Add adds v; negative or NaN values are ignored, since a counter never
// goes down.
func (c *Counter) Add(v float64) {
	if !(v > 0) {
		return
	}
	addFloat(&c.bits, v)
}

// Value returns the current value.
func (c *Counter) Value() float64 { return math.Float64frombits(c.bits.Load()) }

// Gauge is a value that goes up and down.
type Gauge struct{ bits atomic.Uint64 }

// Set sets the value.
func (g *Gauge) Set(v float64) { g.bits.Store(math.Float64bits(v)) }

// Add adds v (which may be negative).
func (g *Gauge) Add(v float64) { addFloat(&g.bits, v) }

// Inc adds one.
func (g *Gauge) Inc() { g.Add(1) }

// Dec subtracts one.
func (g *Gauge) Dec() { g.Add(-1) }

// Value returns the current value.
func (g *Gauge) Value() float64 { return math.Float64frombits(g.bits.Load()) }

// Histogram counts observations in buckets with fixed upper bounds.
type Histogram struct {
	upper  []float64
	counts []atomic.Uint64 // per bucket, not cumulative; the last is +Inf
	sum    atomic.Uint64   // float64 bits
}

// Observe records one value, in the first bucket whose upper bound is at
// least v. NaN is ignored.
func (h *Histogram) Observe(v float64) {
	if math.IsNaN(v) {
		return
	}
	i := sort.SearchFloat64s(h.upper, v)
	h.counts[i].Add(1)
	addFloat(&h.sum, v)
}

// Count returns the number of observations.
func (h *Histogram) Count() uint64 {
	var n uint64
	for i := range h.counts {
		n += h.counts[i].Load()
	}
	return n
}

// addFloat adds v to the float64 stored as bits.
func addFloat(bits *atomic.Uint64, v float64) {
	for {
		old := bits.Load()
		if bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// CounterVec is a family of counters told apart by label values.
type CounterVec struct{ vec *vec[Counter] }

// With returns the counter for the label values, given in the order of
// the label names; it panics when their number differs.
func (cv *CounterVec) With(values ...string) *Counter { return cv.vec.with(values) }

// GaugeVec is a family of gauges told apart by label values.
type GaugeVec struct{ vec *vec[Gauge] }

// With returns the gauge for the label values, given in the order of the
// label names; it panics when their number differs.
func (gv *GaugeVec) With(values ...string) *Gauge { return gv.vec.with(values) }

// HistogramVec is a family of histograms told apart by label values.
type HistogramVec struct {
	vec     *vec[Histogram]
	buckets []float64
}

// With returns the histogram for the label values, given in the order of
// the label names; it panics when their number differs.
func (hv *HistogramVec) With(values ...string) *Histogram { return hv.vec.with(values) }

// vec holds the series of one family, keyed by label values.
type vec[T any] struct {
	name, help, typ string
	labels          []string
	newT            func() *T

	mu     sync.RWMutex
	series map[string]*series[T]
}

// series is one metric of a family with its label values.
type series[T any] struct {
	values []string
	labels string // rendered: name="escaped value",…
	m      *T
}

// newVec returns an empty family.
func newVec[T any](name, help, typ string, labels []string, newT func() *T) *vec[T] {
	return &vec[T]{name: name, help: help, typ: typ, labels: slices.Clone(labels), newT: newT, series: make(map[string]*series[T])}
}

// with returns the series for values, making it on first use.
func (v *vec[T]) with(values []string) *T {
	if len(values) != len(v.labels) {
		panic(fmt.Sprintf("httpx: metric %s takes %d label values (%s), got %d", v.name, len(v.labels), strings.Join(v.labels, ", "), len(values)))
	}
	var arr [256]byte
	key := arr[:0]
	for _, val := range values {
		// Length-prefixed, so that ("a,", "b") and ("a", ",b") differ.
		key = binary.AppendUvarint(key, uint64(len(val)))
		key = append(key, val...)
	}
	v.mu.RLock()
	s, ok := v.series[string(key)] // no allocation for a map lookup
	v.mu.RUnlock()
	if ok {
		return s.m
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.series[string(key)]; ok {
		return s.m
	}
	s = &series[T]{values: slices.Clone(values), labels: renderLabels(v.labels, values), m: v.newT()}
	v.series[string(key)] = s
	return s.m
}

// renderLabels returns name="value",… with the values escaped, rendered
// once per series rather than at every scrape.
func renderLabels(names, values []string) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(n)
		b.WriteString(`="`)
		b.WriteString(escapeLabelValue(values[i]))
		b.WriteByte('"')
	}
	return b.String()
}

// empty reports whether the family has no series yet.
func (v *vec[T]) empty() bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return len(v.series) == 0
}

// sorted returns the series ordered by label values.
func (v *vec[T]) sorted() []*series[T] {
	v.mu.RLock()
	out := make([]*series[T], 0, len(v.series))
	for _, s := range v.series {
		out = append(out, s)
	}
	v.mu.RUnlock()
	slices.SortFunc(out, func(a, b *series[T]) int { return slices.Compare(a.values, b.values) })
	return out
}

// header returns the family's name, help and type.
func (v *vec[T]) header() (string, string, string) { return v.name, v.help, v.typ }

// sameLabels reports whether labels are this family's label names.
func (v *vec[T]) sameLabels(labels []string) bool { return slices.Equal(v.labels, labels) }

// writeSample appends one sample line: name{labels,extra} value.
func writeSample(b *bytes.Buffer, name, labels, extra string, v float64) {
	b.WriteString(name)
	if labels != "" || extra != "" {
		b.WriteByte('{')
		b.WriteString(labels)
		if labels != "" && extra != "" {
			b.WriteByte(',')
		}
		b.WriteString(extra)
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	appendFloat(b, v)
	b.WriteByte('\n')
}

func (cv *CounterVec) header() (string, string, string) { return cv.vec.header() }

func (cv *CounterVec) same(typ string, labels []string, _ []float64) bool {
	return typ == "counter" && cv.vec.sameLabels(labels)
}

func (cv *CounterVec) empty() bool { return cv.vec.empty() }

func (cv *CounterVec) write(b *bytes.Buffer) {
	for _, s := range cv.vec.sorted() {
		writeSample(b, cv.vec.name, s.labels, "", s.m.Value())
	}
}

func (gv *GaugeVec) header() (string, string, string) { return gv.vec.header() }

func (gv *GaugeVec) same(typ string, labels []string, _ []float64) bool {
	return typ == "gauge" && gv.vec.sameLabels(labels)
}

func (gv *GaugeVec) empty() bool { return gv.vec.empty() }

func (gv *GaugeVec) write(b *bytes.Buffer) {
	for _, s := range gv.vec.sorted() {
		writeSample(b, gv.vec.name, s.labels, "", s.m.Value())
	}
}

func (hv *HistogramVec) header() (string, string, string) { return hv.vec.header() }

func (hv *HistogramVec) same(typ string, labels []string, buckets []float64) bool {
	return typ == "histogram" && hv.vec.sameLabels(labels) && slices.Equal(hv.buckets, buckets)
}

func (hv *HistogramVec) empty() bool { return hv.vec.empty() }

// write appends, per series, the cumulative _bucket lines, _sum and
// _count (equal to the +Inf bucket).
func (hv *HistogramVec) write(b *bytes.Buffer) {
	bucket, sum, count := hv.vec.name+"_bucket", hv.vec.name+"_sum", hv.vec.name+"_count"
	les := make([]string, len(hv.buckets)+1)
	for i, u := range hv.buckets {
		les[i] = `le="` + formatFloat(u) + `"`
	}
	les[len(hv.buckets)] = `le="+Inf"`
	for _, s := range hv.vec.sorted() {
		h := s.m
		var cum uint64
		for i := range h.counts {
			cum += h.counts[i].Load()
			writeSample(b, bucket, s.labels, les[i], float64(cum))
		}
		writeSample(b, sum, s.labels, "", math.Float64frombits(h.sum.Load()))
		writeSample(b, count, s.labels, "", float64(cum))
	}
}

// gaugeFunc is a gauge computed at scrape time.
type gaugeFunc struct {
	name, help string
	f          func() float64
}

func (g *gaugeFunc) header() (string, string, string) { return g.name, g.help, "gauge" }

func (g *gaugeFunc) same(typ string, labels []string, _ []float64) bool {
	return typ == "gaugefunc" && len(labels) == 0
}

func (g *gaugeFunc) empty() bool { return false }

func (g *gaugeFunc) write(b *bytes.Buffer) {
	writeSample(b, g.name, "", "", g.f())
}
