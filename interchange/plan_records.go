package interchange

import (
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// planDeals places the deals of the file, linking each to its contact
// and company.
func (p *planner) planDeals() {
	for i := range p.in.deals {
		it := &p.in.deals[i]
		if it.err == nil && it.contact >= 0 && p.badRows[it.contact] {
			it.err = invalidf("the deal's contact on the same row was rejected")
		}
		if it.err != nil {
			p.reject(it.line, it.err)
			continue
		}
		if err := p.planDeal(it); err != nil {
			p.reject(it.line, err)
		}
	}
}

func (p *planner) planDeal(it *dealItem) error {
	d := it.d
	var ct *ctTarget
	if it.contact >= 0 {
		ct = p.ctOf[it.contact]
	}
	if ct == nil && !d.ContactID.IsZero() {
		if ct = p.ctByFile[d.ContactID]; ct == nil {
			ct = p.storeContact(d.ContactID)
		}
		if ct == nil && it.contactRef == "" {
			return invalidf("contact_id %s: no such contact in the file or the database", d.ContactID)
		}
	}
	co, err := p.companyOf(d.CompanyID, it.company, nil, it.line)
	if err != nil {
		return err
	}
	if ct == nil && it.contactRef != "" {
		ct = p.contactRef(it.contactRef, co, it.line)
	}
	if co == nil && ct != nil && !p.in.byIDDeal && !ct.CompanyID().IsZero() {
		co = p.storeOrNewCompany(ct.CompanyID()) // a deal with a contact is with the contact's company
	}
	d.ContactID, d.CompanyID = contactIDOf(ct), idOf(co, companyID)
	if err := d.Normalize(p.env.pipeline, p.env.rules); err != nil {
		return err
	}
	t := p.findDeal(&d)
	switch {
	case t != nil && p.mode == DupSkip:
		p.res.Skipped++
		return nil
	case t == nil || p.mode == DupCreate:
		d.ID = p.newID(d.ID, model.EntityDeal, d.CreatedAt)
		t = &dlTarget{rec: &d}
		p.deals = append(p.deals, t)
	default:
		m := mergeDeal(t.rec, &d)
		t.changed = t.changed || m.changed
		p.conflicts(it.line, t.rec.ID, t.rec.Title, m)
	}
	attach(p, &t.status)
	if !it.d.ID.IsZero() {
		p.dlByFile[it.d.ID] = t
	}
	if k := dealKey(&d); k != "" && p.dlByKey[k] == nil {
		p.dlByKey[k] = t
	}
	t.notes = append(t.notes, notesOf(it.notes, it.line)...)
	return nil
}

func contactIDOf(t *ctTarget) model.ID {
	if t == nil {
		return model.ID{}
	}
	return t.ID()
}

// storeOrNewCompany returns the target of a company id that a contact of
// the plan links to: an existing company, or one the plan creates.
func (p *planner) storeOrNewCompany(id model.ID) *coTarget {
	if t := p.storeCompany(id); t != nil {
		return t
	}
	for _, t := range p.companies {
		if t.rec.ID == id {
			return t
		}
	}
	return nil
}

// dealKey identifies a deal of a file without ids: its title with its
// contact, or its company. A deal linked to neither has no key: titles
// alone repeat.
func dealKey(d *model.Deal) string {
	owner := d.ContactID
	if owner.IsZero() {
		owner = d.CompanyID
	}
	if owner.IsZero() {
		return ""
	}
	return model.Fold(d.Title) + "\x00" + owner.String()
}

// findDeal returns the deal d duplicates: the same id, else (in files
// without ids) the same title for the same contact or company.
func (p *planner) findDeal(d *model.Deal) *dlTarget {
	if !d.ID.IsZero() {
		if t := p.dlByFile[d.ID]; t != nil {
			return t
		}
		if t := p.storeDeal(d.ID); t != nil {
			return t
		}
	}
	if p.mode == DupCreate || p.in.byIDDeal {
		return nil
	}
	k := dealKey(d)
	if k == "" {
		return nil
	}
	if t := p.dlByKey[k]; t != nil {
		return t
	}
	if p.empty {
		return nil
	}
	q := store.DealQuery{ContactID: d.ContactID}
	if q.ContactID.IsZero() {
		q.CompanyID = d.CompanyID
	}
	found, err := p.tx.Deals(q)
	if err != nil {
		return nil
	}
	for _, x := range found {
		if model.Fold(x.Title) == model.Fold(d.Title) {
			return p.storeDeal(x.ID)
		}
	}
	return nil
}

func (p *planner) storeDeal(id model.ID) *dlTarget {
	return fromStore(p, p.dlByStore, &p.deals, id, p.tx.Deal)
}

// links resolves the contact, deal and company ids of a task or activity
// of rolo's JSON, which may have been given new ids by this import.
func (p *planner) links(contact, deal, company *model.ID) error {
	if !contact.IsZero() {
		t := p.ctByFile[*contact]
		if t == nil {
			t = p.storeContact(*contact)
		}
		if t == nil {
			return invalidf("contact_id %s: no such contact in the file or the database", *contact)
		}
		*contact = t.ID()
	}
	if !deal.IsZero() {
		t := p.dlByFile[*deal]
		if t == nil {
			t = p.storeDeal(*deal)
		}
		if t == nil {
			return invalidf("deal_id %s: no such deal in the file or the database", *deal)
		}
		*deal = t.rec.ID
	}
	if !company.IsZero() {
		t, err := p.companyOf(*company, "", nil, 0)
		if err != nil {
			return err
		}
		*company = t.rec.ID
	}
	return nil
}

// planTasks places the tasks of a rolo JSON file; a task is a duplicate
// only of the task with its id.
func (p *planner) planTasks() {
	for i := range p.in.tasks {
		it := &p.in.tasks[i]
		tk := it.t
		if it.err == nil {
			it.err = p.links(&tk.ContactID, &tk.DealID, &tk.CompanyID)
		}
		if it.err == nil {
			it.err = tk.Normalize(p.env.rules)
		}
		if it.err != nil {
			p.reject(it.line, it.err)
			continue
		}
		var t *tkTarget
		if !p.empty {
			if old, err := p.tx.Task(tk.ID); err == nil {
				t = &tkTarget{rec: &old, status: status{existing: true}}
			}
		}
		switch {
		case t != nil && p.mode == DupSkip:
			p.res.Skipped++
			continue
		case t == nil || p.mode == DupCreate:
			tk.ID = p.newID(tk.ID, model.EntityTask, tk.CreatedAt)
			t = &tkTarget{rec: &tk}
		default:
			m := mergeTask(t.rec, &tk)
			t.changed = m.changed
			p.conflicts(it.line, t.rec.ID, t.rec.Title, m)
		}
		p.tasks = append(p.tasks, t)
		attach(p, &t.status)
	}
}

// planActivities places the activities of a rolo JSON file. Activities
// are a record of what happened: one already there is left as it is.
func (p *planner) planActivities() {
	for i := range p.in.acts {
		it := &p.in.acts[i]
		a := it.a
		if it.err == nil {
			it.err = p.links(&a.ContactID, &a.DealID, &a.CompanyID)
		}
		if it.err == nil {
			it.err = a.Normalize(p.env.rules)
		}
		if it.err != nil {
			p.reject(it.line, it.err)
			continue
		}
		var t *acTarget
		if !p.empty {
			if old, err := p.tx.Activity(a.ID); err == nil {
				t = &acTarget{rec: &old, status: status{existing: true}}
			}
		}
		switch {
		case t != nil && p.mode == DupSkip:
			p.res.Skipped++
			continue
		case t == nil || p.mode == DupCreate:
			a.ID = p.newID(a.ID, model.EntityActivity, a.CreatedAt)
			t = &acTarget{rec: &a}
		case t.rec.Body != a.Body:
			p.conflicts(it.line, t.rec.ID, t.rec.Kind, merger{conflicts: []fieldConflict{{"body", t.rec.Body, a.Body}}})
		}
		p.acts = append(p.acts, t)
		attach(p, &t.status)
	}
}

// planNotes turns the notes of contacts and deals into note activities,
// leaving out a note the record already has (so importing a file twice
// does not log its notes twice).
func (p *planner) planNotes() {
	for _, t := range p.contacts {
		if ns := p.ctNotes[t.n]; len(ns) > 0 {
			p.notes(ns, t.existing, store.ActivityQuery{ContactID: t.ID()}, newNote{contact: t.ID(), company: t.CompanyID()})
		}
	}
	for _, t := range p.deals {
		if len(t.notes) > 0 {
			p.notes(t.notes, t.existing, store.ActivityQuery{DealID: t.rec.ID},
				newNote{deal: t.rec.ID, contact: t.rec.ContactID, company: t.rec.CompanyID})
		}
	}
}

// newNote is a note activity the plan adds: its links and its text. The
// activity is made when it is written.
type newNote struct {
	id, contact, deal, company model.ID
	body                       string
}

func (p *planner) notes(notes []note, existing bool, q store.ActivityQuery, link newNote) {
	have := map[string]int{} // body: the line of the record it came with; -1 already in the database
	if existing {
		q.Kind = model.KindNote
		old, _ := p.tx.Activities(q)
		for _, a := range old {
			have[a.Body] = -1
		}
	}
	for _, n := range notes {
		if l, ok := have[n.body]; ok && l != n.line {
			continue // already there, or brought by another record of the file: the same note again
		}
		have[n.body] = n.line
		nn := link
		nn.id, nn.body = p.newID(model.ID{}, model.EntityActivity, p.env.now), n.body
		p.newNotes = append(p.newNotes, nn)
	}
}

// activity returns the activity of the i-th activity op: one of the file,
// or a note the plan adds.
func (p *planner) activity(i int) *model.Activity {
	if i < len(p.acts) {
		return p.acts[i].rec
	}
	n := p.newNotes[i-len(p.acts)]
	return &model.Activity{ID: n.id, Kind: model.KindNote, At: p.env.now, Body: n.body,
		ContactID: n.contact, DealID: n.deal, CompanyID: n.company}
}
