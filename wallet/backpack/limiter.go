package backpack

import (
	"sync"
	"time"
)

// limiter counts failures per key within a fixed window; memory is bounded by dropping
// windows that ended (and, past maxKeys, the oldest ones).
type limiter struct {
	mu     sync.Mutex
	window time.Duration
	now    func() time.Time
	counts map[string]*count
}

type count struct {
	n     int
	start time.Time
}

const maxKeys = 100_000

func newLimiter(window time.Duration, now func() time.Time) *limiter {
	return &limiter{window: window, now: now, counts: map[string]*count{}}
}

// allow reports whether key has had fewer than max failures in the current window.
func (l *limiter) allow(key string, max int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.counts[key]
	if c == nil || l.now().Sub(c.start) >= l.window {
		return true
	}
	return c.n < max
}

// fail counts one failure (or one event, for sign-ups) of key.
func (l *limiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	c := l.counts[key]
	if c == nil || now.Sub(c.start) >= l.window {
		if len(l.counts) >= maxKeys {
			l.sweep(now)
		}
		c = &count{start: now}
		l.counts[key] = c
	}
	c.n++
}

// reset forgets key's failures (a successful sign-in).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.counts, key)
}

// retryAfter is how long until key's window ends.
func (l *limiter) retryAfter(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c := l.counts[key]; c != nil {
		if d := l.window - l.now().Sub(c.start); d > 0 {
			return d
		}
	}
	return 0
}

func (l *limiter) sweep(now time.Time) {
	var oldest string
	var oldestAt time.Time
	for k, c := range l.counts {
		if now.Sub(c.start) >= l.window {
			delete(l.counts, k)
			continue
		}
		if oldest == "" || c.start.Before(oldestAt) {
			oldest, oldestAt = k, c.start
		}
	}
	if len(l.counts) >= maxKeys && oldest != "" {
		delete(l.counts, oldest)
	}
}
