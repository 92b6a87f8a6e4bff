package server

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/protocol"
)

// recordState is the server's view of one record: for each field group,
// the op (by sequence number) whose value it holds, and the latest
// deletion. The merge rules are those of store.Tx.ApplyRemote: a group
// takes the value with the later stamp, a deletion erases the groups
// written before it, and the record exists while its first group is newer
// than its deletion. Values stay in the op log; the state only points at
// them, so a push writes little.
type recordState struct {
	Tomb    store.Stamp
	Entries []stateEntry
}

// stateEntry says the groups in Mask hold the value of op Seq, stamped
// Stamp.
type stateEntry struct {
	Mask  model.GroupMask
	Stamp store.Stamp
	Seq   uint64
}

const stateFormat = 1

var errBadState = errors.New("damaged record state")

func (s *recordState) of(g int) stateEntry {
	for _, e := range s.Entries {
		if e.Mask&(1<<g) != 0 {
			return e
		}
	}
	return stateEntry{}
}

func (s *recordState) alive() bool {
	first := s.of(0)
	return first.Mask != 0 && first.Stamp.Compare(s.Tomb) > 0
}

// latest returns the entry with the newest stamp.
func (s *recordState) latest() stateEntry {
	var l stateEntry
	for _, e := range s.Entries {
		if e.Stamp.Compare(l.Stamp) > 0 {
			l = e
		}
	}
	return l
}

// set points the groups in mask at entry e.
func (s *recordState) set(mask model.GroupMask, e stateEntry) {
	out := s.Entries[:0]
	for _, x := range s.Entries {
		if x.Seq == e.Seq {
			mask |= x.Mask
			continue
		}
		if x.Mask &^= mask; x.Mask != 0 {
			out = append(out, x)
		}
	}
	e.Mask = mask
	s.Entries = append(out, e)
}

// apply folds one op into the state and reports whether it changed.
func (s *recordState) apply(seq uint64, op *protocol.Op, mask model.GroupMask) bool {
	stamp := op.Stamp()
	if op.Deleted {
		if stamp.Compare(s.Tomb) <= 0 {
			return false
		}
		s.Tomb = stamp
		out := s.Entries[:0]
		for _, e := range s.Entries {
			if e.Stamp.Compare(stamp) > 0 {
				out = append(out, e)
			}
		}
		s.Entries = out
		return true
	}
	if stamp.Compare(s.Tomb) <= 0 {
		return false
	}
	var win model.GroupMask
	for g := 0; g < 32; g++ {
		if mask&(1<<g) != 0 && stamp.Compare(s.of(g).Stamp) > 0 {
			win |= 1 << g
		}
	}
	if win == 0 {
		return false
	}
	s.set(win, stateEntry{Stamp: stamp, Seq: seq})
	return true
}

// appendTo appends the state's encoding to b.
func (s *recordState) appendTo(b []byte) []byte {
	b = append(b, stateFormat)
	b = appendStamp(b, s.Tomb)
	b = binary.AppendUvarint(b, uint64(len(s.Entries)))
	for _, e := range s.Entries {
		b = binary.AppendUvarint(b, uint64(e.Mask))
		b = appendStamp(b, e.Stamp)
		b = binary.AppendUvarint(b, e.Seq)
	}
	return b
}

func decodeState(b []byte) (recordState, error) {
	var s recordState
	if len(b) < 1+24+1 || b[0] != stateFormat {
		return s, errBadState
	}
	s.Tomb = readStamp(b[1:])
	p := 25
	n, w := binary.Uvarint(b[p:])
	if w <= 0 || n > 64 {
		return s, errBadState
	}
	p += w
	for range n {
		m, w := binary.Uvarint(b[p:])
		if w <= 0 || len(b) < p+w+24 {
			return s, errBadState
		}
		p += w
		st := readStamp(b[p:])
		p += 24
		seq, w := binary.Uvarint(b[p:])
		if w <= 0 {
			return s, errBadState
		}
		p += w
		s.Entries = append(s.Entries, stateEntry{Mask: model.GroupMask(m), Stamp: st, Seq: seq})
	}
	return s, nil
}

func appendStamp(b []byte, s store.Stamp) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(s.HLC))
	return append(b, s.Replica[:]...)
}

func readStamp(b []byte) store.Stamp {
	var s store.Stamp
	s.HLC = store.HLC(binary.BigEndian.Uint64(b))
	copy(s.Replica[:], b[8:24])
	return s
}

// merger returns the MergeFunc a push uses: it folds each new op into
// its record's row, stamping changed rows with now.
func merger(now time.Time) MergeFunc {
	return func(ops []StoredOp, rows map[RecordKey]*RecordRow) error {
		f, err := fold(ops, rows)
		if err != nil {
			return err
		}
		f.update(rows, now)
		return nil
	}
}

// folded holds the states of the records a push touched. They, and the
// rows made of them, come from a few allocations, not a few per record:
// a first sync changes a record an op.
type folded struct {
	states []foldedState
	index  map[RecordKey]int
}

type foldedState struct {
	recordState
	changed bool
}

// fold applies ops to the states of their records' rows.
func fold(ops []StoredOp, rows map[RecordKey]*RecordRow) (*folded, error) {
	f := &folded{states: make([]foldedState, 0, len(ops)), index: make(map[RecordKey]int, len(ops))}
	// A new record's first entry.
	entries := make([]stateEntry, len(ops))
	for i := range ops {
		op, err := ops[i].decoded()
		if err != nil {
			return nil, err
		}
		mask, err := op.Mask()
		if err != nil {
			return nil, err
		}
		k := RecordKey{Entity: op.Entity, ID: op.ID}
		j, ok := f.index[k]
		if !ok {
			st := recordState{Entries: entries[i : i : i+1]}
			if row := rows[k]; row != nil {
				if st, err = decodeState(row.State); err != nil {
					return nil, fmt.Errorf("%s %s: %w", k.Entity, k.ID, err)
				}
			}
			j = len(f.states)
			f.states = append(f.states, foldedState{recordState: st})
			f.index[k] = j
		}
		if f.states[j].apply(ops[i].Seq, op, mask) {
			f.states[j].changed = true
		}
	}
	return f, nil
}

// update leaves in rows the rows of the changed states, stamped now.
func (f *folded) update(rows map[RecordKey]*RecordRow, now time.Time) {
	out := make([]RecordRow, 0, len(f.states))
	encoded := make([]byte, 0, 64*len(f.states))
	for k, j := range f.index {
		st := &f.states[j]
		if !st.changed {
			delete(rows, k)
			continue
		}
		n := len(encoded)
		encoded = st.appendTo(encoded)
		out = append(out, RecordRow{Key: k, Alive: st.alive(), Modified: now, State: encoded[n:len(encoded):len(encoded)]})
		rows[k] = &out[len(out)-1]
	}
}

// decoded returns the op, decoding its body when the caller did not
// hand it over decoded.
func (o *StoredOp) decoded() (*protocol.Op, error) {
	if o.Op != nil {
		return o.Op, nil
	}
	var op protocol.Op
	if err := json.Unmarshal(o.Body, &op); err != nil {
		return nil, fmt.Errorf("stored op %d: %w", o.Seq, err)
	}
	return &op, nil
}
