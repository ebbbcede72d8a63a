package node

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// notifier sends award e-mails from a bounded queue, one worker, with retries. Awards never
// wait for it: enqueue never blocks.
type notifier struct {
	cfg    SMTPConfig
	from   *mail.Address
	logger *slog.Logger
	now    func() time.Time
	rand   io.Reader

	mu      sync.Mutex // guards closed and sends on queue
	closed  bool
	queue   chan awardNotice
	pending atomic.Int64  // queued or being sent
	quit    chan struct{} // closed when Shutdown gives up waiting
	quitted sync.Once
	done    chan struct{} // closed when the worker has returned
}

func newNotifier(cfg SMTPConfig, logger *slog.Logger, now func() time.Time, rand io.Reader) *notifier {
	cfg = cfg.withDefaults()
	from, _ := mail.ParseAddress(cfg.From) // checked by Validate
	nt := &notifier{
		cfg: cfg, from: from, logger: logger, now: now, rand: rand,
		queue: make(chan awardNotice, cfg.QueueSize),
		quit:  make(chan struct{}), done: make(chan struct{}),
	}
	go nt.run()
	return nt
}

// enqueue queues m without blocking; a full or stopped queue drops it (and says so in the log).
func (nt *notifier) enqueue(ctx context.Context, m awardNotice) {
	nt.mu.Lock()
	defer nt.mu.Unlock()
	if nt.closed {
		nt.logger.WarnContext(ctx, "award e-mail not sent: the node is stopping", "credential", m.CredentialID)
		return
	}
	select {
	case nt.queue <- m:
		nt.pending.Add(1)
	default:
		nt.logger.WarnContext(ctx, "award e-mail not sent: the queue is full", "credential", m.CredentialID, "queue", cap(nt.queue))
	}
}

func (nt *notifier) run() {
	defer close(nt.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-nt.quit:
			cancel()
		case <-ctx.Done():
		}
	}()
	for m := range nt.queue {
		nt.deliver(ctx, m)
		nt.pending.Add(-1)
	}
}

// deliver tries m up to Attempts times, waiting Backoff, 2×Backoff, … between attempts; a
// permanent refusal (SMTP 5xx) is not retried. Logs carry the credential id, never the address.
func (nt *notifier) deliver(ctx context.Context, m awardNotice) {
	wait := nt.cfg.Backoff
	for attempt := 1; ; attempt++ {
		err := nt.send(ctx, m)
		if err == nil {
			nt.logger.Info("award e-mail sent", "credential", m.CredentialID, "attempt", attempt)
			return
		}
		attrs := append([]any{"credential", m.CredentialID, "attempt", attempt}, smtpErrorAttrs(err)...)
		var se *smtpError
		permanent := errors.As(err, &se) && se.code >= 500
		if permanent || attempt >= nt.cfg.Attempts || ctx.Err() != nil {
			nt.logger.Error("award e-mail not sent", attrs...)
			return
		}
		nt.logger.Warn("award e-mail failed, will retry", append(attrs, "retry_in", wait)...)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			nt.logger.Error("award e-mail not sent: the node is stopping", "credential", m.CredentialID)
			return
		}
		wait *= 2
	}
}

// smtpError is a failed SMTP step. Only steps before the recipient is named keep the server's
// words: later ones may quote the address.
type smtpError struct {
	step string
	code int // the SMTP reply code, 0 for a network or TLS failure
	err  error
}

func (e *smtpError) Error() string {
	if e.code != 0 {
		return fmt.Sprintf("SMTP %s refused with code %d", e.step, e.code)
	}
	return fmt.Sprintf("SMTP %s failed", e.step)
}

func (e *smtpError) Unwrap() error { return e.err }

// addressFree reports whether the server's words at this step cannot contain the recipient.
func (e *smtpError) addressFree() bool {
	switch e.step {
	case "connect", "hello", "starttls", "auth", "sender":
		return true
	}
	return false
}

func smtpErrorAttrs(err error) []any {
	var se *smtpError
	if !errors.As(err, &se) {
		return []any{"error", err.Error()}
	}
	attrs := []any{"step", se.step}
	if se.code != 0 {
		attrs = append(attrs, "smtp_code", se.code)
	}
	if se.addressFree() && se.err != nil {
		attrs = append(attrs, "error", se.err.Error())
	}
	return attrs
}

func stepError(step string, err error) error {
	se := &smtpError{step: step, err: err}
	var te *textproto.Error
	if errors.As(err, &te) {
		se.code = te.Code
	}
	return se
}

// send runs one SMTP conversation for m.
func (nt *notifier) send(ctx context.Context, m awardNotice) error {
	return nt.transmit(ctx, m.To, m.CredentialID, func(random string) []byte {
		return buildMessage(m, nt.from, messageID(m.CredentialID, nt.from, random), nt.now())
	})
}

// transmit runs one SMTP conversation delivering the message build makes (given a random
// token for its Message-ID) to the address to; ref names it in logs (an id, never a person).
func (nt *notifier) transmit(ctx context.Context, to, ref string, build func(random string) []byte) error {
	ctx, cancel := context.WithTimeout(ctx, nt.cfg.Timeout)
	defer cancel()
	host, _, _ := net.SplitHostPort(nt.cfg.Addr)
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", nt.cfg.Addr)
	if err != nil {
		return stepError("connect", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stopClose := context.AfterFunc(ctx, func() { conn.Close() })
	defer stopClose()

	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return stepError("hello", err)
	}
	defer c.Close()
	if err := c.Hello(senderDomain(nt.from, "localhost")); err != nil {
		return stepError("hello", err)
	}
	if nt.cfg.StartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return stepError("starttls", errors.New("the server does not offer STARTTLS"))
		}
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return stepError("starttls", err)
		}
	}
	if nt.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", nt.cfg.Username, nt.cfg.Password, host)); err != nil {
			return stepError("auth", err)
		}
	}
	if err := c.Mail(nt.from.Address); err != nil {
		return stepError("sender", err)
	}
	if err := c.Rcpt(to); err != nil {
		return stepError("recipient", err)
	}
	w, err := c.Data()
	if err != nil {
		return stepError("data", err)
	}
	random, err := randomToken(nt.rand)
	if err != nil {
		return stepError("data", err)
	}
	if _, err := w.Write(build(random)); err != nil {
		return stepError("data", err)
	}
	if err := w.Close(); err != nil {
		return stepError("data", err)
	}
	if err := c.Quit(); err != nil {
		// The message was accepted at the end of DATA; a failed QUIT does not undo it.
		nt.logger.Debug("SMTP quit failed after the message was accepted", "ref", ref)
	}
	return nil
}

// senderDomain is the domain of from's address, or def: the EHLO name and Message-ID domain.
func senderDomain(from *mail.Address, def string) string {
	if at := strings.LastIndexByte(from.Address, '@'); at >= 0 && at < len(from.Address)-1 {
		return from.Address[at+1:]
	}
	return def
}

func randomToken(r io.Reader) (string, error) {
	var b [10]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return fmt.Sprintf("%x", b[:]), nil
}

// shutdown stops taking messages, then waits for the queue to drain until ctx ends; what is
// left then is dropped (and logged).
func (nt *notifier) shutdown(ctx context.Context) error {
	nt.mu.Lock()
	if !nt.closed {
		nt.closed = true
		close(nt.queue)
	}
	nt.mu.Unlock()
	select {
	case <-nt.done:
		return nil
	case <-ctx.Done():
	}
	nt.quitted.Do(func() { close(nt.quit) })
	<-nt.done
	return fmt.Errorf("stop award e-mails: %d left unsent: %w", nt.pending.Load(), ctx.Err())
}

// notifyAward queues the e-mail about a new award when SMTP is configured and the recipient
// has an address. It never blocks and never fails the award.
func (n *Node) notifyAward(ctx context.Context, iss *Issuer, ach *AchievementRecord, rc Recipient, res *AwardResult) {
	if n.notifier == nil || rc.Email == "" || res.Existing {
		return
	}
	n.notifier.enqueue(ctx, awardNotice{
		CredentialID: res.ID, To: strings.TrimSpace(rc.Email), Name: rc.Name,
		Badge: ach.Achievement.Name.String(), Issuer: iss.Name, ClaimURL: res.ClaimURL, BadgeURL: res.URL,
	})
}

// PendingNotifications is the number of award e-mails queued or being sent (0 without SMTP).
func (n *Node) PendingNotifications() int {
	if n.notifier == nil {
		return 0
	}
	return int(n.notifier.pending.Load())
}

// Shutdown stops the node's background work: award e-mails already queued are sent until ctx
// ends; those left then are dropped (their claim links are in the award results) and Shutdown
// returns an error saying how many. Awards made after Shutdown send no e-mail.
func (n *Node) Shutdown(ctx context.Context) error {
	if n.notifier == nil {
		return nil
	}
	return n.notifier.shutdown(ctx)
}
