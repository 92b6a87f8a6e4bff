package interchange

import (
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// MergeResult is what MergeContacts did.
type MergeResult struct {
	Contact    model.Contact `json:"contact"` // the merged contact
	Removed    model.Contact `json:"removed"` // the contact merged into it, now deleted
	Deals      int           `json:"deals"`
	Tasks      int           `json:"tasks"`
	Activities int           `json:"activities"`
	Conflicts  []Conflict    `json:"conflicts"`
}

// ErrSelfMerge is returned when a contact is merged into itself.
var ErrSelfMerge = invalidf("cannot merge a contact into itself")

// MergeContacts merges contact from into contact into, in tx: into's
// empty fields take from's values, their emails, phones, tags, addresses
// and links are united (a field both fill keeps into's value and is
// listed in Conflicts), from's deals, follow-ups and activities are moved
// to into, and from is deleted. Run it in one Update transaction: it
// happens entirely or not at all.
func MergeContacts(tx *store.Tx, into, from model.ID) (MergeResult, error) {
	var r MergeResult
	if into == from {
		return r, ErrSelfMerge
	}
	a, err := tx.Contact(into)
	if err != nil {
		return r, err
	}
	b, err := tx.Contact(from)
	if err != nil {
		return r, err
	}
	m := mergeContact(&a, &b)
	switch {
	case b.CompanyID.IsZero() || b.CompanyID == a.CompanyID:
	case a.CompanyID.IsZero():
		a.CompanyID = b.CompanyID
	default:
		ca, _ := tx.Company(a.CompanyID)
		cb, _ := tx.Company(b.CompanyID)
		m.conflicts = append(m.conflicts, fieldConflict{"company", ca.Name, cb.Name})
	}
	if a.CreatedAt.After(b.CreatedAt) {
		a.CreatedAt = b.CreatedAt // the merged contact has been known since the earlier one
	}
	for _, c := range m.conflicts {
		r.Conflicts = append(r.Conflicts, Conflict{ID: a.ID.String(), Name: a.Name, Field: c.field, Kept: c.kept, InFile: c.other})
	}
	if err := relink(tx, &r, into, from); err != nil {
		return r, err
	}
	if _, err := tx.DeleteContact(from); err != nil {
		return r, err
	}
	if err := tx.PutContact(&a); err != nil {
		return r, err
	}
	r.Contact, r.Removed = a, b
	return r, nil
}

// relink moves from's deals, follow-ups and activities to into.
func relink(tx *store.Tx, r *MergeResult, into, from model.ID) error {
	deals, err := tx.Deals(store.DealQuery{ContactID: from})
	if err != nil {
		return err
	}
	for _, d := range deals {
		d.ContactID = into
		if err := tx.PutDeal(&d); err != nil {
			return err
		}
		r.Deals++
	}
	tasks, err := tx.Tasks(store.TaskQuery{Range: store.TasksAll, ContactID: from}, tx.Now())
	if err != nil {
		return err
	}
	for _, t := range tasks {
		t.ContactID = into
		if err := tx.PutTask(&t); err != nil {
			return err
		}
		r.Tasks++
	}
	acts, err := tx.Activities(store.ActivityQuery{ContactID: from})
	if err != nil {
		return err
	}
	for _, a := range acts {
		a.ContactID = into
		if err := tx.AddActivity(&a); err != nil {
			return err
		}
		r.Activities++
	}
	return nil
}
