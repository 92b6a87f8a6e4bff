package model_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"

	"github.com/rolo-crm/rolo/demo"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

type jsonAppender interface {
	AppendJSON([]byte) ([]byte, error)
}

// TestAppendJSONDemo checks that every record of a demo database writes
// by AppendJSON exactly what json.Marshal wrote before it.
func TestAppendJSONDemo(t *testing.T) {
	contacts := 3000
	if testing.Short() {
		contacts = 300
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "demo.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := demo.Generate(st, demo.Options{Contacts: contacts, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	check := func(kind string, rec jsonAppender) error {
		counts[kind]++
		want, err := model.ReferenceJSON(rec)
		if err != nil {
			t.Fatalf("%s: reference: %v", kind, err)
		}
		got, err := rec.AppendJSON(nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: AppendJSON = %s, %v\nwant %s", kind, got, err, want)
		}
		return nil
	}
	err = st.View(func(tx *store.Tx) error {
		return errors.Join(
			tx.EachCompany(func(c *model.Company) error { return check("company", c) }),
			tx.EachContact(func(c *model.Contact) error { return check("contact", c) }),
			tx.EachDeal(func(d *model.Deal) error { return check("deal", d) }),
			tx.EachTask(func(k *model.Task) error { return check("task", k) }),
			tx.EachActivity(func(a *model.Activity) error { return check("activity", a) }),
		)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"company", "contact", "deal", "task", "activity"} {
		if counts[kind] == 0 {
			t.Errorf("the demo database holds no %s", kind)
		}
	}
}
