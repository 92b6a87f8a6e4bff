package store

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// A Loader writes many new records in a run of transactions (an import
// of a whole file, the demo, a new member's first pull). Each transaction
// writes its records and their search entries, as Bulk does; the entries
// of the other indexes (emails, phones, names, tags, links), whose keys
// land all over their buckets, wait in memory, packed, until Close or
// until they take the Loader's limit in bytes, and are then written in
// key order, in transactions of their own. Written with each
// transaction, they had every transaction rewrite nearly every page of
// those indexes.
//
// While entries wait, the file is marked (meta key "indexing"): should
// the process stop before Close, the next Open rebuilds the indexes from
// the records, so a record is never left out of its indexes. An index
// read inside a Loader's transaction is complete: the waiting entries
// are written first.
//
// A Loader is used by one goroutine; Close must be called.
type Loader struct {
	s      *Store
	p      *pendingIndex
	limit  int
	marked bool // the committed file carries the mark
	failed bool // a transaction failed: Close rebuilds the indexes
	closed bool
}

// DefaultLoaderLimit is the most bytes of index entries a Loader keeps
// waiting between transactions unless told otherwise. An import of
// 100,000 contacts makes some 25 MB of them, written in two goes at this
// limit. Each go rewrites most pages of those indexes: a larger limit
// writes less, a smaller one holds less (8 MB: four goes, 0.4 CPU-s more
// and 8 MB less of peak heap for that import).
const DefaultLoaderLimit = 16 << 20

// loaderChunk is how many waiting entries one transaction of writeWaiting
// writes: bbolt holds some 100 bytes a key until the commit.
const loaderChunk = 25_000

// errLoaderFailed refuses transactions after one failed.
var errLoaderFailed = errors.New("an earlier transaction of this load failed")

// Loader starts a load that keeps up to limit bytes of index entries
// waiting (DefaultLoaderLimit when 0).
func (s *Store) Loader(limit int) *Loader {
	if limit <= 0 {
		limit = DefaultLoaderLimit
	}
	s.mu.Lock()
	s.loading++
	s.mu.Unlock()
	return &Loader{s: s, p: newPendingIndex(), limit: limit}
}

// Update runs fn in one read-write transaction, as Bulk does, keeping
// the index entries that can wait.
func (l *Loader) Update(fn func(*Tx) error) error {
	switch {
	case l.closed:
		return errors.New("the load is closed")
	case l.failed:
		return errLoaderFailed
	}
	err := l.s.Update(func(tx *Tx) error {
		tx.pending = l.p
		if err := fn(tx); err != nil {
			return err
		}
		if err := tx.flush(writtenEachTime); err != nil {
			return err
		}
		return tx.markIndexing(l.p.waiting > 0)
	})
	if err != nil {
		l.failed = true
		return err
	}
	l.marked = l.p.waiting > 0
	if l.p.size > l.limit {
		return l.writeWaiting()
	}
	return nil
}

// writtenEachTime selects the index buckets a Loader writes with each
// transaction: the search entries, keyed by record id like the records
// (so mostly appended), and large.
func writtenEachTime(name []byte) bool {
	return bytes.Equal(name, sxContacts) || bytes.Equal(name, sxCompanies)
}

// markIndexing sets or clears the file's mark that index entries wait.
func (tx *Tx) markIndexing(waiting bool) error {
	meta := tx.btx.Bucket(bMeta)
	switch has := meta.Get(mIndexing) != nil; {
	case waiting && !has:
		return meta.Put(mIndexing, []byte{1})
	case !waiting && has:
		return meta.Delete(mIndexing)
	}
	return nil
}

// Close writes the entries that wait (writeWaiting), which clears the
// mark. After a failed transaction it rebuilds the indexes from the
// records instead: the entries held may then belong to records that
// were rolled back. When that fails too the mark stays, and the next
// Open rebuilds them.
func (l *Loader) Close() error {
	if l.closed {
		return nil
	}
	l.closed = true
	defer func() {
		l.p = nil
		l.s.mu.Lock()
		l.s.loading--
		l.s.mu.Unlock()
	}()
	if l.failed {
		if !l.marked {
			return nil // every committed transaction left nothing waiting
		}
		if err := l.s.Update((*Tx).Reindex); err != nil {
			return fmt.Errorf("rebuild the indexes after a failed write (rolo does it when it next opens %s): %w", l.s.path, err)
		}
		return nil
	}
	return l.writeWaiting()
}

// writeWaiting writes the entries that wait, in key order, in
// transactions of loaderChunk entries, the last of which clears the mark.
func (l *Loader) writeWaiting() error {
	todo := l.p.sortAll(nil)
	for len(todo) > 0 {
		var wrote []int // entries written of each bucket of todo
		err := l.s.Update(func(tx *Tx) error {
			wrote = wrote[:0]
			n := 0
			for _, pb := range todo {
				k := min(len(pb.refs), loaderChunk-n)
				if k == 0 {
					break
				}
				if err := tx.putSorted(pb, pb.refs[:k]); err != nil {
					return err
				}
				wrote = append(wrote, k)
				n += k
			}
			last := len(wrote) == len(todo) && wrote[len(wrote)-1] == len(todo[len(todo)-1].refs)
			return tx.markIndexing(!last)
		})
		if err != nil {
			l.failed = true
			return fmt.Errorf("write the indexes of the new records (rolo finishes them when it next opens %s): %w", l.s.path, err)
		}
		for i, k := range wrote {
			pb := todo[i]
			pb.refs = pb.refs[k:]
			l.p.waiting -= k
			if len(pb.refs) == 0 {
				l.p.size -= pb.size
				pb.release() // its memory may go
			}
		}
		for len(todo) > 0 && len(todo[0].refs) == 0 {
			todo = todo[1:]
		}
	}
	l.marked = false
	return nil
}

// rebuildIndexes finishes the indexes of a file that a Loader left
// unfinished (see mIndexing).
func (s *Store) rebuildIndexes(db *bolt.DB) error {
	err := db.Update(func(btx *bolt.Tx) error { return newTx(s, btx).Reindex() })
	if err != nil {
		return fmt.Errorf("finish the indexes of %s, left unfinished by an import that stopped: %w", s.path, err)
	}
	return nil
}
