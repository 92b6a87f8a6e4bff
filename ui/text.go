package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// ellipsis ends text cut to fit a column.
const ellipsis = "…"

// fit cuts s to at most w cells (ending it with an ellipsis when cut) and
// pads it with spaces to exactly w cells. Widths are display cells, so a
// Han character or an emoji counts two; s may carry ANSI styles.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if plain(s) { // most cells: skip grapheme segmentation
		if len(s) > w {
			return s[:w-1] + ellipsis
		}
		return s + strings.Repeat(" ", w-len(s))
	}
	s = ansi.Truncate(s, w, ellipsis)
	// A prepending character (U+0605 and the like) joins the space after
	// it into one cell: pad again until the row is full.
	for range 3 {
		n := ansi.StringWidth(s)
		if n >= w {
			break
		}
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// clip cuts s to at most w cells without padding.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, ellipsis)
}

// fitRight is fit with the text aligned to the right edge.
func fitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = ansi.Truncate(s, w, ellipsis)
	if n := ansi.StringWidth(s); n < w {
		s = strings.Repeat(" ", w-n) + s
	}
	return s
}

// ansiStrip removes the styles from s.
func ansiStrip(s string) string { return ansi.Strip(s) }

// width is the display width of s in cells.
func width(s string) int {
	if plain(s) {
		return len(s)
	}
	return ansi.StringWidth(s)
}

// plain reports whether s is printable ASCII only, one cell a byte.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// oneLine makes text from a record safe to draw on one row: line breaks
// and tabs become spaces, other control characters (an escape sequence
// in an imported name) and invisible format characters (soft hyphens,
// byte-order marks, bidi controls, prepended number signs: terminals and
// the layout disagree on their width) are dropped, and bytes that are
// not UTF-8 become U+FFFD. Joiners and emoji tag characters stay.
func oneLine(s string) string {
	if plain(s) {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.ContainsAny(s, "\r\n\t") {
		s = strings.Join(strings.Fields(s), " ")
	}
	if !strings.ContainsFunc(s, invisible) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}

// invisible reports whether oneLine drops r.
func invisible(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == '\u200c' || r == '\u200d' || r >= 0xe0020 && r <= 0xe007f: // joiners, emoji tags
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

// block pads or cuts lines to exactly h rows of exactly w cells, so that a
// pane never pushes its neighbours out of place.
func block(lines []string, w, h int) string {
	var b strings.Builder
	b.Grow((w + 1) * h)
	for i := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(fit(lines[i], w))
		} else {
			b.WriteString(strings.Repeat(" ", w))
		}
	}
	return b.String()
}

// sideBySide joins two blocks of the same height with a separator column.
func sideBySide(left, sep, right string) string {
	l, r := strings.Split(left, "\n"), strings.Split(right, "\n")
	var b strings.Builder
	for i := range max(len(l), len(r)) {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(l) {
			b.WriteString(l[i])
		}
		b.WriteString(sep)
		if i < len(r) {
			b.WriteString(r[i])
		}
	}
	return b.String()
}

// joinCols lays out cells left to right; each takes its width and the
// cells are separated by one space.
func joinCols(cells []string, widths []int) string {
	var b strings.Builder
	for i, c := range cells {
		if widths[i] <= 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fit(c, widths[i]))
	}
	return b.String()
}

// overlay draws box over bg with its top left corner at column x, row y.
// The cells of bg the box covers are replaced; a wide character cut by
// the box's edge becomes a space, so columns never shift.
func overlay(bg, box string, x, y int) string {
	lines := strings.Split(bg, "\n")
	for i, b := range strings.Split(box, "\n") {
		row := y + i
		if row >= len(lines) {
			break
		}
		line := lines[row]
		lw := ansi.StringWidth(line)
		if ansi.StringWidth(b) > lw-x { // a box wider than the screen is cut
			b = ansi.Truncate(b, max(lw-x, 0), "")
		}
		bw := ansi.StringWidth(b)
		left := ansi.Truncate(line, x, "")
		left += strings.Repeat(" ", max(x-ansi.StringWidth(left), 0))
		right := ""
		if rw := lw - x - bw; rw > 0 {
			right = ansi.TruncateLeft(line, x+bw, "")
			if ansi.StringWidth(right) > rw {
				right = " " + ansi.TruncateLeft(line, x+bw+1, "")
			}
		}
		lines[row] = left + ansi.ResetStyle + b + ansi.ResetStyle + right
	}
	return strings.Join(lines, "\n")
}

// clamp keeps v within [lo, hi]; hi below lo gives lo.
func clamp(v, lo, hi int) int {
	if v > hi {
		v = hi
	}
	if v < lo {
		v = lo
	}
	return v
}

// scrollTo returns the first visible row of a window of h rows over n rows
// that keeps cursor visible, moving offset as little as possible.
func scrollTo(cursor, offset, h, n int) int {
	if h <= 0 {
		return 0
	}
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+h {
		offset = cursor - h + 1
	}
	return clamp(offset, 0, max(0, n-h))
}
