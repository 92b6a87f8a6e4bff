package model

import (
	"testing"

	"github.com/mozillazg/go-pinyin"
)

// TestPinyinTableMatchesGoPinyin checks that pinyin_table.go is go-pinyin's
// dictionary as it is now: after upgrading go-pinyin, run go generate.
func TestPinyinTableMatchesGoPinyin(t *testing.T) {
	if len(hanRunes) != len(pinyin.PinyinDict) || len(hanDictReadings) != len(hanRunes) {
		t.Fatalf("table has %d runes, go-pinyin %d: run go generate ./model", len(hanRunes), len(pinyin.PinyinDict))
	}
	for r, want := range pinyin.PinyinDict {
		if got, ok := hanDict(rune(r)); !ok || got != want {
			t.Fatalf("%c: table %q, go-pinyin %q: run go generate ./model", r, got, want)
		}
	}
	if _, ok := hanDict('a'); ok {
		t.Error("a is not Han")
	}
}
