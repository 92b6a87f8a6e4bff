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

// readCSV reads a CSV or TSV file whose first row names the columns.
// Malformed rows (broken quoting, a wrong number of fields, a bad value)
// become records carrying their error; a file whose header maps to
// nothing importable is an error.
func readCSV(env *readerEnv, text []byte, overrides []string) (*input, error) {
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
	b := rowBuilder{env: env, m: m, in: in}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount):
			in.contacts = append(in.contacts, contactItem{line: pe.StartLine, err: invalidf(
				"%d fields where the header has %d (a stray %q or a missing quote?)", len(rec), len(header), string(r.Comma))})
			continue
		case errors.As(err, &pe):
			in.contacts = append(in.contacts, contactItem{line: pe.StartLine, err: invalidf("broken quoting at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)})
			continue
		case err != nil:
			return nil, fmt.Errorf("%s: %w", env.file, err)
		}
		line, _ := r.FieldPos(0)
		b.row(line, rec)
	}
	return in, nil
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
