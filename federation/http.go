package federation

import (
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/communs/communs/internal/httpx"
)

// ServerConfig configures a [Server].
type ServerConfig struct {
	// Registry holds the replicas of the origins this node follows; their
	// stored heads and entries are served as received.
	Registry *Registry
	// Log is this node's own log (nil for a node that only relays).
	Log *Log
	// Signer signs this node's heads; required with Log.
	Signer crypto.Signer
	// HeadTTL is the lifetime of this node's heads. Default 15 minutes.
	HeadTTL time.Duration
}

// Server serves the sync endpoints of docs/federation.md: the heads a node
// holds (its own, freshly signed, and its replicas'), an origin's log after
// a seq, and one entry by CID. It is safe for concurrent use.
type Server struct {
	cfg ServerConfig

	headMu   sync.Mutex
	ownHead  []byte
	headSeq  uint64
	headTill time.Time

	idxMu sync.Mutex
	index map[string]cidRef // CID → where the entry is
	upTo  map[string]uint64 // origin → seq indexed so far
}

type cidRef struct {
	origin string
	seq    uint64
}

// NewServer returns a Server; it returns [ErrInvalidConfig] when there is
// no registry, or a log without a signer.
func NewServer(cfg ServerConfig) (*Server, error) {
	switch {
	case cfg.Registry == nil:
		return nil, fmt.Errorf("new federation server: %w: no registry", ErrInvalidConfig)
	case cfg.Log != nil && cfg.Signer == nil:
		return nil, fmt.Errorf("new federation server: %w: a log needs a signer for its heads", ErrInvalidConfig)
	case cfg.HeadTTL < 0:
		return nil, fmt.Errorf("new federation server: %w: negative head lifetime", ErrInvalidConfig)
	}
	if cfg.HeadTTL == 0 {
		cfg.HeadTTL = 15 * time.Minute
	}
	return &Server{cfg: cfg, index: map[string]cidRef{}, upTo: map[string]uint64{}}, nil
}

// Handler returns the routes GET /federation/heads, GET /federation/log and
// GET /federation/objects/{cid}.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+PathHeads, s.serveHeads)
	mux.HandleFunc("GET "+PathLog, s.serveLog)
	mux.HandleFunc("GET "+PathObjects+"{cid}", s.serveObject)
	return mux
}

func (s *Server) serveHeads(w http.ResponseWriter, r *http.Request) {
	heads := []string{}
	own := ""
	if s.cfg.Log != nil {
		h, err := s.head()
		if err != nil {
			httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusInternalServerError, Detail: err.Error()})
			return
		}
		heads, own = append(heads, string(h)), s.cfg.Log.entityID
	}
	for _, rep := range s.cfg.Registry.replicas() {
		if rep.origin.EntityID == own {
			continue
		}
		rep.mu.Lock()
		if rep.head != nil {
			heads = append(heads, string(rep.head.JWS))
		}
		rep.mu.Unlock()
	}
	writeJSON(w, heads)
}

// head returns this node's head, re-signed when the log moved or half its
// lifetime passed.
func (s *Server) head() ([]byte, error) {
	seq, _ := s.cfg.Log.Seq()
	now := s.cfg.Log.now()
	s.headMu.Lock()
	defer s.headMu.Unlock()
	if s.ownHead != nil && s.headSeq == seq && now.Before(s.headTill) {
		return s.ownHead, nil
	}
	h, err := s.cfg.Log.SignHead(s.cfg.Signer, s.cfg.HeadTTL)
	if err != nil {
		return nil, err
	}
	parsed, err := ParseHead(h, DefaultLimits())
	if err != nil {
		return nil, err
	}
	s.ownHead, s.headSeq, s.headTill = h, parsed.Claims.Seq, now.Add(s.cfg.HeadTTL/2)
	return h, nil
}

func (s *Server) serveLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	origin := q.Get("origin")
	after, err := strconv.ParseUint(firstOr(q.Get("after"), "0"), 10, 64)
	if err != nil {
		badRequest(w, r, "after must be a seq, a non-negative integer")
		return
	}
	limit, err := strconv.Atoi(firstOr(q.Get("limit"), strconv.Itoa(MaxLogLimit)))
	if err != nil || limit < 1 || limit > MaxLogLimit {
		badRequest(w, r, fmt.Sprintf("limit must be an integer from 1 to %d", MaxLogLimit))
		return
	}
	store, upTo, ok := s.source(origin)
	if !ok {
		httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusNotFound, Detail: fmt.Sprintf("this node holds no log of origin %q", origin)})
		return
	}
	page := LogPage{Origin: origin, After: after, Entries: []string{}}
	err = store.Entries(r.Context(), origin, after, func(seq uint64, jws []byte) error {
		if seq > upTo {
			return errStop
		}
		if len(page.Entries) == limit {
			page.More = true
			return errStop
		}
		page.Entries = append(page.Entries, string(jws))
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusInternalServerError, Detail: err.Error()})
		return
	}
	writeJSON(w, page)
}

var errStop = errors.New("stop")

// source returns the storage holding origin's log and the last seq that
// may be served from it.
func (s *Server) source(origin string) (Storage, uint64, bool) {
	if l := s.cfg.Log; l != nil && origin == l.entityID {
		seq, _ := l.Seq()
		return l.store, seq, true
	}
	rep, err := s.cfg.Registry.replica(origin)
	if err != nil {
		return nil, 0, false
	}
	rep.mu.Lock()
	defer rep.mu.Unlock()
	return s.cfg.Registry.cfg.Storage, rep.seq, true
}

func (s *Server) serveObject(w http.ResponseWriter, r *http.Request) {
	cid := r.PathValue("cid")
	jws, err := s.object(r, cid)
	if err != nil {
		httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusInternalServerError, Detail: err.Error()})
		return
	}
	if jws == nil {
		httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusNotFound, Detail: fmt.Sprintf("this node holds no entry with CID %q", cid)})
		return
	}
	w.Header().Set("Content-Type", "application/"+TypeEntry)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(jws)
}

// object finds an entry by CID, indexing the entries stored since the
// last look.
func (s *Server) object(r *http.Request, cid string) ([]byte, error) {
	origins := []string{}
	if s.cfg.Log != nil {
		origins = append(origins, s.cfg.Log.entityID)
	}
	for _, rep := range s.cfg.Registry.replicas() {
		origins = append(origins, rep.origin.EntityID)
	}
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	ref, ok := s.index[cid]
	if !ok {
		for _, o := range origins {
			store, upTo, ok := s.source(o)
			if !ok || upTo <= s.upTo[o] {
				continue
			}
			err := store.Entries(r.Context(), o, s.upTo[o], func(seq uint64, jws []byte) error {
				if seq > upTo {
					return errStop
				}
				s.index[CIDOf(jws)] = cidRef{origin: o, seq: seq}
				s.upTo[o] = seq
				return nil
			})
			if err != nil && !errors.Is(err, errStop) {
				return nil, err
			}
		}
		if ref, ok = s.index[cid]; !ok {
			return nil, nil
		}
	}
	store, _, ok := s.source(ref.origin)
	if !ok {
		return nil, nil
	}
	return store.Entry(r.Context(), ref.origin, ref.seq)
}

// replicas returns the followed origins' replicas in entity id order.
func (r *Registry) replicas() []*replica {
	r.mu.RLock()
	out := make([]*replica, 0, len(r.origins))
	for _, rep := range r.origins {
		out = append(out, rep)
	}
	r.mu.RUnlock()
	slices.SortFunc(out, func(a, b *replica) int {
		switch {
		case a.origin.EntityID < b.origin.EntityID:
			return -1
		case a.origin.EntityID > b.origin.EntityID:
			return 1
		}
		return 0
	})
	return out
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}

func badRequest(w http.ResponseWriter, r *http.Request, detail string) {
	httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusBadRequest, Detail: detail})
}

func firstOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
