package demo

import (
	"fmt"
	"math"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// dealPlan is what tasks and activities need to know of a deal.
type dealPlan struct {
	id       model.ID
	person   int
	title    string
	product  string
	from, to time.Time // raw: created, and decided (now while open)
	open     bool
}

var (
	cnProducts = []string{"服务器采购", "ERP 实施", "年度维保合同", "办公设备采购", "仓储管理系统", "工业相机 200 台",
		"展厅设计", "员工培训服务", "云服务年费", "安防监控改造", "二期扩容", "软件授权 50 套", "生产线自动化改造",
		"实验室设备", "物流外包", "网络设备更新", "CRM 定制开发", "样品试单"}
	enProducts = []string{"Annual support renewal", "50-seat license", "Warehouse scanners", "ERP rollout",
		"Cloud migration", "Pilot project", "Phase 2 expansion", "Training package", "Hardware refresh",
		"Security audit", "Spare parts contract", "Custom integration", "Trial order", "Fleet telematics"}
	cnRenewals    = []string{"年度维保续约", "软件授权续费", "年框续签", "追加订单"}
	enRenewals    = []string{"Support renewal", "License renewal", "Repeat order", "Contract extension"}
	cnLostReasons = newWeighted(w[string]{"价格太高", 5}, w[string]{"选择了竞争对手", 4}, w[string]{"没有预算", 3},
		w[string]{"项目暂停", 2}, w[string]{"需求变更", 1}, w[string]{"联系不上", 1}, w[string]{"交期太长", 1})
	enLostReasons = newWeighted(w[string]{"price too high", 5}, w[string]{"chose competitor", 4}, w[string]{"no budget", 3},
		w[string]{"project cancelled", 2}, w[string]{"timing", 1}, w[string]{"went quiet", 1}, w[string]{"missing features", 1})
	cnDealTags = []string{"招标", "年框", "new-business", "upsell", "战略项目"}
	enDealTags = []string{"new-business", "upsell", "tender", "pilot", "strategic"}
)

// Exchange rates used to turn a deal's size into other currencies.
var perCNY = map[string]float64{"CNY": 1, "USD": 7.1, "EUR": 7.8, "GBP": 9.1}

// planDeals draws the deals: each with a customer (big customers buy
// again and again), a creation time in the past two years and a history
// through the pipeline. Old deals are mostly won or lost; recent ones are
// open in every stage.
func (g *generator) planDeals() ([]model.Deal, error) {
	n := g.sizes.Deals
	r := g.rng
	// A customer buys in proportion to its size and to how long it has
	// been in the book.
	span := g.now.Sub(g.start).Hours()
	pick := newPicker(len(g.people), func(i int) float64 {
		p := &g.people[i]
		tenure := g.now.Sub(latest(p.born, g.start)).Hours() / span
		return math.Pow(p.weight, 0.7) * max(tenure, 0.05)
	})
	type draft struct {
		person int
		born   time.Time
	}
	drafts := make([]draft, n)
	for i := range drafts {
		pi := pick.pick(r)
		from := g.people[pi].born
		if from.Before(g.start) {
			from = g.start
		}
		drafts[i] = draft{pi, recent(r, from, g.now.Add(-time.Hour), 1.1)}
	}
	sortBy(drafts, func(d *draft) time.Time { return d.born })
	deals := make([]model.Deal, n)
	g.deals = make([]dealPlan, n)
	bought := make(map[int]bool) // customers who have won deals before
	for i, dr := range drafts {
		if err := g.deal(&deals[i], &g.deals[i], dr.person, dr.born, bought[dr.person]); err != nil {
			return nil, err
		}
		if deals[i].Status == model.StatusWon {
			bought[dr.person] = true
		}
		p := &g.people[dr.person]
		p.deals = append(p.deals, int32(i))
	}
	return deals, nil
}

// deal makes deal d of customer pi, created at born (raw), and its plan.
func (g *generator) deal(d *model.Deal, plan *dealPlan, pi int, born time.Time, repeat bool) error {
	r := g.rng
	p := &g.people[pi]
	*plan = dealPlan{person: pi, from: born}
	cycle := time.Duration(min(max(lognormal(r, 40, 0.6), 5), 240) * float64(day))
	due := born.Add(cycle) // when it would be decided
	decided := due.Before(g.now.Add(-2*day)) && !chance(r, 0.06)

	open := g.openStages
	entry := 0
	if len(open) > 1 && chance(r, 0.2) {
		entry = 1 // a referral comes in qualified
	}
	winRate := 0.38
	if repeat {
		winRate = 0.6
	}
	var path []string
	reason := ""
	switch {
	case decided && chance(r, winRate):
		path = append(g.wonPath(open[entry:]), g.pipeline.WonStage().Key)
		plan.to = due
	case decided:
		reach := entry + r.IntN(len(open)-entry)
		path = append(append([]string{}, open[entry:reach+1]...), g.pipeline.LostStage().Key)
		plan.to = born.Add(time.Duration(float64(cycle) * (0.4 + 0.6*r.Float64())))
		reason = g.lostReason(p)
	default:
		progress := float64(g.now.Sub(born)) / float64(cycle)
		if progress >= 1 {
			progress = r.Float64() // stuck somewhere on the way
		}
		reach := min(entry+int(progress*float64(len(open)-entry)), len(open)-1)
		path = open[entry : reach+1]
		plan.to, plan.open = g.now, true
	}
	end := plan.to
	if plan.open {
		end = born.Add(g.now.Sub(born) * 9 / 10)
	}
	at := g.moveTimes(born, end, len(path))

	renewal := g.dealTitle(plan, p, repeat)
	nd, err := model.NewDeal(g.pipeline, plan.title, path[0], at[0])
	if err != nil {
		return err
	}
	*d = nd
	for i := 1; i < len(path); i++ {
		if err := d.Move(g.pipeline, path[i], at[i], reason); err != nil {
			return err
		}
	}
	d.ID = g.ids.New(d.CreatedAt)
	plan.id = d.ID
	d.ContactID, d.CompanyID = p.id, p.firmID
	d.Value = g.dealValue(p)
	d.Owner, d.Source = p.owner, p.source
	g.dealDetails(d, p, born, cycle, renewal)
	return nil
}

// wonPath is the way a won deal went through the open stages: mostly
// straight on, sometimes skipping one, sometimes stepping back once.
func (g *generator) wonPath(stages []string) []string {
	r := g.rng
	path := append([]string{}, stages...)
	switch {
	case len(path) >= 3 && chance(r, 0.15):
		k := 1 + r.IntN(len(path)-2)
		path = append(path[:k], path[k+1:]...)
	case len(path) >= 2 && chance(r, 0.07):
		k := 1 + r.IntN(len(path)-1)
		path = append(append(append([]string{}, path[:k+1]...), path[k-1]), path[k:]...)
	}
	return path
}

// moveTimes spreads k stage moves from born to end, the first at born
// and the last at end, each written at least a minute after the one
// before.
func (g *generator) moveTimes(born, end time.Time, k int) []time.Time {
	r := g.rng
	cum := make([]float64, k)
	for i := 1; i < k; i++ {
		cum[i] = cum[i-1] + 0.3 + r.Float64()
	}
	out := make([]time.Time, k)
	for i := range out {
		raw := born
		if i > 0 {
			raw = born.Add(time.Duration(float64(end.Sub(born)) * cum[i] / cum[k-1]))
		}
		out[i] = g.clock(raw)
		if i > 0 && !out[i].After(out[i-1]) {
			out[i] = out[i-1].Add(time.Minute)
		}
	}
	return out
}

func (g *generator) lostReason(p *person) string {
	if p.chinese() {
		return cnLostReasons.draw(g.rng)
	}
	return enLostReasons.draw(g.rng)
}

// dealTitle names the deal after the customer and what it buys; a repeat
// customer often renews. It reports whether the deal is a renewal.
func (g *generator) dealTitle(plan *dealPlan, p *person, repeat bool) (renewal bool) {
	r := g.rng
	products, renewals, sep := enProducts, enRenewals, " – "
	if p.chinese() {
		products, renewals, sep = cnProducts, cnRenewals, " "
	}
	plan.product = oneOf(r, products)
	renewal = repeat && chance(r, 0.4)
	if renewal {
		plan.product = oneOf(r, renewals)
	}
	plan.title = p.short + sep + plan.product
	return renewal
}

// dealValue sizes a deal after its customer: mostly CNY, some USD, EUR
// or GBP from customers abroad.
func (g *generator) dealValue(p *person) model.Money {
	r := g.rng
	cur := "CNY"
	switch x := r.IntN(100); {
	case p.chinese():
		if x < 4 {
			cur = "USD"
		}
	case p.group.key == groupUK && x < 30:
		cur = "GBP"
	case x < 35:
		cur = "USD"
	case x < 55:
		cur = "EUR"
	}
	amount := lognormal(r, 20000, 0.8) * math.Sqrt(p.weight) / perCNY[cur]
	unit := 10.0
	switch {
	case amount >= 1_000_000:
		unit = 10000
	case amount >= 20000:
		unit = 1000
	case amount >= 2000:
		unit = 100
	}
	whole := int64(max(math.Round(amount/unit), 1) * unit)
	return model.Money{Minor: whole * 100, Currency: cur}
}

// dealDetails sets the expected close date, an occasional probability
// override, tags and custom fields.
func (g *generator) dealDetails(d *model.Deal, p *person, born time.Time, cycle time.Duration, renewal bool) {
	r := g.rng
	switch {
	case d.Status != model.StatusOpen:
		d.CloseDate = g.dayOf(born.Add(time.Duration(float64(cycle) * (0.7 + 0.6*r.Float64()))))
	case born.Add(cycle).Before(g.now) || chance(r, 0.15): // stuck, or slipping
		d.CloseDate = g.today.AddDays(-1 - r.IntN(21))
	default:
		d.CloseDate = g.today.AddDays(int(math.Pow(r.Float64(), 1.6) * 181))
	}
	if d.Status == model.StatusOpen && chance(r, 0.08) {
		st, _ := g.pipeline.Stage(d.Stage)
		prob := min(max(st.Probability+oneOf(r, []int{-15, -10, 10, 15, 20}), 5), 95)
		d.Probability = &prob
	}
	tags := enDealTags
	if p.chinese() {
		tags = cnDealTags
	}
	d.Tags = []string{}
	if chance(r, 0.25) {
		d.Tags = append(d.Tags, oneOf(r, tags))
	}
	if renewal {
		d.Tags = append(d.Tags, "renewal")
	}
	if d.Status == model.StatusWon && chance(r, 0.25) {
		year := d.ClosedAt.Year()
		if p.chinese() {
			d.Custom = map[string]string{"contract_no": fmt.Sprintf("HT-%d-%04d", year, r.IntN(10000))}
		} else {
			d.Custom = map[string]string{"po_number": fmt.Sprintf("PO-%d-%05d", year, r.IntN(100000))}
		}
	}
}

// quieten picks the customers who have gone quiet: no open deal, nothing
// decided for four months, and from some point more than 95 days ago no
// activity at all. The "stale customers" report lists them.
func (g *generator) quieten() {
	r := g.rng
	limit := g.now.AddDate(0, 0, -95)
	for i := range g.people {
		p := &g.people[i]
		last := p.born
		for _, di := range p.deals {
			if d := &g.deals[di]; d.to.After(last) {
				last = d.to
			}
		}
		if last.Before(limit.AddDate(0, 0, -30)) && chance(r, 0.35) {
			p.quiet = between(r, last, limit)
		}
	}
}
