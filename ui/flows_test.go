package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func TestSearchFromAnywhere(t *testing.T) {
	d := drive(t, driveOptions{})
	d.waitText("Overdue follow-ups (")
	var want []string
	d.read(func(tx *store.Tx) error {
		hits, err := tx.SearchContacts("zw", 0)
		for _, h := range hits {
			c, _ := tx.Contact(h.ID)
			want = append(want, c.Name)
		}
		return err
	})
	if len(want) == 0 {
		t.Fatal("the demo data has no contact matching zw")
	}
	d.press("/") // from Today: the contact search opens
	d.typeText("zw")
	s := d.waitText(fmt.Sprintf("%d/500", len(want)))
	if !strings.Contains(s, want[0]) {
		t.Errorf("the first match %s is not shown:\n%s", want[0], s)
	}
	if !strings.ContainsRune(want[0], '张') && !strings.ContainsRune(want[0], '周') && !strings.ContainsRune(want[0], '赵') && !strings.ContainsRune(want[0], '郑') {
		t.Errorf("zw should find a Chinese name by its initials first, found %s", want[0])
	}
	// Typing more narrows the previous result; the result is the same as
	// a fresh search.
	d.typeText("e")
	var narrowed int
	d.read(func(tx *store.Tx) error {
		hits, err := tx.SearchContacts("zwe", 0)
		narrowed = len(hits)
		return err
	})
	d.waitText(fmt.Sprintf("%d/500", narrowed))
	d.press("backspace", "backspace", "backspace")
	d.waitText("500/500")
	d.press("esc")
	d.waitText("/ to search")
}

func TestCreateContactThroughForm(t *testing.T) {
	d := drive(t, driveOptions{})
	d.press("2")
	d.waitText("500/500")
	d.press("n")
	d.waitText("New contact", "┃ Name")
	d.typeText("Test Person")
	d.next("Emails")
	d.typeText("not-an-email")
	d.press("enter")
	// The model's rule is shown next to the field, which keeps the focus.
	d.waitText("┃ Emails  ✗ not-an-email: not a valid email address")
	for range len("not-an-email") {
		d.press("backspace")
	}
	d.typeText("tp@ex.com")
	d.next("Phones")
	d.typeText("138 0013 8000")
	d.next("Company")
	d.typeText("New Co")
	d.next("Title")
	d.next("Tags")
	d.press("enter")
	d.waitText("Created contact Test Person")
	var c model.Contact
	d.eventually("the contact is saved", func(tx *store.Tx) bool {
		list, _ := tx.Contacts(store.ContactQuery{Search: "tp@ex.com"})
		if len(list) == 1 {
			c = list[0]
		}
		return len(list) == 1
	})
	if c.Name != "Test Person" || len(c.Phones) != 1 || c.Phones[0].Number != "+8613800138000" {
		t.Errorf("saved %+v", c)
	}
	var company model.Company
	d.read(func(tx *store.Tx) (err error) { company, err = tx.Company(c.CompanyID); return err })
	if company.Name != "New Co" {
		t.Errorf("company %q", company.Name)
	}
	d.waitText("501/501", "▸ Test Person") // the list shows and selects it

	d.press("u")
	d.waitText("Undone: create contact Test Person")
	d.eventually("undo removes the contact and the company it made", func(tx *store.Tx) bool {
		_, err1 := tx.Contact(c.ID)
		_, err2 := tx.Company(c.CompanyID)
		return err1 != nil && err2 != nil
	})
}

func TestDuplicateEmailIsRefusedInTheForm(t *testing.T) {
	d := drive(t, driveOptions{})
	var existing model.Contact
	d.read(func(tx *store.Tx) error {
		list, err := tx.Contacts(store.ContactQuery{Limit: 50})
		for _, c := range list {
			if len(c.Emails) > 0 {
				existing = c
				break
			}
		}
		return err
	})
	d.press("2")
	d.waitText("500/500")
	d.press("n")
	d.waitText("New contact", "┃ Name")
	d.typeText("Someone Else")
	d.next("Emails")
	d.typeText(existing.Emails[0].Address)
	d.next("Phones")
	d.next("Company")
	d.next("Title")
	d.next("Tags")
	d.press("enter")
	d.waitText("┃ Emails  ✗ " + existing.Emails[0].Address + ": already belongs") // with the focus on it
	d.press("esc")
	d.waitGone("New contact")
	d.read(func(tx *store.Tx) error {
		if n := tx.CountContacts(); n != 500 {
			t.Errorf("%d contacts after a refused save", n)
		}
		return nil
	})
}

// firstDeal returns the first deal of a stage in board order.
func firstDeal(t *testing.T, d *driver, stage string) model.Deal {
	t.Helper()
	var deal model.Deal
	d.read(func(tx *store.Tx) error {
		list, err := tx.Deals(store.DealQuery{Stage: stage})
		if len(list) == 0 {
			t.Fatalf("no deal in %s", stage)
		}
		deal = list[0]
		return err
	})
	return deal
}

func TestMoveDealOnTheBoard(t *testing.T) {
	d := drive(t, driveOptions{})
	deal := firstDeal(t, d, "lead")
	d.press("4")
	d.waitText("Lead (")
	d.press("shift+right")
	d.waitText("Moved " + deal.Title)
	d.eventually("the deal moves to qualified", func(tx *store.Tx) bool {
		x, _ := tx.Deal(deal.ID)
		return x.Stage == "qualified" && len(x.History) == len(deal.History)+1
	})
	d.press("m")
	d.waitText("Move " + deal.Title + " to")
	d.press("3") // Proposal
	d.eventually("m then a stage moves it", func(tx *store.Tx) bool {
		x, _ := tx.Deal(deal.ID)
		return x.Stage == "proposal"
	})
	d.press("u")
	d.eventually("undo puts it back", func(tx *store.Tx) bool {
		x, _ := tx.Deal(deal.ID)
		return x.Stage == "qualified"
	})
}

func TestMovingToWonAsksWhy(t *testing.T) {
	d := drive(t, driveOptions{})
	deal := firstDeal(t, d, "negotiation")
	d.press("4")
	d.waitText("Negotiation (")
	d.press("right", "right", "right")
	d.press("shift+right")
	d.waitText("Why was " + deal.Title + " won?")
	d.typeText("best price")
	d.press("enter")
	d.eventually("the deal is won with the reason noted", func(tx *store.Tx) bool {
		x, _ := tx.Deal(deal.ID)
		acts, _ := tx.Activities(store.ActivityQuery{DealID: deal.ID, Kind: model.KindNote})
		return x.Status == model.StatusWon && len(acts) > 0 && acts[0].Body == "Won: best price"
	})
}

func TestCompleteAndSnoozeFollowUps(t *testing.T) {
	d := drive(t, driveOptions{})
	var first, second model.Task
	d.read(func(tx *store.Tx) error {
		list, err := tx.Tasks(store.TaskQuery{}, testNow)
		first, second = list[0], list[1]
		return err
	})
	d.press("5")
	d.waitText("Overdue (", first.Title)
	d.press("x")
	d.waitText("Done: " + first.Title)
	d.eventually("the follow-up is done", func(tx *store.Tx) bool {
		x, _ := tx.Task(first.ID)
		return x.Done()
	})
	d.press("u")
	d.eventually("undo reopens it", func(tx *store.Tx) bool {
		x, _ := tx.Task(first.ID)
		return !x.Done()
	})
	d.waitText("Undone:", first.Title)
	d.settle()
	d.press("g", "down", "s")
	d.waitText("Snooze " + second.Title + " until")
	for range len("tomorrow") {
		d.press("backspace")
	}
	d.typeText("下周五")
	friday := model.Date{Year: 2026, Month: 11, Day: 27} // testNow is a Friday
	d.waitText("(" + friday.String() + ")")
	d.press("enter")
	d.eventually("the follow-up is snoozed to Friday next week", func(tx *store.Tx) bool {
		x, _ := tx.Task(second.ID)
		return x.Due.Date == friday
	})
}

func TestDeleteAndUndo(t *testing.T) {
	d := drive(t, driveOptions{})
	d.press("2")
	d.waitText("500/500", "Email ")
	var c model.Contact
	var tasks, acts int
	d.read(func(tx *store.Tx) error {
		ids := tx.ContactIDs(store.ContactQuery{Limit: 1})
		var err error
		c, err = tx.Contact(ids[0])
		ts, _ := tx.Tasks(store.TaskQuery{Range: store.TasksAll, ContactID: c.ID}, testNow)
		as, _ := tx.Activities(store.ActivityQuery{ContactID: c.ID})
		tasks, acts = len(ts), len(as)
		return err
	})
	d.press("d")
	d.waitText("Delete the contact " + c.Name)
	d.press("y")
	d.waitText("499/499")
	d.press("u")
	d.waitText("500/500")
	d.eventually("undo brings back the contact with its follow-ups and activities", func(tx *store.Tx) bool {
		x, err := tx.Contact(c.ID)
		ts, _ := tx.Tasks(store.TaskQuery{Range: store.TasksAll, ContactID: c.ID}, testNow)
		as, _ := tx.Activities(store.ActivityQuery{ContactID: c.ID})
		return err == nil && x.Name == c.Name && len(ts) == tasks && len(as) == acts
	})
}

func TestLogActivityAndFollowUp(t *testing.T) {
	d := drive(t, driveOptions{})
	d.press("2")
	d.waitText("500/500", "Email ")
	var c model.Contact
	d.read(func(tx *store.Tx) (err error) {
		c, err = tx.Contact(tx.ContactIDs(store.ContactQuery{Limit: 1})[0])
		return err
	})
	d.press("l")
	d.waitText("Log an activity", "For: "+c.Name, "┃ Kind") // huh skips the note
	d.next("Direction")
	d.next("When")
	d.next("Channel")
	d.next("Score")
	d.next("Text")
	d.typeText("Renewal")
	d.press("enter")
	d.waitText("Logged a call for " + c.Name)
	d.eventually("the call is logged", func(tx *store.Tx) bool {
		as, _ := tx.Activities(store.ActivityQuery{ContactID: c.ID, Limit: 1})
		return len(as) == 1 && as[0].Body == "Renewal" && as[0].Kind == model.KindCall && as[0].At.Equal(testNow.UTC())
	})
	d.press("t")
	d.waitText("New follow-up", "┃ Follow-up")
	d.typeText("Contract")
	d.next("Due")
	d.typeText("明天下午3点")
	d.next("Priority")
	d.next("Repeats")
	d.next("Notes")
	d.press("enter")
	d.waitText("Created follow-up Contract")
	d.eventually("the follow-up is saved for the contact", func(tx *store.Tx) bool {
		ts, _ := tx.Tasks(store.TaskQuery{ContactID: c.ID}, testNow)
		for _, x := range ts {
			if x.Title == "Contract" {
				return x.Due.HasTime() && x.Due.At.Equal(time.Date(2026, 11, 21, 15, 0, 0, 0, testZone))
			}
		}
		return false
	})
}

func TestChangesByAnotherProcessAppear(t *testing.T) {
	st := demoStore(t, 500)
	d := drive(t, driveOptions{store: st})
	d.press("2")
	d.waitText("500/500")
	// Another process: a second handle on the same file.
	other, err := store.Open(st.Path(), testStoreOptions(testConfig()))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	err = other.Update(func(tx *store.Tx) error {
		return tx.PutContact(&model.Contact{Name: "Zed Outsider", Emails: []model.Email{{Address: "zed@outside.org"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	d.waitText("501/501")
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("the new contact took %s to show", waited)
	}
	d.press("/")
	d.typeText("zed")
	d.waitText("Zed Outsider")
}

func TestKeysFromConfig(t *testing.T) {
	cfg := testConfig()
	cfg.Keys = map[string]string{"new": "a, ctrl+n", "nonsense": "z"}
	d := drive(t, driveOptions{config: cfg})
	d.waitText(`unknown action "nonsense"`)
	d.press("2")
	d.waitText("500/500")
	d.press("n") // no longer bound
	d.press("a")
	d.waitText("New contact")
	d.press("esc")
	d.press("?")
	d.waitText("a/ctrl+n")
}

func TestBusyDatabaseCanBeRetried(t *testing.T) {
	st := demoStore(t, 500)
	d := drive(t, driveOptions{store: st})
	d.press("5")
	var first model.Task
	d.read(func(tx *store.Tx) error {
		list, err := tx.Tasks(store.TaskQuery{}, testNow)
		first = list[0]
		return err
	})
	d.waitText(first.Title)
	// Another process holds the file for a long write.
	opts := testStoreOptions(testConfig())
	opts.Transient = false
	holder, err := store.Open(st.Path(), opts)
	if err != nil {
		t.Fatal(err)
	}
	d.press("x")
	d.waitText("The database is busy")
	holder.Close()
	// The busy message may come first from the once-a-second check for
	// changes (r then reloads) and the write's own failure a moment
	// later (r then retries it): press r until the write has gone
	// through, as a user would.
	done := func() bool {
		ok := false
		d.read(func(tx *store.Tx) error {
			x, err := tx.Task(first.ID)
			ok = err == nil && x.Done()
			return nil
		})
		return ok
	}
	for deadline := time.Now().Add(waitTimeout); !done(); {
		if time.Now().After(deadline) {
			t.Fatalf("the retried write never went through; the screen is:\n%s", d.scr.text())
		}
		d.press("r")
		time.Sleep(300 * time.Millisecond)
	}
	d.waitText("Done: " + first.Title)
}

func TestMouse(t *testing.T) {
	d := drive(t, driveOptions{})
	d.press("2")
	s := d.waitText("500/500", "Email ")
	lines := strings.Split(s, "\n")
	// Row 3 of the screen is the second contact of the list (tab bar,
	// search box, first row).
	name := strings.TrimSpace(lines[3][2 : strings.Index(lines[3], "  ")+2])
	d.tm.Send(tea.MouseClickMsg{X: 4, Y: 3, Button: tea.MouseLeft})
	d.waitFor("the clicked contact's details", func(s string) bool {
		l := strings.Split(s, "\n")
		return strings.Contains(l[1], name) && strings.HasPrefix(l[3], "▸")
	})
	d.tm.Send(tea.MouseWheelMsg{X: 4, Y: 5, Button: tea.MouseWheelDown})
	d.waitFor("the list scrolled", func(s string) bool {
		return !strings.Contains(strings.Split(s, "\n")[2], strings.TrimSpace(lines[2][2:12]))
	})
	d.tm.Send(tea.MouseClickMsg{X: 45, Y: 0, Button: tea.MouseLeft}) // the Deals tab
	d.waitText("Negotiation (")
}

func TestResizes(t *testing.T) {
	d := drive(t, driveOptions{lang: i18n.Chinese, w: 80, h: 24})
	for i := range viewCount {
		d.press(fmt.Sprint(i + 1))
		for _, size := range []struct{ w, h int }{{200, 60}, {80, 24}, {95, 30}} {
			d.tm.Send(tea.WindowSizeMsg{Width: size.w, Height: size.h})
			s := d.waitFor("a frame of the new size", func(s string) bool { return len(strings.Split(s, "\n")) == size.h })
			checkScreen(t, s, size.w, size.h)
		}
	}
	// Far smaller than anyone works in: nothing breaks, nothing overflows.
	d.press("?")
	for _, size := range []struct{ w, h int }{{30, 8}, {12, 4}} {
		d.tm.Send(tea.WindowSizeMsg{Width: size.w, Height: size.h})
		s := d.waitFor("a tiny frame", func(s string) bool {
			return len(strings.Split(s, "\n")[0]) > 0 && width(strings.Split(s, "\n")[0]) <= size.w
		})
		for i, l := range strings.Split(s, "\n") {
			if n := width(l); n > size.w {
				t.Errorf("%dx%d: line %d is %d cells wide", size.w, size.h, i+1, n)
			}
		}
	}
}
