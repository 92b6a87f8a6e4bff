package insight

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// cst is China Standard Time, UTC+8: the tests' calendar, so that a day,
// week, month or quarter boundary in UTC is not one here.
var cst = time.FixedZone("CST", 8*60*60)

// at reads a wall-clock time in CST: "2026-06-15 12:00".
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

// utc reads a time in UTC.
func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func day(s string) model.Date {
	d, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Ids are readable in failures: a kind letter and a number.
func id(kind byte, n int) model.ID {
	var x model.ID
	x[0], x[14], x[15] = kind, byte(n>>8), byte(n)
	return x
}

func contactID(n int) model.ID  { return id('p', n) }
func companyID(n int) model.ID  { return id('o', n) }
func dealID(n int) model.ID     { return id('d', n) }
func activityID(n int) model.ID { return id('a', n) }

func contact(n int, name string, opts ...func(*model.Contact)) model.Contact {
	c := model.Contact{ID: contactID(n), Name: name, Tags: []string{}}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func company(n int, name string, opts ...func(*model.Company)) model.Company {
	c := model.Company{ID: companyID(n), Name: name, Tags: []string{}}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func money(s string) model.Money {
	m, err := model.ParseMoney(s, "CNY")
	if err != nil {
		panic(err)
	}
	return m
}

type dealOpt func(*model.Deal)

// deal makes deal n entering stage at created, worth amt ("1000.00 CNY").
func deal(n int, stage string, created time.Time, amt string, opts ...dealOpt) model.Deal {
	d, err := model.NewDeal(model.DefaultPipeline(), fmt.Sprintf("deal %d", n), stage, created)
	if err != nil {
		panic(err)
	}
	d.ID, d.Value = dealID(n), money(amt)
	for _, o := range opts {
		o(&d)
	}
	return d
}

func moved(stage string, t time.Time) dealOpt {
	return func(d *model.Deal) {
		if err := d.Move(model.DefaultPipeline(), stage, t, d.LostReason); err != nil {
			panic(err)
		}
	}
}

func won(t time.Time) dealOpt { return moved("won", t) }

func lost(t time.Time, reason string) dealOpt {
	return func(d *model.Deal) {
		if err := d.Move(model.DefaultPipeline(), "lost", t, reason); err != nil {
			panic(err)
		}
	}
}

func withContact(n int) dealOpt { return func(d *model.Deal) { d.ContactID = contactID(n) } }
func withCompany(n int) dealOpt { return func(d *model.Deal) { d.CompanyID = companyID(n) } }
func owner(s string) dealOpt    { return func(d *model.Deal) { d.Owner = s } }
func source(s string) dealOpt   { return func(d *model.Deal) { d.Source = s } }
func tags(t ...string) dealOpt  { return func(d *model.Deal) { d.Tags = t } }
func closing(s string) dealOpt  { return func(d *model.Deal) { d.CloseDate = day(s) } }
func probability(p int) dealOpt { return func(d *model.Deal) { d.Probability = &p } }

// bought is a deal won on the day it was made, for a customer.
func bought(n int, t time.Time, amt string, customer dealOpt) model.Deal {
	return deal(n, "lead", t, amt, customer, won(t))
}

func activity(n int, kind string, t time.Time, contact int, opts ...func(*model.Activity)) model.Activity {
	a := model.Activity{ID: activityID(n), Kind: kind, At: t, CreatedAt: t}
	if contact > 0 {
		a.ContactID = contactID(contact)
	}
	if kind == model.KindComplaint {
		a.State = model.ComplaintOpen
	}
	for _, o := range opts {
		o(&a)
	}
	return a
}

func resolved(t time.Time) func(*model.Activity) {
	return func(a *model.Activity) { a.State, a.ResolvedAt = model.ComplaintResolved, t }
}

func score(s int) func(*model.Activity) { return func(a *model.Activity) { a.Score = &s } }

func atCompany(n int) func(*model.Activity) {
	return func(a *model.Activity) { a.CompanyID = companyID(n) }
}

func onDeal(n int) func(*model.Activity) { return func(a *model.Activity) { a.DealID = dealID(n) } }

func query(now time.Time) Query { return Query{Now: now, Params: DefaultParams()} }

// f64 makes an expected optional number.
func f64(v float64) *float64 { return &v }

func eqPtr(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func ptr(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

// amounts renders per-currency amounts compactly: "CNY 1000.00/100.00".
func stageAmounts(as []StageAmount) string {
	s := ""
	for _, a := range as {
		s += fmt.Sprintf("%s %s/%s;", a.Currency, a.Total.Decimal(), a.Weighted.Decimal())
	}
	return s
}

// jsonOf marshals v for shape checks.
func jsonOf(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
