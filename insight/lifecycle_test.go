package insight

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // America/New_York on machines without a zoneinfo database

	"github.com/rolo-crm/rolo/model"
)

// lifecycleData: today is 2026-06-15 in CST; the thresholds are the
// defaults (engaged 90 days, formation 180, churn 365, overdue 1.5 gaps,
// quiet 2 gaps and at least 30 days). All times are noon CST unless
// noted.
//
//	1  Lead Lee   nothing                                          lead
//	2  Explorer   a call 2026-03-17 00:30 CST, 90 days ago          exploration
//	3  Cold       a call 2025-12-01, 196 days ago                   lead
//	4  Prospect   an open deal made 2025-01-01, nothing else        exploration
//	5  Newbie     deal made 04-01, won 05-01: one purchase          formation
//	6  Steady     made 02-05 won 02-15, 04-05/04-15, 05-22/06-01    stability
//	              purchase gaps 59, 47 (median 53; 14 days since ≤ 79.5);
//	              touch gaps 10 49 10 37 10 (median 10; 14 silent ≤ 30)
//	7  Overdue    bought 2025-10-01, 11-01, 12-01: gaps 31, 30      decline: overdue, quiet
//	              (196 days since > 1.5 × 30.5; silent 196 > 2 × 30.5)
//	8  Complainer bought 05-01, 06-01; complaint 06-10, open         decline: complaint
//	9  Gone       bought 2025-01-10: silent 521 > 365 days           churned
//	10 OneTimer   bought 2025-10-01 (257 days ago > 180); call 06-01 decline: no_repeat
//	              (touch gap 243: silent 14 is not quiet)
//	11 Pinned     nothing, pinned to stability                      stability (derived lead)
//
// Company 1 (Acme) holds 6's and 8's deals and the complaint: purchase
// days 02-15 04-15 05-01 06-01 (06-01 twice): four, and in decline for the
// complaint. Company 2 has nothing: a lead.
func lifecycleData() *Data {
	return &Data{
		Pipeline: model.DefaultPipeline(),
		Contacts: []model.Contact{
			contact(1, "Lead Lee"), contact(2, "Explorer"), contact(3, "Cold"), contact(4, "Prospect"),
			contact(5, "Newbie"), contact(6, "Steady", func(c *model.Contact) { c.Owner, c.CompanyID = "li", companyID(1) }),
			contact(7, "Overdue"), contact(8, "Complainer", func(c *model.Contact) { c.Tags, c.CompanyID = []string{"vip"}, companyID(1) }),
			contact(9, "Gone"), contact(10, "OneTimer"),
			contact(11, "Pinned", func(c *model.Contact) { c.Lifecycle = model.LifecycleStability }),
		},
		Companies: []model.Company{company(1, "Acme", func(c *model.Company) { c.Owner = "Li" }), company(2, "Quiet Ltd")},
		Deals: []model.Deal{
			deal(41, "lead", at("2025-01-01 12:00"), "1.00 CNY", withContact(4)),
			deal(51, "lead", at("2026-04-01 12:00"), "1.00 CNY", withContact(5), won(at("2026-05-01 12:00"))),
			deal(61, "lead", at("2026-02-05 12:00"), "1.00 CNY", withContact(6), withCompany(1), won(at("2026-02-15 12:00"))),
			deal(62, "lead", at("2026-04-05 12:00"), "1.00 CNY", withContact(6), withCompany(1), won(at("2026-04-15 12:00"))),
			deal(63, "lead", at("2026-05-22 12:00"), "1.00 CNY", withContact(6), withCompany(1), won(at("2026-06-01 12:00"))),
			bought(71, at("2025-10-01 12:00"), "1.00 CNY", withContact(7)),
			bought(72, at("2025-11-01 12:00"), "1.00 CNY", withContact(7)),
			bought(73, at("2025-12-01 12:00"), "1.00 CNY", withContact(7)),
			bought(81, at("2026-05-01 12:00"), "1.00 CNY", func(d *model.Deal) { d.ContactID, d.CompanyID = contactID(8), companyID(1) }),
			bought(82, at("2026-06-01 12:00"), "1.00 CNY", func(d *model.Deal) { d.ContactID, d.CompanyID = contactID(8), companyID(1) }),
			bought(91, at("2025-01-10 12:00"), "1.00 CNY", withContact(9)),
			bought(101, at("2025-10-01 12:00"), "1.00 CNY", withContact(10)),
		},
		Activities: []model.Activity{
			activity(1, model.KindCall, utc("2026-03-16 16:30"), 2),
			activity(2, model.KindCall, at("2025-12-01 12:00"), 3),
			activity(3, model.KindComplaint, at("2026-06-10 12:00"), 8, atCompany(1)),
			activity(4, model.KindCall, at("2026-06-01 12:00"), 10),
		},
	}
}

func stagesOf(es []LifecycleEntry) string {
	var parts []string
	for _, e := range es {
		s := e.Name + "=" + e.Stage
		if len(e.Reasons) > 0 {
			s += "(" + strings.Join(e.Reasons, ",") + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestLifecycle(t *testing.T) {
	r := Lifecycle(lifecycleData(), query(at("2026-06-15 12:00")))
	want := "Lead Lee=lead Explorer=exploration Cold=lead Prospect=exploration Newbie=formation Steady=stability " +
		"Overdue=decline(overdue,quiet) Complainer=decline(complaint) Gone=churned OneTimer=decline(no_repeat) Pinned=stability"
	if got := stagesOf(r.Contacts); got != want {
		t.Errorf("contacts:\n got %s\nwant %s", got, want)
	}
	if got := stagesOf(r.Companies); got != "Acme=decline(complaint) Quiet Ltd=lead" {
		t.Errorf("companies: %s", got)
	}
	got := ""
	for _, s := range r.Stages {
		got += fmt.Sprintf("%s %d/%d;", s.Stage, s.Contacts, s.Companies)
	}
	if want := "lead 2/1;exploration 2/0;formation 1/0;stability 2/0;decline 3/1;churned 1/0;"; got != want {
		t.Errorf("counts: %s, want %s", got, want)
	}
	if counts := LifecycleCounts(lifecycleData(), query(at("2026-06-15 12:00"))); !slices.Equal(counts, r.Stages) {
		t.Errorf("LifecycleCounts: %+v, want %+v", counts, r.Stages)
	}
	p := r.Contacts[10]
	if !p.Pinned || p.Derived != model.LifecycleLead || p.Stage != model.LifecycleStability {
		t.Errorf("pinned: %+v", p)
	}
	o := r.Contacts[6]
	if o.Purchases != 3 || o.LastPurchase != day("2025-12-01") || o.LastTouch != day("2025-12-01") || o.Pinned {
		t.Errorf("overdue: %+v", o)
	}
	if a := r.Companies[0]; a.Purchases != 4 || a.OpenComplaints != 1 || a.LastTouch != day("2026-06-10") {
		t.Errorf("Acme: %+v", a)
	}
	if pr := r.Contacts[3]; pr.OpenDeals != 1 || pr.LastTouch != day("2025-01-01") {
		t.Errorf("prospect: %+v", pr)
	}
}

// The call of 2026-03-16 16:30 UTC was 90 days ago in CST, but 91 in UTC.
func TestLifecycleTimeZone(t *testing.T) {
	r := Lifecycle(lifecycleData(), query(at("2026-06-15 12:00").UTC()))
	if e := r.Contacts[1]; e.Stage != model.LifecycleLead || e.LastTouch != day("2026-03-16") {
		t.Errorf("explorer in UTC: %+v", e)
	}
}

func TestLifecycleFilters(t *testing.T) {
	q := query(at("2026-06-15 12:00"))
	q.Owner = "li"
	if r := Lifecycle(lifecycleData(), q); stagesOf(r.Contacts) != "Steady=stability" || stagesOf(r.Companies) != "Acme=decline(complaint)" {
		t.Errorf("owner li: %s / %s", stagesOf(r.Contacts), stagesOf(r.Companies))
	}
	q.Owner, q.Tag = "", "VIP"
	r := Lifecycle(lifecycleData(), q)
	if stagesOf(r.Contacts) != "Complainer=decline(complaint)" || stagesOf(r.Companies) != "Acme=decline(complaint)" {
		t.Errorf("tag vip (Acme through its contact): %s / %s", stagesOf(r.Contacts), stagesOf(r.Companies))
	}
	if i := slices.IndexFunc(r.Stages, func(s LifecycleCount) bool { return s.Stage == model.LifecycleDecline }); r.Stages[i].Contacts != 1 {
		t.Errorf("counts follow the filter: %+v", r.Stages)
	}
	if counts := LifecycleCounts(lifecycleData(), q); !slices.Equal(counts, r.Stages) {
		t.Errorf("LifecycleCounts with a tag: %+v, want %+v", counts, r.Stages)
	}
}

func TestLifecycleThresholds(t *testing.T) {
	q := query(at("2026-06-15 12:00"))
	q.Params.FormationDays = 30 // Newbie's purchase, 45 days ago, is no longer recent
	q.Params.ChurnDays = 190    // Overdue, silent 196 days, has churned
	r := Lifecycle(lifecycleData(), q)
	if r.Contacts[4].Stage != model.LifecycleDecline || r.Contacts[4].Reasons[0] != ReasonNoRepeat || r.Contacts[6].Stage != model.LifecycleChurned {
		t.Errorf("thresholds: %s", stagesOf(r.Contacts))
	}
}

func TestLifecycleEmpty(t *testing.T) {
	r := Lifecycle(&Data{Pipeline: model.DefaultPipeline()}, query(at("2026-06-15 12:00")))
	if len(r.Stages) != len(model.LifecycleStages) || len(r.Contacts) != 0 || r.Companies == nil {
		t.Errorf("empty: %+v", r)
	}
}

func TestDayClock(t *testing.T) {
	c := newDayClock(cst)
	if d := c.day(at("2028-03-01 00:00")) - c.day(at("2028-02-28 23:59")); d != 2 {
		t.Errorf("28 Feb to 1 Mar 2028 is two days (a leap year): %d", d)
	}
	if d := c.day(at("2026-06-15 00:00")); dateOfDay(d) != day("2026-06-15") {
		t.Errorf("day number round trip: %v", dateOfDay(d))
	}
	if d := c.day(utc("2026-06-14 16:00")) - c.day(utc("2026-06-14 15:59")); d != 1 {
		t.Errorf("midnight CST is 16:00 UTC: %d", d)
	}
	// New York moves its clocks forward on 8 March 2026: the clock must
	// follow the offset across the change.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	c = newDayClock(ny)
	local := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, ny)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, tc := range []struct {
		a, b string
		days int
	}{
		{"2026-03-07 23:30", "2026-03-08 23:30", 1},
		{"2026-03-08 00:30", "2026-03-08 23:30", 0},
		{"2026-03-08 23:30", "2026-03-09 00:30", 1},
		{"2026-11-01 00:30", "2026-11-01 23:30", 0}, // and back on 1 November
		{"2026-01-15 12:00", "2026-07-15 12:00", 181},
	} {
		if d := c.day(local(tc.b)) - c.day(local(tc.a)); d != tc.days {
			t.Errorf("%s to %s: %d days, want %d", tc.a, tc.b, d, tc.days)
		}
	}
}
