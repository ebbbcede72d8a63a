package jsonld

import (
	"fmt"
	"slices"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// Limits that keep a hostile document from making canonicalization run for minutes. RDFC-1.0
// (RDF Dataset Canonicalization §4.4, "dataset poisoning") asks implementations to bound the
// work spent telling apart blank nodes that look alike; json-gold has no such bound, so the
// document is measured before it is canonicalized. Credentials stay far below these limits:
// their blank nodes almost always differ by their own values.
const (
	// maxDepth bounds how deeply JSON objects and arrays nest.
	maxDepth = 64
	// maxLookalikeBlankNodes bounds the blank nodes (objects without an id) whose own
	// statements are identical to another's, which forces the costly N-degree hashing.
	maxLookalikeBlankNodes = 64
	// maxLookalikeGroup bounds a connected group of look-alike blank nodes; N-degree hashing
	// explores paths through such a group.
	maxLookalikeGroup = 32
	// maxBranchingGroup bounds a connected group of look-alike blank nodes in which one links
	// to more than two others: the paths through it multiply (a ring of 32 nodes each linked
	// to the next two takes a minute).
	maxBranchingGroup = 8
	// maxPermutations bounds, for one look-alike blank node, the orderings of its look-alike
	// neighbours that N-degree hashing tries.
	maxPermutations = 120
)

// checkDepth reports whether v nests no deeper than maxDepth.
func checkDepth(v any, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%w: objects and arrays nest more than %d levels deep", ErrTooComplex, maxDepth)
	}
	switch t := v.(type) {
	case map[string]any:
		for _, e := range t {
			if err := checkDepth(e, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range t {
			if err := checkDepth(e, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkBlankNodes measures how much N-degree hashing ds would need and refuses datasets above
// the limits. Blank nodes whose first-degree statements differ (the usual case) cost nothing.
func checkBlankNodes(ds *ld.RDFDataset) error {
	type mention struct {
		quad  *ld.Quad
		graph string // "" for the default graph
	}
	mentions := map[string][]mention{}
	for g, quads := range ds.Graphs {
		if g == "@default" {
			g = ""
		}
		for _, q := range quads {
			for _, id := range blankIDs(q, g) {
				mentions[id] = append(mentions[id], mention{q, g})
			}
		}
	}
	if len(mentions) < 2 {
		return nil
	}
	// First-degree signature of each blank node: its statements with itself written _:a and
	// every other blank node _:z (RDFC-1.0 §4.6), sorted.
	signature := make(map[string]string, len(mentions))
	count := map[string]int{}
	for id, ms := range mentions {
		lines := make([]string, len(ms))
		for i, m := range ms {
			lines[i] = firstDegreeLine(m.quad, m.graph, id)
		}
		slices.Sort(lines)
		s := strings.Join(lines, "\n")
		signature[id] = s
		count[s]++
	}
	lookalikes := 0
	for _, s := range signature {
		if count[s] > 1 {
			lookalikes++
		}
	}
	if lookalikes == 0 {
		return nil
	}
	if lookalikes > maxLookalikeBlankNodes {
		return fmt.Errorf("%w: %d objects without an id cannot be told apart by their own values (at most %d are accepted); give them ids or distinct values", ErrTooComplex, lookalikes, maxLookalikeBlankNodes)
	}
	lookalike := func(id string) bool { return count[signature[id]] > 1 }
	links := map[string]map[string]bool{} // look-alike node -> look-alike neighbours
	for id, ms := range mentions {
		if !lookalike(id) {
			continue
		}
		links[id] = map[string]bool{}
		// Neighbours that N-degree hashing may have to order: grouped by position, predicate
		// and first-degree signature (a coarser grouping than the algorithm's, so an upper
		// bound).
		groups := map[string]int{}
		for _, m := range ms {
			for pos, other := range neighbours(m.quad, m.graph, id) {
				groups[pos+"|"+m.quad.Predicate.GetValue()+"|"+signature[other]]++
				if lookalike(other) {
					links[id][other] = true
				}
			}
		}
		perms := 1
		for _, n := range groups {
			for k := 2; k <= n; k++ {
				perms *= k
				if perms > maxPermutations {
					return fmt.Errorf("%w: an object without an id links to too many look-alike objects (more than %d orderings to compare); give them ids or distinct values", ErrTooComplex, maxPermutations)
				}
			}
		}
	}
	return checkLookalikeGroups(links)
}

// checkLookalikeGroups bounds each connected group of look-alike blank nodes: paths and
// rings may be long, groups that branch must stay small.
func checkLookalikeGroups(links map[string]map[string]bool) error {
	seen := map[string]bool{}
	for start := range links {
		if seen[start] {
			continue
		}
		size, branching := 0, false
		queue := []string{start}
		seen[start] = true
		for len(queue) > 0 {
			id := queue[0]
			queue = queue[1:]
			size++
			if len(links[id]) > 2 {
				branching = true
			}
			for other := range links[id] {
				if !seen[other] {
					seen[other] = true
					queue = append(queue, other)
				}
			}
		}
		if size > maxLookalikeGroup || (branching && size > maxBranchingGroup) {
			return fmt.Errorf("%w: %d linked objects without an id cannot be told apart by their own values; give them ids or distinct values", ErrTooComplex, size)
		}
	}
	return nil
}

// blankIDs lists the distinct blank node identifiers of q (subject, object, graph).
func blankIDs(q *ld.Quad, graph string) []string {
	var ids []string
	if ld.IsBlankNode(q.Subject) {
		ids = append(ids, q.Subject.GetValue())
	}
	if q.Object != nil && ld.IsBlankNode(q.Object) && !slices.Contains(ids, q.Object.GetValue()) {
		ids = append(ids, q.Object.GetValue())
	}
	if strings.HasPrefix(graph, "_:") && !slices.Contains(ids, graph) {
		ids = append(ids, graph)
	}
	return ids
}

// neighbours maps each position ("s", "o", "g") of q holding a blank node other than id to
// that node.
func neighbours(q *ld.Quad, graph, id string) map[string]string {
	out := map[string]string{}
	if ld.IsBlankNode(q.Subject) && q.Subject.GetValue() != id {
		out["s"] = q.Subject.GetValue()
	}
	if q.Object != nil && ld.IsBlankNode(q.Object) && q.Object.GetValue() != id {
		out["o"] = q.Object.GetValue()
	}
	if strings.HasPrefix(graph, "_:") && graph != id {
		out["g"] = graph
	}
	return out
}

func firstDegreeLine(q *ld.Quad, graph, id string) string {
	var b strings.Builder
	writeTerm(&b, q.Subject, id)
	b.WriteByte(' ')
	writeTerm(&b, q.Predicate, id)
	b.WriteByte(' ')
	writeTerm(&b, q.Object, id)
	if graph != "" {
		b.WriteByte(' ')
		if strings.HasPrefix(graph, "_:") {
			writeTerm(&b, ld.NewBlankNode(graph), id)
		} else {
			b.WriteString("<" + graph + ">")
		}
	}
	return b.String()
}

func writeTerm(b *strings.Builder, n ld.Node, id string) {
	switch {
	case n == nil:
	case ld.IsBlankNode(n):
		if n.GetValue() == id {
			b.WriteString("_:a")
		} else {
			b.WriteString("_:z")
		}
	case ld.IsLiteral(n):
		fmt.Fprintf(b, "%q", n.GetValue())
		switch l := n.(type) {
		case ld.Literal:
			b.WriteString("^^" + l.Datatype + "@" + l.Language)
		case *ld.Literal:
			b.WriteString("^^" + l.Datatype + "@" + l.Language)
		}
	default:
		b.WriteString("<" + n.GetValue() + ">")
	}
}
