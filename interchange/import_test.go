package interchange

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC // dates without a zone read the same on every machine
	code := m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// TestBadFilesWriteNothing checks that a file with bad records is refused
// as a whole, with the line and reason of each, and that --skip-errors
// imports the rest.
func TestBadFilesWriteNothing(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string // "line: part of the message"
		good int      // records imported with SkipErrors
	}{
		{"bad.csv", []string{
			`bad.csv:4: column "Email": email "bob@": not a valid email address`,
			`bad.csv:5: column "Phone": phone "call me": has no digits`,
			`bad.csv:6: 7 fields where the header has 5`,
			`bad.csv:7: broken quoting at line 7, column`,
			`bad.csv:8: column "Phone": phone "1.38001E+10": Excel turned this number into scientific notation`,
		}, 2},
		{"bad.vcf", []string{
			`bad.vcf:9: EMAIL: email "not-an-email": not a valid email address`,
			`bad.vcf:11: the card has no END:VCARD (the next card begins at line 15)`,
			`bad.vcf:18: not a vCard property (no ':'): "this line has no colon"`,
		}, 2},
	} {
		t.Run(tc.file, func(t *testing.T) {
			st := openStore(t)
			before := exportJSON(t, st)
			res, err := importFile(t, st, tc.file, ImportOptions{})
			var rej *RejectedError
			if !errors.As(err, &rej) || !errors.Is(err, model.ErrInvalid) {
				t.Fatalf("err = %v, want a RejectedError wrapping ErrInvalid", err)
			}
			if rej.N != len(tc.want) || len(res.Errors) != len(tc.want) {
				t.Errorf("%d rejected, want %d: %v", len(res.Errors), len(tc.want), res.Errors)
			}
			for i, want := range tc.want {
				if i < len(res.Errors) && !strings.HasPrefix(res.Errors[i].String(), want) {
					t.Errorf("error %d:\n got %s\nwant %s...", i, res.Errors[i], want)
				}
			}
			if after := exportJSON(t, st); string(after) != string(before) {
				t.Error("a refused import wrote to the database")
			}
			res, err = importFile(t, st, tc.file, ImportOptions{SkipErrors: true})
			if err != nil {
				t.Fatalf("with SkipErrors: %v", err)
			}
			if got := len(contacts(t, st)); got != tc.good || res.Created != tc.good || res.Rejected != len(tc.want) {
				t.Errorf("with SkipErrors: %d contacts, created %d, rejected %d; want %d, %d", got, res.Created, res.Rejected, tc.good, len(tc.want))
			}
		})
	}
}

func TestBadFiles(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		o          ImportOptions
		want       string
	}{
		{"empty", "", ImportOptions{}, "the file is empty"},
		{"no known column", "Foo,Bar\n1,2\n", ImportOptions{}, `no column of the header row is recognised`},
		{"map names no column", "Name\nMaria\n", ImportOptions{Map: []string{"Mobil=phone"}}, `the file has no column "Mobil"`},
		{"map names no field", "Name\nMaria\n", ImportOptions{Map: []string{"Name=fullname"}}, `unknown field`},
		{"map on vcard", "BEGIN:VCARD\nFN:A\nEND:VCARD\n", ImportOptions{Map: []string{"A=name"}}, "--map applies to CSV"},
		{"bad encoding", "Name\nMaria\n", ImportOptions{Encoding: "klingon"}, `encoding "klingon": not an encoding`},
		{"bad format", "Name\nMaria\n", ImportOptions{Format: "xls"}, `format "xls"`},
		{"json syntax", "{\"format\":\"rolo\",\n\"contacts\":[\n{\"name\": }\n]}", ImportOptions{}, "x.csv:3: not valid JSON"},
		{"json newer", `{"format":"rolo","version":9}`, ImportOptions{}, "newer rolo"},
		{"json foreign", `{"format":"other"}`, ImportOptions{}, "not a rolo export"},
		{"no vcard", "BEGIN:VCARDS\n", ImportOptions{Format: "vcard"}, "text outside a vCard"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			tc.o.Name = "x.csv"
			res, err := Import(st, []byte(tc.data), tc.o)
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			for _, p := range res.Errors {
				msg += "\n" + p.String()
			}
			if err == nil || !errors.Is(err, model.ErrInvalid) || !strings.Contains(msg, tc.want) {
				t.Errorf("got %v (%s), want an invalid-input error containing %q", err, msg, tc.want)
			}
			if n := len(contacts(t, st)); n != 0 {
				t.Errorf("%d contacts written", n)
			}
		})
	}
}

// TestDuplicates imports into a database that already holds contacts, and
// a file that repeats people, with each --on-duplicate mode.
func TestDuplicates(t *testing.T) {
	const existing = "Name,Email,Phone,Company,Title,Tags,Notes\n" +
		"Maria Garcia,maria@acme.com,,Acme Corp,CTO,vip,Likes tea\n" +
		"张伟,,13800138000,华强电子,,,\n" +
		"Li Lei,,,Globex,Buyer,,\n"
	const file = "Name,Email,Phone,Company,Title,Tags,Notes\n" +
		"María García,MARIA@acme.com,+1 415 555 0100,Acme Corp,CEO,partner,Likes tea\n" + // same email: title conflicts
		"Zhang Wei,zw@hq.cn,+86 138 0013 8000,,采购经理,,New note\n" + // same phone, fills the title
		"Li Lei,lilei@globex.com,,Globex,,,\n" + // same name at the same company
		"Li Lei,lilei2@other.com,,Other Co,,,\n" + // same name, another company: a new person
		"Ann Lee,ann@x.com,,,,,\n" +
		"Ann Lee,ann@x.com,+1 415 555 0177,,Buyer,,\n" // repeats the row above
	for _, tc := range []struct {
		mode                                      Duplicate
		created, updated, merged, skipped, people int
		conflicts                                 int
	}{
		{DupUpdate, 2, 3, 1, 0, 5, 3},
		{DupSkip, 2, 0, 0, 4, 5, 0},
		{DupCreate, 6, 0, 0, 0, 9, 0},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			st := openStore(t)
			if _, err := Import(st, []byte(existing), ImportOptions{Name: "existing.csv"}); err != nil {
				t.Fatal(err)
			}
			res, err := Import(st, []byte(file), ImportOptions{Name: "file.csv", OnDuplicate: tc.mode})
			if err != nil {
				t.Fatal(err)
			}
			if res.Created != tc.created || res.Updated != tc.updated || res.Merged != tc.merged || res.Skipped != tc.skipped {
				t.Errorf("created %d updated %d merged %d skipped %d; want %d %d %d %d",
					res.Created, res.Updated, res.Merged, res.Skipped, tc.created, tc.updated, tc.merged, tc.skipped)
			}
			if n := len(contacts(t, st)); n != tc.people {
				t.Errorf("%d contacts, want %d", n, tc.people)
			}
			if len(res.Conflicts) != tc.conflicts {
				t.Errorf("conflicts %+v, want %d", res.Conflicts, tc.conflicts)
			}
			if tc.mode != DupUpdate {
				return
			}
			maria := findContact(t, st, "maria@acme.com")
			if maria.Name != "Maria Garcia" || maria.Title != "CTO" || len(maria.Phones) != 1 || strings.Join(maria.Tags, ",") != "vip,partner" {
				t.Errorf("maria = %+v", maria)
			}
			zw := findContact(t, st, "zw@hq.cn")
			if zw.Name != "张伟" || zw.Title != "采购经理" || len(zw.Emails) != 1 {
				t.Errorf("张伟 = %+v", zw)
			}
			if notes := noteBodies(t, st, maria.ID); len(notes) != 1 {
				t.Errorf("maria's notes: %q (the same note must not be logged twice)", notes)
			}
			if notes := noteBodies(t, st, zw.ID); len(notes) != 1 || notes[0] != "New note" {
				t.Errorf("张伟's notes: %q", notes)
			}
		})
	}
}

// TestReimportIsIdempotent imports the same file twice: the second time
// everything is a duplicate that changes nothing.
func TestReimportIsIdempotent(t *testing.T) {
	for _, file := range []string{"google.csv", "android_21.vcf", "pipedrive_deals.csv", "plain_zh_gbk.csv"} {
		t.Run(file, func(t *testing.T) {
			st := openStore(t)
			mustImport(t, st, file, ImportOptions{})
			before := exportJSON(t, st)
			res := mustImport(t, st, file, ImportOptions{})
			if res.Created != 0 || res.Updated != 0 {
				t.Errorf("second import: created %d updated %d", res.Created, res.Updated)
			}
			if after := exportJSON(t, st); string(after) != string(before) {
				t.Error("the second import changed the database")
			}
		})
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	st := openStore(t)
	res := mustImport(t, st, "google.csv", ImportOptions{DryRun: true})
	if !res.DryRun || res.Written || res.Created != 3 || res.Records.Contacts.Created != 3 || len(res.Columns) == 0 {
		t.Errorf("dry run result: %+v", res)
	}
	if n := len(contacts(t, st)); n != 0 {
		t.Errorf("a dry run wrote %d contacts", n)
	}
}

// TestBatches imports in several transactions and reports progress;
// every record is in its indexes afterwards (most of their entries are
// written after the last batch).
func TestBatches(t *testing.T) {
	var b strings.Builder
	b.WriteString("Name,Email\n")
	for i := range 25 {
		b.WriteString("Person " + string(rune('A'+i)) + ",p" + string(rune('a'+i)) + "@example.com\n")
	}
	st := openStore(t)
	var calls [][2]int
	res, err := Import(st, []byte(b.String()), ImportOptions{Name: "p.csv", BatchSize: 10,
		Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }})
	if err != nil || res.Created != 25 || !res.Written {
		t.Fatalf("%v %+v", err, res)
	}
	if len(calls) != 3 || calls[0] != [2]int{10, 25} || calls[2] != [2]int{25, 25} {
		t.Errorf("progress calls %v", calls)
	}
	if n := len(contacts(t, st)); n != 25 {
		t.Errorf("%d contacts", n)
	}
	if c := findContact(t, st, "py@example.com"); c.Name != "Person Y" {
		t.Errorf("the last batch's contact by email: %+v", c)
	}
	mustCheck(t, st)
}

func TestMapOverrides(t *testing.T) {
	st := openStore(t)
	csv := "客户,联系方式,微信号,座机,Remarks\n李雷,13800138001,lilei88,010-62345678,VIP since 2020\n"
	res, err := Import(st, []byte(csv), ImportOptions{Name: "m.csv", Map: []string{
		"客户=name", "联系方式=phone:mobile", "座机=phone:work", "Remarks=notes"}})
	if err != nil {
		t.Fatalf("%v %v", err, res.Errors)
	}
	c := findContact(t, st, "13800138001")
	if c.Name != "李雷" || len(c.Phones) != 2 || c.Phones[1].Label != "work" || c.Custom["wechat"] != "lilei88" {
		t.Errorf("contact %+v", c)
	}
	if notes := noteBodies(t, st, c.ID); len(notes) != 1 || notes[0] != "VIP since 2020" {
		t.Errorf("notes %q", notes)
	}
}

func findContact(t *testing.T, st *store.Store, ref string) model.Contact {
	t.Helper()
	var c model.Contact
	err := st.View(func(tx *store.Tx) error {
		var err error
		c, err = tx.ResolveContact(ref)
		return err
	})
	if err != nil {
		t.Fatalf("contact %s: %v", ref, err)
	}
	return c
}

func noteBodies(t *testing.T, st *store.Store, id model.ID) []string {
	t.Helper()
	var out []string
	err := st.View(func(tx *store.Tx) error {
		acts, err := tx.Activities(store.ActivityQuery{ContactID: id, Kind: model.KindNote})
		for _, a := range acts {
			out = append(out, a.Body)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
