package store

import (
	"bytes"
	"cmp"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Bulk runs fn in one read-write transaction made for writing many new
// records (demo data, imports): the index entries of new records are
// collected and written in key order, bucket by bucket, when fn returns
// (or before anything reads an index), instead of one random insert at a
// time. Sorted inserts fill each index page once and keep bbolt's
// in-memory nodes from growing quadratically; the result is the same file
// content as Update would write.
//
// A bulk transaction holds everything it writes in memory until it
// commits: callers write a few thousand to some tens of thousands of
// records per call.
func (s *Store) Bulk(fn func(*Tx) error) error {
	return s.Update(func(tx *Tx) error {
		tx.pending = &pendingIndex{}
		if err := fn(tx); err != nil {
			return err
		}
		return tx.flush()
	})
}

// pendingIndex holds index entries not yet written, by bucket.
type pendingIndex struct {
	byBucket map[string][]pendingEntry
	n        int
}

// pendingEntry is an index entry with its place in the order of writes.
type pendingEntry struct {
	ixEntry
	seq int
}

func (p *pendingIndex) add(entries []ixEntry) {
	if p.byBucket == nil {
		p.byBucket = map[string][]pendingEntry{}
	}
	for _, e := range entries {
		p.n++
		p.byBucket[string(e.bucket)] = append(p.byBucket[string(e.bucket)], pendingEntry{e, p.n})
	}
}

// bulkFill is how full a bulk write packs index pages: sorted inserts
// would otherwise leave every page half empty.
const bulkFill = 0.9

// flush writes the pending index entries in key order. A later entry for
// the same key wins, as it would have with immediate writes.
func (tx *Tx) flush() error {
	p := tx.pending
	if p == nil || len(p.byBucket) == 0 {
		return nil
	}
	for name, entries := range p.byBucket {
		slices.SortFunc(entries, func(a, b pendingEntry) int {
			return cmp.Or(bytes.Compare(a.key, b.key), cmp.Compare(a.seq, b.seq))
		})
		b := tx.btx.Bucket([]byte(name))
		b.FillPercent = bulkFill
		for _, e := range entries {
			if err := b.Put(e.key, e.value); err != nil {
				return err
			}
		}
	}
	p.byBucket = nil
	return nil
}

// index returns an index bucket for reading or writing, after writing any
// pending entries so that it is up to date.
func (tx *Tx) index(name []byte) *bolt.Bucket {
	if tx.pending != nil && len(tx.pending.byBucket) > 0 {
		if err := tx.flush(); err != nil {
			tx.flushErr = err
		}
	}
	return tx.btx.Bucket(name)
}
