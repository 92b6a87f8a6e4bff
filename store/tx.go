package store

import (
	"encoding/binary"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rolo-crm/rolo/model"
)

// Tx is one transaction. It must not be used after the function that
// received it returns.
type Tx struct {
	s     *Store
	btx   *bolt.Tx
	now   time.Time
	clock HLC // the last reading handed out; 0 until the first write
	dirty bool

	hayMu      sync.RWMutex
	companyHay map[model.ID]string // see companyHaystack; guarded by hayMu
	pending    *pendingIndex       // index entries a Bulk transaction has yet to write
	flushErr   error               // a failed flush inside index, reported by finish
}

func newTx(s *Store, btx *bolt.Tx) *Tx {
	return &Tx{s: s, btx: btx, now: s.opts.Now().UTC()}
}

// Store returns the store the transaction belongs to.
func (tx *Tx) Store() *Store { return tx.s }

// Now is the time the transaction started; every record it writes carries it.
func (tx *Tx) Now() time.Time { return tx.now }

// Pipeline returns the store's pipeline.
func (tx *Tx) Pipeline() model.Pipeline { return tx.s.opts.Pipeline }

// Writable reports whether the transaction may write.
func (tx *Tx) Writable() bool { return tx.btx.Writable() }

// tick returns a fresh stamp for a local write. The clock is read from the
// meta bucket on first use, so it stays monotonic across processes and
// restarts.
func (tx *Tx) tick() Stamp {
	if tx.clock == 0 {
		tx.clock = tx.Clock()
	}
	tx.clock = tx.clock.Next(tx.now)
	tx.dirty = true
	return Stamp{HLC: tx.clock, Replica: tx.s.replica}
}

// Clock returns the last clock reading stored in the file.
func (tx *Tx) Clock() HLC {
	if tx.clock != 0 {
		return tx.clock
	}
	if v := tx.btx.Bucket(bMeta).Get(mClock); len(v) == 8 {
		return HLC(binary.BigEndian.Uint64(v))
	}
	return 0
}

// Observe moves the clock past a reading seen from another replica, so
// later local writes order after it.
func (tx *Tx) Observe(h HLC) {
	if h > tx.Clock() {
		tx.clock = h
		tx.dirty = true
	}
}

func (tx *Tx) finish() error {
	if tx.flushErr != nil {
		return tx.flushErr
	}
	if !tx.dirty {
		return nil
	}
	return tx.btx.Bucket(bMeta).Put(mClock, binary.BigEndian.AppendUint64(nil, uint64(tx.clock)))
}

// Change is one entry of the change log: a record whose groups were
// written (or which was deleted) with a stamp.
type Change struct {
	Seq     uint64
	Entity  model.Entity
	ID      model.ID
	Groups  model.GroupMask
	Stamp   Stamp
	Deleted bool
}

func (tx *Tx) logChange(c Change) error {
	b := tx.btx.Bucket(bChanges)
	b.FillPercent = appendFill
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	v := make([]byte, 0, 1+16+5+stampSize+1)
	v = append(v, byte(c.Entity))
	v = append(v, c.ID[:]...)
	v = binary.AppendUvarint(v, uint64(c.Groups))
	v = c.Stamp.append(v)
	if c.Deleted {
		v = append(v, 1)
	} else {
		v = append(v, 0)
	}
	return b.Put(seqKey(seq), v)
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

func decodeChange(k, v []byte) (Change, error) {
	if len(k) != 8 || len(v) < 1+16+1+stampSize+1 {
		return Change{}, errCorrupt
	}
	c := Change{Seq: binary.BigEndian.Uint64(k), Entity: model.Entity(v[0])}
	copy(c.ID[:], v[1:17])
	g, w := binary.Uvarint(v[17:])
	if w <= 0 || len(v) < 17+w+stampSize+1 {
		return Change{}, errCorrupt
	}
	c.Groups = model.GroupMask(g)
	c.Stamp = readStamp(v[17+w:])
	c.Deleted = v[17+w+stampSize] == 1
	return c, nil
}

// LastSeq returns the sequence number of the newest change-log entry; a
// process polls it to notice writes made by others.
func (tx *Tx) LastSeq() uint64 {
	return tx.btx.Bucket(bChanges).Sequence()
}

// Changes returns up to limit change-log entries after seq, oldest first.
func (tx *Tx) Changes(after uint64, limit int) ([]Change, error) {
	var out []Change
	c := tx.btx.Bucket(bChanges).Cursor()
	for k, v := c.Seek(seqKey(after + 1)); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
		ch, err := decodeChange(k, v)
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, nil
}
