package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
)

// The views behind the tabs, in tab order.
const (
	viewToday = iota
	viewContacts
	viewCompanies
	viewDeals
	viewTasks
	viewReports
	viewCount
)

// view is one screen behind a tab: a component with its own state that
// the root model gives messages, a size and a place to draw.
type view interface {
	// title is the tab label.
	title() string
	// init starts the first load of the view's data.
	init() tea.Cmd
	// update handles replies to the view's commands (always) and keys and
	// mouse events (only while the view is shown; mouse rows start at 0
	// at the top of the view).
	update(msg tea.Msg) tea.Cmd
	// render draws the view in w x h cells. It reads state only.
	render(w, h int) string
	// setSize tells the view its size.
	setSize(w, h int)
	// shortHelp lists the few keys that matter in the view now.
	shortHelp() []key.Binding
	// refresh reloads what a change in the store touched.
	refresh(c changeSet) tea.Cmd
	// selection is what the record keys (e, d, l, t, x, s) act on.
	selection() target
	// typing reports whether a text box in the view has the keys.
	typing() bool
}

// restyler is a view with parts that keep their own styles (text boxes),
// told when the theme changes.
type restyler interface {
	restyle()
}

// searcher is a view with a search box ("/").
type searcher interface {
	startSearch() tea.Cmd
}

// jumper is a view that can select a given record (a follow-up's contact,
// a deal closing soon, from the Today view).
type jumper interface {
	jump(t target) tea.Cmd
}

// target is a record the user points at, and the records it concerns.
type target struct {
	kind    model.Entity
	id      model.ID
	label   string // name or title, for messages
	contact model.ID
	company model.ID
	deal    model.ID
}

func (t target) ok() bool { return !t.id.IsZero() }

// jumpMsg asks the root model to show the view for a record and select it.
type jumpMsg struct{ t target }

func jumpTo(t target) tea.Cmd { return func() tea.Msg { return jumpMsg{t} } }
