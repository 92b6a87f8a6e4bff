package store

import (
	"slices"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

func TestTasksOf(t *testing.T) {
	s, _ := openTest(t)
	var c, other model.Contact
	var d model.Deal
	var want []string
	update(t, s, func(tx *Tx) error {
		c = model.Contact{Name: "李娜"}
		other = model.Contact{Name: "王伟"}
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		if err := tx.PutContact(&other); err != nil {
			return err
		}
		d = model.Deal{Title: "ERP", ContactID: c.ID}
		if err := tx.PutDeal(&d); err != nil {
			return err
		}
		for _, x := range []model.Task{
			{Title: "undated", ContactID: c.ID},
			{Title: "later", ContactID: c.ID, Due: model.DueOn(model.Date{Year: 2026, Month: 5, Day: 1})},
			{Title: "sooner", ContactID: c.ID, DealID: d.ID, Due: model.DueOn(model.Date{Year: 2026, Month: 3, Day: 12})},
			{Title: "done", ContactID: c.ID, Due: model.DueOn(model.Date{Year: 2026, Month: 3, Day: 1})},
			{Title: "someone else's", ContactID: other.ID},
		} {
			if err := tx.PutTask(&x); err != nil {
				return err
			}
			if x.Title == "done" {
				if _, _, err := tx.CompleteTask(x.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	want = []string{"sooner", "later", "undated", "done"}
	view(t, s, func(tx *Tx) error {
		for _, c := range []struct {
			e    model.Entity
			id   model.ID
			want []string
		}{
			{model.EntityContact, c.ID, want},
			{model.EntityDeal, d.ID, []string{"sooner"}},
			{model.EntityCompany, c.ID, nil},
		} {
			list, err := tx.TasksOf(c.e, c.id)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range list {
				got = append(got, x.Title)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("TasksOf(%s) = %v, want %v", c.e, got, c.want)
			}
		}
		return nil
	})
}
