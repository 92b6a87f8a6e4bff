package insight

import (
	"fmt"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

func paretoData(amounts ...string) *Data {
	d := &Data{Pipeline: model.DefaultPipeline()}
	for i, a := range amounts {
		d.Contacts = append(d.Contacts, contact(i+1, fmt.Sprintf("C%d", i+1)))
		d.Deals = append(d.Deals, bought(i+1, at("2026-05-01 12:00"), a, withContact(i+1)))
	}
	return d
}

func curve(b ParetoBook) string {
	s := ""
	for _, it := range b.Items {
		s += fmt.Sprintf("%s %s %s %v;", it.Customer.Name, ptr(it.Share), ptr(it.CumulativeShare), it.Core)
	}
	return s
}

func TestPareto(t *testing.T) {
	// 5000 + 2000 + 1500 + 1000 + 500 = 10000. The top 20 % is one
	// customer: 50 %. Before C1, C2 and C3 the running total is below
	// 8000; before C4 it is 8500: three customers make the core, 85 %.
	d := paretoData("1000.00 CNY", "5000.00 CNY", "500.00 CNY", "2000.00 CNY", "1500.00 CNY", "70.00 USD")
	r := Pareto(d, query(at("2026-06-15 12:00")))
	b := r.Books[0]
	if b.Currency != "CNY" || b.Customers != 5 || b.Revenue.Decimal() != "10000.00" || b.Top20Customers != 1 ||
		b.Top20Revenue.Decimal() != "5000.00" || !eqPtr(b.Top20Share, f64(0.5)) || b.CoreCustomers != 3 ||
		!eqPtr(b.CoreCustomerShare, f64(0.6)) || b.CoreRevenue.Decimal() != "8500.00" || !eqPtr(b.CoreShare, f64(0.85)) {
		t.Errorf("CNY: %+v", b)
	}
	if got := curve(b); got != "C2 0.5 0.5 true;C4 0.2 0.7 true;C5 0.15 0.85 true;C1 0.1 0.95 false;C3 0.05 1 false;" {
		t.Errorf("curve: %s", got)
	}
	if u := r.Books[1]; u.Currency != "USD" || u.Customers != 1 || u.CoreCustomers != 1 || !eqPtr(u.Top20Share, f64(1)) {
		t.Errorf("USD, one customer: %+v", u)
	}
}

func TestParetoEdges(t *testing.T) {
	q := query(at("2026-06-15 12:00"))
	// Exactly 80 % with the first customer: the core is that one.
	if b := Pareto(paretoData("8000.00 CNY", "2000.00 CNY"), q).Books[0]; b.CoreCustomers != 1 || !eqPtr(b.CoreShare, f64(0.8)) {
		t.Errorf("exactly 80 %%: %+v", b)
	}
	// Six customers: the top 20 % rounds up to two.
	if b := Pareto(paretoData("1.00 CNY", "1.00 CNY", "1.00 CNY", "1.00 CNY", "1.00 CNY", "1.00 CNY"), q).Books[0]; b.Top20Customers != 2 ||
		!eqPtr(b.Top20Share, f64(0.3333)) || b.CoreCustomers != 5 {
		t.Errorf("six equal customers: %+v", b)
	}
	b := Pareto(paretoData("0.00 CNY"), q).Books[0]
	if b.Top20Share != nil || b.CoreShare != nil || b.CoreCustomers != 0 || b.Items[0].Share != nil {
		t.Errorf("no revenue: no shares: %+v", b)
	}
	if r := Pareto(&Data{Pipeline: model.DefaultPipeline()}, q); r.Books == nil || len(r.Books) != 0 {
		t.Errorf("no deals: %+v", r)
	}
}
