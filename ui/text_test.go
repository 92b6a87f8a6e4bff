package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFit(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{
		{"abc", 5, "abc  "},
		{"abcdef", 4, "abc…"},
		{"abcdef", 1, "…"},
		{"abcd", 4, "abcd"},
		{"张伟", 4, "张伟"},
		{"张伟", 5, "张伟 "},
		{"张伟明", 5, "张伟…"},
		{"张伟明", 4, "张… "}, // a wide character never straddles the edge
		{"👍ok", 3, "👍…"},
		{"", 3, "   "},
		{"abc", 0, ""},
		{"\x1b[1mbold\x1b[0m", 6, "\x1b[1mbold\x1b[0m  "},
	} {
		got := fit(c.in, c.w)
		if got != c.want {
			t.Errorf("fit(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
		if c.w > 0 && ansi.StringWidth(got) != c.w {
			t.Errorf("fit(%q, %d) is %d cells wide", c.in, c.w, ansi.StringWidth(got))
		}
	}
}

func TestBlockKeepsShape(t *testing.T) {
	lines := []string{"短", "a much longer line than the block is wide", "李娜 · 采购经理 · 华强电子"}
	out := block(lines, 12, 5)
	rows := strings.Split(out, "\n")
	if len(rows) != 5 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, r := range rows {
		if w := ansi.StringWidth(r); w != 12 {
			t.Errorf("row %d is %d cells: %q", i, w, r)
		}
	}
}

func TestScrollTo(t *testing.T) {
	for _, c := range []struct{ cursor, offset, h, n, want int }{
		{0, 0, 10, 100, 0},
		{15, 0, 10, 100, 6},
		{3, 6, 10, 100, 3},
		{99, 0, 10, 100, 90},
		{5, 50, 10, 8, 0},
		{0, 0, 0, 5, 0},
	} {
		if got := scrollTo(c.cursor, c.offset, c.h, c.n); got != c.want {
			t.Errorf("scrollTo(%d, %d, %d, %d) = %d, want %d", c.cursor, c.offset, c.h, c.n, got, c.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", -1234567: "-1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q", n, got)
		}
	}
}

func TestSplitList(t *testing.T) {
	for _, c := range []struct {
		in     string
		spaces bool
		want   string
	}{
		{"a@x.com, b@y.org", true, "a@x.com|b@y.org"},
		{"a@x.com b@y.org;c@z.cn", true, "a@x.com|b@y.org|c@z.cn"},
		{"+86 138 0013 8000, 021-1234 5678", false, "+86 138 0013 8000|021-1234 5678"},
		{"vip，老客户；key account", false, "vip|老客户|key account"},
		{" , ", false, ""},
	} {
		if got := strings.Join(splitList(c.in, c.spaces), "|"); got != c.want {
			t.Errorf("splitList(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestOverlay(t *testing.T) {
	bg := strings.Join([]string{
		"abcdefghij",
		"张伟李娜王芳",
		"\x1b[31mredredred\x1b[0m!",
	}, "\n")
	got := ansi.Strip(overlay(bg, "XX\nYY\nZZ", 3, 0))
	// The box cuts 伟 and 李 in half: each leaves a space.
	want := "abcXXfghij\n张 YY 娜王芳\nredZZdred!"
	if got != want {
		t.Errorf("overlay:\n%s\nwant:\n%s", got, want)
	}
	// The box's right edge cuts a wide character: a space takes its place.
	if got := ansi.Strip(overlay("张伟李娜王芳", "XXX", 2, 0)); got != "张XXX 娜王芳" {
		t.Errorf("cut on the right: %q", got)
	}
	for i, l := range strings.Split(overlay(bg, "XX\nYY\nZZ", 3, 0), "\n") {
		if w, want := ansi.StringWidth(l), ansi.StringWidth(strings.Split(bg, "\n")[i]); w != want {
			t.Errorf("line %d is %d cells, want %d", i, w, want)
		}
	}
}

// FuzzFit checks that any text, once on one line, fits a column exactly:
// a name or a note from an import must never push the layout out of shape.
func FuzzFit(f *testing.F) {
	for _, s := range []string{"张伟", "Ana Fernández Rodríguez", "👍🏽 ok", "\x1b[2Jclear", "a\tb\nc", "ｆｕｌｌ", "e\u0301"} {
		f.Add(s, 7)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		w = 1 + int(uint(w)%120)
		got := fit(oneLine(s), w)
		if n := ansi.StringWidth(got); n != w {
			t.Errorf("fit(%q, %d) is %d cells: %q", s, w, n, got)
		}
	})
}

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"Ana Smith":       "Ana Smith",
		"张伟\n采购经理":        "张伟 采购经理",
		"a\tb\r\nc":       "a b c",
		"evil\x1b[2Jname": "evil[2Jname",
		"bell\a":          "bell",
		"bad \xc3 byte":   "bad \uFFFD byte",
		"  spaced  out  ": "  spaced  out  ",
	} {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
}

// A prepending character joins the following space into one grapheme:
// fit still fills the row, and oneLine drops the invisible ones.
func TestFitPrepend(t *testing.T) {
	for _, s := range []string{"\u0605", "ab\u0d4e", "\u0600x"} {
		for _, w := range []int{1, 2, 5, 60} {
			if n := ansi.StringWidth(fit(s, w)); n != w {
				t.Errorf("fit(%q, %d) is %d cells", s, w, n)
			}
		}
	}
	if got := oneLine("\ufeffAna\u00ad Li\u0605\u200d"); got != "Ana Li\u200d" {
		t.Errorf("oneLine kept invisible characters: %q", got)
	}
}
