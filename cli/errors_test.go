package cli

import (
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
