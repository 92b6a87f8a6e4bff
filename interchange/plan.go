package interchange

import (
	"fmt"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// Duplicate says what an import does with a record that is already there.
type Duplicate string

// What to do with duplicates.
const (
	// DupUpdate fills the existing record's empty fields and adds its
	// missing emails, phones and tags; it never replaces a value.
	DupUpdate Duplicate = "update"
	// DupSkip leaves the existing record alone.
	DupSkip Duplicate = "skip"
	// DupCreate makes a new record anyway.
	DupCreate Duplicate = "create"
)

// ParseDuplicate reads --on-duplicate.
func ParseDuplicate(s string) (Duplicate, error) {
	switch d := Duplicate(strings.ToLower(strings.TrimSpace(s))); d {
	case "":
		return DupUpdate, nil
	case DupUpdate, DupSkip, DupCreate:
		return d, nil
	}
	return "", &model.FieldError{Field: "on-duplicate", Value: s, Reason: "one of update, skip, create"}
}

// status is what the plan knows of a record it writes, besides the
// record itself.
type status struct {
	existing bool
	changed  bool // an existing record gained something
	owned    bool // a record of the file already counted for it
}

// target is a record the import will write: a new one, or one already
// in the database that the file's records merge into. (Contacts, the
// bulk of a file, are ctTarget: kept packed.)
type target[T any] struct {
	status
	rec   *T // the record of the file (no copy), or the one read from the database
	notes []note
}

// note is a note of the file with the line of the record it came with.
type note struct {
	body string
	line int
}

// notesOf copies the notes: a body read from a CSV row shares the memory
// of the whole row.
func notesOf(bodies []string, line int) []note {
	out := make([]note, len(bodies))
	for i, b := range bodies {
		out[i] = note{strings.Clone(b), line}
	}
	return out
}

type (
	coTarget = target[model.Company]
	dlTarget = target[model.Deal]
	tkTarget = target[model.Task]
	acTarget = target[model.Activity]
)

// planner decides, before anything is written, what each record of the
// file becomes: new, merged into an existing record or an earlier one of
// the file, skipped or rejected. Duplicates are looked up in maps of the
// file's records and in the store's indexes, never by scanning.
type planner struct {
	tx    *store.Tx
	env   *readerEnv
	mode  Duplicate
	in    *input
	res   *Result
	empty bool // the database holds no contacts: no lookups needed
	read  int  // records of the file read

	companies []*coTarget
	coByName  map[string]*coTarget
	coByFile  map[model.ID]*coTarget
	coByStore map[model.ID]*coTarget

	contacts  []*ctTarget
	ctSlab    []ctTarget       // where the next targets go
	ctNotes   map[int32][]note // the notes of contacts, by their place in contacts
	packer    packer
	ctOf      []*ctTarget  // the target of each contact record of the file
	badRows   map[int]bool // contact records of the file that could not be read
	ctByFile  map[model.ID]*ctTarget
	ctByStore map[model.ID]*ctTarget
	keys      *keyIndex                        // emails, phones, names at a company: the target that has them
	byName    map[string][]*ctTarget           // built when a deal names its contact
	coNames   map[model.ID]map[string]model.ID // existing company: its contacts by folded name
	refs      map[string]*ctTarget             // deal contact references already resolved

	deals     []*dlTarget
	dlByFile  map[model.ID]*dlTarget
	dlByStore map[model.ID]*dlTarget
	dlByKey   map[string]*dlTarget

	tasks    []*tkTarget
	acts     []*acTarget
	newNotes []newNote         // note activities the plan adds, after acts
	ids      map[model.ID]bool // ids of the file given to new records
}

func newPlanner(tx *store.Tx, env *readerEnv, mode Duplicate, in *input, res *Result) *planner {
	return &planner{tx: tx, env: env, mode: mode, in: in, res: res,
		empty:    tx.CountContacts()+tx.CountCompanies()+tx.CountDeals()+tx.CountTasks()+tx.CountActivities() == 0,
		coByName: map[string]*coTarget{}, coByFile: map[model.ID]*coTarget{}, coByStore: map[model.ID]*coTarget{},
		badRows: map[int]bool{}, ctNotes: map[int32][]note{}, ctByFile: map[model.ID]*ctTarget{}, ctByStore: map[model.ID]*ctTarget{},
		keys:    newKeyIndex(),
		coNames: map[model.ID]map[string]model.ID{}, refs: map[string]*ctTarget{},
		dlByFile: map[model.ID]*dlTarget{}, dlByStore: map[model.ID]*dlTarget{}, dlByKey: map[string]*dlTarget{},
		ids: map[model.ID]bool{}}
}

// plan works out every record's fate, reading the file's contacts from
// src as they come; Result counts them.
func (p *planner) plan(src *source) error {
	p.planCompanies()
	photos := 0
	err := ordered(src.produce, src.work, func(b *batch) error {
		p.planBatch(b)
		photos += b.photos
		return nil
	})
	if err != nil {
		return err
	}
	if photos > 0 {
		p.env.warn(p.in, 0, fmt.Sprintf("%d photos were not imported: rolo keeps no images", photos))
	}
	p.read += len(p.in.companies) + len(p.in.deals) + len(p.in.tasks) + len(p.in.acts)
	p.planDeals()
	p.planTasks()
	p.planActivities()
	p.planNotes()
	p.count()
	return nil
}

// forget drops what only planning needs, so that writing has the memory.
func (p *planner) forget() {
	p.in, p.keys, p.ctOf, p.badRows = nil, nil, nil, nil
	p.coByName, p.coByFile, p.coByStore = nil, nil, nil
	p.ctByFile, p.ctByStore, p.byName, p.coNames, p.refs, p.ctNotes = nil, nil, nil, nil, nil, nil
	p.dlByFile, p.dlByStore, p.dlByKey, p.ids = nil, nil, nil, nil
}

func (p *planner) reject(line int, err error) {
	p.res.Rejected++
	p.res.Errors = append(p.res.Errors, Problem{File: p.env.file, Line: line, Message: err.Error(), Err: err})
}

func (p *planner) conflicts(line int, id model.ID, name string, m merger) {
	for _, c := range m.conflicts {
		p.res.Conflicts = append(p.res.Conflicts, Conflict{Line: line, ID: id.String(), Name: name,
			Field: c.field, Kept: c.kept, InFile: c.other})
	}
}

// attach counts a record of the file that goes into t: the first one for
// a target is the one that creates or updates it, later ones merge.
func attach(p *planner, t *status) {
	if t.owned {
		p.res.Merged++
		return
	}
	t.owned = true
	if !t.existing {
		p.res.Created++
	}
}

// count adds up the existing records: updated when they gained
// something, unchanged otherwise.
func (p *planner) count() {
	r := &p.res.Records
	countAll(p, p.companies, &r.Companies)
	for _, t := range p.contacts {
		countOne(p, &t.status, &r.Contacts)
	}
	countAll(p, p.deals, &r.Deals)
	countAll(p, p.tasks, &r.Tasks)
	countAll(p, p.acts, &r.Activities)
	r.Activities.Created += len(p.newNotes)
}

func countAll[T any](p *planner, ts []*target[T], c *Counts) {
	for _, t := range ts {
		countOne(p, &t.status, c)
	}
}

// countOne counts a target; an existing record that a record of the file
// claimed also counts for the file (updated or unchanged).
func countOne(p *planner, t *status, c *Counts) {
	switch {
	case !t.existing:
		c.Created++
	case t.changed:
		c.Updated++
		if t.owned {
			p.res.Updated++
		}
	default:
		c.Unchanged++
		if t.owned {
			p.res.Unchanged++
		}
	}
}

// newID returns an id for a new record: the file's own when it has one
// the database does not, else a fresh one stamped with the creation time.
func (p *planner) newID(want model.ID, e model.Entity, created time.Time) model.ID {
	if !want.IsZero() && !p.ids[want] && !p.inStore(e, want) {
		p.ids[want] = true
		return want
	}
	if created.IsZero() {
		created = p.env.now
	}
	return model.NewID(created) // new and unique: none needs remembering
}

func (p *planner) inStore(e model.Entity, id model.ID) bool {
	var err error
	switch e {
	case model.EntityCompany:
		_, err = p.tx.Company(id)
	case model.EntityContact:
		_, err = p.tx.Contact(id)
	case model.EntityDeal:
		_, err = p.tx.Deal(id)
	case model.EntityTask:
		_, err = p.tx.Task(id)
	case model.EntityActivity:
		_, err = p.tx.Activity(id)
	}
	return err == nil
}

// fromStore returns the target of an existing record, or nil when the
// database has none with that id; each record is read once.
func fromStore[T any](p *planner, cache map[model.ID]*target[T], list *[]*target[T], id model.ID, get func(model.ID) (T, error)) *target[T] {
	if t := cache[id]; t != nil {
		return t
	}
	if p.empty || id.IsZero() {
		return nil
	}
	rec, err := get(id)
	if err != nil {
		return nil
	}
	t := &target[T]{rec: &rec, status: status{existing: true}}
	cache[id] = t
	*list = append(*list, t)
	return t
}

// storeCompany returns the target for an existing company, or nil.
func (p *planner) storeCompany(id model.ID) *coTarget {
	return fromStore(p, p.coByStore, &p.companies, id, p.tx.Company)
}

// companyNamed returns the company a file names: one of the file or the
// database with that name (ignoring case and accents), else a new one.
func (p *planner) companyNamed(name string, want model.ID, custom map[string]string, line int) *coTarget {
	key := model.Fold(name)
	t := p.coByName[key]
	if t == nil && !p.empty {
		if ids := p.tx.CompaniesNamed(name); len(ids) > 0 {
			t = p.storeCompany(ids[0])
		}
	}
	if t == nil {
		t = &coTarget{rec: &model.Company{Name: strings.TrimSpace(name), ID: p.newID(want, model.EntityCompany, time.Time{})}}
		p.companies = append(p.companies, t)
	}
	p.coByName[key] = t
	if len(custom) > 0 && p.mode != DupSkip {
		m := mergeCompany(t.rec, &model.Company{Custom: custom})
		t.changed = t.changed || m.changed
		p.conflicts(line, t.rec.ID, t.rec.Name, m)
	}
	return t
}

// planCompanies places the companies of a rolo JSON file.
func (p *planner) planCompanies() {
	for i := range p.in.companies {
		it := &p.in.companies[i]
		if it.err == nil {
			it.err = it.c.Normalize(p.env.rules)
		}
		if it.err != nil {
			p.reject(it.line, it.err)
			continue
		}
		c := it.c
		t := p.storeCompany(c.ID)
		if t == nil && p.mode != DupCreate && !p.empty {
			if ids := p.tx.CompaniesNamed(c.Name); len(ids) > 0 {
				t = p.storeCompany(ids[0])
			}
		}
		switch {
		case t != nil && p.mode == DupSkip:
			p.res.Skipped++
		case t != nil && p.mode == DupUpdate:
			attach(p, &t.status)
			m := mergeCompany(t.rec, &c)
			t.changed = t.changed || m.changed
			p.conflicts(it.line, t.rec.ID, t.rec.Name, m)
		default:
			c.ID = p.newID(c.ID, model.EntityCompany, c.CreatedAt)
			t = &coTarget{rec: &c}
			p.companies = append(p.companies, t)
			attach(p, &t.status)
		}
		p.coByFile[it.c.ID] = t
		if _, ok := p.coByName[model.Fold(c.Name)]; !ok {
			p.coByName[model.Fold(c.Name)] = t
		}
	}
}

// companyOf resolves a record's company: by id (the file's or the
// database's), else by name. It returns nil and an error for an id that
// is nowhere and no name to fall back on.
func (p *planner) companyOf(id model.ID, name string, custom map[string]string, line int) (*coTarget, error) {
	if !id.IsZero() {
		if t := p.coByFile[id]; t != nil {
			return t, nil
		}
		if t := p.storeCompany(id); t != nil {
			return t, nil
		}
		if name == "" {
			return nil, invalidf("company_id %s: no such company in the file or the database", id)
		}
	}
	if name == "" {
		return nil, nil
	}
	return p.companyNamed(name, id, custom, line), nil
}

func idOf[T any](t *target[T], id func(*T) model.ID) model.ID {
	if t == nil {
		return model.ID{}
	}
	return id(t.rec)
}

func companyID(c *model.Company) model.ID { return c.ID }
