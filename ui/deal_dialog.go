package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// dealDialog shows one deal in full over the board: amounts, contact and
// company, stage history, open follow-ups and timeline.
type dealDialog struct {
	sh   *shared
	pane detailPane[dealDetail]
	w, h int
}

type dealDetail struct {
	d       model.Deal
	contact string
	company string
	tasks   []model.Task
	acts    []model.Activity
}

func newDealDialog(sh *shared, id model.ID) *dealDialog {
	d := &dealDialog{sh: sh}
	d.pane = detailPane[dealDetail]{sh: sh, load: loadDealDetail, draw: d.draw, focused: true}
	d.pane.id = id
	return d
}

func loadDealDetail(tx *store.Tx, id model.ID) (dealDetail, error) {
	var d dealDetail
	var err error
	if d.d, err = tx.Deal(id); err != nil {
		return d, err
	}
	if !d.d.ContactID.IsZero() {
		c, _ := tx.Contact(d.d.ContactID)
		d.contact = c.Name
	}
	if !d.d.CompanyID.IsZero() {
		c, _ := tx.Company(d.d.CompanyID)
		d.company = c.Name
	}
	if d.tasks, err = tx.TasksOf(model.EntityDeal, id); err != nil {
		return d, err
	}
	d.acts, err = tx.Activities(store.ActivityQuery{DealID: id, Limit: timelineLen})
	return d, err
}

// load starts loading the deal; the root model runs it when the dialog
// opens.
func (d *dealDialog) load() tea.Cmd { return d.pane.reload() }

func (d *dealDialog) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		k := d.sh.keys
		if key.Matches(msg, k.Back) || key.Matches(msg, k.Open) || key.Matches(msg, k.Quit) {
			return nil, true
		}
		return d.pane.key(msg), false
	case writeMsg:
		return d.pane.reload(), false
	}
	return d.pane.update(msg), false
}

func (d *dealDialog) setSize(w, h int) {
	d.w, d.h = w, h
	d.pane.setSize(dialogWidth(w, 90)-4, max(h-8, 4))
}

func (d *dealDialog) render(w, h int) string {
	dw := dialogWidth(w, 90)
	body := d.pane.render(dw-4, max(h-8, 4))
	title := d.sh.T("tui.noun.deal")
	if d.pane.data != nil {
		title = d.pane.data.d.Title
	}
	return frame(d.sh, title, strings.TrimRight(body, " \n"), hints("↑/↓", d.sh.T("tui.key.scroll"), "esc", d.sh.T("tui.help.closeshort")), dw)
}

func (d *dealDialog) draw(x *dealDetail, w int) []string {
	sh, s := d.sh, d.sh.styles
	p := sh.pipeline
	deal := &x.d
	lines := []string{
		styledField(sh, sh.T("tui.field.stage"), sh.stageLabel(deal.Stage)+"  "+s.Muted.Render(sh.T("tui.status."+deal.Status))),
		styledField(sh, sh.T("tui.field.amount"), s.Amount.Render(deal.Value.Format())+"  "+
			s.Muted.Render(sh.T("tui.deal.prob", deal.ProbabilityIn(p))+" · "+sh.T("tui.deal.weighted", deal.Weighted(p).Format()))),
	}
	add := func(label, value string) {
		if value != "" {
			lines = append(lines, fieldLine(sh, label, value))
		}
	}
	add(sh.T("tui.field.contact"), x.contact)
	add(sh.T("tui.field.company"), x.company)
	add(sh.T("tui.field.close"), deal.CloseDate.String())
	if !deal.ClosedAt.IsZero() {
		add(sh.T("tui.field.closed"), sh.fmtTime(deal.ClosedAt))
	}
	add(sh.T("tui.field.reason"), deal.LostReason)
	add(sh.T("tui.field.owner"), deal.Owner)
	add(sh.T("tui.field.source"), deal.Source)
	if len(deal.Tags) > 0 {
		add(sh.T("tui.field.tags"), strings.Join(deal.Tags, ", "))
	}
	if len(deal.History) > 0 {
		lines = append(lines, section(sh, "history", len(deal.History))...)
		for _, m := range deal.History {
			lines = append(lines, s.Muted.Render(fit(sh.fmtTime(m.At), 14))+" "+sh.stageLabel(m.Stage))
		}
	}
	lines = append(lines, taskLines(sh, x.tasks, w)...)
	lines = append(lines, timelineLines(sh, x.acts, w)...)
	return lines
}
