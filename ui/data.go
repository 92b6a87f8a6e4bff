package ui

import (
	"runtime/debug"

	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// Every store access runs inside a tea.Cmd, off the event loop, and comes
// back as a message; Update and View never read the store. A command
// never touches the model: what it needs it receives as arguments.

// panicMsg carries a panic caught inside a command, with its stack.
type panicMsg struct {
	value any
	stack []byte
}

// guard turns a panic inside fn into a panicMsg, so the root model can
// log it and quit with the terminal restored instead of dying in a
// goroutine.
func guard(fn func() tea.Msg) tea.Cmd {
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{value: r, stack: debug.Stack()}
			}
		}()
		return fn()
	}
}

// dataErrMsg reports a read that could not run (the file is busy, or
// cannot be opened); the status line shows it.
type dataErrMsg struct{ err error }

// read runs fn in a read transaction inside a command and returns the
// message fn builds.
func (s *shared) read(fn func(tx *store.Tx) tea.Msg) tea.Cmd {
	st := s.store
	return guard(func() tea.Msg {
		var msg tea.Msg
		err := st.View(func(tx *store.Tx) error {
			msg = fn(tx)
			return nil
		})
		if err != nil {
			return dataErrMsg{err: err}
		}
		return msg
	})
}

// namesMsg brings the names of linked records.
type namesMsg struct {
	contacts, companies, deals map[model.ID]string
}

// fetchNames looks up the names of the given records; nil when there is
// nothing to look up.
func (s *shared) fetchNames(r nameRefs) tea.Cmd {
	if r.empty() {
		return nil
	}
	return s.read(func(tx *store.Tx) tea.Msg {
		m := namesMsg{contacts: map[model.ID]string{}, companies: map[model.ID]string{}, deals: map[model.ID]string{}}
		for _, id := range r.contacts {
			if c, err := tx.Contact(id); err == nil {
				m.contacts[id] = c.Name
			}
		}
		for _, id := range r.companies {
			if c, err := tx.Company(id); err == nil {
				m.companies[id] = c.Name
			}
		}
		for _, id := range r.deals {
			if d, err := tx.Deal(id); err == nil {
				m.deals[id] = d.Title
			}
		}
		return m
	})
}

// changeSet says which kinds of record changed since the last look.
type changeSet struct {
	contacts, companies, deals, tasks, activities bool
}

func (c changeSet) any() bool {
	return c.contacts || c.companies || c.deals || c.tasks || c.activities
}

// everything is the change set that reloads all data.
var everything = changeSet{true, true, true, true, true}

// pollMsg answers pollCmd: the change log's last sequence number and what
// changed since the one the model had seen.
type pollMsg struct {
	seq     uint64
	changed changeSet
}

// maxChanges bounds how much of the change log one poll reads; past it
// everything is reloaded.
const maxChanges = 5000

// pollCmd reads the change log after seq, the cheap check that lets the
// TUI notice writes by other processes (a script, an import) and by its
// own commands.
func (s *shared) pollCmd(seq uint64) tea.Cmd {
	return s.read(func(tx *store.Tx) tea.Msg {
		last := tx.LastSeq()
		if last == seq {
			return pollMsg{seq: last}
		}
		if last < seq { // the file was replaced (restore): start over
			return pollMsg{seq: last, changed: everything}
		}
		list, err := tx.Changes(seq, maxChanges)
		if err != nil || len(list) == maxChanges {
			return pollMsg{seq: last, changed: everything}
		}
		var c changeSet
		for _, ch := range list {
			switch ch.Entity {
			case model.EntityContact:
				c.contacts = true
			case model.EntityCompany:
				c.companies = true
			case model.EntityDeal:
				c.deals = true
			case model.EntityTask:
				c.tasks = true
			case model.EntityActivity:
				c.activities = true
			}
		}
		return pollMsg{seq: last, changed: c}
	})
}

// describeErr turns an error from the store into one line for the status
// line, with a rule the input broke in the interface language.
func describeErr(s *shared, err error) string {
	switch {
	case isBusy(err):
		return s.T("tui.err.busy", firstKey(s.keys.Retry))
	default:
		return oneLine(model.ErrorIn(err, s.lang))
	}
}
