package store

import (
	"encoding/binary"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// A stored record is an envelope: a format byte, the stamps saying when
// each field group was last written and by which replica, then the
// record's fields (codec.go).
const envelopeFormat = 1

// stampEntry gives the stamp of the groups in mask.
type stampEntry struct {
	Mask  model.GroupMask
	Stamp Stamp
}

// Stamps records, per field group, the write that set its current value.
// A fresh record has one entry covering every group.
type Stamps []stampEntry

// Of returns the stamp of group g (by index).
func (st Stamps) Of(g int) Stamp {
	for _, e := range st {
		if e.Mask&(1<<g) != 0 {
			return e.Stamp
		}
	}
	return Stamp{}
}

// Latest returns the newest stamp of any group.
func (st Stamps) Latest() Stamp {
	var l Stamp
	for _, e := range st {
		if e.Stamp.Compare(l) > 0 {
			l = e.Stamp
		}
	}
	return l
}

// Set returns st with the groups in mask stamped s.
func (st Stamps) Set(mask model.GroupMask, s Stamp) Stamps {
	out := make(Stamps, 0, len(st)+1)
	for _, e := range st {
		if e.Stamp == s {
			mask |= e.Mask
			continue
		}
		if e.Mask &^= mask; e.Mask != 0 {
			out = append(out, e)
		}
	}
	return append(out, stampEntry{Mask: mask, Stamp: s})
}

func encodeEnvelope(st Stamps, body func([]byte) []byte) []byte {
	b := make([]byte, 0, 256)
	b = append(b, envelopeFormat)
	b = binary.AppendUvarint(b, uint64(len(st)))
	for _, e := range st {
		b = binary.AppendUvarint(b, uint64(e.Mask))
		b = e.Stamp.append(b)
	}
	return body(b)
}

// splitEnvelope returns the stamps and the body of a stored value. The body
// aliases v.
func splitEnvelope(v []byte) (Stamps, []byte, error) {
	if len(v) < 2 || v[0] != envelopeFormat {
		return nil, nil, errCorrupt
	}
	n, w := binary.Uvarint(v[1:])
	if w <= 0 || n > 64 {
		return nil, nil, errCorrupt
	}
	p := 1 + w
	st := make(Stamps, 0, n)
	for range n {
		m, w := binary.Uvarint(v[p:])
		if w <= 0 || len(v) < p+w+stampSize {
			return nil, nil, errCorrupt
		}
		st = append(st, stampEntry{Mask: model.GroupMask(m), Stamp: readStamp(v[p+w:])})
		p += w + stampSize
	}
	return st, v[p:], nil
}

// bodyOf skips the stamps of a stored value without allocating.
func bodyOf(v []byte) ([]byte, error) {
	if len(v) < 2 || v[0] != envelopeFormat {
		return nil, errCorrupt
	}
	n, w := binary.Uvarint(v[1:])
	if w <= 0 {
		return nil, errCorrupt
	}
	p := 1 + w
	for range n {
		_, w := binary.Uvarint(v[p:])
		if w <= 0 {
			return nil, errCorrupt
		}
		p += w + stampSize
		if p > len(v) {
			return nil, errCorrupt
		}
	}
	return v[p:], nil
}

// appendFill is how full pages of buckets whose keys mostly grow (record
// ids are creation-time ordered; change-log sequence numbers) are packed
// when bbolt splits them: new keys go after the old ones, so pages left
// half empty (bbolt's default) would stay half empty.
const appendFill = 0.9

// ixEntry is one key of a secondary index.
type ixEntry struct {
	bucket []byte
	key    []byte
	value  []byte
}

// table describes how one entity is stored and indexed; the generic
// functions below do the rest the same way for every entity.
type table[T any] struct {
	entity  model.Entity
	bucket  []byte
	idOf    func(*T) *model.ID
	times   func(*T) (created, updated *time.Time)
	encode  func([]byte, *T) []byte
	decode  func([]byte, *T) error
	indexes func(*Tx, *T) []ixEntry
}

func (t *table[T]) get(tx *Tx, id model.ID) (T, error) {
	var rec T
	v := tx.btx.Bucket(t.bucket).Get(id[:])
	if v == nil {
		return rec, notFound(t.entity, id)
	}
	body, err := bodyOf(v)
	if err == nil {
		err = t.decode(body, &rec)
	}
	if err != nil {
		return rec, &CorruptError{Entity: t.entity, ID: id}
	}
	*t.idOf(&rec) = id
	return rec, nil
}

func (t *table[T]) getStamped(tx *Tx, id model.ID) (T, Stamps, bool, error) {
	var rec T
	v := tx.btx.Bucket(t.bucket).Get(id[:])
	if v == nil {
		return rec, nil, false, nil
	}
	st, body, err := splitEnvelope(v)
	if err == nil {
		err = t.decode(body, &rec)
	}
	if err != nil {
		return rec, nil, false, &CorruptError{Entity: t.entity, ID: id}
	}
	*t.idOf(&rec) = id
	return rec, st, true, nil
}

// each calls fn with every record in id (creation) order.
func (t *table[T]) each(tx *Tx, fn func(*T) error) error {
	return t.eachStored(tx, func(s Stored[T]) error {
		rec, err := s.Decode()
		if err != nil {
			return err
		}
		return fn(&rec)
	})
}

func (t *table[T]) count(tx *Tx) int { return tx.btx.Bucket(t.bucket).Stats().KeyN }

// save creates rec (giving it an id when it has none) or updates it,
// stamping the groups that changed, updating the indexes and logging the
// change. It reports whether anything changed.
func (t *table[T]) save(tx *Tx, rec *T) (bool, error) {
	id := t.idOf(rec)
	created, updated := t.times(rec)
	var (
		old    T
		st     Stamps
		exists bool
		err    error
	)
	if !id.IsZero() {
		if old, st, exists, err = t.getStamped(tx, *id); err != nil {
			return false, err
		}
	}
	if created.IsZero() {
		// A record saved under an existing id keeps its creation time.
		*created = tx.now
		if exists {
			oldCreated, _ := t.times(&old)
			*created = *oldCreated
		}
	}
	if id.IsZero() {
		*id = model.NewID(*created)
	}
	mask := model.AllGroups(t.entity)
	if exists {
		if updated != nil {
			_, oldUpdated := t.times(&old)
			*updated = *oldUpdated
		}
		if mask, err = model.ChangedGroups(t.entity, &old, rec); err != nil {
			return false, err
		}
		if mask == 0 {
			return false, nil
		}
	}
	stamp := tx.tick()
	if updated != nil {
		*updated = tx.now
	}
	return true, t.write(tx, *id, rec, st.Set(mask, stamp), oldIndexes(tx, t, exists, &old), Change{
		Entity: t.entity, ID: *id, Groups: mask, Stamp: stamp,
	})
}

func oldIndexes[T any](tx *Tx, t *table[T], exists bool, old *T) []ixEntry {
	if !exists {
		return nil
	}
	return t.indexes(tx, old)
}

// write stores rec with the given stamps, moves its index entries from
// old to the current ones and logs ch.
func (t *table[T]) write(tx *Tx, id model.ID, rec *T, st Stamps, old []ixEntry, ch Change) error {
	v := encodeEnvelope(st, func(b []byte) []byte { return t.encode(b, rec) })
	b := tx.btx.Bucket(t.bucket)
	b.FillPercent = appendFill
	if err := b.Put(id[:], v); err != nil {
		return err
	}
	if err := tx.reindex(old, t.indexes(tx, rec)); err != nil {
		return err
	}
	if err := tx.btx.Bucket(bTombstones).Delete(tombKey(t.entity, id)); err != nil {
		return err
	}
	return tx.logChange(ch)
}

// remove deletes the record, its index entries, leaves a tombstone and
// logs the deletion.
func (t *table[T]) remove(tx *Tx, id model.ID) (T, error) {
	old, _, exists, err := t.getStamped(tx, id)
	if err != nil {
		return old, err
	}
	if !exists {
		return old, notFound(t.entity, id)
	}
	if err := tx.btx.Bucket(t.bucket).Delete(id[:]); err != nil {
		return old, err
	}
	if err := tx.reindex(t.indexes(tx, &old), nil); err != nil {
		return old, err
	}
	stamp := tx.tick()
	if err := tx.btx.Bucket(bTombstones).Put(tombKey(t.entity, id), stamp.append(nil)); err != nil {
		return old, err
	}
	return old, tx.logChange(Change{Entity: t.entity, ID: id, Groups: model.AllGroups(t.entity), Stamp: stamp, Deleted: true})
}

func tombKey(e model.Entity, id model.ID) []byte {
	return append([]byte{byte(e)}, id[:]...)
}

// Tombstone returns the stamp of the record's deletion, if it was deleted.
func (tx *Tx) Tombstone(e model.Entity, id model.ID) (Stamp, bool) {
	v := tx.btx.Bucket(bTombstones).Get(tombKey(e, id))
	if len(v) != stampSize {
		return Stamp{}, false
	}
	return readStamp(v), true
}

// reindex deletes the entries of old that are not in cur and writes those
// of cur that are new or changed.
func (tx *Tx) reindex(old, cur []ixEntry) error {
	if tx.pending != nil && old == nil {
		return tx.addIndex(cur)
	}
	if err := tx.flush(nil); err != nil {
		return err
	}
	keep := make(map[string][]byte, len(old))
	for _, e := range old {
		keep[string(e.bucket)+"\x00"+string(e.key)] = e.value
	}
	for _, e := range cur {
		k := string(e.bucket) + "\x00" + string(e.key)
		if _, ok := keep[k]; ok {
			delete(keep, k)
			// An entry without a value is unchanged when its key is. One
			// with a value is always written: the old value was recomputed
			// from other records as they are now (a company's new name), so
			// comparing it with the new one proves nothing.
			if e.value == nil {
				continue
			}
		}
		if err := tx.btx.Bucket(e.bucket).Put(e.key, e.value); err != nil {
			return err
		}
	}
	for _, e := range old {
		k := string(e.bucket) + "\x00" + string(e.key)
		if _, ok := keep[k]; ok {
			if err := tx.btx.Bucket(e.bucket).Delete(e.key); err != nil {
				return err
			}
		}
	}
	return nil
}

// CorruptError names a record that cannot be decoded.
type CorruptError struct {
	Entity model.Entity
	ID     model.ID
}

func (e *CorruptError) Error() string {
	return "the stored " + e.Entity.String() + " " + e.ID.String() + " is damaged; run rolo doctor"
}

// Index key helpers: text parts end with a 0 byte so one key is never a
// prefix of another's text; ids are 16 raw bytes.

func textKey(text string, id model.ID) []byte {
	b := make([]byte, 0, len(text)+1+16)
	b = append(b, text...)
	b = append(b, 0)
	return append(b, id[:]...)
}

func pairKey(a, b model.ID) []byte {
	k := make([]byte, 0, 32)
	return append(append(k, a[:]...), b[:]...)
}

func timedKey(owner model.ID, at time.Time, id model.ID) []byte {
	k := make([]byte, 0, 40)
	k = append(k, owner[:]...)
	k = binary.BigEndian.AppendUint64(k, uint64(at.UnixNano())^(1<<63))
	return append(k, id[:]...)
}

// idAtEnd returns the record id at the end of an index key.
func idAtEnd(k []byte) model.ID {
	var id model.ID
	if len(k) >= 16 {
		copy(id[:], k[len(k)-16:])
	}
	return id
}

// batchHooks are what saveMany needs of an entity besides its table:
// validate runs on any goroutine; links checks the record's links and
// warm reads what its index entries need from the file (both run in
// order on the writing goroutine); asOf is the time the record is saved
// at (zero: the transaction's).
type batchHooks[T any] struct {
	validate func(*T) error
	links    func(*Tx, *T) error
	warm     func(*Tx, *T)
	asOf     func(*T) time.Time
}

// manyPart is how many records saveMany hands a worker at a time, and
// manyAhead how many parts it gets ready ahead of the one it writes.
const (
	manyPart  = 256
	manyAhead = 4
)

// saveMany saves n records, the i-th got from get(i) (called once for
// each i, on any goroutine), in order, each exactly as save would after
// validate, links and an asOf of its time. The work on new records that
// does not touch the file (getting and validating them, encoding, index
// entries and search text) is done on every core while this goroutine
// writes the records before them: getting and validating runs ahead part
// by part; each part, once stamped here in order, is encoded on the
// workers while the part before it is written. A record whose id is
// already in the file takes save's path, after everything before it is
// written.
func (t *table[T]) saveMany(tx *Tx, n int, get func(int) *T, h batchHooks[T]) error {
	type part struct {
		lo    int
		recs  []*T
		errs  []error
		ready chan struct{}
	}
	type segment struct {
		run  []newRecord[T]
		done chan struct{}
	}
	parts := make([]*part, 0, (n+manyPart-1)/manyPart)
	for lo := 0; lo < n; lo += manyPart {
		pt := &part{lo: lo, recs: make([]*T, min(manyPart, n-lo)), ready: make(chan struct{})}
		pt.errs = make([]error, len(pt.recs))
		parts = append(parts, pt)
	}
	// A goroutine queues the parts to get and validate, manyAhead at most
	// ahead of this one.
	w := newWorkers()
	slots, feedStop, feedDone := make(chan struct{}, manyAhead), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(feedDone)
		for _, pt := range parts {
			select {
			case slots <- struct{}{}:
			case <-feedStop:
				return
			}
			w.later(func() {
				defer close(pt.ready)
				for i := range pt.recs {
					if w.quitting() {
						return
					}
					pt.recs[i] = get(pt.lo + i)
					pt.errs[i] = h.validate(pt.recs[i])
				}
			})
		}
	}()
	defer func() { // before returning: the workers use the records and tx.companyHay
		close(feedStop)
		<-feedDone
		w.stop()
	}()
	mask := model.AllGroups(t.entity)
	var queue []*segment // stamped, being encoded or waiting to be written
	cur := &segment{}
	send := func() { // hands cur to the workers to encode
		if len(cur.run) == 0 {
			return
		}
		sg := cur
		sg.done = make(chan struct{})
		queue = append(queue, sg)
		cur = &segment{}
		w.urgent(func() {
			defer close(sg.done)
			for i := range sg.run {
				if w.quitting() {
					return
				}
				r := &sg.run[i]
				r.value = encodeEnvelope(Stamps{{Mask: mask, Stamp: r.stamp}}, func(b []byte) []byte { return t.encode(b, r.rec) })
				r.entries = t.indexes(tx, r.rec)
			}
		})
	}
	write := func(keep int) error { // writes the queue but its last keep segments
		for len(queue) > keep {
			sg := queue[0]
			<-sg.done
			if err := t.writeNew(tx, sg.run, mask); err != nil {
				return err
			}
			queue = queue[1:]
		}
		return nil
	}
	inRun := map[model.ID]bool{} // ids given in records not yet written: one may come twice
	b := tx.btx.Bucket(t.bucket)
	for _, pt := range parts {
		<-pt.ready
		for i, rec := range pt.recs {
			if pt.errs[i] == nil {
				pt.errs[i] = h.links(tx, rec)
			}
			if pt.errs[i] != nil {
				send()
				if err := write(0); err != nil {
					return err
				}
				return pt.errs[i]
			}
			at := h.asOf(rec)
			if id := *t.idOf(rec); !id.IsZero() && (inRun[id] || b.Get(id[:]) != nil) {
				send()
				if err := write(0); err != nil {
					return err
				}
				clear(inRun)
				if err := tx.asOf(at, func() error { _, err := t.save(tx, rec); return err }); err != nil {
					return err
				}
				continue
			} else if !id.IsZero() {
				inRun[id] = true
			}
			if h.warm != nil {
				h.warm(tx, rec)
			}
			cur.run = append(cur.run, t.stampNew(tx, rec, at))
		}
		pt.recs = nil
		<-slots
		send()
		if err := write(1); err != nil {
			return err
		}
	}
	return write(0)
}

// newRecord is a record saveMany creates: stamped, then encoded with its
// index entries.
type newRecord[T any] struct {
	rec     *T
	id      model.ID
	stamp   Stamp
	value   []byte
	entries []ixEntry
}

// stampNew does for a new record what save does before writing it: its
// creation time, id, stamp and update time, at time at.
func (t *table[T]) stampNew(tx *Tx, rec *T, at time.Time) newRecord[T] {
	now := tx.now
	if !at.IsZero() {
		tx.now = at.UTC()
	}
	defer func() { tx.now = now }()
	id := t.idOf(rec)
	created, updated := t.times(rec)
	if created.IsZero() {
		*created = tx.now
	}
	if id.IsZero() {
		*id = model.NewID(*created)
	}
	stamp := tx.tick()
	if updated != nil {
		*updated = tx.now
	}
	return newRecord[T]{rec: rec, id: *id, stamp: stamp}
}

// writeNew writes a run of new records, encoded, in order.
func (t *table[T]) writeNew(tx *Tx, run []newRecord[T], mask model.GroupMask) error {
	b := tx.btx.Bucket(t.bucket)
	b.FillPercent = appendFill
	tombs := tx.btx.Bucket(bTombstones)
	someTombs, _ := tombs.Cursor().First() // none in a new file: nothing to delete
	for i := range run {
		r := &run[i]
		if err := b.Put(r.id[:], r.value); err != nil {
			return err
		}
		if err := tx.reindex(nil, r.entries); err != nil {
			return err
		}
		if someTombs != nil {
			if err := tombs.Delete(tombKey(t.entity, r.id)); err != nil {
				return err
			}
		}
		if err := tx.logChange(Change{Entity: t.entity, ID: r.id, Groups: mask, Stamp: r.stamp}); err != nil {
			return err
		}
		run[i] = newRecord[T]{} // written: its memory may go
	}
	return nil
}
