package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture is a file of interchange/testdata, written for this project in
// the layout of the tool it comes from.
func fixture(name string) string { return filepath.Join("..", "interchange", "testdata", name) }

func TestImportKnownExports(t *testing.T) {
	e := newEnv(t)
	for _, f := range []string{"google.csv", "outlook.csv", "plain_zh_gbk.csv", "android_21.vcf", "pipedrive_deals.csv"} {
		e.ok("import", fixture(f))
	}
	maria := e.object("contact", "show", "maria@acme.com")
	if str(maria, "name") != "Maria Garcia" || str(maria, "company") != "Acme Corp" || str(maria, "title") != "CTO" ||
		len(strs(maria, "emails")) != 2 || len(strs(maria, "phones")) != 3 {
		t.Errorf("Maria: %v", maria)
	}
	acts, _ := maria["activities"].([]any)
	if len(acts) != 1 || !strings.Contains(str(acts[0].(map[string]any), "body"), "\n") {
		t.Errorf("Maria's multi-line note: %v", acts)
	}
	// 张伟 is in the Google export and in the Android vCard: one contact.
	zw := e.list("contact", "list", "--search", "张伟")
	if len(zw) != 1 || len(strs(zw[0], "phones")) < 4 {
		t.Errorf("张伟: %v", zw)
	}
	li := e.object("contact", "show", "li.na@dongfang.com") // from the GBK file
	if str(li, "name") != "李娜" || str(li, "company") != "上海东方贸易有限公司" || str(li, "birthday") != "1988-05-20" {
		t.Errorf("李娜: %v", li)
	}
	deals := e.list("deal", "list")
	if len(deals) != 3 {
		t.Errorf("%d deals from Pipedrive, want 3", len(deals))
	}
}

func TestImportRejectsBadFile(t *testing.T) {
	e := newEnv(t)
	r := e.fails(2, "import", fixture("bad.csv"))
	for _, want := range []string{
		`bad.csv:4: column "Email": email "bob@": not a valid email address`,
		"bad.csv:6: 7 fields where the header has 5",
		"bad.csv:7: broken quoting",
		"5 records rejected; nothing was imported",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if l := e.list("contact", "list"); len(l) != 0 {
		t.Fatalf("a refused import wrote %d contacts", len(l))
	}
	r = e.ok("import", fixture("bad.csv"), "--skip-errors", "--json")
	var res map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if res["created"] != 2.0 || res["rejected"] != 5.0 || len(res["errors"].([]any)) != 5 {
		t.Errorf("summary %v", res)
	}
	if !strings.Contains(r.stderr, "skipped because of errors") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestImportDryRunAndOptions(t *testing.T) {
	e := newEnv(t)
	res := e.object("import", fixture("google.csv"), "--dry-run")
	if res["dry_run"] != true || res["written"] != false || res["created"] != 3.0 || res["layout"] != "Google Contacts" {
		t.Errorf("dry run: %v", res)
	}
	if l := e.list("contact", "list"); len(l) != 0 {
		t.Errorf("a dry run wrote %d contacts", len(l))
	}
	r := e.ok("import", fixture("google.csv"), "--dry-run")
	if !strings.Contains(r.stdout, "Labels") || !strings.Contains(r.stdout, "Dry run: nothing was written.") {
		t.Errorf("the dry run shows no column mapping:\n%s", r.stdout)
	}
	e.fails(2, "import", fixture("google.csv"), "--on-duplicate", "merge")
	e.fails(2, "import", fixture("google.csv"), "--map", "Nope=email")
	e.fails(2, "import", fixture("google.csv"), "--encoding", "ebcdic")
	e.fails(2, "import", filepath.Join(e.dir, "missing.csv"))

	csv := filepath.Join(e.dir, "weird.csv")
	os.WriteFile(csv, []byte("客户,联系方式,Remarks\n韩梅梅,13800138009,met at the fair\n"), 0o600)
	e.ok("import", csv, "--map", "客户=name", "--map", "联系方式=phone:mobile", "--map", "Remarks=notes")
	c := e.object("contact", "show", "13800138009")
	if str(c, "name") != "韩梅梅" {
		t.Errorf("--map: %v", c)
	}
	// The same file again: a duplicate that changes nothing.
	res = e.object("import", csv, "--map", "客户=name", "--map", "联系方式=phone:mobile", "--map", "Remarks=notes")
	if res["unchanged"] != 1.0 || res["created"] != 0.0 {
		t.Errorf("re-import: %v", res)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.ok("demo", "--contacts", "60")
	out := filepath.Join(e.dir, "all.json")
	e.ok("export", "-o", out)
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	other := newEnv(t)
	other.ok("import", out)
	r := other.ok("export")
	if r.stdout != string(first) {
		t.Error("export → import into an empty database → export is not the same file")
	}

	dir := filepath.Join(e.dir, "csv")
	e.ok("export", "--format", "csv", "-o", dir)
	for _, f := range []string{"contacts.csv", "companies.csv", "deals.csv", "tasks.csv", "activities.csv"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	r = e.fails(2, "export", "--format", "csv")
	if !strings.Contains(r.stderr, "-o DIRECTORY") {
		t.Errorf("stderr: %s", r.stderr)
	}
	r = e.ok("export", "--format", "csv", "--entity", "deals")
	if !strings.HasPrefix(r.stdout, "id,title,contact_id,") {
		t.Errorf("deals.csv: %.80s", r.stdout)
	}
	vcf := filepath.Join(e.dir, "c.vcf")
	res := e.object("export", "--format", "vcard", "-o", vcf)
	data, _ := os.ReadFile(vcf)
	if res["records"].(map[string]any)["contacts"] != 60.0 || strings.Count(string(data), "BEGIN:VCARD") != 60 {
		t.Errorf("vcard export: %v", res)
	}
	r = e.ok("export", "--format", "ics")
	if !strings.HasPrefix(r.stdout, "BEGIN:VCALENDAR\r\n") || !strings.Contains(r.stdout, "BEGIN:VTODO") || !strings.Contains(r.stdout, "BEGIN:VALARM") {
		t.Errorf("ics: %.200s", r.stdout)
	}
	e.fails(2, "export", "--format", "vcard", "--entity", "deals")
	e.fails(2, "export", "--format", "xlsx")
}

func TestContactMerge(t *testing.T) {
	e := newEnv(t)
	a := e.object("contact", "add", "--name", "Maria Garcia", "--email", "maria@acme.com", "--company", "Acme", "--title", "CTO")
	b := e.object("contact", "add", "--name", "Maria G.", "--email", "mg@gmail.com", "--phone", "+1 415 555 0100", "--tag", "vip")
	e.ok("deal", "add", "--title", "ERP rollout", "--contact", "mg@gmail.com", "--amount", "1000")
	e.ok("task", "add", "Call Maria", "--contact", "mg@gmail.com")
	e.ok("log", "note", "--contact", "mg@gmail.com", "met at the fair")
	res := e.object("contact", "merge", "maria@acme.com", "mg@gmail.com")
	if res["deals"] != 1.0 || res["tasks"] != 1.0 || res["activities"] != 1.0 || res["removed"] != str(b, "id") {
		t.Errorf("merge: %v", res)
	}
	m := e.object("contact", "show", str(a, "id"))
	if len(strs(m, "emails")) != 2 || len(strs(m, "phones")) != 1 || strs(m, "tags")[0] != "vip" || str(m, "name") != "Maria Garcia" {
		t.Errorf("merged: %v", m)
	}
	if d, _ := m["deals"].([]any); len(d) != 1 {
		t.Errorf("the deal did not move: %v", m["deals"])
	}
	e.fails(3, "contact", "show", str(b, "id"))
	e.fails(2, "contact", "merge", "maria@acme.com", "maria@acme.com")
	e.fails(3, "contact", "merge", "maria@acme.com", "nobody@nowhere.com")
	if r := e.ok("doctor"); !strings.Contains(r.stdout, "healthy") {
		t.Errorf("doctor after merge: %s", r.stdout)
	}
}
