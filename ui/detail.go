package ui

import (
	"errors"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// detailPane shows one record's details. They are loaded by a command
// when the selection changes; a reply for a record that is no longer
// selected is dropped. While the next record loads the previous one stays
// on screen, so moving the cursor does not flicker.
type detailPane[D any] struct {
	sh   *shared
	load func(tx *store.Tx, id model.ID) (D, error)
	draw func(d *D, w int) []string

	id      model.ID
	req     uint64
	data    *D
	err     error
	focused bool
	top     int // first line shown when scrolled
	lines   int // how many lines the shown record takes at width w
	w, h    int
}

type detailMsg[D any] struct {
	req  uint64
	id   model.ID
	data D
	err  error
}

// show selects the record to show, loading it unless it is shown already.
func (p *detailPane[D]) show(id model.ID) tea.Cmd {
	if id == p.id && (p.data != nil || p.err != nil) {
		return nil
	}
	if id != p.id {
		p.top = 0
	}
	p.id = id
	if id.IsZero() {
		p.data, p.err = nil, nil
		return nil
	}
	return p.reload()
}

// reload loads the shown record again.
func (p *detailPane[D]) reload() tea.Cmd {
	if p.id.IsZero() {
		return nil
	}
	req, id, load := p.sh.nextReq(), p.id, p.load
	p.req = req
	return p.sh.read(func(tx *store.Tx) tea.Msg {
		d, err := load(tx, id)
		return detailMsg[D]{req: req, id: id, data: d, err: err}
	})
}

func (p *detailPane[D]) update(msg tea.Msg) tea.Cmd {
	if m, ok := msg.(detailMsg[D]); ok && m.req == p.req {
		p.err = m.err
		p.data = nil
		if m.err == nil {
			p.data = &m.data
		}
		p.measure()
	}
	return nil
}

// measure counts the lines of the shown record, which bound scrolling.
func (p *detailPane[D]) measure() {
	p.lines = 0
	if p.data != nil && p.w > 1 {
		p.lines = len(p.draw(p.data, p.w-1))
	}
	p.top = clamp(p.top, 0, max(p.lines-p.h, 0))
}

func (p *detailPane[D]) key(msg tea.KeyPressMsg) tea.Cmd {
	if delta, ok := p.sh.keys.cursorStep(msg, p.h, p.lines); ok {
		p.scroll(delta)
	}
	return nil
}

func (p *detailPane[D]) scroll(delta int) { p.top = clamp(p.top+delta, 0, max(p.lines-p.h, 0)) }

func (p *detailPane[D]) setSize(w, h int) {
	p.w, p.h = w, h
	p.measure()
}

func (p *detailPane[D]) render(w, h int) string {
	s := p.sh.styles
	var lines []string
	switch {
	case p.id.IsZero():
		lines = []string{s.Muted.Render(p.sh.T("tui.detail.none"))}
	case errors.Is(p.err, store.ErrNotFound):
		lines = []string{s.Muted.Render(p.sh.T("tui.detail.gone"))}
	case p.err != nil:
		lines = []string{s.Bad.Render(oneLine(p.err.Error()))}
	case p.data == nil:
		lines = []string{s.Muted.Render(p.sh.T("tui.loading"))}
	default:
		lines = p.draw(p.data, w-1)
	}
	top := clamp(p.top, 0, max(len(lines)-h, 0))
	lines = lines[top:]
	for i := range lines {
		lines[i] = " " + lines[i]
	}
	if p.focused && len(lines) > 0 {
		lines[0] = s.Accent.Render("▌") + lines[0][1:]
	}
	return block(lines, w, h)
}

// The sections of detail panes, shared by contacts, companies and deals.

func section(sh *shared, title string, n int) []string {
	return []string{"", sh.styles.Section.Render(sh.T("tui.section."+title, n))}
}

func dealLines(sh *shared, deals []model.Deal, w int) []string {
	if len(deals) == 0 {
		return nil
	}
	s := sh.styles
	lines := section(sh, "deals", len(deals))
	for _, d := range deals {
		amount := s.Amount.Render(d.Value.Format())
		stage := sh.stageLabel(d.Stage)
		aw, sw := width(ansiStrip(amount)), min(width(stage), 12)
		lines = append(lines, fit(oneLine(d.Title), max(w-aw-sw-2, 8))+" "+s.Muted.Render(fit(stage, sw))+" "+amount)
	}
	return lines
}

func taskLines(sh *shared, tasks []model.Task, w int) []string {
	var open []model.Task
	for _, t := range tasks {
		if !t.Done() {
			open = append(open, t)
		}
	}
	if len(open) == 0 {
		return nil
	}
	lines := section(sh, "tasks", len(open))
	for _, t := range open {
		lines = append(lines, dueCell(sh, t, dueWidth)+" "+priorityMark(t.Priority)+" "+clip(oneLine(t.Title), max(w-dueWidth-3, 8)))
	}
	return lines
}

// dueWidth is the width of a due date column: "yesterday 13:30".
const dueWidth = 15

// dueCell writes a follow-up's due date in a cell of width w, coloured by
// urgency.
func dueCell(sh *shared, t model.Task, w int) string {
	s := sh.styles
	text := fit(sh.fmtDue(t.Due), w)
	switch {
	case t.Overdue(sh.now()):
		return s.Overdue.Render(text)
	case t.Due.Date == sh.today():
		return s.Due.Render(text)
	case t.Due.IsZero():
		return s.Muted.Render(text)
	}
	return text
}

func timelineLines(sh *shared, acts []model.Activity, w int) []string {
	if len(acts) == 0 {
		return nil
	}
	s := sh.styles
	lines := section(sh, "timeline", len(acts))
	for _, a := range acts {
		when := s.Muted.Render(fit(sh.fmtTime(a.At), dueWidth))
		kind := s.Accent.Render(fit(sh.kindLabel(a.Kind), 8))
		body := oneLine(a.Body)
		if a.Kind == model.KindFeedback && a.Score != nil {
			body = sh.T("tui.timeline.score", *a.Score) + " " + body
		}
		if a.Kind == model.KindComplaint && a.State == model.ComplaintOpen {
			body = s.Bad.Render(sh.T("tui.timeline.open")) + " " + body
		}
		if a.Direction != "" {
			body = map[string]string{"in": "← ", "out": "→ "}[a.Direction] + body
		}
		lines = append(lines, when+" "+kind+" "+clip(body, max(w-dueWidth-10, 8)))
	}
	return lines
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// labelWidth is the width of the labels in a detail pane.
const labelWidth = 12

// fieldLine writes "Label     value" in a detail pane; value is a
// record's text, made safe to draw.
func fieldLine(sh *shared, label, value string) string {
	return styledField(sh, label, oneLine(strings.TrimSpace(value)))
}

// styledField writes "Label     value" with value already styled (and so
// already made safe).
func styledField(sh *shared, label, value string) string {
	return sh.styles.Label.Render(fit(label, labelWidth)) + " " + value
}
