package insight

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// MinYears is the shortest time a customer is taken to have been buying
// for: a customer who first bought last month is not taken to buy twelve
// times as often as its one purchase suggests.
const MinYears = 1.0

// CLVReport is the customer lifetime value of each customer, one book per
// currency.
type CLVReport struct {
	AsOf          time.Time `json:"as_of"`
	Since         time.Time `json:"since,omitzero"`
	Until         time.Time `json:"until,omitzero"`
	LifespanYears float64   `json:"lifespan_years"`
	DiscountRate  float64   `json:"discount_rate"`
	AnnuityFactor float64   `json:"annuity_factor"`
	MinYears      float64   `json:"min_years"`
	Books         []CLVBook `json:"books"`
}

// CLVBook is the customers who bought in one currency and their mean
// annual value and CLV.
type CLVBook struct {
	Currency           string        `json:"currency"`
	Customers          int           `json:"customers"`
	AverageAnnualValue Amount        `json:"average_annual_value"`
	AverageCLV         Amount        `json:"average_clv"`
	Items              []CLVCustomer `json:"items"` // the highest CLV first
}

// CLVCustomer holds the inputs and result of one customer's CLV:
//
//	average deal = revenue / deals
//	per year     = deals / years (years since the first purchase, at least MinYears)
//	annual value = average deal × per year (= revenue / years)
//	CLV          = annual value × annuity factor
type CLVCustomer struct {
	Customer      Customer   `json:"customer"`
	Deals         int        `json:"deals"`
	Revenue       Amount     `json:"revenue"`
	AverageDeal   Amount     `json:"average_deal"`
	FirstPurchase model.Date `json:"first_purchase"`
	Years         float64    `json:"years"`
	PerYear       float64    `json:"per_year"`
	AnnualValue   Amount     `json:"annual_value"`
	CLV           Amount     `json:"clv"`
}

// AnnuityFactor is the present value of 1 a year for years years at the
// yearly discount rate, each year's value counted at its end and a last
// part-year in proportion: Σ_{t=1..⌊L⌋} (1+d)^-t + (L-⌊L⌋)(1+d)^-(⌊L⌋+1).
func AnnuityFactor(years, rate float64) float64 {
	whole := math.Floor(years)
	var f float64
	for t := 1.0; t <= whole; t++ {
		f += math.Pow(1+rate, -t)
	}
	return f + (years-whole)*math.Pow(1+rate, -(whole+1))
}

// CLV values the customers of each currency book (see books) as of the
// end of the period (or Now): the value a customer brings in a year,
// over the expected lifespan, discounted.
func CLV(d *Data, q Query) CLVReport {
	asOf := q.asOf()
	factor := AnnuityFactor(q.Params.LifespanYears, q.Params.DiscountRate)
	r := CLVReport{AsOf: asOf.UTC(), Since: q.Since, Until: q.Until, LifespanYears: q.Params.LifespanYears,
		DiscountRate: q.Params.DiscountRate, AnnuityFactor: round(factor, 4), MinYears: MinYears, Books: []CLVBook{}}
	for _, bk := range books(d, q) {
		out := CLVBook{Currency: bk.currency, Customers: len(bk.buyers)}
		var annualSum float64
		for _, b := range bk.buyers {
			years := max(elapsedDays(b.first, asOf)/daysPerYear, MinYears)
			annual := float64(b.revenue) / years
			annualSum += annual
			out.Items = append(out.Items, CLVCustomer{
				Customer:      b.cust,
				Deals:         b.deals,
				Revenue:       amount(b.revenue, bk.currency),
				AverageDeal:   amount(int64(round(float64(b.revenue)/float64(b.deals), 0)), bk.currency),
				FirstPurchase: model.DateOf(b.first.In(q.loc())),
				Years:         round(years, 2),
				PerYear:       round(float64(b.deals)/years, 2),
				AnnualValue:   amount(int64(round(annual, 0)), bk.currency),
				CLV:           amount(int64(round(annual*factor, 0)), bk.currency),
			})
		}
		mean := annualSum / float64(len(bk.buyers))
		out.AverageAnnualValue = amount(int64(round(mean, 0)), bk.currency)
		out.AverageCLV = amount(int64(round(mean*factor, 0)), bk.currency)
		slices.SortFunc(out.Items, func(a, b CLVCustomer) int {
			return cmp.Or(cmp.Compare(b.CLV.Minor, a.CLV.Minor), a.Customer.ID.Compare(b.Customer.ID))
		})
		r.Books = append(r.Books, out)
	}
	return r
}
