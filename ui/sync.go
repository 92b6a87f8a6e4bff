package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/store"
)

// SyncFunc runs one sync with the team server (push, then pull) and says
// how it went. The program calls it in the background; what it pulls
// reaches the views through the change log, like any other process's
// writes.
type SyncFunc func(context.Context) SyncReport

// SyncReport is the outcome of one background sync.
type SyncReport struct {
	Pushed, Pulled, Conflicts int
	// Offline says the server could not be reached: a normal state, shown
	// without alarm; the changes wait for the next sync.
	Offline bool
	// Err is any other failure, in the interface language.
	Err string
}

// syncTimeout bounds one background sync; the next one resumes whatever
// it left.
const syncTimeout = 2 * time.Minute

// syncFirstDelay is how long after start the first background sync
// waits, so that it does not compete with the first screen.
const syncFirstDelay = 2 * time.Second

type syncTickMsg struct{}

type syncDoneMsg struct {
	report SyncReport
	at     time.Time
}

// syncState is what the status line says about sync.
type syncState struct {
	running   bool
	last      time.Time // when the last sync ended
	report    SyncReport
	conflicts int // kept conflicts, as of the last sync
}

// syncAfter asks for a background sync in d.
func syncAfter(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return syncTickMsg{} })
}

// startSync runs a background sync unless one is running or none is set
// up.
func (m *Model) startSync() tea.Cmd {
	if m.syncFn == nil || m.sync.running {
		return nil
	}
	m.sync.running = true
	run, now := m.syncFn, m.sh.now
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), syncTimeout)
		defer cancel()
		r := run(ctx)
		return syncDoneMsg{report: r, at: now()}
	}
}

// synced records a finished sync, reads the number of kept conflicts and
// plans the next sync.
func (m *Model) synced(msg syncDoneMsg) tea.Cmd {
	m.sync.running, m.sync.last, m.sync.report = false, msg.at, msg.report
	if msg.report.Err != "" {
		m.sh.log.Warn("background sync", "err", msg.report.Err)
	}
	count := m.sh.read(func(tx *store.Tx) tea.Msg { return syncConflictsMsg{tx.CountConflicts()} })
	if m.syncEvery < 0 {
		return count
	}
	return tea.Batch(count, syncAfter(m.syncEvery))
}

type syncConflictsMsg struct{ n int }

// syncStatus is the right-hand part of the status line: the state of
// sync, or "" when no team server is set up.
func (m *Model) syncStatus() string {
	if m.syncFn == nil {
		return ""
	}
	st := m.sync
	var parts []string
	switch {
	case st.running:
		parts = append(parts, m.sh.T("tui.sync.running"))
	case st.last.IsZero():
		parts = append(parts, m.sh.T("tui.sync.waiting"))
	case st.report.Offline:
		parts = append(parts, m.sh.T("tui.sync.offline", st.last.Format("15:04")))
	case st.report.Err != "":
		parts = append(parts, m.sh.T("tui.sync.failed", st.last.Format("15:04")))
	default:
		parts = append(parts, m.sh.T("tui.sync.done", st.last.Format("15:04")))
	}
	if st.conflicts > 0 {
		parts = append(parts, m.sh.T("tui.sync.conflicts", st.conflicts, firstKey(m.sh.keys.Conflicts)))
	}
	return strings.Join(parts, " · ")
}

// conflictsDialog lists the conflicts sync kept: which record and field
// group, the value kept and the one overwritten.
type conflictsDialog struct {
	sh    *shared
	rows  []conflictRow
	err   error
	ready bool
	top   int
	h     int
}

type conflictRow struct {
	at            time.Time
	record, group string
	kept          string
	yours, theirs string
}

type conflictsLoadedMsg struct {
	rows []conflictRow
	err  error
}

// loadConflicts reads the kept conflicts, newest first.
func (sh *shared) loadConflicts() tea.Cmd {
	deleted := sh.T("tui.sync.deleted")
	return sh.read(func(tx *store.Tx) tea.Msg {
		cs, err := tx.Conflicts()
		rows := make([]conflictRow, 0, len(cs))
		for _, c := range cs {
			group := c.Group
			if group == "" {
				group = sh.T("tui.sync.record")
			}
			rows = append(rows, conflictRow{
				at: c.At, record: sh.T("tui.noun."+c.Entity.String()) + " " + tx.Label(c.Entity, c.ID),
				group: group, kept: c.Kept, yours: c.LocalText(deleted), theirs: c.RemoteText(deleted),
			})
		}
		return conflictsLoadedMsg{rows, err}
	})
}

func (d *conflictsDialog) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case conflictsLoadedMsg:
		d.rows, d.err, d.ready = msg.rows, msg.err, true
	case tea.KeyPressMsg:
		k := d.sh.keys
		switch {
		case key.Matches(msg, k.Down):
			d.top = min(d.top+1, max(len(d.rows)-1, 0))
		case key.Matches(msg, k.Up):
			d.top = max(d.top-1, 0)
		default:
			return nil, true
		}
	}
	return nil, false
}

func (d *conflictsDialog) setSize(_, h int) { d.h = h }

func (d *conflictsDialog) render(w, h int) string {
	s := d.sh.styles
	dw := dialogWidth(w, 100)
	var lines []string
	switch {
	case !d.ready:
		lines = append(lines, d.sh.T("tui.loading"))
	case d.err != nil:
		lines = append(lines, s.StatusError.Render(oneLine(d.err.Error())))
	case len(d.rows) == 0:
		lines = append(lines, d.sh.T("tui.sync.noconflicts"))
	default:
		lines = append(lines, d.sh.T("tui.sync.conflicts.intro"), "")
		for _, r := range d.rows[d.top:] {
			lines = append(lines,
				s.Section.Render(fit(r.at.Format("2006-01-02 15:04")+"  "+oneLine(r.record)+" · "+r.group, dw-4)),
				fit("  "+d.sh.T("tui.sync.kept."+r.kept)+"  "+d.sh.T("tui.sync.yours")+": "+oneLine(r.yours)+"  "+d.sh.T("tui.sync.theirs")+": "+oneLine(r.theirs), dw-4))
		}
	}
	if room := max(h-6, 1); len(lines) > room {
		lines = lines[:room]
	}
	return frame(d.sh, d.sh.T("tui.sync.conflicts.title"), strings.Join(lines, "\n"), d.sh.T("tui.sync.conflicts.hint"), dw)
}
