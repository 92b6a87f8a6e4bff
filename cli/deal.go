package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func dealCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "deal",
		Aliases: []string{"deals", "d"},
		Short:   "Add, list, show, move, edit and delete deals",
	}
	group(cmd)
	cmd.AddCommand(dealAddCmd(a), dealListCmd(a), dealShowCmd(a), dealMoveCmd(a), dealEditCmd(a), dealRmCmd(a))
	return cmd
}

type dealFlags struct {
	title, contact, company, amount, currency, stage, close, owner, source, reason string
	probability                                                                    int
	tags, custom                                                                   []string
}

func (f *dealFlags) register(cmd *cobra.Command, stages string) {
	fl := cmd.Flags()
	fl.StringVar(&f.title, "title", "", "what is being sold")
	fl.StringVar(&f.contact, "contact", "", "contact id, email or name")
	fl.StringVar(&f.company, "company", "", "company id or name (default: the contact's)")
	fl.StringVar(&f.amount, "amount", "", `value, e.g. 1200.50, "¥3000", "3000 CNY", 3万`)
	fl.StringVar(&f.currency, "currency", "", "ISO 4217 currency (default from config)")
	fl.StringVar(&f.stage, "stage", "", "pipeline stage: "+stages)
	fl.StringVar(&f.close, "close", "", `expected close date: 2026-12-01, "next friday", 下周五`)
	fl.IntVar(&f.probability, "probability", -1, "win probability 0-100 (default: the stage's)")
	fl.StringVar(&f.owner, "owner", "", "deal owner")
	fl.StringVar(&f.source, "source", "", "lead source")
	fl.StringVar(&f.reason, "reason", "", "lost reason, with a lost stage")
	fl.StringArrayVar(&f.tags, "tag", nil, "tag (repeatable)")
	fl.StringArrayVar(&f.custom, "custom", nil, "custom field key=value (repeatable)")
}

func (f *dealFlags) apply(a *app, cmd *cobra.Command, tx *store.Tx, d *model.Deal) error {
	if changed(cmd, "title") {
		d.Title = f.title
	}
	if changed(cmd, "owner") {
		d.Owner = f.owner
	}
	if changed(cmd, "source") {
		d.Source = f.source
	}
	if changed(cmd, "tag") {
		d.Tags = f.tags
	}
	if changed(cmd, "contact") {
		id, err := optionalRef(f.contact, tx.ResolveContact, contactID)
		if err != nil {
			return err
		}
		d.ContactID = id
	}
	if changed(cmd, "company") {
		id, err := resolveCompanyOrCreate(a, tx, f.company)
		if err != nil {
			return err
		}
		d.CompanyID = id
	}
	if changed(cmd, "amount") || changed(cmd, "currency") {
		if err := f.applyMoney(cmd, d, a.cfg.Currency); err != nil {
			return err
		}
	}
	if changed(cmd, "close") {
		day, err := parseDay("close", f.close, a.now())
		if err != nil {
			return err
		}
		d.CloseDate = day
	}
	if changed(cmd, "probability") {
		if f.probability < 0 || f.probability > 100 {
			return &model.FieldError{Field: "probability", Value: fmt.Sprint(f.probability), Reason: "must be between 0 and 100"}
		}
		p := f.probability
		d.Probability = &p
	}
	if changed(cmd, "custom") {
		m, err := parseCustom(f.custom)
		if err != nil {
			return err
		}
		if d.Custom == nil {
			d.Custom = map[string]string{}
		}
		for k, v := range m {
			if v == "" {
				delete(d.Custom, k)
			} else {
				d.Custom[k] = v
			}
		}
	}
	return nil
}

// applyMoney reads --amount and --currency; a currency written in the
// amount ("¥3000") must agree with --currency.
func (f *dealFlags) applyMoney(cmd *cobra.Command, d *model.Deal, def string) error {
	cur := d.Value.Currency
	if changed(cmd, "currency") {
		cur = strings.ToUpper(strings.TrimSpace(f.currency))
		if !model.ValidCurrency(cur) {
			return &model.FieldError{Field: "currency", Value: f.currency, Reason: "not an ISO 4217 code such as CNY or USD"}
		}
	}
	if cur == "" {
		cur = def
	}
	if !changed(cmd, "amount") {
		d.Value.Currency = cur
		return nil
	}
	m, err := model.ParseMoney(f.amount, cur)
	if err != nil {
		return err
	}
	if changed(cmd, "currency") && m.Currency != cur {
		return &model.FieldError{Field: "amount", Value: f.amount, Reason: fmt.Sprintf("is in %s but --currency says %s", m.Currency, cur)}
	}
	d.Value = m
	return nil
}

func dealAddCmd(a *app) *cobra.Command {
	var f dealFlags
	cmd := &cobra.Command{
		Use:   "add --title TITLE [flags]",
		Short: "Add a deal to the pipeline",
		Example: `  rolo deal add --title "ERP rollout" --contact maria@acme.com --amount 1200.50 --currency USD --stage proposal --close 2026-12-15
  rolo deal add --title 年度采购 --company 华强电子 --amount ¥30万 --close 下周五`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !changed(cmd, "title") {
				return usagef(fmt.Errorf("required flag \"title\" not set"))
			}
			var d model.Deal
			err := a.update(func(tx *store.Tx) error {
				p := tx.Pipeline()
				var err error
				if d, err = model.NewDeal(p, f.title, f.stage, tx.Now()); err != nil {
					return err
				}
				if st, _ := p.Stage(d.Stage); st.Lost {
					d.LostReason = f.reason
				}
				if err := f.apply(a, cmd, tx, &d); err != nil {
					return err
				}
				if d.Owner == "" {
					d.Owner = a.cfg.Owner
				}
				return tx.PutDeal(&d)
			})
			if err != nil {
				return err
			}
			return a.showDealResult(d, a.L().T("msg.created", a.L().T("noun.deal"), d.Title+" "+d.ID.String()))
		},
	}
	f.register(cmd, stageHelp())
	return cmd
}

// stageHelp names the default stages for help text; config.toml may
// define others.
func stageHelp() string {
	return strings.Join(model.DefaultPipeline().Keys(), ", ") + " (or as set in config.toml)"
}

func (a *app) showDealResult(d model.Deal, msg string) error {
	if a.jsonOut {
		return a.view(func(tx *store.Tx) error {
			j, err := newNames(tx).dealJSON(d)
			if err != nil {
				return err
			}
			return a.printJSON(j)
		})
	}
	a.say(msg)
	return nil
}

func dealListCmd(a *app) *cobra.Command {
	var q store.DealQuery
	var contact, company string
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List deals in pipeline order",
		Example: `  rolo deal list --stage proposal
  rolo deal list --status won --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch q.Status {
			case "", model.StatusOpen, model.StatusWon, model.StatusLost:
			default:
				return usagef(&model.FieldError{Field: "status", Value: q.Status, Reason: "one of open, won, lost"})
			}
			return a.view(func(tx *store.Tx) error {
				if q.Stage != "" {
					st, ok := tx.Pipeline().Stage(q.Stage)
					if !ok {
						return &model.FieldError{Field: "stage", Value: q.Stage, Reason: "unknown stage; one of " + strings.Join(tx.Pipeline().Keys(), ", ")}
					}
					q.Stage = st.Key
				}
				var err error
				if q.ContactID, err = optionalRef(contact, tx.ResolveContact, contactID); err != nil {
					return err
				}
				if q.CompanyID, err = optionalRef(company, tx.ResolveCompany, companyID); err != nil {
					return err
				}
				list, err := tx.Deals(q)
				if err != nil {
					return err
				}
				n := newNames(tx)
				if a.jsonOut {
					out, err := jsonList(list, n.dealJSON)
					if err != nil {
						return err
					}
					return a.printJSON(out)
				}
				a.dealTable(n, list).write(a.stdout)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&q.Stage, "stage", "", "only deals in this stage")
	fl.StringVar(&q.Status, "status", "", "only open, won or lost deals")
	fl.StringVar(&contact, "contact", "", "only deals of this contact")
	fl.StringVar(&company, "company", "", "only deals of this company")
	fl.StringVar(&q.Tag, "tag", "", "only deals with this tag")
	fl.StringVarP(&q.Search, "search", "s", "", "search titles")
	fl.IntVarP(&q.Limit, "limit", "n", 0, "show at most N deals (0: all)")
	return cmd
}

func (a *app) dealTable(n *names, list []model.Deal) *table {
	L := a.L()
	p := n.tx.Pipeline()
	t := newTable(L.T("col.id"), L.T("col.deal"), L.T("col.stage"), L.T("col.amount"), L.T("col.probability"), L.T("col.close"), L.T("col.contact"), L.T("col.company"))
	t.limit(1, 32).limit(6, 20).limit(7, 24)
	for _, d := range list {
		t.row(d.ID.String(), d.Title, d.Stage, d.Value.Format(), fmt.Sprintf("%d%%", d.ProbabilityIn(p)),
			d.CloseDate.String(), n.contact(d.ContactID), n.company(d.CompanyID))
	}
	return t
}

func dealShowCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID|TITLE",
		Short: "Show a deal with its stage history, follow-ups and activities",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.view(func(tx *store.Tx) error {
				d, err := tx.ResolveDeal(args[0])
				if err != nil {
					return err
				}
				ts, err := tx.Tasks(store.TaskQuery{DealID: d.ID}, a.now())
				if err != nil {
					return err
				}
				acts, err := tx.Activities(store.ActivityQuery{DealID: d.ID, Limit: 50})
				if err != nil {
					return err
				}
				n := newNames(tx)
				if a.jsonOut {
					tj, err := jsonList(ts, func(t model.Task) (json.RawMessage, error) { return n.taskJSON(t, a.now()) })
					if err != nil {
						return err
					}
					aj, err := jsonList(acts, n.activityJSON)
					if err != nil {
						return err
					}
					j, err := extend(d, append(n.dealFields(d), field{"open_tasks", tj}, field{"activities", aj})...)
					if err != nil {
						return err
					}
					return a.printJSON(j)
				}
				a.dealDetails(n, d, ts, acts)
				return nil
			})
		},
	}
}

func (a *app) dealDetails(n *names, d model.Deal, ts []model.Task, acts []model.Activity) {
	L := a.L()
	p := n.tx.Pipeline()
	fmt.Fprintf(a.stdout, "%s  %s\n\n", d.Title, d.ID)
	var det details
	det.add(L.T("field.amount"), d.Value.Format())
	det.add(L.T("field.stage"), d.Stage)
	det.add(L.T("field.status"), L.T("status."+d.Status))
	det.add(L.T("field.prob"), fmt.Sprintf("%d%% (%s)", d.ProbabilityIn(p), d.Weighted(p).Format()))
	det.add(L.T("field.close"), d.CloseDate.String())
	det.add(L.T("field.closed_at"), fmtTime(d.ClosedAt))
	det.add(L.T("field.reason"), d.LostReason)
	det.add(L.T("field.contact"), n.contact(d.ContactID))
	det.add(L.T("field.company"), n.company(d.CompanyID))
	det.add(L.T("field.owner"), d.Owner)
	det.add(L.T("field.source"), d.Source)
	det.add(L.T("field.tags"), strings.Join(d.Tags, ", "))
	var hist []string
	for _, m := range d.History {
		hist = append(hist, fmtTime(m.At)+"  "+m.Stage)
	}
	det.add(L.T("field.history"), strings.Join(hist, "\n"))
	det.add(L.T("field.created"), fmtTime(d.CreatedAt))
	det.write(a.stdout)
	if len(ts) > 0 {
		fmt.Fprintf(a.stdout, "\n%s\n", L.T("section.tasks"))
		a.taskTable(n, ts).write(a.stdout)
	}
	if len(acts) > 0 {
		fmt.Fprintf(a.stdout, "\n%s\n", L.T("section.timeline"))
		a.activityTable(n, acts, true).write(a.stdout)
	}
}

func dealMoveCmd(a *app) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "move ID|TITLE STAGE",
		Short: "Move a deal to another stage (won and lost close it)",
		Example: `  rolo deal move 01JD... negotiation
  rolo deal move "ERP rollout" lost --reason "chose a competitor"`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var d model.Deal
			err := a.update(func(tx *store.Tx) error {
				found, err := tx.ResolveDeal(args[0])
				if err != nil {
					return err
				}
				d, err = tx.MoveDeal(found.ID, args[1], reason)
				return err
			})
			if err != nil {
				return err
			}
			return a.showDealResult(d, a.L().T("msg.moved", d.Title, d.Stage))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the deal was lost")
	return cmd
}

func dealEditCmd(a *app) *cobra.Command {
	var f dealFlags
	var addTags, removeTags []string
	cmd := &cobra.Command{
		Use:   "edit ID|TITLE [flags]",
		Short: "Change a deal's fields (use move to change its stage)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if changed(cmd, "stage") {
				return usagef(fmt.Errorf("use `rolo deal move ID STAGE` to change the stage, so the move is recorded"))
			}
			var d model.Deal
			err := a.update(func(tx *store.Tx) error {
				var err error
				if d, err = tx.ResolveDeal(args[0]); err != nil {
					return err
				}
				if err := f.apply(a, cmd, tx, &d); err != nil {
					return err
				}
				if changed(cmd, "reason") {
					if st, _ := tx.Pipeline().Stage(d.Stage); !st.Lost {
						return &model.FieldError{Field: "reason", Reason: "only a lost deal has a lost reason"}
					}
					d.LostReason = f.reason
				}
				d.Tags = editList(d.Tags, addTags, removeTags, strings.EqualFold)
				return tx.PutDeal(&d)
			})
			if err != nil {
				return err
			}
			return a.showDealResult(d, a.L().T("msg.updated", a.L().T("noun.deal"), d.Title+" "+d.ID.String()))
		},
	}
	f.register(cmd, stageHelp())
	cmd.Flags().StringArrayVar(&addTags, "add-tag", nil, "add a tag (repeatable)")
	cmd.Flags().StringArrayVar(&removeTags, "remove-tag", nil, "remove a tag (repeatable)")
	return cmd
}

func dealRmCmd(a *app) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:     "rm ID|TITLE",
		Aliases: []string{"delete"},
		Short:   "Delete a deal and its follow-ups",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var d model.Deal
			if err := a.view(func(tx *store.Tx) error {
				var err error
				d, err = tx.ResolveDeal(args[0])
				return err
			}); err != nil {
				return err
			}
			if !a.confirm(a.L().T("msg.confirm.delete", a.L().T("noun.deal"), d.Title+" "+d.ID.String()), yes) {
				a.say(a.L().T("msg.cancelled"))
				return nil
			}
			var r store.Removal
			if err := a.update(func(tx *store.Tx) error {
				var err error
				r, err = tx.DeleteDeal(d.ID)
				return err
			}); err != nil {
				return err
			}
			return a.reportRemoval(model.EntityDeal, d.ID, d.Title, r)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}
