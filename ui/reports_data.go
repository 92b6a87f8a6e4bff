package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/insight"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// The reports come from two loads: the deal reports (pipeline, forecast,
// win rate, RFM, Pareto) read the deals, and the lifecycle reads every
// contact and company. Each reads in one transaction and computes after
// it, inside a command; the lifecycle loads only when first shown, since
// it is the costly one on a large book.

// dealReports are the reports made from the deals.
type dealReports struct {
	pipeline insight.PipelineReport
	forecast insight.ForecastReport
	winrate  insight.WinRateReport
	rfm      insight.RFMReport
	pareto   insight.ParetoReport
	// decided holds the deals won or lost, by quarter of their close
	// (the win-rate groups' keys), to list behind a quarter's bar.
	decided map[string][]decidedDeal
	// currencies are those with open or won deals, the currency with the
	// most open deals first.
	currencies []string
}

// decidedDeal is a won or lost deal in the win-rate list.
type decidedDeal struct {
	id     model.ID
	title  string
	won    bool
	amount model.Money
	closed time.Time
	reason string
}

// lifecycleReport is the lifecycle's counts per stage and who is in each.
type lifecycleReport struct {
	stages  []insight.LifecycleCount
	members map[string][]lifecycleMember
}

// lifecycleMember is a contact or company in a lifecycle stage.
type lifecycleMember struct {
	kind    model.Entity
	id      model.ID
	name    string
	reasons []string
}

type dealReportsMsg struct {
	req uint64
	r   *dealReports
	err error
}

type lifecycleMsg struct {
	req uint64
	r   *lifecycleReport
	err error
}

// reportQuery is the question every report of the view answers: now,
// with config.toml's thresholds, without filters.
func (s *shared) reportQuery() insight.Query {
	return insight.Query{Now: s.now(), Params: insight.ParamsOf(s.cfg)}
}

// loadThenCompute reads with need in one transaction and computes the
// reply from the records after the transaction has ended, so the file is
// held only for the read.
func (s *shared) loadThenCompute(need insight.Need, compute func(*insight.Data) tea.Msg, fail func(error) tea.Msg) tea.Cmd {
	type loaded struct{ d *insight.Data }
	read := s.read(func(tx *store.Tx) tea.Msg {
		d, err := insight.Load(tx, need)
		if err != nil {
			return fail(err)
		}
		return loaded{d}
	})
	return guard(func() tea.Msg {
		msg := read()
		if l, ok := msg.(loaded); ok {
			return compute(l.d)
		}
		return msg
	})
}

// loadDealReports starts the deal reports' load.
func (s *shared) loadDealReports(req uint64) tea.Cmd {
	q := s.reportQuery()
	need := insight.Needs("pipeline", q) | insight.Needs("forecast", q) | insight.Needs("winrate", q) |
		insight.Needs("rfm", q) | insight.Needs("pareto", q)
	return s.loadThenCompute(need, func(d *insight.Data) tea.Msg {
		return dealReportsMsg{req: req, r: makeDealReports(d, q)}
	}, func(err error) tea.Msg { return dealReportsMsg{req: req, err: err} })
}

func makeDealReports(d *insight.Data, q insight.Query) *dealReports {
	r := &dealReports{
		pipeline: insight.Pipeline(d, q), forecast: insight.Forecast(d, q), winrate: insight.WinRate(d, q),
		rfm: insight.RFM(d, q), pareto: insight.Pareto(d, q), decided: map[string][]decidedDeal{},
	}
	for i := range d.Deals {
		deal := &d.Deals[i]
		if deal.Status == model.StatusOpen {
			continue
		}
		k := quarterOf(deal.ClosedAt, q.Now.Location())
		r.decided[k] = append(r.decided[k], decidedDeal{id: deal.ID, title: deal.Title, won: deal.Status == model.StatusWon,
			amount: deal.Value, closed: deal.ClosedAt, reason: deal.LostReason})
	}
	seen := map[string]bool{}
	add := func(c string) {
		if c != "" && !seen[c] {
			seen[c] = true
			r.currencies = append(r.currencies, c)
		}
	}
	for _, a := range r.pipeline.Total.Amounts {
		add(a.Currency)
	}
	for _, b := range r.rfm.Books {
		add(b.Currency)
	}
	return r
}

// quarterOf names the calendar quarter of t in loc as the win-rate
// report's groups do: "2026-Q1".
func quarterOf(t time.Time, loc *time.Location) string {
	y, m, _ := t.In(loc).Date()
	return fmt.Sprintf("%04d-Q%d", y, (int(m)+2)/3)
}

// loadLifecycle starts the lifecycle's load.
func (s *shared) loadLifecycle(req uint64) tea.Cmd {
	q := s.reportQuery()
	return s.loadThenCompute(insight.Needs("lifecycle", q), func(d *insight.Data) tea.Msg {
		lr := insight.Lifecycle(d, q)
		r := &lifecycleReport{stages: lr.Stages, members: map[string][]lifecycleMember{}}
		for _, group := range []struct {
			kind    model.Entity
			entries []insight.LifecycleEntry
		}{{model.EntityContact, lr.Contacts}, {model.EntityCompany, lr.Companies}} {
			for _, e := range group.entries {
				r.members[e.Stage] = append(r.members[e.Stage], lifecycleMember{kind: group.kind, id: e.ID, name: e.Name, reasons: e.Reasons})
			}
		}
		return lifecycleMsg{req: req, r: r}
	}, func(err error) tea.Msg { return lifecycleMsg{req: req, err: err} })
}
