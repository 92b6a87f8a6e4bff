package store

import (
	"slices"

	"github.com/rolo-crm/rolo/model"
)

// When a deletion arrives from another replica, the records here that
// link to the deleted one get what a local delete would have given them
// (docs/cli.md, "Delete"): the deleter did the same to the records it
// knew, and its ops for them usually arrive in the same pull. So the
// repair waits until a pull has ended and touches only records still
// linked to a deleted one; it writes with local stamps, and the next push
// sends the result.

// repairDeleted marks a deleted record whose dependents to check.
const repairDeleted byte = 'd'

func (tx *Tx) queueRepair(kind byte, e model.Entity, id model.ID) error {
	b, err := tx.syncBucket(bRepairs)
	if err != nil {
		return err
	}
	return b.Put(append([]byte{kind, byte(e)}, id[:]...), nil)
}

type recordLink struct {
	entity model.Entity
	id     model.ID
}

func recordLinks(rec any) []recordLink {
	switch r := rec.(type) {
	case *model.Contact:
		return []recordLink{{model.EntityCompany, r.CompanyID}}
	case *model.Deal:
		return []recordLink{{model.EntityContact, r.ContactID}, {model.EntityCompany, r.CompanyID}}
	case *model.Task:
		return []recordLink{{model.EntityContact, r.ContactID}, {model.EntityDeal, r.DealID}, {model.EntityCompany, r.CompanyID}}
	case *model.Activity:
		return []recordLink{{model.EntityContact, r.ContactID}, {model.EntityDeal, r.DealID}, {model.EntityCompany, r.CompanyID}}
	}
	return nil
}

// checkLinks queues a repair for every deleted record rec links to.
func (tx *Tx) checkLinks(rec any) error {
	for _, l := range recordLinks(rec) {
		if l.id.IsZero() || tx.btx.Bucket(bucketOf(l.entity)).Get(l.id[:]) != nil {
			continue
		}
		if _, dead := tx.Tombstone(l.entity, l.id); dead {
			if err := tx.queueRepair(repairDeleted, l.entity, l.id); err != nil {
				return err
			}
		}
	}
	return nil
}

// PendingRepairs reports whether repairs wait for RepairLinks.
func (tx *Tx) PendingRepairs() bool {
	b := tx.btx.Bucket(bRepairs)
	return b != nil && b.Stats().KeyN > 0
}

// RepairLinks gives the records linked to records deleted by other
// replicas what a local delete gives them: a deleted contact's follow-ups
// and activities go and its deals are unlinked, and so on. It returns how
// many records it changed.
func (tx *Tx) RepairLinks() (int, error) {
	b := tx.btx.Bucket(bRepairs)
	if b == nil {
		return 0, nil
	}
	var keys [][]byte
	if err := b.ForEach(func(k, _ []byte) error {
		keys = append(keys, slices.Clone(k))
		return nil
	}); err != nil {
		return 0, err
	}
	n := 0
	for _, k := range keys {
		if len(k) != 2+16 || k[0] != repairDeleted {
			continue
		}
		e := model.Entity(k[1])
		id := model.ID(k[2:])
		if tx.btx.Bucket(bucketOf(e)).Get(id[:]) != nil {
			continue // re-created since
		}
		m, err := tx.cascade(e, id)
		if err != nil {
			return n, err
		}
		n += m
	}
	return n, tx.btx.DeleteBucket(bRepairs)
}

// cascade applies the rules of DeleteContact, DeleteCompany and
// DeleteDeal to the records still linked to the deleted record id.
func (tx *Tx) cascade(e model.Entity, id model.ID) (int, error) {
	switch e {
	case model.EntityContact:
		return tx.cascadeContact(id)
	case model.EntityCompany:
		return tx.cascadeCompany(id)
	case model.EntityDeal:
		return tx.cascadeDeal(id)
	}
	return 0, nil
}

func (tx *Tx) cascadeContact(id model.ID) (int, error) {
	n := 0
	for _, tid := range tx.linked(ixContactTasks, id) {
		if _, err := tasks.remove(tx, tid); err != nil {
			return n, err
		}
		n++
	}
	for _, aid := range tx.linked(ixContactActs, id) {
		if _, err := activities.remove(tx, aid); err != nil {
			return n, err
		}
		n++
	}
	m, err := clearLinks(tx, deals, tx.linked(ixContactDeals, id), func(d *model.Deal) { d.ContactID = model.ID{} })
	return n + m, err
}

func (tx *Tx) cascadeCompany(id model.ID) (int, error) {
	n, err := clearLinks(tx, contacts, tx.linked(ixCompanyContacts, id), func(c *model.Contact) { c.CompanyID = model.ID{} })
	if err != nil {
		return n, err
	}
	m, err := clearLinks(tx, deals, tx.linked(ixCompanyDeals, id), func(d *model.Deal) { d.CompanyID = model.ID{} })
	n += m
	if err != nil {
		return n, err
	}
	var linkedTasks []model.ID
	if err := tasks.each(tx, func(t *model.Task) error {
		if t.CompanyID == id {
			linkedTasks = append(linkedTasks, t.ID)
		}
		return nil
	}); err != nil {
		return n, err
	}
	m, err = clearLinks(tx, tasks, linkedTasks, func(t *model.Task) { t.CompanyID = model.ID{} })
	n += m
	if err != nil {
		return n, err
	}
	m, err = unlinkActivities(tx, tx.linked(ixCompanyActs, id), func(a *model.Activity) bool {
		a.CompanyID = model.ID{}
		return a.ContactID.IsZero() && a.DealID.IsZero()
	})
	return n + m, err
}

func (tx *Tx) cascadeDeal(id model.ID) (int, error) {
	n := 0
	for _, tid := range tx.linked(ixDealTasks, id) {
		if _, err := tasks.remove(tx, tid); err != nil {
			return n, err
		}
		n++
	}
	m, err := unlinkActivities(tx, tx.linked(ixDealActs, id), func(a *model.Activity) bool {
		a.DealID = model.ID{}
		return a.ContactID.IsZero() && a.CompanyID.IsZero()
	})
	return n + m, err
}

// clearLinks clears a link of each record with fn and saves it.
func clearLinks[T any](tx *Tx, t *table[T], ids []model.ID, fn func(*T)) (int, error) {
	n := 0
	for _, id := range ids {
		rec, err := t.get(tx, id)
		if err != nil {
			return n, err
		}
		fn(&rec)
		changed, err := t.save(tx, &rec)
		if err != nil {
			return n, err
		}
		if changed {
			n++
		}
	}
	return n, nil
}

// unlinkActivities clears a link of each activity with fn, deleting the
// ones fn says are linked to nothing else.
func unlinkActivities(tx *Tx, ids []model.ID, fn func(*model.Activity) bool) (int, error) {
	n := 0
	for _, id := range ids {
		a, err := activities.get(tx, id)
		if err != nil {
			return n, err
		}
		if fn(&a) {
			_, err = activities.remove(tx, id)
		} else {
			_, err = activities.save(tx, &a)
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
