package ui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// taskForm creates a follow-up for the record on points at, or edits t.
func taskForm(s *shared, t model.Task, on target) *formDialog {
	now := s.now()
	title := &formField{key: "title", label: s.T("tui.field.tasktitle"), value: t.Title}
	due := &formField{key: "due", label: s.T("tui.field.due"), value: dueText(t.Due, now.Location()), hint: s.T("tui.hint.due"),
		check: func(v string) error { _, err := parseDue(v, now); return err }}
	priority := t.Priority
	if priority == "" {
		priority = model.PriorityNormal
	}
	prio := &formField{key: "priority", label: s.T("tui.field.priority"), value: priority, kind: fieldSelect, options: []huh.Option[string]{
		huh.NewOption(s.T("tui.priority.low"), model.PriorityLow),
		huh.NewOption(s.T("tui.priority.normal"), model.PriorityNormal),
		huh.NewOption(s.T("tui.priority.high"), model.PriorityHigh),
	}}
	repeat := &formField{key: "repeat", label: s.T("tui.field.repeat"), value: t.Repeat.String(), hint: "weekly · 每月",
		check: func(v string) error { _, err := model.ParseRepeat(v); return err }}
	notes := &formField{key: "notes", label: s.T("tui.field.notes"), value: t.Notes, kind: fieldText}
	fields := []*formField{title, due, prio, repeat, notes}
	if t.ID.IsZero() && on.ok() {
		fields = append([]*formField{{key: "for", label: s.T("tui.form.for", on.label), kind: fieldNote}}, fields...)
	}
	base := t
	draft := func() (model.Task, error) {
		x := base
		x.Title, x.Priority, x.Notes = title.value, prio.value, notes.value
		var err error
		if x.Due, err = parseDue(due.value, now); err != nil {
			return x, err
		}
		if x.Repeat, err = model.ParseRepeat(repeat.value); err != nil {
			return x, err
		}
		return x, nil
	}
	validate := func() error {
		x, err := draft()
		if err != nil {
			return err
		}
		return x.Normalize(s.store.Rules())
	}
	heading := formTitle(s, model.EntityTask, t.ID, t.Title)
	save := func(form uint64) tea.Cmd {
		x, _ := draft()
		return s.write(form, func(tx *store.Tx) (writeMsg, error) {
			cur, prev, err := current(tx, x.ID, tx.Task)
			if err != nil {
				return writeMsg{}, err
			}
			if prev == nil {
				cur = model.Task{ContactID: on.contact, DealID: on.deal, Owner: s.cfg.Owner}
				if on.kind == model.EntityCompany {
					cur.CompanyID = on.company
				}
				if cur.ContactID.IsZero() && !cur.DealID.IsZero() {
					if d, err := tx.Deal(cur.DealID); err == nil {
						cur.ContactID = d.ContactID
					}
				}
			}
			cur.Title, cur.Due, cur.Priority, cur.Repeat, cur.Notes = x.Title, x.Due, x.Priority, x.Repeat, x.Notes
			if err := tx.PutTask(&cur); err != nil {
				return writeMsg{}, err
			}
			m := saved(s, prev == nil, model.EntityTask, cur.ID, cur.Title, func(tx *store.Tx) error {
				return revert(tx, prev, cur.ID, tx.PutTask, tx.DeleteTask)
			})
			m.task = &cur
			return m, nil
		})
	}
	return newForm(s, heading, fields, validate, save)
}

// dueText writes a due date so that model.ParseWhen reads it back.
func dueText(d model.Due, loc *time.Location) string {
	switch {
	case d.IsZero():
		return ""
	case d.HasTime():
		return d.At.In(loc).Format("2006-01-02 15:04")
	}
	return d.Date.String()
}

// parseDue reads a follow-up's due date; empty is none.
func parseDue(text string, now time.Time) (model.Due, error) {
	if strings.TrimSpace(text) == "" {
		return model.Due{}, nil
	}
	return model.ParseWhen(text, now)
}
