package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
)

// reportList is the deals or customers behind one bar of a chart.
type reportList struct {
	rep, bar    int // the report and the bar it lists
	title       string
	rows        []reportRow
	cursor, top int
}

// reportRow is a deal, contact or company in a report's list.
type reportRow struct {
	kind   model.Entity
	id     model.ID
	name   string
	info   string // what the report says of it, shown muted
	amount string
}

// The list's rows start below the report tabs, its title and a blank line.
const listTop = 3

func (l *reportList) step(delta, h int) {
	l.cursor = clamp(l.cursor+delta, 0, max(len(l.rows)-1, 0))
	l.top = scrollTo(l.cursor, l.top, h, len(l.rows))
}

func (r reportRow) target() target {
	t := target{kind: r.kind, id: r.id, label: r.name}
	switch r.kind {
	case model.EntityDeal:
		t.deal = r.id
	case model.EntityContact:
		t.contact = r.id
	case model.EntityCompany:
		t.company = r.id
	}
	return t
}

// open shows the record: a deal over the report, a contact or company
// in its own view.
func (r reportRow) open(sh *shared) tea.Cmd {
	if r.kind == model.EntityDeal {
		return openDialog(newDealDialog(sh, r.id))
	}
	return jumpTo(r.target())
}

// render draws the list's title and the rows that fit in h lines.
func (l *reportList) render(sh *shared, w, h int) []string {
	s := sh.styles
	lines := []string{s.Section.Render(oneLine(l.title)), ""}
	if len(l.rows) == 0 {
		return append(lines, s.Muted.Render(sh.T("tui.reports.none")))
	}
	aw := 0
	for _, r := range l.rows[l.top:min(l.top+h, len(l.rows))] {
		aw = max(aw, width(r.amount))
	}
	nw := clamp((w-2-aw)*2/5, 12, 40)
	iw := max(w-2-nw-aw-3, 0)
	for i := l.top; i < len(l.rows) && len(lines) < h; i++ {
		r := l.rows[i]
		line := fit(oneLine(r.name), nw) + " " + s.Muted.Render(fit(oneLine(r.info), iw)) + " " + s.Amount.Render(fitRight(r.amount, aw))
		if i == l.cursor {
			lines = append(lines, s.Selected.Render(fit("▸ "+ansiStrip(line), w)))
		} else {
			lines = append(lines, "  "+line)
		}
	}
	return lines
}
