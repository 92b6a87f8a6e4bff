package ui

import (
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// writeMsg reports a write: what to tell the user, how to undo it, and
// what it changed. A failed write carries its error and the command that
// tries it again.
type writeMsg struct {
	status string
	undo   *undoStep
	err    error
	retry  tea.Cmd
	form   uint64 // the form that asked for the write, if any
	focus  target // the record to select afterwards (a new contact)
	deal   *model.Deal
	task   *model.Task
}

// undoStep puts back what one write changed.
type undoStep struct {
	label string
	apply func(tx *store.Tx) error
}

// maxUndo is how many changes u can take back.
const maxUndo = 20

// write runs fn in one read-write transaction inside a command. The
// message fn returns is sent when the transaction commits; on an error
// nothing is written and the message carries the error.
func (s *shared) write(form uint64, fn func(tx *store.Tx) (writeMsg, error)) tea.Cmd {
	st := s.store
	var cmd tea.Cmd
	cmd = guard(func() tea.Msg {
		var out writeMsg
		err := st.Update(func(tx *store.Tx) error {
			var err error
			out, err = fn(tx)
			return err
		})
		if err != nil {
			return writeMsg{form: form, err: err, retry: cmd}
		}
		out.form = form
		return out
	})
	return cmd
}

func isBusy(err error) bool { return errors.Is(err, store.ErrBusy) }

// deleteCmd deletes the target with what goes with it; undo restores the
// store.Removal.
func (s *shared) deleteCmd(t target) tea.Cmd {
	return s.write(0, func(tx *store.Tx) (writeMsg, error) {
		var r store.Removal
		var err error
		switch t.kind {
		case model.EntityContact:
			r, err = tx.DeleteContact(t.id)
		case model.EntityCompany:
			r, err = tx.DeleteCompany(t.id)
		case model.EntityDeal:
			r, err = tx.DeleteDeal(t.id)
		case model.EntityTask:
			r, err = tx.DeleteTask(t.id)
		case model.EntityActivity:
			r, err = tx.DeleteActivity(t.id)
		}
		if err != nil {
			return writeMsg{}, err
		}
		noun := s.T("tui.noun." + t.kind.String())
		// Every record in the removal but the deleted one itself was
		// removed or unlinked with it.
		related := len(r.Companies) + len(r.Contacts) + len(r.Deals) + len(r.Tasks) + len(r.Activities) - 1
		status := s.T("tui.deleted", noun, t.label, firstKey(s.keys.Undo))
		if related > 0 {
			status = s.T("tui.deleted.related", noun, t.label, related, firstKey(s.keys.Undo))
		}
		return writeMsg{
			status: status,
			undo: &undoStep{label: s.T("tui.undo.delete", noun, t.label), apply: func(tx *store.Tx) error {
				return tx.Restore(r)
			}},
		}, nil
	})
}

// completeCmd marks a follow-up done; a repeating one comes back, and
// undo removes the next occurrence again.
func (s *shared) completeCmd(id model.ID) tea.Cmd {
	return s.write(0, func(tx *store.Tx) (writeMsg, error) {
		prev, err := tx.Task(id)
		if err != nil {
			return writeMsg{}, err
		}
		done, next, err := tx.CompleteTask(id)
		if err != nil {
			return writeMsg{}, err
		}
		status := s.T("tui.task.done", done.Title)
		if next != nil {
			status = s.T("tui.task.done.next", done.Title, s.fmtDue(next.Due))
		}
		return writeMsg{status: status, task: &done, undo: &undoStep{
			label: s.T("tui.undo.done", prev.Title),
			apply: func(tx *store.Tx) error {
				if next != nil {
					if _, err := tx.DeleteTask(next.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
						return err
					}
				}
				return tx.PutTask(&prev)
			},
		}}, nil
	})
}

// snoozeCmd moves a follow-up's due date.
func (s *shared) snoozeCmd(id model.ID, due model.Due) tea.Cmd {
	return s.write(0, func(tx *store.Tx) (writeMsg, error) {
		t, err := tx.Task(id)
		if err != nil {
			return writeMsg{}, err
		}
		prev := t
		t.Due = due
		if err := tx.PutTask(&t); err != nil {
			return writeMsg{}, err
		}
		return writeMsg{status: s.T("tui.task.snoozed", t.Title, s.fmtDue(due)), task: &t,
			undo: &undoStep{label: s.T("tui.undo.edit", t.Title), apply: func(tx *store.Tx) error { return tx.PutTask(&prev) }}}, nil
	})
}

// moveCmd moves a deal to a stage. A reason for a lost deal is kept on
// it; a reason for a won deal is logged as a note on the deal.
func (s *shared) moveCmd(id model.ID, stage, reason string) tea.Cmd {
	return s.write(0, func(tx *store.Tx) (writeMsg, error) {
		prev, err := tx.Deal(id)
		if err != nil {
			return writeMsg{}, err
		}
		d, err := tx.MoveDeal(id, stage, reason)
		if err != nil {
			return writeMsg{}, err
		}
		var note model.ID
		if st, _ := s.pipeline.Stage(stage); st.Won && strings.TrimSpace(reason) != "" {
			a := model.Activity{Kind: model.KindNote, DealID: d.ID, ContactID: d.ContactID, CompanyID: d.CompanyID,
				Body: s.T("tui.deal.wonnote", strings.TrimSpace(reason)), Owner: s.cfg.Owner}
			if err := tx.AddActivity(&a); err != nil {
				return writeMsg{}, err
			}
			note = a.ID
		}
		return writeMsg{status: s.T("tui.deal.moved", d.Title, s.stageLabel(d.Stage)), deal: &d,
			undo: &undoStep{label: s.T("tui.undo.move", d.Title), apply: func(tx *store.Tx) error {
				if !note.IsZero() {
					if _, err := tx.DeleteActivity(note); err != nil && !errors.Is(err, store.ErrNotFound) {
						return err
					}
				}
				return tx.PutDeal(&prev)
			}}}, nil
	})
}

// undoCmd runs an undo step.
func (s *shared) undoCmd(u *undoStep) tea.Cmd {
	return s.write(0, func(tx *store.Tx) (writeMsg, error) {
		if err := u.apply(tx); err != nil {
			return writeMsg{}, err
		}
		return writeMsg{status: s.T("tui.undone", u.label)}, nil
	})
}

// activityAt reads when an activity happened: empty is now, a day
// without a time of day is noon (as `rolo log --at` reads it).
func activityAt(text string, now time.Time) (time.Time, error) {
	if strings.TrimSpace(text) == "" {
		return now, nil
	}
	due, err := model.ParseWhen(text, now)
	if err != nil {
		return time.Time{}, err
	}
	if due.HasTime() {
		return due.At, nil
	}
	return due.Date.In(now.Location()).Add(12 * time.Hour), nil
}
