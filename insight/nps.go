package insight

import (
	"time"

	"github.com/rolo-crm/rolo/model"
)

// NPSReport is the net promoter score of the feedback scores.
type NPSReport struct {
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
	NPSCounts
	ByMonth []NPSMonth `json:"by_month"`
}

// NPSMonth is the score of one calendar month's feedback.
type NPSMonth struct {
	Month string `json:"month"` // "2026-11"
	NPSCounts
}

// NPSCounts sorts responses into promoters (9-10), passives (7-8) and
// detractors (0-6); NPS is 100 × (promoters − detractors) / responses,
// null without responses.
type NPSCounts struct {
	Responses  int      `json:"responses"`
	Promoters  int      `json:"promoters"`
	Passives   int      `json:"passives"`
	Detractors int      `json:"detractors"`
	NPS        *float64 `json:"nps"`
}

func (c *NPSCounts) add(score int) {
	c.Responses++
	switch {
	case score >= 9:
		c.Promoters++
	case score >= 7:
		c.Passives++
	default:
		c.Detractors++
	}
}

func (c *NPSCounts) finish() {
	if c.Responses > 0 {
		v := round(100*float64(c.Promoters-c.Detractors)/float64(c.Responses), 1)
		c.NPS = &v
	}
}

// NPS reports every feedback score given in the period (each response
// counts, several from one contact included), and the score of each
// month from the first response to the last. Owner is the activity's
// owner; Tag one of its contact's tags.
func NPS(d *Data, q Query) NPSReport {
	r := NPSReport{Since: q.Since, Until: q.Until, ByMonth: []NPSMonth{}}
	months := map[int]*NPSCounts{}
	lo, hi := 0, -1
	ix := d.index()
	for i := range d.Activities {
		a := &d.Activities[i]
		if a.Kind != model.KindFeedback || a.Score == nil || !q.inPeriod(a.At) || !q.ownerOK(a.Owner) {
			continue
		}
		if q.Tag != "" {
			if c, ok := ix.contacts[a.ContactID]; !ok || !model.HasTag(c.Tags, q.Tag) {
				continue
			}
		}
		y, m, _ := a.At.In(q.loc()).Date()
		n := y*12 + int(m) - 1
		if months[n] == nil {
			months[n] = &NPSCounts{}
		}
		months[n].add(*a.Score)
		r.add(*a.Score)
		if hi < lo {
			lo, hi = n, n
		}
		lo, hi = min(lo, n), max(hi, n)
	}
	r.finish()
	for n := lo; n <= hi; n++ {
		m := NPSMonth{Month: monthKey(n/12, time.Month(n%12+1))}
		if c := months[n]; c != nil {
			m.NPSCounts = *c
			m.finish()
		}
		r.ByMonth = append(r.ByMonth, m)
	}
	return r
}
