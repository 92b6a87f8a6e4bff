package insight

import (
	"github.com/rolo-crm/rolo/model"
)

// Customer kinds.
const (
	KindCompany = "company"
	KindContact = "contact"
)

// Customer is who buys. A deal's customer is its company when it has
// one, else its contact; an activity's likewise. Companies and contacts
// whose records were not loaded keep an empty name.
type Customer struct {
	Kind string   `json:"kind"` // "company" or "contact"
	ID   model.ID `json:"id"`
	Name string   `json:"name"`
}

// customerOf describes the customer of a record linked to company and
// contact; ok is false when it is linked to neither.
func (d *Data) customerOf(company, contact model.ID) (c Customer, ok bool) {
	ix := d.index()
	switch {
	case !company.IsZero():
		c = Customer{Kind: KindCompany, ID: company}
		if r, found := ix.companies[company]; found {
			c.Name = r.Name
		}
	case !contact.IsZero():
		c = Customer{Kind: KindContact, ID: contact}
		if r, found := ix.contacts[contact]; found {
			c.Name = r.Name
		}
	default:
		return Customer{}, false
	}
	return c, true
}

func (d *Data) dealCustomer(deal *model.Deal) Customer {
	c, _ := d.customerOf(deal.CompanyID, deal.ContactID)
	return c
}

// customerFilter applies the owner and tag filters to customers: the
// owner of the company or contact, and a tag the company, one of its
// contacts, or the contact carries.
type customerFilter struct {
	d      *Data
	q      Query
	tagged map[model.ID]bool // companies with a contact carrying the tag
}

func newCustomerFilter(d *Data, q Query) *customerFilter {
	f := &customerFilter{d: d, q: q}
	if q.Tag != "" {
		f.tagged = map[model.ID]bool{}
		for i := range d.Contacts {
			if c := &d.Contacts[i]; !c.CompanyID.IsZero() && model.HasTag(c.Tags, q.Tag) {
				f.tagged[c.CompanyID] = true
			}
		}
	}
	return f
}

func (f *customerFilter) ok(c Customer) bool {
	if f.q.Owner == "" && f.q.Tag == "" {
		return true
	}
	ix := f.d.index()
	if c.Kind == KindCompany {
		r, ok := ix.companies[c.ID]
		return ok && f.q.ownerOK(r.Owner) && (f.q.Tag == "" || f.tagged[c.ID] || model.HasTag(r.Tags, f.q.Tag))
	}
	r, ok := ix.contacts[c.ID]
	return ok && f.q.ownerOK(r.Owner) && (f.q.Tag == "" || model.HasTag(r.Tags, f.q.Tag))
}

// DealLine is one deal in a report's list.
type DealLine struct {
	ID          model.ID   `json:"id"`
	Title       string     `json:"title"`
	Customer    Customer   `json:"customer"`
	Stage       string     `json:"stage"`
	Amount      Amount     `json:"amount"`
	Currency    string     `json:"currency"`
	Probability int        `json:"probability"`
	Weighted    Amount     `json:"weighted"`
	CloseDate   model.Date `json:"close_date,omitzero"`
	Owner       string     `json:"owner,omitempty"`
}

func (d *Data) dealLine(deal *model.Deal) DealLine {
	return DealLine{
		ID:          deal.ID,
		Title:       deal.Title,
		Customer:    d.dealCustomer(deal),
		Stage:       deal.Stage,
		Amount:      Amount{deal.Value},
		Currency:    deal.Value.Currency,
		Probability: deal.ProbabilityIn(d.Pipeline),
		Weighted:    Amount{deal.Weighted(d.Pipeline)},
		CloseDate:   deal.CloseDate,
		Owner:       deal.Owner,
	}
}
