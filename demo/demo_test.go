package demo

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// testNow is a fixed "today" in a zone that is not UTC, so that day and
// office-hour arithmetic is exercised away from midnight UTC.
var testNow = time.Date(2026, 3, 18, 15, 4, 5, 0, time.FixedZone("CST", 8*3600))

func openStore(t testing.TB, path string, opts store.Options) *store.Store {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	s, err := store.Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func generate(t testing.TB, s *store.Store, contacts int, seed int64) Stats {
	t.Helper()
	st, err := Generate(s, Options{Contacts: contacts, Seed: seed, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// contents reads every record of the store.
type contents struct {
	companies  []model.Company
	contacts   []model.Contact
	deals      []model.Deal
	tasks      []model.Task
	activities []model.Activity
}

func read(t testing.TB, s *store.Store) contents {
	t.Helper()
	var c contents
	err := s.View(func(tx *store.Tx) error {
		return errors.Join(
			tx.EachCompany(func(x *model.Company) error { c.companies = append(c.companies, *x); return nil }),
			tx.EachContact(func(x *model.Contact) error { c.contacts = append(c.contacts, *x); return nil }),
			tx.EachDeal(func(x *model.Deal) error { c.deals = append(c.deals, *x); return nil }),
			tx.EachTask(func(x *model.Task) error { c.tasks = append(c.tasks, *x); return nil }),
			tx.EachActivity(func(x *model.Activity) error { c.activities = append(c.activities, *x); return nil }),
		)
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	s := openStore(t, filepath.Join(t.TempDir(), "rolo.db"), store.Options{})
	var calls, last int
	st, err := Generate(s, Options{Contacts: 300, Seed: 1, Now: testNow, Progress: func(done, total int) {
		if done <= last || done > total {
			t.Errorf("progress %d of %d after %d", done, total, last)
		}
		calls++
		last = done
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{Companies: 38, Contacts: 300, Deals: 60, Tasks: 150, Activities: 600}
	if st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	if calls < 5 || last != st.Total() {
		t.Errorf("progress called %d times, last with %d; want at least one call per entity ending at %d", calls, last, st.Total())
	}
	c := read(t, s)
	got := Stats{len(c.companies), len(c.contacts), len(c.deals), len(c.tasks), len(c.activities)}
	if got != st {
		t.Errorf("the store holds %+v, Generate reported %+v", got, st)
	}
	for _, name := range []string{"深圳华强电子有限公司", "Acme Corp", "杭州云帆科技有限公司"} {
		if !slices.ContainsFunc(c.companies, func(co model.Company) bool { return co.Name == name }) {
			t.Errorf("no company %s", name)
		}
	}
	err = s.View(func(tx *store.Tx) error {
		if r := tx.Check(); !r.OK() {
			t.Errorf("Check: %s", strings.Join(r.Problems, "\n"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSearchFindsChineseInitials(t *testing.T) {
	t.Parallel()
	s := openStore(t, filepath.Join(t.TempDir(), "rolo.db"), store.Options{})
	generate(t, s, DefaultContacts, 7)
	err := s.View(func(tx *store.Tx) error {
		for q, want := range map[string]func(string) bool{
			"zw":     func(name string) bool { return strings.ContainsFunc(name, isHan) },
			"张伟":     func(name string) bool { return name == "张伟" },
			"garcia": func(name string) bool { return strings.Contains(model.Fold(name), "garcia") },
		} {
			cs, err := tx.Contacts(store.ContactQuery{Search: q})
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(cs, func(c model.Contact) bool { return want(c.Name) }) {
				t.Errorf("search %q finds %d contacts, none of the expected kind", q, len(cs))
			}
		}
		zhang, wang := 0, 0
		err := tx.EachContact(func(c *model.Contact) error {
			switch {
			case strings.HasPrefix(c.Name, "张"):
				zhang++
			case strings.HasPrefix(c.Name, "王"):
				wang++
			}
			return nil
		})
		if zhang < 5 || wang < 5 {
			t.Errorf("%d contacts named 张 and %d named 王", zhang, wang)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func TestDealsHaveHistories(t *testing.T) {
	t.Parallel()
	s := openStore(t, filepath.Join(t.TempDir(), "rolo.db"), store.Options{})
	generate(t, s, 1000, 3)
	c := read(t, s)
	p := s.Pipeline()
	born := map[model.ID]time.Time{}
	for _, ct := range c.contacts {
		born[ct.ID] = ct.CreatedAt
	}
	status := map[string]int{}
	stages := map[string]int{}
	currencies := map[string]int{}
	for _, d := range c.deals {
		status[d.Status]++
		stages[d.Stage]++
		currencies[d.Value.Currency]++
		if len(d.History) == 0 || !d.History[0].At.Equal(d.CreatedAt) {
			t.Fatalf("deal %s: history %v does not start at creation %v", d.Title, d.History, d.CreatedAt)
		}
		for i := 1; i < len(d.History); i++ {
			if !d.History[i].At.After(d.History[i-1].At) {
				t.Fatalf("deal %s: history not increasing: %v", d.Title, d.History)
			}
		}
		lastMove := d.History[len(d.History)-1]
		switch {
		case lastMove.Stage != d.Stage:
			t.Errorf("deal %s is in %s but last moved to %s", d.Title, d.Stage, lastMove.Stage)
		case lastMove.At.After(testNow):
			t.Errorf("deal %s moved in the future: %v", d.Title, lastMove.At)
		case d.CreatedAt.Before(born[d.ContactID]):
			t.Errorf("deal %s created %v, before its contact %v", d.Title, d.CreatedAt, born[d.ContactID])
		case d.CreatedAt.Before(testNow.AddDate(-2, 0, -1)):
			t.Errorf("deal %s created %v, more than two years ago", d.Title, d.CreatedAt)
		}
		st, _ := p.Stage(d.Stage)
		switch {
		case st.Closed() && !d.ClosedAt.Equal(lastMove.At):
			t.Errorf("closed deal %s: closed_at %v, last move %v", d.Title, d.ClosedAt, lastMove.At)
		case st.Lost && d.LostReason == "":
			t.Errorf("lost deal %s has no reason", d.Title)
		case !st.Closed() && (d.CloseDate.IsZero() || d.CloseDate.After(model.DateOf(testNow).AddDays(181))):
			t.Errorf("open deal %s expected to close on %v", d.Title, d.CloseDate)
		}
	}
	for _, s := range p.Stages {
		if stages[s.Key] == 0 {
			t.Errorf("no deal in stage %s: %v", s.Key, stages)
		}
	}
	if status[model.StatusWon] < len(c.deals)/8 || status[model.StatusLost] < len(c.deals)/8 || status[model.StatusOpen] < len(c.deals)/10 {
		t.Errorf("statuses %v of %d deals", status, len(c.deals))
	}
	if currencies["CNY"] < len(c.deals)/2 || currencies["USD"] == 0 || currencies["EUR"] == 0 {
		t.Errorf("currencies %v", currencies)
	}
}

func TestTasksAndActivities(t *testing.T) {
	t.Parallel()
	s := openStore(t, filepath.Join(t.TempDir(), "rolo.db"), store.Options{})
	st := generate(t, s, 1000, 5)
	c := read(t, s)
	var overdue, done, today, repeating int
	for _, task := range c.tasks {
		switch {
		case task.Overdue(testNow):
			overdue++
		case task.Done():
			done++
			if task.DoneAt.Before(task.CreatedAt) || task.DoneAt.After(testNow) {
				t.Errorf("task %q created %v, done %v", task.Title, task.CreatedAt, task.DoneAt)
			}
		case task.Due.Date == model.DateOf(testNow):
			today++
		}
		if !task.Repeat.IsZero() {
			repeating++
		}
		if task.CreatedAt.After(testNow) {
			t.Errorf("task %q created in the future: %v", task.Title, task.CreatedAt)
		}
	}
	if overdue < st.Tasks/20 || overdue > st.Tasks/6 || done < st.Tasks/5 || today == 0 || repeating == 0 {
		t.Errorf("of %d tasks %d overdue, %d done, %d open due today, %d repeating", st.Tasks, overdue, done, today, repeating)
	}

	kinds := map[string]int{}
	last := map[model.ID]time.Time{}
	var resolved, wechat int
	for _, a := range c.activities {
		kinds[a.Kind]++
		if a.At.After(testNow) || a.CreatedAt.After(testNow) {
			t.Errorf("activity %q in the future: %v", a.Body, a.At)
		}
		if a.At.After(last[a.ContactID]) {
			last[a.ContactID] = a.At
		}
		if a.State == model.ComplaintResolved {
			resolved++
		}
		if a.Channel == "wechat" && a.Kind == model.KindMessage {
			wechat++
		}
		if strings.Contains(a.Body, "{") {
			t.Errorf("activity body %q has a template key left", a.Body)
		}
	}
	for _, k := range model.ActivityKinds {
		if kinds[k] == 0 {
			t.Errorf("no %s activity: %v", k, kinds)
		}
	}
	if resolved == 0 || wechat == 0 {
		t.Errorf("%d resolved complaints, %d WeChat messages", resolved, wechat)
	}
	quiet := 0
	for _, at := range last {
		if at.Before(testNow.AddDate(0, 0, -90)) {
			quiet++
		}
	}
	if quiet < len(last)/20 {
		t.Errorf("only %d of %d contacts with activities have been quiet for 90 days", quiet, len(last))
	}
}

func TestContactsAreUsable(t *testing.T) {
	t.Parallel()
	s := openStore(t, filepath.Join(t.TempDir(), "rolo.db"), store.Options{})
	generate(t, s, 1000, 11)
	c := read(t, s)
	emails := map[string]bool{}
	chinese, linked := 0, 0
	for _, ct := range c.contacts {
		if len(ct.Emails) == 0 || len(ct.Phones) == 0 {
			t.Fatalf("contact %s has %d emails and %d phones", ct.Name, len(ct.Emails), len(ct.Phones))
		}
		for _, e := range ct.Emails {
			if emails[e.Address] {
				t.Errorf("email %s given to two contacts", e.Address)
			}
			emails[e.Address] = true
		}
		for _, p := range ct.Phones {
			if !strings.HasPrefix(p.Number, "+") {
				t.Errorf("%s: phone %q (%q) is not in E.164 form", ct.Name, p.Number, p.Original)
			}
		}
		if strings.ContainsFunc(ct.Name, isHan) {
			chinese++
		}
		if !ct.CompanyID.IsZero() {
			linked++
		}
	}
	if n := len(c.contacts); chinese < n*2/5 || chinese > n*3/5 || linked < n*3/4 {
		t.Errorf("of %d contacts %d have Chinese names and %d a company", n, chinese, linked)
	}
	domains := map[string]bool{}
	for _, co := range c.companies {
		if domains[co.Domain] {
			t.Errorf("domain %s used twice", co.Domain)
		}
		domains[co.Domain] = true
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var dumps [2]map[string]string
	for i := range dumps {
		s := openStore(t, filepath.Join(dir, fmt.Sprintf("run%d.db", i)), store.Options{})
		generate(t, s, 400, 42)
		dumps[i] = dump(t, read(t, s))
	}
	if len(dumps[0]) != 400+50+80+200+800 {
		t.Fatalf("%d records", len(dumps[0]))
	}
	for id, a := range dumps[0] {
		if b := dumps[1][id]; a != b {
			t.Fatalf("record %s differs between runs:\n%s\n%s", id, a, b)
		}
	}
	other := openStore(t, filepath.Join(dir, "other.db"), store.Options{})
	generate(t, other, 400, 43)
	if d := dump(t, read(t, other)); len(d) == len(dumps[0]) {
		for id := range d {
			if _, ok := dumps[0][id]; ok {
				t.Fatalf("seeds 42 and 43 both made record %s", id)
			}
		}
	}
}

// dump maps every record's id to its JSON without updated_at, which the
// store sets from its own clock.
func dump(t *testing.T, c contents) map[string]string {
	out := map[string]string{}
	add := func(id model.ID, rec any) {
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "updated_at")
		b, _ = json.Marshal(m)
		out[id.String()] = string(b)
	}
	for _, x := range c.companies {
		add(x.ID, x)
	}
	for _, x := range c.contacts {
		add(x.ID, x)
	}
	for _, x := range c.deals {
		add(x.ID, x)
	}
	for _, x := range c.tasks {
		add(x.ID, x)
	}
	for _, x := range c.activities {
		add(x.ID, x)
	}
	return out
}

func TestRefusesNonEmptyStore(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "rolo.db")
	s := openStore(t, path, store.Options{})
	err := s.Update(func(tx *store.Tx) error { return tx.PutContact(&model.Contact{Name: "Real Customer"}) })
	if err != nil {
		t.Fatal(err)
	}
	st, err := Generate(s, Options{Contacts: 10, Now: testNow})
	if !errors.Is(err, ErrNotEmpty) || !strings.Contains(err.Error(), path+" already holds 1 contact:") || st != (Stats{}) {
		t.Fatalf("Generate into a non-empty store: %v, %+v; want ErrNotEmpty naming %s", err, st, path)
	}
	if _, err := Generate(s, Options{Contacts: -1}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("Contacts -1: %v, want ErrInvalid", err)
	}
}

func TestTinyDemos(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 2, 7, 16} {
		s := openStore(t, filepath.Join(t.TempDir(), "rolo.db"), store.Options{})
		st := generate(t, s, n, int64(n))
		if st.Contacts != n || st.Companies < 3 || st.Activities != 2*n {
			t.Errorf("%d contacts: %+v", n, st)
		}
	}
}

// A pipeline from config.toml with other stage keys works the same.
func TestCustomPipeline(t *testing.T) {
	t.Parallel()
	p := model.Pipeline{Stages: []model.Stage{
		{Key: "new", Probability: 5}, {Key: "demo", Probability: 40},
		{Key: "signed", Probability: 100, Won: true}, {Key: "dropped", Lost: true},
	}}
	s := openStore(t, filepath.Join(t.TempDir(), "rolo.db"), store.Options{Pipeline: p})
	generate(t, s, 300, 9)
	stages := map[string]int{}
	for _, d := range read(t, s).deals {
		stages[d.Stage]++
	}
	for _, st := range p.Stages {
		if stages[st.Key] == 0 {
			t.Errorf("no deal in stage %s: %v", st.Key, stages)
		}
	}
}

// The names, without a store: about half Chinese, about 1 % Garcia.
func TestNameMix(t *testing.T) {
	t.Parallel()
	g := newGenerator(model.DefaultPipeline(), Options{Contacts: 20000, Seed: 1, Now: testNow})
	g.planFirms()
	g.planPeople()
	var chinese, garcia, zw int
	for _, p := range g.people {
		if strings.ContainsFunc(p.name, isHan) {
			chinese++
		}
		if strings.Contains(model.Fold(p.name), "garcia") {
			garcia++
		}
		if p.name == "张伟" {
			zw++
		}
	}
	n := len(g.people)
	if chinese < n*45/100 || chinese > n*55/100 || garcia < n*7/1000 || garcia > n*14/1000 || zw < 10 {
		t.Errorf("of %d people %d Chinese, %d Garcia, %d named 张伟", n, chinese, garcia, zw)
	}
}

// A few big customers bring most of the revenue, as in a real book.
func TestRevenueIsSkewed(t *testing.T) {
	t.Parallel()
	g := newGenerator(model.DefaultPipeline(), Options{Contacts: 20000, Seed: 2, Now: testNow})
	g.planFirms()
	g.planPeople()
	deals, err := g.planDeals()
	if err != nil {
		t.Fatal(err)
	}
	byCustomer := map[model.ID]float64{}
	for _, d := range deals {
		if d.Status == model.StatusWon {
			byCustomer[d.ContactID] += float64(d.Value.Minor) * perCNY[d.Value.Currency]
		}
	}
	var revenue []float64
	total := 0.0
	for _, v := range byCustomer {
		revenue = append(revenue, v)
		total += v
	}
	slices.Sort(revenue)
	slices.Reverse(revenue)
	top := 0.0
	for _, v := range revenue[:len(revenue)/5] {
		top += v
	}
	if share := top / total; share < 0.6 || share > 0.9 {
		t.Errorf("the top 20%% of %d customers bring %.0f%% of the revenue", len(revenue), share*100)
	}
	repeat := 0
	for _, p := range g.people {
		if len(p.deals) >= 3 {
			repeat++
		}
	}
	if repeat < 50 {
		t.Errorf("only %d customers have three deals or more", repeat)
	}
}

func TestPhonesAreValid(t *testing.T) {
	t.Parallel()
	g := newGenerator(model.DefaultPipeline(), Options{Contacts: 1, Now: testNow})
	for _, grp := range nameGroups {
		for range 300 {
			if n := grp.phone(g.rng); !valid(n) {
				t.Errorf("%s mobile %q is not a valid number", grp.key, n)
			}
		}
	}
	for _, places := range [][]place{cnPlaces, usPlaces, ukPlaces, dePlaces, esPlaces, frPlaces} {
		for _, p := range places {
			for range 50 {
				if n := landline(g.rng, p); !valid(n) {
					t.Errorf("%s landline %q is not a valid number", p.city, n)
				}
			}
		}
	}
}

// valid reports whether phonenumbers reads the number, as the same E.164
// number that typed works out.
func valid(phone string) bool {
	e164, ok := model.NormalizePhone(phone, "")
	return ok && e164 == typed(phone, "").Number
}
