package interchange

import (
	"bytes"
	"io"
	"testing"

	"github.com/rolo-crm/rolo/demo"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// TestJSONRoundTrip exports a demo database (every kind of record, stage
// histories, complaints, repeating follow-ups), imports the export into an
// empty database and exports that: the two exports are the same bytes.
func TestJSONRoundTrip(t *testing.T) {
	src := openStore(t)
	if _, err := demo.Generate(src, demo.Options{Contacts: 300, Seed: 7, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	first := exportJSON(t, src)
	dst := openStore(t)
	res, err := Import(dst, first, ImportOptions{Name: "export.json", BatchSize: 250})
	if err != nil {
		t.Fatalf("import: %v\n%v", err, res.Errors)
	}
	sameBytes(t, first, exportJSON(t, dst))
	if res.Read < 300+300*2 || res.Created != res.Read || res.Rejected != 0 {
		t.Errorf("read %d, created %d, rejected %d", res.Read, res.Created, res.Rejected)
	}
}

// TestVCardRoundTrip exports the contacts of a demo database as vCard,
// imports the file into an empty database and exports again: the same
// bytes (UIDs carry the ids; X-ROLO- properties rolo's own fields).
func TestVCardRoundTrip(t *testing.T) {
	src := openStore(t)
	if _, err := demo.Generate(src, demo.Options{Contacts: 200, Seed: 3, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	first := exportWith(t, src, ExportVCard)
	dst := openStore(t)
	res, err := Import(dst, first, ImportOptions{Name: "c.vcf"})
	if err != nil || res.Created != 200 {
		t.Fatalf("import: %v, created %d, errors %v", err, res.Created, res.Errors)
	}
	sameBytes(t, first, exportWith(t, dst, ExportVCard))
}

// TestCSVRoundTrip does the same with contacts.csv, then deals.csv.
func TestCSVRoundTrip(t *testing.T) {
	src := openStore(t)
	if _, err := demo.Generate(src, demo.Options{Contacts: 200, Seed: 5, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	csvOf := func(e model.Entity) func(*store.Tx, io.Writer) (int, error) {
		return func(tx *store.Tx, w io.Writer) (int, error) { return ExportCSV(tx, w, e) }
	}
	contacts, deals := exportWith(t, src, csvOf(model.EntityContact)), exportWith(t, src, csvOf(model.EntityDeal))
	dst := openStore(t)
	for _, f := range []struct {
		name string
		data []byte
	}{{"contacts.csv", contacts}, {"deals.csv", deals}} {
		if res, err := Import(dst, f.data, ImportOptions{Name: f.name}); err != nil || res.Rejected > 0 {
			t.Fatalf("import %s: %v %v", f.name, err, res.Errors)
		}
	}
	sameBytes(t, contacts, exportWith(t, dst, csvOf(model.EntityContact)))
	sameBytes(t, deals, exportWith(t, dst, csvOf(model.EntityDeal)))
}

func exportWith(t *testing.T, st *store.Store, fn func(*store.Tx, io.Writer) (int, error)) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := st.View(func(tx *store.Tx) error { _, err := fn(tx, &buf); return err }); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sameBytes(t *testing.T, first, second []byte) {
	t.Helper()
	if bytes.Equal(first, second) {
		return
	}
	a, b := bytes.Split(first, []byte("\n")), bytes.Split(second, []byte("\n"))
	for i := range min(len(a), len(b)) {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("line %d differs:\nfirst:  %s\nsecond: %s", i+1, a[i], b[i])
		}
	}
	t.Fatalf("the exports differ in length: %d and %d lines", len(a), len(b))
}

// TestResumedImportIsTheWholeImport imports the first rows of a rolo
// contacts export, as an import that stopped part-way leaves them, then
// the whole file: the database holds what one import of the whole file
// makes. Two contacts of the export share an email; the second, not yet
// written when the first import stopped, is created, not merged into the
// first.
func TestResumedImportIsTheWholeImport(t *testing.T) {
	src := openStore(t)
	if _, err := demo.Generate(src, demo.Options{Contacts: 200, Seed: 5, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	cs := contacts(t, src)
	early, late := cs[10], cs[150]
	late.Emails = append(late.Emails, model.Email{Address: early.Emails[0].Address, Label: "other"})
	if err := src.Update(func(tx *store.Tx) error { return tx.PutContact(&late) }); err != nil {
		t.Fatal(err)
	}
	csvOf := func(tx *store.Tx, w io.Writer) (int, error) { return ExportCSV(tx, w, model.EntityContact) }
	full := exportWith(t, src, csvOf)
	lines := bytes.SplitAfter(full, []byte("\n"))
	part := bytes.Join(lines[:101], nil) // the header and 100 contacts, cs[10] among them
	if !bytes.Contains(part, []byte(early.ID.String())) || bytes.Contains(part, []byte(late.ID.String())) {
		t.Fatal("the first rows should hold the early contact and not the late one")
	}

	whole := openStore(t)
	if _, err := Import(whole, full, ImportOptions{Name: "contacts.csv"}); err != nil {
		t.Fatal(err)
	}
	resumed := openStore(t)
	if _, err := Import(resumed, part, ImportOptions{Name: "contacts.csv"}); err != nil {
		t.Fatal(err)
	}
	res, err := Import(resumed, full, ImportOptions{Name: "contacts.csv"})
	if err != nil || res.Records.Contacts.Created != len(cs)-100 || len(res.Conflicts) != 0 {
		t.Fatalf("the second import: %v, %d created (want %d), conflicts %v", err, res.Records.Contacts.Created, len(cs)-100, res.Conflicts)
	}
	sameBytes(t, exportWith(t, whole, csvOf), exportWith(t, resumed, csvOf))
	mustCheck(t, resumed)
}
