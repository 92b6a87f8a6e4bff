package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// companiesView is the company list beside the selected company's
// details: its fields, contacts, deals and timeline.
type companiesView struct {
	listDetail[companyRow, companyDetail]
}

type companyRow struct {
	co       model.Company
	contacts int
}

type companyDetail struct {
	co       model.Company
	contacts []model.Contact
	deals    []model.Deal
	acts     []model.Activity
}

// maxCompanyContacts bounds the contacts a company's pane lists.
const maxCompanyContacts = 200

func newCompaniesView(sh *shared) *companiesView {
	v := &companiesView{listDetail[companyRow, companyDetail]{sh: sh}}
	v.list = newIndexList(sh, func(tx *store.Tx) *nameIndex { return newNameIndex(tx.CompanySearchIndex()) }, fetchCompanyRows, v.row)
	v.detail = detailPane[companyDetail]{sh: sh, load: loadCompanyDetail, draw: v.drawDetail}
	return v
}

func fetchCompanyRows(tx *store.Tx, ids []model.ID) map[model.ID]companyRow {
	out := make(map[model.ID]companyRow, len(ids))
	for _, id := range ids {
		co, err := tx.Company(id)
		if err != nil {
			continue
		}
		out[id] = companyRow{co: co, contacts: len(tx.ContactsOfCompany(id))}
	}
	return out
}

func loadCompanyDetail(tx *store.Tx, id model.ID) (companyDetail, error) {
	var d companyDetail
	var err error
	if d.co, err = tx.Company(id); err != nil {
		return d, err
	}
	ids := tx.ContactIDs(store.ContactQuery{CompanyID: id, Limit: maxCompanyContacts})
	if d.contacts, err = tx.ContactsByID(ids); err != nil {
		return d, err
	}
	if d.deals, err = tx.Deals(store.DealQuery{CompanyID: id}); err != nil {
		return d, err
	}
	d.acts, err = tx.Activities(store.ActivityQuery{CompanyID: id, Limit: timelineLen})
	return d, err
}

func (v *companiesView) title() string { return v.sh.T("tui.view.companies") }

func (v *companiesView) init() tea.Cmd { return v.list.load() }

func (v *companiesView) refresh(c changeSet) tea.Cmd {
	if !c.any() {
		return nil
	}
	return v.reload(c.companies || c.contacts)
}

func (v *companiesView) jump(t target) tea.Cmd {
	if t.kind == model.EntityCompany {
		return v.selectRecord(t.id)
	}
	return v.selectRecord(t.company)
}

func (v *companiesView) row(r companyRow, w int) string {
	s := v.sh.styles
	count := s.Muted.Render(fitRight(thousands(r.contacts), 5))
	if w >= 60 {
		iw := min(22, w/3)
		return joinCols([]string{oneLine(r.co.Name), s.Muted.Render(oneLine(r.co.Industry)), count}, []int{w - iw - 5 - 2, iw, 5})
	}
	return joinCols([]string{oneLine(r.co.Name), count}, []int{w - 6, 5})
}

func (v *companiesView) shortHelp() []key.Binding {
	k := v.sh.keys
	return []key.Binding{k.Search, k.Open, k.New, k.Edit, k.Delete, k.Log}
}

func (v *companiesView) selection() target {
	id := v.list.selectedID()
	if id.IsZero() {
		return target{}
	}
	t := target{kind: model.EntityCompany, id: id, company: id}
	if r, ok := v.list.selected(); ok {
		t.label = r.co.Name
	}
	return t
}

func (v *companiesView) drawDetail(d *companyDetail, w int) []string {
	sh, s := v.sh, v.sh.styles
	co := &d.co
	lines := []string{s.Title.Render(oneLine(co.Name))}
	if sub := joinNonEmpty(" · ", co.Industry, co.Size); sub != "" {
		lines = append(lines, s.Muted.Render(oneLine(sub)))
	}
	lines = append(lines, "")
	add := func(label, value string) {
		if value != "" {
			lines = append(lines, fieldLine(sh, label, value))
		}
	}
	add(sh.T("tui.field.domain"), co.Domain)
	add(sh.T("tui.field.phone"), co.Phone)
	add(sh.T("tui.field.address"), co.Address.String())
	if len(co.Tags) > 0 {
		lines = append(lines, styledField(sh, sh.T("tui.field.tags"), s.Tag.Render(oneLine(strings.Join(co.Tags, ", ")))))
	}
	add(sh.T("tui.field.owner"), co.Owner)
	for _, k := range sortedKeys(co.Custom) {
		add(k, co.Custom[k])
	}
	if len(d.contacts) > 0 {
		lines = append(lines, section(sh, "contacts", len(d.contacts))...)
		for _, c := range d.contacts {
			lines = append(lines, fit(oneLine(c.Name), min(24, w/2))+" "+s.Muted.Render(clip(oneLine(c.Title), max(w-min(24, w/2)-1, 4))))
		}
	}
	lines = append(lines, dealLines(sh, d.deals, w)...)
	lines = append(lines, timelineLines(sh, d.acts, w)...)
	return lines
}
