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
// records per call. A Loader goes further for writes that take many
// transactions.
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
		return tx.flush(nil)
	})
}

// pendingIndex holds index entries not yet written, by bucket: each
// bucket's keys and values packed one after another in one byte slice,
// which takes a third of the memory of a slice per key (an import of
// 100,000 contacts holds some 600,000 entries). Its slices are kept from
// one bulk transaction to the next (see pendingPool).
type pendingIndex struct {
	byBucket map[string]*pendingBucket
	waiting  int // entries not yet written
	size     int // the bytes of their keys and values
}

type pendingBucket struct {
	name   []byte
	data   []byte
	refs   []pendingRef // in the order added
	values bool         // some entry has a value
}

// pendingRef locates an entry in its bucket's data: the key at off, the
// value right after it. Entries are added at growing offsets, so off is
// also their order.
type pendingRef struct {
	off, klen, vlen uint32
}

func (b *pendingBucket) key(r pendingRef) []byte { return b.data[r.off : r.off+r.klen] }

func (b *pendingBucket) value(r pendingRef) []byte {
	if r.vlen == 0 {
		return nil
	}
	v := r.off + r.klen
	return b.data[v : v+r.vlen]
}

func newPendingIndex() *pendingIndex { return &pendingIndex{byBucket: map[string]*pendingBucket{}} }

// pendingPool keeps pendingIndexes for the next bulk transaction: an
// import's transactions each collect some 40,000 entries.
var pendingPool = sync.Pool{New: func() any { return newPendingIndex() }}

// maxPending is the most bytes of index entries a transaction holds
// before writing them: past it, add writes them at once (in key order
// still) rather than hold more.
const maxPending = 64 << 20

func (p *pendingIndex) add(entries []ixEntry) {
	for _, e := range entries {
		b := p.byBucket[string(e.bucket)]
		if b == nil {
			b = &pendingBucket{name: e.bucket}
			p.byBucket[string(e.bucket)] = b
		}
		off := len(b.data)
		b.data = append(append(b.data, e.key...), e.value...)
		b.refs = append(b.refs, pendingRef{uint32(off), uint32(len(e.key)), uint32(len(e.value))})
		b.values = b.values || len(e.value) > 0
		p.size += len(e.key) + len(e.value)
	}
	p.waiting += len(entries)
}

// reset drops the entries (keeping the room they took).
func (p *pendingIndex) reset() {
	for _, b := range p.byBucket {
		b.drop()
	}
	p.waiting, p.size = 0, 0
}

// drop forgets the entries. bbolt copies the keys it is given but keeps
// the values until the commit: data is reused only when it holds no
// value.
func (b *pendingBucket) drop() {
	if b.values {
		b.data, b.values = nil, false
	}
	b.data, b.refs = b.data[:0], b.refs[:0]
}

// sortAll sorts each bucket's entries by key, a later entry for the same
// key after an earlier one, each bucket on a goroutine of its own.
func (p *pendingIndex) sortAll(which func(name []byte) bool) []*pendingBucket {
	var todo []*pendingBucket
	var wg sync.WaitGroup
	for _, pb := range p.byBucket {
		if len(pb.refs) == 0 || (which != nil && !which(pb.name)) {
			continue
		}
		todo = append(todo, pb)
		wg.Go(func() {
			slices.SortFunc(pb.refs, func(a, b pendingRef) int {
				if c := bytes.Compare(pb.key(a), pb.key(b)); c != 0 {
					return c
				}
				return cmp.Compare(a.off, b.off)
			})
		})
	}
	wg.Wait()
	// Buckets in name order: the same file whatever the map's order.
	slices.SortFunc(todo, func(a, b *pendingBucket) int { return bytes.Compare(a.name, b.name) })
	return todo
}

// written forgets the entries of a bucket once they are written.
func (p *pendingIndex) written(pb *pendingBucket) {
	p.waiting -= len(pb.refs)
	p.size -= len(pb.data)
	pb.drop()
}

// bulkFill is how full a bulk write packs index pages: sorted inserts
// would otherwise leave every page half empty.
const bulkFill = 0.9

// flush writes the pending index entries of the buckets which selects
// (all when nil) in key order. A later entry for the same key wins, as
// it would have with immediate writes.
func (tx *Tx) flush(which func(name []byte) bool) error {
	p := tx.pending
	if p == nil || p.waiting == 0 {
		return nil
	}
	for _, pb := range p.sortAll(which) {
		if err := tx.putSorted(pb, pb.refs); err != nil {
			return err
		}
		p.written(pb)
	}
	return nil
}

// putSorted writes entries of pb, in the order given.
func (tx *Tx) putSorted(pb *pendingBucket, refs []pendingRef) error {
	b := tx.btx.Bucket(pb.name)
	b.FillPercent = bulkFill
	for _, r := range refs {
		if err := b.Put(pb.key(r), pb.value(r)); err != nil {
			return err
		}
	}
	return nil
}

// addIndex adds entries to be written by the next flush, writing the
// pending ones first when they have grown past maxPending.
func (tx *Tx) addIndex(entries []ixEntry) error {
	tx.pending.add(entries)
	if tx.pending.size > maxPending {
		return tx.flush(nil)
	}
	return nil
}

// index returns an index bucket for reading or writing, after writing any
// pending entries so that it is up to date.
func (tx *Tx) index(name []byte) *bolt.Bucket {
	if tx.pending != nil && tx.pending.waiting > 0 {
		if err := tx.flush(nil); err != nil {
			tx.flushErr = err
		}
	}
	return tx.btx.Bucket(name)
}
