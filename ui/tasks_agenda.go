package ui

import (
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// tasksView is the agenda of open follow-ups, grouped overdue, today,
// this week (to Sunday) and later; x marks one done, s snoozes it.
type tasksView struct {
	sh     *shared
	req    uint64
	loaded bool
	tasks  []model.Task // open, in due order
	lines  []agendaLine
	cursor int // index into lines, always on a task
	top    int
	h      int // rows on screen
}

// agendaLine is a group heading (task < 0) or a follow-up.
type agendaLine struct {
	group string
	count int
	task  int
}

type agendaMsg struct {
	req   uint64
	tasks []model.Task
	err   error
}

func newTasksView(sh *shared) *tasksView { return &tasksView{sh: sh} }

func (v *tasksView) title() string { return v.sh.T("tui.view.tasks") }

func (v *tasksView) init() tea.Cmd { return v.load() }

func (v *tasksView) load() tea.Cmd {
	req := v.sh.nextReq()
	v.req = req
	now := v.sh.now()
	return v.sh.read(func(tx *store.Tx) tea.Msg {
		tasks, err := tx.Tasks(store.TaskQuery{}, now)
		return agendaMsg{req: req, tasks: tasks, err: err}
	})
}

// refresh reloads the agenda when follow-ups changed; the names of their
// contacts and deals come from the shared cache, emptied on any change.
func (v *tasksView) refresh(c changeSet) tea.Cmd {
	if c.tasks {
		return v.load()
	}
	return v.fetchNames()
}

func (v *tasksView) typing() bool { return false }

// group names the agenda group of a follow-up.
func (v *tasksView) group(t model.Task) string {
	today := v.sh.today()
	switch {
	case t.Overdue(v.sh.now()):
		return "overdue"
	case t.Due.IsZero():
		return "later"
	case t.Due.Date == today:
		return "today"
	}
	sunday := today.AddDays((7 - int(today.In(time.UTC).Weekday())) % 7)
	if !t.Due.Date.After(sunday) {
		return "week"
	}
	return "later"
}

// arrange builds the agenda lines from the tasks, keeping the cursor on
// the same follow-up when it is still there.
func (v *tasksView) arrange(keep model.ID) {
	groups := []string{"overdue", "today", "week", "later"}
	byGroup := map[string][]int{}
	for i, t := range v.tasks {
		g := v.group(t)
		byGroup[g] = append(byGroup[g], i)
	}
	v.lines = v.lines[:0]
	for _, g := range groups {
		if len(byGroup[g]) == 0 {
			continue
		}
		v.lines = append(v.lines, agendaLine{group: g, count: len(byGroup[g]), task: -1})
		for _, i := range byGroup[g] {
			v.lines = append(v.lines, agendaLine{task: i})
		}
	}
	cursor := -1
	if !keep.IsZero() {
		cursor = slices.IndexFunc(v.lines, func(l agendaLine) bool { return l.task >= 0 && v.tasks[l.task].ID == keep })
	}
	if cursor < 0 {
		cursor = clamp(v.cursor, 0, max(len(v.lines)-1, 0))
	}
	v.cursor = cursor
	v.step(0)
}

func (v *tasksView) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case agendaMsg:
		if msg.req != v.req || msg.err != nil {
			return nil
		}
		keep := v.selected().ID
		v.tasks, v.loaded = msg.tasks, true
		v.arrange(keep)
		return v.fetchNames()
	case writeMsg:
		if msg.err == nil && msg.task != nil {
			v.apply(*msg.task)
		}
	case tea.KeyPressMsg:
		return v.key(msg)
	case tea.MouseClickMsg:
		if i := v.top + msg.Mouse().Y; i < len(v.lines) && v.lines[i].task >= 0 {
			v.cursor = i
		}
		return v.fetchNames()
	case tea.MouseWheelMsg:
		if msg.Button == tea.MouseWheelUp {
			v.step(-3)
		} else {
			v.step(3)
		}
		return v.fetchNames()
	}
	return nil
}

// apply shows a follow-up's new state at once: done ones leave the
// agenda, snoozed ones move.
func (v *tasksView) apply(t model.Task) {
	keep := v.selected().ID
	i := slices.IndexFunc(v.tasks, func(x model.Task) bool { return x.ID == t.ID })
	if i >= 0 {
		v.tasks = slices.Delete(v.tasks, i, i+1)
	}
	if !t.Done() {
		at, _ := slices.BinarySearchFunc(v.tasks, t, func(a, b model.Task) int { return dueCmp(a.Due, b.Due) })
		v.tasks = slices.Insert(v.tasks, at, t)
	} else if keep == t.ID {
		keep = model.ID{}
	}
	v.arrange(keep)
}

// dueCmp orders follow-ups by when they fall due, undated last.
func dueCmp(a, b model.Due) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Instant(time.Local).Compare(b.Instant(time.Local))
}

func (v *tasksView) key(msg tea.KeyPressMsg) tea.Cmd {
	k := v.sh.keys
	if delta, ok := k.cursorStep(msg, v.h, len(v.lines)); ok {
		v.step(delta)
		return v.fetchNames()
	}
	if t := v.selection(); key.Matches(msg, k.Open) && !t.contact.IsZero() {
		return jumpTo(target{kind: model.EntityContact, id: t.contact, contact: t.contact})
	}
	return nil
}

// step moves the cursor by delta follow-ups' lines, skipping headings.
func (v *tasksView) step(delta int) {
	if len(v.lines) == 0 {
		v.cursor, v.top = 0, 0
		return
	}
	c := clamp(v.cursor+delta, 0, len(v.lines)-1)
	dir := 1
	if delta < 0 {
		dir = -1
	}
	for c >= 0 && c < len(v.lines) && v.lines[c].task < 0 {
		c += dir
	}
	if c < 0 || c >= len(v.lines) { // ran off an end: go the other way
		c = clamp(v.cursor+delta, 0, len(v.lines)-1)
		for c >= 0 && c < len(v.lines) && v.lines[c].task < 0 {
			c -= dir
		}
	}
	v.cursor = clamp(c, 0, len(v.lines)-1)
	top := v.cursor
	if v.cursor > 0 && v.lines[v.cursor-1].task < 0 {
		top = v.cursor - 1 // keep a group's heading with its first follow-up
	}
	v.top = scrollTo(v.cursor, min(v.top, top), v.h, len(v.lines))
}

func (v *tasksView) selected() model.Task {
	if v.cursor >= len(v.lines) || v.lines[v.cursor].task < 0 {
		return model.Task{}
	}
	return v.tasks[v.lines[v.cursor].task]
}

func (v *tasksView) selection() target {
	t := v.selected()
	if t.ID.IsZero() {
		return target{}
	}
	return target{kind: model.EntityTask, id: t.ID, label: t.Title, contact: t.ContactID, deal: t.DealID, company: t.CompanyID}
}

func (v *tasksView) jump(t target) tea.Cmd {
	if t.kind != model.EntityTask {
		return nil
	}
	if i := slices.IndexFunc(v.lines, func(l agendaLine) bool { return l.task >= 0 && v.tasks[l.task].ID == t.id }); i >= 0 {
		v.cursor = i
		v.step(0)
	}
	return v.fetchNames()
}

// fetchNames looks up the contacts and deals of the lines on screen.
func (v *tasksView) fetchNames() tea.Cmd {
	var r nameRefs
	for _, l := range v.lines[min(v.top, len(v.lines)):min(v.top+v.h, len(v.lines))] {
		if l.task >= 0 {
			r.contact(v.sh.names, v.tasks[l.task].ContactID)
			r.deal(v.sh.names, v.tasks[l.task].DealID)
		}
	}
	return v.sh.fetchNames(r)
}

func (v *tasksView) setSize(_, h int) {
	v.h = h
	v.step(0)
}

func (v *tasksView) render(w, h int) string {
	s := v.sh.styles
	switch {
	case !v.loaded:
		return block([]string{s.Muted.Render(v.sh.T("tui.loading"))}, w, h)
	case len(v.lines) == 0:
		return block([]string{s.Muted.Render(v.sh.T("tui.tasks.none"))}, w, h)
	}
	var out []string
	for i := v.top; i < len(v.lines) && len(out) < h; i++ {
		l := v.lines[i]
		if l.task < 0 {
			out = append(out, s.Section.Render(v.sh.T("tui.agenda."+l.group, l.count)))
			continue
		}
		out = append(out, v.row(v.tasks[l.task], w, i == v.cursor))
	}
	return block(out, w, h)
}

func (v *tasksView) row(t model.Task, w int, sel bool) string {
	s := v.sh.styles
	contact := v.sh.names.contacts[t.ContactID]
	deal := v.sh.names.deals[t.DealID]
	dw, cw, lw := dueWidth, 0, 0
	if w >= 70 {
		cw = 18
	}
	if w >= 110 {
		lw = 28
	}
	tw := w - 2 - dw - 2 - cw - lw - 3
	cells := []string{dueCell(v.sh, t, dw), priorityMark(t.Priority), oneLine(t.Title), s.Muted.Render(contact), s.Muted.Render(deal)}
	line := joinCols(cells, []int{dw, 1, tw, cw, lw})
	if sel {
		return s.Selected.Render(fit("▸ "+ansiStrip(line), w))
	}
	return "  " + line
}

func (v *tasksView) shortHelp() []key.Binding {
	k := v.sh.keys
	return []key.Binding{k.Done, k.Snooze, k.Open, k.New, k.Edit, k.Delete}
}
