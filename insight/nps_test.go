package insight

import (
	"fmt"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

func TestNPS(t *testing.T) {
	d := &Data{
		Contacts: []model.Contact{contact(1, "A", func(c *model.Contact) { c.Tags = []string{"vip"} }), contact(2, "B")},
		Activities: []model.Activity{
			activity(1, model.KindFeedback, at("2026-01-05 10:00"), 1, score(10)),
			activity(2, model.KindFeedback, at("2026-01-06 10:00"), 2, score(9)),
			activity(3, model.KindFeedback, at("2026-01-07 10:00"), 2, score(3)),
			// 31 January 20:00 UTC is 1 February in CST.
			activity(4, model.KindFeedback, utc("2026-01-31 20:00"), 2, score(7)),
			activity(5, model.KindFeedback, at("2026-03-02 10:00"), 1, score(6)),
			activity(6, model.KindCall, at("2026-03-02 10:00"), 1),
		},
	}
	r := NPS(d, query(at("2026-06-15 12:00")))
	// 2 promoters, 1 passive, 2 detractors of 5: 100 × (2-2)/5 = 0.
	if r.Responses != 5 || r.Promoters != 2 || r.Passives != 1 || r.Detractors != 2 || !eqPtr(r.NPS, f64(0)) {
		t.Errorf("overall: %+v", r.NPSCounts)
	}
	got := ""
	for _, m := range r.ByMonth {
		got += fmt.Sprintf("%s %d %s;", m.Month, m.Responses, ptr(m.NPS))
	}
	// January: 10, 9, 3 → 100 × (2-1)/3 = 33.3; February: 7 → 0; March: 6 → -100.
	if want := "2026-01 3 33.3;2026-02 1 0;2026-03 1 -100;"; got != want {
		t.Errorf("by month: %s, want %s", got, want)
	}
	q := query(at("2026-06-15 12:00"))
	q.Tag = "vip"
	if r := NPS(d, q); r.Responses != 2 || !eqPtr(r.NPS, f64(0)) || len(r.ByMonth) != 3 {
		t.Errorf("vip: 10 and 6: %+v, %d months", r.NPSCounts, len(r.ByMonth))
	}
	q = query(at("2026-06-15 12:00"))
	q.Since, q.Until = at("2026-02-01 00:00"), at("2026-03-01 00:00")
	if r := NPS(d, q); r.Responses != 1 || r.Passives != 1 || len(r.ByMonth) != 1 {
		t.Errorf("February: %+v", r)
	}
}

func TestNPSNoFeedback(t *testing.T) {
	r := NPS(&Data{}, query(at("2026-06-15 12:00")))
	m := jsonOf(t, r)
	if v, ok := m["nps"]; !ok || v != nil || len(m["by_month"].([]any)) != 0 || m["responses"] != 0.0 {
		t.Errorf("no feedback: %v", m)
	}
}
