package ui

import (
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// todayView is the start screen: overdue and due-today follow-ups, deals
// whose expected close is near or past, customers going quiet, and the
// open pipeline per currency.
type todayView struct {
	sh      *shared
	req     uint64
	quietRq uint64
	data    *todayData
	quiet   *quietData
	lines   []todayLine
	cursor  int
	moved   bool // the user moved the cursor: reloads keep it on its item
	top     int
	w, h    int
}

// todayData is the first, fast part of the start screen. Each list holds
// at most sectionMax items (the Tasks and Deals views list them all);
// the counts are of all.
type todayData struct {
	overdue, due []model.Task
	closing      []model.Deal
	overdueN     int
	dueN         int
	closingN     int
	pipeline     []currencyTotal
	stages       []stageTotal // open stages, in pipeline order
	openDeals    int
}

// stageTotal is the open pipeline in one stage.
type stageTotal struct {
	stage string
	count int
	sum   money
}

// currencyTotal is the open pipeline in one currency.
type currencyTotal struct {
	currency string
	count    int
	sum      model.Money
	weighted model.Money
}

// quietData lists customers going quiet, the slower part (it looks at
// every contact's last activity).
type quietData struct {
	contacts []quietContact
	total    int
}

type quietContact struct {
	id   model.ID
	name string
	last time.Time // zero: no activity logged
	won  bool
}

// todayLine is a heading, a note, or an item the cursor can rest on.
type todayLine struct {
	heading string
	note    string
	task    *model.Task
	deal    *model.Deal
	quiet   *quietContact
}

func (l todayLine) item() bool { return l.task != nil || l.deal != nil || l.quiet != nil }

type todayMsg struct {
	req  uint64
	data *todayData
	err  error
}

type quietMsg struct {
	req  uint64
	data *quietData
}

// Today's limits: deals closing within closingDays count as closing soon;
// each section lists at most sectionMax items (the other views list all);
// a customer in touch within quietLookback quiet periods counts as active.
const (
	closingDays   = 14
	sectionMax    = 50
	quietLookback = 3
)

func newTodayView(sh *shared) *todayView { return &todayView{sh: sh} }

func (v *todayView) title() string { return v.sh.T("tui.view.today") }

// init loads the fast part. The root model starts the slower customers
// going quiet (startQuiet) once the first frame and the contact search
// index are in, so that neither waits for it and their reads do not pile
// up in memory at once.
func (v *todayView) init() tea.Cmd { return v.load() }

// startQuiet loads the customers going quiet the first time.
func (v *todayView) startQuiet() tea.Cmd {
	if v.quietRq != 0 {
		return nil
	}
	return v.loadQuiet()
}

func (v *todayView) typing() bool { return false }

func (v *todayView) load() tea.Cmd {
	req := v.sh.nextReq()
	v.req = req
	now, p := v.sh.now(), v.sh.pipeline
	return v.sh.read(func(tx *store.Tx) tea.Msg {
		d, err := loadToday(tx, now, p)
		return todayMsg{req: req, data: d, err: err}
	})
}

func loadToday(tx *store.Tx, now time.Time, p model.Pipeline) (*todayData, error) {
	d := &todayData{}
	tasks, err := tx.Tasks(store.TaskQuery{Range: store.TasksToday}, now)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if t.Overdue(now) {
			d.overdueN++
			if len(d.overdue) < sectionMax {
				d.overdue = append(d.overdue, t)
			}
		} else {
			d.dueN++
			if len(d.due) < sectionMax {
				d.due = append(d.due, t)
			}
		}
	}
	// Open deals, read stage by stage through the stage index: most deals
	// are closed, and reading them all would cost the first frame.
	var deals []model.Deal
	for _, st := range p.Stages {
		if st.Closed() {
			continue
		}
		list, err := tx.Deals(store.DealQuery{Stage: st.Key})
		if err != nil {
			return nil, err
		}
		deals = append(deals, list...)
	}
	soon := model.DateOf(now).AddDays(closingDays)
	totals := map[string]*currencyTotal{}
	for _, st := range p.Stages {
		if !st.Closed() {
			d.stages = append(d.stages, stageTotal{stage: st.Key, sum: money{}})
		}
	}
	for _, dl := range deals {
		d.openDeals++
		if i := slices.IndexFunc(d.stages, func(s stageTotal) bool { return s.stage == dl.Stage }); i >= 0 {
			d.stages[i].count++
			d.stages[i].sum.add(dl.Value)
		}
		t := totals[dl.Value.Currency]
		if t == nil {
			t = &currencyTotal{currency: dl.Value.Currency, sum: model.Money{Currency: dl.Value.Currency}, weighted: model.Money{Currency: dl.Value.Currency}}
			totals[dl.Value.Currency] = t
		}
		t.count++
		t.sum.Minor += dl.Value.Minor
		t.weighted.Minor += dl.Weighted(p).Minor
		if !dl.CloseDate.IsZero() && !dl.CloseDate.After(soon) {
			d.closing = append(d.closing, dl)
		}
	}
	slices.SortStableFunc(d.closing, func(a, b model.Deal) int { return a.CloseDate.Compare(b.CloseDate) })
	d.closingN = len(d.closing)
	d.closing = slices.Clip(d.closing[:min(len(d.closing), sectionMax)])
	for _, t := range totals {
		d.pipeline = append(d.pipeline, *t)
	}
	slices.SortFunc(d.pipeline, func(a, b currencyTotal) int { return strings.Compare(a.currency, b.currency) })
	return d, nil
}

func (v *todayView) loadQuiet() tea.Cmd {
	req := v.sh.nextReq()
	v.quietRq = req
	now, days, p := v.sh.now(), v.sh.cfg.QuietDays, v.sh.pipeline
	return v.sh.read(func(tx *store.Tx) tea.Msg {
		return quietMsg{req: req, data: loadQuiet(tx, now, days, p)}
	})
}

// loadQuiet finds customers going quiet: contacts with a won deal, or in
// touch within the last quietLookback quiet periods, whose last activity
// is older than quietDays. The most recently quiet come first.
func loadQuiet(tx *store.Tx, now time.Time, quietDays int, p model.Pipeline) *quietData {
	won := map[model.ID]bool{}
	for _, st := range p.Stages {
		if !st.Won {
			continue
		}
		deals, _ := tx.Deals(store.DealQuery{Stage: st.Key})
		for _, d := range deals {
			if !d.ContactID.IsZero() {
				won[d.ContactID] = true
			}
		}
	}
	quietSince := now.AddDate(0, 0, -quietDays)
	activeSince := now.AddDate(0, 0, -quietLookback*quietDays)
	var list []quietContact
	for _, id := range tx.ContactIDs(store.ContactQuery{}) {
		last, ok := tx.LastActivity(id)
		switch {
		case ok && !last.Before(quietSince):
			continue // in touch recently
		case won[id], ok && !last.Before(activeSince):
			list = append(list, quietContact{id: id, last: last, won: won[id]})
		}
	}
	slices.SortStableFunc(list, func(a, b quietContact) int { return b.last.Compare(a.last) })
	q := &quietData{total: len(list)}
	q.contacts = list[:min(len(list), sectionMax)]
	if c, err := tx.ContactsByID(idsOf(q.contacts)); err == nil {
		for i := range c {
			q.contacts[i].name = c[i].Name
		}
	}
	return q
}

func idsOf(qs []quietContact) []model.ID {
	ids := make([]model.ID, len(qs))
	for i, q := range qs {
		ids[i] = q.id
	}
	return ids
}

// refresh reloads what changed: follow-ups and deals, and the customers
// going quiet when activities or deals changed (a scripted import of
// contacts does not start that slow look again). Names come from the
// shared cache, emptied on any change.
func (v *todayView) refresh(c changeSet) tea.Cmd {
	cmds := []tea.Cmd{v.fetchNames()}
	if c.tasks || c.deals {
		cmds = append(cmds, v.load())
	}
	if (c.activities || c.deals) && v.quietRq != 0 {
		cmds = append(cmds, v.loadQuiet())
	}
	return tea.Batch(cmds...)
}

// ready reports whether the fast part has arrived (the first frame with
// data, which the benchmark and the start-up log measure).
func (v *todayView) ready() bool { return v.data != nil }

func (v *todayView) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case todayMsg:
		if msg.req != v.req || msg.err != nil {
			return nil
		}
		v.data = msg.data
		v.arrange()
		return v.fetchNames()
	case quietMsg:
		if msg.req != v.quietRq {
			return nil
		}
		v.quiet = msg.data
		v.arrange()
	case writeMsg:
		if msg.err == nil && msg.task != nil && v.data != nil {
			v.dropTask(msg.task.ID)
		}
	case tea.KeyPressMsg:
		return v.key(msg)
	case tea.MouseClickMsg:
		if y := msg.Mouse().Y - v.pipeRows(); y >= 0 && v.top+y < len(v.lines) && v.lines[v.top+y].item() {
			v.cursor, v.moved = v.top+y, true
		}
	case tea.MouseWheelMsg:
		if msg.Button == tea.MouseWheelUp {
			v.step(-3)
		} else {
			v.step(3)
		}
	}
	return nil
}

// dropTask takes a follow-up off the screen at once when it was done or
// snoozed; the reload that follows puts a snoozed one back if still due.
func (v *todayView) dropTask(id model.ID) {
	del := func(ts []model.Task, n *int) []model.Task {
		before := len(ts)
		ts = slices.DeleteFunc(ts, func(t model.Task) bool { return t.ID == id })
		*n -= before - len(ts)
		return ts
	}
	v.data.overdue = del(v.data.overdue, &v.data.overdueN)
	v.data.due = del(v.data.due, &v.data.dueN)
	v.arrange()
}

// arrange lays out the sections as lines, keeping the cursor on the same
// item when it is still there.
func (v *todayView) arrange() {
	var keep target
	if v.moved {
		keep = v.selection()
	}
	sh := v.sh
	var lines []todayLine
	if v.data != nil {
		d := v.data
		lines = appendSection(lines, sh.T("tui.today.overdue", d.overdueN), d.overdue, d.overdueN, sh.T("tui.today.notasks"),
			func(t *model.Task) todayLine { return todayLine{task: t} }, sh)
		lines = appendSection(lines, sh.T("tui.today.due", d.dueN), d.due, d.dueN, sh.T("tui.today.notasks"),
			func(t *model.Task) todayLine { return todayLine{task: t} }, sh)
		lines = appendSection(lines, sh.T("tui.today.closing", d.closingN, closingDays), d.closing, d.closingN, sh.T("tui.today.nodeals"),
			func(d *model.Deal) todayLine { return todayLine{deal: d} }, sh)
	}
	switch {
	case v.quiet == nil:
		lines = append(lines, todayLine{heading: sh.T("tui.today.quiet", 0, sh.cfg.QuietDays)}, todayLine{note: sh.T("tui.today.checking")})
	default:
		heading := sh.T("tui.today.quiet", v.quiet.total, sh.cfg.QuietDays)
		lines = appendSection(lines, heading, v.quiet.contacts, v.quiet.total, sh.T("tui.today.noquiet"),
			func(q *quietContact) todayLine { return todayLine{quiet: q} }, sh)
	}
	v.lines = lines
	v.cursor = -1
	for i, l := range lines {
		if !l.item() {
			continue
		}
		if v.cursor < 0 {
			v.cursor = i // the first item, unless the kept one is found
		}
		if !keep.id.IsZero() && lineTarget(l).id == keep.id {
			v.cursor = i
			break
		}
	}
	v.cursor = max(v.cursor, 0)
	v.step(0)
}

// appendSection lays out a heading and the items shown of total.
func appendSection[T any](lines []todayLine, heading string, items []T, total int, empty string, line func(*T) todayLine, sh *shared) []todayLine {
	if len(lines) > 0 {
		lines = append(lines, todayLine{})
	}
	lines = append(lines, todayLine{heading: heading})
	if len(items) == 0 {
		return append(lines, todayLine{note: empty})
	}
	for i := range items {
		lines = append(lines, line(&items[i]))
	}
	if more := total - len(items); more > 0 {
		lines = append(lines, todayLine{note: sh.T("tui.today.more", more)})
	}
	return lines
}

func (v *todayView) key(msg tea.KeyPressMsg) tea.Cmd {
	k := v.sh.keys
	if delta, ok := k.cursorStep(msg, v.listHeight(), len(v.lines)); ok {
		v.moved = true
		v.step(delta)
		return v.fetchNames()
	}
	if t := v.selection(); key.Matches(msg, k.Open) && t.ok() {
		return jumpTo(t)
	}
	return nil
}

// step moves the cursor by delta lines, resting only on items.
func (v *todayView) step(delta int) {
	if len(v.lines) == 0 {
		return
	}
	dir := 1
	if delta < 0 {
		dir = -1
	}
	c := clamp(v.cursor+delta, 0, len(v.lines)-1)
	for c > 0 && c < len(v.lines)-1 && !v.lines[c].item() {
		c += dir
	}
	if !v.lines[c].item() { // an end without items: stay
		c = v.cursor
	}
	v.cursor = c
	v.top = scrollTo(v.cursor, v.top, v.listHeight(), len(v.lines))
	if v.cursor > 0 && v.top == v.cursor && v.lines[v.cursor-1].heading != "" {
		v.top--
	}
}

func lineTarget(l todayLine) target {
	switch {
	case l.task != nil:
		t := l.task
		return target{kind: model.EntityTask, id: t.ID, label: t.Title, contact: t.ContactID, deal: t.DealID, company: t.CompanyID}
	case l.deal != nil:
		d := l.deal
		return target{kind: model.EntityDeal, id: d.ID, label: d.Title, deal: d.ID, contact: d.ContactID, company: d.CompanyID}
	case l.quiet != nil:
		return target{kind: model.EntityContact, id: l.quiet.id, label: l.quiet.name, contact: l.quiet.id}
	}
	return target{}
}

func (v *todayView) selection() target {
	if v.cursor >= len(v.lines) {
		return target{}
	}
	return lineTarget(v.lines[v.cursor])
}

func (v *todayView) fetchNames() tea.Cmd {
	var r nameRefs
	for _, l := range v.lines[min(v.top, len(v.lines)):min(v.top+v.listHeight(), len(v.lines))] {
		switch {
		case l.task != nil:
			r.contact(v.sh.names, l.task.ContactID)
			r.deal(v.sh.names, l.task.DealID)
		case l.deal != nil:
			r.contact(v.sh.names, l.deal.ContactID)
			r.company(v.sh.names, l.deal.CompanyID)
		}
	}
	return v.sh.fetchNames(r)
}

func (v *todayView) setSize(w, h int) {
	v.w, v.h = w, h
	v.step(0)
}

// sideWidth is the width of the pipeline panel beside the lists on a wide
// screen; 0 puts it above them.
func sideWidth(w int) int {
	if w >= 120 {
		return 44
	}
	return 0
}

func (v *todayView) render(w, h int) string {
	s := v.sh.styles
	if v.data == nil {
		return block([]string{s.Muted.Render(v.sh.T("tui.loading"))}, w, h)
	}
	if sw := sideWidth(w); sw > 0 {
		left := v.renderLines(w-sw-1, h)
		return sideBySide(left, s.Rule.Render("│"), block(v.pipelineLines(true), sw, h))
	}
	// Narrow: the pipeline summary on top, the lists below.
	pipe := v.pipelineLines(false)[:v.pipeRows()]
	return block(pipe, w, len(pipe)) + "\n" + v.renderLines(w, h-len(pipe))
}

// pipeRows is how many rows the pipeline summary takes above the lists on
// a narrow screen.
func (v *todayView) pipeRows() int {
	if v.data == nil || sideWidth(v.w) > 0 {
		return 0
	}
	return min(len(v.pipelineLines(false)), max(v.h/4, 2))
}

// listHeight is the room for the lists.
func (v *todayView) listHeight() int { return max(v.h-v.pipeRows(), 1) }

func (v *todayView) renderLines(w, h int) string {
	s := v.sh.styles
	var out []string
	for i := v.top; i < len(v.lines) && len(out) < h; i++ {
		l := v.lines[i]
		switch {
		case l.heading != "":
			out = append(out, s.Section.Render(l.heading))
		case l.note != "":
			out = append(out, "  "+s.Muted.Render(l.note))
		case l.item():
			out = append(out, v.itemLine(l, w, i == v.cursor))
		default:
			out = append(out, "")
		}
	}
	return block(out, w, h)
}

func (v *todayView) itemLine(l todayLine, w int, sel bool) string {
	sh, s := v.sh, v.sh.styles
	inner := w - 2
	whoW := clamp(inner/4, 10, 36)
	var line string
	switch {
	case l.task != nil:
		t := l.task
		who := joinNonEmpty(" · ", sh.names.contacts[t.ContactID], sh.names.deals[t.DealID])
		line = joinCols([]string{dueCell(sh, *t, dueWidth), priorityMark(t.Priority), oneLine(t.Title), s.Muted.Render(who)},
			[]int{dueWidth, 1, inner - dueWidth - 1 - whoW - 3, whoW})
	case l.deal != nil:
		d := l.deal
		closeCell := fit(sh.fmtDay(d.CloseDate), dueWidth)
		if d.CloseDate.Before(sh.today()) {
			closeCell = s.Overdue.Render(closeCell)
		}
		stageW := 12
		if inner < 70 {
			whoW = 0
		}
		titleW := inner - dueWidth - 8 - stageW - whoW - 4
		line = joinCols([]string{closeCell, oneLine(d.Title), s.Amount.Render(fitRight(d.Value.Short(), 8)),
			s.Muted.Render(sh.stageLabel(d.Stage)), s.Muted.Render(sh.names.contacts[d.ContactID])},
			[]int{dueWidth, titleW, 8, stageW, whoW})
	case l.quiet != nil:
		q := l.quiet
		last := sh.T("tui.today.never")
		if !q.last.IsZero() {
			last = sh.fmtAgo(q.last)
		}
		mark := ""
		if q.won {
			mark = s.Good.Render(" ★ " + sh.T("tui.today.customer"))
		}
		line = s.Muted.Render(fit(last, dueWidth)) + " " + oneLine(q.name) + mark
	}
	if sel {
		return s.Selected.Render(fit("▸ "+ansiStrip(line), w))
	}
	return "  " + line
}

// pipelineLines summarises the open pipeline per currency and, on a wide
// screen (full), per stage.
func (v *todayView) pipelineLines(full bool) []string {
	sh, s := v.sh, v.sh.styles
	lines := []string{s.Section.Render(sh.lang.N("tui.today.pipeline", v.data.openDeals, v.data.openDeals))}
	if len(v.data.pipeline) == 0 {
		return append(lines, "  "+s.Muted.Render(sh.T("tui.today.nodeals")))
	}
	for _, t := range v.data.pipeline {
		count := s.Muted.Render(fit(t.currency, 4) + fitRight(thousands(t.count), 5))
		if !full {
			lines = append(lines, "  "+count+"  "+s.Amount.Render(fit(t.sum.Short(), 8))+" "+
				s.Muted.Render(sh.T("tui.today.weighted", t.weighted.Short())))
			continue
		}
		lines = append(lines, "  "+count+"  "+s.Amount.Render(t.sum.Format()),
			"  "+strings.Repeat(" ", 11)+s.Muted.Render(sh.T("tui.today.weighted", t.weighted.Format())))
	}
	if !full {
		return lines
	}
	lines = append(lines, "", s.Section.Render(sh.T("tui.today.bystage")))
	for _, st := range v.data.stages {
		var sums []string
		for _, m := range st.sum.list() {
			sums = append(sums, m.Short())
		}
		lines = append(lines, "  "+fit(sh.stageLabel(st.stage), 12)+s.Muted.Render(fitRight(thousands(st.count), 5))+"  "+
			s.Amount.Render(strings.Join(sums, " ")))
	}
	return lines
}

func (v *todayView) shortHelp() []key.Binding {
	k := v.sh.keys
	return []key.Binding{k.Open, k.Done, k.Snooze, k.Log, k.Add, k.Search}
}
