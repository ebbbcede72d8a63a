package httpx

import (
	"net/http"
	"strconv"
	"time"
)

// Names of the metrics Metrics records.
const (
	metricRequests = "http_requests_total"
	metricDuration = "http_request_duration_seconds"
)

// Metrics records every request in reg: the counter
// http_requests_total{method,route,code} and the histogram
// http_request_duration_seconds{method,route} (DefaultBuckets). The route
// is the matched ServeMux pattern ("unmatched" when none matched) and
// methods outside the standard ones count as "OTHER", so clients cannot
// create series at will.
func Metrics(reg *Registry) Middleware {
	requests := reg.CounterVec(metricRequests, "HTTP requests answered, by method, route pattern and status code.", "method", "route", "code")
	duration := reg.HistogramVec(metricDuration, "Time to answer HTTP requests, by method and route pattern.", nil, "method", "route")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := record(w)
			defer func() {
				method, route := methodLabel(r.Method), routeLabel(r)
				requests.With(method, route, strconv.Itoa(rec.Status())).Inc()
				duration.With(method, route).Observe(time.Since(start).Seconds())
			}()
			next.ServeHTTP(rec, r)
		})
	}
}
