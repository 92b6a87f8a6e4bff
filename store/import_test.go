package store

import (
	"errors"
	"reflect"
	"slices"
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

// TestImportManyIsImportOneByOne saves the same records with
// ImportContacts and ImportActivities and with one ImportContact or
// ImportActivity after another, in a plain transaction, a bulk one and
// a Loader's: the files hold the same bytes (records, stamps, indexes,
// change log). There are enough contacts for saveMany to work on several
// parts at once, and ids given twice in one part and across parts.
func TestImportManyIsImportOneByOne(t *testing.T) {
	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	id := func(i int) model.ID { return model.NewID(created.Add(time.Duration(i) * time.Millisecond)) }
	co := model.Company{ID: id(0), Name: "北京智云科技有限公司"}
	var cs []model.Contact
	for i := range 1000 {
		c := model.Contact{ID: id(i + 1), Name: []string{"张伟", "Maria García", "O'Brien"}[i%3],
			Emails: []model.Email{{Address: " Person" + string(rune('a'+i%26)) + "@Example.com "}},
			Phones: []model.Phone{{Number: "138 0013 8000", Label: "mobile"}}, Tags: []string{"vip", "VIP", "trade-show"}}
		if i%2 == 0 {
			c.CompanyID = co.ID
		}
		if i%7 == 0 {
			c.UpdatedAt = created.Add(time.Hour)
		}
		cs = append(cs, c)
	}
	cs[10].ID = cs[9].ID    // the same id twice: the second saves over the first
	cs[700].ID = cs[300].ID // in another part, with parts stamped but not yet written between
	var as []model.Activity
	for i := range 100 {
		as = append(as, model.Activity{ID: id(1000 + i), Kind: model.KindNote, At: created, ContactID: cs[i].ID, Body: "note"})
	}
	write := func(s *Store, mode string, many bool) {
		cs, as := slices.Clone(cs), slices.Clone(as)
		run := s.Update
		var l *Loader
		switch mode {
		case "bulk":
			run = s.Bulk
		case "loader":
			l = s.Loader(0)
			run = l.Update
		}
		err := run(func(tx *Tx) error {
			if err := tx.ImportCompany(&co); err != nil {
				return err
			}
			// cs[0] is in the file already: saved over, as an update.
			first := cs[0]
			if err := tx.ImportContact(&first); err != nil {
				return err
			}
			if many {
				return errors.Join(tx.ImportContacts(pointers(cs)), tx.ImportActivities(pointers(as)))
			}
			for i := range cs {
				if err := tx.ImportContact(&cs[i]); err != nil {
					return err
				}
			}
			for i := range as {
				if err := tx.ImportActivity(&as[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if l != nil {
			err = errors.Join(err, l.Close())
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, mode := range []string{"plain", "bulk", "loader"} {
		one, _ := openTest(t)
		many, _ := openTest(t)
		many.replica = one.replica
		write(one, "plain", false)
		write(many, mode, true)
		if a, b := dump(t, one), dump(t, many); !reflect.DeepEqual(a, b) {
			for k := range a {
				if !reflect.DeepEqual(a[k], b[k]) {
					t.Errorf("%s: bucket %s differs:\none by one %q\nmany       %q", mode, k, a[k], b[k])
				}
			}
		}
		view(t, many, func(tx *Tx) error {
			if r := tx.Check(); len(r.Problems) > 0 {
				t.Errorf("check: %v", r.Problems)
			}
			return nil
		})
	}
}

func TestImportManyValidates(t *testing.T) {
	s, _ := openTest(t)
	cs := []model.Contact{{Name: "A"}, {Name: ""}, {Name: "C"}}
	err := s.Update(func(tx *Tx) error { return tx.ImportContacts(pointers(cs)) })
	if !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a contact without a name: %v", err)
	}
	err = s.Update(func(tx *Tx) error {
		return tx.ImportContacts([]*model.Contact{{Name: "A", CompanyID: model.NewID(t0)}})
	})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("a contact of a missing company: %v", err)
	}
	err = s.Update(func(tx *Tx) error {
		return tx.ImportActivities([]*model.Activity{{Kind: model.KindNote, At: t0, ContactID: model.NewID(t0), Body: "x"}})
	})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("an activity of a missing contact: %v", err)
	}
}

func pointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

// dump returns every bucket but meta, key by key.
func dump(t *testing.T, s *Store) map[string][][2]string {
	out := map[string][][2]string{}
	view(t, s, func(tx *Tx) error {
		for _, name := range append(append([][]byte{bChanges, bTombstones}, recordBuckets...), indexBuckets...) {
			tx.btx.Bucket(name).ForEach(func(k, v []byte) error {
				out[string(name)] = append(out[string(name)], [2]string{string(k), string(v)})
				return nil
			})
		}
		return nil
	})
	return out
}
