package insight

import (
	"time"

	"github.com/rolo-crm/rolo/model"
)

// DefaultActivityWeeks is how many weeks the activity report covers when
// the period leaves its start open: the current week and the ones before.
const DefaultActivityWeeks = 12

// ActivityReport counts the interactions of each week.
type ActivityReport struct {
	Since time.Time      `json:"since"`
	Until time.Time      `json:"until"`
	Weeks []ActivityWeek `json:"weeks"`
	Total ActivityTotal  `json:"total"`
}

// ActivityWeek is one calendar week, Monday to Sunday.
type ActivityWeek struct {
	Week model.Date `json:"week"` // its Monday
	ActivityCounts
}

// ActivityTotal is the whole period; ComplaintsOpen counts the
// complaints made in the period that are still open.
type ActivityTotal struct {
	ActivityCounts
	ComplaintsOpen int `json:"complaints_open"`
}

// ActivityCounts counts activities by kind, the contacts they touched,
// and complaints: made, resolved, and the median hours from being made
// to being resolved of those resolved.
type ActivityCounts struct {
	Counts             map[string]int `json:"counts"` // every kind, zero included
	Touched            int            `json:"touched"`
	ComplaintsOpened   int            `json:"complaints_opened"`
	ComplaintsResolved int            `json:"complaints_resolved"`
	MedianResolveHours *float64       `json:"median_resolve_hours"`

	touched map[model.ID]bool
	hours   []float64
}

func newCounts() ActivityCounts {
	c := ActivityCounts{Counts: make(map[string]int, len(model.ActivityKinds)), touched: map[model.ID]bool{}}
	for _, k := range model.ActivityKinds {
		c.Counts[k] = 0
	}
	return c
}

func (c *ActivityCounts) finish() {
	c.Touched = len(c.touched)
	c.MedianResolveHours = roundPtr(median(c.hours), 1)
}

// Activity reports the activities of each week of the period (by when
// they happened) and the complaints resolved in it (by when they were
// resolved). Without a start the period covers the DefaultActivityWeeks
// weeks up to the end of the current week (or of the week before Until).
// Owner is the activity's owner; Tag one of its contact's tags.
func Activity(d *Data, q Query) ActivityReport {
	q.Since, q.Until = activityPeriod(q)
	clock := newDayClock(q.loc())
	first := weekStart(clock.day(q.Since))
	last := weekStart(clock.day(q.Until.Add(-time.Nanosecond)))
	r := ActivityReport{Since: q.Since.UTC(), Until: q.Until.UTC(), Total: ActivityTotal{ActivityCounts: newCounts()}}
	for w := first; w <= last; w += 7 {
		r.Weeks = append(r.Weeks, ActivityWeek{Week: dateOfDay(w), ActivityCounts: newCounts()})
	}
	week := func(t time.Time) *ActivityCounts { return &r.Weeks[(weekStart(clock.day(t))-first)/7].ActivityCounts }
	ix := d.index()
	for i := range d.Activities {
		a := &d.Activities[i]
		if !q.ownerOK(a.Owner) {
			continue
		}
		if q.Tag != "" {
			if c, ok := ix.contacts[a.ContactID]; !ok || !model.HasTag(c.Tags, q.Tag) {
				continue
			}
		}
		if q.inPeriod(a.At) {
			for _, c := range []*ActivityCounts{week(a.At), &r.Total.ActivityCounts} {
				c.Counts[a.Kind]++
				if !a.ContactID.IsZero() {
					c.touched[a.ContactID] = true
				}
				if a.Kind == model.KindComplaint {
					c.ComplaintsOpened++
				}
			}
			if a.Kind == model.KindComplaint && a.State != model.ComplaintResolved {
				r.Total.ComplaintsOpen++
			}
		}
		if a.Kind == model.KindComplaint && a.State == model.ComplaintResolved && q.inPeriod(a.ResolvedAt) {
			hours := a.ResolvedAt.Sub(a.At).Hours()
			for _, c := range []*ActivityCounts{week(a.ResolvedAt), &r.Total.ActivityCounts} {
				c.ComplaintsResolved++
				c.hours = append(c.hours, hours)
			}
		}
	}
	for i := range r.Weeks {
		r.Weeks[i].finish()
	}
	r.Total.finish()
	return r
}

// activityPeriod fills in the open ends of the activity report's period.
func activityPeriod(q Query) (since, until time.Time) {
	since, until = q.Since, q.Until
	loc := q.loc()
	if until.IsZero() {
		monday := dateOfDay(weekStart(newDayClock(loc).day(q.Now)))
		until = monday.AddDays(7).In(loc)
	}
	if since.IsZero() {
		monday := dateOfDay(weekStart(newDayClock(loc).day(until.Add(-time.Nanosecond))))
		since = monday.AddDays(-7 * (DefaultActivityWeeks - 1)).In(loc)
	}
	return since, until
}
