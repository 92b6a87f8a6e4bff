package model

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar day with no time of day or zone: a birthday, an
// expected close date, a task due "on Friday".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses YYYY-MM-DD. Its error wraps ErrInvalid.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, invalid("date", s, "model.date.invalid")
	}
	return DateOf(t), nil
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.Year == 0 && d.Month == 0 && d.Day == 0 }

// String formats d as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// In returns midnight of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.In(time.UTC).AddDate(0, 0, n)) }

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, on or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// DaysUntil returns the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int {
	// Unix seconds, not Sub: a time.Duration only spans 292 years.
	return int((e.In(time.UTC).Unix() - d.In(time.UTC).Unix()) / (24 * 60 * 60))
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalText writes YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Due is when a follow-up is due: either a whole day, or an exact instant
// when the user gave a time of day.
type Due struct {
	Date Date      // the calendar day, in the user's zone
	At   time.Time // the instant (UTC) when a time was given; zero otherwise
}

// DueOn returns a whole-day due date.
func DueOn(d Date) Due { return Due{Date: d} }

// DueAt returns a due instant; its day is taken in t's location.
func DueAt(t time.Time) Due { return Due{Date: DateOf(t), At: t.UTC()} }

// IsZero reports whether no due date is set.
func (d Due) IsZero() bool { return d.Date.IsZero() }

// HasTime reports whether a time of day was given.
func (d Due) HasTime() bool { return !d.At.IsZero() }

// Instant returns the moment the task falls due: the given time, or the
// end of the due day in loc.
func (d Due) Instant(loc *time.Location) time.Time {
	if d.HasTime() {
		return d.At
	}
	return d.Date.AddDays(1).In(loc).Add(-time.Nanosecond)
}

// String gives the JSON form: YYYY-MM-DD for a day, RFC 3339 for an instant.
func (d Due) String() string {
	if d.HasTime() {
		return d.At.UTC().Format(time.RFC3339)
	}
	return d.Date.String()
}

// MarshalJSON writes the String form, or null when unset.
func (d Due) MarshalJSON() ([]byte, error) {
	return d.appendJSON(make([]byte, 0, len(`"`+time.RFC3339+`"`))), nil
}

// appendJSON appends what MarshalJSON writes to b. The String form needs
// no escaping: it is digits, "-", ":", "T", "Z" and "+".
func (d Due) appendJSON(b []byte) []byte {
	switch {
	case d.IsZero():
		return append(b, "null"...)
	case d.HasTime():
		b = append(b, '"')
		b = d.At.UTC().AppendFormat(b, time.RFC3339)
		return append(b, '"')
	}
	w := jsonWriter{b: b}
	w.date(d.Date)
	return w.b
}

// UnmarshalJSON reads a day (YYYY-MM-DD) or an RFC 3339 instant.
func (d *Due) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil || *s == "" {
		*d = Due{}
		return nil
	}
	if t, err := time.Parse(time.RFC3339, *s); err == nil {
		*d = DueAt(t.In(time.Local))
		return nil
	}
	day, err := ParseDate(*s)
	if err != nil {
		return err
	}
	*d = DueOn(day)
	return nil
}
