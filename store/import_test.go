package store

import (
	"errors"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// TestImportKeepsRecordsAsGiven saves records the way an import of
// rolo's export does and reads them back unchanged: ids, creation and
// update times, stage history, and an activity's links exactly as named.
func TestImportKeepsRecordsAsGiven(t *testing.T) {
	s, _ := openTest(t)
	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	updated := time.Date(2025, 2, 3, 4, 5, 6, 7, time.UTC)
	co := model.Company{ID: model.NewID(created), Name: "Acme", CreatedAt: created, UpdatedAt: updated}
	c := model.Contact{ID: model.NewID(created), Name: "Maria", CompanyID: co.ID, CreatedAt: created, UpdatedAt: updated}
	d := model.Deal{ID: model.NewID(created), Title: "ERP", ContactID: c.ID, Stage: "won", Status: model.StatusWon,
		ClosedAt: updated, CreatedAt: created, UpdatedAt: updated,
		History: []model.StageMove{{Stage: "lead", At: created}, {Stage: "won", At: updated}}}
	tk := model.Task{ID: model.NewID(created), Title: "Call", ContactID: c.ID, CreatedAt: created, UpdatedAt: updated}
	a := model.Activity{ID: model.NewID(created), Kind: model.KindNote, At: created, ContactID: c.ID, Body: "hi", CreatedAt: created}
	update(t, s, func(tx *Tx) error {
		return errors.Join(tx.ImportCompany(&co), tx.ImportContact(&c), tx.ImportDeal(&d), tx.ImportTask(&tk), tx.ImportActivity(&a))
	})
	view(t, s, func(tx *Tx) error {
		gc, _ := tx.Contact(c.ID)
		gco, _ := tx.Company(co.ID)
		gd, _ := tx.Deal(d.ID)
		gt, _ := tx.Task(tk.ID)
		ga, _ := tx.Activity(a.ID)
		for _, got := range []struct {
			what             string
			created, updated time.Time
		}{{"company", gco.CreatedAt, gco.UpdatedAt}, {"contact", gc.CreatedAt, gc.UpdatedAt}, {"deal", gd.CreatedAt, gd.UpdatedAt},
			{"task", gt.CreatedAt, gt.UpdatedAt}, {"activity", ga.CreatedAt, updated}} {
			if !got.created.Equal(created) || !got.updated.Equal(updated) {
				t.Errorf("%s: created %v updated %v", got.what, got.created, got.updated)
			}
		}
		if len(gd.History) != 2 || !gd.History[0].At.Equal(created) {
			t.Errorf("history %v", gd.History)
		}
		if !ga.CompanyID.IsZero() {
			t.Error("ImportActivity linked the activity to the contact's company")
		}
		return nil
	})
	// A later write through Put stamps the time of the write as usual.
	update(t, s, func(tx *Tx) error { c.Title = "CTO"; return tx.PutContact(&c) })
	view(t, s, func(tx *Tx) error {
		if gc, _ := tx.Contact(c.ID); !gc.UpdatedAt.Equal(t0) {
			t.Errorf("updated_at after PutContact: %v", gc.UpdatedAt)
		}
		return nil
	})
}

func TestImportValidates(t *testing.T) {
	s, _ := openTest(t)
	err := s.Update(func(tx *Tx) error {
		return tx.ImportActivity(&model.Activity{Kind: model.KindNote, At: t0, ContactID: model.NewID(t0), Body: "x"})
	})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("an activity of a missing contact: %v", err)
	}
	err = s.Update(func(tx *Tx) error { return tx.ImportContact(&model.Contact{UpdatedAt: t0}) })
	if !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a contact without a name: %v", err)
	}
}
