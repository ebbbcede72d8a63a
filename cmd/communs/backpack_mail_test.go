package main

import (
	"bufio"
	"io"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/communs/communs/node"
)

// smtpSink is a minimal SMTP server on 127.0.0.1 that accepts every message and hands over
// its DATA.
type smtpSink struct {
	ln   net.Listener
	msgs chan string
}

func startSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{ln: ln, msgs: make(chan string, 4)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.session(c)
		}
	}()
	return s
}

func (s *smtpSink) session(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	say("220 sink ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 sink")
		case strings.HasPrefix(cmd, "DATA"):
			say("354 go on")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			s.msgs <- data.String()
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

// A node with SMTP gives its hosted backpack password-reset e-mails through the same server.
func TestBackpackResetMailThroughTheNodesSMTP(t *testing.T) {
	sink := startSMTPSink(t)
	_, srv := serveNodeAndBackpack(t, func(cfg *node.Config) {
		cfg.SMTP = &node.SMTPConfig{Addr: sink.ln.Addr().String(), From: "Badges <badges@communs.example>"}
	})
	base := srv.URL
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrfRE := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	post := func(page, path string, form url.Values) int {
		t.Helper()
		resp, err := c.Get(srv.URL + page)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := csrfRE.FindSubmatch(body)
		if m == nil {
			t.Fatalf("no form on %s", page)
		}
		form.Set("csrf", string(m[1]))
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err = c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	pw := "une phrase de passe solide"
	if st := post("/backpack/signup", "/backpack/signup", url.Values{"email": {"ana@example.org"}, "password": {pw}, "password2": {pw}, "consent": {"1"}}); st != http.StatusSeeOther {
		t.Fatalf("sign-up: %d", st)
	}
	if st := post("/backpack/forgot", "/backpack/forgot", url.Values{"email": {"ana@example.org"}}); st != http.StatusOK {
		t.Fatalf("forgot: %d", st)
	}
	var raw string
	select {
	case raw = <-sink.msgs:
	case <-time.After(10 * time.Second):
		t.Fatal("no e-mail reached the SMTP server")
	}
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	link := regexp.MustCompile(`http://\S+/backpack/reset\?token=\S{43}`).FindString(string(body))
	if msg.Header.Get("To") != "<ana@example.org>" || link == "" || !strings.HasPrefix(link, base) {
		t.Fatalf("To %q, link %q in\n%s", msg.Header.Get("To"), link, body)
	}
	resp, err := c.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the e-mailed link: %d", resp.StatusCode)
	}
}
