package store

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
)

var (
	remoteA = Replica{0xaa}
	remoteB = Replica{0xbb}
)

// remoteOp makes the op another replica sends for groups of rec.
func remoteOp(t *testing.T, e model.Entity, rec any, id model.ID, mask model.GroupMask, s Stamp) RemoteOp {
	t.Helper()
	v, err := GroupValues(e, rec, mask)
	if err != nil {
		t.Fatal(err)
	}
	return RemoteOp{Entity: e, ID: id, Groups: mask, Value: v, Stamp: s}
}

func applyOps(t *testing.T, s *Store, ops ...RemoteOp) ApplyStats {
	t.Helper()
	var st ApplyStats
	update(t, s, func(tx *Tx) (err error) {
		st, err = tx.ApplyRemote(ops, 0)
		return err
	})
	return st
}

func remoteStampAt(d time.Duration, r Replica) Stamp {
	return Stamp{HLC: MakeHLC(t0.Add(d)), Replica: r}
}

func TestApplyRemoteLastWriterWins(t *testing.T) {
	s, _ := openTest(t)
	id := model.NewID(t0)
	c := model.Contact{Name: "Maria", Title: "CTO", CreatedAt: t0, UpdatedAt: t0}
	all := model.AllGroups(model.EntityContact)
	title := groupMask(model.EntityContact, "title")
	if st := applyOps(t, s, remoteOp(t, model.EntityContact, &c, id, all, remoteStampAt(time.Second, remoteA))); st.Applied != 1 {
		t.Fatalf("create: %+v", st)
	}
	older := c
	older.Title = "older"
	newer := c
	newer.Title = "newer"
	tieLow := c
	tieLow.Title = "tie, lower replica"
	st := applyOps(t, s,
		remoteOp(t, model.EntityContact, &older, id, title, remoteStampAt(0, remoteB)),
		remoteOp(t, model.EntityContact, &newer, id, title, remoteStampAt(2*time.Second, remoteA)),
		remoteOp(t, model.EntityContact, &tieLow, id, title, Stamp{HLC: MakeHLC(t0.Add(2 * time.Second)), Replica: Replica{0x01}}),
	)
	if st.Applied != 1 || st.Stale != 2 || st.Conflicts != 0 {
		t.Fatalf("stats %+v", st)
	}
	view(t, s, func(tx *Tx) error {
		got, err := tx.Contact(id)
		if err != nil {
			return err
		}
		if got.Title != "newer" || got.Name != "Maria" {
			t.Fatalf("contact %+v", got)
		}
		// Remote writes are logged with the remote stamp, so push skips them.
		ops, _, err := tx.PendingOps(0, 0)
		if len(ops) != 0 {
			t.Fatalf("remote writes would be pushed back: %+v", ops)
		}
		return err
	})
	mustCheck(t, s)
}

func TestPendingOpsSendCurrentValues(t *testing.T) {
	s, clock := openTest(t)
	c := putContact(t, s, model.Contact{Name: "Maria"})
	clock.Advance(time.Second)
	c.Title = "CTO"
	update(t, s, func(tx *Tx) error { return tx.PutContact(&c) })
	clock.Advance(time.Second)
	update(t, s, func(tx *Tx) error { _, err := tx.DeleteContact(c.ID); return err })
	var ops []OutOp
	view(t, s, func(tx *Tx) (err error) {
		ops, _, err = tx.PendingOps(0, 0)
		return err
	})
	// The record is gone: only its deletion is sent.
	if len(ops) != 1 || !ops[0].Deleted {
		t.Fatalf("ops %+v", ops)
	}

	after := lastSeq(t, s)
	d := putContact(t, s, model.Contact{Name: "Wang"})
	clock.Advance(time.Second)
	d.Title = "Buyer"
	update(t, s, func(tx *Tx) error { return tx.PutContact(&d) })
	var last uint64
	view(t, s, func(tx *Tx) (err error) {
		ops, last, err = tx.PendingOps(after, 0)
		return err
	})
	title := groupMask(model.EntityContact, "title")
	if len(ops) != 2 || ops[0].Groups&title != 0 || ops[1].Groups != title || last != lastSeq(t, s) {
		t.Fatalf("ops %+v", ops)
	}
	if !ops[0].UpdatedAt.IsZero() || ops[1].UpdatedAt.IsZero() {
		t.Fatal("updated_at goes with the record's latest write only")
	}
}

// TestDeletionAndRevival: a deletion wins over a concurrent edit, which is
// kept aside; re-creating the record (a later write of every group) brings
// it back with the kept edit where that edit is newer.
func TestDeletionAndRevival(t *testing.T) {
	s, _ := openTest(t)
	id := model.NewID(t0)
	all := model.AllGroups(model.EntityContact)
	title := groupMask(model.EntityContact, "title")
	base := model.Contact{Name: "Maria", CreatedAt: t0}
	edited := base
	edited.Title = "edited after the delete, by the clock"
	revived := base
	revived.Name = "Maria (restored)"
	applyOps(t, s, remoteOp(t, model.EntityContact, &base, id, all, remoteStampAt(time.Second, remoteA)))
	applyOps(t, s, remoteOp(t, model.EntityContact, &edited, id, title, remoteStampAt(5*time.Second, remoteB)))
	del := RemoteOp{Entity: model.EntityContact, ID: id, Stamp: remoteStampAt(3*time.Second, remoteA), Deleted: true}
	if st := applyOps(t, s, del); st.Applied != 1 {
		t.Fatalf("delete: %+v", st)
	}
	view(t, s, func(tx *Tx) error {
		if _, err := tx.Contact(id); err == nil {
			t.Fatal("the deletion lost to an edit")
		}
		return nil
	})
	// Replaying the deletion changes nothing; an edit older than it is
	// dropped.
	if st := applyOps(t, s, del, remoteOp(t, model.EntityContact, &edited, id, title, remoteStampAt(2*time.Second, remoteB))); st.Applied != 0 {
		t.Fatalf("replay: %+v", st)
	}
	revival := remoteOp(t, model.EntityContact, &revived, id, all, remoteStampAt(4*time.Second, remoteA))
	applyOps(t, s, revival)
	view(t, s, func(tx *Tx) error {
		got, err := tx.Contact(id)
		if err != nil {
			t.Fatal("the re-created record did not come back")
		}
		if got.Name != "Maria (restored)" || got.Title != edited.Title {
			t.Fatalf("revived %+v", got)
		}
		if _, dead := tx.Tombstone(model.EntityContact, id); dead {
			t.Fatal("the tombstone outlived the re-creation")
		}
		return nil
	})
	mustCheck(t, s)
}

func TestConflicts(t *testing.T) {
	s, clock := openTest(t)
	c := putContact(t, s, model.Contact{Name: "Maria"})
	title := groupMask(model.EntityContact, "title")
	clock.Advance(time.Second)
	c.Title = "mine"
	update(t, s, func(tx *Tx) error { return tx.PutContact(&c) })
	theirs := c
	theirs.Title = "theirs"
	later := remoteOp(t, model.EntityContact, &theirs, c.ID, title, remoteStampAt(time.Hour, remoteA))
	earlier := remoteOp(t, model.EntityContact, &theirs, c.ID, title, remoteStampAt(-time.Hour, remoteB))
	// The earlier value loses against mine (kept once, however often it
	// comes); the later one overwrites mine, which nobody had seen.
	if st := applyOps(t, s, earlier, earlier, later, later); st.Conflicts != 2 {
		t.Fatalf("stats %+v", st)
	}
	var cs []Conflict
	view(t, s, func(tx *Tx) (err error) {
		cs, err = tx.Conflicts()
		return err
	})
	if len(cs) != 2 {
		t.Fatalf("conflicts %+v", cs)
	}
	kept := map[string]Conflict{}
	for _, c := range cs {
		kept[c.Kept] = c
	}
	var v struct{ Title string }
	json.Unmarshal(kept["local"].Remote, &v)
	if kept["local"].Group != "title" || v.Title != "theirs" || kept["local"].RemoteStamp.Replica != remoteB {
		t.Fatalf("the refused value: %+v", kept["local"])
	}
	json.Unmarshal(kept["remote"].Local, &v)
	if v.Title != "mine" || kept["remote"].RemoteStamp.Replica != remoteA {
		t.Fatalf("the overwritten value: %+v", kept["remote"])
	}
	b, _ := json.Marshal(cs[0])
	var back Conflict
	if err := json.Unmarshal(b, &back); err != nil || back.LocalStamp != cs[0].LocalStamp || back.RemoteStamp != cs[0].RemoteStamp {
		t.Fatalf("conflict JSON round trip: %s", b)
	}
	var n int
	update(t, s, func(tx *Tx) (err error) { n, err = tx.ClearConflicts(); return err })
	if n != 2 {
		t.Fatalf("cleared %d", n)
	}
}

func TestRepairLinks(t *testing.T) {
	s, _ := openTest(t)
	c := putContact(t, s, model.Contact{Name: "Maria"})
	task := putTask(t, s, model.Task{Title: "call", ContactID: c.ID})
	deal := putDeal(t, s, model.Deal{Title: "ERP", ContactID: c.ID})
	applyOps(t, s, RemoteOp{Entity: model.EntityContact, ID: c.ID, Stamp: remoteStampAt(time.Hour, remoteA), Deleted: true})
	var n int
	update(t, s, func(tx *Tx) (err error) { n, err = tx.RepairLinks(); return err })
	if n != 2 {
		t.Fatalf("repaired %d records, want 2", n)
	}
	view(t, s, func(tx *Tx) error {
		if _, err := tx.Task(task.ID); err == nil {
			t.Error("the deleted contact's follow-up is still there")
		}
		d, err := tx.Deal(deal.ID)
		if err != nil || !d.ContactID.IsZero() {
			t.Errorf("the deal: %+v, %v", d, err)
		}
		if tx.PendingRepairs() {
			t.Error("repairs are still queued")
		}
		return nil
	})
	mustCheck(t, s)
}

func TestFullStatePaging(t *testing.T) {
	s, _ := openTest(t)
	want := map[model.ID]bool{}
	for range 23 {
		want[putContact(t, s, model.Contact{Name: "x"}).ID] = true
	}
	co := putCompany(t, s, model.Company{Name: "Acme"})
	want[co.ID] = true
	gone := putContact(t, s, model.Contact{Name: "gone"})
	update(t, s, func(tx *Tx) error { _, err := tx.DeleteContact(gone.ID); return err })
	got := map[model.ID]int{}
	deletions := 0
	var from []byte
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatal("paging does not end")
		}
		var ops []OutOp
		view(t, s, func(tx *Tx) (err error) {
			ops, from, err = tx.FullState(from, 5)
			return err
		})
		for _, op := range ops {
			if op.Deleted {
				deletions++
				continue
			}
			got[op.ID]++
		}
		if from == nil {
			break
		}
	}
	if len(got) != len(want) || deletions != 1 {
		t.Fatalf("%d records and %d deletions, want %d and 1", len(got), deletions, len(want))
	}
	for id, n := range got {
		if n != 1 || !want[id] {
			t.Fatalf("record %s sent %d times", id, n)
		}
	}
}

func TestRestamp(t *testing.T) {
	s, clock := openTest(t)
	clock.Set(t0.Add(24 * time.Hour)) // the clock runs a day ahead
	c := putContact(t, s, model.Contact{Name: "Maria"})
	clock.Set(t0) // set right
	var n int
	update(t, s, func(tx *Tx) (err error) {
		n, err = tx.Restamp(0, MakeHLC(t0.Add(5*time.Minute)), MakeHLC(t0))
		return err
	})
	if n != 1 {
		t.Fatalf("restamped %d", n)
	}
	view(t, s, func(tx *Tx) error {
		ops, _, err := tx.PendingOps(0, 0)
		if err != nil {
			return err
		}
		if len(ops) != 1 || ops[0].ID != c.ID || ops[0].Stamp.HLC.Time().After(t0.Add(time.Minute)) {
			t.Fatalf("pending after the restamp: %+v", ops)
		}
		if tx.Clock().Time().After(t0.Add(time.Minute)) {
			t.Fatalf("the clock is still ahead: %v", tx.Clock())
		}
		return nil
	})
	mustCheck(t, s)
}
