package store

import (
	"bytes"
	"cmp"
	"runtime"
	"slices"
	"sync"
	"unsafe"

	"github.com/rolo-crm/rolo/model"
)

// A search index value is the record's sort key, a 0x1e separator, and
// the haystack that model.MatchTerms checks query terms against.
const sortSep = 0x1e

func searchValue(sortKey, haystack string) []byte {
	b := make([]byte, 0, len(sortKey)+1+len(haystack))
	b = append(b, sortKey...)
	b = append(b, sortSep)
	return append(b, haystack...)
}

func splitSearchValue(v []byte) (sortKey, haystack []byte) {
	i := bytes.IndexByte(v, sortSep)
	if i < 0 {
		return nil, v
	}
	return v[:i], v[i+1:]
}

// Hit is one search result.
type Hit struct {
	ID      model.ID
	SortKey string
	Prefix  bool // a term matched at the start of a word
}

// SearchEntry is one record's search data, for a process that keeps the
// index in memory (the TUI) and matches with model.MatchTerms.
type SearchEntry struct {
	ID       model.ID
	SortKey  string
	Haystack string
}

// SearchContacts returns the contacts matching every term of query,
// prefix matches first, each group in name order; limit 0 means all.
func (tx *Tx) SearchContacts(query string, limit int) ([]Hit, error) {
	return tx.search(sxContacts, query, limit), nil
}

// SearchCompanies is SearchContacts for companies.
func (tx *Tx) SearchCompanies(query string, limit int) ([]Hit, error) {
	return tx.search(sxCompanies, query, limit), nil
}

// search scans the compact search index: it finds substrings, pinyin and
// initials, which a prefix-only term index could not. The cursor walk runs
// on this goroutine while the matching runs on others, chunk by chunk, so
// a scan of 100,000 contacts uses every core (BenchmarkSearchContacts).
func (tx *Tx) search(bucket []byte, query string, limit int) []Hit {
	terms := model.QueryTerms(query)
	chunks := make(chan []searchItem, 4)
	results := make(chan []Hit, 4)
	workers := max(1, min(runtime.GOMAXPROCS(0), 4))
	b := tx.index(bucket)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chunk := range chunks {
				results <- matchChunk(chunk, terms)
			}
		}()
	}
	go func() {
		c := b.Cursor()
		chunk := make([]searchItem, 0, searchChunk)
		for k, v := c.First(); k != nil; k, v = c.Next() {
			chunk = append(chunk, searchItem{k, v})
			if len(chunk) == searchChunk {
				chunks <- chunk
				chunk = make([]searchItem, 0, searchChunk)
			}
		}
		chunks <- chunk
		close(chunks)
		wg.Wait()
		close(results)
	}()
	var hits []Hit
	for r := range results {
		hits = append(hits, r...)
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.Prefix != b.Prefix {
			if a.Prefix {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.SortKey, b.SortKey), a.ID.Compare(b.ID))
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// searchChunk is how many index entries one matching job takes.
const searchChunk = 8192

// searchItem is one search index entry; both slices point into the
// transaction's memory map and stay valid until it ends.
type searchItem struct{ k, v []byte }

func matchChunk(chunk []searchItem, terms []string) []Hit {
	var hits []Hit
	for _, it := range chunk {
		sk, hay := splitSearchValue(it.v)
		match, prefix := true, false
		if len(terms) > 0 {
			match, prefix = model.MatchTerms(unsafe.String(unsafe.SliceData(hay), len(hay)), terms)
		}
		if match {
			hits = append(hits, Hit{ID: model.ID(it.k), SortKey: string(sk), Prefix: prefix})
		}
	}
	return hits
}

// ContactSearchIndex returns every contact's search data.
func (tx *Tx) ContactSearchIndex() []SearchEntry { return tx.searchIndex(sxContacts) }

// CompanySearchIndex returns every company's search data.
func (tx *Tx) CompanySearchIndex() []SearchEntry { return tx.searchIndex(sxCompanies) }

func (tx *Tx) searchIndex(bucket []byte) []SearchEntry {
	b := tx.index(bucket)
	out := make([]SearchEntry, 0, b.Stats().KeyN)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		sk, hay := splitSearchValue(v)
		var id model.ID
		copy(id[:], k)
		out = append(out, SearchEntry{ID: id, SortKey: string(sk), Haystack: string(hay)})
	}
	return out
}

// SortKeyOf returns the sort key a search index holds for a record.
func (tx *Tx) sortKeyOf(bucket []byte, id model.ID) string {
	sk, _ := splitSearchValue(tx.index(bucket).Get(id[:]))
	return string(sk)
}
