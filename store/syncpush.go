package store

import (
	"cmp"
	"encoding/json"
	"math/bits"
	"slices"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// OutOp is a write to send to the server: either read from a live record
// (Record set: its groups' values are taken from it) or from the groups
// kept for a deleted one (Value set), or a deletion.
type OutOp struct {
	Entity model.Entity
	ID     model.ID
	Groups model.GroupMask
	Stamp  Stamp
	// Deleted marks a deletion.
	Deleted bool
	// Record is a pointer to the model record holding the groups' values.
	Record any
	// Value holds the groups' fields when Record is nil.
	Value json.RawMessage
	// UpdatedAt is the record's updated_at when Stamp is its latest write.
	UpdatedAt time.Time
	// Base is how far the server's feed had been pulled when the write was
	// made (0: unknown).
	Base uint64
}

// PendingOps returns the ops for the local writes logged after the
// change-log entry after, reading at most limit entries; last is the
// last entry read (after, when there was none). A group rewritten since
// the entry was logged is left out: the newer write has its own entry (or
// came from another replica, which sends it). What is sent is the
// group's current value with its current stamp.
func (tx *Tx) PendingOps(after uint64, limit int) (ops []OutOp, last uint64, err error) {
	last = after
	changes, err := tx.Changes(after, limit)
	if err != nil {
		return nil, after, err
	}
	for _, ch := range changes {
		last = ch.Seq
		if ch.Stamp.Replica != tx.s.replica {
			continue
		}
		op, ok, err := tx.outOp(ch)
		if err != nil {
			return nil, after, err
		}
		if ok {
			op.Base = tx.seenBefore(ch.Seq)
			ops = append(ops, op)
		}
	}
	return ops, last, nil
}

func (tx *Tx) outOp(ch Change) (OutOp, bool, error) {
	op := OutOp{Entity: ch.Entity, ID: ch.ID, Stamp: ch.Stamp}
	if ch.Deleted {
		tomb, dead := tx.Tombstone(ch.Entity, ch.ID)
		op.Deleted = true
		return op, dead && tomb == ch.Stamp, nil
	}
	rec, st, alive, err := tx.stamped(ch.Entity, ch.ID)
	if err != nil {
		return op, false, err
	}
	if alive {
		for g := range model.Groups(ch.Entity) {
			if ch.Groups&(1<<g) != 0 && st.Of(g) == ch.Stamp {
				op.Groups |= 1 << g
			}
		}
		op.Record = rec
		if st.Latest() == ch.Stamp {
			op.UpdatedAt = recordUpdatedAt(rec)
		}
		return op, op.Groups != 0, nil
	}
	orph, err := tx.getOrphan(ch.Entity, ch.ID)
	if err != nil {
		return op, false, err
	}
	return orphanOp(op, orph, ch.Stamp, ch.Groups)
}

// orphanOp fills op with the kept groups stamped s (of those in mask).
func orphanOp(op OutOp, orph orphan, s Stamp, mask model.GroupMask) (OutOp, bool, error) {
	members := map[string]json.RawMessage{}
	for g, og := range orph {
		if mask&(1<<g) == 0 || og.stamp() != s {
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(og.Value, &m); err != nil {
			return op, false, err
		}
		for k, v := range m {
			members[k] = v
		}
		op.Groups |= 1 << g
		op.UpdatedAt = og.UpdatedAt
	}
	if op.Groups == 0 {
		return op, false, nil
	}
	v, err := json.Marshal(members)
	op.Value = v
	return op, err == nil, err
}

// stamped reads a record of any entity with its stamps.
func (tx *Tx) stamped(e model.Entity, id model.ID) (any, Stamps, bool, error) {
	t, err := syncTableOf(e)
	if err != nil {
		return nil, nil, false, err
	}
	return t.stampedRecord(tx, id)
}

func (t *table[T]) stampedRecord(tx *Tx, id model.ID) (any, Stamps, bool, error) {
	rec, st, ok, err := t.getStamped(tx, id)
	return &rec, st, ok, err
}

// decodeStamped decodes a record and its stamps from its stored value v
// (getStamped without the lookup, for a caller already at the value).
func (t *table[T]) decodeStamped(id model.ID, v []byte) (any, Stamps, error) {
	rec := new(T)
	st, body, err := splitEnvelope(v)
	if err == nil {
		err = t.decode(body, rec)
	}
	if err != nil {
		return nil, nil, &CorruptError{Entity: t.entity, ID: id}
	}
	*t.idOf(rec) = id
	return rec, st, nil
}

func recordUpdatedAt(rec any) time.Time {
	switch r := rec.(type) {
	case *model.Contact:
		return r.UpdatedAt
	case *model.Company:
		return r.UpdatedAt
	case *model.Deal:
		return r.UpdatedAt
	case *model.Task:
		return r.UpdatedAt
	}
	return time.Time{}
}

// The whole state, for a server that lost data, is read in this order:
// records in dependency order, then deletions, then groups kept for
// deleted records. A position in it is a phase byte and a key.
var (
	phaseTombstones = byte(len(model.Entities))
	phaseOrphans    = phaseTombstones + 1
	phaseDone       = phaseOrphans + 1
)

// FullState returns the ops that make up everything this file holds,
// from position from (nil: the start) for about limit records, and the
// position of the next record (nil when done). Each record gives one op
// per distinct stamp among its groups, its creation first.
func (tx *Tx) FullState(from []byte, limit int) (ops []OutOp, next []byte, err error) {
	phase, key := byte(0), []byte(nil)
	if len(from) > 0 {
		phase, key = from[0], from[1:]
	}
	n := 0
	ops = make([]OutOp, 0, min(limit, 8192))
	for ; phase < phaseDone; phase, key = phase+1, nil {
		b := tx.btx.Bucket(fullStateBucket(phase))
		if b == nil {
			continue
		}
		c := b.Cursor()
		k, v := c.First()
		if key != nil {
			k, v = c.Seek(key)
		}
		for ; k != nil; k, v = c.Next() {
			if n >= limit {
				return ops, append([]byte{phase}, k...), nil
			}
			if ops, err = tx.appendStateOps(ops, phase, k, v); err != nil {
				return nil, nil, err
			}
			n++
		}
	}
	return ops, nil, nil
}

func fullStateBucket(phase byte) []byte {
	switch {
	case phase < phaseTombstones:
		return bucketOf(model.Entities[phase])
	case phase == phaseTombstones:
		return bTombstones
	}
	return bOrphans
}

// appendStateOps appends the ops of the entry k, v of the whole state's
// phase to out.
func (tx *Tx) appendStateOps(out []OutOp, phase byte, k, v []byte) ([]OutOp, error) {
	switch {
	case phase < phaseTombstones:
		e := model.Entities[phase]
		t, err := syncTableOf(e)
		if err != nil {
			return nil, err
		}
		rec, st, err := t.decodeStamped(model.ID(k), v)
		if err != nil {
			return nil, err
		}
		return appendRecordOps(out, e, model.ID(k), rec, st), nil
	case phase == phaseTombstones:
		if len(k) != 17 || len(v) != stampSize {
			return nil, errCorrupt
		}
		return append(out, OutOp{Entity: model.Entity(k[0]), ID: model.ID(k[1:]), Stamp: readStamp(v), Deleted: true}), nil
	}
	if len(k) != 17 {
		return nil, errCorrupt
	}
	e, id := model.Entity(k[0]), model.ID(k[1:])
	orph, err := tx.getOrphan(e, id)
	if err != nil {
		return nil, err
	}
	seen := map[Stamp]bool{}
	for _, og := range orph {
		if s := og.stamp(); !seen[s] {
			seen[s] = true
			op, ok, err := orphanOp(OutOp{Entity: e, ID: id, Stamp: s}, orph, s, model.AllGroups(e))
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, op)
			}
		}
	}
	return out, nil
}

// appendRecordOps splits a record into one op per distinct stamp of its
// groups, appended to out in the order of their first groups: the
// creation first.
func appendRecordOps(out []OutOp, e model.Entity, id model.ID, rec any, st Stamps) []OutOp {
	start := len(out)
	all := model.AllGroups(e)
	for _, se := range st {
		m := se.Mask & all
		if m == 0 || se.Stamp.IsZero() {
			continue
		}
		if i := slices.IndexFunc(out[start:], func(o OutOp) bool { return o.Stamp == se.Stamp }); i >= 0 {
			out[start+i].Groups |= m
			continue
		}
		out = append(out, OutOp{Entity: e, ID: id, Stamp: se.Stamp, Groups: m, Record: rec})
	}
	ops := out[start:]
	if len(ops) > 1 {
		slices.SortFunc(ops, func(a, b OutOp) int {
			return cmp.Compare(bits.TrailingZeros32(uint32(a.Groups)), bits.TrailingZeros32(uint32(b.Groups)))
		})
	}
	latest := st.Latest()
	for i := range ops {
		if ops[i].Stamp == latest {
			ops[i].UpdatedAt = recordUpdatedAt(rec)
		}
	}
	return out
}

// Restamp gives the local writes that wait to be pushed (those logged
// after the change-log entry after) and carry clocks later than limit a
// fresh stamp from a clock set back to start. It is for a replica whose
// clock ran ahead: the server refuses those writes, and nobody else has
// seen them. start must be later than every stamp this replica has
// received or had accepted. It returns how many records it restamped.
func (tx *Tx) Restamp(after uint64, limit, start HLC) (int, error) {
	changes, err := tx.Changes(after, 0)
	if err != nil {
		return 0, err
	}
	type key struct {
		e  model.Entity
		id model.ID
	}
	seen := map[key]bool{}
	tx.clock, tx.dirty = start, true
	n := 0
	for _, ch := range changes {
		k := key{ch.Entity, ch.ID}
		if ch.Stamp.Replica != tx.s.replica || ch.Stamp.HLC <= limit || seen[k] {
			continue
		}
		seen[k] = true
		done, err := tx.restampRecord(ch.Entity, ch.ID, limit)
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
}

func (tx *Tx) restampRecord(e model.Entity, id model.ID, limit HLC) (bool, error) {
	future := func(s Stamp) bool { return s.Replica == tx.s.replica && s.HLC > limit }
	if tomb, dead := tx.Tombstone(e, id); dead && future(tomb) {
		s := tx.tick()
		if err := tx.btx.Bucket(bTombstones).Put(tombKey(e, id), s.append(nil)); err != nil {
			return false, err
		}
		return true, tx.logChange(Change{Entity: e, ID: id, Groups: model.AllGroups(e), Stamp: s, Deleted: true})
	}
	t, err := syncTableOf(e)
	if err != nil {
		return false, err
	}
	return t.restamp(tx, id, future)
}

func (t *table[T]) restamp(tx *Tx, id model.ID, future func(Stamp) bool) (bool, error) {
	rec, st, alive, err := t.getStamped(tx, id)
	if err != nil || !alive {
		return false, err
	}
	var mask model.GroupMask
	for g := range model.Groups(t.entity) {
		if future(st.Of(g)) {
			mask |= 1 << g
		}
	}
	if mask == 0 {
		return false, nil
	}
	s := tx.tick()
	ix := t.indexes(tx, &rec)
	return true, t.write(tx, id, &rec, st.Set(mask, s), ix, Change{Entity: t.entity, ID: id, Groups: mask, Stamp: s})
}
