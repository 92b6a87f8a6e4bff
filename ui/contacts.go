package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// contactsView is the contact list with a search box beside the selected
// contact's details: fields, company, deals, open follow-ups and timeline.
type contactsView struct {
	listDetail[contactRow, contactDetail]
}

// contactRow is what a list row shows: the contact and its company's name.
type contactRow struct {
	c       model.Contact
	company string
}

// contactDetail is everything the detail pane shows about one contact.
type contactDetail struct {
	c       model.Contact
	company string
	deals   []model.Deal
	tasks   []model.Task
	acts    []model.Activity
}

// timelineLen is how many activities a detail pane loads.
const timelineLen = 50

func newContactsView(sh *shared) *contactsView {
	v := &contactsView{listDetail[contactRow, contactDetail]{sh: sh}}
	v.list = newIndexList(sh, contactIndex, fetchContactRows, v.row)
	v.detail = detailPane[contactDetail]{sh: sh, load: loadContactDetail, draw: v.drawDetail}
	return v
}

// contactIndex reads the contact search index in name order. The index
// comes in id order; the order of names comes from the name index (a walk
// over keys, cheaper than sorting 100,000 names).
func contactIndex(tx *store.Tx) *nameIndex {
	entries := tx.ContactSearchIndex()
	order := tx.ContactIDs(store.ContactQuery{})
	if len(order) != len(entries) {
		return newNameIndex(entries)
	}
	sorted := make([]store.SearchEntry, 0, len(entries))
	for _, id := range order {
		i, ok := slices.BinarySearchFunc(entries, id, func(e store.SearchEntry, id model.ID) int { return e.ID.Compare(id) })
		if !ok {
			return newNameIndex(entries)
		}
		sorted = append(sorted, entries[i])
	}
	return &nameIndex{entries: sorted}
}

func fetchContactRows(tx *store.Tx, ids []model.ID) map[model.ID]contactRow {
	out := make(map[model.ID]contactRow, len(ids))
	companies := map[model.ID]string{}
	for _, id := range ids {
		c, err := tx.Contact(id)
		if err != nil {
			continue // deleted since the index was read; the next reload drops it
		}
		name, ok := companies[c.CompanyID]
		if !ok && !c.CompanyID.IsZero() {
			co, _ := tx.Company(c.CompanyID)
			name = co.Name
			companies[c.CompanyID] = name
		}
		out[id] = contactRow{c: c, company: name}
	}
	return out
}

func loadContactDetail(tx *store.Tx, id model.ID) (contactDetail, error) {
	var d contactDetail
	var err error
	if d.c, err = tx.Contact(id); err != nil {
		return d, err
	}
	if !d.c.CompanyID.IsZero() {
		co, _ := tx.Company(d.c.CompanyID)
		d.company = co.Name
	}
	if d.deals, err = tx.Deals(store.DealQuery{ContactID: id}); err != nil {
		return d, err
	}
	if d.tasks, err = tx.TasksOf(model.EntityContact, id); err != nil {
		return d, err
	}
	d.acts, err = tx.Activities(store.ActivityQuery{ContactID: id, Limit: timelineLen})
	return d, err
}

func (v *contactsView) title() string { return v.sh.T("tui.view.contacts") }

func (v *contactsView) init() tea.Cmd { return v.list.load() }

func (v *contactsView) refresh(c changeSet) tea.Cmd {
	if !c.any() {
		return nil
	}
	return v.reload(c.contacts || c.companies)
}

func (v *contactsView) jump(t target) tea.Cmd {
	if t.kind == model.EntityContact {
		return v.selectRecord(t.id)
	}
	return v.selectRecord(t.contact)
}

func (v *contactsView) row(r contactRow, w int) string {
	s := v.sh.styles
	c := &r.c
	var cols []string
	var widths []int
	switch {
	case w >= 90:
		email, phone := "", ""
		if len(c.Emails) > 0 {
			email = c.Emails[0].Address
		}
		if len(c.Phones) > 0 {
			phone = c.Phones[0].Number
		}
		cols = []string{oneLine(c.Name), s.Muted.Render(oneLine(r.company)), s.Muted.Render(oneLine(email)), s.Muted.Render(oneLine(phone))}
		widths = []int{22, 24, w - 22 - 24 - 16 - 3, 16}
	default:
		nw := min(max(w/2, 12), 22)
		cols = []string{oneLine(c.Name), s.Muted.Render(oneLine(r.company))}
		widths = []int{nw, w - nw - 1}
	}
	return joinCols(cols, widths)
}

func (v *contactsView) shortHelp() []key.Binding {
	k := v.sh.keys
	if v.list.typing {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", v.sh.T("tui.key.keep"))),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", v.sh.T("tui.key.clear"))),
		}
	}
	return []key.Binding{k.Search, k.Open, k.New, k.Edit, k.Delete, k.Log, k.Add}
}

func (v *contactsView) selection() target {
	id := v.list.selectedID()
	if id.IsZero() {
		return target{}
	}
	t := target{kind: model.EntityContact, id: id, contact: id}
	if r, ok := v.list.selected(); ok {
		t.label, t.company = r.c.Name, r.c.CompanyID
	}
	return t
}

// drawDetail writes the contact's detail pane, one line per slice entry.
func (v *contactsView) drawDetail(d *contactDetail, w int) []string {
	sh, s := v.sh, v.sh.styles
	c := &d.c
	lines := []string{s.Title.Render(oneLine(c.Name))}
	if sub := joinNonEmpty(" · ", c.Title, d.company); sub != "" {
		lines = append(lines, s.Muted.Render(oneLine(sub)))
	}
	lines = append(lines, "")
	field := func(label, value string) {
		if value != "" {
			lines = append(lines, fieldLine(sh, label, value))
		}
	}
	field(sh.T("tui.field.email"), strings.Join(c.EmailAddresses(), ", "))
	field(sh.T("tui.field.phone"), strings.Join(c.PhoneNumbers(), ", "))
	if len(c.Tags) > 0 {
		lines = append(lines, styledField(sh, sh.T("tui.field.tags"), s.Tag.Render(oneLine(strings.Join(c.Tags, ", ")))))
	}
	field(sh.T("tui.field.lifecycle"), lifecycleLabel(sh, c.Lifecycle))
	field(sh.T("tui.field.source"), c.Source)
	field(sh.T("tui.field.owner"), c.Owner)
	if !c.Birthday.IsZero() {
		field(sh.T("tui.field.birthday"), c.Birthday.String())
	}
	for _, a := range c.Addresses {
		field(sh.T("tui.field.address"), a.String())
	}
	for _, l := range c.Links {
		field(sh.T("tui.field.link"), l)
	}
	for _, k := range sortedKeys(c.Custom) {
		field(k, c.Custom[k])
	}
	lines = append(lines, dealLines(sh, d.deals, w)...)
	lines = append(lines, taskLines(sh, d.tasks, w)...)
	lines = append(lines, timelineLines(sh, d.acts, w)...)
	return lines
}

func lifecycleLabel(sh *shared, l string) string {
	if l == "" {
		return ""
	}
	return sh.T("tui.lifecycle." + l)
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
