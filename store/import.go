package store

import (
	"time"

	"github.com/rolo-crm/rolo/model"
)

// The Import methods save a record the way an imported file has it, so
// that rolo's own export read back into an empty database reproduces
// every field: a new record keeps its id, created_at and updated_at (each
// set to now only when zero), a deal its stage history, an activity
// exactly the links it names (AddActivity would also link a contact's
// activity to the contact's company). They validate like the Put methods;
// saved over an existing id, a record is updated as by Put.

// ImportCompany saves c as given.
func (tx *Tx) ImportCompany(c *model.Company) error {
	return tx.asOf(c.UpdatedAt, func() error { return tx.PutCompany(c) })
}

// ImportContact saves c as given.
func (tx *Tx) ImportContact(c *model.Contact) error {
	return tx.asOf(c.UpdatedAt, func() error { return tx.PutContact(c) })
}

// ImportDeal saves d as given; a deal without a stage history gets one
// move into its stage when it was created, as with PutDeal.
func (tx *Tx) ImportDeal(d *model.Deal) error {
	return tx.asOf(d.UpdatedAt, func() error { return tx.PutDeal(d) })
}

// ImportTask saves t as given.
func (tx *Tx) ImportTask(t *model.Task) error {
	return tx.asOf(t.UpdatedAt, func() error { return tx.PutTask(t) })
}

// ImportContacts saves contacts as ImportContact does, one after
// another, but faster for many: what does not touch the file (validating,
// encoding, the index entries and search text) is worked out on every
// core while the file is written in order.
func (tx *Tx) ImportContacts(cs []*model.Contact) error {
	return tx.ImportContactsFrom(len(cs), func(i int) *model.Contact { return cs[i] })
}

// ImportContactsFrom is ImportContacts for n contacts got from get(i),
// which is called once for each i, on any goroutine, a few hundred
// contacts ahead of the one written: the caller may build each contact
// (unpack it, read it) on every core too.
func (tx *Tx) ImportContactsFrom(n int, get func(i int) *model.Contact) error {
	return contacts.saveMany(tx, n, get, batchHooks[model.Contact]{
		validate: func(c *model.Contact) error { return c.Normalize(tx.s.opts.Rules) },
		links: func(tx *Tx, c *model.Contact) error {
			return tx.mustExist(model.EntityCompany, c.CompanyID, "company_id")
		},
		warm: func(tx *Tx, c *model.Contact) { tx.companyHaystack(c.CompanyID) },
		asOf: func(c *model.Contact) time.Time { return c.UpdatedAt },
	})
}

// ImportActivities saves activities as ImportActivity does, one after
// another, with the work of ImportContacts spread over every core.
func (tx *Tx) ImportActivities(as []*model.Activity) error {
	return activities.saveMany(tx, len(as), func(i int) *model.Activity { return as[i] }, batchHooks[model.Activity]{
		validate: func(a *model.Activity) error { return a.Normalize(tx.s.opts.Rules) },
		links:    (*Tx).activityLinks,
		asOf:     func(*model.Activity) time.Time { return time.Time{} },
	})
}

// ImportActivity saves a as given: unlike AddActivity, it adds no link
// the activity does not name.
func (tx *Tx) ImportActivity(a *model.Activity) error {
	if err := a.Normalize(tx.s.opts.Rules); err != nil {
		return err
	}
	if err := tx.activityLinks(a); err != nil {
		return err
	}
	_, err := activities.save(tx, a)
	return err
}

// activityLinks checks that the records an activity names exist.
func (tx *Tx) activityLinks(a *model.Activity) error {
	for _, l := range []struct {
		e     model.Entity
		id    model.ID
		field string
	}{{model.EntityContact, a.ContactID, "contact_id"}, {model.EntityDeal, a.DealID, "deal_id"}, {model.EntityCompany, a.CompanyID, "company_id"}} {
		if err := tx.mustExist(l.e, l.id, l.field); err != nil {
			return err
		}
	}
	return nil
}

// asOf runs fn with the transaction's time set to t (when t is set), so
// that the record fn saves carries t as its updated_at. The clock stays
// monotonic: a time in the past only advances its logical counter.
func (tx *Tx) asOf(t time.Time, fn func() error) error {
	if t.IsZero() {
		return fn()
	}
	now := tx.now
	tx.now = t.UTC()
	defer func() { tx.now = now }()
	return fn()
}
