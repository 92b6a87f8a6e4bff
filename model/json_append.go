package model

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"
)

// jsonWriter appends the JSON of a record byte for byte as json.Marshal
// writes it (HTML-safe escaping, sorted map keys, RFC 3339 times) without
// reflection: encoding the records was the largest cost of a first sync
// and of a JSON export. The first error, a time json.Marshal cannot
// write, sticks and is returned by result.
type jsonWriter struct {
	b   []byte
	err error
}

// result returns the JSON appended to b, or b unchanged and the error.
func (w *jsonWriter) result(b []byte) ([]byte, error) {
	if w.err != nil {
		return b, w.err
	}
	return w.b, nil
}

// raw appends s as it is: punctuation and member names.
func (w *jsonWriter) raw(s string) { w.b = append(w.b, s...) }

// str appends s as a JSON string.
func (w *jsonWriter) str(s string) { w.b = appendJSONString(w.b, s) }

// optStr appends key and s unless s is empty, as omitempty does.
func (w *jsonWriter) optStr(key, s string) {
	if s != "" {
		w.raw(key)
		w.str(s)
	}
}

// strs appends a list of strings; nil is an empty list.
func (w *jsonWriter) strs(list []string) {
	w.b = append(w.b, '[')
	for i, s := range list {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.str(s)
	}
	w.b = append(w.b, ']')
}

// int appends n.
func (w *jsonWriter) int(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

// id appends an ID as its 26-character text.
func (w *jsonWriter) id(id ID) {
	n := len(w.b)
	w.b = slices.Grow(w.b, ulid.EncodedSize+2)[:n+ulid.EncodedSize+2]
	w.b[n], w.b[len(w.b)-1] = '"', '"'
	_ = id.MarshalTextTo(w.b[n+1 : len(w.b)-1]) // fails only on a wrong length
}

// optID appends key and id unless id is zero, as omitzero does.
func (w *jsonWriter) optID(key string, id ID) {
	if !id.IsZero() {
		w.raw(key)
		w.id(id)
	}
}

// time appends t as time.Time.MarshalJSON does, failing where it fails
// (a year outside 0-9999, a zone offset of a day or more) with the error
// json.Marshal returns.
func (w *jsonWriter) time(t time.Time) {
	w.b = append(w.b, '"')
	b, err := t.AppendText(w.b)
	if err != nil {
		_, err = t.MarshalJSON()
		if w.err == nil {
			w.err = &json.MarshalerError{Type: reflect.TypeFor[time.Time](), Err: err}
		}
		return
	}
	w.b = append(b, '"')
}

// optTime appends key and t unless t is zero, as omitzero does.
func (w *jsonWriter) optTime(key string, t time.Time) {
	if !t.IsZero() {
		w.raw(key)
		w.time(t)
	}
}

// date appends d as Date.MarshalText writes it (fmt's %04d-%02d-%02d).
func (w *jsonWriter) date(d Date) {
	w.b = append(w.b, '"')
	w.b = appendZeroPadded(w.b, d.Year, 4)
	w.b = append(w.b, '-')
	w.b = appendZeroPadded(w.b, int(d.Month), 2)
	w.b = append(w.b, '-')
	w.b = appendZeroPadded(w.b, d.Day, 2)
	w.b = append(w.b, '"')
}

// optDate appends key and d unless d is zero, as omitzero does.
func (w *jsonWriter) optDate(key string, d Date) {
	if !d.IsZero() {
		w.raw(key)
		w.date(d)
	}
}

// custom appends key and the custom fields, keys sorted, unless there
// are none, as omitempty does.
func (w *jsonWriter) custom(key string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	var buf [16]string
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.raw(key)
	w.b = append(w.b, '{')
	for i, k := range keys {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.str(k)
		w.b = append(w.b, ':')
		w.str(m[k])
	}
	w.b = append(w.b, '}')
}

// address appends a as an object of its non-empty parts.
func (w *jsonWriter) address(a *Address) {
	w.b = append(w.b, '{')
	start := len(w.b)
	for _, f := range [...]struct{ key, val string }{
		{`"label":`, a.Label}, {`"street":`, a.Street}, {`"city":`, a.City},
		{`"region":`, a.Region}, {`"postcode":`, a.Postcode}, {`"country":`, a.Country},
	} {
		if f.val == "" {
			continue
		}
		if len(w.b) > start {
			w.b = append(w.b, ',')
		}
		w.raw(f.key)
		w.str(f.val)
	}
	w.b = append(w.b, '}')
}

// appendZeroPadded appends n as fmt's %0*d does: zeros after the sign up
// to width characters in all.
func appendZeroPadded(b []byte, n, width int) []byte {
	u := uint64(n)
	if n < 0 {
		b = append(b, '-')
		u = -u
		width--
	}
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], u, 10)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}

// jsonSafe marks the ASCII bytes encoding/json writes as they are when
// it escapes HTML: not controls, quotes, backslashes, <, > or &.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		safe[c] = true
	}
	safe['"'], safe['\\'], safe['<'], safe['>'], safe['&'] = false, false, false, false, false
	return safe
}()

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as json.Marshal quotes it: the short
// escapes for \b \f \n \r \t " and \, \u00XX for other controls and for
// <, > and &, \u2028 and \u2029 escaped, and each byte of invalid UTF-8
// replaced by \ufffd.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
