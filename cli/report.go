package cli

import (
	"cmp"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/insight"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// reportFlags are the filters every report takes; each report says which
// of the period and currency apply to it.
type reportFlags struct {
	since, until, owner, tag, currency string
	limit                              int
}

// reportSpec describes one `rolo report NAME`.
type reportSpec struct {
	name, short, long string
	period, currency  bool // whether --since/--until and --currency apply
	flags             func(*cobra.Command)
	check             func() error // checks the report's own flags, before anything is read
	run               func(a *app, d *insight.Data, q insight.Query, limit int) error
}

func reportCmd(a *app) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:     "report",
		Aliases: []string{"reports", "r"},
		Short:   "Reports: pipeline, forecast, win rate, cycle, activity, lifecycle, RFM, CLV, Pareto, stale, NPS",
		Long: `Reports on the local database, as a table or with --json. Filters:
--since and --until bound the period (both days included), --owner and
--tag keep one owner's or one tag's records, --currency keeps one
currency: amounts in different currencies are never added together.
docs/insight.md defines every number; thresholds are in config.toml
[insight].`,
	}
	group(cmd)
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.since, "since", "", `start of the period, included: 2026-01-01, "last monday", 上个月1号`)
	pf.StringVar(&f.until, "until", "", "end of the period, included")
	pf.StringVar(&f.owner, "owner", "", "only records of this owner")
	pf.StringVar(&f.tag, "tag", "", "only records with this tag")
	pf.StringVar(&f.currency, "currency", "", "only amounts in this currency (ISO 4217)")
	pf.IntVarP(&f.limit, "limit", "n", 0, "list at most N records in each list (default 20 in tables, all with --json; 0: all)")
	for _, spec := range reportSpecs() {
		cmd.AddCommand(spec.command(a, &f))
	}
	return cmd
}

func (spec reportSpec) command(a *app, f *reportFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   spec.name,
		Short: spec.short,
		Long:  spec.long,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// A report reads every record of a kind once and keeps most of
			// them: collecting garbage as the heap grows from nothing only
			// rescans what is kept. Let it grow fivefold between cycles.
			defer debug.SetGCPercent(debug.SetGCPercent(400))
			q, err := spec.query(a, cmd, f)
			if err != nil {
				return err
			}
			limit := f.limit
			if !changed(cmd, "limit") && !a.jsonOut {
				limit = 20
			}
			if limit < 0 {
				return usagef(&model.FieldError{Field: "limit", Value: fmt.Sprint(limit), Reason: "cannot be negative"})
			}
			if spec.check != nil {
				if err := spec.check(); err != nil {
					return usagef(err)
				}
			}
			var d *insight.Data
			err = a.view(func(tx *store.Tx) error {
				var err error
				d, err = insight.Load(tx, insight.Needs(spec.name, q))
				return err
			})
			if err != nil {
				return err
			}
			return spec.run(a, d, q, limit)
		},
	}
	if spec.flags != nil {
		spec.flags(cmd)
	}
	return cmd
}

// query turns the flags into an insight query, refusing filters that do
// not apply to the report.
func (spec reportSpec) query(a *app, cmd *cobra.Command, f *reportFlags) (insight.Query, error) {
	cfg, err := a.config()
	if err != nil {
		return insight.Query{}, err
	}
	L := a.L()
	for _, na := range []struct {
		flag string
		ok   bool
	}{{"since", spec.period}, {"until", spec.period}, {"currency", spec.currency}} {
		if changed(cmd, na.flag) && !na.ok {
			return insight.Query{}, usagef(errors.New(L.T("insight.flag.na", na.flag, spec.name)))
		}
	}
	now := a.now()
	q := insight.Query{Now: now, Params: insight.ParamsOf(cfg), Owner: strings.TrimSpace(f.owner), Tag: strings.TrimSpace(f.tag)}
	if f.since != "" {
		d, err := parseDay("since", f.since, now)
		if err != nil {
			return q, err
		}
		q.Since = d.In(now.Location())
	}
	if f.until != "" {
		d, err := parseDay("until", f.until, now)
		if err != nil {
			return q, err
		}
		q.Until = d.AddDays(1).In(now.Location()) // the whole day
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return q, &model.FieldError{Field: "until", Value: f.until, Reason: "is before --since " + f.since}
	}
	if f.currency != "" {
		q.Currency = strings.ToUpper(strings.TrimSpace(f.currency))
		if !model.ValidCurrency(q.Currency) {
			return q, &model.FieldError{Field: "currency", Value: f.currency, Reason: "not an ISO 4217 code such as CNY or USD"}
		}
	}
	return q, nil
}

func reportSpecs() []reportSpec {
	var months int
	var stage, segment string
	var explain bool
	return []reportSpec{
		{name: "pipeline", period: true, currency: true, run: runPipeline,
			short: "Open deals by stage: count, value, weighted value, days in stage, stuck, no next step",
			long: `Open deals by stage: how many, their value and probability-weighted value
per currency, the average days in the stage, how many had no stage move in
[insight] stuck_days, and how many have no open follow-up. The period
keeps deals created in it.`},
		{name: "forecast", period: true, currency: true,
			short: "Open deals by expected close month: weighted, best case and commit",
			long: `Open deals by the month of their expected close date, from the current
month on ([insight] forecast_months, or --months): best case counts every
deal, commit those at or above [insight] commit_probability, weighted each
deal times its probability. Deals whose date has passed and deals without
one are listed apart. The period keeps deals created in it.`,
			flags: func(c *cobra.Command) {
				c.Flags().IntVar(&months, "months", 0, "how many months (default from config)")
			},
			check: func() error {
				if months < 0 || months > 60 {
					return &model.FieldError{Field: "months", Value: fmt.Sprint(months), Reason: "must be from 1 to 60"}
				}
				return nil
			},
			run: func(a *app, d *insight.Data, q insight.Query, limit int) error {
				if months > 0 {
					q.Params.ForecastMonths = months
				}
				return runForecast(a, d, q, limit)
			}},
		{name: "winrate", period: true, currency: true, run: runWinRate,
			short: "Won / (won + lost) of deals closed in the period, by source, tag, owner and quarter; lost reasons"},
		{name: "cycle", period: true, currency: true, run: runCycle,
			short: "Days from creation to won (median, p75), days in each stage, by quarter"},
		{name: "activity", period: true, run: runActivity,
			short: "Activities per week by kind, contacts touched, complaints made and resolved",
			long: `Activities per week (Monday to Sunday) by kind, the contacts touched, and
complaints made, resolved, and the median hours to resolve them. Without
--since: the last 12 weeks, the current one included.`},
		{name: "lifecycle",
			short: "Every contact and company in a lifecycle stage: lead, exploration, formation, stability, decline, churned",
			long: `Places every contact and company in a stage of the customer lifecycle,
from its deals and activities and the thresholds in config.toml [insight]:
lead; exploration (考察期: engaged, nothing won yet); formation (形成期: a
first purchase, recently); stability (稳定期: repeat purchases, in touch);
decline (退化期: a purchase overdue against its own rhythm, no repeat
purchase, going quiet, or an unresolved complaint); churned. A stage
pinned with contact edit --lifecycle wins. --stage lists the members of
one stage (all: everyone).`,
			flags: func(c *cobra.Command) {
				c.Flags().StringVar(&stage, "stage", "", "list the contacts and companies in this stage: "+strings.Join(model.LifecycleStages, ", ")+", all")
			},
			check: func() error {
				stage = strings.ToLower(strings.TrimSpace(stage))
				if stage != "" && stage != "all" && !model.IsLifecycleStage(stage) {
					return &model.FieldError{Field: "stage", Value: stage, Reason: "one of " + strings.Join(model.LifecycleStages, ", ") + ", all"}
				}
				return nil
			},
			run: func(a *app, d *insight.Data, q insight.Query, limit int) error {
				return runLifecycle(a, d, q, limit, stage)
			}},
		{name: "rfm", period: true, currency: true,
			short: "Recency, frequency and monetary scores 1-5 per customer, and the segments",
			long: `Scores each customer 1-5 on recency (days since its last purchase),
frequency (deals won) and monetary value (their sum), by quintile among the
customers of the same currency, and puts it in a segment: champions, loyal,
potential loyalists, new, at risk, can't lose, hibernating, lost. --segment
lists the customers of one segment.`,
			flags: func(c *cobra.Command) {
				c.Flags().StringVar(&segment, "segment", "", "list the customers of this segment: "+strings.Join(insight.Segments, ", "))
			},
			check: func() error {
				segment = strings.NewReplacer(" ", "_", "-", "_", "'", "").Replace(strings.ToLower(strings.TrimSpace(segment)))
				if segment != "" && !slices.Contains(insight.Segments, segment) {
					return &model.FieldError{Field: "segment", Value: segment, Reason: "one of " + strings.Join(insight.Segments, ", ")}
				}
				return nil
			},
			run: func(a *app, d *insight.Data, q insight.Query, limit int) error {
				return runRFM(a, d, q, limit, segment)
			}},
		{name: "clv", period: true, currency: true,
			short: "Customer lifetime value per customer and on average (--explain shows the formula)",
			long: `Customer lifetime value: average deal value × purchases per year ×
the present value of a year over the expected lifespan, discounted at the
yearly rate ([insight] clv_lifespan_years, clv_discount_rate). --explain
prints the formula, its inputs and one customer worked through.`,
			flags: func(c *cobra.Command) {
				c.Flags().BoolVar(&explain, "explain", false, "print the formula and its inputs")
			},
			run: func(a *app, d *insight.Data, q insight.Query, limit int) error {
				return runCLV(a, d, q, limit, explain)
			}},
		{name: "pareto", period: true, currency: true, run: runPareto,
			short: "The share of revenue from the top 20% of customers, and the customers making 80% of it"},
		{name: "stale", currency: true, run: runStale,
			short: "Customers and deals going quiet against their own rhythm, by value at risk",
			long: `Customers and open deals silent for longer than their usual gap between
touches allows ([insight] stale_factor times it, and at least quiet_days),
the most valuable first.`},
		{name: "nps", period: true, run: runNPS,
			short: "Net promoter score of feedback scores (rolo log feedback --score), by month"},
	}
}

// cut keeps the first limit items (all when limit is 0).
func cut[T any](s []T, limit int) []T {
	if limit > 0 && len(s) > limit {
		return s[:limit]
	}
	return s
}

// more says how many items a table left out.
func (a *app) more(total, shown int) {
	if total > shown {
		fmt.Fprintln(a.stdout, a.L().T("insight.more", total-shown))
	}
}

func fmtRate(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}

func fmtNum(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f", *v)
}

func orNone(L i18n.Lang, s string) string {
	if s == "" {
		return L.T("msg.none")
	}
	return s
}

func customerName(L i18n.Lang, c insight.Customer) string {
	if c.Name == "" {
		return L.T("msg.none")
	}
	return c.Name
}

// books prints n currency books with show, a blank line between them,
// or says that nothing was bought.
func (a *app) books(n int, show func(i int)) {
	if n == 0 {
		a.heading("insight.no_purchases")
	}
	for i := range n {
		if i > 0 {
			fmt.Fprintln(a.stdout)
		}
		show(i)
	}
}

// heading prints a report's title line.
func (a *app) heading(key string, args ...any) {
	fmt.Fprintln(a.stdout, a.L().T(key, args...))
}

// amountRows adds one row per currency: first the cells of the row's
// head, then blanks under it.
func amountRows[T any](t *table, head []string, amounts []T, cells func(T) []string, tail []string) {
	if len(amounts) == 0 {
		t.row(append(append(head, cells(*new(T))...), tail...)...)
		return
	}
	for i, am := range amounts {
		h, tl := head, tail
		if i > 0 {
			h, tl = make([]string, len(head)), make([]string, len(tail))
		}
		t.row(append(append(slices.Clone(h), cells(am)...), tl...)...)
	}
}

func runPipeline(a *app, d *insight.Data, q insight.Query, limit int) error {
	r := insight.Pipeline(d, q)
	for i := range r.Stages {
		r.Stages[i].Items = cut(r.Stages[i].Items, limit)
	}
	if a.jsonOut {
		return a.printJSON(r)
	}
	L := a.L()
	a.heading("insight.pipeline.title", r.AsOf.In(q.Now.Location()).Format(time.DateOnly), r.StuckDays)
	t := newTable(L.T("col.stage"), L.T("insight.col.deals"), L.T("insight.col.total"), L.T("insight.col.weighted"),
		L.T("insight.col.avg_days"), L.T("insight.col.stuck"), L.T("insight.col.no_next_step"))
	cells := func(s insight.StageAmount) []string {
		if s.Currency == "" {
			return []string{"", ""}
		}
		return []string{s.Total.Format(), s.Weighted.Format()}
	}
	for _, s := range r.Stages {
		amountRows(t, []string{s.Label, fmt.Sprint(s.Deals)}, s.Amounts, cells,
			[]string{fmtNum(s.AvgDaysInStage), fmt.Sprint(s.Stuck), fmt.Sprint(s.NoNextStep)})
	}
	amountRows(t, []string{L.T("insight.total"), fmt.Sprint(r.Total.Deals)}, r.Total.Amounts, cells,
		[]string{"", fmt.Sprint(r.Total.Stuck), fmt.Sprint(r.Total.NoNextStep)})
	t.write(a.stdout)
	return nil
}

func runForecast(a *app, d *insight.Data, q insight.Query, limit int) error {
	r := insight.Forecast(d, q)
	total := [3]int{r.Later.Deals, len(r.Overdue), len(r.Undated)}
	for i := range r.Months {
		r.Months[i].Items = cut(r.Months[i].Items, limit)
	}
	r.Later.Items, r.Overdue, r.Undated = cut(r.Later.Items, limit), cut(r.Overdue, limit), cut(r.Undated, limit)
	if a.jsonOut {
		return a.printJSON(r)
	}
	L := a.L()
	a.heading("insight.forecast.title", r.CommitProbability)
	t := newTable(L.T("insight.col.month"), L.T("insight.col.deals"), L.T("insight.col.best_case"), L.T("insight.col.commit"), L.T("insight.col.weighted"))
	cells := func(f insight.ForecastAmount) []string {
		if f.Currency == "" {
			return []string{"", "", ""}
		}
		return []string{f.BestCase.Format(), f.Commit.Format(), f.Weighted.Format()}
	}
	for _, m := range r.Months {
		amountRows(t, []string{m.Month, fmt.Sprint(m.Deals)}, m.Amounts, cells, nil)
	}
	amountRows(t, []string{L.T("insight.later"), fmt.Sprint(r.Later.Deals)}, r.Later.Amounts, cells, nil)
	t.write(a.stdout)
	for _, list := range []struct {
		key   string
		deals []insight.DealLine
		total int
	}{{"insight.forecast.overdue", r.Overdue, total[1]}, {"insight.forecast.undated", r.Undated, total[2]}} {
		if list.total == 0 {
			continue
		}
		fmt.Fprintln(a.stdout)
		a.heading(list.key, list.total)
		a.dealLines(list.deals)
		a.more(list.total, len(list.deals))
	}
	return nil
}

func (a *app) dealLines(deals []insight.DealLine) {
	L := a.L()
	t := newTable(L.T("col.deal"), L.T("insight.col.customer"), L.T("col.stage"), L.T("col.amount"), L.T("col.close"), L.T("col.id"))
	t.limit(0, 32).limit(1, 24)
	for _, d := range deals {
		t.row(d.Title, customerName(L, d.Customer), d.Stage, d.Amount.Format(), d.CloseDate.String(), d.ID.String())
	}
	t.write(a.stdout)
}

func runWinRate(a *app, d *insight.Data, q insight.Query, limit int) error {
	r := insight.WinRate(d, q)
	total := [4]int{len(r.BySource), len(r.ByTag), len(r.ByOwner), len(r.LostReasons)}
	r.BySource, r.ByTag, r.ByOwner = cut(r.BySource, limit), cut(r.ByTag, limit), cut(r.ByOwner, limit)
	r.LostReasons = cut(r.LostReasons, limit)
	if a.jsonOut {
		return a.printJSON(r)
	}
	L := a.L()
	a.heading("insight.winrate.title", fmtRate(r.Rate), r.Won, r.Lost)
	for _, g := range []struct {
		key    string
		groups []insight.WinRateGroup
		total  int
	}{
		{"insight.col.source", r.BySource, total[0]}, {"col.tags", r.ByTag, total[1]},
		{"insight.col.owner", r.ByOwner, total[2]}, {"insight.col.quarter", r.ByQuarter, len(r.ByQuarter)},
	} {
		if len(g.groups) == 0 {
			continue
		}
		fmt.Fprintln(a.stdout)
		t := newTable(L.T(g.key), L.T("insight.col.won"), L.T("insight.col.lost"), L.T("insight.col.rate"))
		t.limit(0, 32)
		for _, w := range g.groups {
			t.row(orNone(L, w.Key), fmt.Sprint(w.Won), fmt.Sprint(w.Lost), fmtRate(w.Rate))
		}
		t.write(a.stdout)
		a.more(g.total, len(g.groups))
	}
	if len(r.LostReasons) > 0 {
		fmt.Fprintln(a.stdout)
		t := newTable(L.T("insight.col.lost_reason"), L.T("insight.col.deals"), L.T("insight.col.share"))
		t.limit(0, 40)
		for _, lr := range r.LostReasons {
			t.row(orNone(L, lr.Reason), fmt.Sprint(lr.Deals), fmtRate(lr.Share))
		}
		t.write(a.stdout)
		a.more(total[3], len(r.LostReasons))
	}
	return nil
}

func runCycle(a *app, d *insight.Data, q insight.Query, _ int) error {
	r := insight.Cycle(d, q)
	if a.jsonOut {
		return a.printJSON(r)
	}
	L := a.L()
	a.heading("insight.cycle.title", r.Won, fmtNum(r.MedianDays), fmtNum(r.P75Days))
	fmt.Fprintln(a.stdout)
	t := newTable(L.T("col.stage"), L.T("insight.col.stays"), L.T("insight.col.median_days"), L.T("insight.col.p75_days"))
	for _, s := range r.Stages {
		t.row(s.Label, fmt.Sprint(s.Stays), fmtNum(s.MedianDays), fmtNum(s.P75Days))
	}
	t.write(a.stdout)
	if len(r.ByQuarter) > 0 {
		fmt.Fprintln(a.stdout)
		t = newTable(L.T("insight.col.quarter"), L.T("insight.col.won"), L.T("insight.col.median_days"), L.T("insight.col.p75_days"))
		for _, c := range r.ByQuarter {
			t.row(c.Quarter, fmt.Sprint(c.Won), fmtNum(c.MedianDays), fmtNum(c.P75Days))
		}
		t.write(a.stdout)
	}
	return nil
}

func runActivity(a *app, d *insight.Data, q insight.Query, _ int) error {
	r := insight.Activity(d, q)
	if a.jsonOut {
		return a.printJSON(r)
	}
	L := a.L()
	loc := q.Now.Location()
	a.heading("insight.activity.title", r.Since.In(loc).Format(time.DateOnly), r.Until.In(loc).Add(-time.Nanosecond).Format(time.DateOnly))
	head := []string{L.T("insight.col.week")}
	for _, k := range model.ActivityKinds {
		head = append(head, L.T("insight.kind."+k))
	}
	head = append(head, L.T("insight.col.touched"), L.T("insight.col.resolved"), L.T("insight.col.resolve_hours"))
	t := newTable(head...)
	row := func(label string, c insight.ActivityCounts) {
		cells := []string{label}
		for _, k := range model.ActivityKinds {
			cells = append(cells, fmt.Sprint(c.Counts[k]))
		}
		t.row(append(cells, fmt.Sprint(c.Touched), fmt.Sprint(c.ComplaintsResolved), fmtNum(c.MedianResolveHours))...)
	}
	for _, w := range r.Weeks {
		row(w.Week.String(), w.ActivityCounts)
	}
	row(L.T("insight.total"), r.Total.ActivityCounts)
	t.write(a.stdout)
	fmt.Fprintln(a.stdout)
	a.heading("insight.activity.complaints", r.Total.ComplaintsOpened, r.Total.ComplaintsResolved,
		fmtNum(r.Total.MedianResolveHours), r.Total.ComplaintsOpen)
	return nil
}

// lifecycleJSON is the lifecycle report as printed: the members of
// --stage only, so that 100,000 contacts are not printed unasked.
type lifecycleJSON struct {
	AsOf      time.Time                `json:"as_of"`
	Stages    []insight.LifecycleCount `json:"stages"`
	Stage     string                   `json:"stage,omitempty"`
	Contacts  []insight.LifecycleEntry `json:"contacts,omitzero"`
	Companies []insight.LifecycleEntry `json:"companies,omitzero"`
}

// runLifecycle prints the lifecycle report; stage ("" for none, or
// "all") says whose members to list.
func runLifecycle(a *app, d *insight.Data, q insight.Query, limit int, stage string) error {
	out := lifecycleJSON{AsOf: q.Now.UTC(), Stage: stage}
	var total [2]int
	if stage == "" {
		out.Stages = insight.LifecycleCounts(d, q)
	} else {
		r := insight.Lifecycle(d, q)
		out.Stages = r.Stages
		out.Contacts, out.Companies = inStage(r.Contacts, stage), inStage(r.Companies, stage)
		total = [2]int{len(out.Contacts), len(out.Companies)}
		out.Contacts, out.Companies = cut(out.Contacts, limit), cut(out.Companies, limit)
	}
	if a.jsonOut {
		return a.printJSON(out)
	}
	L := a.L()
	if stage == "" {
		a.heading("insight.lifecycle.title", q.Now.Format(time.DateOnly))
		t := newTable(L.T("insight.col.lifecycle"), L.T("insight.col.contacts"), L.T("insight.col.companies"))
		for _, s := range out.Stages {
			t.row(L.T("insight.lifecycle."+s.Stage), fmt.Sprint(s.Contacts), fmt.Sprint(s.Companies))
		}
		t.write(a.stdout)
		fmt.Fprintln(a.stdout)
		a.heading("insight.lifecycle.hint")
		return nil
	}
	label := L.T("insight.lifecycle.all")
	if stage != "all" {
		label = L.T("insight.lifecycle." + stage)
	}
	a.heading("insight.lifecycle.members", label, total[0], total[1])
	t := newTable(L.T("col.name"), L.T("insight.col.kind"), L.T("insight.col.lifecycle"), L.T("insight.col.reasons"),
		L.T("insight.col.purchases"), L.T("insight.col.last_purchase"), L.T("insight.col.last_touch"), L.T("col.id"))
	t.limit(0, 28)
	for _, e := range append(out.Contacts, out.Companies...) {
		st := L.T("insight.lifecycle." + e.Stage)
		if e.Pinned {
			st += " " + L.T("insight.pinned")
		}
		var reasons []string
		for _, r := range e.Reasons {
			reasons = append(reasons, L.T("insight.reason."+r))
		}
		t.row(e.Name, L.T("insight.kind."+e.Kind), st, strings.Join(reasons, ", "), fmt.Sprint(e.Purchases),
			e.LastPurchase.String(), e.LastTouch.String(), e.ID.String())
	}
	t.write(a.stdout)
	a.more(total[0]+total[1], len(out.Contacts)+len(out.Companies))
	return nil
}

// inStage keeps the entries in stage ("all": every one), by name.
func inStage(es []insight.LifecycleEntry, stage string) []insight.LifecycleEntry {
	out := []insight.LifecycleEntry{}
	for _, e := range es {
		if stage == "all" || e.Stage == stage {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(x, y insight.LifecycleEntry) int { return cmp.Compare(x.Name, y.Name) })
	return out
}

// runRFM prints the RFM report; segment ("" for none) says whose
// customers to list.
func runRFM(a *app, d *insight.Data, q insight.Query, limit int, segment string) error {
	r := insight.RFM(d, q)
	totals := make([]int, len(r.Books))
	for i := range r.Books {
		b := &r.Books[i]
		if segment != "" {
			b.Items = slices.DeleteFunc(b.Items, func(c insight.RFMCustomer) bool { return c.Segment != segment })
		}
		totals[i] = len(b.Items)
		b.Items = cut(b.Items, limit)
	}
	if a.jsonOut {
		return a.printJSON(r)
	}
	L := a.L()
	a.books(len(r.Books), func(i int) {
		b := r.Books[i]
		a.heading("insight.rfm.title", b.Currency, r.AsOf.In(q.Now.Location()).Format(time.DateOnly), b.Customers)
		if segment == "" {
			t := newTable(L.T("insight.col.segment"), L.T("insight.col.customers"), L.T("insight.col.monetary"))
			for _, s := range b.Segments {
				t.row(L.T("insight.segment."+s.Segment), fmt.Sprint(s.Customers), s.Monetary.Format())
			}
			t.write(a.stdout)
			return
		}
		t := newTable(L.T("insight.col.customer"), L.T("insight.col.segment"), L.T("insight.col.score"), L.T("insight.col.recency"),
			L.T("insight.col.deals"), L.T("insight.col.monetary"), L.T("insight.col.last_purchase"))
		t.limit(0, 28)
		for _, c := range b.Items {
			t.row(customerName(L, c.Customer), L.T("insight.segment."+c.Segment), c.Score, fmt.Sprint(c.RecencyDays),
				fmt.Sprint(c.Frequency), c.Monetary.Format(), c.LastPurchase.String())
		}
		t.write(a.stdout)
		a.more(totals[i], len(b.Items))
	})
	if segment == "" && len(r.Books) > 0 {
		fmt.Fprintln(a.stdout)
		a.heading("insight.rfm.hint")
	}
	return nil
}

func runCLV(a *app, d *insight.Data, q insight.Query, limit int, explain bool) error {
	r := insight.CLV(d, q)
	totals := make([]int, len(r.Books))
	for i := range r.Books {
		totals[i] = len(r.Books[i].Items)
		r.Books[i].Items = cut(r.Books[i].Items, limit)
	}
	if a.jsonOut {
		return a.printJSON(r)
	}
	L := a.L()
	if explain {
		a.heading("insight.clv.formula", r.LifespanYears, r.DiscountRate*100, r.AnnuityFactor, r.MinYears)
		fmt.Fprintln(a.stdout)
	}
	a.books(len(r.Books), func(i int) {
		b := r.Books[i]
		a.heading("insight.clv.title", b.Currency, b.Customers, b.AverageCLV.Format(), b.AverageAnnualValue.Format())
		if explain && len(b.Items) > 0 {
			c := b.Items[0]
			a.heading("insight.clv.example", customerName(L, c.Customer), c.Deals, c.Revenue.Format(), c.AverageDeal.Format(),
				c.FirstPurchase.String(), c.Years, c.PerYear, c.AnnualValue.Format(), r.AnnuityFactor, c.CLV.Format())
		}
		t := newTable(L.T("insight.col.customer"), L.T("insight.col.deals"), L.T("insight.col.revenue"), L.T("insight.col.avg_deal"),
			L.T("insight.col.first_purchase"), L.T("insight.col.per_year"), L.T("insight.col.annual_value"), L.T("insight.col.clv"))
		t.limit(0, 28)
		for _, c := range b.Items {
			t.row(customerName(L, c.Customer), fmt.Sprint(c.Deals), c.Revenue.Format(), c.AverageDeal.Format(),
				c.FirstPurchase.String(), fmt.Sprintf("%.2f", c.PerYear), c.AnnualValue.Format(), c.CLV.Format())
		}
		t.write(a.stdout)
		a.more(totals[i], len(b.Items))
	})
	return nil
}

func runPareto(a *app, d *insight.Data, q insight.Query, limit int) error {
	r := insight.Pareto(d, q)
	cores := make([]int, len(r.Books))
	for i := range r.Books {
		b := &r.Books[i]
		cores[i] = b.CoreCustomers
		if !a.jsonOut { // the table lists the core
			b.Items = b.Items[:b.CoreCustomers]
		}
		b.Items = cut(b.Items, limit)
	}
	if a.jsonOut {
		return a.printJSON(r)
	}
	L := a.L()
	a.books(len(r.Books), func(i int) {
		b := r.Books[i]
		a.heading("insight.pareto.title", b.Currency, b.Customers, b.Revenue.Format())
		a.heading("insight.pareto.top20", b.Top20Customers, fmtRate(b.Top20Share))
		a.heading("insight.pareto.core", fmtRate(b.CoreShare), b.CoreCustomers, fmtRate(b.CoreCustomerShare))
		t := newTable(L.T("insight.col.customer"), L.T("insight.col.revenue"), L.T("insight.col.share"), L.T("insight.col.cumulative"))
		t.limit(0, 28)
		for _, c := range b.Items {
			t.row(customerName(L, c.Customer), c.Revenue.Format(), fmtRate(c.Share), fmtRate(c.CumulativeShare))
		}
		t.write(a.stdout)
		a.more(cores[i], len(b.Items))
	})
	return nil
}

func runStale(a *app, d *insight.Data, q insight.Query, limit int) error {
	r := insight.Stale(d, q)
	total := [2]int{len(r.Customers), len(r.Deals)}
	r.Customers, r.Deals = cut(r.Customers, limit), cut(r.Deals, limit)
	if a.jsonOut {
		return a.printJSON(r)
	}
	a.heading("insight.stale.customers", total[0], r.StaleFactor, r.QuietDays)
	if len(r.Customers) > 0 {
		a.staleCustomerTable(r.Customers)
		a.more(total[0], len(r.Customers))
	}
	fmt.Fprintln(a.stdout)
	a.heading("insight.stale.deals", total[1])
	if len(r.Deals) > 0 {
		a.staleDealTable(r.Deals)
		a.more(total[1], len(r.Deals))
	}
	return nil
}

func (a *app) staleCustomerTable(cs []insight.StaleCustomer) {
	L := a.L()
	t := newTable(L.T("insight.col.customer"), L.T("insight.col.last_touch"), L.T("insight.col.silent"), L.T("insight.col.usual_gap"),
		L.T("insight.col.value_at_risk"), L.T("insight.col.open_deals"))
	t.limit(0, 28)
	for _, c := range cs {
		var value []string
		for _, v := range c.ValueAtRisk {
			value = append(value, v.Amount.Format())
		}
		t.row(customerName(L, c.Customer), c.LastTouch.String(), fmt.Sprint(c.DaysSilent), fmtNum(c.UsualGapDays),
			strings.Join(value, " + "), fmt.Sprint(c.OpenDeals))
	}
	t.write(a.stdout)
}

func (a *app) staleDealTable(ds []insight.StaleDeal) {
	L := a.L()
	t := newTable(L.T("col.deal"), L.T("insight.col.customer"), L.T("col.stage"), L.T("insight.col.last_touch"), L.T("insight.col.silent"),
		L.T("insight.col.weighted"), L.T("col.id"))
	t.limit(0, 32).limit(1, 24)
	for _, s := range ds {
		t.row(s.Title, customerName(L, s.Customer), s.Stage, s.LastTouch.String(), fmt.Sprint(s.DaysSilent), s.Weighted.Format(), s.ID.String())
	}
	t.write(a.stdout)
}

func runNPS(a *app, d *insight.Data, q insight.Query, _ int) error {
	r := insight.NPS(d, q)
	if a.jsonOut {
		return a.printJSON(r)
	}
	L := a.L()
	if r.Responses == 0 {
		a.heading("insight.nps.none")
		return nil
	}
	a.heading("insight.nps.title", fmtNum(r.NPS), r.Responses, r.Promoters, r.Passives, r.Detractors)
	fmt.Fprintln(a.stdout)
	t := newTable(L.T("insight.col.month"), L.T("insight.col.responses"), L.T("insight.col.promoters"), L.T("insight.col.passives"),
		L.T("insight.col.detractors"), L.T("insight.col.nps"))
	for _, m := range r.ByMonth {
		t.row(m.Month, fmt.Sprint(m.Responses), fmt.Sprint(m.Promoters), fmt.Sprint(m.Passives), fmt.Sprint(m.Detractors), fmtNum(m.NPS))
	}
	t.write(a.stdout)
	return nil
}
