package i18n

import (
	"slices"
	"strings"
	"testing"
)

func TestCataloguesMatch(t *testing.T) {
	e, z := Keys(English), Keys(Chinese)
	slices.Sort(e)
	slices.Sort(z)
	for _, k := range e {
		if _, ok := catalogues[Chinese][k]; !ok {
			t.Errorf("zh lacks %q", k)
		}
	}
	for _, k := range z {
		if _, ok := catalogues[English][k]; !ok {
			t.Errorf("en lacks %q", k)
		}
	}
	for _, k := range e {
		if strings.Count(catalogues[English][k], "%") != strings.Count(catalogues[Chinese][k], "%") {
			t.Errorf("%q: en and zh take different arguments", k)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"zh": Chinese, "zh_CN.UTF-8": Chinese, "en_US": English, "EN": English} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %v %v", in, got, ok)
		}
	}
	if _, ok := Parse("fr"); ok {
		t.Error("fr is not supported")
	}
	if got := Chinese.T("msg.done", "x"); got != "已完成：x" {
		t.Errorf("T: %q", got)
	}
}
