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
// bucket's keys and values packed one after another in blocks of
// pendingBlock bytes, which takes a third of the memory of a slice per
// key (an import of 100,000 contacts holds some 600,000 entries) and
// leaves nothing to copy or collect as it grows. Its blocks are kept
// from one bulk transaction to the next (see pendingPool).
type pendingIndex struct {
	byBucket map[string]*pendingBucket
	waiting  int // entries not yet written
	size     int // the bytes of their keys and values
}

type pendingBucket struct {
	name   []byte
	blocks [][]byte
	free   [][]byte     // emptied blocks, for the next entries
	refs   []pendingRef // in the order added
	size   int          // the bytes of keys and values in blocks
	values bool         // some entry has a value
}

// pendingRef locates an entry: its key at pos (the block's number, then
// the offset in the block, 16 bits each), its value right after it.
// Entries are added at growing positions, so pos is also their order.
type pendingRef struct {
	pos, klen, vlen uint32
}

// pendingBlock is the size of a block of entries; an entry larger than
// that has a block of its own.
const pendingBlock = 64 << 10

func (b *pendingBucket) key(r pendingRef) []byte {
	off := r.pos & 0xffff
	return b.blocks[r.pos>>16][off : off+r.klen]
}

func (b *pendingBucket) value(r pendingRef) []byte {
	if r.vlen == 0 {
		return nil
	}
	v := r.pos&0xffff + r.klen
	return b.blocks[r.pos>>16][v : v+r.vlen]
}

// put adds an entry.
func (b *pendingBucket) put(key, value []byte) {
	n := len(key) + len(value)
	if len(b.blocks) == 0 || cap(b.blocks[len(b.blocks)-1])-len(b.blocks[len(b.blocks)-1]) < n {
		var blk []byte
		if k := len(b.free); k > 0 && n <= pendingBlock {
			blk, b.free = b.free[k-1], b.free[:k-1]
		} else {
			blk = make([]byte, 0, max(pendingBlock, n))
		}
		b.blocks = append(b.blocks, blk)
	}
	last := &b.blocks[len(b.blocks)-1]
	off := len(*last)
	*last = append(append(*last, key...), value...)
	b.refs = append(b.refs, pendingRef{uint32(len(b.blocks)-1)<<16 | uint32(off), uint32(len(key)), uint32(len(value))})
	b.size += n
	b.values = b.values || len(value) > 0
}

func newPendingIndex() *pendingIndex { return &pendingIndex{byBucket: map[string]*pendingBucket{}} }

// pendingPool keeps pendingIndexes for the next bulk transaction: a page
// of pulled changes collects tens of thousands of entries.
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
		b.put(e.key, e.value)
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
// the values until the commit: blocks are reused only when they hold no
// value.
func (b *pendingBucket) drop() {
	if !b.values {
		for _, blk := range b.blocks {
			if cap(blk) == pendingBlock {
				b.free = append(b.free, blk[:0])
			}
		}
	}
	clear(b.blocks)
	b.blocks, b.refs, b.size, b.values = b.blocks[:0], b.refs[:0], 0, false
}

// release forgets the entries and the memory they took.
func (b *pendingBucket) release() {
	b.blocks, b.free, b.refs, b.size, b.values = nil, nil, nil, 0, false
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
				return cmp.Compare(a.pos, b.pos)
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
	p.size -= pb.size
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
