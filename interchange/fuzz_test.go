package interchange

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rolo-crm/rolo/store"
)

// fuzzImport imports data as format and checks that nothing panics and
// nothing is written by half: a refused import changes nothing, an
// accepted one writes exactly the records it counts. Each fuzzing process
// keeps one database (opening a new one per input would leave fsync most
// of the work), so later inputs also meet earlier ones as duplicates.
func fuzzImport(f *testing.F, format string, seeds ...string) {
	for _, s := range seeds {
		data, err := os.ReadFile(filepath.Join("testdata", s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	st := openStore(f)
	count := func(t *testing.T) int {
		var n int
		if err := st.View(func(tx *store.Tx) error {
			n = tx.CountCompanies() + tx.CountContacts() + tx.CountDeals() + tx.CountTasks() + tx.CountActivities()
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		before := count(t)
		res, err := Import(st, data, ImportOptions{Name: "fuzz", Format: format, BatchSize: 3})
		added := count(t) - before
		mustCheck(t, st) // whatever the file, the database stays consistent
		if err != nil {
			if added != 0 {
				t.Fatalf("the import failed (%v) but wrote %d records", err, added)
			}
			return
		}
		r := res.Records
		if want := r.Companies.Created + r.Contacts.Created + r.Deals.Created + r.Tasks.Created + r.Activities.Created; added != want {
			t.Fatalf("%d records written, the result counts %d", added, want)
		}
	})
}

func FuzzImportCSV(f *testing.F) {
	fuzzImport(f, FormatCSV, "google.csv", "outlook.csv", "pipedrive_deals.csv", "plain_zh_gbk.csv", "bad.csv", "hubspot_deals.csv")
}

func FuzzImportVCard(f *testing.F) {
	fuzzImport(f, FormatVCard, "android_21.vcf", "apple_30.vcf", "v40.vcf", "bad.vcf")
}

func FuzzImportJSON(f *testing.F) {
	fuzzImport(f, FormatJSON, "small.json")
}
