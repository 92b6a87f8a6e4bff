package store

import (
	"strings"
	"sync"
	"time"

	"github.com/rolo-crm/rolo/model"
)

var contacts = &table[model.Contact]{
	entity: model.EntityContact,
	bucket: bContacts,
	idOf:   func(c *model.Contact) *model.ID { return &c.ID },
	times: func(c *model.Contact) (*time.Time, *time.Time) {
		return &c.CreatedAt, &c.UpdatedAt
	},
	encode:  encodeContact,
	decode:  decodeContact,
	indexes: contactIndexes,
}

func contactIndexes(tx *Tx, c *model.Contact) []ixEntry {
	out := make([]ixEntry, 0, 8)
	for _, e := range c.Emails {
		out = append(out, ixEntry{bucket: ixEmail, key: textKey(e.Address, c.ID)})
	}
	for _, p := range c.Phones {
		if d := model.PhoneDigits(p.Number); d != "" {
			out = append(out, ixEntry{bucket: ixPhone, key: textKey(d, c.ID)})
		}
	}
	out = append(out, tagEntries(model.EntityContact, c.Tags, c.ID)...)
	sortKey := model.SortKey(c.Name)
	out = append(out, ixEntry{bucket: ixContactName, key: textKey(sortKey, c.ID)})
	if !c.CompanyID.IsZero() {
		out = append(out, ixEntry{bucket: ixCompanyContacts, key: pairKey(c.CompanyID, c.ID)})
	}
	own, alt := contactHaystack(c)
	hay := model.JoinHaystacks(own, tx.companyHaystack(c.CompanyID), alt)
	return append(out, ixEntry{bucket: sxContacts, key: c.ID[:], value: searchValue(sortKey, hay)})
}

// contactHaystack is what a search matches a contact against, apart from
// its company: its name in every searchable form, emails, phone digits and
// title; and, to go last, after model.AltMarker, the spellings of its
// name's less likely readings.
func contactHaystack(c *model.Contact) (own, alt string) {
	parts, alternative := model.SplitNameTerms(c.Name)
	for _, e := range c.Emails {
		parts = append(parts, e.Address)
	}
	for _, p := range c.Phones {
		parts = append(parts, model.PhoneDigits(p.Number))
		if d := model.PhoneDigits(p.Original); d != "" && d != model.PhoneDigits(p.Number) {
			parts = append(parts, d)
		}
	}
	if c.Title != "" {
		parts = append(parts, c.Title)
	}
	if len(alternative) > 0 {
		alt = model.JoinHaystacks(model.AltMarker, model.Haystack(alternative...))
	}
	return model.Haystack(parts...), alt
}

// companyHaystack returns the part of a contact's haystack that its
// company contributes: the brief forms of the company's name. It is
// computed once per company per transaction, as a bulk write of a
// company's contacts would otherwise spell its name again for each.
// Workers of saveMany call it for companies already looked up (see
// batchHooks.warm): only the goroutine that owns tx reads the file.
func (tx *Tx) companyHaystack(id model.ID) string {
	if id.IsZero() {
		return ""
	}
	tx.hayMu.RLock()
	h, ok := tx.companyHay[id]
	tx.hayMu.RUnlock()
	if ok {
		return h
	}
	if co, err := companies.get(tx, id); err == nil {
		h = briefHaystack(co.Name)
	}
	tx.hayMu.Lock()
	defer tx.hayMu.Unlock()
	if tx.companyHay == nil {
		tx.companyHay = map[model.ID]string{}
	}
	tx.companyHay[id] = h
	return h
}

// forgetCompanyHaystack drops what companyHaystack remembers of a
// company whose name changed.
func (tx *Tx) forgetCompanyHaystack(id model.ID) {
	tx.hayMu.Lock()
	delete(tx.companyHay, id)
	tx.hayMu.Unlock()
}

// briefHaystacks remembers the haystack of company names (a function of
// the name alone): a bulk write would otherwise spell the name of a
// company again in every transaction that writes its contacts.
var briefHaystacks struct {
	mu sync.Mutex
	m  map[string]string
}

func briefHaystack(name string) string {
	briefHaystacks.mu.Lock()
	h, ok := briefHaystacks.m[name]
	briefHaystacks.mu.Unlock()
	if ok {
		return h
	}
	h = model.Haystack(model.BriefNameTerms(name)...)
	briefHaystacks.mu.Lock()
	if len(briefHaystacks.m) >= 1<<14 || briefHaystacks.m == nil {
		briefHaystacks.m = make(map[string]string, 1024)
	}
	briefHaystacks.m[name] = h
	briefHaystacks.mu.Unlock()
	return h
}

func tagEntries(e model.Entity, tags []string, id model.ID) []ixEntry {
	out := make([]ixEntry, 0, len(tags))
	for _, t := range tags {
		out = append(out, ixEntry{bucket: ixTag, key: tagKey(e, model.Fold(t), id)})
	}
	return out
}

func tagKey(e model.Entity, folded string, id model.ID) []byte {
	return append([]byte{byte(e)}, textKey(folded, id)...)
}

// Contact returns the contact with the given id.
func (tx *Tx) Contact(id model.ID) (model.Contact, error) { return contacts.get(tx, id) }

// PutContact validates and saves c, creating it when it has no id (or an
// id not yet in the file). The company it links to must exist.
func (tx *Tx) PutContact(c *model.Contact) error {
	if err := c.Normalize(tx.s.opts.Rules); err != nil {
		return err
	}
	if err := tx.mustExist(model.EntityCompany, c.CompanyID, "company_id"); err != nil {
		return err
	}
	_, err := contacts.save(tx, c)
	return err
}

// Removal holds what a delete removed or changed, as it was, so that it
// can be put back (undo).
type Removal struct {
	Contacts   []model.Contact
	Companies  []model.Company
	Deals      []model.Deal
	Tasks      []model.Task
	Activities []model.Activity
}

// Restore writes back what a delete removed or changed: the records of r
// as they were, under the same ids (undo). Linked records come first, so
// that every link points at a record that exists again.
func (tx *Tx) Restore(r Removal) error {
	for i := range r.Companies {
		if err := tx.PutCompany(&r.Companies[i]); err != nil {
			return err
		}
	}
	for i := range r.Contacts {
		if err := tx.PutContact(&r.Contacts[i]); err != nil {
			return err
		}
	}
	for i := range r.Deals {
		if err := tx.PutDeal(&r.Deals[i]); err != nil {
			return err
		}
	}
	for i := range r.Tasks {
		if err := tx.PutTask(&r.Tasks[i]); err != nil {
			return err
		}
	}
	for i := range r.Activities {
		if err := tx.AddActivity(&r.Activities[i]); err != nil {
			return err
		}
	}
	return nil
}

// DeleteContact deletes a contact with its follow-up tasks and its
// activities, and unlinks its deals (which stay in the pipeline).
func (tx *Tx) DeleteContact(id model.ID) (Removal, error) {
	var r Removal
	c, err := contacts.remove(tx, id)
	if err != nil {
		return r, err
	}
	r.Contacts = append(r.Contacts, c)
	if err := removeLinked(tx, ixContactTasks, id, tasks, &r.Tasks); err != nil {
		return r, err
	}
	if err := removeLinked(tx, ixContactActs, id, activities, &r.Activities); err != nil {
		return r, err
	}
	for _, did := range tx.linked(ixContactDeals, id) {
		d, err := deals.get(tx, did)
		if err != nil {
			return r, err
		}
		r.Deals = append(r.Deals, d)
		d.ContactID = model.ID{}
		if _, err := deals.save(tx, &d); err != nil {
			return r, err
		}
	}
	return r, nil
}

// ContactsByEmail returns the contacts that have the address.
func (tx *Tx) ContactsByEmail(email string) []model.ID {
	addr, err := model.NormalizeEmail(email)
	if err != nil {
		return nil
	}
	return tx.idsWithText(ixEmail, addr)
}

// ContactsByPhone returns the contacts that have the number, compared in
// E.164 form when it parses, else digit by digit.
func (tx *Tx) ContactsByPhone(phone string) []model.ID {
	num := phone
	if e, ok := model.NormalizePhone(phone, tx.s.opts.Rules.Region); ok {
		num = e
	}
	d := model.PhoneDigits(num)
	if d == "" {
		return nil
	}
	return tx.idsWithText(ixPhone, d)
}

// ContactsOfCompany returns the ids of the company's contacts.
func (tx *Tx) ContactsOfCompany(id model.ID) []model.ID { return tx.linked(ixCompanyContacts, id) }

// EachContact calls fn with every contact in creation order.
func (tx *Tx) EachContact(fn func(*model.Contact) error) error { return contacts.each(tx, fn) }

// CountContacts returns the number of contacts.
func (tx *Tx) CountContacts() int { return contacts.count(tx) }

// FindDuplicateContact returns an existing contact that c duplicates:
// the same email, else the same phone, else the same name at the same
// company. Same names alone are normal and never a duplicate.
func (tx *Tx) FindDuplicateContact(c *model.Contact) (model.ID, bool) {
	for _, e := range c.Emails {
		for _, id := range tx.ContactsByEmail(e.Address) {
			if id != c.ID {
				return id, true
			}
		}
	}
	for _, p := range c.Phones {
		for _, id := range tx.ContactsByPhone(p.Number) {
			if id != c.ID {
				return id, true
			}
		}
	}
	if c.CompanyID.IsZero() {
		return model.ID{}, false
	}
	name := model.Fold(c.Name)
	for _, id := range tx.linked(ixCompanyContacts, c.CompanyID) {
		if id == c.ID {
			continue
		}
		if o, err := contacts.get(tx, id); err == nil && model.Fold(o.Name) == name {
			return id, true
		}
	}
	return model.ID{}, false
}

// ResolveContact finds the contact a user means by ref: an id, an email
// address, a phone number, or a search that must match exactly one
// contact (an exact name match wins over partial ones).
func (tx *Tx) ResolveContact(ref string) (model.Contact, error) {
	ref = strings.TrimSpace(ref)
	if model.LooksLikeID(ref) {
		id, _ := model.ParseID(ref)
		return contacts.get(tx, id)
	}
	var ids []model.ID
	if strings.Contains(ref, "@") {
		ids = tx.ContactsByEmail(ref)
	}
	if len(ids) == 0 && model.PhoneDigits(ref) != "" && len(model.PhoneDigits(ref)) >= len(ref)/2 {
		ids = tx.ContactsByPhone(ref)
	}
	if len(ids) == 0 {
		hits, err := tx.SearchContacts(ref, 0)
		if err != nil {
			return model.Contact{}, err
		}
		ids = exactOrAll(tx, hits, ref)
	}
	return pickOne(tx, contacts, ids, ref)
}

func exactOrAll(tx *Tx, hits []Hit, ref string) []model.ID {
	want := model.Fold(ref)
	var exact, all []model.ID
	for _, h := range hits {
		all = append(all, h.ID)
		if c, err := contacts.get(tx, h.ID); err == nil && model.Fold(c.Name) == want {
			exact = append(exact, h.ID)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return all
}
