package demo

import (
	"time"

	"github.com/rolo-crm/rolo/model"
)

var priorities = newWeighted(w[string]{model.PriorityHigh, 20}, w[string]{model.PriorityNormal, 65}, w[string]{model.PriorityLow, 15})

// planTasks makes the follow-ups, due from a month ago to two months
// ahead: those already due are mostly done, about a tenth of all are
// overdue and open, a few are due today and a few repeat.
func (g *generator) planTasks() []model.Task {
	r := g.rng
	var openDeals []int
	for i := range g.deals {
		if g.deals[i].open {
			openDeals = append(openDeals, i)
		}
	}
	pick := newPicker(len(g.people), func(i int) float64 { return 1 + damp(g.people[i].weight) })
	tasks := make([]model.Task, g.sizes.Tasks)
	for i := range tasks {
		var d *dealPlan
		var p *person
		if len(openDeals) > 0 && chance(r, 0.4) {
			d = &g.deals[oneOf(r, openDeals)]
			p = &g.people[d.person]
		} else {
			p = &g.people[pick.pick(r)]
		}
		tasks[i] = g.task(p, d)
	}
	sortBy(tasks, func(t *model.Task) time.Time { return t.CreatedAt })
	for i := range tasks {
		tasks[i].ID = g.ids.New(tasks[i].CreatedAt)
	}
	return tasks
}

// task makes one follow-up for p, about deal d when d is not nil.
func (g *generator) task(p *person, d *dealPlan) model.Task {
	r := g.rng
	offset := -30 + r.IntN(91)
	if chance(r, 0.02) {
		offset = 0
	}
	// Due after the contact (and the deal) existed; made a few days to
	// three weeks before it is due, and not in the future.
	exists := p.born
	if d != nil {
		exists = latest(exists, d.from)
	}
	dueDay := g.today.AddDays(offset)
	if first := g.dayOf(exists); dueDay.Before(first) {
		dueDay = first.AddDays(r.IntN(8))
	}
	due := model.DueOn(dueDay)
	deadline := dueDay.AddDays(1).In(g.loc)
	if at := time.Date(dueDay.Year, dueDay.Month, dueDay.Day, 9+r.IntN(9), 30*r.IntN(2), 0, 0, g.loc); chance(r, 0.35) && at.After(exists.Add(time.Hour)) {
		due, deadline = model.DueAt(at), at
	}
	lo := latest(exists, earliest(deadline.Add(-days(21)), g.now.AddDate(0, 0, -7)))
	born := between(r, lo, earliest(g.now, deadline.Add(-time.Hour)))

	v := vars{g, p, d}
	t := model.Task{
		Due:       due,
		ContactID: p.id,
		Priority:  priorities.draw(r),
		Owner:     p.owner,
		CreatedAt: g.clock(born),
	}
	var done bool
	switch {
	case dueDay.Before(g.today):
		done = chance(r, 0.7)
	case dueDay == g.today:
		done = chance(r, 0.2)
	default:
		done = chance(r, 0.07)
	}
	if done {
		t.DoneAt = g.clock(between(r, born, earliest(g.now, deadline.Add(days(3)))))
	}
	if !done && chance(r, 0.04) {
		t.Repeat = model.Repeat{Every: 1, Unit: oneOf(r, []string{"week", "week", "month"})}
		t.Title = v.fill(repeatTitles.pick(g, p))
	} else {
		t.Title = v.fill(taskTitles.pick(g, p))
	}
	if d != nil {
		t.DealID = d.id
	}
	if chance(r, 0.15) {
		t.Notes = taskNotes.pick(g, p)
	}
	return t
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
