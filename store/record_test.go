package store

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// crudCase drives one entity through create, read, a no-op update, a real
// update, delete and undelete.
type crudCase[T any] struct {
	t      *table[T]
	put    func(*Tx, *T) error
	get    func(*Tx, model.ID) (T, error)
	del    func(*Tx, model.ID) (Removal, error)
	rec    T
	modify func(*T) // changes exactly the groups in groups
	groups []string
}

func (c crudCase[T]) run(t *testing.T) {
	s, clock := openTest(t)
	e := c.t.entity
	rec := c.rec
	seq0 := lastSeq(t, s)

	// Create.
	update(t, s, func(tx *Tx) error { return c.put(tx, &rec) })
	id := *c.t.idOf(&rec)
	if id.IsZero() {
		t.Fatal("no id assigned")
	}
	created, updated := c.t.times(&rec)
	if !created.Equal(t0) {
		t.Errorf("created_at %v, want %v", created, t0)
	}
	if updated != nil && !updated.Equal(t0) {
		t.Errorf("updated_at %v, want %v", updated, t0)
	}
	c.mustGet(t, s, id, rec)
	chs := changesAfter(t, s, seq0)
	if len(chs) != 1 || chs[0].Entity != e || chs[0].ID != id || chs[0].Groups != model.AllGroups(e) || chs[0].Deleted {
		t.Fatalf("change log after create: %+v", chs)
	}
	first := chs[0].Stamp
	if first.Replica != s.Replica() {
		t.Errorf("stamp replica %v, want %v", first.Replica, s.Replica())
	}

	// Saving the record unchanged writes nothing.
	clock.Advance(time.Minute)
	seq1 := lastSeq(t, s)
	var again T
	update(t, s, func(tx *Tx) error {
		var err error
		if again, err = c.get(tx, id); err != nil {
			return err
		}
		return c.put(tx, &again)
	})
	if chs := changesAfter(t, s, seq1); len(chs) != 0 {
		t.Errorf("an update that changes nothing logged %+v", chs)
	}
	if _, u := c.t.times(&again); u != nil && !u.Equal(t0) {
		t.Errorf("an update that changes nothing moved updated_at to %v", u)
	}

	// Update.
	clock.Advance(time.Hour)
	later := clock.Now()
	update(t, s, func(tx *Tx) error {
		var err error
		if rec, err = c.get(tx, id); err != nil {
			return err
		}
		c.modify(&rec)
		return c.put(tx, &rec)
	})
	created, updated = c.t.times(&rec)
	if !created.Equal(t0) {
		t.Errorf("update moved created_at to %v", created)
	}
	if updated != nil && !updated.Equal(later) {
		t.Errorf("updated_at %v, want %v", updated, later)
	}
	c.mustGet(t, s, id, rec)
	want := groupMask(e, c.groups...)
	chs = changesAfter(t, s, seq1)
	if len(chs) != 1 || chs[0].Groups != want {
		t.Fatalf("change log after update: %+v, want groups %v", chs, c.groups)
	}
	second := chs[0].Stamp
	if second.Compare(first) <= 0 {
		t.Errorf("update stamp %v not after create stamp %v", second.HLC, first.HLC)
	}
	view(t, s, func(tx *Tx) error {
		_, st, _, err := c.t.getStamped(tx, id)
		if err != nil {
			return err
		}
		for g := range model.Groups(e) {
			wantStamp := first
			if want&(1<<g) != 0 {
				wantStamp = second
			}
			if st.Of(g) != wantStamp {
				t.Errorf("group %s stamped %v, want %v", model.Groups(e)[g].Name, st.Of(g).HLC, wantStamp.HLC)
			}
		}
		return nil
	})

	// Delete.
	seq2 := lastSeq(t, s)
	update(t, s, func(tx *Tx) error {
		r, err := c.del(tx, id)
		if err == nil && reflect.ValueOf(r).IsZero() {
			t.Error("delete returned an empty Removal")
		}
		return err
	})
	view(t, s, func(tx *Tx) error {
		if _, err := c.get(tx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("get after delete: %v, want ErrNotFound", err)
		}
		ts, ok := tx.Tombstone(e, id)
		if !ok || ts.Compare(second) <= 0 {
			t.Errorf("tombstone %v %v, want one after %v", ts.HLC, ok, second.HLC)
		}
		return nil
	})
	chs = changesAfter(t, s, seq2)
	if len(chs) != 1 || !chs[0].Deleted || chs[0].ID != id || chs[0].Groups != model.AllGroups(e) {
		t.Fatalf("change log after delete: %+v", chs)
	}
	if err := s.Update(func(tx *Tx) error { _, err := c.del(tx, id); return err }); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting a deleted record: %v, want ErrNotFound", err)
	}
	mustCheck(t, s)

	// Undelete: writing the same id again brings it back and clears the tombstone.
	update(t, s, func(tx *Tx) error { return c.put(tx, &rec) })
	view(t, s, func(tx *Tx) error {
		if _, ok := tx.Tombstone(e, id); ok {
			t.Error("tombstone left after undelete")
		}
		if _, err := c.get(tx, id); err != nil {
			t.Errorf("get after undelete: %v", err)
		}
		return nil
	})
	chs = changesAfter(t, s, seq2)
	if len(chs) != 2 || chs[1].Deleted || chs[1].Groups != model.AllGroups(e) {
		t.Errorf("change log after undelete: %+v", chs)
	}
	mustCheck(t, s)
}

func (c crudCase[T]) mustGet(t *testing.T, s *Store, id model.ID, want T) {
	t.Helper()
	view(t, s, func(tx *Tx) error {
		got, err := c.get(tx, id)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("stored record differs:\n got %+v\nwant %+v", got, want)
		}
		return nil
	})
}

func TestCRUD(t *testing.T) {
	t.Run("contact", crudCase[model.Contact]{
		t: contacts, put: (*Tx).PutContact, get: (*Tx).Contact, del: (*Tx).DeleteContact,
		rec: model.Contact{
			Name: " 张伟 ", Emails: []model.Email{{Address: "Zhang.Wei@Example.CN", Label: "work"}},
			Phones: []model.Phone{{Number: "138 1234 5678"}}, Tags: []string{"vip", "VIP", "客户"},
			Custom: map[string]string{"微信": "zw88"}, Birthday: model.Date{Year: 1990, Month: 5, Day: 1},
			Addresses: []model.Address{{City: "上海"}}, Links: []string{"https://example.cn"},
		},
		modify: func(c *model.Contact) { c.Title = "经理" },
		groups: []string{"title"},
	}.run)
	t.Run("company", crudCase[model.Company]{
		t: companies, put: (*Tx).PutCompany, get: (*Tx).Company, del: (*Tx).DeleteCompany,
		rec:    model.Company{Name: "阿里巴巴", Domain: "https://www.Alibaba.com/about", Tags: []string{"大客户"}},
		modify: func(c *model.Company) { c.Address = model.Address{City: "杭州"}; c.Industry = "电商" },
		groups: []string{"address", "industry"},
	}.run)
	t.Run("deal", crudCase[model.Deal]{
		t: deals, put: (*Tx).PutDeal, get: (*Tx).Deal, del: (*Tx).DeleteDeal,
		rec:    model.Deal{Title: "Pilot", Value: model.Money{Minor: 500000}, Stage: "qualified", Probability: ptr(0)},
		modify: func(d *model.Deal) { d.Value.Minor = 700000; d.CloseDate = model.Date{Year: 2026, Month: 6, Day: 30} },
		groups: []string{"value", "close_date"},
	}.run)
	t.Run("task", crudCase[model.Task]{
		t: tasks, put: (*Tx).PutTask, get: (*Tx).Task, del: (*Tx).DeleteTask,
		rec: model.Task{Title: "Call back", Due: model.DueAt(t0.Add(2 * time.Hour)), Repeat: model.Repeat{Every: 1, Unit: "week"}},
		modify: func(k *model.Task) {
			k.Due = model.DueOn(model.Date{Year: 2026, Month: 4, Day: 1})
			k.Priority = model.PriorityHigh
		},
		groups: []string{"due", "priority"},
	}.run)
}

// TestCRUDActivity is TestCRUD for activities, which need a contact to
// link to and change only their complaint state.
func TestCRUDActivity(t *testing.T) {
	s, clock := openTest(t)
	c := putContact(t, s, model.Contact{Name: "Li Na"})
	seq0 := lastSeq(t, s)
	a := addActivity(t, s, model.Activity{Kind: "complaint", ContactID: c.ID, Body: "发货慢"})
	if a.ID.IsZero() || !a.At.Equal(t0) || !a.CreatedAt.Equal(t0) || a.State != model.ComplaintOpen {
		t.Fatalf("added %+v", a)
	}
	clock.Advance(time.Hour)
	var resolved model.Activity
	update(t, s, func(tx *Tx) error {
		var err error
		resolved, err = tx.ResolveComplaint(a.ID)
		return err
	})
	if resolved.State != model.ComplaintResolved || !resolved.ResolvedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("resolved %+v", resolved)
	}
	chs := changesAfter(t, s, seq0)
	if len(chs) != 2 || chs[0].Groups != model.AllGroups(model.EntityActivity) || chs[1].Groups != groupMask(model.EntityActivity, "state") {
		t.Errorf("change log: %+v", chs)
	}
	update(t, s, func(tx *Tx) error { _, err := tx.DeleteActivity(a.ID); return err })
	view(t, s, func(tx *Tx) error {
		if _, err := tx.Activity(a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		if _, ok := tx.Tombstone(model.EntityActivity, a.ID); !ok {
			t.Error("no tombstone")
		}
		return nil
	})
	mustCheck(t, s)
}

// TestChangedGroups checks that each edit logs exactly the groups it
// changed.
func TestChangedGroups(t *testing.T) {
	s, _ := openTest(t)
	co := putCompany(t, s, model.Company{Name: "Acme"})
	base := model.Contact{Name: "Maria Garcia", Emails: []model.Email{{Address: "maria@acme.example"}}}
	tests := []struct {
		name   string
		edit   func(*model.Contact)
		groups []string
	}{
		{"nothing", func(*model.Contact) {}, nil},
		{"name", func(c *model.Contact) { c.Name = "María García" }, []string{"name"}},
		{"name re-spaced only", func(c *model.Contact) { c.Name = "  " + c.Name + " " }, nil},
		{"email label", func(c *model.Contact) { c.Emails[0].Label = "work" }, []string{"emails"}},
		{"email case only", func(c *model.Contact) { c.Emails[0].Address = "MARIA@acme.example" }, nil},
		{"phone", func(c *model.Contact) { c.Phones = []model.Phone{{Number: "13812345678"}} }, []string{"phones"}},
		{"company", func(c *model.Contact) { c.CompanyID = co.ID }, []string{"company"}},
		{"tags", func(c *model.Contact) { c.Tags = []string{"x"} }, []string{"tags"}},
		{"custom", func(c *model.Contact) { c.Custom = map[string]string{"a": "b"} }, []string{"custom"}},
		{"birthday", func(c *model.Contact) { c.Birthday = model.Date{Year: 2000, Month: 1, Day: 2} }, []string{"birthday"}},
		{"address", func(c *model.Contact) { c.Addresses = []model.Address{{City: "Madrid"}} }, []string{"addresses"}},
		{"links", func(c *model.Contact) { c.Links = []string{"https://x.example"} }, []string{"links"}},
		{"lifecycle", func(c *model.Contact) { c.Lifecycle = "lead" }, []string{"lifecycle"}},
		{"three at once", func(c *model.Contact) { c.Title = "CEO"; c.Source = "web"; c.Owner = "me" },
			[]string{"title", "source", "owner"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := putContact(t, s, base)
			seq := lastSeq(t, s)
			update(t, s, func(tx *Tx) error {
				cur, err := tx.Contact(c.ID)
				if err != nil {
					return err
				}
				tt.edit(&cur)
				return tx.PutContact(&cur)
			})
			chs := changesAfter(t, s, seq)
			if len(tt.groups) == 0 {
				if len(chs) != 0 {
					t.Errorf("logged %v, want nothing", chs[0].Groups.Names(model.EntityContact))
				}
				return
			}
			if len(chs) != 1 {
				t.Fatalf("logged %d changes, want 1", len(chs))
			}
			if got, want := chs[0].Groups, groupMask(model.EntityContact, tt.groups...); got != want {
				t.Errorf("logged groups %v, want %v", got.Names(model.EntityContact), tt.groups)
			}
		})
	}
	mustCheck(t, s)
}

// TestUpdateKeepsCreatedAt saves a record built from scratch under an
// existing id: it must keep the stored created_at.
func TestUpdateKeepsCreatedAt(t *testing.T) {
	s, clock := openTest(t)
	c := putContact(t, s, model.Contact{Name: "Tom"})
	clock.Advance(24 * time.Hour)
	seq := lastSeq(t, s)
	edited := putContact(t, s, model.Contact{ID: c.ID, Name: "Tom", Title: "CTO"})
	if !edited.CreatedAt.Equal(t0) {
		t.Errorf("created_at %v, want %v", edited.CreatedAt, t0)
	}
	if chs := changesAfter(t, s, seq); len(chs) != 1 || chs[0].Groups != groupMask(model.EntityContact, "title") {
		t.Errorf("change log: %+v", chs)
	}
}

// TestClockMonotonic checks that stamps increase across transactions,
// within one transaction, and across reopening the file even when the
// wall clock steps back.
func TestClockMonotonic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rolo.db")
	clock := newClock(t0)
	s, err := Open(path, Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	var stamps []HLC
	write := func(s *Store, n int) {
		t.Helper()
		update(t, s, func(tx *Tx) error {
			for range n {
				if err := tx.PutContact(&model.Contact{Name: "x"}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	write(s, 3) // same wall time: the counter moves
	write(s, 1)
	clock.Advance(time.Second)
	write(s, 1)
	var before HLC
	view(t, s, func(tx *Tx) error { before = tx.Clock(); return nil })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	clock.Set(t0.Add(-48 * time.Hour)) // the wall clock steps back
	s, err = Open(path, Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	write(s, 2)
	clock.Set(t0.Add(-72 * time.Hour))
	write(s, 1)
	for _, ch := range changesAfter(t, s, 0) {
		stamps = append(stamps, ch.Stamp.HLC)
	}
	if len(stamps) != 8 {
		t.Fatalf("%d changes, want 8", len(stamps))
	}
	for i := 1; i < len(stamps); i++ {
		if stamps[i] <= stamps[i-1] {
			t.Errorf("stamp %d (%v) not after stamp %d (%v)", i, stamps[i], i-1, stamps[i-1])
		}
	}
	if stamps[5] <= before {
		t.Errorf("first stamp after reopening %v, not after the stored clock %v", stamps[5], before)
	}
	var after HLC
	view(t, s, func(tx *Tx) error { after = tx.Clock(); return nil })
	if after != stamps[len(stamps)-1] {
		t.Errorf("stored clock %v, want the last stamp %v", after, stamps[len(stamps)-1])
	}
	if stamps[0] != MakeHLC(t0) || stamps[1] != MakeHLC(t0)+1 {
		t.Errorf("first stamps %v %v, want %v and the next count", stamps[0], stamps[1], MakeHLC(t0))
	}
}

// TestObserve checks that a reading from another replica moves the clock.
func TestObserve(t *testing.T) {
	s, _ := openTest(t)
	future := MakeHLC(t0.Add(time.Hour)) + 5
	update(t, s, func(tx *Tx) error { tx.Observe(future); return nil })
	c := putContact(t, s, model.Contact{Name: "after"})
	chs := changesAfter(t, s, 0)
	if len(chs) != 1 || chs[0].Stamp.HLC != future+1 || chs[0].ID != c.ID {
		t.Errorf("stamp after observing %v: %+v", future, chs)
	}
}

func TestHLC(t *testing.T) {
	h := MakeHLC(t0)
	if !h.Time().Equal(t0) || h.Counter() != 0 {
		t.Errorf("MakeHLC(%v) = %v", t0, h)
	}
	if got := h.Next(t0); got != h+1 {
		t.Errorf("Next at the same time: %v", got)
	}
	if got := h.Next(t0.Add(-time.Hour)); got != h+1 {
		t.Errorf("Next at an earlier time: %v", got)
	}
	if got := h.Next(t0.Add(time.Millisecond)); got != MakeHLC(t0.Add(time.Millisecond)) {
		t.Errorf("Next at a later time: %v", got)
	}
	r := Replica{0xde, 0xad, 0xbe, 0xef}
	back, err := ParseReplica(r.String())
	if err != nil || back != r {
		t.Errorf("ParseReplica(%s) = %v, %v", r, back, err)
	}
	for _, bad := range []string{"xyz", "zz0000000000000000000000000000zz"} {
		if _, err := ParseReplica(bad); err == nil {
			t.Errorf("ParseReplica accepts %s", bad)
		}
	}
	var text Replica
	if err := text.UnmarshalText([]byte(r.String())); err != nil || text != r {
		t.Errorf("UnmarshalText: %v, %v", text, err)
	}
	a, b := Stamp{HLC: 5, Replica: Replica{1}}, Stamp{HLC: 5, Replica: Replica{2}}
	if a.Compare(b) >= 0 || b.Compare(a) <= 0 || a.Compare(a) != 0 {
		t.Error("ties do not break on the replica id")
	}
}

func TestValidationErrors(t *testing.T) {
	s, _ := openTest(t)
	missing := model.NewID(t0)
	tests := []struct {
		name     string
		fn       func(*Tx) error
		notFound bool
	}{
		{"contact without name", func(tx *Tx) error { return tx.PutContact(&model.Contact{Name: " "}) }, false},
		{"bad email", func(tx *Tx) error {
			return tx.PutContact(&model.Contact{Name: "a", Emails: []model.Email{{Address: "nope"}}})
		}, false},
		{"contact at a missing company", func(tx *Tx) error {
			return tx.PutContact(&model.Contact{Name: "a", CompanyID: missing})
		}, true},
		{"deal in an unknown stage", func(tx *Tx) error { return tx.PutDeal(&model.Deal{Title: "d", Stage: "nowhere"}) }, false},
		{"deal for a missing contact", func(tx *Tx) error { return tx.PutDeal(&model.Deal{Title: "d", ContactID: missing}) }, true},
		{"task without title", func(tx *Tx) error { return tx.PutTask(&model.Task{}) }, false},
		{"task for a missing deal", func(tx *Tx) error { return tx.PutTask(&model.Task{Title: "t", DealID: missing}) }, true},
		{"activity linked to nothing", func(tx *Tx) error { return tx.AddActivity(&model.Activity{Kind: "call"}) }, false},
		{"activity for a missing contact", func(tx *Tx) error {
			return tx.AddActivity(&model.Activity{Kind: "call", ContactID: missing})
		}, true},
		{"move a missing deal", func(tx *Tx) error { _, err := tx.MoveDeal(missing, "won", ""); return err }, true},
		{"complete a missing task", func(tx *Tx) error { _, _, err := tx.CompleteTask(missing); return err }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Update(tt.fn)
			if tt.notFound && !errors.Is(err, ErrNotFound) {
				t.Errorf("got %v, want ErrNotFound", err)
			}
			if !tt.notFound && !errors.Is(err, model.ErrInvalid) {
				t.Errorf("got %v, want model.ErrInvalid", err)
			}
		})
	}
	view(t, s, func(tx *Tx) error {
		if n := tx.LastSeq(); n != 0 {
			t.Errorf("failed writes logged %d changes", n)
		}
		return nil
	})
}
