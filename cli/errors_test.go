package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// A rule the input broke is told in the user's language, with the same
// exit code.
func TestInvalidInputInTheUsersLanguage(t *testing.T) {
	e := newCLIEnv(t, "")
	for _, tc := range []struct{ lang, want string }{
		{"en", `rolo: email "not-an-email": not a valid email address`},
		{"zh", `rolo: 邮箱 "not-an-email"：不是有效的邮箱地址`},
	} {
		_, stderr, code := e.run("contact", "add", "--name", "Test", "--email", "not-an-email", "--lang", tc.lang)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("--lang %s: exit %d, stderr %q; want exit %d and %q", tc.lang, code, stderr, ExitUsage, tc.want)
		}
	}
}

// An import's rejected rows and its summary are in the user's language
// too, one line per row naming the file, line and column.
func TestImportRejectionsInTheUsersLanguage(t *testing.T) {
	importRejects(t, "people.csv", "姓名,邮箱\n李雷,not-an-email\n韩梅梅,hmm@example.com\n", []rejections{
		{"en", []string{"1 record rejected:", `people.csv:2: column "邮箱": email "not-an-email": not a valid email address`, "1 record rejected; nothing was imported"}},
		{"zh", []string{"拒绝了 1 条记录：", `people.csv:2: 列 "邮箱"：邮箱 "not-an-email"：不是有效的邮箱地址`, "拒绝了 1 条记录；没有导入任何内容"}},
	})
}

// A vCard's faults, found by the card reader or in a property, are in the
// user's language as well.
func TestVCardRejectionsInTheUsersLanguage(t *testing.T) {
	cards := "BEGIN:VCARD\nVERSION:3.0\nFN:李雷\nEMAIL:not-an-email\nTEL:call me\nEND:VCARD\n" +
		"BEGIN:VCARD\nVERSION:3.0\nNOTE:nobody\nEND:VCARD\n" +
		"BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=KLINGON;ENCODING=QUOTED-PRINTABLE:=E5\nEND:VCARD\n" +
		"BEGIN:VCARD\nVERSION:3.0\nFN:韩梅梅\n"
	importRejects(t, "phone.vcf", cards, []rejections{
		{"en", []string{
			`phone.vcf:4: EMAIL: email "not-an-email": not a valid email address; TEL: phone "call me": has no digits (line 5)`,
			"phone.vcf:7: the card has no name, email or phone",
			`phone.vcf:13: FN: unknown CHARSET "KLINGON"`,
			"phone.vcf:15: the card has no END:VCARD",
			"4 records rejected; nothing was imported"}},
		{"zh", []string{
			`phone.vcf:4: EMAIL：邮箱 "not-an-email"：不是有效的邮箱地址；TEL：电话 "call me"：不含数字（第 5 行）`,
			"phone.vcf:7: 这张名片没有姓名、邮箱或电话",
			`phone.vcf:13: FN：未知的 CHARSET "KLINGON"`,
			"phone.vcf:15: 这张名片没有 END:VCARD",
			"拒绝了 4 条记录；没有导入任何内容"}},
	})
}

// rejections is what an import of a bad file says in one language.
type rejections struct {
	lang string
	want []string
}

// importRejects imports a file named name holding text in each language
// and checks that it exits 2 and says everything it should.
func importRejects(t *testing.T, name, text string, cases []rejections) {
	t.Helper()
	e := newCLIEnv(t, "")
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		_, stderr, code := e.run("import", file, "--lang", tc.lang)
		if code != ExitUsage {
			t.Errorf("--lang %s: exit %d, want %d", tc.lang, code, ExitUsage)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("--lang %s: stderr lacks %q:\n%s", tc.lang, w, stderr)
			}
		}
	}
}

// A database an import left with its indexes unfinished (the process
// was killed) is repaired by the next command, which says so on stderr
// and then finds the contacts through their indexes.
func TestUnfinishedIndexesAreRebuiltWithANotice(t *testing.T) {
	e := newCLIEnv(t, "")
	st, err := store.Open(e.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ld := st.Loader(0)
	err = ld.Update(func(tx *store.Tx) error {
		return tx.ImportContacts([]*model.Contact{{Name: "李雷", Emails: []model.Email{{Address: "lilei@example.com"}}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close() // without ld.Close: as a killed import leaves the file
	for _, tc := range []struct{ lang, want string }{
		{"zh", "正在重建索引"},
		{"en", ""}, // repaired by the first command: nothing more to say
	} {
		out, stderr, code := e.run("contact", "show", "lilei@example.com", "--lang", tc.lang)
		if code != 0 || !strings.Contains(out, "李雷") {
			t.Fatalf("--lang %s: exit %d, out %q, stderr %q", tc.lang, code, out, stderr)
		}
		if tc.want == "" && stderr != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("--lang %s: stderr %q, want %q", tc.lang, stderr, tc.want)
		}
	}
	if r, err := store.Verify(e.db, store.Options{}); err != nil || !r.OK() {
		t.Errorf("the repaired file: %v %v", err, r.Problems)
	}
}
