package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	e := newCLIEnv(t, "")
	file := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(file, []byte("姓名,邮箱\n李雷,not-an-email\n韩梅梅,hmm@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"1 record rejected:", `people.csv:2: column "邮箱": email "not-an-email": not a valid email address`, "1 record rejected; nothing was imported"}},
		{"zh", []string{"拒绝了 1 条记录：", `people.csv:2: 列 "邮箱"：邮箱 "not-an-email"：不是有效的邮箱地址`, "拒绝了 1 条记录；没有导入任何内容"}},
	} {
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
