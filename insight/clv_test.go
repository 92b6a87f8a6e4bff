package insight

import (
	"math"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

func TestAnnuityFactor(t *testing.T) {
	for _, c := range []struct{ years, rate, want float64 }{
		{3, 0.1, 1/1.1 + 1/1.21 + 1/1.331},     // 2.48685
		{2.5, 0.1, 1/1.1 + 1/1.21 + 0.5/1.331}, // half of the third year
		{2, 0, 2},                              // no discount: the years
		{0.5, 0.1, 0.5 / 1.1},                  // under a year
		{1, 0.25, 0.8},
	} {
		if got := AnnuityFactor(c.years, c.rate); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("AnnuityFactor(%v, %v) = %v, want %v", c.years, c.rate, got, c.want)
		}
	}
}

// As of 2026-06-15 12:00 CST, lifespan 3 years at 10 %: the factor is
// 1/1.1 + 1/1.1² + 1/1.1³ = 2.4868520.
//
//	1: 3 × 1000.00 CNY from 2026-01-10 (156 days: counted as 1 year)
//	   annual 3000.00, CLV 3000.00 × 2.4868520 = 7460.5560 → 7460.56
//	2: 2 × 2000.00 CNY from 2024-06-15, 730 days = 1.998631 years
//	   annual 4000.00 / 1.998631 = 2001.36986 → 2001.37,
//	   CLV 2001.36986 × 2.4868520 = 4977.1106 → 4977.11
//	3: 1 × 333.33 CNY on 2026-06-01: annual 333.33, CLV 828.9424 → 828.94
//	mean annual (3000 + 2001.36986 + 333.33) / 3 = 1778.23329 → 1778.23,
//	mean CLV 1778.23329 × 2.4868520 = 4422.2030 → 4422.20
//	1 also paid 10.00 USD: its USD book has CLV 10.00 × 2.4868520 = 24.87.
func TestCLV(t *testing.T) {
	d := &Data{
		Pipeline: model.DefaultPipeline(),
		Contacts: []model.Contact{contact(1, "One"), contact(2, "Two"), contact(3, "Three")},
		Deals: []model.Deal{
			bought(1, at("2026-01-10 12:00"), "1000.00 CNY", withContact(1)),
			bought(2, at("2026-03-10 12:00"), "1000.00 CNY", withContact(1)),
			bought(3, at("2026-06-10 12:00"), "1000.00 CNY", withContact(1)),
			bought(4, at("2024-06-15 12:00"), "2000.00 CNY", withContact(2)),
			bought(5, at("2025-06-15 12:00"), "2000.00 CNY", withContact(2)),
			bought(6, at("2026-06-01 12:00"), "333.33 CNY", withContact(3)),
			bought(7, at("2026-02-01 12:00"), "10.00 USD", withContact(1)),
		},
	}
	r := CLV(d, query(at("2026-06-15 12:00")))
	if r.AnnuityFactor != 2.4869 || r.LifespanYears != 3 || r.DiscountRate != 0.1 || r.MinYears != 1 || len(r.Books) != 2 {
		t.Fatalf("report: %+v", r)
	}
	cny := r.Books[0]
	if cny.Currency != "CNY" || cny.Customers != 3 || cny.AverageAnnualValue.Decimal() != "1778.23" || cny.AverageCLV.Decimal() != "4422.20" {
		t.Errorf("CNY book: %+v", cny)
	}
	type row struct {
		name                          string
		deals                         int
		revenue, avgDeal, annual, clv string
		first                         string
		years, perYear                float64
	}
	want := []row{
		{"One", 3, "3000.00", "1000.00", "3000.00", "7460.56", "2026-01-10", 1, 3},
		{"Two", 2, "4000.00", "2000.00", "2001.37", "4977.11", "2024-06-15", 2, 1},
		{"Three", 1, "333.33", "333.33", "333.33", "828.94", "2026-06-01", 1, 1},
	}
	for i, w := range want {
		it := cny.Items[i]
		got := row{it.Customer.Name, it.Deals, it.Revenue.Decimal(), it.AverageDeal.Decimal(), it.AnnualValue.Decimal(),
			it.CLV.Decimal(), it.FirstPurchase.String(), it.Years, it.PerYear}
		if got != w {
			t.Errorf("item %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
	if usd := r.Books[1]; usd.Currency != "USD" || len(usd.Items) != 1 || usd.Items[0].CLV.Decimal() != "24.87" {
		t.Errorf("USD book: %+v", usd)
	}
}

func TestCLVParams(t *testing.T) {
	d := &Data{Pipeline: model.DefaultPipeline(), Contacts: []model.Contact{contact(1, "One")},
		Deals: []model.Deal{bought(1, at("2026-06-01 12:00"), "1000.00 CNY", withContact(1))}}
	q := query(at("2026-06-15 12:00"))
	q.Params.LifespanYears, q.Params.DiscountRate = 2, 0
	if r := CLV(d, q); r.AnnuityFactor != 2 || r.Books[0].Items[0].CLV.Decimal() != "2000.00" {
		t.Errorf("two years undiscounted: %+v", r)
	}
	if r := CLV(&Data{Pipeline: model.DefaultPipeline()}, q); r.Books == nil || len(r.Books) != 0 {
		t.Errorf("no deals: %+v", r)
	}
}
