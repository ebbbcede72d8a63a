package federation

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// The data-driven tests: each testdata/*.txt script drives origins' logs and
// a registry replica line by line. Commands (key=value arguments):
//
//	origin NAME scope=P1,P2        origin https://NAME.example with key NAME
//	key NAME                       a P-256 key no anchor attested
//	append NAME origin=O sub=DID [status=S]      next entry of O's own log
//	craft NAME origin=O sub=DID seq=N [prev=ENTRY|none] [key=K] [status=S] [pad=BYTES]
//	garbage NAME TEXT              raw bytes
//	head NAME origin=O [ttl=D]     head of O's own log
//	apply NAME expect=RESULT       RESULT: ok or an error name (see errorNames)
//	apply-head NAME expect=RESULT  RESULT: accepted, ignored or an error name
//	advance D                      move the clock
//	lookup DID expect=STATUS|none  the first vouch's status
//	state O expect=K=V,...         seq=, frozen=, stale=
//	reopen                         a new registry over the same storage
var errorNames = map[string]error{
	"gap": ErrGap, "replay": ErrReplay, "rollback": ErrRollback, "broken-chain": ErrBrokenChain,
	"equivocation": ErrEquivocation, "frozen": ErrFrozen, "out-of-scope": ErrOutOfScope,
	"bad-signature": ErrBadSignature, "malformed": ErrMalformed, "too-large": ErrTooLarge,
	"unknown-origin": ErrUnknownOrigin, "expired": ErrHeadExpired,
}

type scriptOrigin struct {
	origin Origin
	key    *ecdsa.PrivateKey
	log    *Log
}

type scriptRun struct {
	t       *testing.T
	ctx     context.Context
	now     time.Time
	keys    map[string]*ecdsa.PrivateKey
	origins map[string]*scriptOrigin
	objects map[string][]byte
	store   Storage
	reg     *Registry
}

func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, backend := range []string{"memory", "pebble"} {
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".txt")
			t.Run("script "+name+" behaves as written on "+backend+" storage", func(t *testing.T) {
				runScript(t, f, newTestStorage(t, backend))
			})
		}
	}
}

func runScript(t *testing.T, path string, store Storage) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := &scriptRun{
		t: t, ctx: context.Background(), now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		keys: map[string]*ecdsa.PrivateKey{}, origins: map[string]*scriptOrigin{}, objects: map[string][]byte{},
		store: store,
	}
	s.reopen()
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := s.exec(line); err != nil {
			t.Fatalf("%s:%d: %s: %v", path, n, line, err)
		}
	}
}

func (s *scriptRun) clock() time.Time { return s.now }

func (s *scriptRun) reopen() {
	cfg := DefaultConfig()
	cfg.Storage, cfg.Now = s.store, s.clock
	reg, err := NewRegistry(cfg)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, o := range s.origins {
		if err := reg.AddOrigin(s.ctx, o.origin); err != nil {
			s.t.Fatal(err)
		}
	}
	s.reg = reg
}

func (s *scriptRun) key(name string) *ecdsa.PrivateKey {
	k, ok := s.keys[name]
	if !ok {
		var err error
		if k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			s.t.Fatal(err)
		}
		s.keys[name] = k
	}
	return k
}

func args(fields []string) map[string]string {
	m := map[string]string{}
	for _, f := range fields {
		k, v, _ := strings.Cut(f, "=")
		m[k] = v
	}
	return m
}

func (s *scriptRun) exec(line string) error {
	f := strings.Fields(line)
	cmd, a := f[0], args(f[1:])
	switch cmd {
	case "origin":
		name := f[1]
		k := s.key(name)
		o := Origin{EntityID: "https://" + name + ".example", Keys: []jose.JSONWebKey{{Key: &k.PublicKey}}, Scope: strings.Split(a["scope"], ",")}
		l, err := OpenLog(s.ctx, o.EntityID, NewMemStorage(), s.clock)
		if err != nil {
			return err
		}
		s.origins[name] = &scriptOrigin{origin: o, key: k, log: l}
		return s.reg.AddOrigin(s.ctx, o)
	case "key":
		s.key(f[1])
		return nil
	case "append":
		o := s.origins[a["origin"]]
		e, err := o.log.Append(s.ctx, s.claims(a), o.key)
		if err != nil {
			return err
		}
		s.objects[f[1]] = e.JWS
		return nil
	case "craft":
		return s.craft(f[1], a)
	case "garbage":
		s.objects[f[1]] = []byte(strings.Join(f[2:], " "))
		return nil
	case "head":
		o := s.origins[a["origin"]]
		ttl := time.Hour
		if v, ok := a["ttl"]; ok {
			ttl, _ = time.ParseDuration(v)
		}
		h, err := o.log.SignHead(o.key, ttl)
		s.objects[f[1]] = h
		return err
	case "apply":
		_, err := s.reg.Apply(s.ctx, s.object(f[1]))
		return s.expect(err, "ok", a["expect"], f[1])
	case "apply-head":
		res, err := s.reg.ApplyHead(s.ctx, s.object(f[1]))
		got := "accepted"
		if err == nil && !res.Accepted {
			got = "ignored"
		}
		return s.expect(err, got, a["expect"], f[1])
	case "advance":
		d, err := time.ParseDuration(f[1])
		s.now = s.now.Add(d)
		return err
	case "lookup":
		got := "none"
		if vs := s.reg.Lookup(f[1]); len(vs) > 0 {
			got = string(vs[0].Status)
		}
		if got != a["expect"] {
			return fmt.Errorf("lookup gave %s, want %s", got, a["expect"])
		}
		return nil
	case "state":
		st, ok := s.reg.OriginState(s.origins[f[1]].origin.EntityID)
		if !ok {
			return errors.New("origin not followed")
		}
		got := map[string]string{"seq": strconv.FormatUint(st.Seq, 10), "frozen": strconv.FormatBool(st.Equivocation != nil), "stale": strconv.FormatBool(st.Stale)}
		for _, kv := range strings.Split(a["expect"], ",") {
			k, v, _ := strings.Cut(kv, "=")
			if got[k] != v {
				return fmt.Errorf("state %s is %s, want %s", k, got[k], v)
			}
		}
		return nil
	case "reopen":
		s.reopen()
		return nil
	}
	return fmt.Errorf("unknown command %q", cmd)
}

func (s *scriptRun) object(name string) []byte {
	b, ok := s.objects[name]
	if !ok {
		s.t.Fatalf("no object %q", name)
	}
	return b
}

func (s *scriptRun) claims(a map[string]string) EntryClaims {
	st := StatusActive
	if v, ok := a["status"]; ok {
		st = Status(v)
	}
	return EntryClaims{
		Sub: a["sub"], Status: st, RegisteredAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC).Unix(),
		IssuerKeys: []string{"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
		Metadata:   Metadata{FederationEntity: FederationEntity{OrganizationName: "Example School"}},
	}
}

// craft signs an entry with chosen seq, prev and key, bypassing the Log.
func (s *scriptRun) craft(name string, a map[string]string) error {
	o := s.origins[a["origin"]]
	c := s.claims(a)
	c.Iss, c.Iat, c.EffectiveAt = o.origin.EntityID, s.now.Unix(), s.now.Unix()
	seq, err := strconv.ParseUint(a["seq"], 10, 64)
	if err != nil {
		return err
	}
	c.Seq = seq
	switch p := a["prev"]; p {
	case "", "none":
	default:
		c.Prev = CIDOf(s.object(p))
	}
	key := o.key
	if k, ok := a["key"]; ok {
		key = s.key(k)
	}
	var claims any = c
	if pad, ok := a["pad"]; ok {
		n, _ := strconv.Atoi(pad)
		raw, _ := json.Marshal(c)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return err
		}
		m["x_pad"] = strings.Repeat("a", n)
		claims = m
	}
	jws, _, err := signObject(claims, TypeEntry, key)
	s.objects[name] = jws
	return err
}

func (s *scriptRun) expect(err error, okName, want, object string) error {
	if want == "" {
		return errors.New("missing expect=")
	}
	if sentinel, isErr := errorNames[want]; isErr {
		if !errors.Is(err, sentinel) {
			return fmt.Errorf("got %v, want %s", err, want)
		}
		var ev *EquivocationError
		if errors.As(err, &ev) && (!bytes.Equal(ev.Conflicting, s.object(object)) || len(ev.Held) == 0 || bytes.Equal(ev.Held, ev.Conflicting)) {
			return errors.New("equivocation evidence does not carry both objects")
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("got error %v, want %s", err, want)
	}
	if okName != want {
		return fmt.Errorf("got %s, want %s", okName, want)
	}
	return nil
}
