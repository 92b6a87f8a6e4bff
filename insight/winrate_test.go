package insight

import (
	"fmt"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

func groups(gs []WinRateGroup) string {
	s := ""
	for _, g := range gs {
		s += fmt.Sprintf("%q %d/%d %s;", g.Key, g.Won, g.Lost, ptr(g.Rate))
	}
	return s
}

// Two won, three lost. Deal 2 closed at 2026-03-31 20:00 UTC, which is
// 1 April in CST: the second quarter.
func winRateData() *Data {
	return &Data{Pipeline: model.DefaultPipeline(), Deals: []model.Deal{
		deal(1, "lead", at("2026-01-01 12:00"), "100.00 CNY", source("referral"), tags("vip"), owner("li"), won(at("2026-01-10 12:00"))),
		deal(2, "lead", at("2026-01-01 12:00"), "100.00 CNY", source("website"), owner("wang"), won(utc("2026-03-31 20:00"))),
		deal(3, "lead", at("2026-01-01 12:00"), "100.00 CNY", source("referral"), tags("vip", "upsell"), owner("li"), lost(at("2026-02-01 12:00"), "Price too high")),
		deal(4, "lead", at("2026-01-01 12:00"), "100.00 USD", source("Website"), owner("Li"), lost(at("2026-04-10 12:00"), " price too high ")),
		deal(5, "lead", at("2026-01-01 12:00"), "100.00 CNY", owner("wang"), lost(at("2026-05-05 12:00"), "")),
		deal(6, "lead", at("2026-01-01 12:00"), "100.00 CNY", owner("wang")),
	}}
}

func TestWinRate(t *testing.T) {
	r := WinRate(winRateData(), query(at("2026-06-15 12:00")))
	if r.Won != 2 || r.Lost != 3 || !eqPtr(r.Rate, f64(0.4)) {
		t.Errorf("overall: %d/%d %s", r.Won, r.Lost, ptr(r.Rate))
	}
	for _, c := range []struct {
		name string
		got  []WinRateGroup
		want string
	}{
		// Ties in size go by key; source and owner group ignoring case.
		{"source", r.BySource, `"referral" 1/1 0.5;"website" 1/1 0.5;"" 0/1 0;`},
		{"tag", r.ByTag, `"" 1/2 0.3333;"vip" 1/1 0.5;"upsell" 0/1 0;`},
		{"owner", r.ByOwner, `"li" 1/2 0.3333;"wang" 1/1 0.5;`},
		{"quarter", r.ByQuarter, `"2026-Q1" 1/1 0.5;"2026-Q2" 1/2 0.3333;`},
	} {
		if g := groups(c.got); g != c.want {
			t.Errorf("by %s: %s, want %s", c.name, g, c.want)
		}
	}
	want := []LostReason{{"Price too high", 2, f64(0.6667)}, {"", 1, f64(0.3333)}}
	if len(r.LostReasons) != 2 {
		t.Fatalf("lost reasons: %+v", r.LostReasons)
	}
	for i, w := range want {
		if g := r.LostReasons[i]; g.Reason != w.Reason || g.Deals != w.Deals || !eqPtr(g.Share, w.Share) {
			t.Errorf("reason %d: %+v, want %+v", i, g, w)
		}
	}
}

func TestWinRateFilters(t *testing.T) {
	d := winRateData()
	q := query(at("2026-06-15 12:00"))
	q.Since = at("2026-04-01 00:00")
	if r := WinRate(d, q); r.Won != 1 || r.Lost != 2 || !eqPtr(r.Rate, f64(0.3333)) {
		t.Errorf("since April (CST): %d/%d", r.Won, r.Lost)
	}
	q.Since = utc("2026-04-01 00:00") // deal 2 closed before this in UTC
	if r := WinRate(d, q); r.Won != 0 || r.Lost != 2 || !eqPtr(r.Rate, f64(0)) {
		t.Errorf("since April (UTC), all lost: %d/%d %s", r.Won, r.Lost, ptr(r.Rate))
	}
	q = query(at("2026-06-15 12:00"))
	q.Tag, q.Currency = "VIP", "CNY"
	if r := WinRate(d, q); r.Won != 1 || r.Lost != 1 {
		t.Errorf("vip: %d/%d", r.Won, r.Lost)
	}
	q = query(at("2026-06-15 12:00"))
	q.Currency = "USD"
	if r := WinRate(d, q); r.Won != 0 || r.Lost != 1 || len(r.ByQuarter) != 1 {
		t.Errorf("USD: %+v", r)
	}
}

func TestWinRateNoDeals(t *testing.T) {
	r := WinRate(&Data{Pipeline: model.DefaultPipeline()}, query(at("2026-06-15 12:00")))
	if r.Rate != nil || r.Won+r.Lost != 0 {
		t.Errorf("no deals: %+v", r)
	}
	m := jsonOf(t, r)
	for _, k := range []string{"by_source", "by_tag", "by_owner", "by_quarter", "lost_reasons"} {
		if l, ok := m[k].([]any); !ok || len(l) != 0 {
			t.Errorf("%s: %v, want []", k, m[k])
		}
	}
	if v, ok := m["rate"]; !ok || v != nil {
		t.Errorf("rate: %v, want null", v)
	}
}
