package interchange

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestImportFixtures imports each fixture (written for this project in
// the layout of the tool it comes from) into an empty database and
// compares what landed, field by field, with a golden file.
func TestImportFixtures(t *testing.T) {
	for _, tc := range []struct {
		file, layout, encoding string
		read, created          int
	}{
		{"google.csv", "Google Contacts", "utf-8", 4, 3},
		{"google_legacy.csv", "Google Contacts (legacy Google CSV)", "utf-8", 2, 2},
		{"outlook.csv", "Outlook", "utf-8", 2, 2},
		{"outlook_com.csv", "Outlook", "utf-8", 1, 1},
		{"hubspot_contacts.csv", "HubSpot contacts", "utf-8", 2, 2},
		{"hubspot_deals.csv", "HubSpot deals", "utf-8", 3, 3},
		{"salesforce_contacts.csv", "Salesforce", "utf-8", 2, 1},
		{"pipedrive_persons.csv", "Pipedrive", "utf-8", 2, 2},
		{"pipedrive_deals.csv", "Pipedrive", "utf-8", 6, 5},
		{"plain_zh_gbk.csv", "", "gb18030", 3, 3},
		{"plain_en_utf16.txt", "", "utf-16le", 2, 2},
		{"android_21.vcf", "", "utf-8", 3, 3},
		{"apple_30.vcf", "", "utf-8", 2, 2},
		{"v40.vcf", "", "utf-8", 1, 1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			st := openStore(t)
			res := mustImport(t, st, tc.file, ImportOptions{})
			if res.Layout != tc.layout || res.Encoding != tc.encoding {
				t.Errorf("layout %q encoding %q, want %q %q", res.Layout, res.Encoding, tc.layout, tc.encoding)
			}
			if res.Read != tc.read || res.Created != tc.created || res.Rejected != 0 {
				t.Errorf("read %d created %d rejected %d, want %d %d 0", res.Read, res.Created, res.Rejected, tc.read, tc.created)
			}
			got := describe(t, st) + summary(res)
			golden(t, filepath.Join("testdata", "golden", tc.file+".txt"), got)
		})
	}
}

// golden compares got with the file, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func summary(r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "== result: read %d, created %d, updated %d, unchanged %d, merged %d, skipped %d, rejected %d\n",
		r.Read, r.Created, r.Updated, r.Unchanged, r.Merged, r.Skipped, r.Rejected)
	for _, c := range r.Conflicts {
		fmt.Fprintf(&b, "conflict line %d %s: %s kept %q, file %q\n", c.Line, c.Name, c.Field, c.Kept, c.InFile)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning %s\n", w)
	}
	return b.String()
}

// describe renders every record of st without ids or times set by the
// clock, sorted, so that the same import gives the same text.
func describe(t testing.TB, st *store.Store) string {
	t.Helper()
	var out []string
	err := st.View(func(tx *store.Tx) error {
		name := func(id model.ID) string {
			if id.IsZero() {
				return ""
			}
			if c, err := tx.Company(id); err == nil {
				return c.Name
			}
			if c, err := tx.Contact(id); err == nil {
				return c.Name
			}
			d, _ := tx.Deal(id)
			return d.Title
		}
		err := tx.EachContact(func(c *model.Contact) error {
			out = append(out, describeContact(tx, c, name(c.CompanyID)))
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.EachCompany(func(c *model.Company) error {
			s := "company " + c.Name
			for _, k := range slices.Sorted(maps.Keys(c.Custom)) {
				s += fmt.Sprintf("\n  custom %s = %q", k, c.Custom[k])
			}
			out = append(out, s)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.EachDeal(func(d *model.Deal) error {
			s := fmt.Sprintf("deal %s\n  contact %s; company %s\n  %s %s %s; %s", d.Title, name(d.ContactID), name(d.CompanyID),
				d.Value.Decimal(), d.Value.Currency, d.Stage, d.Status)
			if !d.CloseDate.IsZero() {
				s += "; close " + d.CloseDate.String()
			}
			if !d.ClosedAt.IsZero() {
				s += "; closed " + stamp(d.ClosedAt)
			}
			if d.LostReason != "" {
				s += "; reason " + d.LostReason
			}
			for _, m := range d.History {
				s += "\n  history " + m.Stage + " " + stamp(m.At)
			}
			if d.Owner != "" {
				s += "\n  owner " + d.Owner
			}
			for _, k := range slices.Sorted(maps.Keys(d.Custom)) {
				s += fmt.Sprintf("\n  custom %s = %q", k, d.Custom[k])
			}
			out = append(out, s)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return strings.Join(out, "\n") + "\n"
}

func describeContact(tx *store.Tx, c *model.Contact, company string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "contact %s", c.Name)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "\n  %s %s", k, v)
		}
	}
	line("company", company)
	line("title", c.Title)
	for _, e := range c.Emails {
		line("email", withLabel(e.Address, e.Label))
	}
	for _, p := range c.Phones {
		n := p.Number
		if p.Original != "" {
			n += " (" + p.Original + ")"
		}
		line("phone", withLabel(n, p.Label))
	}
	line("tags", strings.Join(c.Tags, ", "))
	line("source", c.Source)
	line("owner", c.Owner)
	line("lifecycle", c.Lifecycle)
	line("birthday", c.Birthday.String())
	if !c.CreatedAt.Equal(testNow) {
		line("created", stamp(c.CreatedAt))
	}
	for _, a := range c.Addresses {
		line("address", withLabel(fmt.Sprintf("%q", a.String()), a.Label))
	}
	for _, l := range c.Links {
		line("link", l)
	}
	for _, k := range slices.Sorted(maps.Keys(c.Custom)) {
		line("custom", fmt.Sprintf("%s = %q", k, c.Custom[k]))
	}
	notes, _ := tx.Activities(store.ActivityQuery{ContactID: c.ID})
	for i := len(notes) - 1; i >= 0; i-- {
		line(notes[i].Kind, fmt.Sprintf("%q", notes[i].Body))
	}
	return b.String()
}

func withLabel(s, label string) string {
	if label == "" {
		return s
	}
	return s + " [" + label + "]"
}
