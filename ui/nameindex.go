package ui

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// nameIndex is the search index of all contacts (or companies) held in
// memory, in name order, so that a keystroke in the search box scans it
// with model.MatchTerms instead of reading the store. It is never changed
// once built: a reload builds a new one, so commands may read it while
// Update replaces it.
type nameIndex struct {
	entries []store.SearchEntry
}

// newNameIndex sorts entries by name (the store's sort key, then id).
func newNameIndex(entries []store.SearchEntry) *nameIndex {
	slices.SortFunc(entries, func(a, b store.SearchEntry) int {
		return cmp.Or(strings.Compare(a.SortKey, b.SortKey), a.ID.Compare(b.ID))
	})
	return &nameIndex{entries: entries}
}

func (ix *nameIndex) len() int { return len(ix.entries) }

// matches is the result of a search: the query and the positions in the
// index of the matching entries, prefix matches first and each group in
// name order (the order of store.SearchContacts). A partial result holds
// the first matches only, enough for the first screen; finish completes
// it.
type matches struct {
	query   string
	terms   []string
	pos     []int32
	partial *scan
}

// scan is where an unfinished search stopped and what it found so far.
type scan struct {
	within      []int32 // the entries to look at, in index order; nil: all
	next        int     // the first one not looked at
	first, rest []int32 // prefix matches and other matches so far
}

// checkEvery is how many entries a search scans between looks at whether
// a newer search has replaced it.
const checkEvery = 4096

// parallelFrom is the number of entries from which finishing a search
// splits the scan between the processors.
const parallelFrom = 20000

// search returns every entry matching query (see begin and finish, which
// splits most of the scan between the processors); nil when a newer
// search replaced it.
func (ix *nameIndex) search(query string, prev *matches, req uint64, latest *atomic.Uint64) *matches {
	m := ix.begin(query, prev, 1, req, latest)
	if m == nil {
		return nil
	}
	return ix.finish(m, req, latest)
}

// begin starts a search. When prev holds the complete result of a query
// whose every term is part of a term of this one (the user typed more),
// only prev's entries can match, and only they are looked at. The scan
// goes in name order and stops once it has enough prefix matches (0: no
// limit): those are the first entries of the final result, all a screen
// needs, so a common query draws at once and finish completes it in the
// background. A search whose request id is no longer latest stops and
// returns nil: its result would be dropped anyway.
func (ix *nameIndex) begin(query string, prev *matches, enough int, req uint64, latest *atomic.Uint64) *matches {
	m := &matches{query: query, terms: model.QueryTerms(query), partial: &scan{}}
	if prev != nil && prev.partial == nil && narrows(prev.terms, m.terms) {
		m.partial.within = slices.Collect(ascending(prev.pos))
	}
	sc := m.partial
	n := sc.size(ix)
	for ; sc.next < n; sc.next++ {
		if sc.next%checkEvery == 0 && stale(req, latest) {
			return nil
		}
		if enough > 0 && len(sc.first) >= enough {
			break
		}
		sc.test(ix, m.terms, sc.at(sc.next))
	}
	if sc.next == n {
		m.pos, m.partial = append(sc.first, sc.rest...), nil
		return m
	}
	m.pos = sc.first
	return m
}

// finish completes a partial result, splitting a large remainder between
// the processors; a complete result comes back as it is.
func (ix *nameIndex) finish(m *matches, req uint64, latest *atomic.Uint64) *matches {
	if m.partial == nil {
		return m
	}
	sc := m.partial
	n := sc.size(ix)
	parts := 1
	if n-sc.next >= parallelFrom {
		parts = min(runtime.GOMAXPROCS(0), 4)
	}
	results := make([]scan, parts)
	var stopped atomic.Bool
	var wg sync.WaitGroup
	for k := range parts {
		part := &results[k]
		lo, hi := sc.next+(n-sc.next)*k/parts, sc.next+(n-sc.next)*(k+1)/parts
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				if (i-lo)%checkEvery == 0 && stale(req, latest) {
					stopped.Store(true)
					return
				}
				part.test(ix, m.terms, sc.at(i))
			}
		})
	}
	wg.Wait()
	if stopped.Load() {
		return nil
	}
	done := &matches{query: m.query, terms: m.terms, pos: slices.Clone(sc.first)}
	for _, r := range results {
		done.pos = append(done.pos, r.first...)
	}
	done.pos = append(done.pos, sc.rest...)
	for _, r := range results {
		done.pos = append(done.pos, r.rest...)
	}
	return done
}

func stale(req uint64, latest *atomic.Uint64) bool { return latest != nil && latest.Load() != req }

// size is how many entries the scan looks at.
func (sc *scan) size(ix *nameIndex) int {
	if sc.within != nil {
		return len(sc.within)
	}
	return len(ix.entries)
}

// at is the index position of the scan's i-th entry.
func (sc *scan) at(i int) int32 {
	if sc.within != nil {
		return sc.within[i]
	}
	return int32(i)
}

// test files entry p under the prefix matches or the other matches.
func (sc *scan) test(ix *nameIndex, terms []string, p int32) {
	ok, prefix := model.MatchTerms(ix.entries[p].Haystack, terms)
	switch {
	case !ok:
	case prefix:
		sc.first = append(sc.first, p)
	default:
		sc.rest = append(sc.rest, p)
	}
}

// narrows reports whether every entry matching next also matches prev:
// each of prev's terms occurs within one of next's, and next has terms.
func narrows(prev, next []string) bool {
	if len(next) == 0 {
		return false
	}
	for _, p := range prev {
		if !slices.ContainsFunc(next, func(n string) bool { return strings.Contains(n, p) }) {
			return false
		}
	}
	return true
}

// ascending yields the positions of a result in index order: a result is
// two ascending runs (prefix matches, then the others), which it merges.
func ascending(pos []int32) func(func(int32) bool) {
	return func(yield func(int32) bool) {
		split := len(pos)
		for i := 1; i < len(pos); i++ {
			if pos[i] < pos[i-1] {
				split = i
				break
			}
		}
		a, b := pos[:split], pos[split:]
		for len(a) > 0 || len(b) > 0 {
			var p int32
			if len(b) == 0 || (len(a) > 0 && a[0] < b[0]) {
				p, a = a[0], a[1:]
			} else {
				p, b = b[0], b[1:]
			}
			if !yield(p) {
				return
			}
		}
	}
}

// find returns the position in m of the entry with id, or -1.
func (ix *nameIndex) find(m *matches, id model.ID) int {
	for i, p := range m.pos {
		if ix.entries[p].ID == id {
			return i
		}
	}
	return -1
}
