package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// table prints aligned columns, measuring text in terminal cells so
// Chinese names line up; columns wider than max are cut with "…".
type table struct {
	header []string
	rows   [][]string
	max    []int
}

func newTable(header ...string) *table { return &table{header: header} }

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// limit caps the width of column i.
func (t *table) limit(i, width int) *table {
	for len(t.max) <= i {
		t.max = append(t.max, 0)
	}
	t.max[i] = width
	return t
}

func (t *table) write(w io.Writer) {
	widths := make([]int, len(t.header))
	cell := func(i int, s string) string {
		s = strings.ReplaceAll(s, "\n", " ")
		if i < len(t.max) && t.max[i] > 0 && ansi.StringWidth(s) > t.max[i] {
			s = ansi.Truncate(s, t.max[i], "…")
		}
		return s
	}
	for _, r := range append([][]string{t.header}, t.rows...) {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(cell(i, c)))
		}
	}
	for _, r := range append([][]string{t.header}, t.rows...) {
		var b strings.Builder
		for i, c := range r {
			c = cell(i, c)
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// details prints "Label  value" lines for a record's fields, skipping
// empty values.
type details struct {
	labels []string
	values []string
}

func (d *details) add(label, value string) {
	if strings.TrimSpace(value) != "" {
		d.labels = append(d.labels, label)
		d.values = append(d.values, value)
	}
}

func (d *details) write(w io.Writer) {
	width := 0
	for _, l := range d.labels {
		width = max(width, ansi.StringWidth(l))
	}
	for i, l := range d.labels {
		pad := strings.Repeat(" ", width-ansi.StringWidth(l)+2)
		lines := strings.Split(d.values[i], "\n")
		fmt.Fprintf(w, "%s%s%s\n", l, pad, lines[0])
		for _, more := range lines[1:] {
			fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", width+2), more)
		}
	}
}
