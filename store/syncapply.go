package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// RemoteOp is a write another replica made, as sync received it: the
// field groups it set with their values, or the record's deletion.
type RemoteOp struct {
	Entity model.Entity
	ID     model.ID
	Groups model.GroupMask
	// Value holds the fields of Groups as one JSON object.
	Value   json.RawMessage
	Stamp   Stamp
	Deleted bool
	// UpdatedAt is the record's updated_at at the writer, set when this is
	// the record's latest write there.
	UpdatedAt time.Time
	// Base is how far the writer had pulled the server's feed (0: unknown).
	Base uint64
}

// ApplyStats counts what ApplyRemote did.
type ApplyStats struct {
	Applied   int // ops that changed something here
	Stale     int // ops already here, or older than what is here
	Conflicts int // conflicts kept
}

// ApplyRemote merges ops from other replicas into the file, in order,
// and notes that the server's feed has been read up to serverSeq (0: do
// not note). The caller saves its cursor in the same transaction, so a
// page of ops and the cursor after it are committed together.
//
// Merge rules (docs/sync-protocol.md): each field group takes the value
// with the later stamp. A record exists while its first group (its
// creation) is newer than its latest deletion: a deletion wins over edits
// made without seeing it, and re-creating the record (undo) is a later
// write of every group. Groups of a deleted record written after the
// deletion are kept aside, in case the record comes back. A value that
// loses against a local write the other side had not seen is kept as a
// Conflict. Every change is logged with the remote stamp, so the local
// change log shows it and push does not send it back.
func (tx *Tx) ApplyRemote(ops []RemoteOp, serverSeq uint64) (ApplyStats, error) {
	var st ApplyStats
	for i := range ops {
		if err := tx.applyRemote(&ops[i], &st); err != nil {
			return st, fmt.Errorf("apply the %s %s from %s: %w", ops[i].Entity, ops[i].ID, ops[i].Stamp.Replica, err)
		}
	}
	if serverSeq > 0 {
		if err := tx.noteSeen(serverSeq); err != nil {
			return st, err
		}
	}
	return st, nil
}

func (tx *Tx) applyRemote(op *RemoteOp, st *ApplyStats) error {
	if op.Stamp.HLC == 0 {
		return fmt.Errorf("op without a clock reading")
	}
	if op.Groups&^model.AllGroups(op.Entity) != 0 {
		return fmt.Errorf("op names field groups %s does not have", op.Entity)
	}
	t, err := syncTableOf(op.Entity)
	if err != nil {
		return err
	}
	tx.Observe(op.Stamp.HLC)
	return t.applyOp(tx, op, st)
}

// syncTable is what sync does with a table, whatever its record type.
type syncTable interface {
	applyOp(tx *Tx, op *RemoteOp, res *ApplyStats) error
	stampedRecord(tx *Tx, id model.ID) (any, Stamps, bool, error)
	decodeStamped(id model.ID, v []byte) (any, Stamps, error)
	restamp(tx *Tx, id model.ID, future func(Stamp) bool) (bool, error)
}

func syncTableOf(e model.Entity) (syncTable, error) {
	switch e {
	case model.EntityContact:
		return contacts, nil
	case model.EntityCompany:
		return companies, nil
	case model.EntityDeal:
		return deals, nil
	case model.EntityTask:
		return tasks, nil
	case model.EntityActivity:
		return activities, nil
	}
	return nil, fmt.Errorf("unknown entity %d", e)
}

// applier applies one op to one record of table t.
type applier[T any] struct {
	tx  *Tx
	t   *table[T]
	op  *RemoteOp
	res *ApplyStats
}

func (t *table[T]) applyOp(tx *Tx, op *RemoteOp, res *ApplyStats) error {
	rec, stamps, alive, err := t.getStamped(tx, op.ID)
	if err != nil {
		return err
	}
	a := applier[T]{tx: tx, t: t, op: op, res: res}
	switch {
	case op.Deleted && alive:
		return a.deleteLive(&rec, stamps)
	case op.Deleted:
		return a.deleteAbsent()
	case alive:
		return a.edit(&rec, stamps)
	}
	return a.editAbsent()
}

// fromOther reports whether the op was made by another replica (own ops
// come back from the server after a restore, and are never conflicts).
func (a *applier[T]) fromOther() bool { return a.op.Stamp.Replica != a.tx.s.replica }

func (a *applier[T]) local(s Stamp) bool { return s.Replica == a.tx.s.replica }

func (a *applier[T]) edit(rec *T, st Stamps) error {
	e := a.t.entity
	var win, lose model.GroupMask
	for g := range model.Groups(e) {
		bit := model.GroupMask(1) << g
		if a.op.Groups&bit == 0 {
			continue
		}
		switch a.op.Stamp.Compare(st.Of(g)) {
		case 1:
			win |= bit
		case -1:
			lose |= bit
		}
	}
	if a.fromOther() {
		for g := range model.Groups(e) {
			bit := model.GroupMask(1) << g
			cur := st.Of(g)
			switch {
			case lose&bit != 0 && a.local(cur):
				// The other writer had not seen this value, or its
				// clock would be past it.
				if err := a.groupConflict(rec, g, cur, "local"); err != nil {
					return err
				}
			case win&bit != 0 && a.local(cur) && !a.tx.seenBy(cur, a.op.Base):
				if err := a.groupConflict(rec, g, cur, "remote"); err != nil {
					return err
				}
			}
		}
	}
	if win == 0 {
		a.res.Stale++
		return nil
	}
	old := *rec
	oldIx := a.t.indexes(a.tx, &old)
	if err := applyGroups(e, rec, win, a.op.Value); err != nil {
		return err
	}
	*a.t.idOf(rec) = a.op.ID
	latest := st.Latest()
	st = st.Set(win, a.op.Stamp)
	if a.op.Stamp.Compare(latest) > 0 {
		a.setUpdated(rec, a.op.UpdatedAt, a.op.Stamp)
	}
	if err := a.t.write(a.tx, a.op.ID, rec, st, oldIx, a.change(win, false)); err != nil {
		return err
	}
	a.res.Applied++
	if err := a.afterWrite(&old, rec); err != nil {
		return err
	}
	return a.tx.checkLinks(rec)
}

func (a *applier[T]) change(groups model.GroupMask, deleted bool) Change {
	return Change{Entity: a.t.entity, ID: a.op.ID, Groups: groups, Stamp: a.op.Stamp, Deleted: deleted}
}

// setUpdated gives rec the updated_at of its latest write.
func (a *applier[T]) setUpdated(rec *T, at time.Time, s Stamp) {
	if _, upd := a.t.times(rec); upd != nil {
		if at.IsZero() {
			at = s.HLC.Time()
		}
		*upd = at.UTC()
	}
}

// afterWrite keeps derived index entries of other records in step: a
// company's name is part of its contacts' search entries. old is nil for
// a record that did not exist here (contacts may link to it already: they
// can arrive first).
func (a *applier[T]) afterWrite(old, cur *T) error {
	co, ok := any(cur).(*model.Company)
	if !ok {
		return nil
	}
	if old != nil && any(old).(*model.Company).Name == co.Name {
		return nil
	}
	return a.tx.refreshCompanyContacts(co.ID)
}

// refreshCompanyContacts rewrites the search entries of a company's
// contacts after the company's name changed or it was deleted, as
// PutCompany does.
func (tx *Tx) refreshCompanyContacts(id model.ID) error {
	tx.forgetCompanyHaystack(id)
	for _, cid := range tx.linked(ixCompanyContacts, id) {
		ct, err := contacts.get(tx, cid)
		if err != nil {
			return err
		}
		if err := tx.reindex(nil, contactIndexes(tx, &ct)); err != nil {
			return err
		}
	}
	return nil
}

func (a *applier[T]) groupConflict(rec *T, g int, localStamp Stamp, kept string) error {
	e := a.t.entity
	lv, err := GroupValues(e, rec, 1<<g)
	if err != nil {
		return err
	}
	rv, err := groupMembers(e, a.op.Value, 1<<g)
	if err != nil {
		return err
	}
	return a.keep(Conflict{
		Entity: e, ID: a.op.ID, Group: model.Groups(e)[g].Name,
		Local: lv, Remote: rv, LocalStamp: localStamp, RemoteStamp: a.op.Stamp, Kept: kept,
	})
}

// keep records a conflict, counting it when it is new.
func (a *applier[T]) keep(c Conflict) error {
	added, err := a.tx.recordConflict(c)
	if added {
		a.res.Conflicts++
	}
	return err
}

// deleteLive applies a deletion to a record that exists here.
func (a *applier[T]) deleteLive(rec *T, st Stamps) error {
	e := a.t.entity
	if created := st.Of(0); created.Compare(a.op.Stamp) > 0 {
		// Re-created after this deletion: the deletion is history.
		a.res.Stale++
		if a.fromOther() && a.local(created) {
			return a.deletionConflict(rec, model.AllGroups(e), created, "local")
		}
		return nil
	}
	if a.fromOther() {
		var lost model.GroupMask
		var newest Stamp
		for g := range model.Groups(e) {
			if s := st.Of(g); a.local(s) && !a.tx.seenBy(s, a.op.Base) {
				lost |= 1 << g
				if s.Compare(newest) > 0 {
					newest = s
				}
			}
		}
		if lost != 0 {
			if err := a.deletionConflict(rec, lost, newest, "remote"); err != nil {
				return err
			}
		}
	}
	// Groups written after the deletion outlive the record.
	var orph orphan
	for g := range model.Groups(e) {
		if s := st.Of(g); s.Compare(a.op.Stamp) > 0 {
			v, err := GroupValues(e, rec, 1<<g)
			if err != nil {
				return err
			}
			orph = orph.set(g, orphanGroup{HLC: s.HLC, Replica: s.Replica, Value: v})
		}
	}
	if err := a.tx.putOrphan(e, a.op.ID, orph); err != nil {
		return err
	}
	if err := a.tx.btx.Bucket(a.t.bucket).Delete(a.op.ID[:]); err != nil {
		return err
	}
	if err := a.tx.reindex(a.t.indexes(a.tx, rec), nil); err != nil {
		return err
	}
	if err := a.putTombstone(); err != nil {
		return err
	}
	if err := a.tx.logChange(a.change(model.AllGroups(e), true)); err != nil {
		return err
	}
	a.res.Applied++
	if e == model.EntityCompany {
		if err := a.tx.refreshCompanyContacts(a.op.ID); err != nil {
			return err
		}
	}
	return a.tx.queueRepair(repairDeleted, e, a.op.ID)
}

// deletionConflict keeps a conflict over the whole record: a deletion
// against edits. The local side is the groups in mask.
func (a *applier[T]) deletionConflict(rec *T, mask model.GroupMask, localStamp Stamp, kept string) error {
	lv, err := GroupValues(a.t.entity, rec, mask)
	if err != nil {
		return err
	}
	return a.keep(Conflict{
		Entity: a.t.entity, ID: a.op.ID, Local: lv, Remote: json.RawMessage("null"),
		LocalStamp: localStamp, RemoteStamp: a.op.Stamp, Kept: kept,
	})
}

func (a *applier[T]) putTombstone() error {
	return a.tx.btx.Bucket(bTombstones).Put(tombKey(a.t.entity, a.op.ID), a.op.Stamp.append(nil))
}

// deleteAbsent applies a deletion of a record that does not exist here.
func (a *applier[T]) deleteAbsent() error {
	e := a.t.entity
	if tomb, dead := a.tx.Tombstone(e, a.op.ID); dead && tomb.Compare(a.op.Stamp) >= 0 {
		a.res.Stale++
		return nil
	}
	if err := a.putTombstone(); err != nil {
		return err
	}
	orph, err := a.tx.getOrphan(e, a.op.ID)
	if err != nil {
		return err
	}
	for g, og := range orph {
		if og.stamp().Compare(a.op.Stamp) <= 0 {
			delete(orph, g)
		}
	}
	a.res.Applied++
	return a.tx.putOrphan(e, a.op.ID, orph)
}

// editAbsent applies an edit to a record that does not exist here: it
// was deleted, or its creation has not arrived. The groups are kept
// aside; the record is created once its first group is newer than its
// deletion.
func (a *applier[T]) editAbsent() error {
	e := a.t.entity
	tomb, dead := a.tx.Tombstone(e, a.op.ID)
	orph, err := a.tx.getOrphan(e, a.op.ID)
	if err != nil {
		return err
	}
	if !dead && len(orph) == 0 && a.op.Groups&1 != 0 {
		return a.create()
	}
	var took model.GroupMask
	for g := range model.Groups(e) {
		bit := model.GroupMask(1) << g
		if a.op.Groups&bit == 0 || a.op.Stamp.Compare(tomb) <= 0 || a.op.Stamp.Compare(orph[g].stamp()) <= 0 {
			continue
		}
		v, err := groupMembers(e, a.op.Value, bit)
		if err != nil {
			return err
		}
		orph = orph.set(g, orphanGroup{HLC: a.op.Stamp.HLC, Replica: a.op.Stamp.Replica, Value: v, UpdatedAt: a.op.UpdatedAt})
		took |= bit
	}
	if first, ok := orph[0]; ok && first.stamp().Compare(tomb) > 0 {
		return a.revive(orph)
	}
	if dead && a.fromOther() && a.local(tomb) {
		if err := a.keep(Conflict{
			Entity: e, ID: a.op.ID, Local: json.RawMessage("null"), Remote: a.op.Value,
			LocalStamp: tomb, RemoteStamp: a.op.Stamp, Kept: "local",
		}); err != nil {
			return err
		}
	}
	if took == 0 {
		a.res.Stale++
		return nil
	}
	a.res.Applied++
	return a.tx.putOrphan(e, a.op.ID, orph)
}

// create makes a record first heard of from this op.
func (a *applier[T]) create() error {
	var rec T
	if err := json.Unmarshal(a.op.Value, &rec); err != nil {
		return fmt.Errorf("%s value: %w", a.t.entity, err)
	}
	*a.t.idOf(&rec) = a.op.ID
	a.setUpdated(&rec, a.op.UpdatedAt, a.op.Stamp)
	st := Stamps{}.Set(a.op.Groups, a.op.Stamp)
	if err := a.t.write(a.tx, a.op.ID, &rec, st, nil, a.change(a.op.Groups, false)); err != nil {
		return err
	}
	a.res.Applied++
	if err := a.afterWrite(nil, &rec); err != nil {
		return err
	}
	return a.tx.checkLinks(&rec)
}

// revive creates the record from the groups kept aside.
func (a *applier[T]) revive(orph orphan) error {
	all := map[string]json.RawMessage{}
	var st Stamps
	var mask model.GroupMask
	var latest orphanGroup
	for g, og := range orph {
		var members map[string]json.RawMessage
		if err := json.Unmarshal(og.Value, &members); err != nil {
			return err
		}
		for k, v := range members {
			all[k] = v
		}
		st = st.Set(1<<g, og.stamp())
		mask |= 1 << g
		if og.stamp().Compare(latest.stamp()) > 0 {
			latest = og
		}
	}
	b, err := json.Marshal(all)
	if err != nil {
		return err
	}
	var rec T
	if err := json.Unmarshal(b, &rec); err != nil {
		return fmt.Errorf("%s value: %w", a.t.entity, err)
	}
	*a.t.idOf(&rec) = a.op.ID
	a.setUpdated(&rec, latest.UpdatedAt, latest.stamp())
	if err := a.t.write(a.tx, a.op.ID, &rec, st, nil, a.change(mask, false)); err != nil {
		return err
	}
	if err := a.tx.putOrphan(a.t.entity, a.op.ID, nil); err != nil {
		return err
	}
	a.res.Applied++
	if err := a.afterWrite(nil, &rec); err != nil {
		return err
	}
	return a.tx.checkLinks(&rec)
}

// orphan holds, by group index, field groups received for a record that
// does not exist here.
type orphan map[int]orphanGroup

type orphanGroup struct {
	HLC       HLC             `json:"hlc,string"`
	Replica   Replica         `json:"replica"`
	Value     json.RawMessage `json:"value"`
	UpdatedAt time.Time       `json:"updated_at,omitzero"`
}

func (og orphanGroup) stamp() Stamp { return Stamp{HLC: og.HLC, Replica: og.Replica} }

func (o orphan) set(g int, og orphanGroup) orphan {
	if o == nil {
		o = orphan{}
	}
	o[g] = og
	return o
}

func (tx *Tx) getOrphan(e model.Entity, id model.ID) (orphan, error) {
	b := tx.btx.Bucket(bOrphans)
	if b == nil {
		return nil, nil
	}
	v := b.Get(tombKey(e, id))
	if v == nil {
		return nil, nil
	}
	var o orphan
	if err := json.Unmarshal(v, &o); err != nil {
		return nil, fmt.Errorf("read the groups kept for %s %s: %w", e, id, err)
	}
	return o, nil
}

// putOrphan stores o, or removes the entry when o is empty.
func (tx *Tx) putOrphan(e model.Entity, id model.ID, o orphan) error {
	if len(o) == 0 {
		if b := tx.btx.Bucket(bOrphans); b != nil {
			return b.Delete(tombKey(e, id))
		}
		return nil
	}
	b, err := tx.syncBucket(bOrphans)
	if err != nil {
		return err
	}
	v, err := json.Marshal(o)
	if err != nil {
		return err
	}
	return b.Put(tombKey(e, id), v)
}
