package insight

import (
	"fmt"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

// rfmData: as of 2026-06-15 in CST, five customers buy in CNY:
//
//	1 three deals of 1000.00, the last 06-10 (5 days)     F 3  M 3000.00
//	2 500.00 on 05-16 (30 days), and 50.00 USD on 01-01   F 1  M  500.00
//	3 two deals of 1500.00, the last 03-17 (90 days)      F 2  M 3000.00
//	4 100.00 on 2025-06-15 (365 days)                     F 1  M  100.00
//	5 company 5: 10000.00 on 06-10 (5 days)               F 1  M 10000.00
//
// Each score is 1 + ⌊5 × (below + equal/2) / 5⌋ = 1 + ⌊(2·below + equal)/2⌋:
//
//	R (fewer days is better): 4 → (0,1) 1; 3 → (1,1) 2; 2 → (2,1) 3; 1 and 5 → (3,2) 5
//	F: 1s → (0,3) 2; 3 → (3,1) 4; 1 → (4,1) 5
//	M: 4 → 1; 2 → (1,1) 2; 1 and 3 → (2,2) 4; 5 → (4,1) 5
//
// FM = ⌈(F+M)/2⌉, and the grid gives: 1 554 champions; 2 322 hibernating;
// 3 244 at risk; 4 121 lost; 5 525 champions (R 5, FM 4). Customer 2's
// USD book holds it alone: 333 (ranks in the middle), a potential loyalist.
func rfmData() *Data {
	c := withContact
	return &Data{
		Pipeline: model.DefaultPipeline(),
		Contacts: []model.Contact{contact(1, "One"), contact(2, "Two"), contact(3, "Three"), contact(4, "Four"),
			// Five Ltd's buyer has no deal of his own, and a tag.
			contact(10, "Ten", func(c *model.Contact) { c.CompanyID, c.Tags = companyID(5), []string{"vip"} })},
		Companies: []model.Company{company(5, "Five Ltd")},
		Deals: []model.Deal{
			bought(1, at("2026-01-10 12:00"), "1000.00 CNY", c(1)),
			bought(2, at("2026-03-10 12:00"), "1000.00 CNY", c(1)),
			bought(3, at("2026-06-10 12:00"), "1000.00 CNY", c(1)),
			bought(4, at("2026-05-16 12:00"), "500.00 CNY", c(2)),
			bought(5, at("2026-01-01 12:00"), "50.00 USD", c(2)),
			bought(6, at("2026-01-17 12:00"), "1500.00 CNY", c(3)),
			bought(7, at("2026-03-17 12:00"), "1500.00 CNY", c(3)),
			bought(8, at("2025-06-15 12:00"), "100.00 CNY", c(4)),
			bought(9, at("2026-06-10 12:00"), "10000.00 CNY", withCompany(5)),
			deal(10, "proposal", at("2026-06-01 12:00"), "99999.00 CNY", c(4)),
			deal(11, "lead", at("2026-06-01 12:00"), "99999.00 CNY", c(4), lost(at("2026-06-02 12:00"), "")),
		},
	}
}

func rfmItems(b RFMBook) string {
	s := ""
	for _, it := range b.Items {
		s += fmt.Sprintf("%s %d %d %s %s %s;", it.Customer.Name, it.RecencyDays, it.Frequency, it.Monetary.Decimal(), it.Score, it.Segment)
	}
	return s
}

func TestRFM(t *testing.T) {
	r := RFM(rfmData(), query(at("2026-06-15 12:00")))
	if len(r.Books) != 2 || r.Books[0].Currency != "CNY" || r.Books[1].Currency != "USD" {
		t.Fatalf("books: %+v", r.Books)
	}
	cny := r.Books[0]
	want := "Five Ltd 5 1 10000.00 525 champions;One 5 3 3000.00 554 champions;Three 90 2 3000.00 244 at_risk;" +
		"Two 30 1 500.00 322 hibernating;Four 365 1 100.00 121 lost;"
	if got := rfmItems(cny); got != want {
		t.Errorf("CNY:\n got %s\nwant %s", got, want)
	}
	if c := cny.Items[0].Customer; c.Kind != KindCompany || c.ID != companyID(5) {
		t.Errorf("a deal with a company is the company's: %+v", c)
	}
	segs := ""
	for _, s := range cny.Segments {
		segs += fmt.Sprintf("%s %d %s;", s.Segment, s.Customers, s.Monetary.Decimal())
	}
	if want := "champions 2 13000.00;loyal 0 0.00;potential_loyalists 0 0.00;new 0 0.00;at_risk 1 3000.00;" +
		"cant_lose 0 0.00;hibernating 1 500.00;lost 1 100.00;"; segs != want {
		t.Errorf("segments:\n got %s\nwant %s", segs, want)
	}
	if got := rfmItems(r.Books[1]); got != "Two 165 1 50.00 333 potential_loyalists;" {
		t.Errorf("USD: %s", got)
	}
	if cny.Customers != 5 || cny.Items[3].LastPurchase != day("2026-05-16") {
		t.Errorf("CNY book: %d customers, %+v", cny.Customers, cny.Items[3])
	}
}

func TestRFMFilters(t *testing.T) {
	q := query(at("2026-06-15 12:00"))
	q.Currency = "usd"
	if r := RFM(rfmData(), q); len(r.Books) != 1 || r.Books[0].Currency != "USD" {
		t.Errorf("USD only: %+v", r.Books)
	}
	// As of 1 April: the deals won before it, recency counted from it.
	// Three (15 days, 2, 3000.00), One (22 days, 2, 2000.00), Four (290
	// days, 1, 100.00); of three, a score is 1 + ⌊5(2·below + equal)/6⌋:
	// R 5, 3, 1; F (2, 2, 1) 4, 4, 1; M 5, 3, 1. FM: 5, 4, 1.
	q = query(at("2026-06-15 12:00"))
	q.Tag = "VIP" // a company's contact carries it
	if r := RFM(rfmData(), q); len(r.Books) != 1 || rfmItems(r.Books[0]) != "Five Ltd 5 1 10000.00 333 potential_loyalists;" {
		t.Errorf("vip: %+v", r.Books)
	}
	q = query(at("2026-06-15 12:00"))
	q.Until = at("2026-04-01 00:00")
	r := RFM(rfmData(), q)
	want := "Three 15 2 3000.00 545 champions;One 22 2 2000.00 343 loyal;Four 290 1 100.00 111 lost;"
	if got := rfmItems(r.Books[0]); got != want || !r.AsOf.Equal(q.Until) {
		t.Errorf("as of April:\n got %s\nwant %s", got, want)
	}
}

func TestRFMOneCustomer(t *testing.T) {
	d := &Data{Pipeline: model.DefaultPipeline(), Contacts: []model.Contact{contact(1, "Solo")},
		Deals: []model.Deal{bought(1, at("2026-06-01 12:00"), "10.00 CNY", withContact(1))}}
	r := RFM(d, query(at("2026-06-15 12:00")))
	if got := rfmItems(r.Books[0]); got != "Solo 14 1 10.00 333 potential_loyalists;" {
		t.Errorf("one customer ranks in the middle: %s", got)
	}
	if r := RFM(&Data{Pipeline: model.DefaultPipeline()}, query(at("2026-06-15 12:00"))); r.Books == nil || len(r.Books) != 0 {
		t.Errorf("no deals: %+v", r)
	}
}

func TestSegmentGrid(t *testing.T) {
	grid := [5][5]string{ // R 5 down to 1, FM 1 to 5
		{"new", "potential_loyalists", "potential_loyalists", "champions", "champions"},
		{"new", "potential_loyalists", "potential_loyalists", "loyal", "champions"},
		{"hibernating", "hibernating", "potential_loyalists", "loyal", "loyal"},
		{"hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"},
		{"lost", "lost", "at_risk", "at_risk", "cant_lose"},
	}
	for i, row := range grid {
		for j, want := range row {
			if got := segment(5-i, j+1); got != want {
				t.Errorf("R %d FM %d: %s, want %s", 5-i, j+1, got, want)
			}
		}
	}
}

func TestQuintile(t *testing.T) {
	for _, c := range []struct{ below, equal, n, want int }{
		{0, 1, 1, 3}, {0, 1, 5, 1}, {4, 1, 5, 5}, {0, 5, 5, 3}, {0, 1, 10, 1}, {1, 1, 10, 1}, {2, 1, 10, 2}, {9, 1, 10, 5},
		{0, 70, 100, 2}, {70, 30, 100, 5},
	} {
		if got := quintile(c.below, c.equal, c.n); got != c.want {
			t.Errorf("quintile(%d, %d, %d) = %d, want %d", c.below, c.equal, c.n, got, c.want)
		}
	}
}
