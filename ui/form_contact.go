package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// contactForm creates (c has no id) or edits a contact.
func contactForm(s *shared, c model.Contact, company string) *formDialog {
	name := &formField{key: "name", label: s.T("tui.field.name"), value: c.Name}
	emails := &formField{key: "email", label: s.T("tui.field.emails"), value: strings.Join(c.EmailAddresses(), ", "), hint: "name@example.com"}
	phones := &formField{key: "phone", label: s.T("tui.field.phones"), value: strings.Join(c.PhoneNumbers(), ", "), hint: "+86 138 0013 8000"}
	comp := &formField{key: "company", label: s.T("tui.field.company"), value: company}
	title := &formField{key: "title", label: s.T("tui.field.title"), value: c.Title}
	tags := &formField{key: "tags", label: s.T("tui.field.tags"), value: strings.Join(c.Tags, ", "), hint: "vip, 老客户"}
	base := c
	draft := func() model.Contact {
		d := base
		d.Name, d.Title = name.value, title.value
		d.Emails = mergeEmails(base.Emails, splitList(emails.value, true))
		d.Phones = mergePhones(base.Phones, splitList(phones.value, false))
		d.Tags = splitList(tags.value, false)
		return d
	}
	validate := func() error {
		d := draft()
		return d.Normalize(s.store.Rules())
	}
	heading := formTitle(s, model.EntityContact, c.ID, c.Name)
	save := func(form uint64) tea.Cmd {
		d, companyName, oldCompany := draft(), strings.TrimSpace(comp.value), company
		return s.write(form, func(tx *store.Tx) (writeMsg, error) {
			return saveContact(s, tx, d, companyName, oldCompany)
		})
	}
	return newForm(s, heading, []*formField{name, emails, phones, comp, title, tags}, validate, save)
}

// saveContact writes a contact from its form: the company is found by
// name or created, and an email or phone another contact has is refused
// (duplicates are decided by email and phone).
func saveContact(s *shared, tx *store.Tx, d model.Contact, companyName, oldCompany string) (writeMsg, error) {
	c, prev, err := current(tx, d.ID, tx.Contact)
	if err != nil {
		return writeMsg{}, err
	}
	c.Name, c.Title, c.Emails, c.Phones, c.Tags = d.Name, d.Title, d.Emails, d.Phones, d.Tags
	var created model.ID
	switch {
	case companyName == "":
		c.CompanyID = model.ID{}
	case prev != nil && companyName == oldCompany:
	default:
		if ids := tx.CompaniesNamed(companyName); len(ids) > 0 {
			c.CompanyID = ids[0]
		} else {
			co, err := tx.EnsureCompany(companyName)
			if err != nil {
				return writeMsg{}, err
			}
			c.CompanyID, created = co.ID, co.ID
		}
	}
	if err := c.Normalize(s.store.Rules()); err != nil {
		return writeMsg{}, err
	}
	if err := refuseDuplicates(s, tx, &c); err != nil {
		return writeMsg{}, err
	}
	if err := tx.PutContact(&c); err != nil {
		return writeMsg{}, err
	}
	undo := func(tx *store.Tx) error {
		if err := revert(tx, prev, c.ID, tx.PutContact, tx.DeleteContact); err != nil {
			return err
		}
		if !created.IsZero() {
			_, err := tx.DeleteCompany(created)
			return err
		}
		return nil
	}
	return saved(s, prev == nil, model.EntityContact, c.ID, c.Name, undo), nil
}

// refuseDuplicates stops a contact from taking an email or phone another
// contact has.
func refuseDuplicates(s *shared, tx *store.Tx, c *model.Contact) error {
	for _, e := range c.Emails {
		for _, id := range tx.ContactsByEmail(e.Address) {
			if id != c.ID {
				o, _ := tx.Contact(id)
				return &model.FieldError{Field: "email", Value: e.Address, Reason: s.T("tui.dup.email", o.Name)}
			}
		}
	}
	for _, p := range c.Phones {
		for _, id := range tx.ContactsByPhone(p.Number) {
			if id != c.ID {
				o, _ := tx.Contact(id)
				return &model.FieldError{Field: "phone", Value: p.Number, Reason: s.T("tui.dup.phone", o.Name)}
			}
		}
	}
	return nil
}

// mergeEmails builds the email list from the typed addresses, keeping the
// labels of addresses that stay.
func mergeEmails(old []model.Email, typed []string) []model.Email {
	var out []model.Email
	for _, a := range typed {
		e := model.Email{Address: a}
		if i := slices.IndexFunc(old, func(o model.Email) bool { return strings.EqualFold(o.Address, a) }); i >= 0 {
			e.Label = old[i].Label
		}
		out = append(out, e)
	}
	return out
}

// mergePhones builds the phone list from the typed numbers; a number
// typed as shown keeps its original text and label.
func mergePhones(old []model.Phone, typed []string) []model.Phone {
	var out []model.Phone
	for _, n := range typed {
		if i := slices.IndexFunc(old, func(o model.Phone) bool { return o.Number == n || o.Original == n }); i >= 0 {
			out = append(out, old[i])
			continue
		}
		out = append(out, model.Phone{Number: n})
	}
	return out
}
