package demo

import (
	"time"

	"github.com/rolo-crm/rolo/model"
)

// actPlan is a planned activity: with whom, when (raw), about which deal.
type actPlan struct {
	at     time.Time
	person int32
	deal   int32 // -1: none
}

var (
	cnKinds = newWeighted(w[string]{model.KindCall, 20}, w[string]{model.KindEmail, 14}, w[string]{model.KindMessage, 26},
		w[string]{model.KindMeeting, 9}, w[string]{model.KindVisit, 6}, w[string]{model.KindNote, 15},
		w[string]{model.KindComplaint, 2}, w[string]{model.KindFeedback, 5})
	enKinds = newWeighted(w[string]{model.KindCall, 22}, w[string]{model.KindEmail, 28}, w[string]{model.KindMessage, 10},
		w[string]{model.KindMeeting, 12}, w[string]{model.KindVisit, 4}, w[string]{model.KindNote, 15},
		w[string]{model.KindComplaint, 2}, w[string]{model.KindFeedback, 5})
	cnDealKinds = newWeighted(w[string]{model.KindCall, 30}, w[string]{model.KindEmail, 20}, w[string]{model.KindMessage, 25},
		w[string]{model.KindMeeting, 15}, w[string]{model.KindVisit, 10})
	enDealKinds = newWeighted(w[string]{model.KindCall, 30}, w[string]{model.KindEmail, 35}, w[string]{model.KindMessage, 10},
		w[string]{model.KindMeeting, 20}, w[string]{model.KindVisit, 5})
	cnChannels = newWeighted(w[string]{"wechat", 88}, w[string]{"dingtalk", 6}, w[string]{"qq", 6})
	enChannels = newWeighted(w[string]{"whatsapp", 55}, w[string]{"linkedin", 25}, w[string]{"sms", 20})
	scores     = newWeighted(w[int]{10, 20}, w[int]{9, 25}, w[int]{8, 20}, w[int]{7, 12}, w[int]{6, 8}, w[int]{5, 5},
		w[int]{4, 3}, w[int]{3, 3}, w[int]{2, 2}, w[int]{1, 1}, w[int]{0, 1})
)

// planActivities places the activities in time: a few along each deal,
// the rest spread over each contact's life in the book, denser recently,
// and none after a quiet customer went quiet. The plans come in time
// order, the order their ids are made in.
func (g *generator) planActivities() []actPlan {
	r := g.rng
	total := g.sizes.Activities
	plans := make([]actPlan, 0, total)
	for i := range g.deals {
		d := &g.deals[i]
		for range 1 + r.IntN(4) {
			if len(plans) < total/3 {
				plans = append(plans, actPlan{between(r, d.from, d.to), int32(d.person), int32(i)})
			}
		}
	}
	pick := newPicker(len(g.people), func(i int) float64 { return 0.5 + damp(g.people[i].weight) })
	for len(plans) < total {
		pi := pick.pick(r)
		p := &g.people[pi]
		until := g.now
		if !p.quiet.IsZero() {
			until = p.quiet
		}
		a := actPlan{recent(r, p.born, until, 1.8), int32(pi), -1}
		for _, di := range p.deals {
			// A touch while a deal is on is often about the deal.
			if d := &g.deals[di]; !a.at.Before(d.from) && !a.at.After(d.to) && chance(r, 0.5) {
				a.deal = di
				break
			}
		}
		plans = append(plans, a)
	}
	sortBy(plans, func(a *actPlan) time.Time { return a.at })
	return plans
}

// activity makes the activity planned by a.
func (g *generator) activity(a *actPlan) model.Activity {
	r := g.rng
	p := &g.people[a.person]
	var d *dealPlan
	if a.deal >= 0 {
		d = &g.deals[a.deal]
	}
	at := g.clock(a.at)
	act := model.Activity{
		ID:        g.ids.New(at),
		Kind:      g.activityKind(p, d != nil),
		At:        at,
		ContactID: p.id,
		CompanyID: p.firmID,
		Owner:     p.owner,
		CreatedAt: at,
	}
	if d != nil {
		act.DealID = d.id
	}
	texts := activityTexts[act.Kind]
	switch act.Kind {
	case model.KindCall, model.KindEmail, model.KindMessage:
		act.Direction = g.direction()
		texts = activityTexts[act.Kind+"-"+act.Direction]
	}
	switch act.Kind {
	case model.KindCall:
		if p.chinese() && chance(r, 0.2) {
			act.Channel = "wechat" // a WeChat voice call
		}
	case model.KindMessage:
		act.Channel = enChannels.draw(r)
		if p.chinese() {
			act.Channel = cnChannels.draw(r)
		}
	case model.KindMeeting:
		if chance(r, 0.4) {
			act.Channel = oneOf(r, []string{"zoom", "teams"})
			if p.chinese() {
				act.Channel = oneOf(r, []string{"tencent-meeting", "dingtalk"})
			}
		}
	case model.KindComplaint:
		act.Direction = "in"
		g.settle(&act, a.at)
	case model.KindFeedback:
		act.Direction = "in"
		score := scores.draw(r)
		act.Score = &score
		texts = activityTexts["praise"]
		if score < 7 {
			texts = activityTexts["criticism"]
		}
	}
	act.Body = vars{g, p, d}.fill(texts.pick(g, p))
	return act
}

func (g *generator) activityKind(p *person, aboutDeal bool) string {
	switch {
	case aboutDeal && p.chinese():
		return cnDealKinds.draw(g.rng)
	case aboutDeal:
		return enDealKinds.draw(g.rng)
	case p.chinese():
		return cnKinds.draw(g.rng)
	}
	return enKinds.draw(g.rng)
}

func (g *generator) direction() string {
	if chance(g.rng, 0.4) {
		return "in"
	}
	return "out"
}

// settle resolves most complaints made at raw time at, within hours or
// days; the recent ones are often still open.
func (g *generator) settle(act *model.Activity, at time.Time) {
	r := g.rng
	age := g.now.Sub(at)
	if age < day || age < days(30) && chance(r, 0.35) || chance(r, 0.05) {
		act.State = model.ComplaintOpen
		return
	}
	took := time.Duration(lognormal(r, 30, 1) * float64(time.Hour))
	act.State, act.ResolvedAt = model.ComplaintResolved, g.clock(earliest(at.Add(took), g.now))
}
