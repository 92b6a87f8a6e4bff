package ui

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// Model is the root of the program. It owns the views behind the tabs,
// the dialog stack, the status line and the undo stack, polls the store
// for changes, and routes every message: keys to the top dialog or the
// shown view, replies to whoever asked.
type Model struct {
	sh      *shared
	views   [viewCount]view
	active  int
	started [viewCount]bool
	stale   [viewCount]changeSet // changes a hidden view has not reloaded yet
	dialogs []dialog

	status    string
	statusErr bool
	busy      bool // the status says the file is busy; a read that works clears it
	undo      []*undoStep
	retry     tea.Cmd

	w, h       int
	dark       bool
	noColor    bool
	seq        uint64
	seqKnown   bool
	polling    bool
	pollAgain  bool
	start      time.Time
	firstFrame time.Duration // when Today first drew with data; 0 until then
	crashed    bool

	syncFn    SyncFunc
	syncEvery time.Duration
	sync      syncState
}

// seqMsg brings the change log's sequence number at start-up.
type seqMsg struct{ seq uint64 }

// pollTickMsg is the once-a-second reminder to look for changes.
type pollTickMsg struct{}

// pollInterval is how often the store is checked for writes by other
// processes; they show within about this long.
const pollInterval = time.Second

// New returns the root model over an open store.
func New(o Options) *Model {
	sh := &shared{
		lang: o.Lang, store: o.Store, cfg: o.Config, pipeline: o.Store.Pipeline(),
		now: o.Now, log: o.Logger, names: newNames(),
	}
	if sh.now == nil {
		sh.now = time.Now
	}
	if sh.log == nil {
		sh.log = slog.New(slog.DiscardHandler)
	}
	sh.styles = newStyles(true, false)
	km, problems := newKeyMap(o.Lang, o.Config.Keys)
	sh.keys = km
	m := &Model{sh: sh, dark: true, start: o.Started, syncFn: o.Sync, syncEvery: o.SyncEvery}
	if m.syncEvery == 0 {
		m.syncEvery = 5 * time.Minute
	}
	if m.start.IsZero() {
		m.start = time.Now()
	}
	m.views = [viewCount]view{
		newTodayView(sh), newContactsView(sh), newCompaniesView(sh),
		newDealsView(sh), newTasksView(sh), newReportsView(sh),
	}
	if len(problems) > 0 { // in config.toml's [keys]
		m.status, m.statusErr = strings.Join(problems, "; "), true
	}
	return m
}

// Init reads the change log's position and loads the start screen. The
// contact search index loads once the start screen has drawn, so that "/"
// answers at once without delaying the first frame.
func (m *Model) Init() tea.Cmd {
	m.started[viewToday] = true
	var sync tea.Cmd
	if m.syncFn != nil && m.syncEvery > 0 {
		sync = syncAfter(syncFirstDelay)
	}
	return tea.Batch(
		tea.RequestBackgroundColor,
		sync,
		m.sh.read(func(tx *store.Tx) tea.Msg { return seqMsg{tx.LastSeq()} }),
		m.views[viewToday].init(),
	)
}

// Update routes a message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.crashed {
		return m, tea.Quit
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, m.toDialog(msg)
	case tea.BackgroundColorMsg:
		m.dark = msg.IsDark()
		m.restyle()
		return m, m.toDialog(msg)
	case tea.ColorProfileMsg:
		m.noColor = msg.Profile <= colorprofile.Ascii
		m.restyle()
		return m, nil
	case panicMsg:
		m.sh.log.Error("panic in a command", "panic", fmt.Sprint(msg.value), "stack", string(msg.stack))
		m.crashed = true
		return m, tea.Quit
	case tea.KeyPressMsg:
		return m, m.key(msg)
	case tea.MouseClickMsg:
		return m, m.click(msg)
	case tea.MouseWheelMsg:
		if len(m.dialogs) > 0 {
			return m, nil
		}
		msg.Y--
		return m, m.views[m.active].update(msg)
	case openDialogMsg:
		return m, m.push(msg.d)
	case jumpMsg:
		return m, m.jump(msg.t)
	case editLoadedMsg:
		if msg.err != nil {
			m.fail(msg.err, nil)
			return m, nil
		}
		if f := m.sh.editForm(msg); f != nil {
			return m, m.push(f)
		}
		return m, nil
	case writeMsg:
		return m, m.written(msg)
	case dataErrMsg:
		m.fail(msg.err, nil)
		return m, nil
	case seqMsg:
		m.seq, m.seqKnown = msg.seq, true
		return m, tea.Tick(pollInterval, func(time.Time) tea.Msg { return pollTickMsg{} })
	case pollTickMsg:
		next := tea.Tick(pollInterval, func(time.Time) tea.Msg { return pollTickMsg{} })
		return m, tea.Batch(next, m.poll())
	case pollMsg:
		return m, m.polled(msg)
	case namesMsg:
		m.sh.names.add(msg)
		return m, nil
	case syncTickMsg:
		return m, m.startSync()
	case syncDoneMsg:
		return m, m.synced(msg)
	case syncConflictsMsg:
		m.sync.conflicts = msg.n
		return m, nil
	}
	// A reply: it goes to the top dialog and to every view; each takes
	// only its own.
	cmds := []tea.Cmd{m.toDialog(msg)}
	for _, v := range m.views {
		cmds = append(cmds, v.update(msg))
	}
	return m, tea.Batch(append(cmds, m.startUp())...)
}

// startUp loads, one after the other, what the first frame does not
// need: the contact search index once the start screen has drawn, then
// the customers going quiet.
func (m *Model) startUp() tea.Cmd {
	today := m.views[viewToday].(*todayView)
	switch {
	case !today.ready():
		return nil
	case m.firstFrame == 0:
		m.firstFrame = time.Since(m.start)
		if m.started[viewContacts] { // the user got there first
			return m.logFirstFrame()
		}
		m.started[viewContacts] = true
		return tea.Batch(m.logFirstFrame(), m.views[viewContacts].init())
	case m.views[viewContacts].(*contactsView).list.ix != nil:
		return today.startQuiet()
	}
	return nil
}

// logFirstFrame records how long the start screen took to fill.
func (m *Model) logFirstFrame() tea.Cmd {
	d, log := m.firstFrame, m.sh.log
	return func() tea.Msg {
		log.Info("first frame with data", "after", d.Round(time.Millisecond).String())
		return nil
	}
}

func (m *Model) restyle() {
	m.sh.styles = newStyles(m.dark, m.noColor)
	for _, v := range m.views {
		if r, ok := v.(restyler); ok {
			r.restyle()
		}
	}
}

func (m *Model) resize(w, h int) {
	m.w, m.h = w, h
	for _, v := range m.views {
		v.setSize(w, m.bodyHeight())
	}
	for _, d := range m.dialogs {
		d.setSize(w, h)
	}
}

// bodyHeight is the room for a view: the screen less the tab bar, the
// status line and the footer.
func (m *Model) bodyHeight() int { return max(m.h-3, 1) }

// toDialog gives a message to the top dialog.
func (m *Model) toDialog(msg tea.Msg) tea.Cmd {
	if len(m.dialogs) == 0 {
		return nil
	}
	top := m.dialogs[len(m.dialogs)-1]
	cmd, done := top.update(msg)
	if done {
		m.dialogs = m.dialogs[:len(m.dialogs)-1]
	}
	return cmd
}

// push opens a dialog.
func (m *Model) push(d dialog) tea.Cmd {
	d.setSize(m.w, m.h)
	m.dialogs = append(m.dialogs, d)
	switch d := d.(type) {
	case *formDialog:
		return d.build()
	case *dealDialog:
		return d.load()
	}
	return nil
}

// show switches to view i, loading it the first time and catching up on
// changes it missed while hidden.
func (m *Model) show(i int) tea.Cmd {
	m.active = i
	if !m.started[i] {
		m.started[i] = true
		m.stale[i] = changeSet{}
		return m.views[i].init()
	}
	c := m.stale[i]
	m.stale[i] = changeSet{}
	return m.views[i].refresh(c)
}

func (m *Model) jump(t target) tea.Cmd {
	var to int
	switch t.kind {
	case model.EntityContact:
		to = viewContacts
	case model.EntityCompany:
		to = viewCompanies
	case model.EntityDeal:
		to = viewDeals
	case model.EntityTask:
		to = viewTasks
	default:
		return nil
	}
	cmd := m.show(to)
	if j, ok := m.views[to].(jumper); ok {
		return tea.Batch(cmd, j.jump(t))
	}
	return cmd
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case msg.String() == "ctrl+c" && len(m.dialogs) == 0:
		return tea.Quit
	case msg.String() == "ctrl+c": // closes any dialog, whatever it is
		m.dialogs = m.dialogs[:len(m.dialogs)-1]
		return nil
	case len(m.dialogs) > 0:
		return m.toDialog(msg)
	}
	v, k := m.views[m.active], m.sh.keys
	if v.typing() {
		return v.update(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		return m.push(&helpDialog{sh: m.sh, sync: m.syncFn != nil})
	case key.Matches(msg, k.Search):
		if s, ok := v.(searcher); ok {
			return s.startSearch()
		}
		return tea.Batch(m.show(viewContacts), m.views[viewContacts].(searcher).startSearch())
	case key.Matches(msg, k.NextView):
		return m.show((m.active + 1) % viewCount)
	case key.Matches(msg, k.PrevView):
		return m.show((m.active + viewCount - 1) % viewCount)
	case key.Matches(msg, k.Undo):
		return m.undoLast()
	case key.Matches(msg, k.Sync) && m.syncFn != nil:
		return m.startSync()
	case key.Matches(msg, k.Conflicts):
		return tea.Batch(m.push(&conflictsDialog{sh: m.sh}), m.sh.loadConflicts())
	case key.Matches(msg, k.Retry):
		if r := m.retry; r != nil {
			m.retry, m.status = nil, m.sh.T("tui.retrying")
			return r
		}
		return m.refreshAll()
	}
	for i, b := range k.Views {
		if key.Matches(msg, b) {
			return m.show(i)
		}
	}
	if cmd, ok := m.recordKey(msg, v.selection()); ok {
		return cmd
	}
	return v.update(msg)
}

// recordKey handles the keys that act on the selected record; ok is
// false when msg is none of them, or means nothing here.
func (m *Model) recordKey(msg tea.KeyPressMsg, t target) (tea.Cmd, bool) {
	k, sh := m.sh.keys, m.sh
	switch {
	case key.Matches(msg, k.New):
		return m.newRecord(), true
	case key.Matches(msg, k.Edit) && t.ok():
		return sh.loadForEdit(t), true
	case key.Matches(msg, k.Delete) && t.ok():
		return m.push(&confirmDialog{sh: sh, question: sh.T("tui.confirm.delete."+t.kind.String(), t.label, firstKey(k.Undo)),
			yes: func() tea.Cmd { return sh.deleteCmd(t) }}), true
	case key.Matches(msg, k.Log) && (t.ok() && (!t.contact.IsZero() || !t.deal.IsZero() || !t.company.IsZero())):
		on := t
		if on.kind == model.EntityTask { // log on the follow-up's contact or deal
			on.label = joinNonEmpty(" · ", sh.names.contacts[t.contact], sh.names.deals[t.deal], t.label)
		}
		return m.push(activityForm(sh, on)), true
	case key.Matches(msg, k.Add) && t.ok() && t.kind != model.EntityTask:
		return m.push(taskForm(sh, model.Task{}, t)), true
	case key.Matches(msg, k.Done) && t.kind == model.EntityTask:
		return sh.completeCmd(t.id), true
	case key.Matches(msg, k.Snooze) && t.kind == model.EntityTask:
		return m.push(m.snoozePrompt(t)), true
	}
	return nil, false
}

// newRecord opens the form for a new record of the shown view's kind.
func (m *Model) newRecord() tea.Cmd {
	sh := m.sh
	switch m.active {
	case viewContacts, viewReports:
		return m.push(contactForm(sh, model.Contact{}, ""))
	case viewCompanies:
		return m.push(companyForm(sh, model.Company{}))
	case viewDeals:
		d := model.Deal{Stage: m.views[viewDeals].(*dealsView).stage()}
		return m.push(dealForm(sh, d, "", target{}))
	default:
		return m.push(taskForm(sh, model.Task{}, target{}))
	}
}

func (m *Model) snoozePrompt(t target) dialog {
	sh := m.sh
	check := func(v string) (string, error) {
		due, err := model.ParseWhen(v, sh.now())
		if err != nil {
			return "", err
		}
		return sh.fmtDue(due) + "  (" + dueText(due, sh.now().Location()) + ")", nil
	}
	return newPrompt(sh, sh.T("tui.snooze.title", t.label), sh.T("tui.snooze.default"), check, func(v string) tea.Cmd {
		due, err := model.ParseWhen(v, sh.now())
		if err != nil {
			return nil
		}
		return sh.snoozeCmd(t.id, due)
	})
}

func (m *Model) undoLast() tea.Cmd {
	if len(m.undo) == 0 {
		m.status, m.statusErr = m.sh.T("tui.undo.nothing"), false
		return nil
	}
	u := m.undo[len(m.undo)-1]
	m.undo = m.undo[:len(m.undo)-1]
	return m.sh.undoCmd(u)
}

// written handles the result of a write: the form that asked closes or
// shows the error, the views show the change, the status line says what
// happened, and the store is checked for what changed.
func (m *Model) written(msg writeMsg) tea.Cmd {
	cmds := []tea.Cmd{m.toDialog(msg)}
	if msg.err != nil {
		if msg.form == 0 || isBusy(msg.err) {
			m.fail(msg.err, msg.retry)
		}
		return tea.Batch(cmds...)
	}
	for _, v := range m.views {
		cmds = append(cmds, v.update(msg))
	}
	m.status, m.statusErr, m.retry, m.busy = msg.status, false, nil, false
	if msg.undo != nil {
		m.undo = append(m.undo, msg.undo)
		if len(m.undo) > maxUndo {
			m.undo = m.undo[1:]
		}
	}
	// A new or edited contact or company is selected once its list has
	// reloaded.
	switch msg.focus.kind {
	case model.EntityContact:
		m.views[viewContacts].(*contactsView).list.want = msg.focus.id
	case model.EntityCompany:
		m.views[viewCompanies].(*companiesView).list.want = msg.focus.id
	}
	return tea.Batch(append(cmds, m.poll())...)
}

// fail shows an error in the status line; retry, when set, is what the
// retry key runs.
func (m *Model) fail(err error, retry tea.Cmd) {
	if retry == nil && isBusy(err) {
		retry = m.retry // a read finding the file busy keeps a failed write's retry
	}
	m.status, m.statusErr, m.retry = describeErr(m.sh, err), true, retry
	m.busy = isBusy(err)
	m.sh.log.Warn("store", "err", err.Error())
}

// poll checks the change log now, unless a check is running (then once
// more when it ends).
func (m *Model) poll() tea.Cmd {
	if !m.seqKnown {
		return nil
	}
	if m.polling {
		m.pollAgain = true
		return nil
	}
	m.polling = true
	return m.sh.pollCmd(m.seq)
}

// polled reloads what changed: the shown view and the search indexes now,
// hidden views when they are next shown.
func (m *Model) polled(msg pollMsg) tea.Cmd {
	m.polling = false
	if m.busy && m.retry == nil { // the file is free again; a failed write still waits for retry
		m.status, m.statusErr, m.busy = "", false, false
	}
	var cmds []tea.Cmd
	if m.pollAgain {
		m.pollAgain = false
		cmds = append(cmds, m.poll())
	}
	if msg.seq == m.seq || !msg.changed.any() {
		m.seq = msg.seq
		return tea.Batch(cmds...)
	}
	m.seq = msg.seq
	m.sh.names.reset()
	for i, v := range m.views {
		switch {
		case !m.started[i]:
		case i == m.active || i == viewContacts || i == viewCompanies:
			cmds = append(cmds, v.refresh(msg.changed))
		default:
			m.stale[i] = merge(m.stale[i], msg.changed)
		}
	}
	return tea.Batch(cmds...)
}

func merge(a, b changeSet) changeSet {
	return changeSet{a.contacts || b.contacts, a.companies || b.companies, a.deals || b.deals, a.tasks || b.tasks, a.activities || b.activities}
}

// refreshAll reloads every started view (the retry key with nothing to
// retry).
func (m *Model) refreshAll() tea.Cmd {
	m.sh.names.reset()
	var cmds []tea.Cmd
	for i, v := range m.views {
		if m.started[i] {
			cmds = append(cmds, v.refresh(everything))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) click(msg tea.MouseClickMsg) tea.Cmd {
	if len(m.dialogs) > 0 || msg.Button != tea.MouseLeft {
		return nil
	}
	mouse := msg.Mouse()
	if mouse.Y == 0 {
		for i, r := range m.tabRanges() {
			if mouse.X >= r[0] && mouse.X < r[1] {
				return m.show(i)
			}
		}
		return nil
	}
	if mouse.Y > m.bodyHeight() {
		return nil
	}
	msg.Y--
	return m.views[m.active].update(msg)
}

// tabLabels are the tab bar's labels, "1 Today" and so on.
func (m *Model) tabLabels() []string {
	out := make([]string, viewCount)
	for i, v := range m.views {
		out[i] = firstKey(m.sh.keys.Views[i]) + " " + v.title()
	}
	return out
}

// tabRanges are the columns each tab takes in the tab bar.
func (m *Model) tabRanges() [][2]int {
	x := width(brand) + 2
	var out [][2]int
	for _, l := range m.tabLabels() {
		w := width(l) + 2
		out = append(out, [2]int{x, x + w})
		x += w
	}
	return out
}

const brand = " rolo"

// View draws the tab bar, the shown view, the status line and the footer,
// with the top dialog over them.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "rolo"
	if m.w == 0 || m.h == 0 {
		return v
	}
	screen := strings.Join([]string{
		m.tabBar(),
		m.views[m.active].render(m.w, m.bodyHeight()),
		m.statusLine(),
		m.footer(),
	}, "\n")
	if len(m.dialogs) > 0 {
		box := m.dialogs[len(m.dialogs)-1].render(m.w, m.h)
		bw, bh := lipgloss.Size(box)
		screen = overlay(screen, box, max((m.w-bw)/2, 0), max((m.h-bh)/2, 0))
	}
	v.SetContent(screen)
	return v
}

func (m *Model) tabBar() string {
	s := m.sh.styles
	var b strings.Builder
	b.WriteString(s.Brand.Render(brand) + "  ")
	for i, l := range m.tabLabels() {
		if i == m.active {
			b.WriteString(s.TabActive.Render(" "+l+" ") + "")
		} else {
			b.WriteString(s.Tab.Render(" " + l + " "))
		}
	}
	return fit(b.String(), m.w)
}

func (m *Model) statusLine() string {
	s := m.sh.styles
	right := m.syncStatus()
	if right != "" {
		right = s.Muted.Render(right) + " "
	}
	room := max(m.w-width(right), 0)
	var left string
	switch {
	case m.status == "":
	case m.statusErr:
		left = " " + s.StatusError.Render(oneLine(m.status))
	default:
		left = " " + s.StatusInfo.Render(oneLine(m.status))
	}
	if right == "" || room < 20 {
		return fit(left, m.w)
	}
	return fit(left, room) + right
}

// footer shows the few keys that matter in the shown view, and ? for the
// rest.
func (m *Model) footer() string {
	s := m.sh.styles
	bindings := m.views[m.active].shortHelp()
	if len(m.dialogs) == 0 && !m.views[m.active].typing() {
		bindings = append(bindings, m.sh.keys.NextView, m.sh.keys.Undo, m.sh.keys.Help, m.sh.keys.Quit)
	}
	var parts []string
	used := 1
	for _, b := range bindings {
		if !b.Enabled() {
			continue
		}
		h := b.Help()
		part := s.HelpKey.Render(h.Key) + " " + s.HelpDesc.Render(h.Desc)
		pw := width(h.Key) + 1 + width(h.Desc) + 3
		if used+pw > m.w {
			break
		}
		used += pw
		parts = append(parts, part)
	}
	return fit(" "+strings.Join(parts, s.HelpDesc.Render(" · ")), m.w)
}
