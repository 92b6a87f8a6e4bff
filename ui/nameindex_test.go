package ui

import (
	"slices"
	"sync/atomic"
	"testing"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func TestNarrows(t *testing.T) {
	for _, c := range []struct {
		prev, next string
		want       bool
	}{
		{"wa", "wan", true},
		{"wang", "wang x", true},
		{"王", "王x", true},
		{"a b", "ab", true}, // whatever holds "ab" holds "a" and "b"
		{"ab", "a", false},
		{"", "a", true},
		{"a", "", false},
		{"zw", "zwe", true},
		{"x.y", "x.yz", true},
	} {
		got := narrows(model.QueryTerms(c.prev), model.QueryTerms(c.next))
		if got != c.want {
			t.Errorf("narrows(%q, %q) = %v", c.prev, c.next, got)
		}
	}
}

func TestAscending(t *testing.T) {
	for _, c := range []struct{ in, want []int32 }{
		{nil, nil},
		{[]int32{1, 2, 3}, []int32{1, 2, 3}},
		{[]int32{5, 9, 1, 7, 12}, []int32{1, 5, 7, 9, 12}},
		{[]int32{5, 9, 10, 11}, []int32{5, 9, 10, 11}},
		{[]int32{8, 1, 2}, []int32{1, 2, 8}},
	} {
		var got []int32
		for p := range ascending(c.in) {
			got = append(got, p)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("ascending(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestIndexSearchMatchesStore checks the in-memory search against the
// store's own, for queries typed one key at a time (so that narrowing
// from the previous result is exercised) and for fresh ones.
func TestIndexSearchMatchesStore(t *testing.T) {
	st := demoStore(t, 500)
	var ix *nameIndex
	err := st.View(func(tx *store.Tx) error {
		ix = newNameIndex(tx.ContactSearchIndex())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, typed := range []string{"zw", "zhang wei", "wang", "王", "138", "@qq.com", "ana m", "manager", "héctor", "x"} {
		var prev *matches
		for n := 1; n <= len([]rune(typed)); n++ {
			q := string([]rune(typed)[:n])
			got := ix.search(q, prev, 0, nil)
			var want []model.ID
			err := st.View(func(tx *store.Tx) error {
				hits, err := tx.SearchContacts(q, 0)
				for _, h := range hits {
					want = append(want, h.ID)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if ids := idsAt(ix, got.pos); !slices.Equal(ids, want) {
				t.Fatalf("search %q (after %q): %d results differ from the store's %d", q, prevQuery(prev), len(ids), len(want))
			}
			prev = got
		}
	}
}

// TestContactIndexInNameOrder checks that the index put in order from the
// name index is the one sorting by name gives.
func TestContactIndexInNameOrder(t *testing.T) {
	st := demoStore(t, 500)
	st.View(func(tx *store.Tx) error {
		fromNames, sorted := contactIndex(tx), newNameIndex(tx.ContactSearchIndex())
		all := sorted.search("", nil, 0, nil)
		if !slices.Equal(idsAt(fromNames, fromNames.search("", nil, 0, nil).pos), idsAt(sorted, all.pos)) {
			t.Error("the name index's order differs from sorting by sort key")
		}
		return nil
	})
}

func prevQuery(m *matches) string {
	if m == nil {
		return ""
	}
	return m.query
}

func TestStaleSearchStops(t *testing.T) {
	st := demoStore(t, 500)
	var ix *nameIndex
	st.View(func(tx *store.Tx) error { ix = newNameIndex(tx.ContactSearchIndex()); return nil })
	var latest atomic.Uint64
	latest.Store(2)
	if m := ix.search("a", nil, 1, &latest); m != nil {
		t.Errorf("a search replaced by a newer one returned %d results", len(m.pos))
	}
	if m := ix.search("a", nil, 2, &latest); m == nil || len(m.pos) == 0 {
		t.Error("the latest search returned nothing")
	}
}

func TestFind(t *testing.T) {
	st := demoStore(t, 500)
	var ix *nameIndex
	st.View(func(tx *store.Tx) error { ix = newNameIndex(tx.ContactSearchIndex()); return nil })
	all := ix.search("", nil, 0, nil)
	if len(all.pos) != 500 {
		t.Fatalf("%d entries", len(all.pos))
	}
	for _, i := range []int{0, 250, 499} {
		id := ix.entries[all.pos[i]].ID
		if got := ix.find(all, id); got != i {
			t.Errorf("find(%s) = %d, want %d", id, got, i)
		}
	}
	if got := ix.find(all, model.ID{}); got != -1 {
		t.Errorf("find(zero) = %d", got)
	}
}

// TestParallelSearch checks the split scan of a large index against a
// plain loop over it.
func TestParallelSearch(t *testing.T) {
	st := demoStore(t, 500)
	var base []store.SearchEntry
	st.View(func(tx *store.Tx) error { base = tx.ContactSearchIndex(); return nil })
	var entries []store.SearchEntry
	for range 3 * parallelFrom / len(base) {
		entries = append(entries, base...)
	}
	ix := &nameIndex{entries: entries}
	for _, q := range []string{"", "wang", "z", "zw", "138", "no such thing"} {
		terms := model.QueryTerms(q)
		var first, rest []int32
		for i, e := range entries {
			if ok, prefix := model.MatchTerms(e.Haystack, terms); ok && prefix {
				first = append(first, int32(i))
			} else if ok {
				rest = append(rest, int32(i))
			}
		}
		want := append(first, rest...)
		got := ix.search(q, nil, 0, nil)
		if !slices.Equal(got.pos, want) {
			t.Errorf("%q: %d results, want %d", q, len(got.pos), len(want))
		}
		if q != "" {
			narrowed := ix.search(q+"a", got, 0, nil)
			fresh := ix.search(q+"a", nil, 0, nil)
			if !slices.Equal(narrowed.pos, fresh.pos) {
				t.Errorf("%qa narrowed from %q: %d results, fresh %d", q, q, len(narrowed.pos), len(fresh.pos))
			}
		}
	}
}

// TestPartialSearch checks that a search stopped early holds the first
// entries of the complete result, and that finishing it gives the result
// of a search run to the end, in the index and in a narrowed result.
func TestPartialSearch(t *testing.T) {
	st := demoStore(t, 500)
	var ix *nameIndex
	st.View(func(tx *store.Tx) error { ix = contactIndex(tx); return nil })
	for _, c := range []struct {
		prev, q string
		enough  int
	}{{"", "a", 5}, {"", "wang", 3}, {"a", "an", 4}, {"", "zzz-none", 5}, {"", "a", 1000}} {
		var prev *matches
		if c.prev != "" {
			prev = ix.search(c.prev, nil, 0, nil)
		}
		full := ix.search(c.q, nil, 0, nil)
		part := ix.begin(c.q, prev, c.enough, 0, nil)
		if n := len(part.pos); !slices.Equal(part.pos, full.pos[:n]) {
			t.Errorf("%q: the partial result is not the start of the full one", c.q)
		}
		if part.partial != nil && len(part.pos) < c.enough {
			t.Errorf("%q: stopped with %d of %d matches", c.q, len(part.pos), c.enough)
		}
		if done := ix.finish(part, 0, nil); !slices.Equal(done.pos, full.pos) || done.partial != nil {
			t.Errorf("%q after %q: finished %d results, want %d", c.q, c.prev, len(done.pos), len(full.pos))
		}
	}
}
