package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func taskCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "task",
		Aliases: []string{"tasks", "t"},
		Short:   "Follow-ups: add, list, complete, snooze, edit and delete",
	}
	group(cmd)
	cmd.AddCommand(taskAddCmd(a), taskListCmd(a), taskShowCmd(a), taskDoneCmd(a), taskSnoozeCmd(a), taskEditCmd(a), taskRmCmd(a))
	return cmd
}

type taskFlags struct {
	title, due, contact, deal, company, priority, repeat, notes, owner string
}

func (f *taskFlags) register(cmd *cobra.Command, withTitle bool) {
	fl := cmd.Flags()
	if withTitle {
		fl.StringVar(&f.title, "title", "", "what to do")
	}
	fl.StringVar(&f.due, "due", "", `when: 2026-12-01, "tomorrow 3pm", "next friday", 明天下午3点, 下周五`)
	fl.StringVar(&f.contact, "contact", "", "contact id, email or name")
	fl.StringVar(&f.deal, "deal", "", "deal id or title")
	fl.StringVar(&f.company, "company", "", "company id or name")
	fl.StringVar(&f.priority, "priority", "", "low, normal or high")
	fl.StringVar(&f.repeat, "repeat", "", `repeat once done: daily, weekly, monthly, yearly, weekdays, "every 2 weeks", 每周`)
	fl.StringVar(&f.notes, "notes", "", "details")
	fl.StringVar(&f.owner, "owner", "", "who does it")
}

func (f *taskFlags) apply(a *app, cmd *cobra.Command, tx *store.Tx, t *model.Task) error {
	var err error
	if changed(cmd, "title") {
		t.Title = f.title
	}
	if changed(cmd, "notes") {
		t.Notes = f.notes
	}
	if changed(cmd, "owner") {
		t.Owner = f.owner
	}
	if changed(cmd, "priority") {
		t.Priority = f.priority
	}
	if changed(cmd, "due") {
		if t.Due, err = parseDue(f.due, a); err != nil {
			return err
		}
	}
	if changed(cmd, "repeat") {
		if t.Repeat, err = model.ParseRepeat(f.repeat); err != nil {
			return err
		}
	}
	if changed(cmd, "contact") {
		if t.ContactID, err = optionalRef(f.contact, tx.ResolveContact, contactID); err != nil {
			return err
		}
	}
	if changed(cmd, "deal") {
		if t.DealID, err = optionalRef(f.deal, tx.ResolveDeal, dealID); err != nil {
			return err
		}
	}
	if changed(cmd, "company") {
		if t.CompanyID, err = optionalRef(f.company, tx.ResolveCompany, companyID); err != nil {
			return err
		}
	}
	return nil
}

func parseDue(s string, a *app) (model.Due, error) {
	if strings.TrimSpace(s) == "" {
		return model.Due{}, nil
	}
	d, err := model.ParseWhen(s, a.now())
	return d, relabel(err, "due")
}

func taskAddCmd(a *app) *cobra.Command {
	var f taskFlags
	cmd := &cobra.Command{
		Use:   "add TITLE [flags]",
		Short: "Add a follow-up",
		Example: `  rolo task add "Send the proposal" --due "tomorrow 3pm" --contact maria@acme.com
  rolo task add 回访客户 --due 明天下午3点 --contact 张伟 --priority high
  rolo task add "Weekly check-in" --due "next monday 10am" --repeat weekly --deal "ERP rollout"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t := model.Task{Title: strings.Join(args, " ")}
			err := a.update(func(tx *store.Tx) error {
				if err := f.apply(a, cmd, tx, &t); err != nil {
					return err
				}
				if t.ContactID.IsZero() && !t.DealID.IsZero() {
					if d, err := tx.Deal(t.DealID); err == nil {
						t.ContactID = d.ContactID
					}
				}
				if t.Owner == "" {
					t.Owner = a.cfg.Owner
				}
				return tx.PutTask(&t)
			})
			if err != nil {
				return err
			}
			due := fmtDue(t.Due)
			if due == "" {
				due = a.L().T("msg.no.due")
			}
			return a.showTaskResult(t, a.L().T("msg.created", a.L().T("noun.task"), fmt.Sprintf("%s (%s) %s", t.Title, due, t.ID)))
		},
	}
	f.register(cmd, false)
	return cmd
}

func (a *app) showTaskResult(t model.Task, msg string) error {
	if a.jsonOut {
		return a.view(func(tx *store.Tx) error {
			j, err := newNames(tx).taskJSON(t, a.now())
			if err != nil {
				return err
			}
			return a.printJSON(j)
		})
	}
	a.say(msg)
	return nil
}

func taskListCmd(a *app) *cobra.Command {
	var overdue, today, week, all, done bool
	var contact, deal string
	var limit int
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List follow-ups, soonest due first",
		Long: `List open follow-ups, soonest due first (undated ones last).
  --overdue  only those past due
  --today    due today, and overdue ones
  --week     due in the next seven days, and overdue ones
  --all      open and done
  --done     done only, most recent first`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q := store.TaskQuery{Limit: limit}
			n := 0
			for _, r := range []struct {
				on bool
				r  store.TaskRange
			}{{overdue, store.TasksOverdue}, {today, store.TasksToday}, {week, store.TasksWeek}, {all, store.TasksAll}, {done, store.TasksDone}} {
				if r.on {
					q.Range = r.r
					n++
				}
			}
			if n > 1 {
				return usagef(fmt.Errorf("choose one of --overdue, --today, --week, --all, --done"))
			}
			return a.view(func(tx *store.Tx) error {
				var err error
				if q.ContactID, err = optionalRef(contact, tx.ResolveContact, contactID); err != nil {
					return err
				}
				if q.DealID, err = optionalRef(deal, tx.ResolveDeal, dealID); err != nil {
					return err
				}
				list, err := tx.Tasks(q, a.now())
				if err != nil {
					return err
				}
				nm := newNames(tx)
				if a.jsonOut {
					out, err := jsonList(list, func(t model.Task) (json.RawMessage, error) { return nm.taskJSON(t, a.now()) })
					if err != nil {
						return err
					}
					return a.printJSON(out)
				}
				a.taskTable(nm, list).write(a.stdout)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&overdue, "overdue", false, "only overdue follow-ups")
	fl.BoolVar(&today, "today", false, "due today (and overdue)")
	fl.BoolVar(&week, "week", false, "due within seven days (and overdue)")
	fl.BoolVar(&all, "all", false, "include done follow-ups")
	fl.BoolVar(&done, "done", false, "only done follow-ups")
	fl.StringVar(&contact, "contact", "", "only follow-ups for this contact")
	fl.StringVar(&deal, "deal", "", "only follow-ups for this deal")
	fl.IntVarP(&limit, "limit", "n", 0, "show at most N (0: all)")
	return cmd
}

func (a *app) taskTable(n *names, list []model.Task) *table {
	L := a.L()
	t := newTable(L.T("col.id"), L.T("col.due"), L.T("col.task"), L.T("col.priority"), L.T("col.contact"), L.T("col.deal"))
	t.limit(2, 40).limit(4, 20).limit(5, 24)
	for _, task := range list {
		due := fmtDue(task.Due)
		switch {
		case task.Done():
			due = "✓ " + fmtTime(task.DoneAt)
		case task.Overdue(a.now()):
			due += " (" + L.T("msg.overdue") + ")"
		}
		t.row(task.ID.String(), due, task.Title, L.T("priority."+task.Priority), n.contact(task.ContactID), n.deal(task.DealID))
	}
	return t
}

func taskShowCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID|TITLE",
		Short: "Show a follow-up",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.view(func(tx *store.Tx) error {
				t, err := tx.ResolveTask(args[0])
				if err != nil {
					return err
				}
				n := newNames(tx)
				if a.jsonOut {
					j, err := n.taskJSON(t, a.now())
					if err != nil {
						return err
					}
					return a.printJSON(j)
				}
				L := a.L()
				fmt.Fprintf(a.stdout, "%s  %s\n\n", t.Title, t.ID)
				var d details
				d.add(L.T("field.due"), fmtDue(t.Due))
				d.add(L.T("field.priority"), L.T("priority."+t.Priority))
				d.add(L.T("field.repeat"), t.Repeat.String())
				d.add(L.T("field.contact"), n.contact(t.ContactID))
				d.add(L.T("field.deal"), n.deal(t.DealID))
				d.add(L.T("field.company"), n.company(t.CompanyID))
				d.add(L.T("field.notes"), t.Notes)
				d.add(L.T("field.owner"), t.Owner)
				d.add(L.T("col.done"), fmtTime(t.DoneAt))
				d.add(L.T("field.created"), fmtTime(t.CreatedAt))
				d.write(a.stdout)
				return nil
			})
		},
	}
}

func taskDoneCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "done ID|TITLE",
		Short: "Mark a follow-up done (a repeating one comes back)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var t model.Task
			var next *model.Task
			err := a.update(func(tx *store.Tx) error {
				found, err := tx.ResolveTask(args[0])
				if err != nil {
					return err
				}
				t, next, err = tx.CompleteTask(found.ID)
				return err
			})
			if err != nil {
				return err
			}
			msg := a.L().T("msg.done", t.Title)
			if next != nil {
				msg = a.L().T("msg.done.next", t.Title, fmtDue(next.Due))
			}
			return a.showTaskResult(t, msg)
		},
	}
}

func taskSnoozeCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "snooze ID|TITLE [WHEN]",
		Short: "Push a follow-up's due date back (default: tomorrow)",
		Example: `  rolo task snooze 01JD... "next monday 9am"
  rolo task snooze 回访客户 后天`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			when := "tomorrow"
			if len(args) == 2 {
				when = args[1]
			}
			due, err := parseDue(when, a)
			if err != nil {
				return err
			}
			var t model.Task
			err = a.update(func(tx *store.Tx) error {
				if t, err = tx.ResolveTask(args[0]); err != nil {
					return err
				}
				if t.Due.HasTime() && !due.HasTime() {
					due = model.DueAt(sameTimeOn(t.Due.At, due.Date))
				}
				t.Due = due
				return tx.PutTask(&t)
			})
			if err != nil {
				return err
			}
			return a.showTaskResult(t, a.L().T("msg.snoozed", t.Title, fmtDue(t.Due)))
		},
	}
}

func taskEditCmd(a *app) *cobra.Command {
	var f taskFlags
	var reopen bool
	cmd := &cobra.Command{
		Use:   "edit ID|TITLE [flags]",
		Short: "Change a follow-up",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var t model.Task
			err := a.update(func(tx *store.Tx) error {
				var err error
				if t, err = tx.ResolveTask(args[0]); err != nil {
					return err
				}
				if err := f.apply(a, cmd, tx, &t); err != nil {
					return err
				}
				if reopen {
					t.DoneAt = time.Time{}
				}
				return tx.PutTask(&t)
			})
			if err != nil {
				return err
			}
			return a.showTaskResult(t, a.L().T("msg.updated", a.L().T("noun.task"), t.Title+" "+t.ID.String()))
		},
	}
	f.register(cmd, true)
	cmd.Flags().BoolVar(&reopen, "reopen", false, "mark a done follow-up as not done")
	return cmd
}

func taskRmCmd(a *app) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:     "rm ID|TITLE",
		Aliases: []string{"delete"},
		Short:   "Delete a follow-up",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var t model.Task
			if err := a.view(func(tx *store.Tx) error {
				var err error
				t, err = tx.ResolveTask(args[0])
				return err
			}); err != nil {
				return err
			}
			if !a.confirm(a.L().T("msg.confirm.delete", a.L().T("noun.task"), t.Title+" "+t.ID.String()), yes) {
				a.say(a.L().T("msg.cancelled"))
				return nil
			}
			var r store.Removal
			if err := a.update(func(tx *store.Tx) error {
				var err error
				r, err = tx.DeleteTask(t.ID)
				return err
			}); err != nil {
				return err
			}
			return a.reportRemoval(model.EntityTask, t.ID, t.Title, r)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}
