package interchange

import (
	"net/mail"
	"slices"
	"strings"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// planBatch places the contacts of one batch of the file, in order, and
// keeps its deals for later.
func (p *planner) planBatch(b *batch) {
	base := len(p.ctOf)
	for i := range b.contacts {
		p.ctOf = append(p.ctOf, p.planContact(base+i, &b.contacts[i]))
	}
	for _, d := range b.deals {
		if d.contact >= 0 {
			d.contact += base
		}
		p.in.deals = append(p.in.deals, d)
	}
	p.read += len(b.contacts)
}

// planContact places contact record i of the file and returns its target
// (nil when it is rejected or skipped).
func (p *planner) planContact(i int, it *contactItem) *ctTarget {
	if it.err != nil {
		p.reject(it.line, it.err)
		p.badRows[i] = true
		return nil
	}
	if it.skip {
		p.res.Skipped++
		return nil
	}
	co, err := p.companyOf(it.c.CompanyID, it.company, it.companyCustom, it.line)
	if err != nil {
		p.reject(it.line, err)
		return nil
	}
	c := &it.c
	c.CompanyID = idOf(co, companyID)
	fileID := c.ID
	t := p.findContact(c, &it.keys, co)
	switch {
	case t != nil && p.mode == DupSkip:
		p.res.Skipped++
		p.packer.pack(t)
		return t // a deal on the same row still goes to this contact
	case t == nil || p.mode == DupCreate:
		c.ID = p.newID(c.ID, model.EntityContact, c.CreatedAt)
		t = p.addContact(ctTarget{rec: c})
	default:
		p.mergeInto(t, *c, it)
	}
	attach(p, &t.status)
	if !fileID.IsZero() {
		p.ctByFile[fileID] = t
	}
	if len(it.notes) > 0 {
		p.ctNotes[t.n] = append(p.ctNotes[t.n], notesOf(it.notes, it.line)...)
	}
	p.register(t, c, &it.keys, co)
	p.packer.pack(t)
	return t
}

// mergeInto merges a record of the file into a contact already placed.
func (p *planner) mergeInto(t *ctTarget, c model.Contact, it *contactItem) {
	r := contactOf(t)
	if it.derivedName {
		c.Name = r.Name // a name made up from the email is no conflict
	}
	m := mergeContact(r, &c)
	switch {
	case c.CompanyID.IsZero() || c.CompanyID == r.CompanyID:
	case r.CompanyID.IsZero():
		r.CompanyID, m.changed = c.CompanyID, true
	default:
		m.conflicts = append(m.conflicts, fieldConflict{"company", p.companyName(r.CompanyID), it.company})
	}
	t.changed = t.changed || m.changed
	p.conflicts(it.line, r.ID, r.Name, m)
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
func (p *planner) findContact(c *model.Contact, k *matchKeys, co *coTarget) *ctTarget {
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
		if inFile {
			if t := p.keyed(keyEmail, e.Address); t != nil {
				return t
			}
		}
		if t := p.storeFirst(c, func(tx *store.Tx) []model.ID { return tx.ContactsByEmail(e.Address) }); t != nil {
			return t
		}
	}
	for i, ph := range c.Phones {
		if inFile {
			if t := p.keyed(keyPhone, k.phones[i]); t != nil {
				return t
			}
		}
		if t := p.storeFirst(c, func(tx *store.Tx) []model.ID { return tx.ContactsByPhone(ph.Number) }); t != nil {
			return t
		}
	}
	if co == nil {
		return nil
	}
	if inFile {
		if t := p.keyedName(k.name, co.rec.ID); t != nil {
			return t
		}
	}
	if co.existing {
		if id, ok := p.namesAt(co.rec.ID)[k.name]; ok {
			if t := p.storeContact(id); t != nil && !p.ofAnother(t, c) {
				return t
			}
		}
	}
	return nil
}

// storeFirst returns the first contact of the database lookup finds
// that c (when given) may duplicate.
func (p *planner) storeFirst(c *model.Contact, lookup func(*store.Tx) []model.ID) *ctTarget {
	if p.empty {
		return nil
	}
	for _, id := range lookup(p.tx) {
		if t := p.storeContact(id); t != nil && (c == nil || !p.ofAnother(t, c)) {
			return t
		}
	}
	return nil
}

// ofAnother reports whether t, a contact of the database, is already
// the target of another record of a file of distinct records (rolo's
// export, whose records carry ids): it is that record, not a duplicate
// of c. An import of an export that stopped part-way, run again, then
// creates the records it had not written, as the whole import would
// have, instead of merging them into written ones that share an email.
func (p *planner) ofAnother(t *ctTarget, c *model.Contact) bool {
	return p.in.byID && !c.ID.IsZero() && t.ID() != c.ID && p.ctByFile[t.ID()] == t
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

// storeContact returns the target for an existing contact, or nil; each
// contact is read once.
func (p *planner) storeContact(id model.ID) *ctTarget {
	if t := p.ctByStore[id]; t != nil {
		return t
	}
	if p.empty || id.IsZero() {
		return nil
	}
	c, err := p.tx.Contact(id)
	if err != nil {
		return nil
	}
	t := p.addContact(ctTarget{rec: &c, status: status{existing: true}})
	p.ctByStore[id] = t
	return t
}

// register files a record's emails, phones and name under its target so
// that later records of the file find it.
func (p *planner) register(t *ctTarget, c *model.Contact, k *matchKeys, co *coTarget) {
	r := contactOf(t) // c itself, or the target c merged into
	for _, e := range c.Emails {
		p.keys.add(keyEmail, e.Address, nil, t.n, hasEmail(r, e.Address), p.owns(hasEmail, e.Address))
	}
	for _, d := range k.phones {
		if d != "" {
			p.keys.add(keyPhone, d, nil, t.n, hasPhone(r, d), p.owns(hasPhone, d))
		}
	}
	if co != nil {
		id := co.rec.ID
		p.keys.add(keyName, k.name, id[:], t.n, hasName(r, k.name, id), p.ownsName(k.name, id))
	}
	if p.byName != nil {
		p.addName(strings.Clone(k.name), t) // a name read from a CSV row shares the memory of the whole row
	}
}

// keyed returns the target registered under a key, or nil.
func (p *planner) keyed(kind byte, key string) *ctTarget {
	f := hasEmail
	if kind == keyPhone {
		f = hasPhone
	}
	if i := p.keys.get(kind, key, nil, p.owns(f, key)); i >= 0 {
		return p.contacts[i]
	}
	return nil
}

// keyedName returns the target registered under a name at a company, or nil.
func (p *planner) keyedName(name string, co model.ID) *ctTarget {
	if i := p.keys.get(keyName, name, co[:], p.ownsName(name, co)); i >= 0 {
		return p.contacts[i]
	}
	return nil
}

// owns returns the test of whether the i-th target has the key in its
// record (see keyIndex).
func (p *planner) owns(f func(*model.Contact, string) bool, key string) has {
	return func(i int32) bool { return f(p.peek(i), key) }
}

func (p *planner) ownsName(name string, co model.ID) has {
	return func(i int32) bool { return hasName(p.peek(i), name, co) }
}

// peek returns the record of the i-th target without unpacking it for
// good.
func (p *planner) peek(i int32) *model.Contact {
	return p.contacts[i].record()
}

func hasEmail(c *model.Contact, addr string) bool {
	return slices.ContainsFunc(c.Emails, func(e model.Email) bool { return e.Address == addr })
}

func hasPhone(c *model.Contact, digits string) bool {
	return slices.ContainsFunc(c.Phones, func(ph model.Phone) bool { return model.PhoneDigits(ph.Number) == digits })
}

func hasName(c *model.Contact, folded string, co model.ID) bool {
	return c.CompanyID == co && model.Fold(c.Name) == folded
}

// addContact adds a target to the plan's contacts. Targets are allocated
// a thousand at a time: fewer objects for the garbage collector.
func (p *planner) addContact(t ctTarget) *ctTarget {
	if len(p.ctSlab) == cap(p.ctSlab) {
		p.ctSlab = make([]ctTarget, 0, 1024)
	}
	t.n = int32(len(p.contacts))
	p.ctSlab = append(p.ctSlab, t)
	pt := &p.ctSlab[len(p.ctSlab)-1]
	p.contacts = append(p.contacts, pt)
	return pt
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
				p.addName(model.Fold(t.record().Name), t)
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
		if t := p.keyed(keyEmail, email); t != nil {
			return t
		}
		if t := p.storeFirst(nil, func(tx *store.Tx) []model.ID { return tx.ContactsByEmail(email) }); t != nil {
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
		at := slices.DeleteFunc(slices.Clone(cands), func(t *ctTarget) bool { return t.CompanyID() != co.rec.ID })
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
		t := p.addContact(ctTarget{rec: &c})
		k := keysOf(&c)
		p.register(t, &c, &k, co)
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
