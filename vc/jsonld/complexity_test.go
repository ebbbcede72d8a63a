package jsonld

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// Shapes of JSON-LD whose canonicalization explodes without limits (a ring of 32 objects
// without ids, each linked to the next two, took over a minute) must be refused quickly;
// small look-alike structures must still canonicalize.
func TestCanonicalizeBoundsItsWork(t *testing.T) {
	const v2 = "https://www.w3.org/ns/credentials/v2"
	ring := func(n, chords int) map[string]any {
		nodes := []any{}
		for i := range n {
			links := []any{}
			for d := 1; d <= chords; d++ {
				links = append(links, map[string]any{"@id": fmt.Sprintf("_:r%d", (i+d)%n)})
			}
			nodes = append(nodes, map[string]any{"@id": fmt.Sprintf("_:r%d", i), "https://example.org/l": links})
		}
		return map[string]any{"@context": v2, "@graph": nodes}
	}
	chain := func(n int) map[string]any {
		var inner any = map[string]any{"https://example.org/v": "leaf"}
		for range n {
			inner = map[string]any{"https://example.org/a": inner}
		}
		return map[string]any{"@context": v2, "https://example.org/b": inner}
	}
	tree := func(depth, fan int) map[string]any {
		var build func(d int) any
		build = func(d int) any {
			if d == 0 {
				return map[string]any{"https://example.org/v": "x"}
			}
			kids := []any{}
			for range fan {
				kids = append(kids, build(d-1))
			}
			return map[string]any{"https://example.org/a": kids}
		}
		return map[string]any{"@context": v2, "https://example.org/b": build(depth)}
	}
	cases := []struct {
		name    string
		doc     map[string]any
		refused bool
	}{
		{"a ring of 32 look-alike objects each linked to the next two is refused", ring(32, 2), true},
		{"a ring of 16 look-alike objects each linked to the next four is refused", ring(16, 4), true},
		{"a tree of 31 identical objects is refused", tree(5, 2), true},
		{"a chain of 60 objects without ids is refused", chain(60), true},
		{"objects nested 65 levels deep are refused", chain(65), true},
		{"a ring of 32 look-alike objects each linked to the next is accepted", ring(32, 1), false},
		{"a ring of 8 look-alike objects each linked to the next three is accepted", ring(8, 3), false},
		{"a chain of 30 objects without ids is accepted", chain(30), false},
		{"a small tree of identical objects is accepted", tree(2, 4), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := Canonicalize(c.doc)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %v", took)
			}
			if got := errors.Is(err, ErrTooComplex); got != c.refused {
				t.Errorf("refused = %v (%v), want %v", got, err, c.refused)
			}
		})
	}
}
