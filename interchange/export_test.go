package interchange

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// smallStore imports testdata/small.json: two of every kind of record,
// with fixed ids and times, Chinese text, multi-line notes, a resolved
// complaint, repeating and done follow-ups.
func smallStore(t *testing.T) (*store.Store, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "small.json"))
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	if res, err := Import(st, data, ImportOptions{Name: "small.json"}); err != nil {
		t.Fatalf("%v %v", err, res.Errors)
	}
	return st, data
}

// TestExportGolden writes every format of the small database and compares
// it with its golden file; the JSON export must be the file imported.
func TestExportGolden(t *testing.T) {
	st, data := smallStore(t)
	sameBytes(t, data, exportJSON(t, st))
	csvOf := func(e model.Entity) func(*store.Tx, io.Writer) (int, error) {
		return func(tx *store.Tx, w io.Writer) (int, error) { return ExportCSV(tx, w, e) }
	}
	for _, tc := range []struct {
		file string
		fn   func(*store.Tx, io.Writer) (int, error)
		n    int
	}{
		{"small.vcf", ExportVCard, 2},
		{"small.ics", ExportICS, 4},
		{"small_contacts.csv", csvOf(model.EntityContact), 2},
		{"small_companies.csv", csvOf(model.EntityCompany), 2},
		{"small_deals.csv", csvOf(model.EntityDeal), 2},
		{"small_tasks.csv", csvOf(model.EntityTask), 4},
		{"small_activities.csv", csvOf(model.EntityActivity), 5},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var buf bytes.Buffer
			var n int
			err := st.View(func(tx *store.Tx) error {
				var err error
				n, err = tc.fn(tx, &buf)
				return err
			})
			if err != nil || n != tc.n {
				t.Fatalf("%d records, %v", n, err)
			}
			golden(t, filepath.Join("testdata", "golden", tc.file), buf.String())
		})
	}
}

// TestExportEntities exports one kind of record as JSON.
func TestExportEntities(t *testing.T) {
	st, _ := smallStore(t)
	var buf bytes.Buffer
	var stats Stats
	err := st.View(func(tx *store.Tx) error {
		var err error
		stats, err = ExportJSON(tx, &buf, []model.Entity{model.EntityDeal})
		return err
	})
	if err != nil || stats != (Stats{Deals: 2}) {
		t.Fatalf("%+v %v", stats, err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("{\"format\":\"rolo\",\"version\":1,\n\"deals\":[\n{\"id\":\"01HV0000000000000000000D01\"")) {
		t.Errorf("export:\n%s", buf.Bytes())
	}
	for _, tc := range []struct {
		in   string
		want []model.Entity
	}{{"all", model.Entities}, {"contacts", []model.Entity{model.EntityContact}}, {"task", []model.Entity{model.EntityTask}}} {
		got, err := ParseEntities(tc.in)
		if err != nil || len(got) != len(tc.want) || got[0] != tc.want[0] {
			t.Errorf("ParseEntities(%q) = %v, %v", tc.in, got, err)
		}
	}
	if _, err := ParseEntities("people"); err == nil {
		t.Error("ParseEntities accepted people")
	}
}
