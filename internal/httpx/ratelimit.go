package httpx

import (
	"container/list"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of RateLimitOptions.
const (
	DefaultRateLimitRate       = 1.0 // requests per second, sustained
	DefaultRateLimitBurst      = 20
	DefaultRateLimitMaxClients = 10000
	DefaultRateLimitIdle       = 10 * time.Minute
)

// RateLimitOptions configures a RateLimiter: a token bucket per client address.
// The zero value is the default policy: 20 requests at once, then one a second,
// for at most 10,000 clients remembered at a time.
type RateLimitOptions struct {
	// Rate is how many requests per second a client may make in the long
	// run (the bucket's refill rate). Zero means DefaultRateLimitRate.
	Rate float64
	// Burst is how many requests a client may make at once (the bucket's
	// size). Zero means DefaultRateLimitBurst.
	Burst int
	// MaxClients bounds the number of buckets kept in memory. When a new
	// client comes and the table is full, the least recently seen client is
	// forgotten (its next request starts with a full bucket). Zero means
	// DefaultRateLimitMaxClients.
	MaxClients int
	// Idle is how long a client's bucket is kept after its last request
	// (a bucket idle that long is full again anyway when Burst/Rate <= Idle).
	// Zero means DefaultRateLimitIdle.
	Idle time.Duration
	// ClientIPHeader names a header set by a trusted reverse proxy that
	// carries the client address ("X-Forwarded-For": its last entry is
	// used; "X-Real-IP": the whole value). It is read only when the direct
	// peer (RemoteAddr) is in TrustedProxies; otherwise, and when empty,
	// the client is the RemoteAddr.
	ClientIPHeader string
	// TrustedProxies are the addresses of the reverse proxies whose
	// ClientIPHeader is believed.
	TrustedProxies []netip.Prefix
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (o RateLimitOptions) withDefaults() RateLimitOptions {
	if o.Rate <= 0 || math.IsNaN(o.Rate) || math.IsInf(o.Rate, 0) {
		o.Rate = DefaultRateLimitRate
	}
	if o.Burst <= 0 {
		o.Burst = DefaultRateLimitBurst
	}
	if o.MaxClients <= 0 {
		o.MaxClients = DefaultRateLimitMaxClients
	}
	if o.Idle <= 0 {
		o.Idle = DefaultRateLimitIdle
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// RateLimiter keeps a token bucket per client and says whether a request may
// go on. Its memory is bounded by MaxClients; buckets idle longer than Idle are
// dropped. It is safe for concurrent use.
type RateLimiter struct {
	o       RateLimitOptions
	mu      sync.Mutex
	clients map[string]*list.Element // of *bucket, most recently seen first
	lru     *list.List
}

// bucket is one client's tokens at a time.
type bucket struct {
	key    string
	tokens float64
	seen   time.Time
}

// NewRateLimiter returns a limiter with o (defaults filled in).
func NewRateLimiter(o RateLimitOptions) *RateLimiter {
	return &RateLimiter{o: o.withDefaults(), clients: map[string]*list.Element{}, lru: list.New()}
}

// Allow takes one token from client's bucket. When the bucket is empty it
// returns false and how long until a token is back.
func (l *RateLimiter) Allow(client string) (ok bool, retryAfter time.Duration) {
	now := l.o.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.evict(now)
	var b *bucket
	if e, found := l.clients[client]; found {
		b = e.Value.(*bucket)
		l.lru.MoveToFront(e)
		if d := now.Sub(b.seen); d > 0 {
			b.tokens = math.Min(float64(l.o.Burst), b.tokens+d.Seconds()*l.o.Rate)
		}
	} else {
		for l.lru.Len() >= l.o.MaxClients {
			l.remove(l.lru.Back())
		}
		b = &bucket{key: client, tokens: float64(l.o.Burst)}
		l.clients[client] = l.lru.PushFront(b)
	}
	b.seen = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.o.Rate * float64(time.Second))
	return false, wait
}

// Clients returns how many clients the limiter remembers now.
func (l *RateLimiter) Clients() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}

// evict drops the buckets not seen for longer than Idle (the oldest are at
// the back of the list).
func (l *RateLimiter) evict(now time.Time) {
	for e := l.lru.Back(); e != nil; e = l.lru.Back() {
		if now.Sub(e.Value.(*bucket).seen) <= l.o.Idle {
			return
		}
		l.remove(e)
	}
}

func (l *RateLimiter) remove(e *list.Element) {
	delete(l.clients, e.Value.(*bucket).key)
	l.lru.Remove(e)
}

// ClientKey returns the key a request is limited by: the client's IP address
// (IPv6 addresses grouped by /64, the block one subscriber usually holds),
// taken from ClientIPHeader when the direct peer is a trusted proxy, otherwise
// from RemoteAddr.
func (l *RateLimiter) ClientKey(r *http.Request) string {
	peer := remoteIP(r.RemoteAddr)
	if l.o.ClientIPHeader != "" && peer.IsValid() && l.trusted(peer) {
		if ip := headerIP(r.Header.Get(l.o.ClientIPHeader)); ip.IsValid() {
			peer = ip
		}
	}
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	peer = peer.Unmap()
	if peer.Is6() {
		p, _ := peer.Prefix(64)
		return p.String()
	}
	return peer.String()
}

func (l *RateLimiter) trusted(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range l.o.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// remoteIP reads the address of "ip:port" (or a bare ip).
func remoteIP(addr string) netip.Addr {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	ip, _ := netip.ParseAddr(strings.Trim(addr, "[]"))
	return ip
}

// headerIP reads the client address a proxy header carries: the last entry of
// a comma-separated list (the one the trusted proxy itself added).
func headerIP(v string) netip.Addr {
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return remoteIP(strings.TrimSpace(v))
}

// Middleware answers a request over its client's budget with 429 Too Many
// Requests as problem+json, with Retry-After in whole seconds.
func (l *RateLimiter) Middleware() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ok, wait := l.Allow(l.ClientKey(r)); !ok {
				WriteTooManyRequests(w, r, wait)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// RateLimit returns middleware limiting each client with a new RateLimiter.
func RateLimit(o RateLimitOptions) Middleware { return NewRateLimiter(o).Middleware() }

// RetryAfterSeconds is the Retry-After value for a wait: whole seconds,
// rounded up, at least 1.
func RetryAfterSeconds(wait time.Duration) int {
	s := int(math.Ceil(wait.Seconds()))
	if s < 1 {
		s = 1
	}
	return s
}

// WriteTooManyRequests writes the 429 problem+json answer of a client over
// its budget, with Retry-After.
func WriteTooManyRequests(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	s := RetryAfterSeconds(wait)
	w.Header().Set("Retry-After", strconv.Itoa(s))
	WriteProblem(w, r, Problem{
		Status: http.StatusTooManyRequests,
		Detail: "too many requests from this address: try again in " + strconv.Itoa(s) + " s",
	})
}
