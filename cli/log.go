package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func logCmd(a *app) *cobra.Command {
	var contact, deal, company, at, direction, channel string
	var score int
	cmd := &cobra.Command{
		Use:   "log KIND TEXT...",
		Short: "Log an activity: call, email, meeting, visit, message, note, complaint, feedback",
		Long: `Log an interaction on a contact, deal or company. KIND is one of
` + strings.Join(model.ActivityKinds, ", ") + `. WeChat and other IM
conversations are "message" (--channel wechat). Feedback carries a 0-10
score (--score), from which the NPS report is computed. A complaint stays
open until resolved with ` + "`rolo activity resolve ID`" + `.`,
		Example: `  rolo log call --contact maria@acme.com "Discussed pricing; wants a quote by Friday"
  rolo log message --contact 张伟 --channel wechat 发了报价单，客户说下周回复
  rolo log feedback --contact 张伟 --score 9 "很满意"
  rolo log meeting --deal "ERP rollout" --at "yesterday 3pm" "Demo with the IT team"`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			act := model.Activity{Kind: strings.ToLower(args[0]), Body: strings.Join(args[1:], " "), Direction: direction, Channel: channel}
			if !model.IsActivityKind(act.Kind) {
				return usagef(&model.FieldError{Field: "kind", Value: args[0], Reason: "one of " + strings.Join(model.ActivityKinds, ", ")})
			}
			if contact == "" && deal == "" && company == "" {
				return usagef(fmt.Errorf("say who the activity was with: --contact, --deal or --company"))
			}
			if changed(cmd, "score") {
				act.Score = &score
			}
			if at != "" {
				due, err := model.ParseWhen(at, a.now())
				if err != nil {
					return relabel(err, "at")
				}
				act.At = due.Instant(a.now().Location())
				if !due.HasTime() {
					act.At = due.Date.In(a.now().Location()).Add(12 * time.Hour) // a day without a time: noon
				}
			}
			err := a.update(func(tx *store.Tx) error {
				var err error
				if act.ContactID, err = optionalRef(contact, tx.ResolveContact, contactID); err != nil {
					return err
				}
				if act.DealID, err = optionalRef(deal, tx.ResolveDeal, dealID); err != nil {
					return err
				}
				if act.CompanyID, err = optionalRef(company, tx.ResolveCompany, companyID); err != nil {
					return err
				}
				if act.ContactID.IsZero() && !act.DealID.IsZero() {
					if d, err := tx.Deal(act.DealID); err == nil {
						act.ContactID = d.ContactID
					}
				}
				act.Owner = a.cfg.Owner
				return tx.AddActivity(&act)
			})
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.view(func(tx *store.Tx) error {
					j, err := newNames(tx).activityJSON(act)
					if err != nil {
						return err
					}
					return a.printJSON(j)
				})
			}
			a.say(a.L().T("msg.logged", act.Kind, act.ID))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&contact, "contact", "", "contact id, email or name")
	fl.StringVar(&deal, "deal", "", "deal id or title")
	fl.StringVar(&company, "company", "", "company id or name")
	fl.StringVar(&at, "at", "", `when it happened (default now): "yesterday 3pm", 昨天下午3点, 2026-11-20`)
	fl.StringVar(&direction, "direction", "", "in or out")
	fl.StringVar(&channel, "channel", "", "channel of a message, e.g. wechat, whatsapp, sms")
	fl.IntVar(&score, "score", 0, "satisfaction score 0-10 (feedback)")
	return cmd
}

func activityCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "activity",
		Aliases: []string{"activities", "a"},
		Short:   "List activities, resolve complaints, delete a mistaken entry",
	}
	group(cmd)
	cmd.AddCommand(activityListCmd(a), activityResolveCmd(a), activityRmCmd(a))
	return cmd
}

func activityListCmd(a *app) *cobra.Command {
	var contact, deal, company, kind string
	var limit int
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List activities, newest first",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if kind != "" && !model.IsActivityKind(kind) {
				return usagef(&model.FieldError{Field: "kind", Value: kind, Reason: "one of " + strings.Join(model.ActivityKinds, ", ")})
			}
			return a.view(func(tx *store.Tx) error {
				q := store.ActivityQuery{Kind: kind, Limit: limit}
				var err error
				if q.ContactID, err = optionalRef(contact, tx.ResolveContact, contactID); err != nil {
					return err
				}
				if q.DealID, err = optionalRef(deal, tx.ResolveDeal, dealID); err != nil {
					return err
				}
				if q.CompanyID, err = optionalRef(company, tx.ResolveCompany, companyID); err != nil {
					return err
				}
				list, err := tx.Activities(q)
				if err != nil {
					return err
				}
				n := newNames(tx)
				if a.jsonOut {
					out, err := jsonList(list, n.activityJSON)
					if err != nil {
						return err
					}
					return a.printJSON(out)
				}
				a.activityTable(n, list, true).write(a.stdout)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&contact, "contact", "", "only this contact's")
	fl.StringVar(&deal, "deal", "", "only this deal's")
	fl.StringVar(&company, "company", "", "only this company's")
	fl.StringVar(&kind, "kind", "", "only this kind")
	fl.IntVarP(&limit, "limit", "n", 50, "show at most N (0: all)")
	return cmd
}

func (a *app) activityTable(n *names, list []model.Activity, withContact bool) *table {
	L := a.L()
	header := []string{L.T("col.id"), L.T("col.when"), L.T("col.kind")}
	if withContact {
		header = append(header, L.T("col.contact"))
	}
	t := newTable(append(header, L.T("col.body"))...)
	last := len(header)
	t.limit(last, 60)
	if withContact {
		t.limit(3, 20)
	}
	for _, act := range list {
		kind := act.Kind
		switch {
		case act.Kind == model.KindComplaint:
			kind += " (" + L.T("complaint."+act.State) + ")"
		case act.Score != nil:
			kind += fmt.Sprintf(" (%d/10)", *act.Score)
		case act.Channel != "":
			kind += " (" + act.Channel + ")"
		}
		row := []string{act.ID.String(), fmtTime(act.At), kind}
		if withContact {
			row = append(row, n.contact(act.ContactID))
		}
		t.row(append(row, act.Body)...)
	}
	return t
}

func activityResolveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "resolve ID",
		Short: "Mark a complaint resolved",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := model.ParseID(args[0])
			if err != nil {
				return usagef(&model.FieldError{Field: "id", Value: args[0], Reason: "not an activity id"})
			}
			var act model.Activity
			if err := a.update(func(tx *store.Tx) error {
				act, err = tx.ResolveComplaint(id)
				return err
			}); err != nil {
				return err
			}
			if a.jsonOut {
				return a.view(func(tx *store.Tx) error {
					j, err := newNames(tx).activityJSON(act)
					if err != nil {
						return err
					}
					return a.printJSON(j)
				})
			}
			a.say(a.L().T("msg.resolved", act.ID))
			return nil
		},
	}
}

func activityRmCmd(a *app) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "rm ID",
		Short: "Delete an activity logged by mistake",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := model.ParseID(args[0])
			if err != nil {
				return usagef(&model.FieldError{Field: "id", Value: args[0], Reason: "not an activity id"})
			}
			var act model.Activity
			if err := a.view(func(tx *store.Tx) error {
				act, err = tx.Activity(id)
				return err
			}); err != nil {
				return err
			}
			if !a.confirm(a.L().T("msg.confirm.delete", a.L().T("noun.activity"), act.Kind+" "+act.ID.String()), yes) {
				a.say(a.L().T("msg.cancelled"))
				return nil
			}
			var r store.Removal
			if err := a.update(func(tx *store.Tx) error {
				r, err = tx.DeleteActivity(id)
				return err
			}); err != nil {
				return err
			}
			return a.reportRemoval(model.EntityActivity, id, act.Kind, r)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}
