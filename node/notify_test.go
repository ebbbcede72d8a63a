package node

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/communs/communs/internal/store"
)

// startNotifyingNode runs a node on 127.0.0.1 that e-mails awards through the SMTP server at
// smtpAddr, logging to logs.
func startNotifyingNode(t *testing.T, smtp SMTPConfig, logs io.Writer) *testNode {
	t.Helper()
	db, err := store.Open("data", store.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	tn := serveNode(t, db, nil, func(cfg *Config) {
		cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		cfg.SMTP = &smtp
	})
	n := tn.Node
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		n.Shutdown(ctx)
		tn.stop()
	})
	return tn
}

func awardTo(t *testing.T, tn *testNode, ach, email, name string) *AwardResult {
	t.Helper()
	res, err := tn.Award(context.Background(), "a", AwardRequest{AchievementID: ach, Recipient: Recipient{Email: email, Name: name}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// drain waits until every queued e-mail was handled.
func drain(t *testing.T, tn *testNode) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tn.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

func receive(t *testing.T, s *smtpServer) smtpMessage {
	t.Helper()
	select {
	case m := <-s.messages:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message reached the SMTP server")
	}
	return smtpMessage{}
}

// readMail parses an accepted message: its header, decoded subject and decoded body.
func readMail(t *testing.T, m smtpMessage) (mail.Header, string, string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(m.Data))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, m.Data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject %q: %v", msg.Header.Get("Subject"), err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatalf("body is not quoted-printable: %v", err)
	}
	return msg.Header, subject, string(body)
}

func TestAwardEmail(t *testing.T) {
	srv := startSMTPServer(t, nil)
	var logs crashLog
	tn := startNotifyingNode(t, SMTPConfig{Addr: srv.addr(), From: "Badges Communs <badges@communs.example>"}, &logs)
	ach := setUpIssuerA(t, tn)
	res := awardTo(t, tn, ach, "ada@example.org", "Ada Lovelace")
	m := receive(t, srv)
	h, subject, body := readMail(t, m)

	t.Run("one award sends one message to the recipient's address only", func(t *testing.T) {
		if len(m.To) != 1 || m.To[0] != "ada@example.org" || m.From != "badges@communs.example" {
			t.Fatalf("envelope from %q to %q", m.From, m.To)
		}
		to, err := mail.ParseAddressList(h.Get("To"))
		if err != nil || len(to) != 1 || to[0].Address != "ada@example.org" {
			t.Fatalf("To: %q", h.Get("To"))
		}
		if h.Get("Bcc") != "" || h.Get("Cc") != "" {
			t.Fatalf("the message names other recipients: Cc %q Bcc %q", h.Get("Cc"), h.Get("Bcc"))
		}
	})
	t.Run("the message carries the claim link and the public badge URL in French and English", func(t *testing.T) {
		for _, want := range []string{res.ClaimURL, res.URL, "Bonjour Ada Lovelace,", "Hello Ada Lovelace,", "vous a décerné le badge", "has awarded you the badge", "« Conception universelle de l'apprentissage — niveau 1 »"} {
			if !strings.Contains(body, want) {
				t.Errorf("body lacks %q:\n%s", want, body)
			}
		}
		if strings.Count(body, res.ClaimURL) != 2 {
			t.Errorf("the claim link should appear once per language:\n%s", body)
		}
	})
	t.Run("the headers are MIME with a UTF-8 encoded subject and a Message-ID", func(t *testing.T) {
		raw := h.Get("Subject")
		if !strings.HasPrefix(raw, "=?utf-8?q?") {
			t.Errorf("the raw subject is not an RFC 2047 Q-encoded word: %q", raw)
		}
		if subject != "Vous avez reçu un badge / You received a badge: Conception universelle de l'apprentissage — niveau 1" {
			t.Errorf("subject = %q", subject)
		}
		if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<"+res.ID+".") || !strings.HasSuffix(id, "@communs.example>") {
			t.Errorf("Message-ID = %q", id)
		}
		if h.Get("MIME-Version") != "1.0" || h.Get("Content-Type") != "text/plain; charset=utf-8" || h.Get("Content-Transfer-Encoding") != "quoted-printable" {
			t.Errorf("MIME headers: %v", h)
		}
		if _, err := h.Date(); err != nil {
			t.Errorf("Date: %v", err)
		}
	})
	t.Run("awarding the same recipient again sends nothing", func(t *testing.T) {
		again := awardTo(t, tn, ach, "ADA@example.org", "Ada Lovelace")
		if !again.Existing || again.ID != res.ID {
			t.Fatalf("the second award is not the existing one: %+v", again)
		}
		drain(t, tn)
		select {
		case m := <-srv.messages:
			t.Fatalf("a second message was sent to %v", m.To)
		default:
		}
	})
	t.Run("the logs name the credential, never the address", func(t *testing.T) {
		out := logs.String()
		if !strings.Contains(out, "award e-mail sent") || !strings.Contains(out, res.ID) {
			t.Errorf("no log of the sent e-mail:\n%s", out)
		}
		if strings.Contains(strings.ToLower(out), "ada@example.org") || strings.Contains(out, "Lovelace") {
			t.Errorf("the logs name the recipient:\n%s", out)
		}
	})
}

func TestBulkAwardEmails(t *testing.T) {
	srv := startSMTPServer(t, nil)
	tn := startNotifyingNode(t, SMTPConfig{Addr: srv.addr(), From: "badges@communs.example"}, io.Discard)
	ach := setUpIssuerA(t, tn)
	csv := "email,did\nada@example.org,\ngrace@example.org,\n,did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK\n"
	_, first := tn.bulkCSV(t, ach, csv)
	_, again := tn.bulkCSV(t, ach, csv)
	drain(t, tn)
	close(srv.messages)
	var to []string
	for m := range srv.messages {
		to = append(to, strings.Join(m.To, ","))
	}

	t.Run("each new row with an address gets its own message and a DID-only row gets none", func(t *testing.T) {
		if first.Awarded != 3 {
			t.Fatalf("summary %+v", first)
		}
		if strings.Join(to, " ") != "ada@example.org grace@example.org" {
			t.Fatalf("messages to %q", to)
		}
	})
	t.Run("uploading the same CSV again sends nothing", func(t *testing.T) {
		if again.Existing != 3 || again.Awarded != 0 {
			t.Fatalf("summary %+v", again)
		}
	})
}

func TestAwardEmailFailures(t *testing.T) {
	t.Run("with the SMTP server down the award succeeds and the failure is logged without the address", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		var logs crashLog
		tn := startNotifyingNode(t, SMTPConfig{Addr: addr, From: "badges@communs.example", Attempts: 3, Backoff: 5 * time.Millisecond}, &logs)
		ach := setUpIssuerA(t, tn)
		res := awardTo(t, tn, ach, "grace@example.org", "Grace")
		if _, err := tn.GetAward(context.Background(), res.ID); err != nil {
			t.Fatalf("the award is not stored: %v", err)
		}
		drain(t, tn)
		out := logs.String()
		if strings.Count(out, "award e-mail failed, will retry") != 2 || !strings.Contains(out, "award e-mail not sent") || !strings.Contains(out, "credential="+res.ID) || !strings.Contains(out, "step=connect") {
			t.Errorf("the logs do not show two retries and a final failure of %s:\n%s", res.ID, out)
		}
		if strings.Contains(out, "grace@example.org") || strings.Contains(out, "Grace") {
			t.Errorf("the logs name the recipient:\n%s", out)
		}
	})
	t.Run("a stalled SMTP server delays no award, and the queue length shows the waiting message", func(t *testing.T) {
		srv := startSMTPServer(t, func(s *smtpServer) { s.silent = true })
		var logs crashLog
		tn := startNotifyingNode(t, SMTPConfig{Addr: srv.addr(), From: "badges@communs.example", QueueSize: 1, Timeout: time.Minute}, &logs)
		ach := setUpIssuerA(t, tn)
		first := awardTo(t, tn, ach, "a@example.org", "")
		<-srv.conns // the worker is now stuck in the first conversation
		start := time.Now()
		awardTo(t, tn, ach, "b@example.org", "")
		third := awardTo(t, tn, ach, "c@example.org", "")
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("two awards took %v while SMTP stalled", d)
		}
		if got := tn.PendingNotifications(); got != 2 {
			t.Errorf("PendingNotifications = %d, want 2 (one being sent, one queued)", got)
		}
		if out := logs.String(); !strings.Contains(out, "the queue is full") || !strings.Contains(out, third.ID) {
			t.Errorf("the dropped e-mail of %s is not logged:\n%s", third.ID, out)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		err := tn.Shutdown(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "left unsent") {
			t.Errorf("Shutdown = %v, want the count of unsent e-mails", err)
		}
		if tn.PendingNotifications() != 0 {
			t.Errorf("PendingNotifications = %d after shutdown", tn.PendingNotifications())
		}
		if out := logs.String(); !strings.Contains(out, "credential="+first.ID) {
			t.Errorf("the abandoned e-mail of %s is not logged:\n%s", first.ID, out)
		}
	})
	t.Run("a temporary refusal is retried and the message then goes through", func(t *testing.T) {
		srv := startSMTPServer(t, func(s *smtpServer) {
			s.reply = func(conn int, cmd string) string {
				if conn == 1 && strings.HasPrefix(strings.ToUpper(cmd), "MAIL FROM:") {
					return "421 4.3.2 try again later"
				}
				return ""
			}
		})
		var logs crashLog
		tn := startNotifyingNode(t, SMTPConfig{Addr: srv.addr(), From: "badges@communs.example", Backoff: 5 * time.Millisecond}, &logs)
		ach := setUpIssuerA(t, tn)
		res := awardTo(t, tn, ach, "ada@example.org", "")
		m := receive(t, srv)
		if _, _, body := readMail(t, m); !strings.Contains(body, res.ClaimURL) {
			t.Errorf("the retried message lacks the claim link:\n%s", body)
		}
		drain(t, tn)
		if out := logs.String(); !strings.Contains(out, "smtp_code=421") || !strings.Contains(out, "attempt=2") {
			t.Errorf("the retry is not logged:\n%s", out)
		}
	})
	t.Run("a permanent refusal of the recipient is not retried and the server's words are not logged", func(t *testing.T) {
		srv := startSMTPServer(t, func(s *smtpServer) {
			s.reply = func(_ int, cmd string) string {
				if strings.HasPrefix(strings.ToUpper(cmd), "RCPT TO:") {
					return "550 5.1.1 " + addrArg(cmd[len("RCPT TO:"):]) + ": no such user"
				}
				return ""
			}
		})
		var logs crashLog
		tn := startNotifyingNode(t, SMTPConfig{Addr: srv.addr(), From: "badges@communs.example", Backoff: time.Hour}, &logs)
		ach := setUpIssuerA(t, tn)
		res := awardTo(t, tn, ach, "nobody@example.org", "")
		drain(t, tn)
		out := logs.String()
		if !strings.Contains(out, "smtp_code=550") || !strings.Contains(out, "step=recipient") || !strings.Contains(out, res.ID) || strings.Contains(out, "will retry") {
			t.Errorf("the refusal is not logged once with its code:\n%s", out)
		}
		if strings.Contains(out, "nobody@") {
			t.Errorf("the logs name the recipient:\n%s", out)
		}
	})
	t.Run("a server without STARTTLS is refused when STARTTLS is required", func(t *testing.T) {
		srv := startSMTPServer(t, nil)
		var logs crashLog
		tn := startNotifyingNode(t, SMTPConfig{Addr: srv.addr(), From: "badges@communs.example", StartTLS: true, Attempts: 1}, &logs)
		ach := setUpIssuerA(t, tn)
		awardTo(t, tn, ach, "ada@example.org", "")
		drain(t, tn)
		if out := logs.String(); !strings.Contains(out, "step=starttls") || !strings.Contains(out, "does not offer STARTTLS") {
			t.Errorf("the missing STARTTLS is not logged:\n%s", out)
		}
		select {
		case <-srv.messages:
			t.Error("a message was sent without STARTTLS")
		default:
		}
	})
}

func TestSMTPConfigValidation(t *testing.T) {
	for _, c := range []struct {
		name string
		smtp SMTPConfig
		want string
	}{
		{"a remote server without STARTTLS is refused", SMTPConfig{Addr: "smtp.example.org:25", From: "b@example.org"}, "STARTTLS is required"},
		{"an address without a port is refused", SMTPConfig{Addr: "smtp.example.org", From: "b@example.org", StartTLS: true}, "must be host:port"},
		{"a sender that is not an address is refused", SMTPConfig{Addr: "127.0.0.1:25", From: "badges"}, "not an e-mail address"},
		{"a username without a password is refused", SMTPConfig{Addr: "127.0.0.1:25", From: "b@example.org", Username: "u"}, "go together"},
		{"a negative queue size is refused", SMTPConfig{Addr: "127.0.0.1:25", From: "b@example.org", QueueSize: -1}, "negative"},
		{"a loopback server without STARTTLS is accepted", SMTPConfig{Addr: "localhost:2525", From: "b@example.org"}, ""},
		{"a remote server with STARTTLS is accepted", SMTPConfig{Addr: "smtp.example.org:587", From: "b@example.org", StartTLS: true, Username: "u", Password: "p"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.SMTP = &c.smtp
			err := cfg.Validate()
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Validate = %v, want ErrConfig saying %q", err, c.want)
			}
		})
	}
}

func TestNodeWithoutSMTPSendsNothing(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	ach := setUpIssuerA(t, tn)
	res := awardTo(t, tn, ach, "ada@example.org", "")
	t.Run("the claim link is in the award result and no e-mail is queued", func(t *testing.T) {
		if res.ClaimURL == "" || tn.PendingNotifications() != 0 || tn.Shutdown(context.Background()) != nil {
			t.Fatalf("result %+v, pending %d", res, tn.PendingNotifications())
		}
	})
}
