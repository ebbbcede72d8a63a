package node

import (
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"
)

var noticeSeed = awardNotice{
	CredentialID: "abcdefghijklmnopqrstuvwxyz", To: "ada@example.org", Name: "Ada",
	Badge: "Conception universelle de l'apprentissage — niveau 1", Issuer: "Cégep de l'Outaouais",
	ClaimURL: "https://badges.example.org/claim/abcdefghijklmnopqrstuvwxyz",
	BadgeURL: "https://badges.example.org/credentials/abcdefghijklmnopqrstuvwxyz",
}

// FuzzAwardMessage feeds badge, issuer and recipient names (issuers type them; CSV rows carry
// them) into the message: whatever they hold, the message parses, has exactly its own headers
// and one recipient, and its subject and body say the names on one line.
func FuzzAwardMessage(f *testing.F) {
	f.Add(noticeSeed.Badge, noticeSeed.Issuer, noticeSeed.Name)
	f.Add("Badge\r\nBcc: eve@example.org", "Issuer\nX-Evil: 1", "Ada\r\n\r\nbody")
	f.Add("=?utf-8?q?=41?=", "\x00\xff", strings.Repeat("é", 200))
	from := &mail.Address{Name: "Badges", Address: "badges@example.org"}
	want := []string{"Auto-Submitted", "Content-Language", "Content-Transfer-Encoding", "Content-Type", "Date", "From", "Message-Id", "Mime-Version", "Subject", "To"}
	f.Fuzz(func(t *testing.T, badge, issuer, name string) {
		n := noticeSeed
		n.Badge, n.Issuer, n.Name = badge, issuer, name
		raw := buildMessage(n, from, "id@example.org", time.Unix(0, 0).UTC())
		msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatalf("the message does not parse: %v", err)
		}
		var keys []string
		for k := range msg.Header {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, want) {
			t.Fatalf("headers %v, want %v", keys, want)
		}
		to, err := mail.ParseAddressList(msg.Header.Get("To"))
		if err != nil || len(to) != 1 || to[0].Address != n.To {
			t.Fatalf("To: %q (%v)", msg.Header.Get("To"), err)
		}
		if _, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
			t.Fatalf("subject does not decode: %v", err)
		}
		body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		if err != nil {
			t.Fatalf("body: %v", err)
		}
		if !strings.Contains(string(body), n.ClaimURL) {
			t.Fatalf("the body lost the claim link")
		}
	})
}

func BenchmarkAwardMessage(b *testing.B) {
	from := &mail.Address{Name: "Badges", Address: "badges@example.org"}
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		buildMessage(noticeSeed, from, "id@example.org", now)
	}
}
