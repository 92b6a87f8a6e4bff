package store

import (
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// Records are stored as a sequence of fields, each a tag byte, a uvarint
// length and the payload. A decoder skips tags it does not know, so a
// field can be added without a migration; empty values are omitted.

var errCorrupt = errors.New("corrupt record")

type encoder struct{ b []byte }

func (e *encoder) raw(tag byte, p []byte) {
	e.b = append(e.b, tag)
	e.b = binary.AppendUvarint(e.b, uint64(len(p)))
	e.b = append(e.b, p...)
}

func (e *encoder) str(tag byte, s string) {
	if s == "" {
		return
	}
	e.b = append(e.b, tag)
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) strs(tag byte, ss []string) {
	for _, s := range ss {
		e.b = append(e.b, tag)
		e.b = binary.AppendUvarint(e.b, uint64(len(s)))
		e.b = append(e.b, s...)
	}
}

func (e *encoder) int(tag byte, v int64) {
	if v == 0 {
		return
	}
	var tmp [binary.MaxVarintLen64]byte
	e.raw(tag, tmp[:binary.PutVarint(tmp[:], v)])
}

// present writes v even when it is zero, for values where zero differs
// from unset (a probability override of 0, a score of 0).
func (e *encoder) present(tag byte, v int64) {
	var tmp [binary.MaxVarintLen64]byte
	e.raw(tag, tmp[:binary.PutVarint(tmp[:], v)])
}

func (e *encoder) time(tag byte, t time.Time) {
	if t.IsZero() {
		return
	}
	e.present(tag, t.UnixNano())
}

func (e *encoder) date(tag byte, d model.Date) {
	if d.IsZero() {
		return
	}
	e.present(tag, int64(d.Year)*10000+int64(d.Month)*100+int64(d.Day))
}

func (e *encoder) id(tag byte, id model.ID) {
	if id.IsZero() {
		return
	}
	e.raw(tag, id[:])
}

// nested writes a sub-record built by fn as one field. The sub-record is
// built in place after a one-byte length, moved along in the rare case
// its length needs more: encoding a contact's emails and phones then
// allocates nothing.
func (e *encoder) nested(tag byte, fn func(*encoder)) {
	e.b = append(e.b, tag, 0)
	start := len(e.b)
	sub := encoder{b: e.b}
	fn(&sub)
	e.b = sub.b
	n := len(e.b) - start
	if n < 0x80 {
		e.b[start-1] = byte(n)
		return
	}
	var tmp [binary.MaxVarintLen64]byte
	w := binary.PutUvarint(tmp[:], uint64(n))
	e.b = append(e.b, tmp[:w-1]...)
	copy(e.b[start+w-1:], e.b[start:start+n])
	copy(e.b[start-1:], tmp[:w])
}

func (e *encoder) strMap(tag byte, m map[string]string) {
	for _, k := range sortedKeys(m) {
		e.nested(tag, func(s *encoder) {
			s.raw(1, []byte(k))
			s.str(2, m[k])
		})
	}
}

type decoder struct {
	b   []byte
	err error
}

// next returns the next field, or ok=false at the end or on corruption
// (which sets d.err).
func (d *decoder) next() (tag byte, p []byte, ok bool) {
	if len(d.b) == 0 || d.err != nil {
		return 0, nil, false
	}
	tag = d.b[0]
	n, w := binary.Uvarint(d.b[1:])
	if w <= 0 || uint64(len(d.b)-1-w) < n {
		d.err = errCorrupt
		return 0, nil, false
	}
	p = d.b[1+w : 1+w+int(n)]
	d.b = d.b[1+w+int(n):]
	return tag, p, true
}

func (d *decoder) int(p []byte) int64 {
	v, w := binary.Varint(p)
	if w <= 0 {
		d.err = errCorrupt
	}
	return v
}

func (d *decoder) time(p []byte) time.Time {
	return time.Unix(0, d.int(p)).UTC()
}

func (d *decoder) date(p []byte) model.Date {
	v := d.int(p)
	return model.Date{Year: int(v / 10000), Month: time.Month(v / 100 % 100), Day: int(v % 100)}
}

func (d *decoder) id(p []byte) model.ID {
	var id model.ID
	if len(p) != len(id) {
		d.err = errCorrupt
		return id
	}
	copy(id[:], p)
	return id
}

func (d *decoder) intPtr(p []byte) *int {
	v := d.int(p)
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.err = errCorrupt
	}
	i := int(v)
	return &i
}

// each decodes a nested sub-record field by field.
func (d *decoder) each(p []byte, fn func(tag byte, p []byte, sub *decoder)) {
	sub := decoder{b: p}
	for {
		tag, q, ok := sub.next()
		if !ok {
			break
		}
		fn(tag, q, &sub)
	}
	if sub.err != nil {
		d.err = sub.err
	}
}

func (d *decoder) mapEntry(p []byte, m *map[string]string) {
	var k, v string
	d.each(p, func(tag byte, q []byte, _ *decoder) {
		switch tag {
		case 1:
			k = string(q)
		case 2:
			v = string(q)
		}
	})
	if *m == nil {
		*m = map[string]string{}
	}
	(*m)[k] = v
}

func (d *decoder) address(p []byte) model.Address {
	var a model.Address
	d.each(p, func(tag byte, q []byte, _ *decoder) {
		switch tag {
		case 1:
			a.Label = string(q)
		case 2:
			a.Street = string(q)
		case 3:
			a.City = string(q)
		case 4:
			a.Region = string(q)
		case 5:
			a.Postcode = string(q)
		case 6:
			a.Country = string(q)
		}
	})
	return a
}

func (e *encoder) address(tag byte, a model.Address) {
	if a.IsZero() && a.Label == "" {
		return
	}
	e.nested(tag, func(s *encoder) {
		s.str(1, a.Label)
		s.str(2, a.Street)
		s.str(3, a.City)
		s.str(4, a.Region)
		s.str(5, a.Postcode)
		s.str(6, a.Country)
	})
}
