package node

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
)

// smtpMessage is one message the test SMTP server accepted.
type smtpMessage struct {
	From string
	To   []string
	Data string
}

// smtpServer is a small SMTP server on 127.0.0.1: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
// QUIT. reply, when set, may answer a command in its place (e.g. "421 try later").
type smtpServer struct {
	ln       net.Listener
	messages chan smtpMessage
	conns    chan struct{} // one value per accepted connection
	reply    func(conn int, cmd string) string
	silent   bool // accept connections but never greet (a stalled server)

	mu      sync.Mutex
	n       int
	open    []net.Conn
	stopped chan struct{}
}

func startSMTPServer(t testing.TB, configure func(*smtpServer)) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, messages: make(chan smtpMessage, 100), conns: make(chan struct{}, 100), stopped: make(chan struct{})}
	if configure != nil {
		configure(s)
	}
	go s.serve()
	t.Cleanup(s.stop)
	return s
}

func (s *smtpServer) addr() string { return s.ln.Addr().String() }

func (s *smtpServer) stop() {
	s.ln.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.stopped:
	default:
		close(s.stopped)
	}
	for _, c := range s.open {
		c.Close()
	}
}

func (s *smtpServer) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.n++
		n := s.n
		s.open = append(s.open, c)
		s.mu.Unlock()
		s.conns <- struct{}{}
		go s.session(c, n)
	}
}

func (s *smtpServer) session(c net.Conn, n int) {
	defer c.Close()
	if s.silent {
		<-s.stopped
		return
	}
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	say := func(line string) bool {
		w.WriteString(line + "\r\n")
		return w.Flush() == nil
	}
	say("220 127.0.0.1 test SMTP")
	var m smtpMessage
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		cmd := strings.ToUpper(line)
		if s.reply != nil {
			if ans := s.reply(n, line); ans != "" {
				if !say(ans) {
					return
				}
				continue
			}
		}
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-127.0.0.1 hello")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "HELO"), strings.HasPrefix(cmd, "NOOP"):
			say("250 ok")
		case strings.HasPrefix(cmd, "RSET"):
			m = smtpMessage{}
			say("250 ok")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			m = smtpMessage{From: addrArg(line[len("MAIL FROM:"):])}
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			m.To = append(m.To, addrArg(line[len("RCPT TO:"):]))
			say("250 ok")
		case cmd == "DATA":
			say("354 end with <CRLF>.<CRLF>")
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
			m.Data = data.String()
			s.messages <- m
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 command not implemented")
		}
	}
}

// addrArg reads the <address> of a MAIL FROM or RCPT TO argument.
func addrArg(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '>'); strings.HasPrefix(s, "<") && i > 0 {
		return s[1:i]
	}
	return s
}
