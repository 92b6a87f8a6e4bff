package store

import (
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
)

var companies = &table[model.Company]{
	entity: model.EntityCompany,
	bucket: bCompanies,
	idOf:   func(c *model.Company) *model.ID { return &c.ID },
	times: func(c *model.Company) (*time.Time, *time.Time) {
		return &c.CreatedAt, &c.UpdatedAt
	},
	encode:  encodeCompany,
	decode:  decodeCompany,
	indexes: companyIndexes,
}

func companyIndexes(_ *Tx, c *model.Company) []ixEntry {
	out := []ixEntry{{bucket: ixCompanyName, key: textKey(model.Fold(c.Name), c.ID)}}
	out = append(out, tagEntries(model.EntityCompany, c.Tags, c.ID)...)
	parts, alternative := model.SplitNameTerms(c.Name)
	for _, p := range []string{c.Domain, c.Industry, c.Address.City} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if d := model.PhoneDigits(c.Phone); d != "" {
		parts = append(parts, d)
	}
	hay := model.Haystack(parts...)
	if len(alternative) > 0 {
		hay = model.JoinHaystacks(hay, model.AltMarker, model.Haystack(alternative...))
	}
	return append(out, ixEntry{bucket: sxCompanies, key: c.ID[:], value: searchValue(model.SortKey(c.Name), hay)})
}

// Company returns the company with the given id.
func (tx *Tx) Company(id model.ID) (model.Company, error) { return companies.get(tx, id) }

// PutCompany validates and saves c. A new name is carried into the search
// entries of the company's contacts.
func (tx *Tx) PutCompany(c *model.Company) error {
	if err := c.Normalize(tx.s.opts.Rules); err != nil {
		return err
	}
	oldName := ""
	if !c.ID.IsZero() {
		if old, err := companies.get(tx, c.ID); err == nil {
			oldName = old.Name
		}
	}
	if _, err := companies.save(tx, c); err != nil {
		return err
	}
	if oldName == "" || oldName == c.Name {
		return nil
	}
	tx.forgetCompanyHaystack(c.ID)
	for _, id := range tx.linked(ixCompanyContacts, c.ID) {
		ct, err := contacts.get(tx, id)
		if err != nil {
			return err
		}
		if err := tx.reindex(nil, contactIndexes(tx, &ct)); err != nil {
			return err
		}
	}
	return nil
}

// DeleteCompany deletes a company and unlinks its contacts, deals, tasks
// and activities; activities linked to nothing else are deleted with it.
// The links go first, while the company is still there: a contact's old
// search entry, which holds the company's name, is computed from it.
func (tx *Tx) DeleteCompany(id model.ID) (Removal, error) {
	var r Removal
	if _, err := companies.get(tx, id); err != nil {
		return r, err
	}
	for _, cid := range tx.linked(ixCompanyContacts, id) {
		c, err := contacts.get(tx, cid)
		if err != nil {
			return r, err
		}
		r.Contacts = append(r.Contacts, c)
		c.CompanyID = model.ID{}
		if _, err := contacts.save(tx, &c); err != nil {
			return r, err
		}
	}
	for _, did := range tx.linked(ixCompanyDeals, id) {
		d, err := deals.get(tx, did)
		if err != nil {
			return r, err
		}
		r.Deals = append(r.Deals, d)
		d.CompanyID = model.ID{}
		if _, err := deals.save(tx, &d); err != nil {
			return r, err
		}
	}
	// Collect the tasks first: saving while a cursor walks the bucket
	// would invalidate the cursor.
	var linkedTasks []model.Task
	err := tasks.each(tx, func(t *model.Task) error {
		if t.CompanyID == id {
			linkedTasks = append(linkedTasks, *t)
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	for _, t := range linkedTasks {
		r.Tasks = append(r.Tasks, t)
		t.CompanyID = model.ID{}
		if _, err := tasks.save(tx, &t); err != nil {
			return r, err
		}
	}
	for _, aid := range tx.linked(ixCompanyActs, id) {
		a, err := activities.get(tx, aid)
		if err != nil {
			return r, err
		}
		r.Activities = append(r.Activities, a)
		if a.ContactID.IsZero() && a.DealID.IsZero() {
			if _, err := activities.remove(tx, aid); err != nil {
				return r, err
			}
			continue
		}
		a.CompanyID = model.ID{}
		if _, err := activities.save(tx, &a); err != nil {
			return r, err
		}
	}
	co, err := companies.remove(tx, id)
	if err != nil {
		return r, err
	}
	r.Companies = append(r.Companies, co)
	return r, nil
}

// CompaniesNamed returns the companies whose name equals name, ignoring
// case and accents.
func (tx *Tx) CompaniesNamed(name string) []model.ID {
	return tx.idsWithText(ixCompanyName, model.Fold(name))
}

// EnsureCompany returns the company with the given name, creating it when
// there is none.
func (tx *Tx) EnsureCompany(name string) (model.Company, error) {
	if ids := tx.CompaniesNamed(name); len(ids) > 0 {
		return companies.get(tx, ids[0])
	}
	c := model.Company{Name: name}
	return c, tx.PutCompany(&c)
}

// ResolveCompany finds the company a user means by ref: an id, an exact
// name, or a search matching exactly one company.
func (tx *Tx) ResolveCompany(ref string) (model.Company, error) {
	ref = strings.TrimSpace(ref)
	if model.LooksLikeID(ref) {
		id, _ := model.ParseID(ref)
		return companies.get(tx, id)
	}
	ids := tx.CompaniesNamed(ref)
	if len(ids) == 0 {
		for _, h := range tx.search(sxCompanies, ref, 0) {
			ids = append(ids, h.ID)
		}
	}
	return pickOne(tx, companies, ids, ref)
}

// EachCompany calls fn with every company in creation order.
func (tx *Tx) EachCompany(fn func(*model.Company) error) error { return companies.each(tx, fn) }

// CountCompanies returns the number of companies.
func (tx *Tx) CountCompanies() int { return companies.count(tx) }
