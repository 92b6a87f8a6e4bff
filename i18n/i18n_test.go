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
		if base, ok := strings.CutSuffix(k, ".one"); ok { // a singular, English only
			if _, ok := catalogues[English][base]; !ok {
				t.Errorf("%q has no plural %q", k, base)
			}
			if strings.Count(catalogues[English][k], "%") != strings.Count(catalogues[English][base], "%") {
				t.Errorf("%q and %q take different arguments", k, base)
			}
			continue
		}
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
		if strings.HasSuffix(k, ".one") {
			continue
		}
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

func TestN(t *testing.T) {
	if got := English.N("sync.conflicts.new", 1, 1); !strings.HasPrefix(got, "1 new conflict:") {
		t.Errorf("one: %q", got)
	}
	if got := English.N("sync.conflicts.new", 2, 2); !strings.HasPrefix(got, "2 new conflicts:") {
		t.Errorf("two: %q", got)
	}
	if got, want := Chinese.N("sync.conflicts.new", 1, 1), Chinese.T("sync.conflicts.new", 1); got != want {
		t.Errorf("zh one: %q, want %q", got, want)
	}
}
