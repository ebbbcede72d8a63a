package verifier

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc"
)

// Defaults of Config.
const (
	DefaultMaxInputBytes    = 2 << 20
	DefaultMaxBatch         = 1000
	DefaultMaxBatchBytes    = 64 << 20
	DefaultTimeout          = 20 * time.Second
	DefaultBatchConcurrency = 4
	DefaultJobTTL           = time.Hour
	DefaultMaxJobs          = 50
)

// ErrConfig reports an invalid Config.
var ErrConfig = errors.New("invalid verifier configuration")

// Config is the verifier's configuration. It is immutable once passed to New.
type Config struct {
	// Options are the verification options: Resolver (DIDs), HTTPClient (the guarded client: it
	// fetches status lists and the URLs evaluators submit), Trust (issuer recognition) and the
	// policy flags. Options.Now and Options.Input are set per verification.
	Options vc.Options
	// NodeName is shown in the page header.
	NodeName string
	// MaxInputBytes bounds one submitted badge (upload, pasted text, fetched URL, API body).
	MaxInputBytes int64
	// MaxBatch bounds the number of badges of one batch.
	MaxBatch int
	// MaxBatchBytes bounds one batch upload (CSV or ZIP).
	MaxBatchBytes int64
	// Timeout bounds one verification (fetches included).
	Timeout time.Duration
	// BatchConcurrency is how many badges of a batch are verified at once.
	BatchConcurrency int
	// JobTTL is how long a finished batch report stays available.
	JobTTL time.Duration
	// MaxJobs bounds the batch jobs kept in memory (running and finished).
	MaxJobs int
	// RateLimit limits each client's verifications (page, API, batch submissions); the zero
	// value is httpx's default policy.
	RateLimit httpx.RateLimitOptions
	// NoRateLimit turns the limit off (benchmarks, trusted deployments).
	NoRateLimit bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives ids and counts only; nil means slog.Default().
	Logger *slog.Logger
}

// DefaultConfig returns the defaults; the caller sets Options (at least HTTPClient and
// Resolver) and NodeName.
func DefaultConfig() Config {
	return Config{
		MaxInputBytes:    DefaultMaxInputBytes,
		MaxBatch:         DefaultMaxBatch,
		MaxBatchBytes:    DefaultMaxBatchBytes,
		Timeout:          DefaultTimeout,
		BatchConcurrency: DefaultBatchConcurrency,
		JobTTL:           DefaultJobTTL,
		MaxJobs:          DefaultMaxJobs,
		Now:              time.Now,
	}
}

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.MaxInputBytes == 0 {
		c.MaxInputBytes = d.MaxInputBytes
	}
	if c.MaxBatch == 0 {
		c.MaxBatch = d.MaxBatch
	}
	if c.MaxBatchBytes == 0 {
		c.MaxBatchBytes = d.MaxBatchBytes
	}
	if c.Timeout == 0 {
		c.Timeout = d.Timeout
	}
	if c.BatchConcurrency == 0 {
		c.BatchConcurrency = d.BatchConcurrency
	}
	if c.JobTTL == 0 {
		c.JobTTL = d.JobTTL
	}
	if c.MaxJobs == 0 {
		c.MaxJobs = d.MaxJobs
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	switch {
	case c.MaxInputBytes < 0 || c.MaxInputBytes > vc.MaxInput:
		return fmt.Errorf("%w: MaxInputBytes must be between 1 and %d", ErrConfig, vc.MaxInput)
	case c.MaxBatch < 0:
		return fmt.Errorf("%w: MaxBatch must be positive", ErrConfig)
	case c.MaxBatchBytes < 0:
		return fmt.Errorf("%w: MaxBatchBytes must be positive", ErrConfig)
	case c.Timeout < 0:
		return fmt.Errorf("%w: Timeout must be positive", ErrConfig)
	case c.BatchConcurrency < 0 || c.BatchConcurrency > 64:
		return fmt.Errorf("%w: BatchConcurrency must be between 1 and 64", ErrConfig)
	case c.JobTTL < 0 || c.MaxJobs < 0:
		return fmt.Errorf("%w: JobTTL and MaxJobs must be positive", ErrConfig)
	}
	return nil
}
