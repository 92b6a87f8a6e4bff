package insight

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// Need says which records a report reads, so Load reads no more.
type Need uint8

// The records Load can read.
const (
	NeedDeals      Need = 1 << iota // every deal
	NeedTasks                       // open follow-ups
	NeedActivities                  // every activity, without its text
	NeedContacts                    // every contact
	NeedCompanies                   // every company
	// NeedParties reads only the contacts and companies the loaded deals
	// name, for their names, owners and tags; NeedContacts and
	// NeedCompanies make it moot.
	NeedParties
	// NeedTimelines reads when the activities of each contact, company
	// and deal happened, from the store's timeline indexes, and the
	// complaints: all lifecycle and stale need of activities, at a
	// fraction of the cost of NeedActivities, which makes it moot.
	NeedTimelines
)

// Data is what the reports read. Load fills contacts, companies, deals
// and activities with only the fields reports use (see
// store.Tx.ContactsBrief and its siblings), and Tasks with the open
// follow-ups' ids and links; records built by hand may hold more. Once
// built, a Data is only read, and reports may run on it concurrently.
type Data struct {
	Pipeline   model.Pipeline
	Contacts   []model.Contact
	Companies  []model.Company
	Deals      []model.Deal
	Tasks      []model.Task
	Activities []model.Activity

	// timelines, when loaded, stand in for Activities in lifecycle and
	// stale; without them those reports derive them from Activities.
	timelines *timelines

	once, tlOnce sync.Once
	ix           index
	derived      *timelines
}

// timelines hold the activity times of every contact, company and deal,
// and the complaints.
type timelines struct {
	contacts, companies, deals timeline
	complaints                 []model.Activity
}

// timeline holds, for each of its owners, when its activities happened
// (Unix nanoseconds): owners[i]'s are at[off[i]:off[i+1]].
type timeline struct {
	owners []model.ID
	off    []int32
	at     []int64
}

func (t *timeline) add(owner model.ID, at time.Time) error {
	if n := len(t.owners); n == 0 || t.owners[n-1] != owner {
		t.owners = append(t.owners, owner)
		t.off = append(t.off, int32(len(t.at)))
	}
	t.at = append(t.at, at.UnixNano())
	return nil
}

// times returns the activity times of owners[k].
func (t *timeline) times(k int) []int64 {
	end := int32(len(t.at))
	if k+1 < len(t.off) {
		end = t.off[k+1]
	}
	return t.at[t.off[k]:end]
}

// touchTimelines returns the timelines Load read, or else those of
// Activities, grouped as the store's indexes group them (once).
func (d *Data) touchTimelines() *timelines {
	if d.timelines != nil {
		return d.timelines
	}
	d.tlOnce.Do(func() { d.derived = timelinesOf(d.Activities) })
	return d.derived
}

// timelinesOf groups the times of activities by contact, company and
// deal, each group in time order, and keeps the complaints.
func timelinesOf(acts []model.Activity) *timelines {
	tl := &timelines{}
	for _, t := range []struct {
		tl   *timeline
		link func(*model.Activity) model.ID
	}{
		{&tl.contacts, func(a *model.Activity) model.ID { return a.ContactID }},
		{&tl.companies, func(a *model.Activity) model.ID { return a.CompanyID }},
		{&tl.deals, func(a *model.Activity) model.ID { return a.DealID }},
	} {
		var refs []ref
		for i := range acts {
			if id := t.link(&acts[i]); !id.IsZero() {
				refs = append(refs, ref{id, int32(i)})
			}
		}
		slices.SortFunc(refs, func(a, b ref) int {
			return cmp.Or(a.to.Compare(b.to), acts[a.from].At.Compare(acts[b.from].At))
		})
		for _, r := range refs {
			t.tl.add(r.to, acts[r.from].At)
		}
	}
	for _, a := range acts {
		if a.Kind == model.KindComplaint {
			tl.complaints = append(tl.complaints, a)
		}
	}
	return tl
}

// index finds contacts and companies by id.
type index struct {
	contacts  map[model.ID]*model.Contact
	companies map[model.ID]*model.Company
}

func (d *Data) index() *index {
	d.once.Do(func() {
		d.ix.contacts = make(map[model.ID]*model.Contact, len(d.Contacts))
		for i := range d.Contacts {
			d.ix.contacts[d.Contacts[i].ID] = &d.Contacts[i]
		}
		d.ix.companies = make(map[model.ID]*model.Company, len(d.Companies))
		for i := range d.Companies {
			d.ix.companies[d.Companies[i].ID] = &d.Companies[i]
		}
	})
	return &d.ix
}

// Load reads the records need names in the transaction tx.
func Load(tx *store.Tx, need Need) (*Data, error) {
	d := &Data{Pipeline: tx.Pipeline()}
	var err error
	if need&NeedDeals != 0 {
		if d.Deals, err = tx.DealsBrief(); err != nil {
			return nil, err
		}
	}
	if need&NeedTasks != 0 {
		links, err := tx.OpenTaskLinks()
		if err != nil {
			return nil, err
		}
		d.Tasks = make([]model.Task, len(links))
		for i, l := range links {
			d.Tasks[i] = model.Task{ID: l.Task, DealID: l.Deal, ContactID: l.Contact}
		}
	}
	if need&NeedActivities != 0 {
		if d.Activities, err = tx.ActivitiesBrief(); err != nil {
			return nil, err
		}
	}
	if need&NeedTimelines != 0 && need&NeedActivities == 0 {
		if err := d.loadTimelines(tx); err != nil {
			return nil, err
		}
	}
	if need&NeedContacts != 0 {
		if d.Contacts, err = tx.ContactsBrief(); err != nil {
			return nil, err
		}
	}
	if need&NeedCompanies != 0 {
		if d.Companies, err = tx.CompaniesBrief(); err != nil {
			return nil, err
		}
	}
	if need&NeedParties != 0 {
		return d, d.loadParties(tx, need)
	}
	return d, nil
}

func (d *Data) loadTimelines(tx *store.Tx) error {
	n := tx.CountActivities() // each timeline holds at most one entry per activity
	tl := &timelines{}
	for _, t := range []struct {
		e  model.Entity
		tl *timeline
	}{{model.EntityContact, &tl.contacts}, {model.EntityCompany, &tl.companies}, {model.EntityDeal, &tl.deals}} {
		t.tl.at = make([]int64, 0, n)
		if err := tx.EachActivityTime(t.e, t.tl.add); err != nil {
			return err
		}
	}
	var err error
	if tl.complaints, err = tx.ActivitiesOf(model.KindComplaint); err != nil {
		return err
	}
	d.timelines = tl
	return nil
}

// loadParties reads the contacts and companies the deals name, unless
// every one of a kind was read already. It reads them in id order, which
// walks the store's pages in order.
func (d *Data) loadParties(tx *store.Tx, need Need) error {
	var contacts, companies []model.ID
	for i := range d.Deals {
		if id := d.Deals[i].ContactID; !id.IsZero() {
			contacts = append(contacts, id)
		}
		if id := d.Deals[i].CompanyID; !id.IsZero() {
			companies = append(companies, id)
		}
	}
	var err error
	if need&NeedContacts == 0 {
		if d.Contacts, err = tx.ContactsBriefOf(sortedUnique(contacts)); err != nil {
			return err
		}
	}
	if need&NeedCompanies == 0 {
		d.Companies, err = tx.CompaniesBriefOf(sortedUnique(companies))
	}
	return err
}

func sortedUnique(ids []model.ID) []model.ID {
	slices.SortFunc(ids, model.ID.Compare)
	return slices.Compact(ids)
}
