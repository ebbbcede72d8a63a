package node

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/communs/communs/internal/store"
)

func TestSendMail(t *testing.T) {
	srv := startSMTPServer(t, nil)
	var logs crashLog
	tn := startNotifyingNode(t, SMTPConfig{Addr: srv.addr(), From: "Badges Communs <badges@communs.example>"}, &logs)
	t.Run("a message reaches the address with its UTF-8 subject and body", func(t *testing.T) {
		if err := tn.SendMail(context.Background(), "ana@example.org", "Réinitialiser votre mot de passe", "Bonjour,\n\nVoici le lien : https://x.example/r?t=é\n", "reset-1"); err != nil {
			t.Fatal(err)
		}
		m := receive(t, srv)
		h, subject, body := readMail(t, m)
		if len(m.To) != 1 || m.To[0] != "ana@example.org" || subject != "Réinitialiser votre mot de passe" ||
			!strings.Contains(body, "Voici le lien : https://x.example/r?t=é\r\n") || !strings.HasPrefix(h.Get("Message-ID"), "<reset-1.") {
			t.Fatalf("to %v subject %q body %q id %q", m.To, subject, body, h.Get("Message-ID"))
		}
		if strings.Contains(logs.String(), "ana@example.org") {
			t.Errorf("the log names the recipient:\n%s", logs.String())
		}
	})
	t.Run("a node without SMTP says so", func(t *testing.T) {
		db, err := store.Open("data", store.Options{FS: vfs.NewMem()})
		if err != nil {
			t.Fatal(err)
		}
		bare := serveNode(t, db, nil, nil)
		defer bare.stop()
		if err := bare.SendMail(context.Background(), "ana@example.org", "s", "b", "r"); !errors.Is(err, ErrNoMail) {
			t.Fatalf("%v", err)
		}
	})
}
