package insight

import (
	"slices"
	"time"
)

// ParetoReport is how concentrated revenue is, one book per currency.
type ParetoReport struct {
	Since time.Time    `json:"since,omitzero"`
	Until time.Time    `json:"until,omitzero"`
	Books []ParetoBook `json:"books"`
}

// ParetoBook splits one currency's revenue: the share the top 20 % of
// customers (rounded up, at least one) bring, and the core: the fewest
// customers, largest first, whose revenue reaches 80 % of the total.
// Shares are null when the revenue is zero.
type ParetoBook struct {
	Currency          string           `json:"currency"`
	Customers         int              `json:"customers"`
	Revenue           Amount           `json:"revenue"`
	Top20Customers    int              `json:"top20_customers"`
	Top20Revenue      Amount           `json:"top20_revenue"`
	Top20Share        *float64         `json:"top20_share"`
	CoreCustomers     int              `json:"core_customers"`
	CoreCustomerShare *float64         `json:"core_customer_share"`
	CoreRevenue       Amount           `json:"core_revenue"`
	CoreShare         *float64         `json:"core_share"`
	Items             []ParetoCustomer `json:"items"` // the largest revenue first
}

// ParetoCustomer is one customer's revenue, its share of the total and
// the running share down to it: the Pareto curve.
type ParetoCustomer struct {
	Customer        Customer `json:"customer"`
	Revenue         Amount   `json:"revenue"`
	Share           *float64 `json:"share"`
	CumulativeShare *float64 `json:"cumulative_share"`
	Core            bool     `json:"core"`
}

// Pareto splits the revenue of each currency book (see books) between
// its customers.
func Pareto(d *Data, q Query) ParetoReport {
	r := ParetoReport{Since: q.Since, Until: q.Until, Books: []ParetoBook{}}
	for _, bk := range books(d, q) {
		slices.SortFunc(bk.buyers, byRevenue)
		n := len(bk.buyers)
		var total int64
		for _, b := range bk.buyers {
			total += b.revenue
		}
		out := ParetoBook{Currency: bk.currency, Customers: n, Revenue: amount(total, bk.currency),
			Top20Customers: (n + 4) / 5, Top20Revenue: amount(0, bk.currency), CoreRevenue: amount(0, bk.currency)}
		var cum int64
		for i, b := range bk.buyers {
			core := total > 0 && cum*10 < total*8 // still short of 80 % before this customer
			cum += b.revenue
			if i < out.Top20Customers {
				out.Top20Revenue.Minor += b.revenue
			}
			if core {
				out.CoreCustomers++
				out.CoreRevenue.Minor += b.revenue
			}
			out.Items = append(out.Items, ParetoCustomer{Customer: b.cust, Revenue: amount(b.revenue, bk.currency),
				Share: share(b.revenue, total), CumulativeShare: share(cum, total), Core: core})
		}
		out.Top20Share = share(out.Top20Revenue.Minor, total)
		out.CoreShare = share(out.CoreRevenue.Minor, total)
		out.CoreCustomerShare = ratio(out.CoreCustomers, n)
		r.Books = append(r.Books, out)
	}
	return r
}

// share is a/total rounded to four decimals, nil for a zero total.
func share(a, total int64) *float64 {
	if total == 0 {
		return nil
	}
	v := round(float64(a)/float64(total), 4)
	return &v
}
