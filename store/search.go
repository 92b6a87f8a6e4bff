package store

import (
	"bytes"
	"cmp"
	"slices"
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

// search scans the compact search index. A scan of 100,000 contacts takes
// a few milliseconds (BenchmarkSearchContacts), and it finds substrings,
// pinyin and initials, which a prefix-only term index could not.
func (tx *Tx) search(bucket []byte, query string, limit int) []Hit {
	terms := model.QueryTerms(query)
	var hits []Hit
	c := tx.btx.Bucket(bucket).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		sk, hay := splitSearchValue(v)
		match, prefix := true, false
		if len(terms) > 0 {
			// The haystack is only read during this call, while the
			// transaction keeps the mmap'ed page alive.
			match, prefix = model.MatchTerms(unsafe.String(unsafe.SliceData(hay), len(hay)), terms)
		}
		if match {
			var id model.ID
			copy(id[:], k)
			hits = append(hits, Hit{ID: id, SortKey: string(sk), Prefix: prefix})
		}
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

// ContactSearchIndex returns every contact's search data.
func (tx *Tx) ContactSearchIndex() []SearchEntry { return tx.searchIndex(sxContacts) }

// CompanySearchIndex returns every company's search data.
func (tx *Tx) CompanySearchIndex() []SearchEntry { return tx.searchIndex(sxCompanies) }

func (tx *Tx) searchIndex(bucket []byte) []SearchEntry {
	b := tx.btx.Bucket(bucket)
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
	sk, _ := splitSearchValue(tx.btx.Bucket(bucket).Get(id[:]))
	return string(sk)
}
