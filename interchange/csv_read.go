package interchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rolo-crm/rolo/interchange/csvmap"
	"github.com/rolo-crm/rolo/model"
)

// openCSV reads the header row of a CSV or TSV file and returns the
// stream of its rows. Malformed rows (broken quoting, a wrong number of
// fields, a bad value) become records carrying their error; a file whose
// header maps to nothing importable is an error.
func openCSV(env *readerEnv, text []byte, overrides []string) (*source, error) {
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = delimiter(text)
	header, err := r.Read()
	if err == io.EOF {
		return nil, invalidf("%s: the file is empty", env.file)
	}
	if err != nil {
		return nil, invalidf("%s: the header row cannot be read: %v", env.file, err)
	}
	m, err := csvmap.New(header, overrides)
	if err != nil {
		return nil, err
	}
	if !m.Has(csvmap.DealTitle) && !hasAny(m, csvmap.Name, csvmap.FirstName, csvmap.LastName, csvmap.Email, csvmap.Phone, csvmap.Nickname) {
		return nil, invalidf("%s: no column of the header row is recognised as a name, email, phone or deal title "+
			"(columns: %s); say which with --map COLUMN=field, e.g. --map \"%s=name\"", env.file, strings.Join(header, ", "), firstOr(header))
	}
	in := &input{format: "csv", layout: m.Title, byID: m.Layout == "rolo-contacts", byIDDeal: m.Layout == "rolo-deals"}
	for _, c := range m.Columns {
		in.columns = append(in.columns, MappedColumn{Column: c.Header, Field: c.Target.String(), Recognised: c.Recognised})
	}
	produce := func(send func(*batch) bool) error {
		b := &batch{}
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			var pe *csv.ParseError
			switch {
			case errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount):
				b.rows = append(b.rows, csvRow{line: pe.StartLine, err: invalidf(
					"%d fields where the header has %d (a stray %q or a missing quote?)", len(rec), len(header), string(r.Comma))})
			case errors.As(err, &pe):
				b.rows = append(b.rows, csvRow{line: pe.StartLine, err: invalidf("broken quoting at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)})
			case err != nil:
				return fmt.Errorf("%s: %w", env.file, err)
			default:
				line, _ := r.FieldPos(0)
				b.rows = append(b.rows, csvRow{line: line, fields: rec})
			}
			if len(b.rows) == batchSize {
				if !send(b) {
					return nil
				}
				b = &batch{}
			}
		}
		if len(b.rows) > 0 {
			send(b)
		}
		return nil
	}
	work := func(b *batch) {
		rb := rowBuilder{env: env, m: m, in: &input{}}
		for _, row := range b.rows {
			if row.err != nil {
				rb.in.contacts = append(rb.in.contacts, contactItem{line: row.line, err: row.err})
				continue
			}
			rb.row(row.line, row.fields)
		}
		b.rows, b.contacts, b.deals = nil, rb.in.contacts, rb.in.deals
		prepare(env, b.contacts)
	}
	return &source{in: in, produce: produce, work: work}, nil
}

// csvRow is one record of a CSV file: its fields, or why they cannot be
// read.
type csvRow struct {
	line   int
	fields []string
	err    error
}

// delimiter picks the separator of the header row: a comma, a tab (TSV,
// Excel's "Unicode text") or a semicolon (Excel in many European locales).
func delimiter(text []byte) rune {
	line, _, _ := bytes.Cut(text, []byte("\n"))
	best, n := ',', 0
	for _, d := range []rune{',', '\t', ';'} {
		if c := countOutsideQuotes(line, byte(d)); c > n {
			best, n = d, c
		}
	}
	return best
}

func countOutsideQuotes(line []byte, d byte) int {
	n, quoted := 0, false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case c == d && !quoted:
			n++
		}
	}
	return n
}

func hasAny(m *csvmap.Mapping, fs ...csvmap.Field) bool {
	for _, f := range fs {
		if m.Has(f) {
			return true
		}
	}
	return false
}

func firstOr(h []string) string {
	if len(h) == 0 {
		return "COLUMN"
	}
	return strings.TrimSpace(h[0])
}

// invalidError is bad input: its message is for people, and it wraps
// model.ErrInvalid so that the command exits 2.
type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }
func (e *invalidError) Unwrap() error { return model.ErrInvalid }

func invalidf(format string, args ...any) error { return &invalidError{fmt.Sprintf(format, args...)} }
