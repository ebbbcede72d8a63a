package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// ErrNoMail is returned by SendMail when the node has no SMTP server configured.
var ErrNoMail = errors.New("this node sends no e-mail (no SMTP server is configured)")

// SendMail sends one plain-text message (UTF-8) to the address to through the node's SMTP
// server, now (not queued), within the SMTP timeout. ref names the message in logs (an id,
// never a person). It returns ErrNoMail without SMTP. Other parts of the product (the hosted
// backpack's password reset) send their mail through it.
func (n *Node) SendMail(ctx context.Context, to, subject, body, ref string) error {
	if n.notifier == nil {
		return ErrNoMail
	}
	addr, err := mail.ParseAddress(to)
	if err != nil {
		return fmt.Errorf("send mail %s: the recipient is not an e-mail address", ref)
	}
	nt := n.notifier
	err = nt.transmit(ctx, addr.Address, ref, func(random string) []byte {
		return plainMessage(nt.from, addr.Address, subject, body, ref+"."+random+"@"+senderDomain(nt.from, "communs.invalid"), nt.now())
	})
	if err != nil {
		return fmt.Errorf("send mail %s: %w", ref, err)
	}
	return nil
}

// plainMessage is an RFC 5322 message with a UTF-8 subject (RFC 2047) and a quoted-printable
// text/plain body.
func plainMessage(from *mail.Address, to, subject, body, messageID string, date time.Time) []byte {
	var h bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&h, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", (&mail.Address{Address: to}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(subject)))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+messageID+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	h.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&h)
	qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")))
	qp.Close()
	return h.Bytes()
}
