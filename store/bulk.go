package store

import (
	"bytes"
	"cmp"
	"slices"
	"sync"

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
	p := pendingPool.Get().(*pendingIndex)
	defer func() {
		p.reset()
		pendingPool.Put(p)
	}()
	return s.Update(func(tx *Tx) error {
		tx.pending = p
		if err := fn(tx); err != nil {
			return err
		}
		return tx.flush()
	})
}

// pendingIndex holds index entries not yet written, by bucket. Its slices
// are kept from one bulk transaction to the next (see pendingPool).
type pendingIndex struct {
	byBucket map[string]*pendingBucket
	n        int // entries added; the number of the last one
	waiting  int // entries not yet written
}

type pendingBucket struct {
	name    []byte
	entries []pendingEntry
}

// pendingEntry is an index entry with its place in the order of writes.
type pendingEntry struct {
	key, value []byte
	seq        int
}

// pendingPool keeps pendingIndexes for the next bulk transaction: an
// import's transactions each collect some 40,000 entries.
var pendingPool = sync.Pool{New: func() any { return &pendingIndex{byBucket: map[string]*pendingBucket{}} }}

func (p *pendingIndex) add(entries []ixEntry) {
	for _, e := range entries {
		b := p.byBucket[string(e.bucket)]
		if b == nil {
			b = &pendingBucket{name: e.bucket}
			p.byBucket[string(e.bucket)] = b
		}
		p.n++
		b.entries = append(b.entries, pendingEntry{e.key, e.value, p.n})
	}
	p.waiting += len(entries)
}

// reset drops the entries (keeping the room they took).
func (p *pendingIndex) reset() {
	for _, b := range p.byBucket {
		clear(b.entries)
		b.entries = b.entries[:0]
	}
	p.waiting = 0
}

// bulkFill is how full a bulk write packs index pages: sorted inserts
// would otherwise leave every page half empty.
const bulkFill = 0.9

// flush writes the pending index entries in key order. A later entry for
// the same key wins, as it would have with immediate writes. Each
// bucket's entries are sorted on a goroutine of their own, so that the
// sorting of the others goes on while one bucket is written.
func (tx *Tx) flush() error {
	p := tx.pending
	if p == nil || p.waiting == 0 {
		return nil
	}
	defer p.reset()
	type sorted struct {
		pb   *pendingBucket
		done chan struct{}
	}
	var todo []sorted
	for _, pb := range p.byBucket {
		if len(pb.entries) == 0 {
			continue
		}
		s := sorted{pb, make(chan struct{})}
		go func() {
			defer close(s.done)
			slices.SortFunc(pb.entries, func(a, b pendingEntry) int {
				if c := bytes.Compare(a.key, b.key); c != 0 {
					return c
				}
				return cmp.Compare(a.seq, b.seq)
			})
		}()
		todo = append(todo, s)
	}
	var err error
	for _, s := range todo {
		<-s.done // wait for every sort, even after a failure: they use the entries
		if err != nil {
			continue
		}
		b := tx.btx.Bucket(s.pb.name)
		b.FillPercent = bulkFill
		for _, e := range s.pb.entries {
			if err = b.Put(e.key, e.value); err != nil {
				break
			}
		}
	}
	return err
}

// index returns an index bucket for reading or writing, after writing any
// pending entries so that it is up to date.
func (tx *Tx) index(name []byte) *bolt.Bucket {
	if tx.pending != nil && tx.pending.waiting > 0 {
		if err := tx.flush(); err != nil {
			tx.flushErr = err
		}
	}
	return tx.btx.Bucket(name)
}
