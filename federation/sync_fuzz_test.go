package federation

import (
	"encoding/json"
	"testing"
)

func FuzzParseLogPage(f *testing.F) {
	now := fixedClock(testEpoch)
	o := newTestOrigin(f, "a.example", now)
	e1 := o.append(f, "did:web:a.example:one", StatusActive)
	e2 := o.append(f, "did:web:a.example:one", StatusSuspended)
	page, _ := json.Marshal(LogPage{Origin: o.EntityID, After: 0, Entries: []string{string(e1.JWS), string(e2.JWS)}, More: true})
	head, err := o.log.SignHead(o.key, 3600e9)
	if err != nil {
		f.Fatal(err)
	}
	heads, _ := json.Marshal([]string{string(head)})
	for _, seed := range [][]byte{page, heads, []byte(`{}`), []byte(`[]`), []byte(`{"entries":null}`)} {
		f.Add(seed)
	}
	limits := DefaultLimits()
	f.Fuzz(func(t *testing.T, data []byte) {
		if p, err := ParseLogPage(data, o.EntityID, 0, 3, limits); err == nil {
			if p.Origin != o.EntityID || len(p.Entries) > 3 {
				t.Fatalf("accepted a page that is not the one asked for: %+v", p)
			}
			for _, e := range p.Entries {
				_, _ = ParseEntry([]byte(e), limits)
			}
		}
		if hs, err := ParseHeads(data, limits); err == nil {
			for _, h := range hs {
				_, _ = ParseHead([]byte(h), limits)
			}
		}
	})
}
