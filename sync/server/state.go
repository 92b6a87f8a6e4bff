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

func (s *recordState) encode() []byte {
	b := make([]byte, 0, 32+len(s.Entries)*40)
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
		states := make(map[RecordKey]*recordState, len(rows))
		changed := make(map[RecordKey]bool, len(ops))
		for i := range ops {
			op, err := ops[i].decoded()
			if err != nil {
				return err
			}
			mask, err := op.Mask()
			if err != nil {
				return err
			}
			k := RecordKey{Entity: op.Entity, ID: op.ID}
			st := states[k]
			if st == nil {
				st = &recordState{}
				if row := rows[k]; row != nil {
					if *st, err = decodeState(row.State); err != nil {
						return fmt.Errorf("%s %s: %w", k.Entity, k.ID, err)
					}
				}
				states[k] = st
			}
			if st.apply(ops[i].Seq, op, mask) {
				changed[k] = true
			}
		}
		for k := range rows {
			if !changed[k] {
				delete(rows, k)
			}
		}
		for k := range changed {
			st := states[k]
			rows[k] = &RecordRow{Key: k, Alive: st.alive(), Modified: now, State: st.encode()}
		}
		return nil
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
