package insight

import (
	"maps"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

// Two weeks of June 2026 in CST: the week of 1 June and that of 8 June.
func activityData() *Data {
	return &Data{
		Pipeline:  model.DefaultPipeline(),
		Contacts:  []model.Contact{contact(1, "K1", func(c *model.Contact) { c.Tags = []string{"vip"} }), contact(2, "K2"), contact(3, "K3")},
		Companies: []model.Company{company(1, "Acme")},
		Activities: []model.Activity{
			activity(1, model.KindCall, at("2026-06-01 09:00"), 1, func(a *model.Activity) { a.Owner = "li" }),
			activity(2, model.KindEmail, at("2026-06-03 09:00"), 1),
			// Sunday 16:30 UTC is Monday 00:30 in CST: the second week.
			activity(3, model.KindMeeting, utc("2026-06-07 16:30"), 2),
			activity(4, model.KindComplaint, at("2026-06-02 10:00"), 2, resolved(at("2026-06-03 10:00"))),
			activity(5, model.KindComplaint, at("2026-06-09 10:00"), 3),
			// Made before the period, resolved in the second week, after 21 days.
			activity(6, model.KindComplaint, at("2026-05-20 10:00"), 3, resolved(at("2026-06-10 10:00"))),
			activity(7, model.KindNote, at("2026-06-15 00:00"), 1), // the end of the period: not in it
			activity(8, model.KindFeedback, at("2026-06-12 09:00"), 2, score(9)),
			activity(9, model.KindMessage, at("2026-06-12 09:00"), 0, atCompany(1)), // no contact
		},
	}
}

func counts(kv map[string]int) map[string]int {
	out := map[string]int{}
	for _, k := range model.ActivityKinds {
		out[k] = kv[k]
	}
	return out
}

func TestActivity(t *testing.T) {
	q := query(at("2026-06-17 12:00"))
	q.Since, q.Until = at("2026-06-01 00:00"), at("2026-06-15 00:00")
	r := Activity(activityData(), q)
	if len(r.Weeks) != 2 || r.Weeks[0].Week != day("2026-06-01") || r.Weeks[1].Week != day("2026-06-08") {
		t.Fatalf("weeks: %+v", r.Weeks)
	}
	w1, w2 := r.Weeks[0], r.Weeks[1]
	if want := counts(map[string]int{"call": 1, "email": 1, "complaint": 1}); !maps.Equal(w1.Counts, want) {
		t.Errorf("week 1 counts: %v", w1.Counts)
	}
	if w1.Touched != 2 || w1.ComplaintsOpened != 1 || w1.ComplaintsResolved != 1 || !eqPtr(w1.MedianResolveHours, f64(24)) {
		t.Errorf("week 1: %+v", w1.ActivityCounts)
	}
	if want := counts(map[string]int{"meeting": 1, "complaint": 1, "feedback": 1, "message": 1}); !maps.Equal(w2.Counts, want) {
		t.Errorf("week 2 counts: %v", w2.Counts)
	}
	if w2.Touched != 2 || w2.ComplaintsOpened != 1 || w2.ComplaintsResolved != 1 || !eqPtr(w2.MedianResolveHours, f64(504)) {
		t.Errorf("week 2: %+v", w2.ActivityCounts)
	}
	tot := r.Total
	if want := counts(map[string]int{"call": 1, "email": 1, "meeting": 1, "complaint": 2, "feedback": 1, "message": 1}); !maps.Equal(tot.Counts, want) {
		t.Errorf("total counts: %v", tot.Counts)
	}
	// (24 + 504) / 2 = 264 hours.
	if tot.Touched != 3 || tot.ComplaintsOpened != 2 || tot.ComplaintsResolved != 2 || tot.ComplaintsOpen != 1 || !eqPtr(tot.MedianResolveHours, f64(264)) {
		t.Errorf("total: %+v", tot)
	}
}

func TestActivityFilters(t *testing.T) {
	q := query(at("2026-06-17 12:00"))
	q.Since, q.Until, q.Owner = at("2026-06-01 00:00"), at("2026-06-15 00:00"), "LI"
	if r := Activity(activityData(), q); r.Total.Counts["call"] != 1 || r.Total.Counts["email"] != 0 {
		t.Errorf("owner li: %v", r.Total.Counts)
	}
	q.Owner, q.Tag = "", "vip"
	if r := Activity(activityData(), q); r.Total.Counts["call"] != 1 || r.Total.Counts["email"] != 1 || r.Total.Touched != 1 {
		t.Errorf("vip contacts: %+v", r.Total)
	}
}

// Without a period: twelve weeks up to the end of the current one. On
// Wednesday 17 June the current week began on Monday 15 June.
func TestActivityDefaultPeriod(t *testing.T) {
	r := Activity(activityData(), query(at("2026-06-17 12:00")))
	if len(r.Weeks) != 12 || r.Weeks[0].Week != day("2026-03-30") || r.Weeks[11].Week != day("2026-06-15") {
		t.Fatalf("weeks: %d from %v", len(r.Weeks), r.Weeks[0].Week)
	}
	if !r.Since.Equal(at("2026-03-30 00:00")) || !r.Until.Equal(at("2026-06-22 00:00")) {
		t.Errorf("period %v - %v", r.Since, r.Until)
	}
	if r.Weeks[11].Counts["note"] != 1 || r.Total.Counts["complaint"] != 3 || r.Total.ComplaintsOpened != 3 {
		t.Errorf("the note of 15 June is in the current week, the complaint of 20 May in the period: %+v %+v",
			r.Weeks[11].Counts, r.Total)
	}
	m := jsonOf(t, r)
	week := m["weeks"].([]any)[0].(map[string]any)
	if len(week["counts"].(map[string]any)) != len(model.ActivityKinds) || week["median_resolve_hours"] != nil || week["week"] != "2026-03-30" {
		t.Errorf("an empty week: every kind counted, no median: %v", week)
	}
}
