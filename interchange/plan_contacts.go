package interchange

import (
	"net/mail"
	"slices"
	"strings"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// planContacts places every contact of the file.
func (p *planner) planContacts() {
	for i := range p.in.contacts {
		it := &p.in.contacts[i]
		if it.err != nil {
			p.reject(it.line, it.err)
			continue
		}
		if it.skip {
			p.res.Skipped++
			continue
		}
		co, err := p.companyOf(it.c.CompanyID, it.company, it.companyCustom, it.line)
		if err != nil {
			p.reject(it.line, err)
			continue
		}
		c := &it.c // the target of a new contact is this record itself: no copy
		c.CompanyID = idOf(co, companyID)
		fileID := c.ID
		t := p.findContact(c, co)
		switch {
		case t != nil && p.mode == DupSkip:
			p.res.Skipped++
			p.ctOf[i] = t // a deal on the same row still goes to this contact
			continue
		case t == nil || p.mode == DupCreate:
			c.ID = p.newID(c.ID, model.EntityContact, c.CreatedAt)
			t = &ctTarget{rec: c, line: it.line}
			p.contacts = append(p.contacts, t)
		default:
			p.mergeInto(t, *c, it)
		}
		attach(p, t)
		p.ctOf[i] = t
		if !fileID.IsZero() {
			p.ctByFile[fileID] = t
		}
		t.notes = append(t.notes, notesOf(it.notes, it.line)...)
		p.register(t, c, co)
	}
}

// mergeInto merges a record of the file into a contact already placed.
func (p *planner) mergeInto(t *ctTarget, c model.Contact, it *contactItem) {
	if it.derivedName {
		c.Name = t.rec.Name // a name made up from the email is no conflict
	}
	m := mergeContact(t.rec, &c)
	switch {
	case c.CompanyID.IsZero() || c.CompanyID == t.rec.CompanyID:
	case t.rec.CompanyID.IsZero():
		t.rec.CompanyID, m.changed = c.CompanyID, true
	default:
		m.conflicts = append(m.conflicts, fieldConflict{"company", p.companyName(t.rec.CompanyID), it.company})
	}
	t.changed = t.changed || m.changed
	p.conflicts(it.line, t.rec.ID, t.rec.Name, m)
}

func (p *planner) companyName(id model.ID) string {
	if t := p.coByStore[id]; t != nil {
		return t.rec.Name
	}
	for _, t := range p.companies {
		if t.rec.ID == id {
			return t.rec.Name
		}
	}
	return id.String()
}

// findContact returns the contact c duplicates, or nil: one with the same
// id, else the same email, else the same phone, else the same name at
// the same company; each looked up among the file's earlier records (not
// in rolo's own exports, whose records are distinct by id) and in the
// database's indexes.
func (p *planner) findContact(c *model.Contact, co *coTarget) *ctTarget {
	if !c.ID.IsZero() {
		if t := p.ctByFile[c.ID]; t != nil {
			return t
		}
		if t := p.storeContact(c.ID); t != nil {
			return t
		}
	}
	if p.mode == DupCreate {
		return nil
	}
	// Records with rolo ids (rolo's exports) are distinct records: they
	// are matched in the database, not merged with each other.
	inFile := !p.in.byID && c.ID.IsZero()
	for _, e := range c.Emails {
		if t := p.byEmail[e.Address]; t != nil && inFile {
			return t
		}
		if t := p.storeFirst(func(tx *store.Tx) []model.ID { return tx.ContactsByEmail(e.Address) }); t != nil {
			return t
		}
	}
	for _, ph := range c.Phones {
		if t := p.byPhone[model.PhoneDigits(ph.Number)]; t != nil && inFile {
			return t
		}
		if t := p.storeFirst(func(tx *store.Tx) []model.ID { return tx.ContactsByPhone(ph.Number) }); t != nil {
			return t
		}
	}
	if co == nil {
		return nil
	}
	name := model.Fold(c.Name)
	if t := p.byNameCo[nameAt{name, co.rec.ID}]; t != nil && inFile {
		return t
	}
	if co.existing {
		if id, ok := p.namesAt(co.rec.ID)[name]; ok {
			return p.storeContact(id)
		}
	}
	return nil
}

func (p *planner) storeFirst(lookup func(*store.Tx) []model.ID) *ctTarget {
	if p.empty {
		return nil
	}
	for _, id := range lookup(p.tx) {
		if t := p.storeContact(id); t != nil {
			return t
		}
	}
	return nil
}

// namesAt returns an existing company's contacts by folded name, read
// once per company.
func (p *planner) namesAt(co model.ID) map[string]model.ID {
	if m, ok := p.coNames[co]; ok {
		return m
	}
	m := map[string]model.ID{}
	for _, id := range p.tx.ContactsOfCompany(co) {
		if c, err := p.tx.Contact(id); err == nil {
			if _, dup := m[model.Fold(c.Name)]; !dup {
				m[model.Fold(c.Name)] = id
			}
		}
	}
	p.coNames[co] = m
	return m
}

// storeContact returns the target for an existing contact, or nil.
func (p *planner) storeContact(id model.ID) *ctTarget {
	return fromStore(p, p.ctByStore, &p.contacts, id, p.tx.Contact)
}

// register files a record's emails, phones and name under its target so
// that later records of the file find it.
func (p *planner) register(t *ctTarget, c *model.Contact, co *coTarget) {
	for _, e := range c.Emails {
		if _, ok := p.byEmail[e.Address]; !ok {
			p.byEmail[e.Address] = t
		}
	}
	for _, ph := range c.Phones {
		if d := model.PhoneDigits(ph.Number); d != "" {
			if _, ok := p.byPhone[d]; !ok {
				p.byPhone[d] = t
			}
		}
	}
	name := model.Fold(c.Name)
	if co != nil {
		if k := (nameAt{name, co.rec.ID}); p.byNameCo[k] == nil {
			p.byNameCo[k] = t
		}
	}
	if p.byName != nil {
		p.addName(name, t)
	}
}

func (p *planner) addName(name string, t *ctTarget) {
	if !slices.Contains(p.byName[name], t) {
		p.byName[name] = append(p.byName[name], t)
	}
}

// names returns the contacts of the plan by folded name, indexed the
// first time a deal looks its contact up by name.
func (p *planner) names() map[string][]*ctTarget {
	if p.byName == nil {
		p.byName = map[string][]*ctTarget{}
		for _, t := range p.contacts {
			if !t.existing {
				p.addName(model.Fold(t.rec.Name), t)
			}
		}
	}
	return p.byName
}

// contactRef finds the contact a deal names ("Maria Garcia" or "Maria
// Garcia (maria@acme.com)", as HubSpot and Pipedrive write them): by
// email when given, else by name among the file's and the database's
// contacts, preferring one at the deal's company. A name nobody has
// becomes a new contact; a name several have links nothing, with a
// warning.
func (p *planner) contactRef(ref string, co *coTarget, line int) *ctTarget {
	name, email := splitRef(ref)
	key := model.Fold(name) + "\x00" + email + "\x00" + idOf(co, companyID).String()
	if t, ok := p.refs[key]; ok {
		return t
	}
	t := p.lookupRef(name, email, co, line)
	p.refs[key] = t
	return t
}

func (p *planner) lookupRef(name, email string, co *coTarget, line int) *ctTarget {
	if email != "" {
		if t := p.byEmail[email]; t != nil {
			return t
		}
		if t := p.storeFirst(func(tx *store.Tx) []model.ID { return tx.ContactsByEmail(email) }); t != nil {
			return t
		}
	}
	folded := model.Fold(name)
	cands := slices.Clone(p.names()[folded])
	if !p.empty {
		hits, _ := p.tx.SearchContacts(name, 0)
		for _, h := range hits {
			if c, err := p.tx.Contact(h.ID); err == nil && model.Fold(c.Name) == folded {
				if t := p.storeContact(h.ID); t != nil && !slices.Contains(cands, t) {
					cands = append(cands, t)
				}
			}
		}
	}
	if len(cands) > 1 && co != nil {
		at := slices.DeleteFunc(slices.Clone(cands), func(t *ctTarget) bool { return t.rec.CompanyID != co.rec.ID })
		if len(at) > 0 {
			cands = at
		}
	}
	switch len(cands) {
	case 1:
		return cands[0]
	case 0:
		c := model.Contact{Name: name, CompanyID: idOf(co, companyID)}
		if email != "" {
			c.Emails = []model.Email{{Address: email}}
		}
		if err := c.Normalize(p.env.rules); err != nil {
			return nil
		}
		c.ID = p.newID(model.ID{}, model.EntityContact, p.env.now)
		t := &ctTarget{rec: &c, line: line}
		p.contacts = append(p.contacts, t)
		p.register(t, &c, co)
		return t
	}
	p.env.warn(p.in, line, "the deal's contact \""+name+"\" matches several contacts; the deal is left without a contact")
	return nil
}

// splitRef reads "Maria Garcia (maria@acme.com)" or "Maria Garcia <maria@acme.com>".
func splitRef(ref string) (name, email string) {
	ref = strings.TrimSpace(ref)
	if a, err := mail.ParseAddress(ref); err == nil && a.Name != "" {
		return a.Name, strings.ToLower(a.Address)
	}
	if i := strings.LastIndex(ref, "("); i > 0 && strings.HasSuffix(ref, ")") {
		if e, err := model.NormalizeEmail(ref[i+1 : len(ref)-1]); err == nil {
			return strings.TrimSpace(ref[:i]), e
		}
	}
	return ref, ""
}
