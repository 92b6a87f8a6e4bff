package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rolo-crm/rolo/i18n"
)

// TestScreens draws every view at 80x24 and 160x45 in English and
// Chinese and compares each with its golden file in testdata (run with
// -update to rewrite them after a deliberate change).
func TestScreens(t *testing.T) {
	sizes := []struct{ w, h int }{{80, 24}, {160, 45}}
	langs := []struct {
		lang i18n.Lang
		// wait names a text each view shows once its data is in.
		wait [viewCount]string
	}{
		{i18n.English, [viewCount]string{"Overdue follow-ups (", "Email ", "Domain ", "Negotiation (", "Overdue (", "Follow-ups"}},
		{i18n.Chinese, [viewCount]string{"逾期待办（", "邮箱 ", "域名 ", "谈判 (", "逾期（", "待办"}},
	}
	for _, l := range langs {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s/%dx%d", l.lang, size.w, size.h), func(t *testing.T) {
				d := drive(t, driveOptions{lang: l.lang, w: size.w, h: size.h})
				for i := range viewCount {
					d.press(fmt.Sprint(i + 1))
					d.waitText(l.wait[i])
					same(t, viewName(i), d.settle(), size.w, size.h)
				}
				d.press("?")
				d.waitText(d.scr.sh.T("tui.help.close"))
				same(t, "help", d.settle(), size.w, size.h)
			})
		}
	}
}

// same checks a frame's shape and compares it with its golden file.
func same(t *testing.T, name, frame string, w, h int) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		checkScreen(t, frame, w, h)
		golden.RequireEqual(t, []byte(frame))
	})
}

func viewName(i int) string {
	return [...]string{"today", "contacts", "companies", "deals", "tasks", "reports"}[i]
}

// checkScreen checks that a frame fills the screen exactly: h lines, none
// wider than w cells (a wide character or a long name must never push the
// layout out of shape).
func checkScreen(t *testing.T, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d:\n%s", len(lines), h, s)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, n, w, l)
		}
	}
}
