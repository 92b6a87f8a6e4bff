package insight

import (
	"fmt"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

// staleData: today is 2026-06-15 in CST, quiet after 30 days at least or
// twice the usual gap.
//
//	company 1 Quietco  bought 1000.00 CNY on 03-01, 03-11, 03-21, 03-31: gap 10,
//	                   silent 76 > 30: stale; value 4000.00 (106 days: one year)
//	2 Busy             bought 500.00 USD 01-05; calls weekly to 06-12; an open
//	                   lead of 1000.00 USD made 06-01 with a call 06-12: silent 3
//	3 Slow             bought 1200.00 USD 2024-06-01 and 2025-06-01; a proposal of
//	                   1000.00 USD made 2026-05-01: gaps 365, 334 → 699 days allowed
//	4 Lapsed (vip)     bought 300.00 CNY 04-01, nothing since: one day touched, so
//	                   30 days allowed; silent 75: stale; value 300.00
//	5 Gone             bought 5000.00 CNY 2025-01-01: churned, not listed
//	6 Prospect         an open lead of 2000.00 CNY made 05-01: silent 45; value 200.00
//
// CNY values at risk 4000.00, 300.00, 200.00 rank (2+½)/3, (1+½)/3, ½/3.
// The open deals of 3 and 6 are silent 45 days: 3's weighted 500.00 USD
// ranks (1+½)/2 = 0.75 beside Busy's 100.00; 6's 200.00 CNY, alone, 0.5.
func staleData() *Data {
	c := withContact
	var acts []model.Activity
	for i, d := range []string{"05-22", "05-29", "06-05"} {
		acts = append(acts, activity(i+1, model.KindCall, at("2026-"+d+" 12:00"), 2))
	}
	acts = append(acts, activity(4, model.KindCall, at("2026-06-12 12:00"), 2, onDeal(21)))
	return &Data{
		Pipeline:  model.DefaultPipeline(),
		Companies: []model.Company{company(1, "Quietco")},
		Contacts: []model.Contact{contact(2, "Busy"), contact(3, "Slow"),
			contact(4, "Lapsed", func(c *model.Contact) { c.Tags = []string{"vip"} }), contact(5, "Gone"), contact(6, "Prospect")},
		Deals: []model.Deal{
			bought(11, at("2026-03-01 12:00"), "1000.00 CNY", withCompany(1)),
			bought(12, at("2026-03-11 12:00"), "1000.00 CNY", withCompany(1)),
			bought(13, at("2026-03-21 12:00"), "1000.00 CNY", withCompany(1)),
			bought(14, at("2026-03-31 12:00"), "1000.00 CNY", withCompany(1)),
			bought(20, at("2026-01-05 12:00"), "500.00 USD", c(2)),
			deal(21, "lead", at("2026-06-01 12:00"), "1000.00 USD", c(2)),
			bought(30, at("2024-06-01 12:00"), "1200.00 USD", c(3)),
			bought(31, at("2025-06-01 12:00"), "1200.00 USD", c(3)),
			deal(32, "proposal", at("2026-05-01 12:00"), "1000.00 USD", c(3)),
			bought(40, at("2026-04-01 12:00"), "300.00 CNY", c(4)),
			bought(50, at("2025-01-01 12:00"), "5000.00 CNY", c(5)),
			deal(60, "lead", at("2026-05-01 12:00"), "2000.00 CNY", c(6)),
		},
		Activities: acts,
	}
}

func staleCustomersOf(cs []StaleCustomer) string {
	s := ""
	for _, c := range cs {
		s += fmt.Sprintf("%s %d %s %v %v", c.Customer.Name, c.DaysSilent, ptr(c.UsualGapDays), c.ThresholdDays, c.Rank)
		for _, v := range c.ValueAtRisk {
			s += " " + v.Currency + " " + v.Amount.Decimal()
		}
		s += ";"
	}
	return s
}

func TestStale(t *testing.T) {
	r := Stale(staleData(), query(at("2026-06-15 12:00")))
	want := "Quietco 76 10 30 0.8333 CNY 4000.00;Lapsed 75 null 30 0.5 CNY 300.00;Prospect 45 null 30 0.1667 CNY 200.00;"
	if got := staleCustomersOf(r.Customers); got != want {
		t.Errorf("customers:\n got %s\nwant %s", got, want)
	}
	if c := r.Customers[0]; c.Customer.Kind != KindCompany || c.LastTouch != day("2026-03-31") || c.OpenDeals != 0 {
		t.Errorf("Quietco: %+v", c)
	}
	if c := r.Customers[2]; c.OpenDeals != 1 {
		t.Errorf("Prospect: %+v", c)
	}
	got := ""
	for _, d := range r.Deals {
		got += fmt.Sprintf("%v %d %v %s;", d.ID == dealID(32), d.DaysSilent, d.Rank, d.Weighted.Decimal())
	}
	if want := "true 45 0.75 500.00;false 45 0.5 200.00;"; got != want {
		t.Errorf("deals: %s, want %s", got, want)
	}
	if top := TopStale(staleData(), query(at("2026-06-15 12:00")), 2); staleCustomersOf(top) !=
		"Quietco 76 10 30 0.8333 CNY 4000.00;Lapsed 75 null 30 0.5 CNY 300.00;" {
		t.Errorf("top 2: %s", staleCustomersOf(top))
	}
}

func TestStaleFilters(t *testing.T) {
	q := query(at("2026-06-15 12:00"))
	q.Currency = "USD"
	r := Stale(staleData(), q)
	if len(r.Customers) != 0 || len(r.Deals) != 1 || r.Deals[0].ID != dealID(32) {
		t.Errorf("USD: %s %+v", staleCustomersOf(r.Customers), r.Deals)
	}
	q = query(at("2026-06-15 12:00"))
	q.Tag = "vip" // Lapsed alone, ranked among itself: ½/1
	if r := Stale(staleData(), q); staleCustomersOf(r.Customers) != "Lapsed 75 null 30 0.5 CNY 300.00;" {
		t.Errorf("vip: %s", staleCustomersOf(r.Customers))
	}
	// A quiet floor of 80 days: nobody has been silent that long.
	q = query(at("2026-06-15 12:00"))
	q.Params.QuietDays = 80
	if r := Stale(staleData(), q); len(r.Customers) != 0 || len(r.Deals) != 0 {
		t.Errorf("quiet after 80 days: %+v", r)
	}
	if top := TopStale(&Data{Pipeline: model.DefaultPipeline()}, q, 5); top == nil || len(top) != 0 {
		t.Errorf("no data: %v", top)
	}
}
