package model

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"
)

// Two versions of each record that differ in every field group.

func otherContact(t *testing.T) Contact {
	c := Contact{
		ID: fullContact(t).ID, Name: "Li Na", Emails: []Email{{Address: "li@x.com"}}, Phones: []Phone{{Number: "(415) 555-0100"}},
		CompanyID: NewID(mar5), Title: "CTO", Tags: []string{"cold"}, Source: "web", Owner: "wang",
		Lifecycle: LifecycleChurned, Custom: map[string]string{"qq": "123"}, Birthday: Date{1990, 1, 1},
		Addresses: []Address{{City: "北京"}}, Links: []string{"https://li.example"},
		CreatedAt: mar5, UpdatedAt: fullContact(t).UpdatedAt,
	}
	if err := c.Normalize(Rules{Region: "US"}); err != nil {
		t.Fatal(err)
	}
	return c
}

func otherCompany() Company {
	a := fullCompany()
	return Company{ID: a.ID, Name: "Globex", Domain: "globex.cn", Industry: "energy", Size: "500+", Phone: "+8613800138000",
		Address: Address{City: "深圳"}, Tags: []string{}, Owner: "wang", CreatedAt: mar5, UpdatedAt: a.UpdatedAt}
}

func otherDeal(t *testing.T) Deal {
	a := fullDeal(t)
	p := DefaultPipeline()
	d, err := NewDeal(p, "Support contract", "qualified", mar5)
	if err != nil {
		t.Fatal(err)
	}
	d.ID, d.UpdatedAt = a.ID, a.UpdatedAt
	d.ContactID = NewID(mar9)
	d.Value = Money{3000, "JPY"}
	d.CloseDate = Date{2026, 9, 1}
	d.Owner, d.Source = "wang", "web"
	d.Tags = []string{"renewal"}
	if err := d.Normalize(p, Rules{}); err != nil {
		t.Fatal(err)
	}
	return d
}

func fullTask() Task {
	return Task{ID: NewID(mar1), Title: "call", Due: DueAt(time.Date(2026, 3, 2, 15, 0, 0, 0, time.Local)),
		ContactID: NewID(mar1), DealID: NewID(mar1), CompanyID: NewID(mar1), Priority: PriorityHigh, DoneAt: mar5, Repeat: Repeat{2, "week"}, Notes: "n",
		Owner: "li", CreatedAt: mar1, UpdatedAt: mar5}
}

func otherTask() Task {
	a := fullTask()
	return Task{ID: a.ID, Title: "send quote", Due: DueOn(Date{2026, 4, 1}), DealID: NewID(mar5),
		Priority: PriorityLow, Notes: "m", Owner: "wang", CreatedAt: mar5, UpdatedAt: a.UpdatedAt}
}

func otherActivity() Activity {
	a := fullActivity()
	return Activity{ID: a.ID, Kind: KindFeedback, At: mar5, ContactID: NewID(mar9), Body: "great", Score: pointerTo(9), CreatedAt: mar5}
}

// checkGroups verifies the group functions on two versions a and b of a
// record that differ in every group.
func checkGroups[T any](t *testing.T, e Entity, a, b T) {
	t.Helper()
	all := AllGroups(e)
	if m, err := ChangedGroups(e, a, a); err != nil || m != 0 {
		t.Fatalf("ChangedGroups(a, a) = %v, %v", m.Names(e), err)
	}
	if m, err := ChangedGroups(e, a, &b); err != nil || m != all {
		t.Fatalf("ChangedGroups(a, b) = %v, %v; want every group (fix the fixtures)", m.Names(e), err)
	}
	for g, grp := range Groups(e) {
		t.Run(e.String()+"/"+grp.Name, func(t *testing.T) {
			rec := a
			v, err := GroupValue(e, b, g)
			if err != nil {
				t.Fatal(err)
			}
			if err := ApplyGroup(e, &rec, g, v); err != nil {
				t.Fatal(err)
			}
			if m, _ := ChangedGroups(e, a, rec); m != 1<<g {
				t.Errorf("after applying %s, changed from a: %v", grp.Name, m.Names(e))
			}
			if m, _ := ChangedGroups(e, rec, b); m != all&^(1<<g) {
				t.Errorf("after applying %s, still differing from b: %v", grp.Name, m.Names(e))
			}
			got, _ := GroupValue(e, rec, g)
			if !bytes.Equal(got, v) {
				t.Errorf("GroupValue after ApplyGroup = %s, want %s", got, v)
			}
			fa, _ := fieldsOf(a)
			fr, _ := fieldsOf(rec)
			for _, k := range []string{"id", "updated_at"} {
				if !bytes.Equal(fa[k], fr[k]) {
					t.Errorf("%s changed from %s to %s", k, fa[k], fr[k])
				}
			}
			// Applying a's value back restores a exactly, down to nil maps and lists.
			back, _ := GroupValue(e, a, g)
			if err := ApplyGroup(e, &rec, g, back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rec, a) {
				t.Errorf("applying %s back\ngot  %+v\nwant %+v", grp.Name, rec, a)
			}
		})
	}
}

func TestGroupsRoundTrip(t *testing.T) {
	checkGroups(t, EntityContact, fullContact(t), otherContact(t))
	checkGroups(t, EntityContact, otherContact(t), fullContact(t))
	checkGroups(t, EntityCompany, fullCompany(), otherCompany())
	checkGroups(t, EntityCompany, otherCompany(), fullCompany())
	checkGroups(t, EntityDeal, fullDeal(t), otherDeal(t))
	checkGroups(t, EntityDeal, otherDeal(t), fullDeal(t))
	checkGroups(t, EntityTask, fullTask(), otherTask())
	checkGroups(t, EntityTask, otherTask(), fullTask())
	checkGroups(t, EntityActivity, fullActivity(), otherActivity())
	checkGroups(t, EntityActivity, otherActivity(), fullActivity())
}

func TestChangedGroups(t *testing.T) {
	c, d, task, act := fullContact(t), fullDeal(t), fullTask(), fullActivity()
	tests := []struct {
		name   string
		e      Entity
		old    any
		edit   func() any
		groups []string
	}{
		{"contact name", EntityContact, c, func() any { x := c; x.Name = "Z"; return x }, []string{"name"}},
		{"contact email label", EntityContact, c, func() any {
			x := c
			x.Emails = slices.Clone(c.Emails)
			x.Emails[0].Label = "home"
			return x
		}, []string{"emails"}},
		{"contact phone original", EntityContact, c, func() any {
			x := c
			x.Phones = slices.Clone(c.Phones)
			x.Phones[0].Original = "13800138000"
			return x
		}, []string{"phones"}},
		{"contact custom value", EntityContact, c, func() any {
			x := c
			x.Custom = map[string]string{"wechat": "zw88", "tier": "B"}
			return x
		}, []string{"custom"}},
		{"contact custom emptied", EntityContact, c, func() any { x := c; x.Custom = nil; return x }, []string{"custom"}},
		{"contact updated_at only", EntityContact, c, func() any { x := c; x.UpdatedAt = mar9; return x }, nil},
		{"contact tags order", EntityContact, c, func() any { x := c; x.Tags = []string{"客户", "vip"}; return x }, []string{"tags"}},
		{"contact nil and empty tags are the same", EntityContact, Contact{Name: "a"}, func() any { return Contact{Name: "a", Tags: []string{}} }, nil},
		{"contact name and title", EntityContact, c, func() any { x := c; x.Name, x.Title = "Z", "CFO"; return x }, []string{"name", "title"}},
		{"deal currency only", EntityDeal, d, func() any { x := d; x.Value.Currency = "EUR"; return x }, []string{"value"}},
		{"deal amount only", EntityDeal, d, func() any { x := d; x.Value.Minor++; return x }, []string{"value"}},
		{"deal move", EntityDeal, d, func() any {
			x := d
			x.History = slices.Clone(d.History)
			_ = x.Move(DefaultPipeline(), "proposal", mar9, "")
			return x
		}, []string{"stage"}},
		{"deal lost reason", EntityDeal, d, func() any { x := d; x.LostReason = "timing"; return x }, []string{"stage"}},
		{"deal probability cleared", EntityDeal, d, func() any { x := d; x.Probability = nil; return x }, []string{"probability"}},
		{"deal same probability, other pointer", EntityDeal, d, func() any { x := d; x.Probability = pointerTo(*d.Probability); return x }, nil},
		{"deal company", EntityDeal, d, func() any { x := d; x.CompanyID = ID{}; return x }, []string{"links"}},
		{"task reopened", EntityTask, task, func() any { x := task; x.DoneAt = time.Time{}; return x }, []string{"done"}},
		{"task repeat", EntityTask, task, func() any { x := task; x.Repeat = Repeat{}; return x }, []string{"repeat"}},
		{"task due time", EntityTask, task, func() any { x := task; x.Due = DueAt(task.Due.At.Add(time.Hour)); return x }, []string{"due"}},
		{"complaint reopened", EntityActivity, act, func() any { x := act; x.State, x.ResolvedAt = ComplaintOpen, time.Time{}; return x }, []string{"state"}},
		{"activity body", EntityActivity, act, func() any { x := act; x.Body = "x"; return x }, []string{"record"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ChangedGroups(tt.e, tt.old, tt.edit())
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Names(tt.e); !slices.Equal(got, tt.groups) {
				t.Errorf("ChangedGroups = %v, want %v", got, tt.groups)
			}
		})
	}
}

// Applying a map group replaces the map: keys only the old value had go.
func TestApplyGroupReplacesMaps(t *testing.T) {
	g := GroupIndex(EntityContact, "custom")
	for _, newCustom := range []map[string]string{{"c": "3"}, nil} {
		rec := Contact{Name: "a", Tags: []string{}, Custom: map[string]string{"a": "1", "b": "2"}}
		v, err := GroupValue(EntityContact, Contact{Name: "other", Custom: newCustom}, g)
		if err != nil {
			t.Fatal(err)
		}
		if err := ApplyGroup(EntityContact, &rec, g, v); err != nil {
			t.Fatal(err)
		}
		want := Contact{Name: "a", Tags: []string{}, Custom: newCustom}
		if !reflect.DeepEqual(rec, want) {
			t.Errorf("applying custom %v: got %+v, want %+v", newCustom, rec, want)
		}
	}
}

// A contact's emails are in one group with its plain list, so an op that
// clears the details cannot bring back the old addresses from the list.
func TestApplyGroupEmailsIgnoresStalePlainList(t *testing.T) {
	rec := fullContact(t)
	g := GroupIndex(EntityContact, "emails")
	for _, v := range []string{`{"email_details":[]}`, `{"email_details":null}`, `{}`} {
		c := rec
		if err := ApplyGroup(EntityContact, &c, g, json.RawMessage(v)); err != nil {
			t.Fatal(err)
		}
		if c.Emails != nil || c.Name != rec.Name || !reflect.DeepEqual(c.Phones, rec.Phones) {
			t.Errorf("applying %s: emails %v, name %q, phones %v", v, c.Emails, c.Name, c.Phones)
		}
	}
}

func TestApplyGroupErrors(t *testing.T) {
	d := fullDeal(t)
	value := GroupIndex(EntityDeal, "value")
	tests := []struct {
		name  string
		rec   any
		g     int
		value string
	}{
		{"not JSON", &d, value, `{"amount":`},
		{"not an object", &d, value, `[1]`},
		{"bad amount", &d, value, `{"amount":"abc","currency":"USD"}`},
		{"too many decimals", &d, value, `{"amount":"1.5","currency":"JPY"}`},
		{"bad stage history", &d, GroupIndex(EntityDeal, "stage"), `{"stage_history":"lead"}`},
		{"group out of range", &d, len(Groups(EntityDeal)), `{}`},
		{"negative group", &d, -1, `{}`},
		{"not a pointer", d, value, `{"amount":"1","currency":"USD"}`},
		{"nil pointer", (*Deal)(nil), value, `{"amount":"1","currency":"USD"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := json.Marshal(d)
			if err := ApplyGroup(EntityDeal, tt.rec, tt.g, json.RawMessage(tt.value)); err == nil {
				t.Fatal("no error")
			}
			if after, _ := json.Marshal(d); !bytes.Equal(after, before) {
				t.Errorf("a failed ApplyGroup changed the record:\n%s\n%s", before, after)
			}
		})
	}
	if _, err := GroupValue(EntityDeal, d, 99); err == nil {
		t.Error("GroupValue accepted a group out of range")
	}
	if _, err := GroupValue(Entity(99), d, 0); err == nil {
		t.Error("GroupValue accepted an unknown entity")
	}
}

// Every JSON key of every record belongs to exactly one group, except the
// id and the update time, which no op carries; a new field must be given
// a group.
func TestGroupsCoverEveryKey(t *testing.T) {
	records := map[Entity][]any{
		EntityContact: {fullContact(t)}, EntityCompany: {fullCompany()}, EntityDeal: {fullDeal(t)},
		EntityTask: {fullTask()}, EntityActivity: {fullActivity(), otherActivity()}, // a score is only on feedback
	}
	for _, e := range Entities {
		f := map[string]json.RawMessage{}
		for _, rec := range records[e] {
			fr, err := fieldsOf(rec)
			if err != nil {
				t.Fatal(err)
			}
			maps.Copy(f, fr)
		}
		owner := map[string]string{}
		for _, g := range Groups(e) {
			for _, k := range g.Keys {
				if prev, ok := owner[k]; ok {
					t.Errorf("%s: key %q is in groups %s and %s", e, k, prev, g.Name)
				}
				owner[k] = g.Name
				if _, ok := f[k]; !ok {
					t.Errorf("%s: group %s names key %q, which the full records do not have", e, g.Name, k)
				}
			}
		}
		for k := range f {
			if _, ok := owner[k]; !ok && k != "id" && k != "updated_at" {
				t.Errorf("%s: key %q is in no group", e, k)
			}
		}
	}
}

func TestGroupIndexAndMask(t *testing.T) {
	for _, e := range Entities {
		gs := Groups(e)
		if len(gs) == 0 || len(gs) > 32 {
			t.Fatalf("%s has %d groups", e, len(gs))
		}
		var names []string
		for i, g := range gs {
			if GroupIndex(e, g.Name) != i {
				t.Errorf("GroupIndex(%s, %s) = %d, want %d", e, g.Name, GroupIndex(e, g.Name), i)
			}
			names = append(names, g.Name)
		}
		if got := AllGroups(e).Names(e); !slices.Equal(got, names) {
			t.Errorf("AllGroups(%s).Names = %v, want %v", e, got, names)
		}
		if GroupIndex(e, "nope") != -1 {
			t.Errorf("GroupIndex(%s, nope) != -1", e)
		}
	}
	m := GroupMask(1)<<GroupIndex(EntityDeal, "value") | 1<<GroupIndex(EntityDeal, "stage")
	if got := m.Names(EntityDeal); !slices.Equal(got, []string{"value", "stage"}) {
		t.Errorf("Names = %v", got)
	}
	if GroupMask(0).Names(EntityDeal) != nil {
		t.Error("an empty mask has names")
	}
}

func TestEntity(t *testing.T) {
	for _, e := range Entities {
		got, err := ParseEntity(e.String())
		if err != nil || got != e {
			t.Errorf("ParseEntity(%q) = %v, %v", e.String(), got, err)
		}
		b, _ := e.MarshalText()
		var back Entity
		if err := back.UnmarshalText(b); err != nil || back != e {
			t.Errorf("UnmarshalText(%s) = %v, %v", b, back, err)
		}
	}
	if len(Entities) != 5 || Entities[0] != EntityCompany || Entities[len(Entities)-1] != EntityActivity {
		t.Errorf("Entities = %v: companies first, activities last", Entities)
	}
	_, err := ParseEntity("lead")
	expectInvalid(t, err, "entity")
	if got := Entity(42).String(); got != "entity(42)" {
		t.Errorf("String() = %q", got)
	}
}
