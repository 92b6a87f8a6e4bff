package insight

import (
	"slices"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// A touch is an interaction on a day: an activity, or a deal event (its
// creation or a stage move, which includes winning and losing it). A
// purchase is a deal won. Lifecycle and stale read, for every contact and
// company, the distinct days of its touches and of its purchases.

// dayLists holds a sorted list of distinct day numbers per entity, all in
// one array: entity e's are days[off[e]:off[e+1]].
type dayLists struct {
	off  []int32
	days []int32
}

func (l *dayLists) of(e int32) []int32 { return l.days[l.off[e]:l.off[e+1]] }

// dayCollector gathers (entity, day) pairs and turns them into dayLists
// with a counting sort, in time linear in the number of pairs.
type dayCollector struct {
	n    int
	ents []int32
	days []int32
}

func newDayCollector(n, capacity int) dayCollector {
	return dayCollector{n: n, ents: make([]int32, 0, capacity), days: make([]int32, 0, capacity)}
}

func (c *dayCollector) add(e int32, day int) {
	c.ents = append(c.ents, e)
	c.days = append(c.days, int32(day))
}

func (c *dayCollector) lists() dayLists {
	off := make([]int32, c.n+1)
	for _, e := range c.ents {
		off[e+1]++
	}
	for e := range c.n {
		off[e+1] += off[e]
	}
	days := make([]int32, len(c.days))
	pos := slices.Clone(off[:c.n])
	for i, e := range c.ents {
		days[pos[e]] = c.days[i]
		pos[e]++
	}
	// Sort each entity's days and drop repeats, compacting as we go.
	w := int32(0)
	for e := range c.n {
		seg := days[off[e]:off[e+1]]
		slices.Sort(seg)
		off[e] = w
		for i, v := range seg {
			if i == 0 || v != seg[i-1] {
				days[w] = v
				w++
			}
		}
	}
	off[c.n] = w
	return dayLists{off: off, days: days[:w]}
}

// ledger is what lifecycle and stale know of every contact and company.
// Entities are numbered contacts first, in Data order, then companies.
type ledger struct {
	people, firms  roster // contacts, companies
	contacts       int    // entities [0, contacts) are contacts
	touches, buys  dayLists
	openDeals      []int32
	openComplaints []int32
}

// newLedger reads the activities and deals up to q.Now.
func newLedger(d *Data, q Query, clock *dayClock) *ledger {
	nc := len(d.Contacts)
	n := nc + len(d.Companies)
	l := &ledger{
		people:   newRoster(nc, 0, func(i int) model.ID { return d.Contacts[i].ID }),
		firms:    newRoster(len(d.Companies), int32(nc), func(i int) model.ID { return d.Companies[i].ID }),
		contacts: nc, openDeals: make([]int32, n), openComplaints: make([]int32, n),
	}
	tl := d.touchTimelines()
	events := len(tl.contacts.at) + len(tl.companies.at)
	for i := range d.Deals {
		events += 2 * (len(d.Deals[i].History) + 1)
	}
	touches, buys := newDayCollector(n, events), newDayCollector(n, 0)
	now := q.Now.UnixNano()
	for _, side := range []struct {
		r roster
		t *timeline
	}{{l.people, &tl.contacts}, {l.firms, &tl.companies}} {
		side.r.merge(side.t.owners, func(e int32, k int) {
			for _, ns := range side.t.times(k) {
				if ns <= now {
					touches.add(e, clock.day(time.Unix(0, ns)))
				}
			}
		})
	}
	for _, a := range tl.complaints {
		if a.State == model.ComplaintOpen && !a.At.After(q.Now) {
			l.each(a.ContactID, a.CompanyID, func(e int32) { l.openComplaints[e]++ })
		}
	}
	var people, firms []ref
	for i := range d.Deals {
		if id := d.Deals[i].ContactID; !id.IsZero() {
			people = append(people, ref{id, int32(i)})
		}
		if id := d.Deals[i].CompanyID; !id.IsZero() {
			firms = append(firms, ref{id, int32(i)})
		}
	}
	for _, side := range []struct {
		r    roster
		refs []ref
	}{{l.people, sortRefs(people)}, {l.firms, sortRefs(firms)}} {
		side.r.mergeRefs(side.refs, func(e, i int32) {
			deal := &d.Deals[i]
			eachDealEvent(deal, func(t time.Time) {
				if !t.After(q.Now) {
					touches.add(e, clock.day(t))
				}
			})
			switch {
			case deal.Status == model.StatusOpen:
				l.openDeals[e]++
			case deal.Status == model.StatusWon && !deal.ClosedAt.After(q.Now):
				buys.add(e, clock.day(deal.ClosedAt))
			}
		})
	}
	l.touches, l.buys = touches.lists(), buys.lists()
	return l
}

// each calls fn with the entity of contact and that of company, those
// that are in the ledger.
func (l *ledger) each(contact, company model.ID, fn func(e int32)) {
	if e, ok := l.people.find(contact); ok {
		fn(e)
	}
	if e, ok := l.firms.find(company); ok {
		fn(e)
	}
}

// entity returns the ledger's number of a customer.
func (l *ledger) entity(c Customer) (int32, bool) {
	if c.Kind == KindCompany {
		return l.firms.find(c.ID)
	}
	return l.people.find(c.ID)
}

// eachDealEvent calls fn with when the deal was created and each time it
// moved.
func eachDealEvent(d *model.Deal, fn func(time.Time)) {
	fn(d.CreatedAt)
	for _, m := range d.History {
		fn(m.At)
	}
}

// medianGap is the median number of days between consecutive days; ok
// is false for fewer than two. It runs once per contact, so it does not
// allocate for the usual few days.
func medianGap(days []int32) (gap float64, ok bool) {
	if len(days) < 2 {
		return 0, false
	}
	var buf [32]float64
	gaps := buf[:0]
	if len(days)-1 > len(buf) {
		gaps = make([]float64, 0, len(days)-1)
	}
	for i := 1; i < len(days); i++ {
		gaps = append(gaps, float64(days[i]-days[i-1]))
	}
	return quantile(gaps, 0.5), true
}
