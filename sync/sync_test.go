package sync_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// TestTwoReps is the basic story: two reps edit the same contact and
// deal offline, sync, and end with the same data, each seeing the
// conflict over the field both changed.
func TestTwoReps(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		c := newClock()
		tm := newTeam(t, b, c)
		li := newReplica(t, "li", c.Now)
		sam := newReplica(t, "sam", c.Now)

		var contact model.Contact
		var deal model.Deal
		li.update(t, func(tx *store.Tx) error {
			co, err := tx.EnsureCompany("Acme Corp")
			if err != nil {
				return err
			}
			contact = model.Contact{Name: "Maria Garcia", CompanyID: co.ID, Emails: []model.Email{{Address: "maria@acme.com"}}}
			if err := tx.PutContact(&contact); err != nil {
				return err
			}
			deal = model.Deal{Title: "ERP rollout", ContactID: contact.ID, Stage: "proposal"}
			return tx.PutDeal(&deal)
		})
		li.sync(t, tm.client(t))
		sam.sync(t, tm.client(t))
		sameRecords(t, []string{"li", "sam"}, li.records(t), sam.records(t))

		// Offline: both retitle Maria; Li tags her, Sam moves the deal.
		li.update(t, func(tx *store.Tx) error {
			ct, _ := tx.Contact(contact.ID)
			ct.Title = "CTO"
			ct.Tags = []string{"vip"}
			return tx.PutContact(&ct)
		})
		sam.update(t, func(tx *store.Tx) error {
			ct, _ := tx.Contact(contact.ID)
			ct.Title = "Chief Technology Officer"
			if err := tx.PutContact(&ct); err != nil {
				return err
			}
			_, err := tx.MoveDeal(deal.ID, "negotiation", "")
			return err
		})
		r1 := li.sync(t, tm.client(t))
		r2 := sam.sync(t, tm.client(t))
		r3 := li.sync(t, tm.client(t))
		if r1.Conflicts != 0 || r2.Conflicts != 1 || r3.Conflicts != 1 {
			t.Fatalf("conflicts: li %d, sam %d, li again %d; want 0, 1, 1", r1.Conflicts, r2.Conflicts, r3.Conflicts)
		}
		recs := li.records(t)
		sameRecords(t, []string{"li", "sam", "server"}, recs, sam.records(t), tm.serverRecords(t))
		var got model.Contact
		if err := json.Unmarshal([]byte(recs["contact/"+contact.ID.String()]), &got); err != nil {
			t.Fatal(err)
		}
		if got.Title != "Chief Technology Officer" || len(got.Tags) != 1 {
			t.Fatalf("merged contact: %+v", got)
		}
		for _, r := range []*replica{li, sam} {
			var cs []store.Conflict
			r.st.View(func(tx *store.Tx) (err error) {
				cs, err = tx.Conflicts()
				return err
			})
			if len(cs) != 1 || cs[0].Group != "title" || cs[0].ID != contact.ID {
				t.Fatalf("%s's conflicts: %+v", r.name, cs)
			}
		}
	})
}

func conflicts(t *testing.T, r *replica) []store.Conflict {
	t.Helper()
	var cs []store.Conflict
	if err := r.st.View(func(tx *store.Tx) (err error) {
		cs, err = tx.Conflicts()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return cs
}

func addContact(t *testing.T, r *replica, name string) model.Contact {
	t.Helper()
	c := model.Contact{Name: name}
	r.update(t, func(tx *store.Tx) error { return tx.PutContact(&c) })
	return c
}

func editContact(t *testing.T, r *replica, id model.ID, fn func(*model.Contact)) {
	t.Helper()
	r.update(t, func(tx *store.Tx) error {
		c, err := tx.Contact(id)
		if err != nil {
			return err
		}
		fn(&c)
		return tx.PutContact(&c)
	})
}

// TestEditsInTurnAreNoConflict: a rep who pulled a colleague's edit and
// edits the same field on top of it overwrites nothing unseen.
func TestEditsInTurnAreNoConflict(t *testing.T) {
	c := newClock()
	tm := newTeam(t, backends[0], c)
	li, sam := newReplica(t, "li", c.Now), newReplica(t, "sam", c.Now)
	ct := addContact(t, li, "Maria")
	li.sync(t, tm.client(t))
	sam.sync(t, tm.client(t))
	editContact(t, li, ct.ID, func(c *model.Contact) { c.Title = "CTO" })
	li.sync(t, tm.client(t))
	sam.sync(t, tm.client(t))
	editContact(t, sam, ct.ID, func(c *model.Contact) { c.Title = "CEO" })
	sam.sync(t, tm.client(t))
	li.sync(t, tm.client(t))
	for _, r := range []*replica{li, sam} {
		if cs := conflicts(t, r); len(cs) != 0 {
			t.Errorf("%s has conflicts: %+v", r.name, cs)
		}
	}
	sameRecords(t, []string{"li", "sam"}, li.records(t), sam.records(t))
}

// TestDeleteWinsOverConcurrentEdit: a deletion wins over an edit made
// without seeing it; the editor sees the lost edit as a conflict; undoing
// the deletion (a later write) brings the record back everywhere.
func TestDeleteWinsOverConcurrentEdit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		c := newClock()
		tm := newTeam(t, b, c)
		li, sam := newReplica(t, "li", c.Now), newReplica(t, "sam", c.Now)
		ct := addContact(t, li, "Maria")
		var task model.Task
		li.update(t, func(tx *store.Tx) error {
			task = model.Task{Title: "call", ContactID: ct.ID}
			return tx.PutTask(&task)
		})
		li.sync(t, tm.client(t))
		sam.sync(t, tm.client(t))

		var removed store.Removal
		li.update(t, func(tx *store.Tx) (err error) {
			removed, err = tx.DeleteContact(ct.ID)
			return err
		})
		c.Advance(time.Minute) // Sam's edit is later by the clock, yet did not see the delete
		editContact(t, sam, ct.ID, func(c *model.Contact) { c.Title = "CTO" })
		var samTask model.Task
		sam.update(t, func(tx *store.Tx) error {
			samTask = model.Task{Title: "visit", ContactID: ct.ID}
			return tx.PutTask(&samTask)
		})
		li.sync(t, tm.client(t))
		res := sam.sync(t, tm.client(t))
		li.sync(t, tm.client(t))
		sam.sync(t, tm.client(t))
		if res.Conflicts == 0 {
			t.Error("sam's lost edit is not a conflict")
		}
		for _, r := range []*replica{li, sam} {
			r.st.View(func(tx *store.Tx) error {
				if _, err := tx.Contact(ct.ID); err == nil {
					t.Errorf("%s still has the deleted contact", r.name)
				}
				if _, err := tx.Task(samTask.ID); err == nil {
					t.Errorf("%s keeps a follow-up of the deleted contact", r.name)
				}
				return nil
			})
			checkHealthy(t, r)
		}
		sameRecords(t, []string{"li", "sam", "server"}, li.records(t), sam.records(t), tm.serverRecords(t))

		// Undo: Li puts the contact back, a later write of every group.
		li.update(t, func(tx *store.Tx) error { return tx.Restore(removed) })
		li.sync(t, tm.client(t))
		sam.sync(t, tm.client(t))
		recs := sam.records(t)
		if _, ok := recs["contact/"+ct.ID.String()]; !ok {
			t.Fatal("the undone contact did not come back on sam's side")
		}
		if _, ok := recs["task/"+task.ID.String()]; !ok {
			t.Fatal("the undone follow-up did not come back on sam's side")
		}
		sameRecords(t, []string{"li", "sam", "server"}, li.records(t), recs, tm.serverRecords(t))
	})
}
