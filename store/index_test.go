package store

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
)

func TestEmailPhoneLookup(t *testing.T) {
	tests := []struct {
		region  string
		stored  string // as the user typed it
		lookups []string
		misses  []string
	}{
		{"CN", "138 1234 5678", []string{"13812345678", "+86 138-1234-5678", "0086 138 1234 5678", "+8613812345678"},
			[]string{"13812345679", "1234 5678"}},
		{"US", "(650) 253-0000", []string{"650.253.0000", "+1 650 253 0000", "16502530000", "+16502530000"},
			[]string{"253-0000", "+86 650 253 0000"}},
		{"CN", "+1 650 253 0000", []string{"+1 (650) 253-0000"}, nil}, // a foreign number in a CN book
		{"CN", "ext. 12", []string{"12"}, []string{"123"}},            // not a number: digits compared
	}
	for _, tt := range tests {
		t.Run(tt.region+" "+tt.stored, func(t *testing.T) {
			s, _ := openTest(t, func(o *Options) { o.Rules.Region = tt.region })
			c := putContact(t, s, model.Contact{Name: "P", Phones: []model.Phone{{Number: tt.stored}},
				Emails: []model.Email{{Address: " Mixed.Case@Example.COM "}}})
			other := putContact(t, s, model.Contact{Name: "Q", Emails: []model.Email{{Address: "other@example.com"}}})
			view(t, s, func(tx *Tx) error {
				for _, q := range tt.lookups {
					if got := tx.ContactsByPhone(q); !reflect.DeepEqual(got, []model.ID{c.ID}) {
						t.Errorf("ContactsByPhone(%q) = %v, want %v", q, got, c.ID)
					}
				}
				for _, q := range tt.misses {
					if got := tx.ContactsByPhone(q); len(got) != 0 {
						t.Errorf("ContactsByPhone(%q) = %v, want none", q, got)
					}
				}
				for _, q := range []string{"mixed.case@example.com", "MIXED.CASE@EXAMPLE.COM", " mixed.case@example.com"} {
					if got := tx.ContactsByEmail(q); !reflect.DeepEqual(got, []model.ID{c.ID}) {
						t.Errorf("ContactsByEmail(%q) = %v", q, got)
					}
				}
				for _, q := range []string{"mixed@example.com", "not an email", "", "case@example.com"} {
					if got := tx.ContactsByEmail(q); len(got) != 0 {
						t.Errorf("ContactsByEmail(%q) = %v, want none", q, got)
					}
				}
				if got := tx.ContactsByEmail("other@example.com"); !reflect.DeepEqual(got, []model.ID{other.ID}) {
					t.Errorf("other: %v", got)
				}
				return nil
			})
		})
	}
}

func TestEmailIndexFollowsEdits(t *testing.T) {
	s, _ := openTest(t)
	c := putContact(t, s, model.Contact{Name: "A", Emails: []model.Email{{Address: "old@example.com"}}})
	c.Emails = []model.Email{{Address: "new@example.com"}}
	c.Phones = []model.Phone{{Number: "13900000000"}}
	c = putContact(t, s, c)
	view(t, s, func(tx *Tx) error {
		if got := tx.ContactsByEmail("old@example.com"); len(got) != 0 {
			t.Errorf("old address still found: %v", got)
		}
		if got := tx.ContactsByEmail("new@example.com"); len(got) != 1 {
			t.Errorf("new address not found: %v", got)
		}
		if got := tx.ContactsByPhone("139 0000 0000"); len(got) != 1 {
			t.Errorf("new phone not found: %v", got)
		}
		return nil
	})
	mustCheck(t, s)
}

func TestFindDuplicateContact(t *testing.T) {
	s, _ := openTest(t)
	acme := putCompany(t, s, model.Company{Name: "Acme"})
	other := putCompany(t, s, model.Company{Name: "Other"})
	byEmail := putContact(t, s, model.Contact{Name: "Wei Zhang", Emails: []model.Email{{Address: "wei@acme.example"}}})
	byPhone := putContact(t, s, model.Contact{Name: "Wei Zhang", Phones: []model.Phone{{Number: "13812345678"}}})
	byName := putContact(t, s, model.Contact{Name: "Wei Zhang", CompanyID: acme.ID})
	tests := []struct {
		name string
		c    model.Contact
		want model.ID // zero: no duplicate
	}{
		{"same email", model.Contact{Name: "Someone Else", Emails: []model.Email{{Address: "WEI@acme.example"}}}, byEmail.ID},
		{"email wins over phone", model.Contact{Name: "X", Emails: []model.Email{{Address: "wei@acme.example"}},
			Phones: []model.Phone{{Number: "13812345678"}}}, byEmail.ID},
		{"same phone, other spelling", model.Contact{Name: "Y", Phones: []model.Phone{{Number: "+86 138 1234 5678"}}}, byPhone.ID},
		{"phone wins over name", model.Contact{Name: "Wei Zhang", CompanyID: acme.ID,
			Phones: []model.Phone{{Number: "13812345678"}}}, byPhone.ID},
		{"same name at the same company", model.Contact{Name: "wei  ZHANG", CompanyID: acme.ID}, byName.ID},
		{"same name alone", model.Contact{Name: "Wei Zhang"}, model.ID{}},
		{"same name at another company", model.Contact{Name: "Wei Zhang", CompanyID: other.ID}, model.ID{}},
		{"other email", model.Contact{Name: "Wei Zhang", Emails: []model.Email{{Address: "wei2@acme.example"}}}, model.ID{}},
		{"itself", byEmail, model.ID{}},
	}
	view(t, s, func(tx *Tx) error {
		for _, tt := range tests {
			got, ok := tx.FindDuplicateContact(&tt.c)
			if ok != !tt.want.IsZero() || got != tt.want {
				t.Errorf("%s: got %v %v, want %v", tt.name, got, ok, tt.want)
			}
		}
		return nil
	})
}

func TestTagAndCompanyIndexes(t *testing.T) {
	s, _ := openTest(t)
	acme := putCompany(t, s, model.Company{Name: "Acme", Tags: []string{"Partner"}})
	putCompany(t, s, model.Company{Name: "Beta", Tags: []string{"prospect"}})
	zoe := putContact(t, s, model.Contact{Name: "Zoe", Tags: []string{"VIP", "客户"}, CompanyID: acme.ID})
	ann := putContact(t, s, model.Contact{Name: "Ann", Tags: []string{"vip"}, CompanyID: acme.ID})
	bob := putContact(t, s, model.Contact{Name: "Bob", Tags: []string{"cold"}})
	putDeal(t, s, model.Deal{Title: "D", Tags: []string{"vip"}}) // tags of another entity

	tests := []struct {
		q    ContactQuery
		want []model.ID
	}{
		{ContactQuery{Tag: "vip"}, []model.ID{ann.ID, zoe.ID}},
		{ContactQuery{Tag: "VIP"}, []model.ID{ann.ID, zoe.ID}},
		{ContactQuery{Tag: "客户"}, []model.ID{zoe.ID}},
		{ContactQuery{Tag: "none"}, nil},
		{ContactQuery{CompanyID: acme.ID}, []model.ID{ann.ID, zoe.ID}},
		{ContactQuery{}, []model.ID{ann.ID, bob.ID, zoe.ID}},
		{ContactQuery{Limit: 2}, []model.ID{ann.ID, bob.ID}},
		{ContactQuery{Limit: 2, Offset: 2}, []model.ID{zoe.ID}},
		{ContactQuery{Offset: 5}, nil},
		{ContactQuery{Tag: "vip", Limit: 1, Offset: 1}, []model.ID{zoe.ID}},
		{ContactQuery{Tag: "cold", CompanyID: acme.ID}, nil},
		{ContactQuery{Tag: "vip", CompanyID: acme.ID}, []model.ID{ann.ID, zoe.ID}},
		{ContactQuery{Search: "o", Tag: "vip"}, []model.ID{zoe.ID}},
		{ContactQuery{Search: "o", CompanyID: acme.ID}, []model.ID{zoe.ID}},
		{ContactQuery{Search: "acme"}, []model.ID{ann.ID, zoe.ID}},
	}
	view(t, s, func(tx *Tx) error {
		for _, tt := range tests {
			if got := tx.ContactIDs(tt.q); !sameIDs(got, tt.want) {
				t.Errorf("ContactIDs(%+v) = %v, want %v", tt.q, got, tt.want)
			}
		}
		if got, want := tx.Tags(model.EntityContact), map[string]int{"vip": 2, "客户": 1, "cold": 1}; !reflect.DeepEqual(got, want) {
			t.Errorf("Tags = %v, want %v", got, want)
		}
		if got := tx.ContactsOfCompany(acme.ID); len(got) != 2 {
			t.Errorf("ContactsOfCompany = %v", got)
		}
		cs, err := tx.Companies(CompanyQuery{Tag: "partner"})
		if err != nil || len(cs) != 1 || cs[0].ID != acme.ID {
			t.Errorf("Companies(tag partner) = %v, %v", cs, err)
		}
		return nil
	})
	// Moving a contact and removing a tag updates the indexes.
	zoe.CompanyID = model.ID{}
	zoe.Tags = []string{"客户"}
	putContact(t, s, zoe)
	view(t, s, func(tx *Tx) error {
		if got := tx.ContactIDs(ContactQuery{Tag: "vip"}); !reflect.DeepEqual(got, []model.ID{ann.ID}) {
			t.Errorf("after edit, tag vip: %v", got)
		}
		if got := tx.ContactsOfCompany(acme.ID); !reflect.DeepEqual(got, []model.ID{ann.ID}) {
			t.Errorf("after edit, company: %v", got)
		}
		return nil
	})
	mustCheck(t, s)
}

// linkedWorld builds a company with a contact, a deal, tasks and
// activities, and a second contact at the same company.
type linkedWorld struct {
	co           model.Company
	c, c2        model.Contact
	deal, deal2  model.Deal
	task, task2  model.Task
	act, actDeal model.Activity
	actCompany   model.Activity
}

func buildWorld(t *testing.T, s *Store) linkedWorld {
	var w linkedWorld
	w.co = putCompany(t, s, model.Company{Name: "Acme Robotics", Tags: []string{"key"}})
	w.c = putContact(t, s, model.Contact{Name: "张伟", CompanyID: w.co.ID, Emails: []model.Email{{Address: "zw@acme.example"}}})
	w.c2 = putContact(t, s, model.Contact{Name: "Maria Garcia", CompanyID: w.co.ID})
	w.deal = putDeal(t, s, model.Deal{Title: "Robots for 张伟", ContactID: w.c.ID, Value: model.Money{Minor: 100}})
	w.deal2 = putDeal(t, s, model.Deal{Title: "Second deal", ContactID: w.c2.ID, CompanyID: w.co.ID})
	w.task = putTask(t, s, model.Task{Title: "Call 张伟", ContactID: w.c.ID, DealID: w.deal.ID, Due: model.DueOn(model.DateOf(t0))})
	w.task2 = putTask(t, s, model.Task{Title: "Company review", CompanyID: w.co.ID, DealID: w.deal2.ID})
	w.act = addActivity(t, s, model.Activity{Kind: "call", ContactID: w.c.ID, At: t0.Add(-time.Hour)})
	w.actDeal = addActivity(t, s, model.Activity{Kind: "note", DealID: w.deal2.ID, ContactID: w.c2.ID, At: t0.Add(-2 * time.Hour)})
	w.actCompany = addActivity(t, s, model.Activity{Kind: "visit", CompanyID: w.co.ID, At: t0.Add(-3 * time.Hour)})
	mustCheck(t, s)
	return w
}

func TestLinkIndexes(t *testing.T) {
	s, _ := openTest(t)
	w := buildWorld(t, s)
	if w.deal.CompanyID != w.co.ID {
		t.Errorf("a new deal with a contact did not take the contact's company")
	}
	if w.act.CompanyID != w.co.ID {
		t.Errorf("an activity logged on a contact did not show on its company")
	}
	view(t, s, func(tx *Tx) error {
		ds, _ := tx.Deals(DealQuery{ContactID: w.c.ID})
		if got := ids(ds, dealID); !reflect.DeepEqual(got, []model.ID{w.deal.ID}) {
			t.Errorf("deals of contact: %v", got)
		}
		ds, _ = tx.Deals(DealQuery{CompanyID: w.co.ID})
		if len(ds) != 2 {
			t.Errorf("deals of company: %d", len(ds))
		}
		ts, _ := tx.Tasks(TaskQuery{ContactID: w.c.ID}, t0)
		if got := ids(ts, taskID); !reflect.DeepEqual(got, []model.ID{w.task.ID}) {
			t.Errorf("tasks of contact: %v", got)
		}
		ts, _ = tx.Tasks(TaskQuery{DealID: w.deal2.ID}, t0)
		if got := ids(ts, taskID); !reflect.DeepEqual(got, []model.ID{w.task2.ID}) {
			t.Errorf("tasks of deal: %v", got)
		}
		as, _ := tx.Activities(ActivityQuery{CompanyID: w.co.ID})
		if got := ids(as, actID); !reflect.DeepEqual(got, []model.ID{w.act.ID, w.actDeal.ID, w.actCompany.ID}) {
			t.Errorf("activities of company (newest first): %v", got)
		}
		as, _ = tx.Activities(ActivityQuery{DealID: w.deal2.ID})
		if got := ids(as, actID); !reflect.DeepEqual(got, []model.ID{w.actDeal.ID}) {
			t.Errorf("activities of deal: %v", got)
		}
		return nil
	})
}

func dealID(d model.Deal) model.ID    { return d.ID }
func taskID(t model.Task) model.ID    { return t.ID }
func actID(a model.Activity) model.ID { return a.ID }

func TestDealStages(t *testing.T) {
	s, clock := openTest(t)
	a := putDeal(t, s, model.Deal{Title: "A", CloseDate: model.Date{Year: 2026, Month: 5, Day: 1}})
	b := putDeal(t, s, model.Deal{Title: "B", Stage: "Proposal"})
	c := putDeal(t, s, model.Deal{Title: "C", CloseDate: model.Date{Year: 2026, Month: 4, Day: 1}})
	if a.Stage != "lead" || b.Stage != "proposal" || len(b.History) != 1 {
		t.Fatalf("stages %q %q, history %v", a.Stage, b.Stage, b.History)
	}
	clock.Advance(time.Hour)
	seq := lastSeq(t, s)
	var moved model.Deal
	update(t, s, func(tx *Tx) error {
		var err error
		moved, err = tx.MoveDeal(a.ID, "won", "")
		return err
	})
	if moved.Status != model.StatusWon || !moved.ClosedAt.Equal(clock.Now()) || len(moved.History) != 2 {
		t.Errorf("moved: %+v", moved)
	}
	if chs := changesAfter(t, s, seq); len(chs) != 1 || chs[0].Groups != groupMask(model.EntityDeal, "stage") {
		t.Errorf("a move logged %+v, want the stage group", chs)
	}
	update(t, s, func(tx *Tx) error { _, err := tx.MoveDeal(b.ID, "lost", "budget"); return err })
	view(t, s, func(tx *Tx) error {
		for _, tt := range []struct {
			q    DealQuery
			want []model.ID
		}{
			{DealQuery{Stage: "lead"}, []model.ID{c.ID}},
			{DealQuery{Stage: "won"}, []model.ID{a.ID}},
			{DealQuery{Stage: "Won"}, []model.ID{a.ID}},
			{DealQuery{Status: "WON"}, []model.ID{a.ID}},
			{DealQuery{Stage: "proposal"}, nil},
			{DealQuery{Status: "lost"}, []model.ID{b.ID}},
			{DealQuery{Status: "open"}, []model.ID{c.ID}},
			{DealQuery{}, []model.ID{c.ID, a.ID, b.ID}}, // pipeline order
			{DealQuery{Search: "b"}, []model.ID{b.ID}},
			{DealQuery{Limit: 1}, []model.ID{c.ID}},
		} {
			ds, err := tx.Deals(tt.q)
			if err != nil {
				return err
			}
			if got := ids(ds, dealID); !sameIDs(got, tt.want) {
				t.Errorf("Deals(%+v) = %v, want %v", tt.q, got, tt.want)
			}
		}
		d, _ := tx.Deal(b.ID)
		if d.LostReason != "budget" || d.Status != model.StatusLost {
			t.Errorf("lost deal: %+v", d)
		}
		return nil
	})
	mustCheck(t, s)
}

// TestTaskRanges fixes now at Tuesday 2026-03-10 10:00 UTC.
func TestTaskRanges(t *testing.T) {
	s, clock := openTest(t)
	day := func(d int) model.Due { return model.DueOn(model.Date{Year: 2026, Month: 3, Day: d}) }
	at := func(d, h int) model.Due { return model.DueAt(time.Date(2026, 3, d, h, 0, 0, 0, time.UTC)) }
	mk := func(title string, due model.Due) model.ID {
		return putTask(t, s, model.Task{Title: title, Due: due}).ID
	}
	noDue := mk("no due", model.Due{})
	in8 := mk("in 8 days", day(18))
	in7 := mk("in 7 days", day(17))
	todayDay := mk("today, whole day", day(10))
	todayLater := mk("today 15:00", at(10, 15))
	in5 := mk("in 5 days", day(15))
	todayEarlier := mk("today 09:00", at(10, 9))
	overdue := mk("two days ago", day(8))
	yesterdayLate := mk("yesterday 23:00", at(9, 23))
	done1 := mk("done first", day(1))
	done2 := mk("done second", day(2))
	update(t, s, func(tx *Tx) error { _, _, err := tx.CompleteTask(done1); return err })
	clock.Advance(time.Minute)
	update(t, s, func(tx *Tx) error { _, _, err := tx.CompleteTask(done2); return err })
	clock.Set(t0)

	open := []model.ID{overdue, yesterdayLate, todayEarlier, todayLater, todayDay, in5, in7, in8, noDue}
	tests := []struct {
		r    TaskRange
		want []model.ID
	}{
		{TasksOverdue, []model.ID{overdue, yesterdayLate, todayEarlier}},
		{TasksToday, []model.ID{overdue, yesterdayLate, todayEarlier, todayLater, todayDay}},
		{TasksWeek, []model.ID{overdue, yesterdayLate, todayEarlier, todayLater, todayDay, in5, in7}},
		{TasksOpen, open},
		{TasksAll, append(slices.Clone(open), done2, done1)},
		{TasksDone, []model.ID{done2, done1}},
	}
	view(t, s, func(tx *Tx) error {
		for _, tt := range tests {
			ts, err := tx.Tasks(TaskQuery{Range: tt.r}, t0)
			if err != nil {
				return err
			}
			if got := ids(ts, taskID); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("range %d:\n got %v\nwant %v", tt.r, titles(tx, got), titles(tx, tt.want))
			}
		}
		ts, _ := tx.Tasks(TaskQuery{Range: TasksAll, Limit: 2}, t0)
		if len(ts) != 2 {
			t.Errorf("limit 2 gave %d", len(ts))
		}
		return nil
	})
	mustCheck(t, s)
}

func titles(tx *Tx, ids []model.ID) []string {
	var out []string
	for _, id := range ids {
		k, _ := tx.Task(id)
		out = append(out, k.Title)
	}
	return out
}

func TestCompleteRepeatingTask(t *testing.T) {
	s, _ := openTest(t)
	k := putTask(t, s, model.Task{Title: "Weekly report", Due: model.DueOn(model.Date{Year: 2026, Month: 3, Day: 9}),
		Repeat: model.Repeat{Every: 1, Unit: "week"}})
	seq := lastSeq(t, s)
	var done model.Task
	var next *model.Task
	update(t, s, func(tx *Tx) error {
		var err error
		done, next, err = tx.CompleteTask(k.ID)
		return err
	})
	if !done.Done() || next == nil || next.ID.IsZero() || next.Done() {
		t.Fatalf("done %+v, next %+v", done, next)
	}
	if want := (model.Date{Year: 2026, Month: 3, Day: 16}); next.Due.Date != want {
		t.Errorf("next due %v, want %v", next.Due.Date, want)
	}
	chs := changesAfter(t, s, seq)
	if len(chs) != 2 || chs[0].Groups != groupMask(model.EntityTask, "done") || chs[1].ID != next.ID {
		t.Errorf("change log: %+v", chs)
	}
	// Completing again does nothing: no second next occurrence.
	update(t, s, func(tx *Tx) error {
		_, again, err := tx.CompleteTask(k.ID)
		if again != nil {
			t.Error("completing a done task made another occurrence")
		}
		return err
	})
	view(t, s, func(tx *Tx) error {
		ts, _ := tx.Tasks(TaskQuery{}, t0)
		if got := ids(ts, taskID); !reflect.DeepEqual(got, []model.ID{next.ID}) {
			t.Errorf("open tasks: %v, want the next occurrence only", got)
		}
		if n := tx.CountTasks(); n != 2 {
			t.Errorf("%d tasks, want 2", n)
		}
		return nil
	})
	mustCheck(t, s)
}

func TestActivitiesNewestFirst(t *testing.T) {
	s, _ := openTest(t)
	c := putContact(t, s, model.Contact{Name: "A"})
	other := putContact(t, s, model.Contact{Name: "B"})
	view(t, s, func(tx *Tx) error {
		if _, ok := tx.LastActivity(c.ID); ok {
			t.Error("LastActivity of a contact with none")
		}
		return nil
	})
	// Logged out of order; the middle one twice at the same time.
	times := []time.Duration{-48 * time.Hour, -time.Hour, -72 * time.Hour, -time.Hour}
	var logged []model.Activity
	for _, d := range times {
		logged = append(logged, addActivity(t, s, model.Activity{Kind: "call", ContactID: c.ID, At: t0.Add(d)}))
	}
	addActivity(t, s, model.Activity{Kind: "email", ContactID: other.ID, At: t0})
	want := []model.ID{logged[3].ID, logged[1].ID, logged[0].ID, logged[2].ID}
	view(t, s, func(tx *Tx) error {
		as, err := tx.Activities(ActivityQuery{ContactID: c.ID})
		if err != nil {
			return err
		}
		if got := ids(as, actID); !reflect.DeepEqual(got, want) {
			t.Errorf("by contact: %v, want %v", got, want)
		}
		as, _ = tx.Activities(ActivityQuery{ContactID: c.ID, Limit: 2})
		if got := ids(as, actID); !reflect.DeepEqual(got, want[:2]) {
			t.Errorf("limit 2: %v", got)
		}
		all, _ := tx.Activities(ActivityQuery{})
		if len(all) != 5 || all[0].ContactID != other.ID {
			t.Errorf("all activities: %d, first %+v", len(all), all[0])
		}
		calls, _ := tx.Activities(ActivityQuery{Kind: "call", Limit: 3})
		if got := ids(calls, actID); !reflect.DeepEqual(got, want[:3]) {
			t.Errorf("kind call, limit 3: %v", got)
		}
		last, ok := tx.LastActivity(c.ID)
		if !ok || !last.Equal(t0.Add(-time.Hour)) {
			t.Errorf("LastActivity = %v %v", last, ok)
		}
		last, ok = tx.LastActivity(other.ID)
		if !ok || !last.Equal(t0) {
			t.Errorf("LastActivity(other) = %v %v", last, ok)
		}
		return nil
	})
}

// TestCascades deletes each kind of record and checks what went with it,
// what was unlinked, and that the indexes stay exact.
func TestCascades(t *testing.T) {
	t.Run("contact", func(t *testing.T) {
		s, _ := openTest(t)
		w := buildWorld(t, s)
		var r Removal
		update(t, s, func(tx *Tx) error { var err error; r, err = tx.DeleteContact(w.c.ID); return err })
		if len(r.Contacts) != 1 || len(r.Tasks) != 1 || len(r.Activities) != 1 || len(r.Deals) != 1 {
			t.Errorf("removal: %d contacts, %d tasks, %d activities, %d deals", len(r.Contacts), len(r.Tasks), len(r.Activities), len(r.Deals))
		}
		view(t, s, func(tx *Tx) error {
			if _, err := tx.Task(w.task.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("task kept: %v", err)
			}
			if _, err := tx.Activity(w.act.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("activity kept: %v", err)
			}
			d, err := tx.Deal(w.deal.ID)
			if err != nil || !d.ContactID.IsZero() || d.CompanyID != w.co.ID {
				t.Errorf("deal: %+v, %v", d, err)
			}
			if hits, _ := tx.SearchContacts("zw", 0); len(hits) != 0 {
				t.Errorf("deleted contact still found: %v", hits)
			}
			return nil
		})
		mustCheck(t, s)
		undo(t, s, r)
	})
	t.Run("company", func(t *testing.T) {
		s, _ := openTest(t)
		w := buildWorld(t, s)
		var r Removal
		update(t, s, func(tx *Tx) error { var err error; r, err = tx.DeleteCompany(w.co.ID); return err })
		if len(r.Companies) != 1 || len(r.Contacts) != 2 || len(r.Deals) != 2 || len(r.Tasks) != 1 || len(r.Activities) != 3 {
			t.Errorf("removal: %d companies, %d contacts, %d deals, %d tasks, %d activities",
				len(r.Companies), len(r.Contacts), len(r.Deals), len(r.Tasks), len(r.Activities))
		}
		view(t, s, func(tx *Tx) error {
			c, _ := tx.Contact(w.c.ID)
			if !c.CompanyID.IsZero() {
				t.Error("contact still linked")
			}
			if hits, _ := tx.SearchContacts("robotics", 0); len(hits) != 0 {
				t.Errorf("contacts still found by the deleted company's name: %v", hits)
			}
			k, _ := tx.Task(w.task2.ID)
			if !k.CompanyID.IsZero() {
				t.Error("task still linked")
			}
			if _, err := tx.Activity(w.actCompany.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("company-only activity kept: %v", err)
			}
			a, _ := tx.Activity(w.act.ID)
			if !a.CompanyID.IsZero() || a.ContactID != w.c.ID {
				t.Errorf("contact activity: %+v", a)
			}
			if got := tx.CompaniesNamed("acme robotics"); len(got) != 0 {
				t.Errorf("name index: %v", got)
			}
			return nil
		})
		mustCheck(t, s)
		undo(t, s, r)
	})
	t.Run("deal", func(t *testing.T) {
		s, _ := openTest(t)
		w := buildWorld(t, s)
		onlyDeal := addActivity(t, s, model.Activity{Kind: "note", DealID: w.deal2.ID})
		var r Removal
		update(t, s, func(tx *Tx) error { var err error; r, err = tx.DeleteDeal(w.deal2.ID); return err })
		if len(r.Deals) != 1 || len(r.Tasks) != 1 || len(r.Activities) != 2 {
			t.Errorf("removal: %d deals, %d tasks, %d activities", len(r.Deals), len(r.Tasks), len(r.Activities))
		}
		view(t, s, func(tx *Tx) error {
			if _, err := tx.Task(w.task2.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("task kept: %v", err)
			}
			if _, err := tx.Activity(onlyDeal.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("deal-only activity kept: %v", err)
			}
			a, err := tx.Activity(w.actDeal.ID)
			if err != nil || !a.DealID.IsZero() {
				t.Errorf("activity with a contact: %+v, %v", a, err)
			}
			return nil
		})
		mustCheck(t, s)
		undo(t, s, r)
	})
	t.Run("task and activity", func(t *testing.T) {
		s, _ := openTest(t)
		w := buildWorld(t, s)
		update(t, s, func(tx *Tx) error {
			if _, err := tx.DeleteTask(w.task.ID); err != nil {
				return err
			}
			_, err := tx.DeleteActivity(w.act.ID)
			return err
		})
		view(t, s, func(tx *Tx) error {
			if _, ok := tx.LastActivity(w.c.ID); ok {
				t.Error("LastActivity after deleting the only activity")
			}
			return nil
		})
		mustCheck(t, s)
	})
}

// undo puts back what a delete removed, in dependency order, as the CLI's
// undo does, and checks the indexes.
func undo(t *testing.T, s *Store, r Removal) {
	t.Helper()
	update(t, s, func(tx *Tx) error { return tx.Restore(r) })
	mustCheck(t, s)
}

func TestCompanyRenameUpdatesContactSearch(t *testing.T) {
	s, _ := openTest(t)
	w := buildWorld(t, s)
	co := w.co
	co.Name = "Globex 环球"
	putCompany(t, s, co)
	view(t, s, func(tx *Tx) error {
		if hits, _ := tx.SearchContacts("robotics", 0); len(hits) != 0 {
			t.Errorf("old company name still finds %d contacts", len(hits))
		}
		hits, _ := tx.SearchContacts("globex", 0)
		if len(hits) != 2 {
			t.Errorf("new company name finds %d contacts, want 2", len(hits))
		}
		if hits, _ := tx.SearchContacts("huanqiu", 0); len(hits) != 2 {
			t.Errorf("pinyin of the new company name finds %d contacts, want 2", len(hits))
		}
		if got := tx.CompaniesNamed("GLOBEX 环球"); len(got) != 1 {
			t.Errorf("CompaniesNamed: %v", got)
		}
		return nil
	})
	mustCheck(t, s)
}

func TestEnsureCompany(t *testing.T) {
	s, _ := openTest(t)
	var a, b model.Company
	update(t, s, func(tx *Tx) error {
		var err error
		if a, err = tx.EnsureCompany("Acme"); err != nil {
			return err
		}
		b, err = tx.EnsureCompany("ACME")
		return err
	})
	if a.ID.IsZero() || a.ID != b.ID {
		t.Errorf("EnsureCompany made two companies: %v %v", a.ID, b.ID)
	}
	mustCheck(t, s)
}

func TestResolve(t *testing.T) {
	s, _ := openTest(t)
	acme := putCompany(t, s, model.Company{Name: "Acme"})
	putCompany(t, s, model.Company{Name: "Acme Labs"})
	putCompany(t, s, model.Company{Name: "Beta Corp"})
	putCompany(t, s, model.Company{Name: "Beta Works"})
	liNa := putContact(t, s, model.Contact{Name: "Li Na", Emails: []model.Email{{Address: "lina@example.com"}},
		Phones: []model.Phone{{Number: "13912345678"}}})
	putContact(t, s, model.Contact{Name: "Li Nan"})
	putContact(t, s, model.Contact{Name: "Li Na Ying"})
	putContact(t, s, model.Contact{Name: "王芳"})
	putContact(t, s, model.Contact{Name: "王芳"})
	zhang := putContact(t, s, model.Contact{Name: "张伟"})
	deal := putDeal(t, s, model.Deal{Title: "Renewal"})
	putDeal(t, s, model.Deal{Title: "Renewal 2027"})
	putDeal(t, s, model.Deal{Title: "Pilot A"})
	putDeal(t, s, model.Deal{Title: "Pilot B"})
	task := putTask(t, s, model.Task{Title: "Send quote"})
	putTask(t, s, model.Task{Title: "Call Li"})
	putTask(t, s, model.Task{Title: "Call Wang"})

	type result struct {
		id        model.ID
		notFound  bool
		ambiguous int // candidates
	}
	tests := []struct {
		name string
		fn   func(*Tx) (model.ID, error)
		want result
	}{
		{"contact by id", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveContact(zhang.ID.String()); return c.ID, err }, result{id: zhang.ID}},
		{"contact by missing id", func(tx *Tx) (model.ID, error) {
			c, err := tx.ResolveContact(model.NewID(t0).String())
			return c.ID, err
		}, result{notFound: true}},
		{"contact by email", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveContact("LiNa@Example.com"); return c.ID, err }, result{id: liNa.ID}},
		{"contact by phone", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveContact("139 1234 5678"); return c.ID, err }, result{id: liNa.ID}},
		{"contact by exact name among partial matches", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveContact(" li na "); return c.ID, err }, result{id: liNa.ID}},
		{"contact by pinyin", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveContact("zhangwei"); return c.ID, err }, result{id: zhang.ID}},
		{"contact by initials", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveContact("zw"); return c.ID, err }, result{id: zhang.ID}},
		{"contact ambiguous", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveContact("li"); return c.ID, err }, result{ambiguous: 3}},
		{"contact two exact", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveContact("王芳"); return c.ID, err }, result{ambiguous: 2}},
		{"contact none", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveContact("nobody"); return c.ID, err }, result{notFound: true}},
		{"company by exact name", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveCompany("ACME"); return c.ID, err }, result{id: acme.ID}},
		{"company by id", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveCompany(acme.ID.String()); return c.ID, err }, result{id: acme.ID}},
		{"company ambiguous", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveCompany("beta"); return c.ID, err }, result{ambiguous: 2}},
		{"company none", func(tx *Tx) (model.ID, error) { c, err := tx.ResolveCompany("gamma"); return c.ID, err }, result{notFound: true}},
		{"deal by exact title", func(tx *Tx) (model.ID, error) { d, err := tx.ResolveDeal("renewal"); return d.ID, err }, result{id: deal.ID}},
		{"deal ambiguous", func(tx *Tx) (model.ID, error) { d, err := tx.ResolveDeal("pilot"); return d.ID, err }, result{ambiguous: 2}},
		{"deal none", func(tx *Tx) (model.ID, error) { d, err := tx.ResolveDeal("zzz"); return d.ID, err }, result{notFound: true}},
		{"task by title", func(tx *Tx) (model.ID, error) { k, err := tx.ResolveTask("quote"); return k.ID, err }, result{id: task.ID}},
		{"task by id", func(tx *Tx) (model.ID, error) { k, err := tx.ResolveTask(task.ID.String()); return k.ID, err }, result{id: task.ID}},
		{"task ambiguous", func(tx *Tx) (model.ID, error) { k, err := tx.ResolveTask("call"); return k.ID, err }, result{ambiguous: 2}},
		{"task none", func(tx *Tx) (model.ID, error) { k, err := tx.ResolveTask("dance"); return k.ID, err }, result{notFound: true}},
	}
	view(t, s, func(tx *Tx) error {
		for _, tt := range tests {
			id, err := tt.fn(tx)
			var amb *AmbiguousError
			var nf *NotFoundError
			switch {
			case tt.want.notFound:
				if !errors.Is(err, ErrNotFound) || !errors.As(err, &nf) || errors.Is(err, model.ErrInvalid) {
					t.Errorf("%s: got %v, want a NotFoundError", tt.name, err)
				}
			case tt.want.ambiguous > 0:
				if !errors.As(err, &amb) || !errors.Is(err, model.ErrInvalid) || errors.Is(err, ErrNotFound) {
					t.Errorf("%s: got %v, want an AmbiguousError", tt.name, err)
					continue
				}
				if len(amb.Candidates) != tt.want.ambiguous || amb.Total != tt.want.ambiguous {
					t.Errorf("%s: candidates %q (total %d), want %d", tt.name, amb.Candidates, amb.Total, tt.want.ambiguous)
				}
				for _, c := range amb.Candidates {
					if _, err := model.ParseID(strings.Fields(c)[0]); err != nil {
						t.Errorf("%s: candidate %q does not start with an id", tt.name, c)
					}
				}
				if !strings.Contains(amb.Error(), amb.Candidates[0]) {
					t.Errorf("%s: message %q does not list the candidates", tt.name, amb.Error())
				}
			default:
				if err != nil || id != tt.want.id {
					t.Errorf("%s: got %v, %v; want %v", tt.name, id, err, tt.want.id)
				}
			}
		}
		return nil
	})
}

func TestAmbiguousErrorListsAtMostTen(t *testing.T) {
	s, _ := openTest(t)
	update(t, s, func(tx *Tx) error {
		for range 12 {
			if err := tx.PutContact(&model.Contact{Name: "Sam Lee"}); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx *Tx) error {
		_, err := tx.ResolveContact("sam")
		var amb *AmbiguousError
		if !errors.As(err, &amb) || len(amb.Candidates) != 10 || amb.Total != 12 || !strings.Contains(err.Error(), "2 more") {
			t.Errorf("got %v", err)
		}
		return nil
	})
}

// TestDeleteCompanyWithManyTasks unlinks enough tasks to span many pages
// of the tasks bucket, mixed with tasks of other companies.
func TestDeleteCompanyWithManyTasks(t *testing.T) {
	s, _ := openTest(t)
	gone := putCompany(t, s, model.Company{Name: "Gone"})
	stays := putCompany(t, s, model.Company{Name: "Stays"})
	update(t, s, func(tx *Tx) error {
		for i := range 600 {
			co := gone.ID
			if i%3 == 0 {
				co = stays.ID
			}
			k := model.Task{Title: strings.Repeat("long title ", 10), CompanyID: co}
			if err := tx.PutTask(&k); err != nil {
				return err
			}
		}
		return nil
	})
	var r Removal
	update(t, s, func(tx *Tx) error { var err error; r, err = tx.DeleteCompany(gone.ID); return err })
	if len(r.Tasks) != 400 {
		t.Errorf("removal lists %d tasks, want 400", len(r.Tasks))
	}
	view(t, s, func(tx *Tx) error {
		linked, other := 0, 0
		err := tx.EachTask(func(k *model.Task) error {
			switch k.CompanyID {
			case gone.ID:
				linked++
			case stays.ID:
				other++
			}
			return nil
		})
		if linked != 0 || other != 200 || tx.CountTasks() != 600 {
			t.Errorf("%d tasks still linked, %d of the other company, %d in all", linked, other, tx.CountTasks())
		}
		return err
	})
	mustCheck(t, s)
}

// TestIndexesFollowLinkChanges moves records between the records they link
// to and checks every index after each move.
func TestIndexesFollowLinkChanges(t *testing.T) {
	s, _ := openTest(t)
	w := buildWorld(t, s)
	other := putCompany(t, s, model.Company{Name: "Initech"})
	steps := []struct {
		name string
		fn   func(*Tx) error
	}{
		{"contact to another company", func(tx *Tx) error {
			c, _ := tx.Contact(w.c.ID)
			c.CompanyID = other.ID
			return tx.PutContact(&c)
		}},
		{"deal to another contact", func(tx *Tx) error {
			d, _ := tx.Deal(w.deal.ID)
			d.ContactID, d.CompanyID = w.c2.ID, model.ID{}
			return tx.PutDeal(&d)
		}},
		{"task to another deal, done", func(tx *Tx) error {
			k, _ := tx.Task(w.task.ID)
			k.DealID, k.ContactID, k.DoneAt = w.deal2.ID, model.ID{}, t0
			return tx.PutTask(&k)
		}},
		{"task reopened with a new due", func(tx *Tx) error {
			k, _ := tx.Task(w.task.ID)
			k.DoneAt, k.Due = time.Time{}, model.DueAt(t0.Add(time.Hour))
			return tx.PutTask(&k)
		}},
		{"company renamed twice in one transaction", func(tx *Tx) error {
			co, _ := tx.Company(other.ID)
			co.Name = "Initrode"
			if err := tx.PutCompany(&co); err != nil {
				return err
			}
			co.Name = "英特泰克"
			return tx.PutCompany(&co)
		}},
		{"contact renamed", func(tx *Tx) error {
			c, _ := tx.Contact(w.c.ID)
			c.Name = "Wei Zhang"
			return tx.PutContact(&c)
		}},
	}
	for _, st := range steps {
		update(t, s, st.fn)
		view(t, s, func(tx *Tx) error {
			if r := tx.Check(); !r.OK() {
				t.Errorf("after %s: %v", st.name, r.Problems)
			}
			return nil
		})
	}
	view(t, s, func(tx *Tx) error {
		if got := tx.ContactsOfCompany(other.ID); !sameIDs(got, []model.ID{w.c.ID}) {
			t.Errorf("contacts of the new company: %v", got)
		}
		if hits, _ := tx.SearchContacts("yingtetaike", 0); len(hits) != 1 || hits[0].ID != w.c.ID {
			t.Errorf("search by the renamed company's pinyin: %v", hits)
		}
		if hits, _ := tx.SearchContacts("zw", 0); len(hits) != 1 {
			t.Errorf("search zw after renaming 张伟 to Wei Zhang: %v", hits) // "zw" in zw@acme.example
		}
		if hits, _ := tx.SearchContacts("张", 0); len(hits) != 0 {
			t.Errorf("the old Chinese name is still found: %v", hits)
		}
		ds, _ := tx.Deals(DealQuery{ContactID: w.c2.ID})
		if len(ds) != 2 {
			t.Errorf("deals of the second contact: %d", len(ds))
		}
		ts, _ := tx.Tasks(TaskQuery{DealID: w.deal2.ID}, t0)
		if len(ts) != 2 {
			t.Errorf("open tasks of deal 2: %d", len(ts))
		}
		return nil
	})
}

func TestChangesPaging(t *testing.T) {
	s, _ := openTest(t)
	update(t, s, func(tx *Tx) error {
		for range 7 {
			if err := tx.PutContact(&model.Contact{Name: "x"}); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx *Tx) error {
		var seen []uint64
		for after := uint64(0); ; {
			page, err := tx.Changes(after, 3)
			if err != nil {
				return err
			}
			if len(page) == 0 {
				break
			}
			if len(page) > 3 {
				t.Fatalf("page of %d", len(page))
			}
			for _, c := range page {
				seen = append(seen, c.Seq)
			}
			after = page[len(page)-1].Seq
		}
		if !slices.Equal(seen, []uint64{1, 2, 3, 4, 5, 6, 7}) || tx.LastSeq() != 7 {
			t.Errorf("sequences %v, last %d", seen, tx.LastSeq())
		}
		return nil
	})
}

func TestEachAndCount(t *testing.T) {
	s, _ := openTest(t)
	w := buildWorld(t, s)
	view(t, s, func(tx *Tx) error {
		counts := map[string][2]int{}
		n := 0
		each := func(name string, count int, walk func() error) {
			n = 0
			if err := walk(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			counts[name] = [2]int{n, count}
		}
		each("contacts", tx.CountContacts(), func() error { return tx.EachContact(func(*model.Contact) error { n++; return nil }) })
		each("companies", tx.CountCompanies(), func() error { return tx.EachCompany(func(*model.Company) error { n++; return nil }) })
		each("deals", tx.CountDeals(), func() error { return tx.EachDeal(func(*model.Deal) error { n++; return nil }) })
		each("tasks", tx.CountTasks(), func() error { return tx.EachTask(func(*model.Task) error { n++; return nil }) })
		each("activities", tx.CountActivities(), func() error { return tx.EachActivity(func(*model.Activity) error { n++; return nil }) })
		want := map[string][2]int{"contacts": {2, 2}, "companies": {1, 1}, "deals": {2, 2}, "tasks": {2, 2}, "activities": {3, 3}}
		if !reflect.DeepEqual(counts, want) {
			t.Errorf("each/count: %v, want %v", counts, want)
		}
		// Each walks in creation (id) order and stops at an error.
		var first model.ID
		stop := errors.New("stop")
		err := tx.EachContact(func(c *model.Contact) error { first = c.ID; return stop })
		if !errors.Is(err, stop) || first != w.c.ID {
			t.Errorf("EachContact: first %v, err %v", first, err)
		}
		_, err = tx.Contact(model.NewID(t0))
		if err == nil || !strings.HasPrefix(err.Error(), "no contact ") {
			t.Errorf("not found message: %v", err)
		}
		return nil
	})
}
