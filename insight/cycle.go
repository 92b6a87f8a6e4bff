package insight

import (
	"slices"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// CycleReport is how long deals take: from creation to won, and in each
// stage.
type CycleReport struct {
	Since      time.Time       `json:"since,omitzero"`
	Until      time.Time       `json:"until,omitzero"`
	Won        int             `json:"won"`
	MedianDays *float64        `json:"median_days"`
	P75Days    *float64        `json:"p75_days"`
	Stages     []StageVelocity `json:"stages"`
	ByQuarter  []CycleQuarter  `json:"by_quarter"`
}

// StageVelocity is how long deals stayed in one open stage.
type StageVelocity struct {
	Stage      string   `json:"stage"`
	Label      string   `json:"label"`
	Stays      int      `json:"stays"`
	MedianDays *float64 `json:"median_days"`
	P75Days    *float64 `json:"p75_days"`
}

// CycleQuarter is the sales cycle of the deals won in one quarter.
type CycleQuarter struct {
	Quarter    string   `json:"quarter"` // "2026-Q1"
	Won        int      `json:"won"`
	MedianDays *float64 `json:"median_days"`
	P75Days    *float64 `json:"p75_days"`
}

// Cycle reports the days from creation to won of the deals won in the
// period, overall and by quarter, and the days deals spent in each open
// stage, from the stays that ended in the period (a deal that stepped
// back has one stay per visit).
func Cycle(d *Data, q Query) CycleReport {
	r := CycleReport{Since: q.Since, Until: q.Until, Stages: []StageVelocity{}, ByQuarter: []CycleQuarter{}}
	var all []float64
	quarters := map[string][]float64{}
	stays := map[string][]float64{}
	for i := range d.Deals {
		deal := &d.Deals[i]
		if !q.dealOK(deal) {
			continue
		}
		for j := 0; j+1 < len(deal.History); j++ {
			if end := deal.History[j+1].At; q.inPeriod(end) {
				stage := deal.History[j].Stage
				stays[stage] = append(stays[stage], max(elapsedDays(deal.History[j].At, end), 0))
			}
		}
		if deal.Status != model.StatusWon || !q.inPeriod(deal.ClosedAt) {
			continue
		}
		days := max(elapsedDays(deal.CreatedAt, deal.ClosedAt), 0)
		all = append(all, days)
		k := quarterKey(deal.ClosedAt, q.loc())
		quarters[k] = append(quarters[k], days)
	}
	r.Won = len(all)
	r.MedianDays, r.P75Days = medianP75(all)
	for _, st := range d.Pipeline.Stages {
		if st.Closed() {
			continue
		}
		v := StageVelocity{Stage: st.Key, Label: st.Label, Stays: len(stays[st.Key])}
		v.MedianDays, v.P75Days = medianP75(stays[st.Key])
		r.Stages = append(r.Stages, v)
	}
	keys := make([]string, 0, len(quarters))
	for k := range quarters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		cq := CycleQuarter{Quarter: k, Won: len(quarters[k])}
		cq.MedianDays, cq.P75Days = medianP75(quarters[k])
		r.ByQuarter = append(r.ByQuarter, cq)
	}
	return r
}

func medianP75(days []float64) (*float64, *float64) {
	return roundPtr(percentile(days, 0.5), 1), roundPtr(percentile(days, 0.75), 1)
}
