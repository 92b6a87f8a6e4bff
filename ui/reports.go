package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// reportsView is the entry point for reports. The charts come with the
// insight work; until then it says so and shows the database's real
// counts, never sample figures.
type reportsView struct {
	sh     *shared
	req    uint64
	counts *recordCounts
}

// recordCounts are the numbers the reports view shows.
type recordCounts struct {
	contacts, companies, activities int
	open, won, lost                 int
	wonValue                        money
	openTasks, doneTasks, overdue   int
	kinds                           map[string]int
}

type countsMsg struct {
	req    uint64
	counts *recordCounts
	err    error
}

func newReportsView(sh *shared) *reportsView { return &reportsView{sh: sh} }

func (v *reportsView) title() string { return v.sh.T("tui.view.reports") }

func (v *reportsView) init() tea.Cmd {
	req := v.sh.nextReq()
	v.req = req
	now := v.sh.now()
	return v.sh.read(func(tx *store.Tx) tea.Msg {
		c, err := countRecords(tx, now)
		return countsMsg{req: req, counts: c, err: err}
	})
}

// countRecords counts every kind of record, deals by status, follow-ups
// by state and activities by kind.
func countRecords(tx *store.Tx, now time.Time) (*recordCounts, error) {
	c := &recordCounts{
		contacts: tx.CountContacts(), companies: tx.CountCompanies(), activities: tx.CountActivities(),
		wonValue: money{}, kinds: map[string]int{},
	}
	err := tx.EachDeal(func(d *model.Deal) error {
		switch d.Status {
		case model.StatusWon:
			c.won++
			c.wonValue.add(d.Value)
		case model.StatusLost:
			c.lost++
		default:
			c.open++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.EachTask(func(t *model.Task) error {
		switch {
		case t.Done():
			c.doneTasks++
		case t.Overdue(now):
			c.overdue++
			c.openTasks++
		default:
			c.openTasks++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.EachActivity(func(a *model.Activity) error {
		c.kinds[a.Kind]++
		return nil
	})
	return c, err
}

func (v *reportsView) refresh(c changeSet) tea.Cmd {
	if c.any() && v.counts != nil {
		return v.init()
	}
	return nil
}

func (v *reportsView) update(msg tea.Msg) tea.Cmd {
	if m, ok := msg.(countsMsg); ok && m.req == v.req && m.err == nil {
		v.counts = m.counts
	}
	return nil
}

func (v *reportsView) typing() bool { return false }

func (v *reportsView) setSize(int, int) {}

func (v *reportsView) selection() target { return target{} }

func (v *reportsView) shortHelp() []key.Binding { return []key.Binding{v.sh.keys.Search} }

func (v *reportsView) render(w, h int) string {
	sh, s := v.sh, v.sh.styles
	lines := []string{s.Section.Render(sh.T("tui.reports.title"))}
	lines = append(lines, strings.Split(s.Muted.Width(min(w-1, 100)).Render(sh.T("tui.reports.coming")), "\n")...)
	lines = append(lines, "")
	c := v.counts
	if c == nil {
		lines = append(lines, s.Muted.Render(sh.T("tui.loading")))
		return block(lines, w, h)
	}
	row := func(label string, value string) {
		lines = append(lines, "  "+s.Label.Render(fit(label, 18))+" "+value)
	}
	row(sh.T("tui.reports.contacts"), thousands(c.contacts))
	row(sh.T("tui.reports.companies"), thousands(c.companies))
	row(sh.T("tui.reports.deals"), sh.T("tui.reports.deals.value", thousands(c.open), thousands(c.won), thousands(c.lost)))
	if len(c.wonValue) > 0 {
		var won []string
		for _, m := range c.wonValue.list() {
			won = append(won, m.Format())
		}
		row(sh.T("tui.reports.wonvalue"), s.Amount.Render(joinNonEmpty("  ", won...)))
	}
	row(sh.T("tui.reports.tasks"), sh.T("tui.reports.tasks.value", thousands(c.openTasks), thousands(c.overdue), thousands(c.doneTasks)))
	row(sh.T("tui.reports.activities"), thousands(c.activities))
	for _, k := range model.ActivityKinds {
		if n := c.kinds[k]; n > 0 {
			lines = append(lines, "      "+s.Muted.Render(fit(sh.kindLabel(k), 16))+" "+thousands(n))
		}
	}
	return block(lines, w, h)
}
