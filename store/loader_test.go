package store

import (
	"errors"
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rolo-crm/rolo/model"
)

// loaderContacts returns n new contacts, each with an email, a phone and
// a tag, a third of them at one company.
func loaderContacts(n int, co model.ID) []model.Contact {
	cs := make([]model.Contact, n)
	for i := range cs {
		cs[i] = model.Contact{Name: fmt.Sprintf("Person %d", i), Emails: []model.Email{{Address: fmt.Sprintf("p%d@example.com", i)}},
			Phones: []model.Phone{{Number: fmt.Sprintf("+86138%08d", i)}}, Tags: []string{"lead"}}
		if i%3 == 0 {
			cs[i].CompanyID = co
		}
	}
	return cs
}

// loadInBatches writes cs through a Loader, batch contacts a transaction,
// and returns the Loader without closing it.
func loadInBatches(t *testing.T, s *Store, cs []model.Contact, batch int) *Loader {
	t.Helper()
	return loadWith(t, s.Loader(0), cs, batch)
}

func loadWith(t *testing.T, l *Loader, cs []model.Contact, batch int) *Loader {
	t.Helper()
	for start := 0; start < len(cs); start += batch {
		part := pointers(cs[start:min(len(cs), start+batch)])
		if err := l.Update(func(tx *Tx) error { return tx.ImportContacts(part) }); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// indexing reports whether the file carries the mark of index entries
// that wait; the file must not be open.
func indexing(t *testing.T, path string) bool {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, _, marked, err := readHeader(db)
	if err != nil {
		t.Fatal(err)
	}
	return marked
}

func marked(t *testing.T, s *Store) (m bool) {
	t.Helper()
	view(t, s, func(tx *Tx) error {
		m = tx.btx.Bucket(bMeta).Get(mIndexing) != nil
		return nil
	})
	return m
}

func TestLoaderWritesEveryIndexEntry(t *testing.T) {
	s, _ := openTest(t)
	co := putCompany(t, s, model.Company{Name: "Acme"})
	cs := loaderContacts(1200, co.ID)
	l := loadInBatches(t, s, cs, 500)
	if !marked(t, s) {
		t.Error("the file is not marked while index entries wait")
	}
	// Inside a transaction of the load, the indexes are complete.
	if err := l.Update(func(tx *Tx) error {
		if ids := tx.ContactsByEmail("p7@example.com"); len(ids) != 1 || ids[0] != cs[7].ID {
			return fmt.Errorf("by email inside the load: %v", ids)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	l2 := loadInBatches(t, s, loaderContacts(10, co.ID)[5:], 500) // a second load at the same time
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l2.Close(); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
	view(t, s, func(tx *Tx) error {
		if ids := tx.ContactsByPhone("+8613800001199"); len(ids) != 1 || ids[0] != cs[1199].ID {
			t.Errorf("by phone: %v", ids)
		}
		if n := len(tx.linked(ixCompanyContacts, co.ID)); n != 400+2 {
			t.Errorf("%d contacts at the company, want 402", n)
		}
		return nil
	})
	if marked(t, s) {
		t.Error("the file is still marked after Close")
	}
	if err := l.Update(func(*Tx) error { return nil }); err == nil {
		t.Error("a closed Loader took a transaction")
	}
}

// TestLoaderStoppedBeforeClose is a process that dies between the
// transactions of a load: the file is marked, and the next Open (read-
// write or read-only) rebuilds the indexes before anything reads them.
func TestLoaderStoppedBeforeClose(t *testing.T) {
	for _, readOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("read-only %v", readOnly), func(t *testing.T) {
			s, _ := openTest(t)
			cs := loaderContacts(700, model.ID{})
			loadInBatches(t, s, cs, 300) // never closed
			path := s.Path()
			s.Close()
			if !indexing(t, path) {
				t.Fatal("the file is not marked while index entries wait")
			}
			r, err := Verify(path, Options{})
			if err != nil || !r.OK() {
				t.Fatalf("Verify of a marked file: %v %v", err, r.Problems)
			}
			s, err = Open(path, Options{ReadOnly: readOnly, Rules: model.Rules{Region: "CN"}})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			mustCheck(t, s)
			view(t, s, func(tx *Tx) error {
				if ids := tx.ContactsByEmail("p650@example.com"); len(ids) != 1 || ids[0] != cs[650].ID {
					t.Errorf("by email after the reopen: %v", ids)
				}
				return nil
			})
			if marked(t, s) {
				t.Error("the file is still marked after the reopen")
			}
		})
	}
}

// TestLoaderFailedTransaction: after a transaction of a load fails, the
// entries held may be those of rolled-back records; Close rebuilds the
// indexes from the records.
func TestLoaderFailedTransaction(t *testing.T) {
	s, _ := openTest(t)
	cs := loaderContacts(600, model.ID{})
	l := loadInBatches(t, s, cs[:400], 200)
	boom := errors.New("boom")
	err := l.Update(func(tx *Tx) error {
		if err := tx.ImportContacts(pointers(cs[400:])); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("the failing transaction: %v", err)
	}
	if err := l.Update(func(*Tx) error { return nil }); !errors.Is(err, errLoaderFailed) {
		t.Errorf("a transaction after a failed one: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
	view(t, s, func(tx *Tx) error {
		if n := tx.CountContacts(); n != 400 {
			t.Errorf("%d contacts, want the 400 committed", n)
		}
		if ids := tx.ContactsByEmail("p450@example.com"); len(ids) != 0 {
			t.Errorf("a rolled-back contact is indexed: %v", ids)
		}
		if ids := tx.ContactsByEmail("p350@example.com"); len(ids) != 1 {
			t.Errorf("a committed contact is not indexed: %v", ids)
		}
		return nil
	})
}

// TestImportManyStopsAtTheFirstBadRecord: the records before a failing
// one are written, in every part before it, and nothing after it.
func TestImportManyStopsAtTheFirstBadRecord(t *testing.T) {
	s, _ := openTest(t)
	cs := loaderContacts(1000, model.ID{})
	cs[600].Emails[0].Address = "not an email"
	var err error
	update(t, s, func(tx *Tx) error {
		err = tx.ImportContacts(pointers(cs))
		return nil // commit what was written
	})
	if !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("the bad email: %v", err)
	}
	mustCheck(t, s)
	view(t, s, func(tx *Tx) error {
		if n := tx.CountContacts(); n != 600 {
			t.Errorf("%d contacts written, want the 600 before the bad one", n)
		}
		return nil
	})
}

// TestLoaderLimit: past its limit, a Loader writes what waits after the
// transaction, in transactions of its own, and the file is no longer
// marked; the next transactions' entries wait again.
func TestLoaderLimit(t *testing.T) {
	s, _ := openTest(t)
	co := putCompany(t, s, model.Company{Name: "Acme"})
	cs := loaderContacts(300, co.ID)
	l := loadWith(t, s.Loader(1), cs[:200], 100)
	if marked(t, s) {
		t.Error("the file is marked after a transaction past the limit")
	}
	view(t, s, func(tx *Tx) error {
		if ids := tx.ContactsByEmail("p150@example.com"); len(ids) != 1 {
			t.Errorf("by email before Close: %v", ids)
		}
		return nil
	})
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l = loadWith(t, s.Loader(1<<20), cs[200:], 100)
	if !marked(t, s) {
		t.Error("the file is not marked while entries under the limit wait")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
}
