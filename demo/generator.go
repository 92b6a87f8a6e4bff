package demo

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// generator plans and makes the records. Everything it draws comes from
// rng, in a fixed order, so a seed always gives the same data.
//
// Times are drawn "raw" (any time of day) and bounded by other raw times
// (a deal is created after its contact); clock turns each into the time
// written, at office hours. clock is monotonic, so the bounds hold for the
// written times too.
type generator struct {
	rng        *rand.Rand
	ids        *model.IDSource
	pipeline   model.Pipeline
	rules      model.Rules // to normalise contacts while the writer works (see run)
	openStages []string    // the keys of the stages a deal goes through before it is won or lost
	sizes      Stats

	now      time.Time // o.Now
	loc      *time.Location
	today    model.Date
	midnight time.Time // start of today in loc
	start    time.Time // two years before now: the deals' history begins here

	firms  []firm
	people []person
	deals  []dealPlan
	emails map[string]bool // addresses given out, to keep each contact's unique
}

func newGenerator(p model.Pipeline, o Options) *generator {
	n := o.Contacts
	seed := uint64(o.Seed)
	g := &generator{
		rng:      rand.New(rand.NewPCG(seed, 0x726f6c6f64656d6f)), // "rolodemo"
		ids:      model.NewIDSource(randReader{rand.New(rand.NewPCG(seed, 0x6964730000000000))}),
		pipeline: p,
		sizes: Stats{
			Companies:  max((n+7)/8, 3),
			Contacts:   n,
			Deals:      (n + 2) / 5,
			Tasks:      (n + 1) / 2,
			Activities: 2 * n,
		},
		now:    o.Now,
		loc:    o.Now.Location(),
		today:  model.DateOf(o.Now),
		emails: make(map[string]bool, n*3/2),
	}
	for _, s := range p.Stages {
		if !s.Closed() {
			g.openStages = append(g.openStages, s.Key)
		}
	}
	g.midnight = g.today.In(g.loc)
	g.start = o.Now.AddDate(-2, 0, 0)
	return g
}

// run plans the data and emits it in batches, in an order that satisfies
// the links: companies, contacts, deals, tasks, activities.
func (g *generator) run(emit func(batch) error) error {
	g.planFirms()
	g.planPeople()
	// Records go out in id order (ids carry their creation time), so each
	// record bucket grows at its end instead of at random places.
	firmOrder := idOrder(len(g.firms), func(i int) model.ID { return g.firms[i].rec.ID })
	err := emitRecords(emit, model.EntityCompany, len(g.firms),
		func(i int) model.Company { return g.firms[firmOrder[i]].rec },
		func(tx *store.Tx, c *model.Company) error { return tx.PutCompany(c) })
	if err != nil {
		return err
	}
	peopleOrder := idOrder(len(g.people), func(i int) model.ID { return g.people[i].id })
	err = emitRecords(emit, model.EntityContact, len(g.people),
		func(i int) model.Contact {
			// Normalising here, on the generating goroutine, reads the
			// phone numbers while the writer is busy; the store's own
			// Normalize then finds them in model's phone memo.
			c := g.contact(&g.people[peopleOrder[i]])
			_ = c.Normalize(g.rules)
			return c
		},
		func(tx *store.Tx, c *model.Contact) error { return tx.PutContact(c) })
	if err != nil {
		return err
	}
	g.firms, g.emails = nil, nil
	deals, err := g.planDeals()
	if err != nil {
		return err
	}
	slices.SortFunc(deals, func(a, b model.Deal) int { return a.ID.Compare(b.ID) })
	err = emitRecords(emit, model.EntityDeal, len(deals),
		func(i int) model.Deal { return deals[i] },
		func(tx *store.Tx, d *model.Deal) error { return tx.PutDeal(d) })
	if err != nil {
		return err
	}
	g.quieten()
	tasks := g.planTasks()
	err = emitRecords(emit, model.EntityTask, len(tasks),
		func(i int) model.Task { return tasks[i] },
		func(tx *store.Tx, t *model.Task) error { return tx.PutTask(t) })
	if err != nil {
		return err
	}
	acts := g.planActivities()
	sortBy(acts, func(a *actPlan) time.Time { return a.at })
	return emitRecords(emit, model.EntityActivity, len(acts),
		func(i int) model.Activity { return g.activity(&acts[i]) },
		func(tx *store.Tx, a *model.Activity) error { return tx.AddActivity(a) })
}

// idOrder returns the indexes 0..n-1 ordered by the ids id gives.
func idOrder(n int, id func(i int) model.ID) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return id(a).Compare(id(b)) })
	return order
}

// clock turns a raw instant into the one written, in office hours: on a
// past day, 00:00-24:00 is squeezed onto 09:00-18:00; today, 00:00-now
// onto 09:00-now (when now is past 09:00), so nothing lands after now.
// Seconds are dropped.
func (g *generator) clock(t time.Time) time.Time {
	lt := t.In(g.loc)
	from, to := g.midnight, g.now // the stretch of time lt falls in
	opens, closes := from.Add(9*time.Hour), g.now
	if lt.Before(g.midnight) {
		y, m, d := lt.Date()
		from = time.Date(y, m, d, 0, 0, 0, 0, g.loc)
		to = from.AddDate(0, 0, 1)
		opens, closes = from.Add(9*time.Hour), from.Add(18*time.Hour)
	} else if !closes.After(opens) {
		return t.Truncate(time.Minute).UTC()
	}
	frac := float64(lt.Sub(from)) / float64(to.Sub(from))
	return opens.Add(time.Duration(frac * float64(closes.Sub(opens)))).Truncate(time.Minute).UTC()
}

// sortBy sorts s by the time key gives, keeping the order of equal
// times. It sorts an index rather than moving the (large) elements
// around.
func sortBy[T any](s []T, key func(*T) time.Time) {
	keys := make([]int64, len(s))
	order := make([]int32, len(s))
	for i := range s {
		keys[i], order[i] = key(&s[i]).UnixNano(), int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Or(cmp.Compare(keys[a], keys[b]), cmp.Compare(a, b)) })
	sorted := make([]T, len(s))
	for i, j := range order {
		sorted[i] = s[j]
	}
	copy(s, sorted)
}

// dayOf returns the calendar day of t where the user is.
func (g *generator) dayOf(t time.Time) model.Date { return model.DateOf(t.In(g.loc)) }

// chinese reports whether text for person p should be in Chinese.
func (p *person) chinese() bool { return p.group.chinese }
