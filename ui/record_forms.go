package ui

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// The forms that create and edit records. Each reads its fields into a
// draft of the record, runs the model's rules on the draft to check them,
// and saves in one transaction that re-reads the record, so that a
// change another process made meanwhile to a field the form does not
// show is kept.

// editLoadedMsg brings a record to edit, with the names its form shows.
type editLoadedMsg struct {
	t       target
	rec     any
	company string // a contact's company
	contact string // a deal's contact
	err     error
}

// loadForEdit reads the record t points at.
func (s *shared) loadForEdit(t target) tea.Cmd {
	return s.read(func(tx *store.Tx) tea.Msg {
		m := editLoadedMsg{t: t}
		switch t.kind {
		case model.EntityContact:
			c, err := tx.Contact(t.id)
			if err == nil && !c.CompanyID.IsZero() {
				co, _ := tx.Company(c.CompanyID)
				m.company = co.Name
			}
			m.rec, m.err = c, err
		case model.EntityCompany:
			m.rec, m.err = tx.Company(t.id)
		case model.EntityDeal:
			d, err := tx.Deal(t.id)
			if err == nil && !d.ContactID.IsZero() {
				c, _ := tx.Contact(d.ContactID)
				m.contact = c.Name
			}
			m.rec, m.err = d, err
		case model.EntityTask:
			m.rec, m.err = tx.Task(t.id)
		default:
			m.err = errors.New(s.T("tui.err.noedit", s.T("tui.noun."+t.kind.String())))
		}
		return m
	})
}

// editForm opens the form for a loaded record.
func (s *shared) editForm(m editLoadedMsg) *formDialog {
	switch r := m.rec.(type) {
	case model.Contact:
		return contactForm(s, r, m.company)
	case model.Company:
		return companyForm(s, r)
	case model.Deal:
		return dealForm(s, r, m.contact, target{})
	case model.Task:
		return taskForm(s, r, target{kind: model.EntityTask, label: r.Title})
	}
	return nil
}

// current re-reads the record being edited (prev is its state before the
// write, for undo), or returns a new zero record when id is zero.
func current[T any](tx *store.Tx, id model.ID, get func(model.ID) (T, error)) (T, *T, error) {
	var zero T
	if id.IsZero() {
		return zero, nil, nil
	}
	rec, err := get(id)
	if err != nil {
		return zero, nil, err
	}
	prev := rec
	return rec, &prev, nil
}

// revert undoes a save: a created record is deleted, an edited one is
// written back as it was.
func revert[T any](tx *store.Tx, prev *T, id model.ID, put func(*T) error, del func(model.ID) (store.Removal, error)) error {
	if prev == nil {
		_, err := del(id)
		return err
	}
	p := *prev
	return put(&p)
}

// formTitle is "New contact" for a record without an id, else "Edit"
// and its name.
func formTitle(s *shared, kind model.Entity, id model.ID, name string) string {
	if id.IsZero() {
		return s.T("tui.form.new", s.T("tui.noun."+kind.String()))
	}
	return s.T("tui.form.edit", name)
}

// saved is the message of a successful save.
func saved(s *shared, created bool, kind model.Entity, id model.ID, label string, undo func(*store.Tx) error) writeMsg {
	noun := s.T("tui.noun." + kind.String())
	status, undoLabel := s.T("tui.saved", noun, label), s.T("tui.undo.edit", label)
	if created {
		status, undoLabel = s.T("tui.created", noun, label), s.T("tui.undo.create", noun, label)
	}
	return writeMsg{status: status, focus: target{kind: kind, id: id, label: label},
		undo: &undoStep{label: undoLabel, apply: undo}}
}

// relabel names the form field a parse error belongs to.
func relabel(err error, field string) error {
	if fe, ok := err.(*model.FieldError); ok {
		c := *fe
		c.Field = field
		return &c
	}
	return err
}
