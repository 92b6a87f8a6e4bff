package interchange

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// testNow is the clock of every test store: imports and exports that
// depend on "now" give the same bytes every run.
var testNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "rolo.db"), store.Options{
		Rules: model.Rules{Region: "CN", Currency: "CNY"},
		Now:   func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// importFile imports a file of testdata into st.
func importFile(t testing.TB, st *store.Store, name string, o ImportOptions) (*Result, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	o.Name = name
	return Import(st, data, o)
}

// mustImport imports a file that must import without error.
func mustImport(t testing.TB, st *store.Store, name string, o ImportOptions) *Result {
	t.Helper()
	res, err := importFile(t, st, name, o)
	if err != nil {
		t.Fatalf("import %s: %v\nerrors: %v", name, err, res.Errors)
	}
	return res
}

// exportJSON returns st's JSON export.
func exportJSON(t testing.TB, st *store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := st.View(func(tx *store.Tx) error {
		_, err := ExportJSON(tx, &buf, model.Entities)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// contacts returns every contact of st.
func contacts(t testing.TB, st *store.Store) []model.Contact {
	t.Helper()
	var out []model.Contact
	err := st.View(func(tx *store.Tx) error {
		return tx.EachContact(func(c *model.Contact) error {
			out = append(out, *c)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mustCheck fails the test when the database's Check finds a problem
// (an index entry missing after an import, say).
func mustCheck(t testing.TB, st *store.Store) {
	t.Helper()
	err := st.View(func(tx *store.Tx) error {
		if r := tx.Check(); !r.OK() {
			t.Errorf("the database is inconsistent: %v", r.Problems)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
