package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/rolo-crm/rolo/i18n"
)

// TestErrorKeysExist checks that every message key the model's sources
// name is in both catalogues.
func TestErrorKeysExist(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`"(model\.[a-z_.]+)"`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			k := m[1]
			if strings.HasSuffix(k, ".") { // a prefix, such as "model.field."
				continue
			}
			n++
			for _, l := range []i18n.Lang{i18n.English, i18n.Chinese} {
				if !l.Has(k) {
					t.Errorf("%s: %s lacks %q", f, l, k)
				}
			}
		}
	}
	if n < 40 {
		t.Errorf("found only %d keys: has the call of invalid changed?", n)
	}
}

// TestEnglishFieldNames checks that a field reads in English as the model
// names it, so that FieldError.Error stays what scripts see.
func TestEnglishFieldNames(t *testing.T) {
	for _, k := range i18n.Keys(i18n.English) {
		if name, ok := strings.CutPrefix(k, "model.field."); ok && i18n.English.T(k) != name {
			t.Errorf("%s is %q in English, not %q", k, i18n.English.T(k), name)
		}
	}
}

// modelErrors makes a few of the model's errors, wrapped ones included.
func modelErrors() map[string]error {
	score := 11
	_, email := NormalizeEmail("not-an-email")
	_, due := ParseWhen("2026-02-30", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	_, empty := ParseWhen("", time.Now())
	_, amount := ParseMoney("1.2.3,4.5", "CNY")
	_, decimals := ParseMoney("1.234", "CNY")
	_, repeat := ParseRepeat("sometimes")
	return map[string]error{
		"email":    email,
		"score":    (&Activity{Kind: KindFeedback, At: time.Now(), ContactID: NewID(time.Now()), Score: &score}).Normalize(Rules{}),
		"due":      due,
		"empty":    empty,
		"amount":   amount,
		"decimals": decimals,
		"repeat":   repeat,
		"stage":    Pipeline{Stages: []Stage{{Key: "two words"}}}.Validate(),
	}
}

func TestFieldErrorIn(t *testing.T) {
	for name, err := range modelErrors() {
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Fatalf("%s: %v is not a FieldError", name, err)
		}
		if fe.Key == "" || fe.Key == "model.untranslated" {
			t.Errorf("%s: %v has no message key", name, err)
		}
		if got := fe.In(i18n.English); got != err.Error() {
			t.Errorf("%s: in English %q, Error %q", name, got, err.Error())
		}
		if fe.Reason != fe.ReasonIn(i18n.English) {
			t.Errorf("%s: Reason %q, in English %q", name, fe.Reason, fe.ReasonIn(i18n.English))
		}
		zh := fe.ReasonIn(i18n.Chinese)
		if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) || zh == fe.Reason {
			t.Errorf("%s: %q is not Chinese", name, zh)
		}
	}
}

func TestFieldErrorInChinese(t *testing.T) {
	errs := modelErrors()
	for _, tt := range []struct {
		err  error
		want string
	}{
		{errs["email"], `邮箱 "not-an-email"：不是有效的邮箱地址`},
		{errs["score"], "评分：须在 0 到 10 之间"},
		{errs["due"], `到期 "2026-02-30"：没有这一天；可以写 2026-12-01`},
		{errs["decimals"], `金额 "1.234"：小数位数超过该币种允许的位数（2）`},
		{fmt.Errorf("contact 3: %w", errs["email"]), `contact 3: 邮箱 "not-an-email"：不是有效的邮箱地址`},
	} {
		if got := ErrorIn(tt.err, i18n.Chinese); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%v in Chinese:\n got %q\nwant %q", tt.err, got, tt.want)
		}
		if got := ErrorIn(tt.err, i18n.English); got != tt.err.Error() {
			t.Errorf("in English %q, want %q", got, tt.err.Error())
		}
	}
}

func TestFieldErrorWithoutKey(t *testing.T) {
	err := &FieldError{Field: "limit", Value: "-1", Reason: "cannot be negative"}
	if got, want := err.In(i18n.Chinese), `limit "-1"：cannot be negative`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := err.Error(), `limit "-1": cannot be negative`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
