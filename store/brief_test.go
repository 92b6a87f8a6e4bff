package store

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// The Brief readers must agree with the full decoders on every field
// they keep: a field added to a record, or a tag renumbered, shows here.
func TestBriefMatchesFull(t *testing.T) {
	s, clock := openTest(t)
	score, prob := 9, 80
	var dealID model.ID
	update(t, s, func(tx *Tx) error {
		co := model.Company{Name: "Acme", Domain: "acme.com", Industry: "tools", Size: "50", Phone: "+8613800138000",
			Address: model.Address{City: "Shanghai"}, Tags: []string{"key-account", "partner"}, Owner: "li",
			Custom: map[string]string{"tier": "gold"}}
		if err := tx.PutCompany(&co); err != nil {
			return err
		}
		c := model.Contact{Name: "张伟", Emails: []model.Email{{Address: "zw@acme.com", Label: "work"}},
			Phones: []model.Phone{{Number: "13800138000"}}, CompanyID: co.ID, Title: "采购经理", Tags: []string{"vip", "重点客户"},
			Source: "referral", Owner: "li", Lifecycle: model.LifecycleStability, Custom: map[string]string{"wechat": "zw"},
			Birthday: model.Date{Year: 1985, Month: 4, Day: 2}, Addresses: []model.Address{{City: "Shanghai"}}, Links: []string{"https://x.cn"}}
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		d, err := model.NewDeal(tx.Pipeline(), "ERP", "lead", tx.Now())
		if err != nil {
			return err
		}
		d.ContactID, d.CompanyID, d.Value = c.ID, co.ID, model.Money{Minor: 120050, Currency: "USD"}
		d.Probability, d.CloseDate, d.Owner, d.Source = &prob, model.Date{Year: 2026, Month: 12, Day: 1}, "li", "web"
		d.Tags, d.Custom = []string{"upsell"}, map[string]string{"po": "1"}
		if err := d.Move(tx.Pipeline(), "proposal", tx.Now().Add(time.Hour), ""); err != nil {
			return err
		}
		if err := tx.PutDeal(&d); err != nil {
			return err
		}
		dealID = d.ID
		task := model.Task{Title: "call", Due: model.DueAt(tx.Now().Add(24 * time.Hour)), ContactID: c.ID, DealID: d.ID,
			CompanyID: co.ID, Priority: model.PriorityHigh, Repeat: model.Repeat{Every: 1, Unit: "week"}, Notes: "n", Owner: "li"}
		if err := tx.PutTask(&task); err != nil {
			return err
		}
		for _, a := range []model.Activity{
			{Kind: model.KindFeedback, At: tx.Now(), ContactID: c.ID, DealID: d.ID, Score: &score, Body: "good", Owner: "li", Direction: "in"},
			{Kind: model.KindComplaint, At: tx.Now(), ContactID: c.ID, Body: "late", State: model.ComplaintResolved, ResolvedAt: tx.Now().Add(time.Hour)},
			{Kind: model.KindMessage, At: tx.Now(), CompanyID: co.ID, Channel: "wechat", Direction: "out", Body: "hi"},
		} {
			if err := tx.AddActivity(&a); err != nil {
				return err
			}
		}
		return nil
	})
	clock.Advance(time.Hour)
	update(t, s, func(tx *Tx) error { _, err := tx.MoveDeal(dealID, "negotiation", ""); return err })

	view(t, s, func(tx *Tx) error {
		compare(t, "contact", tx.EachContact, tx.ContactsBrief, func(c *model.Contact) {
			*c = model.Contact{ID: c.ID, Name: c.Name, CompanyID: c.CompanyID, Tags: c.Tags,
				Owner: c.Owner, Lifecycle: c.Lifecycle, CreatedAt: c.CreatedAt}
		})
		compare(t, "company", tx.EachCompany, tx.CompaniesBrief, func(c *model.Company) {
			*c = model.Company{ID: c.ID, Name: c.Name, Tags: c.Tags, Owner: c.Owner, CreatedAt: c.CreatedAt}
		})
		compare(t, "deal", tx.EachDeal, tx.DealsBrief, func(d *model.Deal) { d.Custom = nil })
		cs, _ := tx.ContactsBrief()
		if c, err := tx.ContactBrief(cs[0].ID); err != nil || !reflect.DeepEqual(c, cs[0]) {
			t.Errorf("ContactBrief: %+v %v", c, err)
		}
		cos, _ := tx.CompaniesBrief()
		if c, err := tx.CompanyBrief(cos[0].ID); err != nil || !reflect.DeepEqual(c, cos[0]) {
			t.Errorf("CompanyBrief: %+v %v", c, err)
		}
		ids := []model.ID{cos[0].ID, cs[0].ID} // a company's id is no contact's
		slices.SortFunc(ids, model.ID.Compare)
		if some, err := tx.ContactsBriefOf(ids); err != nil || !reflect.DeepEqual(some, cs[:1]) {
			t.Errorf("ContactsBriefOf: %+v %v", some, err)
		}
		if some, err := tx.CompaniesBriefOf([]model.ID{cos[0].ID}); err != nil || !reflect.DeepEqual(some, cos[:1]) {
			t.Errorf("CompaniesBriefOf: %+v %v", some, err)
		}
		if _, err := tx.ContactBrief(cos[0].ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("ContactBrief of a company's id: %v", err)
		}
		complaints, err := tx.ActivitiesOf(model.KindComplaint)
		if err != nil {
			t.Fatal(err)
		}
		if len(complaints) != 1 || complaints[0].State != model.ComplaintResolved || complaints[0].ResolvedAt.IsZero() {
			t.Errorf("complaints: %+v", complaints)
		}
		compare(t, "activity", tx.EachActivity, tx.ActivitiesBrief, func(a *model.Activity) {
			a.Body, a.Direction, a.Channel, a.CreatedAt = "", "", "", time.Time{}
		})
		return nil
	})
}

// Enough records for the decoding to be split between goroutines (the
// race detector watches them) come back whole and in order.
func TestBriefInParallel(t *testing.T) {
	s, _ := openTest(t)
	n := 2*briefChunk + 7
	err := s.Bulk(func(tx *Tx) error {
		for i := range n {
			c := model.Company{Name: fmt.Sprintf("Company %05d", i), Tags: []string{fmt.Sprint("t", i%3)}}
			if err := tx.PutCompany(&c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	view(t, s, func(tx *Tx) error {
		compare(t, "company", tx.EachCompany, tx.CompaniesBrief, func(c *model.Company) {
			*c = model.Company{ID: c.ID, Name: c.Name, Tags: c.Tags, Owner: c.Owner, CreatedAt: c.CreatedAt}
		})
		return nil
	})
}

// EachActivityTime walks a timeline index: every activity linked to a
// record, grouped by the record and in time order.
func TestEachActivityTime(t *testing.T) {
	s, clock := openTest(t)
	var a, b model.Contact
	var co model.Company
	update(t, s, func(tx *Tx) error {
		co = model.Company{Name: "Acme"}
		if err := tx.PutCompany(&co); err != nil {
			return err
		}
		a, b = model.Contact{Name: "A", CompanyID: co.ID}, model.Contact{Name: "B"}
		if err := tx.PutContact(&a); err != nil {
			return err
		}
		return tx.PutContact(&b)
	})
	log := func(c model.ID, at time.Time) {
		update(t, s, func(tx *Tx) error {
			return tx.AddActivity(&model.Activity{Kind: model.KindCall, At: at, ContactID: c})
		})
	}
	log(b.ID, t0.Add(3*time.Hour))
	log(a.ID, t0.Add(2*time.Hour))
	log(a.ID, t0.Add(-time.Hour)) // logged later, happened earlier
	clock.Advance(time.Hour)
	type entry struct {
		owner model.ID
		at    time.Time
	}
	read := func(e model.Entity) []entry {
		var out []entry
		view(t, s, func(tx *Tx) error {
			return tx.EachActivityTime(e, func(owner model.ID, at time.Time) error {
				out = append(out, entry{owner, at})
				return nil
			})
		})
		return out
	}
	first, second := a.ID, b.ID
	if first.Compare(second) > 0 {
		first, second = second, first
	}
	want := map[model.ID][]time.Time{a.ID: {t0.Add(-time.Hour), t0.Add(2 * time.Hour)}, b.ID: {t0.Add(3 * time.Hour)}}
	got := read(model.EntityContact)
	var order []model.ID
	for _, e := range got {
		if len(order) == 0 || order[len(order)-1] != e.owner {
			order = append(order, e.owner)
		}
	}
	if len(got) != 3 || !reflect.DeepEqual(order, []model.ID{first, second}) {
		t.Fatalf("contacts: %+v", got)
	}
	for _, e := range got {
		if !e.at.Equal(want[e.owner][0]) {
			t.Errorf("%v at %v, want %v", e.owner, e.at, want[e.owner][0])
		}
		want[e.owner] = want[e.owner][1:]
	}
	if c := read(model.EntityCompany); len(c) != 2 || c[0].owner != co.ID || !c[0].at.Equal(t0.Add(-time.Hour)) {
		t.Errorf("the company's timeline holds its contacts' activities: %+v", c)
	}
	if d := read(model.EntityDeal); len(d) != 0 {
		t.Errorf("no deal has activities: %+v", d)
	}
	view(t, s, func(tx *Tx) error {
		if err := tx.EachActivityTime(model.EntityTask, func(model.ID, time.Time) error { return nil }); err == nil {
			t.Error("tasks have no timeline")
		}
		return nil
	})
}

func TestOpenTaskLinks(t *testing.T) {
	s, _ := openTest(t)
	var c model.Contact
	var d model.Deal
	var open1, open2, done model.Task
	update(t, s, func(tx *Tx) error {
		c = model.Contact{Name: "A"}
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		var err error
		if d, err = model.NewDeal(tx.Pipeline(), "D", "", tx.Now()); err != nil {
			return err
		}
		if err := tx.PutDeal(&d); err != nil {
			return err
		}
		open1 = model.Task{Title: "on the deal", DealID: d.ID, ContactID: c.ID}
		open2 = model.Task{Title: "on the contact", ContactID: c.ID, Due: model.DueOn(model.Date{Year: 2026, Month: 3, Day: 1})}
		done = model.Task{Title: "done", DealID: d.ID, DoneAt: tx.Now()}
		for _, task := range []*model.Task{&open1, &open2, &done, {Title: "alone"}} {
			if err := tx.PutTask(task); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx *Tx) error {
		links, err := tx.OpenTaskLinks()
		if err != nil {
			return err
		}
		got := map[model.ID]TaskLink{}
		for _, l := range links {
			got[l.Task] = l
		}
		if len(links) != 3 || links[0].Task != open2.ID || got[open1.ID] != (TaskLink{open1.ID, d.ID, c.ID}) || got[open2.ID] != (TaskLink{Task: open2.ID, Contact: c.ID}) {
			t.Errorf("links: %+v", links)
		}
		if _, ok := got[done.ID]; ok {
			t.Error("a done task has no open link")
		}
		return nil
	})
}

// compare checks that brief yields what full does, once full's records
// are trimmed to the fields brief keeps.
func compare[T any](t *testing.T, what string, full func(func(*T) error) error, brief func() ([]T, error), trim func(*T)) {
	t.Helper()
	var want []T
	if err := full(func(r *T) error { trim(r); want = append(want, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	got, err := brief()
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatalf("%s: no records", what)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n brief %+v\n  full %+v", what, got, want)
	}
}
