package node

import (
	"bytes"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// awardNotice is what the e-mail about one new badge says.
type awardNotice struct {
	CredentialID string
	To           string // the recipient's address
	Name         string // the recipient's name, may be empty
	Badge        string
	Issuer       string
	ClaimURL     string
	BadgeURL     string
}

// oneLine keeps a header-bound or inline value on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// buildMessage returns the RFC 5322 message of n from the address from: one recipient in To
// (no Bcc), a UTF-8 subject as RFC 2047 encoded words, a Message-ID under the sender's domain,
// and a quoted-printable text/plain body in French then English.
func buildMessage(n awardNotice, from *mail.Address, messageID string, date time.Time) []byte {
	badge, issuer := oneLine(n.Badge), oneLine(n.Issuer)
	subject := fmt.Sprintf("Vous avez reçu un badge / You received a badge: %s", badge)

	var h bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&h, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", (&mail.Address{Address: n.To}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+messageID+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Content-Language", "fr, en")
	header("Auto-Submitted", "auto-generated")
	h.WriteString("\r\n")

	hello, helloEN := "Bonjour,", "Hello,"
	if name := oneLine(n.Name); name != "" {
		hello, helloEN = "Bonjour "+name+",", "Hello "+name+","
	}
	body := strings.Join([]string{
		hello,
		"",
		fmt.Sprintf("%s vous a décerné le badge « %s ».", issuer, badge),
		"",
		"Ajoutez-le à votre portefeuille :",
		n.ClaimURL,
		"",
		"Page publique du badge :",
		n.BadgeURL,
		"",
		"-- ",
		"",
		helloEN,
		"",
		fmt.Sprintf("%s has awarded you the badge \"%s\".", issuer, badge),
		"",
		"Add it to your wallet:",
		n.ClaimURL,
		"",
		"Public badge page:",
		n.BadgeURL,
		"",
	}, "\r\n")
	qp := quotedprintable.NewWriter(&h)
	qp.Write([]byte(body))
	qp.Close()
	return h.Bytes()
}

// messageID returns a Message-ID value (without angle brackets) under the domain of from.
func messageID(credentialID string, from *mail.Address, random string) string {
	return credentialID + "." + random + "@" + senderDomain(from, "communs.invalid")
}
