package insight

import (
	"cmp"
	"slices"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// PipelineReport is the open pipeline by stage.
type PipelineReport struct {
	AsOf      time.Time       `json:"as_of"`
	StuckDays int             `json:"stuck_days"`
	Stages    []PipelineStage `json:"stages"`
	Total     PipelineTotal   `json:"total"`
}

// PipelineStage is one open stage of the pipeline and its deals.
type PipelineStage struct {
	Stage          string         `json:"stage"`
	Label          string         `json:"label"`
	Probability    int            `json:"probability"`
	Deals          int            `json:"deals"`
	Amounts        []StageAmount  `json:"amounts"`
	AvgDaysInStage *float64       `json:"avg_days_in_stage"`
	Stuck          int            `json:"stuck"`
	NoNextStep     int            `json:"no_next_step"`
	Items          []PipelineDeal `json:"items"`

	sums *byCurrency[StageAmount]
}

// PipelineTotal sums the stages.
type PipelineTotal struct {
	Deals      int           `json:"deals"`
	Amounts    []StageAmount `json:"amounts"`
	Stuck      int           `json:"stuck"`
	NoNextStep int           `json:"no_next_step"`
}

// StageAmount is the value of some deals in one currency: the sum of
// their amounts and of their probability-weighted amounts.
type StageAmount struct {
	Currency string `json:"currency"`
	Total    Amount `json:"total"`
	Weighted Amount `json:"weighted"`
}

// PipelineDeal is an open deal with how long it has been in its stage.
type PipelineDeal struct {
	DealLine
	DaysInStage float64 `json:"days_in_stage"`
	Stuck       bool    `json:"stuck"`
	NoNextStep  bool    `json:"no_next_step"`
}

// Pipeline reports the open deals created in the period, per open stage
// in pipeline order.
func Pipeline(d *Data, q Query) PipelineReport {
	r := PipelineReport{AsOf: q.Now.UTC(), StuckDays: q.Params.StuckDays}
	rows := map[string]int{}
	for _, st := range d.Pipeline.Stages {
		if !st.Closed() {
			rows[st.Key] = len(r.Stages)
			r.Stages = append(r.Stages, PipelineStage{Stage: st.Key, Label: st.Label, Probability: st.Probability})
		}
	}
	next := nextSteps(d.Tasks)
	total := newByCurrency(zeroStageAmount)
	for i := range d.Deals {
		deal := &d.Deals[i]
		if deal.Status != model.StatusOpen || !q.inPeriod(deal.CreatedAt) || !q.dealOK(deal) {
			continue
		}
		row, ok := rows[deal.Stage]
		if !ok { // a stage config.toml no longer has
			row = len(r.Stages)
			rows[deal.Stage] = row
			r.Stages = append(r.Stages, PipelineStage{Stage: deal.Stage, Label: deal.Stage})
		}
		line := PipelineDeal{
			DealLine:    d.dealLine(deal),
			DaysInStage: round(elapsedDays(deal.EnteredStage(), q.Now), 1),
			Stuck:       elapsedDays(lastMove(deal), q.Now) >= float64(q.Params.StuckDays),
			NoNextStep:  !next.has(deal),
		}
		st := &r.Stages[row]
		st.Items = append(st.Items, line)
		if st.sums == nil {
			st.sums = newByCurrency(zeroStageAmount)
		}
		for _, b := range []*byCurrency[StageAmount]{st.sums, total} {
			a := b.at(deal.Value.Currency)
			a.Total.Minor += deal.Value.Minor
			a.Weighted.Minor += line.Weighted.Minor
		}
	}
	for i := range r.Stages {
		st := &r.Stages[i]
		st.finish()
		r.Total.Deals += st.Deals
		r.Total.Stuck += st.Stuck
		r.Total.NoNextStep += st.NoNextStep
	}
	r.Total.Amounts = total.list()
	return r
}

// finish counts the stage's deals and orders them, the longest in the
// stage first.
func (st *PipelineStage) finish() {
	st.Deals = len(st.Items)
	st.Amounts = []StageAmount{}
	if st.sums != nil {
		st.Amounts = st.sums.list()
	}
	if st.Items == nil {
		st.Items = []PipelineDeal{}
	}
	var days float64
	for _, it := range st.Items {
		days += it.DaysInStage
		if it.Stuck {
			st.Stuck++
		}
		if it.NoNextStep {
			st.NoNextStep++
		}
	}
	if st.Deals > 0 {
		avg := round(days/float64(st.Deals), 1)
		st.AvgDaysInStage = &avg
	}
	slices.SortFunc(st.Items, func(a, b PipelineDeal) int {
		return cmp.Or(cmp.Compare(b.DaysInStage, a.DaysInStage), a.ID.Compare(b.ID))
	})
}

func zeroStageAmount(c string) StageAmount {
	return StageAmount{Currency: c, Total: amount(0, c), Weighted: amount(0, c)}
}

// lastMove is when the deal last changed stage (or was created).
func lastMove(d *model.Deal) time.Time {
	if n := len(d.History); n > 0 {
		return d.History[n-1].At
	}
	return d.CreatedAt
}

// followUps knows which deals have an open follow-up: one on the deal,
// or one on its contact that names no deal.
type followUps struct{ deals, contacts map[model.ID]bool }

func nextSteps(open []model.Task) followUps {
	f := followUps{deals: map[model.ID]bool{}, contacts: map[model.ID]bool{}}
	for i := range open {
		t := &open[i]
		switch {
		case t.Done():
		case !t.DealID.IsZero():
			f.deals[t.DealID] = true
		case !t.ContactID.IsZero():
			f.contacts[t.ContactID] = true
		}
	}
	return f
}

func (f followUps) has(d *model.Deal) bool {
	return f.deals[d.ID] || (!d.ContactID.IsZero() && f.contacts[d.ContactID])
}
