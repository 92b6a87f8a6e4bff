package model

import (
	"net/mail"
	"strings"
	"testing"
)

// netMailEmail is NormalizeEmail through net/mail alone, as it was before
// plain addresses were read without it.
func netMailEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || !strings.Contains(a.Address, "@") {
		return "", false
	}
	at := strings.LastIndexByte(a.Address, '@')
	if !strings.Contains(a.Address[at+1:], ".") && a.Address[at+1:] != "localhost" {
		return "", false
	}
	return strings.ToLower(a.Address), true
}

func checkEmail(t *testing.T, s string) {
	t.Helper()
	got, err := NormalizeEmail(s)
	want, ok := netMailEmail(s)
	if got != want || (err == nil) != ok {
		t.Errorf("NormalizeEmail(%q) = %q, %v; net/mail: %q, %v", s, got, err, want, ok)
	}
}

func TestNormalizeEmailAgreesWithNetMail(t *testing.T) {
	for _, s := range []string{
		"maria@acme.com", "Maria.Garcia@ACME.com", " a@b.co ", "a.b.c@d.e.f", "a..b@c.com", ".a@b.com", "a.@b.com",
		"a@b..com", "a@.b.com", "a@b.com.", "a@localhost", "a@b", "@b.com", "a@", "a@b@c.com", "user+tag@mail.cn",
		"o'brien@example.ie", "a!#$%&'*+-/=?^_`{|}~z@x.org", "a b@c.com", `"a b"@c.com`, "Maria <maria@acme.com>",
		"maria@[192.168.0.1]", "müller@example.de", "maria@acme.com (work)", "a@b.c\x00", "a(b)@c.com",
	} {
		checkEmail(t, s)
	}
}

func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"maria@acme.com", "a..b@c.com", "o'brien@example.ie", "Maria <m@a.com>", "a@localhost"} {
		f.Add(s)
	}
	f.Fuzz(checkEmail)
}
