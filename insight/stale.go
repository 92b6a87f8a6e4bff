package insight

import (
	"cmp"
	"slices"
	"sort"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// StaleReport lists the customers and open deals going quiet, the most
// valuable first.
type StaleReport struct {
	AsOf        time.Time       `json:"as_of"`
	QuietDays   int             `json:"quiet_days"`
	StaleFactor float64         `json:"stale_factor"`
	Customers   []StaleCustomer `json:"customers"`
	Deals       []StaleDeal     `json:"deals"`
}

// Silence is how long a customer or deal has been quiet against its own
// rhythm. UsualGapDays is the median gap between the days it was touched
// (null with fewer than two); ThresholdDays is StaleFactor times that,
// at least QuietDays. Rank orders by value at risk (see Stale).
type Silence struct {
	LastTouch     model.Date `json:"last_touch"`
	DaysSilent    int        `json:"days_silent"`
	UsualGapDays  *float64   `json:"usual_gap_days"`
	ThresholdDays float64    `json:"threshold_days"`
	Rank          float64    `json:"rank"`
}

// StaleCustomer is a customer going quiet. Its value at risk, per
// currency, is the weighted value of its open deals plus what it buys in
// a year (as in CLV: its revenue over the years since its first purchase,
// at least one).
type StaleCustomer struct {
	Customer Customer `json:"customer"`
	Silence
	OpenDeals   int              `json:"open_deals"`
	ValueAtRisk []CurrencyAmount `json:"value_at_risk"`
}

// StaleDeal is an open deal going quiet; its value at risk is its
// weighted value.
type StaleDeal struct {
	DealLine
	Silence
}

// CurrencyAmount is an amount beside its currency.
type CurrencyAmount struct {
	Currency string `json:"currency"`
	Amount   Amount `json:"amount"`
}

// Stale reports the customers (with an open deal or a purchase, and not
// churned) and the open deals that have been silent for longer than
// their threshold. Both lists are ranked by value at risk: amounts in
// different currencies are never compared, so each is ranked by its
// percentile among the values at risk of all such customers (or open
// deals) in the same currency, the highest of its currencies for a
// customer; ties go to the longer silence.
func Stale(d *Data, q Query) StaleReport {
	clock := newDayClock(q.loc())
	today := clock.day(q.Now)
	return StaleReport{
		AsOf: q.Now.UTC(), QuietDays: q.Params.QuietDays, StaleFactor: q.Params.StaleFactor,
		Customers: staleCustomers(d, q, clock, today), Deals: staleDeals(d, q, clock, today),
	}
}

// TopStale returns the n customers most worth a call, as Stale ranks
// them: the Today view's "going quiet".
func TopStale(d *Data, q Query, n int) []StaleCustomer {
	c := staleCustomers(d, q, newDayClock(q.loc()), newDayClock(q.loc()).day(q.Now))
	return c[:min(n, len(c))]
}

// customerValue gathers a customer's value at risk per currency.
type customerValue struct {
	cust       Customer
	open       int
	currencies []currencyValue
	atRisk     []CurrencyAmount
	silence    Silence
	stale, out bool
}

// currencyValue is what a customer is worth in one currency.
type currencyValue struct {
	currency          string
	pipeline, revenue int64     // weighted open deals, won deals
	firstBuy          time.Time // the first won
}

func (v *customerValue) in(currency string) *currencyValue {
	for i := range v.currencies {
		if v.currencies[i].currency == currency {
			return &v.currencies[i]
		}
	}
	v.currencies = append(v.currencies, currencyValue{currency: currency})
	return &v.currencies[len(v.currencies)-1]
}

func staleCustomers(d *Data, q Query, clock *dayClock, today int) []StaleCustomer {
	l := newLedger(d, q, clock)
	filter := newCustomerFilter(d, q)
	values := map[model.ID]*customerValue{}
	var order []*customerValue
	for i := range d.Deals {
		deal := &d.Deals[i]
		won := deal.Status == model.StatusWon && !deal.ClosedAt.After(q.Now)
		if deal.Status != model.StatusOpen && !won || !q.currencyOK(deal.Value.Currency) {
			continue
		}
		c, ok := d.customerOf(deal.CompanyID, deal.ContactID)
		if !ok {
			continue
		}
		v := values[c.ID]
		if v == nil {
			v = &customerValue{cust: c}
			values[c.ID] = v
			order = append(order, v)
		}
		cv := v.in(deal.Value.Currency)
		if won {
			cv.revenue += deal.Value.Minor
			if cv.firstBuy.IsZero() || deal.ClosedAt.Before(cv.firstBuy) {
				cv.firstBuy = deal.ClosedAt
			}
		} else {
			v.open++
			cv.pipeline += deal.Weighted(d.Pipeline).Minor
		}
	}
	ranks := newRanker()
	for _, v := range order {
		e, ok := l.entity(v.cust)
		if !ok || !filter.ok(v.cust) {
			continue
		}
		touches := l.touches.of(e)
		if len(touches) == 0 {
			continue
		}
		v.silence = silence(q.Params, today, touches)
		if v.silence.DaysSilent > q.Params.ChurnDays && v.open == 0 {
			continue // churned: past saving by a call
		}
		v.atRisk = v.valueAtRisk(q.asOf())
		v.stale = float64(v.silence.DaysSilent) > v.silence.ThresholdDays
		for _, a := range v.atRisk {
			ranks.add(a.Currency, a.Amount.Minor)
		}
		v.out = true
	}
	out := []StaleCustomer{}
	for _, v := range order {
		if !v.out || !v.stale {
			continue
		}
		for _, a := range v.atRisk {
			v.silence.Rank = max(v.silence.Rank, ranks.rank(a.Currency, a.Amount.Minor))
		}
		out = append(out, StaleCustomer{Customer: v.cust, Silence: v.silence, OpenDeals: v.open, ValueAtRisk: v.atRisk})
	}
	slices.SortFunc(out, func(a, b StaleCustomer) int {
		return cmp.Or(bySilence(a.Silence, b.Silence), a.Customer.ID.Compare(b.Customer.ID))
	})
	return out
}

// valueAtRisk lists the customer's value at risk per currency, the
// largest first.
func (v *customerValue) valueAtRisk(asOf time.Time) []CurrencyAmount {
	out := make([]CurrencyAmount, 0, len(v.currencies))
	for _, cv := range v.currencies {
		sum := float64(cv.pipeline)
		if cv.revenue != 0 {
			sum += float64(cv.revenue) / max(elapsedDays(cv.firstBuy, asOf)/daysPerYear, 1)
		}
		out = append(out, CurrencyAmount{Currency: cv.currency, Amount: amount(int64(round(sum, 0)), cv.currency)})
	}
	slices.SortFunc(out, func(a, b CurrencyAmount) int {
		return cmp.Or(cmp.Compare(b.Amount.Minor, a.Amount.Minor), cmp.Compare(a.Currency, b.Currency))
	})
	return out
}

func staleDeals(d *Data, q Query, clock *dayClock, today int) []StaleDeal {
	var open []int // indexes of the open deals in d.Deals
	for i := range d.Deals {
		if deal := &d.Deals[i]; deal.Status == model.StatusOpen && q.dealOK(deal) {
			open = append(open, i)
		}
	}
	touches := newDayCollector(len(open), 0)
	for e, i := range open {
		eachDealEvent(&d.Deals[i], func(t time.Time) {
			if !t.After(q.Now) {
				touches.add(int32(e), clock.day(t))
			}
		})
	}
	tl, now := &d.touchTimelines().deals, q.Now.UnixNano()
	newRoster(len(open), 0, func(e int) model.ID { return d.Deals[open[e]].ID }).merge(tl.owners, func(e int32, k int) {
		for _, ns := range tl.times(k) {
			if ns <= now {
				touches.add(e, clock.day(time.Unix(0, ns)))
			}
		}
	})
	lists := touches.lists()
	ranks := newRanker()
	out := []StaleDeal{}
	for e, i := range open {
		line := d.dealLine(&d.Deals[i])
		ranks.add(line.Currency, line.Weighted.Minor)
		days := lists.of(int32(e))
		if len(days) == 0 {
			continue
		}
		s := silence(q.Params, today, days)
		if float64(s.DaysSilent) > s.ThresholdDays {
			out = append(out, StaleDeal{DealLine: line, Silence: s})
		}
	}
	for i := range out {
		out[i].Rank = ranks.rank(out[i].Currency, out[i].Weighted.Minor)
	}
	slices.SortFunc(out, func(a, b StaleDeal) int {
		return cmp.Or(bySilence(a.Silence, b.Silence), a.ID.Compare(b.ID))
	})
	return out
}

func silence(p Params, today int, touches []int32) Silence {
	last := int(touches[len(touches)-1])
	s := Silence{LastTouch: dateOfDay(last), DaysSilent: today - last, ThresholdDays: float64(p.QuietDays)}
	if gap, ok := medianGap(touches); ok {
		s.UsualGapDays = roundPtr(&gap, 1)
		s.ThresholdDays = round(quietAfter(p, gap), 1)
	}
	return s
}

// bySilence orders by rank, then by the longer silence.
func bySilence(a, b Silence) int {
	return cmp.Or(cmp.Compare(b.Rank, a.Rank), cmp.Compare(b.DaysSilent, a.DaysSilent))
}

// ranker gives a value its percentile rank among the values of its
// currency: (values below + values equal / 2) / values. Add every value
// before asking for ranks.
type ranker struct {
	values map[string][]int64
	sorted map[string]bool
}

func newRanker() *ranker { return &ranker{values: map[string][]int64{}, sorted: map[string]bool{}} }

func (r *ranker) add(currency string, v int64) {
	r.values[currency] = append(r.values[currency], v)
}

func (r *ranker) rank(currency string, v int64) float64 {
	vs := r.values[currency]
	if len(vs) == 0 {
		return 0
	}
	if !r.sorted[currency] {
		slices.Sort(vs)
		r.sorted[currency] = true
	}
	below := sort.Search(len(vs), func(i int) bool { return vs[i] >= v })
	upto := sort.Search(len(vs), func(i int) bool { return vs[i] > v })
	return round((float64(below)+float64(upto-below)/2)/float64(len(vs)), 4)
}
