package interchange

import (
	"errors"
	"slices"
	"testing"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// TestMergeContacts merges 张伟 into Maria Garcia (the small database):
// Maria keeps her fields, gains 张伟's email, phone and tags, and his
// deal, follow-up and activities; 张伟 is gone.
func TestMergeContacts(t *testing.T) {
	st, _ := smallStore(t)
	maria, zw := mustID("01HV0000000000000000000P01"), mustID("01HV0000000000000000000P02")
	var r MergeResult
	err := st.Update(func(tx *store.Tx) error {
		var err error
		r, err = MergeContacts(tx, maria, zw)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Deals != 1 || r.Tasks != 1 || r.Activities != 2 {
		t.Errorf("moved %d deals, %d tasks, %d activities; want 1, 1, 2", r.Deals, r.Tasks, r.Activities)
	}
	var fields []string
	for _, c := range r.Conflicts {
		fields = append(fields, c.Field)
	}
	if !slices.Equal(fields, []string{"name", "title", "company"}) {
		t.Errorf("conflicts on %v, want name, title and company", fields)
	}
	err = st.View(func(tx *store.Tx) error {
		c, err := tx.Contact(maria)
		if err != nil {
			return err
		}
		if c.Title != "CTO" || len(c.Emails) != 3 || len(c.Phones) != 3 || !model.HasTag(c.Tags, "重点客户") || c.Custom["birthday"] != "--06-15" {
			t.Errorf("merged contact %+v", c)
		}
		if _, err := tx.Contact(zw); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the merged-away contact is still there: %v", err)
		}
		deals, _ := tx.Deals(store.DealQuery{ContactID: maria})
		tasks, _ := tx.Tasks(store.TaskQuery{Range: store.TasksAll, ContactID: maria}, testNow)
		acts, _ := tx.Activities(store.ActivityQuery{ContactID: maria})
		if len(deals) != 2 || len(tasks) != 3 || len(acts) != 5 {
			t.Errorf("maria has %d deals, %d tasks, %d activities; want 2, 3, 5", len(deals), len(tasks), len(acts))
		}
		if r := tx.Check(); !r.OK() {
			t.Errorf("the database is inconsistent after the merge: %v", r.Problems)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMergeContactsRefuses(t *testing.T) {
	st, data := smallStore(t)
	maria := mustID("01HV0000000000000000000P01")
	for _, tc := range []struct {
		name string
		from model.ID
		want error
	}{
		{"itself", maria, model.ErrInvalid},
		{"missing", mustID("01HV0000000000000000000P09"), store.ErrNotFound},
	} {
		err := st.Update(func(tx *store.Tx) error { _, err := MergeContacts(tx, maria, tc.from); return err })
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	sameBytes(t, data, exportJSON(t, st))
}

func mustID(s string) model.ID {
	id, err := model.ParseID(s)
	if err != nil {
		panic(err)
	}
	return id
}
