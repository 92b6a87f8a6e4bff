package insight

import (
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// ContactLifecycle derives one contact's lifecycle stage as Lifecycle
// does, reading only the contact's own deals and activities: what a
// contact's detail view shows. Only q.Now and q.Params matter.
func ContactLifecycle(tx *store.Tx, id model.ID, q Query) (LifecycleEntry, error) {
	c, err := tx.ContactBrief(id)
	if err != nil {
		return LifecycleEntry{}, err
	}
	return entryOf(tx, q, &Data{Contacts: []model.Contact{c}}, store.DealQuery{ContactID: id}, store.ActivityQuery{ContactID: id}, true)
}

// CompanyLifecycle derives one company's lifecycle stage as Lifecycle
// does, reading only the company's deals and activities.
func CompanyLifecycle(tx *store.Tx, id model.ID, q Query) (LifecycleEntry, error) {
	c, err := tx.CompanyBrief(id)
	if err != nil {
		return LifecycleEntry{}, err
	}
	return entryOf(tx, q, &Data{Companies: []model.Company{c}}, store.DealQuery{CompanyID: id}, store.ActivityQuery{CompanyID: id}, false)
}

func entryOf(tx *store.Tx, q Query, d *Data, dq store.DealQuery, aq store.ActivityQuery, contact bool) (LifecycleEntry, error) {
	var err error
	d.Pipeline = tx.Pipeline()
	if d.Deals, err = tx.Deals(dq); err != nil {
		return LifecycleEntry{}, err
	}
	if d.Activities, err = tx.Activities(aq); err != nil {
		return LifecycleEntry{}, err
	}
	q.Owner, q.Tag = "", ""
	r := Lifecycle(d, q)
	if contact {
		return r.Contacts[0], nil
	}
	return r.Companies[0], nil
}
