package model

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for in, want := range map[string]Date{
		"2026-12-01": {2026, time.December, 1},
		"2028-02-29": {2028, time.February, 29},
		"0001-01-01": {1, time.January, 1},
	} {
		got, err := ParseDate(in)
		if err != nil || got != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
		if got.String() != in {
			t.Errorf("String() = %q, want %q", got.String(), in)
		}
	}
	for _, in := range []string{"", "2026-13-01", "2026-02-30", "2027-02-29", "2026/12/01", "12/01/2026", "2026-12-1", "tomorrow"} {
		_, err := ParseDate(in)
		if err == nil {
			t.Errorf("ParseDate(%q) succeeded", in)
			continue
		}
		expectInvalid(t, err, "date")
	}
}

func TestDateOf(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	utc := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
	if got := DateOf(utc); got != (Date{2026, time.March, 1}) {
		t.Errorf("DateOf(UTC) = %v", got)
	}
	if got := DateOf(utc.In(shanghai)); got != (Date{2026, time.March, 2}) {
		t.Errorf("DateOf(Shanghai) = %v, want the day in the time's own zone", got)
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		d    Date
		n    int
		want Date
	}{
		{Date{2026, 1, 31}, 1, Date{2026, 2, 1}},
		{Date{2028, 2, 28}, 1, Date{2028, 2, 29}},
		{Date{2026, 2, 28}, 1, Date{2026, 3, 1}},
		{Date{2026, 12, 31}, 1, Date{2027, 1, 1}},
		{Date{2026, 3, 1}, -1, Date{2026, 2, 28}},
		{Date{2026, 3, 29}, 0, Date{2026, 3, 29}},
		{Date{2026, 1, 1}, 365, Date{2027, 1, 1}},
	}
	for _, tt := range tests {
		got := tt.d.AddDays(tt.n)
		if got != tt.want {
			t.Errorf("%v.AddDays(%d) = %v, want %v", tt.d, tt.n, got, tt.want)
		}
		if days := tt.d.DaysUntil(got); days != tt.n {
			t.Errorf("%v.DaysUntil(%v) = %d, want %d", tt.d, got, days, tt.n)
		}
	}
	far := []struct {
		a, b Date
		want int
	}{
		{Date{1900, 1, 1}, Date{2300, 1, 1}, 146097},  // 400 years: beyond a time.Duration
		{Date{2300, 1, 1}, Date{1900, 1, 1}, -146097}, // and back
	}
	for _, tt := range far {
		if got := tt.a.DaysUntil(tt.b); got != tt.want {
			t.Errorf("%v.DaysUntil(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestDateCompare(t *testing.T) {
	dates := []Date{{2025, 12, 31}, {2026, 1, 1}, {2026, 1, 2}, {2026, 2, 1}, {2027, 1, 1}}
	for i, a := range dates {
		for j, b := range dates {
			want := cmpInt(i, j)
			if got := a.Compare(b); got != want {
				t.Errorf("%v.Compare(%v) = %d, want %d", a, b, got, want)
			}
			if a.Before(b) != (i < j) || a.After(b) != (i > j) {
				t.Errorf("%v Before/After %v wrong", a, b)
			}
		}
	}
}

func TestDateZero(t *testing.T) {
	var d Date
	if !d.IsZero() || d.String() != "" {
		t.Errorf("zero Date: IsZero %v, String %q", d.IsZero(), d.String())
	}
	if (Date{2026, 1, 1}).IsZero() {
		t.Error("a set date is zero")
	}
}

func TestDateJSON(t *testing.T) {
	type rec struct {
		D Date `json:"d"`
		E Date `json:"e,omitzero"`
	}
	tests := []struct {
		v    rec
		json string
	}{
		{rec{D: Date{2026, 3, 4}, E: Date{1985, 12, 31}}, `{"d":"2026-03-04","e":"1985-12-31"}`},
		{rec{}, `{"d":""}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.v)
		if err != nil || string(b) != tt.json {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.v, b, err, tt.json)
		}
		var got rec
		if err := json.Unmarshal(b, &got); err != nil || got != tt.v {
			t.Errorf("Unmarshal(%s) = %v, %v", b, got, err)
		}
	}
	var r rec
	if err := json.Unmarshal([]byte(`{"d":"2026-02-30"}`), &r); err == nil {
		t.Error("an impossible date was accepted")
	}
}

func TestDue(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	at := time.Date(2026, 3, 2, 7, 30, 0, 0, shanghai) // 2026-03-01T23:30Z
	d := DueAt(at)
	if d.Date != (Date{2026, 3, 2}) || !d.At.Equal(at) || d.At.Location() != time.UTC || !d.HasTime() {
		t.Errorf("DueAt = %+v, want the day in the time's zone and the instant in UTC", d)
	}
	if got := d.String(); got != "2026-03-01T23:30:00Z" {
		t.Errorf("String() = %q", got)
	}
	if got := d.Instant(time.UTC); !got.Equal(at) {
		t.Errorf("Instant = %v", got)
	}

	day := DueOn(Date{2026, 3, 2})
	if day.HasTime() || day.IsZero() || day.String() != "2026-03-02" {
		t.Errorf("DueOn = %+v", day)
	}
	if got, want := day.Instant(shanghai), time.Date(2026, 3, 2, 23, 59, 59, 999999999, shanghai); !got.Equal(want) {
		t.Errorf("Instant(Shanghai) = %v, want the end of the day there: %v", got, want)
	}
	if !(Due{}).IsZero() || (Due{}).String() != "" {
		t.Error("zero Due")
	}
}

func TestDueJSON(t *testing.T) {
	timed := DueAt(time.Date(2026, 3, 2, 15, 0, 0, 0, time.Local))
	tests := []struct {
		d    Due
		json string
	}{
		{DueOn(Date{2026, 12, 1}), `"2026-12-01"`},
		{timed, `"` + timed.At.Format(time.RFC3339) + `"`},
		{Due{}, `null`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.d)
		if err != nil || string(b) != tt.json {
			t.Errorf("Marshal(%+v) = %s, %v; want %s", tt.d, b, err, tt.json)
		}
		var got Due
		if err := json.Unmarshal(b, &got); err != nil || !reflect.DeepEqual(got, tt.d) {
			t.Errorf("Unmarshal(%s) = %+v, %v; want %+v", b, got, err, tt.d)
		}
	}
	var got Due
	if err := json.Unmarshal([]byte(`"2026-03-02T15:00:00+08:00"`), &got); err != nil || !got.At.Equal(time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("an offset instant reads as %+v, %v", got, err)
	}
	if err := json.Unmarshal([]byte(`""`), &got); err != nil || !got.IsZero() {
		t.Errorf(`"" reads as %+v, %v`, got, err)
	}
	for _, in := range []string{`"soon"`, `12`, `"2026-02-30"`} {
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("Unmarshal(%s) accepted", in)
		}
	}
}
