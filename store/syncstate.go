package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rolo-crm/rolo/model"
)

// Sync keeps its own state next to the records: the sync state in the
// meta bucket, and buckets created on first use (older files and files
// that never synced do not have them).
var (
	mSyncState = []byte("sync_state")

	// bConflicts: entity, id, group, remote stamp, local stamp -> Conflict
	// (JSON). The key makes recording the same conflict twice a no-op.
	bConflicts = []byte("sync_conflicts")
	// bOrphans: entity, id -> the field groups received for a record that
	// does not exist here (deleted, or not yet created), kept in case it is
	// re-created (JSON).
	bOrphans = []byte("sync_orphans")
	// bRepairs: kind, entity, id -> empty: links to check once a pull
	// ends (repair.go).
	bRepairs = []byte("sync_repairs")
	// bSeen: change-log seq -> server seq: after the pull page that ended
	// at that change-log entry, the server's feed had been read up to
	// server seq. A local write knows what was pulled before it.
	bSeen = []byte("sync_seen")
	// bPushed: HLC -> server seq: the local writes with clocks up to HLC
	// were stored by the server at sequence numbers up to server seq.
	bPushed = []byte("sync_pushed")
)

// SyncState is where this database stands with its team server.
type SyncState struct {
	// Server is the URL the rest of the state belongs to.
	Server string `json:"server,omitempty"`
	// Epoch is the server's epoch that Cursor belongs to.
	Epoch string `json:"epoch,omitempty"`
	// Cursor is the position in the server's change feed pulled up to.
	Cursor string `json:"cursor,omitempty"`
	// PushedSeq is the change-log entry up to which local writes are on
	// the server.
	PushedSeq uint64 `json:"pushed_seq,omitempty"`
	// FullPush says the whole local state must be pushed (a first sync,
	// or the server lost data), resuming at FullPushFrom. FullPushUpto is
	// the change-log entry the whole state read covers: later writes are
	// pushed from the change log once the whole state is on the server.
	FullPush     bool   `json:"full_push,omitempty"`
	FullPushFrom []byte `json:"full_push_from,omitempty"`
	FullPushUpto uint64 `json:"full_push_upto,omitempty"`
	// LastSync is when the last sync finished.
	LastSync time.Time `json:"last_sync,omitzero"`
	// MaxRemote is the latest clock reading received from others.
	MaxRemote HLC `json:"max_remote,omitempty"`
}

// SyncState returns the stored sync state (zero before the first sync).
func (tx *Tx) SyncState() (SyncState, error) {
	var s SyncState
	v := tx.btx.Bucket(bMeta).Get(mSyncState)
	if v == nil {
		return s, nil
	}
	if err := json.Unmarshal(v, &s); err != nil {
		return s, fmt.Errorf("read the sync state: %w", err)
	}
	return s, nil
}

// SetSyncState stores the sync state.
func (tx *Tx) SetSyncState(s SyncState) error {
	v, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return tx.btx.Bucket(bMeta).Put(mSyncState, v)
}

// ForgetServer clears what the file remembers of a server's feed: the
// cursor's companions (what was seen and pushed when). Called when the
// server's epoch changes or another server is used.
func (tx *Tx) ForgetServer() error {
	for _, name := range [][]byte{bSeen, bPushed} {
		if tx.btx.Bucket(name) == nil {
			continue
		}
		if err := tx.btx.DeleteBucket(name); err != nil {
			return err
		}
	}
	return nil
}

// syncBucket returns a sync bucket, creating it in a write transaction; nil
// when it does not exist in a read-only one.
func (tx *Tx) syncBucket(name []byte) (*bolt.Bucket, error) {
	if b := tx.btx.Bucket(name); b != nil || !tx.btx.Writable() {
		return b, nil
	}
	return tx.btx.CreateBucketIfNotExists(name)
}

func beUint64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// noteSeen records that the server's feed was read up to serverSeq as of
// the current end of the change log.
func (tx *Tx) noteSeen(serverSeq uint64) error {
	b, err := tx.syncBucket(bSeen)
	if err != nil {
		return err
	}
	return b.Put(beUint64(tx.LastSeq()), beUint64(serverSeq))
}

// seenBefore returns how far the server's feed had been pulled when the
// change-log entry seq was written.
func (tx *Tx) seenBefore(seq uint64) uint64 {
	b := tx.btx.Bucket(bSeen)
	if b == nil {
		return 0
	}
	c := b.Cursor()
	var k, v []byte
	if k, _ = c.Seek(beUint64(seq)); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || binary.BigEndian.Uint64(k) >= seq {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// NotePushed records that the server stored every local write with a
// clock up to h at sequence numbers up to serverSeq.
func (tx *Tx) NotePushed(h HLC, serverSeq uint64) error {
	b, err := tx.syncBucket(bPushed)
	if err != nil {
		return err
	}
	return b.Put(beUint64(uint64(h)), beUint64(serverSeq))
}

// pushedBy returns an upper bound of the server sequence number the local
// write stamped h was stored at; false when it is not on the server.
func (tx *Tx) pushedBy(h HLC) (uint64, bool) {
	b := tx.btx.Bucket(bPushed)
	if b == nil {
		return 0, false
	}
	k, v := b.Cursor().Seek(beUint64(uint64(h)))
	if k == nil {
		return 0, false
	}
	return binary.BigEndian.Uint64(v), true
}

// seenBy reports whether a writer that had pulled the server's feed up to
// base knew the local write stamped s.
func (tx *Tx) seenBy(s Stamp, base uint64) bool {
	seq, ok := tx.pushedBy(s.HLC)
	return ok && seq <= base
}

// PruneSyncMarks drops the bookkeeping no pending write needs: the marks
// of pulls before the change-log entry pushed.
func (tx *Tx) PruneSyncMarks(pushed uint64) error {
	b := tx.btx.Bucket(bSeen)
	if b == nil {
		return nil
	}
	var old [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) < pushed; k, _ = c.Next() {
		old = append(old, slices.Clone(k))
	}
	if len(old) > 0 {
		old = old[:len(old)-1] // the last one before pushed still speaks for later writes
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// PendingCount counts the local writes logged after the change-log entry
// seq: what the next sync will push.
func (tx *Tx) PendingCount(after uint64) (int, error) {
	n := 0
	c := tx.btx.Bucket(bChanges).Cursor()
	for k, v := c.Seek(seqKey(after + 1)); k != nil; k, v = c.Next() {
		ch, err := decodeChange(k, v)
		if err != nil {
			return n, err
		}
		if ch.Stamp.Replica == tx.s.replica {
			n++
		}
	}
	return n, nil
}

// Conflict is a value sync overwrote or refused: two replicas wrote the
// same field group (or one deleted the record) without seeing each
// other's write. The later write won; the other is kept here.
type Conflict struct {
	Entity model.Entity `json:"entity"`
	ID     model.ID     `json:"id"`
	// Group is the field group, or "" when the conflict is over the whole
	// record (a deletion against edits).
	Group string `json:"group"`
	// Local and Remote are the two values (the group's fields as JSON;
	// null for a deletion).
	Local       json.RawMessage `json:"local"`
	Remote      json.RawMessage `json:"remote"`
	LocalStamp  Stamp           `json:"-"`
	RemoteStamp Stamp           `json:"-"`
	// Kept is "local" or "remote": the value the record has now.
	Kept string `json:"kept"`
	// At is when sync found the conflict.
	At time.Time `json:"at"`
}

// MarshalJSON writes the conflict with its stamps.
func (c Conflict) MarshalJSON() ([]byte, error) {
	type plain Conflict
	return json.Marshal(struct {
		plain
		LocalHLC      HLC     `json:"local_hlc,string"`
		LocalReplica  Replica `json:"local_replica"`
		RemoteHLC     HLC     `json:"remote_hlc,string"`
		RemoteReplica Replica `json:"remote_replica"`
	}{plain(c), c.LocalStamp.HLC, c.LocalStamp.Replica, c.RemoteStamp.HLC, c.RemoteStamp.Replica})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *Conflict) UnmarshalJSON(b []byte) error {
	type plain Conflict
	var j struct {
		plain
		LocalHLC      HLC     `json:"local_hlc,string"`
		LocalReplica  Replica `json:"local_replica"`
		RemoteHLC     HLC     `json:"remote_hlc,string"`
		RemoteReplica Replica `json:"remote_replica"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*c = Conflict(j.plain)
	c.LocalStamp = Stamp{HLC: j.LocalHLC, Replica: j.LocalReplica}
	c.RemoteStamp = Stamp{HLC: j.RemoteHLC, Replica: j.RemoteReplica}
	return nil
}

// recordConflict keeps c, unless it is kept already; it reports whether
// it is new.
func (tx *Tx) recordConflict(c Conflict) (bool, error) {
	b, err := tx.syncBucket(bConflicts)
	if err != nil {
		return false, err
	}
	g := byte(0xff)
	if i := model.GroupIndex(c.Entity, c.Group); i >= 0 {
		g = byte(i)
	}
	k := make([]byte, 0, 1+16+1+2*stampSize)
	k = append(append(append(k, byte(c.Entity)), c.ID[:]...), g)
	k = c.LocalStamp.append(c.RemoteStamp.append(k))
	if b.Get(k) != nil {
		return false, nil
	}
	c.At = tx.now
	v, err := json.Marshal(c)
	if err != nil {
		return false, err
	}
	return true, b.Put(k, v)
}

// Conflicts returns the conflicts sync kept, newest first.
func (tx *Tx) Conflicts() ([]Conflict, error) {
	b := tx.btx.Bucket(bConflicts)
	if b == nil {
		return []Conflict{}, nil
	}
	out := []Conflict{}
	err := b.ForEach(func(_, v []byte) error {
		var c Conflict
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("read a sync conflict: %w", err)
		}
		out = append(out, c)
		return nil
	})
	slices.SortStableFunc(out, func(a, b Conflict) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	return out, err
}

// LocalText and RemoteText show the conflict's two values compactly for
// people: the fields' values, without their keys when the group has one
// field; deleted stands for a deletion.
func (c Conflict) LocalText(deleted string) string  { return valueText(deleted, c.Local) }
func (c Conflict) RemoteText(deleted string) string { return valueText(deleted, c.Remote) }

func valueText(deleted string, v json.RawMessage) string {
	if len(v) == 0 || string(v) == "null" {
		return deleted
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(v, &m); err != nil || len(m) == 0 {
		return string(v)
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if string(m[k]) == "null" || string(m[k]) == `""` || string(m[k]) == "[]" {
			continue
		}
		val := string(m[k])
		var s string
		if json.Unmarshal(m[k], &s) == nil {
			val = s
		}
		if len(m) == 1 {
			return val
		}
		parts = append(parts, k+"="+val)
	}
	if len(parts) == 0 {
		return "∅"
	}
	return strings.Join(parts, " ")
}

// CountConflicts returns the number of kept conflicts.
func (tx *Tx) CountConflicts() int {
	if b := tx.btx.Bucket(bConflicts); b != nil {
		return b.Stats().KeyN
	}
	return 0
}

// ClearConflicts forgets every kept conflict and returns how many there
// were.
func (tx *Tx) ClearConflicts() (int, error) {
	n := tx.CountConflicts()
	if n == 0 {
		return 0, nil
	}
	return n, tx.btx.DeleteBucket(bConflicts)
}
