package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// companyForm creates or edits a company.
func companyForm(s *shared, co model.Company) *formDialog {
	name := &formField{key: "name", label: s.T("tui.field.name"), value: co.Name}
	domain := &formField{key: "domain", label: s.T("tui.field.domain"), value: co.Domain, hint: "example.com"}
	industry := &formField{key: "industry", label: s.T("tui.field.industry"), value: co.Industry}
	size := &formField{key: "size", label: s.T("tui.field.size"), value: co.Size}
	phone := &formField{key: "phone", label: s.T("tui.field.phone"), value: co.Phone}
	tags := &formField{key: "tags", label: s.T("tui.field.tags"), value: strings.Join(co.Tags, ", ")}
	base := co
	draft := func() model.Company {
		d := base
		d.Name, d.Domain, d.Industry, d.Size, d.Phone = name.value, domain.value, industry.value, size.value, phone.value
		d.Tags = splitList(tags.value, false)
		return d
	}
	validate := func() error {
		d := draft()
		return d.Normalize(s.store.Rules())
	}
	heading := formTitle(s, model.EntityCompany, co.ID, co.Name)
	save := func(form uint64) tea.Cmd {
		d := draft()
		return s.write(form, func(tx *store.Tx) (writeMsg, error) {
			c, prev, err := current(tx, d.ID, tx.Company)
			if err != nil {
				return writeMsg{}, err
			}
			c.Name, c.Domain, c.Industry, c.Size, c.Phone, c.Tags = d.Name, d.Domain, d.Industry, d.Size, d.Phone, d.Tags
			if err := tx.PutCompany(&c); err != nil {
				return writeMsg{}, err
			}
			return saved(s, prev == nil, model.EntityCompany, c.ID, c.Name, func(tx *store.Tx) error {
				return revert(tx, prev, c.ID, tx.PutCompany, tx.DeleteCompany)
			}), nil
		})
	}
	return newForm(s, heading, []*formField{name, domain, industry, size, phone, tags}, validate, save)
}
