package insight

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// The customer reports (RFM, CLV, Pareto) read the deals won in the
// period, up to the as-of moment, as one book per currency: a customer
// who paid in two currencies appears in both books, with the deals of
// each.

// buyer is a customer's purchases in one currency.
type buyer struct {
	cust        Customer
	deals       int
	revenue     int64
	first, last time.Time
}

// book is the buyers of one currency, in the order of their first deal.
type book struct {
	currency string
	buyers   []*buyer
}

func books(d *Data, q Query) []book {
	asOf := q.asOf()
	filter := newCustomerFilter(d, q)
	byCur := map[string]map[model.ID]*buyer{}
	var out []book
	at := map[string]int{}
	for i := range d.Deals {
		deal := &d.Deals[i]
		if deal.Status != model.StatusWon || !q.inPeriod(deal.ClosedAt) || deal.ClosedAt.After(asOf) || !q.currencyOK(deal.Value.Currency) {
			continue
		}
		c, ok := d.customerOf(deal.CompanyID, deal.ContactID)
		if !ok || !filter.ok(c) {
			continue
		}
		cur := deal.Value.Currency
		if byCur[cur] == nil {
			byCur[cur] = map[model.ID]*buyer{}
			at[cur] = len(out)
			out = append(out, book{currency: cur})
		}
		b := byCur[cur][c.ID]
		if b == nil {
			b = &buyer{cust: c, first: deal.ClosedAt, last: deal.ClosedAt}
			byCur[cur][c.ID] = b
			out[at[cur]].buyers = append(out[at[cur]].buyers, b)
		}
		b.deals++
		b.revenue += deal.Value.Minor
		if deal.ClosedAt.Before(b.first) {
			b.first = deal.ClosedAt
		}
		if deal.ClosedAt.After(b.last) {
			b.last = deal.ClosedAt
		}
	}
	// The book with the most customers first, so the main currency leads.
	slices.SortFunc(out, func(a, b book) int {
		return cmp.Or(cmp.Compare(len(b.buyers), len(a.buyers)), strings.Compare(a.currency, b.currency))
	})
	return out
}

// byRevenue orders buyers by revenue, the largest first (then by id).
func byRevenue(a, b *buyer) int {
	return cmp.Or(cmp.Compare(b.revenue, a.revenue), a.cust.ID.Compare(b.cust.ID))
}
