package node

import (
	"fmt"
	"net"
	"net/mail"
	"time"
)

// SMTPConfig configures the e-mail that tells a recipient about a new badge. Zero counts and
// durations take the defaults written next to them.
type SMTPConfig struct {
	// Addr is the SMTP server, host:port (e.g. smtp.example.org:587).
	Addr string
	// From is the sender address, e.g. "Badges <badges@example.org>".
	From string
	// Username and Password authenticate with SMTP AUTH PLAIN (both or neither). The password
	// is a secret: it comes from the environment (COMMUNS_SMTP_PASSWORD), never a flag.
	Username, Password string
	// StartTLS upgrades the connection with STARTTLS before anything else is sent. It is
	// required unless the server's host is loopback.
	StartTLS bool
	// QueueSize bounds the messages waiting to be sent (default 1000); when it is full, new
	// messages are dropped and logged (the claim link stays in the award's result).
	QueueSize int
	// Attempts is how many times one message is tried (default 4).
	Attempts int
	// Backoff is the wait after the first failed attempt, doubled after each one (default 2 s).
	Backoff time.Duration
	// Timeout bounds one SMTP conversation (default 30 s).
	Timeout time.Duration
}

func (c *SMTPConfig) validate() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || port == "" {
		return fmt.Errorf("%w: SMTP address %q must be host:port, e.g. smtp.example.org:587", ErrConfig, c.Addr)
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("%w: SMTP sender %q is not an e-mail address", ErrConfig, c.From)
	}
	if (c.Username == "") != (c.Password == "") {
		return fmt.Errorf("%w: SMTP username and password go together (the password comes from COMMUNS_SMTP_PASSWORD)", ErrConfig)
	}
	if !c.StartTLS && !loopbackHost(host) {
		return fmt.Errorf("%w: SMTP server %s is not on this machine: STARTTLS is required", ErrConfig, host)
	}
	if c.QueueSize < 0 || c.Attempts < 0 || c.Backoff < 0 || c.Timeout < 0 {
		return fmt.Errorf("%w: SMTP queue size, attempts, backoff and timeout cannot be negative", ErrConfig)
	}
	return nil
}

// withDefaults returns a copy with the zero counts and durations replaced by the defaults.
func (c SMTPConfig) withDefaults() SMTPConfig {
	if c.QueueSize == 0 {
		c.QueueSize = 1000
	}
	if c.Attempts == 0 {
		c.Attempts = 4
	}
	if c.Backoff == 0 {
		c.Backoff = 2 * time.Second
	}
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	return c
}

func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
