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

// ImportActivity saves a as given: unlike AddActivity, it adds no link
// the activity does not name.
func (tx *Tx) ImportActivity(a *model.Activity) error {
	if err := a.Normalize(tx.s.opts.Rules); err != nil {
		return err
	}
	for _, l := range []struct {
		e     model.Entity
		id    model.ID
		field string
	}{{model.EntityContact, a.ContactID, "contact_id"}, {model.EntityDeal, a.DealID, "deal_id"}, {model.EntityCompany, a.CompanyID, "company_id"}} {
		if err := tx.mustExist(l.e, l.id, l.field); err != nil {
			return err
		}
	}
	_, err := activities.save(tx, a)
	return err
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
