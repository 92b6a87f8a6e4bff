package insight

import (
	"time"

	"github.com/rolo-crm/rolo/model"
)

// Reasons a customer is in decline.
const (
	ReasonComplaint = "complaint" // an unresolved complaint
	ReasonOverdue   = "overdue"   // the next purchase is late against its own rhythm
	ReasonNoRepeat  = "no_repeat" // one purchase, longer ago than the formation period
	ReasonQuiet     = "quiet"     // silent for longer than its usual gaps allow
)

// LifecycleReport places every contact and company in a stage of the
// customer lifecycle.
type LifecycleReport struct {
	AsOf      time.Time        `json:"as_of"`
	Stages    []LifecycleCount `json:"stages"`
	Contacts  []LifecycleEntry `json:"contacts"`
	Companies []LifecycleEntry `json:"companies"`
}

// LifecycleCount is how many contacts and companies are in a stage.
type LifecycleCount struct {
	Stage     string `json:"stage"`
	Contacts  int    `json:"contacts"`
	Companies int    `json:"companies"`
}

// LifecycleEntry is one contact's or company's stage and what it rests
// on. Stage is the pinned stage when the contact has one, else Derived.
type LifecycleEntry struct {
	Kind           string     `json:"kind"` // "contact" or "company"
	ID             model.ID   `json:"id"`
	Name           string     `json:"name"`
	Stage          string     `json:"stage"`
	Derived        string     `json:"derived"`
	Pinned         bool       `json:"pinned"`
	Reasons        []string   `json:"reasons"` // why it is in decline
	Purchases      int        `json:"purchases"`
	LastPurchase   model.Date `json:"last_purchase,omitzero"`
	LastTouch      model.Date `json:"last_touch,omitzero"`
	OpenDeals      int        `json:"open_deals"`
	OpenComplaints int        `json:"open_complaints"`
}

// Lifecycle places each contact and company that passes the owner and
// tag filters in a stage, from its own deals and activities up to Now.
// Contacts and companies keep Data's order.
func Lifecycle(d *Data, q Query) LifecycleReport { return lifecycle(d, q, true) }

// LifecycleCounts is Lifecycle's counts per stage alone, without the
// entries: what a chart of the distribution needs, for less work.
func LifecycleCounts(d *Data, q Query) []LifecycleCount { return lifecycle(d, q, false).Stages }

func lifecycle(d *Data, q Query, list bool) LifecycleReport {
	clock := newDayClock(q.loc())
	l := newLedger(d, q, clock)
	today := clock.day(q.Now)
	r := LifecycleReport{AsOf: q.Now.UTC(), Contacts: []LifecycleEntry{}, Companies: []LifecycleEntry{}}
	if list {
		r.Contacts, r.Companies = make([]LifecycleEntry, 0, len(d.Contacts)), make([]LifecycleEntry, 0, len(d.Companies))
	}
	counts := map[string]*LifecycleCount{}
	for _, s := range model.LifecycleStages {
		r.Stages = append(r.Stages, LifecycleCount{Stage: s})
	}
	for i := range r.Stages {
		counts[r.Stages[i].Stage] = &r.Stages[i]
	}
	filter := newCustomerFilter(d, q)
	for i := range d.Contacts {
		c := &d.Contacts[i]
		if !filter.ok(Customer{Kind: KindContact, ID: c.ID}) {
			continue
		}
		if !list {
			stage := c.Lifecycle
			if !model.IsLifecycleStage(stage) {
				stage = l.stage(int32(i), q.Params, today)
			}
			counts[stage].Contacts++
			continue
		}
		e := l.entry(int32(i), q.Params, today)
		e.Kind, e.ID, e.Name = KindContact, c.ID, c.Name
		if model.IsLifecycleStage(c.Lifecycle) {
			e.Stage, e.Pinned = c.Lifecycle, true
		}
		counts[e.Stage].Contacts++
		r.Contacts = append(r.Contacts, e)
	}
	for i := range d.Companies {
		c := &d.Companies[i]
		if !filter.ok(Customer{Kind: KindCompany, ID: c.ID}) {
			continue
		}
		e := int32(l.contacts + i)
		if !list {
			counts[l.stage(e, q.Params, today)].Companies++
			continue
		}
		le := l.entry(e, q.Params, today)
		le.Kind, le.ID, le.Name = KindCompany, c.ID, c.Name
		counts[le.Stage].Companies++
		r.Companies = append(r.Companies, le)
	}
	return r
}

// stage derives the stage of entity e on day today.
func (l *ledger) stage(e int32, p Params, today int) string {
	s, _ := classify(p, today, l.touches.of(e), l.buys.of(e), int(l.openDeals[e]), int(l.openComplaints[e]))
	return s
}

// entry derives the stage of entity e on day today.
func (l *ledger) entry(e int32, p Params, today int) LifecycleEntry {
	touches, buys := l.touches.of(e), l.buys.of(e)
	le := LifecycleEntry{Purchases: len(buys), OpenDeals: int(l.openDeals[e]), OpenComplaints: int(l.openComplaints[e]), Reasons: []string{}}
	if len(buys) > 0 {
		le.LastPurchase = dateOfDay(int(buys[len(buys)-1]))
	}
	if len(touches) > 0 {
		le.LastTouch = dateOfDay(int(touches[len(touches)-1]))
	}
	le.Derived, le.Reasons = classify(p, today, touches, buys, le.OpenDeals, le.OpenComplaints)
	le.Stage = le.Derived
	return le
}

// classify applies the lifecycle rules (docs/insight.md) to the distinct
// days an entity was touched and bought on.
func classify(p Params, today int, touches, buys []int32, openDeals, openComplaints int) (string, []string) {
	silent := -1 // days since the last touch; -1: never touched
	if len(touches) > 0 {
		silent = today - int(touches[len(touches)-1])
	}
	if len(buys) == 0 {
		if openDeals > 0 || silent >= 0 && silent <= p.EngagedDays {
			return model.LifecycleExploration, []string{}
		}
		return model.LifecycleLead, []string{}
	}
	if silent > p.ChurnDays && openDeals == 0 {
		return model.LifecycleChurned, []string{}
	}
	reasons := []string{}
	if openComplaints > 0 {
		reasons = append(reasons, ReasonComplaint)
	}
	since := float64(today - int(buys[len(buys)-1]))
	if gap, ok := medianGap(buys); ok && since > p.OverdueFactor*gap {
		reasons = append(reasons, ReasonOverdue)
	}
	if len(buys) == 1 && since > float64(p.FormationDays) {
		reasons = append(reasons, ReasonNoRepeat)
	}
	if gap, ok := medianGap(touches); ok && float64(silent) > quietAfter(p, gap) {
		reasons = append(reasons, ReasonQuiet)
	}
	switch {
	case len(reasons) > 0:
		return model.LifecycleDecline, reasons
	case len(buys) == 1:
		return model.LifecycleFormation, reasons
	}
	return model.LifecycleStability, reasons
}

// quietAfter is how many silent days make an entity quiet: StaleFactor
// times its usual gap between touches, and never fewer than QuietDays.
func quietAfter(p Params, usualGap float64) float64 {
	return max(float64(p.QuietDays), p.StaleFactor*usualGap)
}
