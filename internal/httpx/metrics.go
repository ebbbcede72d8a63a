package httpx

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// MetricsContentType is the media type of the Prometheus text format 0.0.4.
const MetricsContentType = "text/plain; version=0.0.4; charset=utf-8"

// DefaultBuckets are histogram upper bounds in seconds suited to request
// durations, from 5 ms to 10 s.
var DefaultBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Registry holds metrics and writes them in the Prometheus text exposition
// format 0.0.4. It is safe for concurrent use. Metric constructors are
// idempotent: asking again for a name with the same kind, labels and
// buckets returns the metric already registered. They panic on a
// programming error — an invalid metric or label name, or a name already
// registered differently — like regexp.MustCompile, since metrics are
// declared once at start-up from constants.
type Registry struct {
	mu       sync.Mutex
	families map[string]family
}

// family is one metric name with its HELP, TYPE and series.
type family interface {
	// header returns name, help and type for the HELP and TYPE lines.
	header() (name, help, typ string)
	// same reports whether another registration asks for this family.
	same(typ string, labels []string, buckets []float64) bool
	// empty reports whether there is no series to write.
	empty() bool
	// write appends the sample lines, sorted.
	write(b *bytes.Buffer)
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{families: make(map[string]family)}
}

// register returns the family registered under name, or makes one.
func (reg *Registry) register(name, typ string, labels []string, buckets []float64, make func() family) family {
	if !validMetricName(name) {
		panic(fmt.Sprintf("httpx: invalid metric name %q (must match [a-zA-Z_:][a-zA-Z0-9_:]*)", name))
	}
	for _, l := range labels {
		if !validLabelName(l) || l == "le" && typ == "histogram" {
			panic(fmt.Sprintf("httpx: invalid label name %q for metric %s", l, name))
		}
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if f, ok := reg.families[name]; ok {
		if !f.same(typ, labels, buckets) {
			panic(fmt.Sprintf("httpx: metric %s already registered with another type, labels or buckets", name))
		}
		return f
	}
	f := make()
	reg.families[name] = f
	return f
}

// Counter registers (or returns) a counter without labels.
func (reg *Registry) Counter(name, help string) *Counter {
	return reg.CounterVec(name, help).With()
}

// CounterVec registers (or returns) a counter with the given label names.
func (reg *Registry) CounterVec(name, help string, labels ...string) *CounterVec {
	f := reg.register(name, "counter", labels, nil, func() family {
		return &CounterVec{vec: newVec[Counter](name, help, "counter", labels, func() *Counter { return &Counter{} })}
	})
	return f.(*CounterVec)
}

// Gauge registers (or returns) a gauge without labels.
func (reg *Registry) Gauge(name, help string) *Gauge {
	return reg.GaugeVec(name, help).With()
}

// GaugeVec registers (or returns) a gauge with the given label names.
func (reg *Registry) GaugeVec(name, help string, labels ...string) *GaugeVec {
	f := reg.register(name, "gauge", labels, nil, func() family {
		return &GaugeVec{vec: newVec[Gauge](name, help, "gauge", labels, func() *Gauge { return &Gauge{} })}
	})
	return f.(*GaugeVec)
}

// GaugeFunc registers a gauge whose value f computes at each scrape (f
// must be safe for concurrent use). Registering the same name again keeps
// the first function.
func (reg *Registry) GaugeFunc(name, help string, f func() float64) {
	reg.register(name, "gaugefunc", nil, nil, func() family {
		return &gaugeFunc{name: name, help: help, f: f}
	})
}

// Histogram registers (or returns) a histogram without labels, with the
// given bucket upper bounds (DefaultBuckets when nil); the +Inf bucket is
// implicit.
func (reg *Registry) Histogram(name, help string, buckets []float64) *Histogram {
	return reg.HistogramVec(name, help, buckets).With()
}

// HistogramVec registers (or returns) a histogram with the given bucket
// upper bounds (DefaultBuckets when nil) and label names. Bounds must be
// finite and strictly increasing.
func (reg *Registry) HistogramVec(name, help string, buckets []float64, labels ...string) *HistogramVec {
	if buckets == nil {
		buckets = DefaultBuckets
	}
	for i, b := range buckets {
		if math.IsNaN(b) || math.IsInf(b, 0) || i > 0 && b <= buckets[i-1] {
			panic(fmt.Sprintf("httpx: histogram %s buckets must be finite and strictly increasing", name))
		}
	}
	bs := slices.Clone(buckets)
	f := reg.register(name, "histogram", labels, bs, func() family {
		return &HistogramVec{vec: newVec[Histogram](name, help, "histogram", labels, func() *Histogram {
			return &Histogram{upper: bs, counts: make([]atomic.Uint64, len(bs)+1)}
		}), buckets: bs}
	})
	return f.(*HistogramVec)
}

// WriteTo writes every metric in the text format 0.0.4: families sorted by
// name, each with its # HELP and # TYPE lines, series sorted by label
// values. Families without any series are left out.
func (reg *Registry) WriteTo(w io.Writer) (int64, error) {
	reg.mu.Lock()
	fams := make([]family, 0, len(reg.families))
	for _, f := range reg.families {
		fams = append(fams, f)
	}
	reg.mu.Unlock()
	sort.Slice(fams, func(i, j int) bool {
		a, _, _ := fams[i].header()
		b, _, _ := fams[j].header()
		return a < b
	})
	var buf bytes.Buffer
	for _, f := range fams {
		if f.empty() {
			continue
		}
		name, help, typ := f.header()
		buf.WriteString("# HELP ")
		buf.WriteString(name)
		buf.WriteByte(' ')
		buf.WriteString(escapeHelp(help))
		buf.WriteString("\n# TYPE ")
		buf.WriteString(name)
		buf.WriteByte(' ')
		buf.WriteString(typ)
		buf.WriteByte('\n')
		f.write(&buf)
	}
	return buf.WriteTo(w)
}

// Handler serves the metrics for GET and HEAD, uncached.
func (reg *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			WriteProblem(w, r, Problem{Status: http.StatusMethodNotAllowed, Detail: "metrics are read with GET"})
			return
		}
		var buf bytes.Buffer
		_, _ = reg.WriteTo(&buf)
		w.Header().Set("Content-Type", MetricsContentType)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(buf.Bytes())
	})
}

// validMetricName reports whether s matches [a-zA-Z_:][a-zA-Z0-9_:]*.
func validMetricName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == ':' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// validLabelName reports whether s matches [a-zA-Z_][a-zA-Z0-9_]* and is
// not reserved (__ prefix).
func validLabelName(s string) bool {
	return validMetricName(s) && !strings.Contains(s, ":") && !strings.HasPrefix(s, "__")
}

// escapeHelp escapes a HELP text: backslash and line feed.
func escapeHelp(s string) string {
	return helpEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD"))
}

// escapeLabelValue escapes a label value: backslash, double quote and line
// feed; invalid UTF-8 becomes U+FFFD.
func escapeLabelValue(s string) string {
	return labelEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD"))
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
)

// appendFloat appends a sample value the way Prometheus reads it.
func appendFloat(b *bytes.Buffer, v float64) {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		b.WriteString(formatFloat(v))
		return
	}
	b.Write(strconv.AppendFloat(b.AvailableBuffer(), v, 'g', -1, 64))
}

// formatFloat formats a sample value the way Prometheus reads it.
func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
