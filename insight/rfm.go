package insight

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// The RFM segments, in the order reports list them.
const (
	SegmentChampions          = "champions"
	SegmentLoyal              = "loyal"
	SegmentPotentialLoyalists = "potential_loyalists"
	SegmentNew                = "new"
	SegmentAtRisk             = "at_risk"
	SegmentCantLose           = "cant_lose"
	SegmentHibernating        = "hibernating"
	SegmentLost               = "lost"
)

// Segments lists the RFM segments in order.
var Segments = []string{
	SegmentChampions, SegmentLoyal, SegmentPotentialLoyalists, SegmentNew,
	SegmentAtRisk, SegmentCantLose, SegmentHibernating, SegmentLost,
}

// RFMReport scores customers by recency, frequency and monetary value,
// one book per currency.
type RFMReport struct {
	AsOf  time.Time `json:"as_of"`
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
	Books []RFMBook `json:"books"`
}

// RFMBook is the customers who bought in one currency.
type RFMBook struct {
	Currency  string        `json:"currency"`
	Customers int           `json:"customers"`
	Segments  []RFMSegment  `json:"segments"` // every segment, in order
	Items     []RFMCustomer `json:"items"`    // the largest monetary value first
}

// RFMSegment counts a segment's customers and their monetary value.
type RFMSegment struct {
	Segment   string `json:"segment"`
	Customers int    `json:"customers"`
	Monetary  Amount `json:"monetary"`
}

// RFMCustomer is one customer's recency (days since its last purchase),
// frequency (deals won) and monetary value (their sum), each scored 1-5
// by quintile, and its segment.
type RFMCustomer struct {
	Customer     Customer   `json:"customer"`
	LastPurchase model.Date `json:"last_purchase"`
	RecencyDays  int        `json:"recency_days"`
	Frequency    int        `json:"frequency"`
	Monetary     Amount     `json:"monetary"`
	R            int        `json:"r"`
	F            int        `json:"f"`
	M            int        `json:"m"`
	Score        string     `json:"score"` // "545": R, F, M
	Segment      string     `json:"segment"`
}

// RFM scores the customers of each currency book (see books) as of the
// end of the period (or Now). Scores are quintiles of the percentile rank
// among the book's customers, ties sharing a score (see quintile); a
// more recent purchase scores higher. The segment comes from R and the
// mean of F and M (docs/insight.md has the grid).
func RFM(d *Data, q Query) RFMReport {
	asOf := q.asOf()
	r := RFMReport{AsOf: asOf.UTC(), Since: q.Since, Until: q.Until, Books: []RFMBook{}}
	clock := newDayClock(q.loc())
	today := clock.day(asOf)
	for _, bk := range books(d, q) {
		n := len(bk.buyers)
		recency, freq, money := make([]int64, n), make([]int64, n), make([]int64, n)
		items := make([]RFMCustomer, n)
		for i, b := range bk.buyers {
			last := clock.day(b.last)
			items[i] = RFMCustomer{Customer: b.cust, LastPurchase: dateOfDay(last), RecencyDays: today - last,
				Frequency: b.deals, Monetary: amount(b.revenue, bk.currency)}
			recency[i], freq[i], money[i] = -int64(today-last), int64(b.deals), b.revenue // higher is better
		}
		rs, fs, ms := quintiles(recency), quintiles(freq), quintiles(money)
		out := RFMBook{Currency: bk.currency, Customers: n}
		segs := map[string]*RFMSegment{}
		for _, s := range Segments {
			out.Segments = append(out.Segments, RFMSegment{Segment: s, Monetary: amount(0, bk.currency)})
		}
		for i := range out.Segments {
			segs[out.Segments[i].Segment] = &out.Segments[i]
		}
		for i := range items {
			it := &items[i]
			it.R, it.F, it.M = rs(recency[i]), fs(freq[i]), ms(money[i])
			it.Score = fmt.Sprintf("%d%d%d", it.R, it.F, it.M)
			it.Segment = segment(it.R, (it.F+it.M+1)/2)
			segs[it.Segment].Customers++
			segs[it.Segment].Monetary.Minor += it.Monetary.Minor
		}
		slices.SortFunc(items, func(a, b RFMCustomer) int {
			return cmp.Or(cmp.Compare(b.Monetary.Minor, a.Monetary.Minor), a.Customer.ID.Compare(b.Customer.ID))
		})
		out.Items = items
		r.Books = append(r.Books, out)
	}
	return r
}

// quintiles returns the scoring function of values: the quintile of a
// value's percentile rank among them.
func quintiles(values []int64) func(int64) int {
	sorted := slices.Sorted(slices.Values(values))
	return func(v int64) int {
		below := sort.Search(len(sorted), func(i int) bool { return sorted[i] >= v })
		upto := sort.Search(len(sorted), func(i int) bool { return sorted[i] > v })
		return quintile(below, upto-below, len(sorted))
	}
}

// segment names the RFM segment of a recency score r and a
// frequency-monetary score fm (the mean of F and M, halves rounded up):
//
//	R \ FM   1            2            3            4          5
//	5        new          potential    potential    champions  champions
//	4        new          potential    potential    loyal      champions
//	3        hibernating  hibernating  potential    loyal      loyal
//	2        hibernating  hibernating  at risk      at risk    can't lose
//	1        lost         lost         at risk      at risk    can't lose
func segment(r, fm int) string {
	switch {
	case r >= 4 && fm == 1:
		return SegmentNew
	case r >= 4 && fm <= 3, r == 3 && fm == 3:
		return SegmentPotentialLoyalists
	case r == 5 || r == 4 && fm == 5:
		return SegmentChampions
	case r >= 3 && fm >= 4:
		return SegmentLoyal
	case r == 3 || r == 2 && fm <= 2:
		return SegmentHibernating
	case fm == 5:
		return SegmentCantLose
	case fm >= 3:
		return SegmentAtRisk
	}
	return SegmentLost
}
