package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The reference encodings: json.Marshal by reflection, through types
// without the records' methods, as MarshalJSON worked before AppendJSON.
type (
	plainCompany  Company
	plainTask     Task
	plainActivity Activity
)

func referenceJSON(rec any) ([]byte, error) {
	switch r := rec.(type) {
	case *Contact:
		j := contactJSON{
			contactFields: contactFields(*r),
			Emails:        r.EmailAddresses(),
			Phones:        r.PhoneNumbers(),
			EmailDetails:  r.Emails,
			PhoneDetails:  r.Phones,
		}
		if j.Tags == nil {
			j.Tags = []string{}
		}
		if j.EmailDetails == nil {
			j.EmailDetails = []Email{}
		}
		if j.PhoneDetails == nil {
			j.PhoneDetails = []Phone{}
		}
		return json.Marshal(j)
	case *Deal:
		j := dealJSON{dealFields: dealFields(*r), Amount: r.Value.Decimal(), Currency: r.Value.Currency}
		if j.History == nil {
			j.History = []StageMove{}
		}
		if j.Tags == nil {
			j.Tags = []string{}
		}
		return json.Marshal(j)
	case *Company:
		return json.Marshal((*plainCompany)(r))
	case *Task:
		return json.Marshal((*plainTask)(r))
	case *Activity:
		return json.Marshal((*plainActivity)(r))
	}
	panic(fmt.Sprintf("no reference encoding for %T", rec))
}

type jsonAppender interface {
	AppendJSON([]byte) ([]byte, error)
}

// checkJSON fails t unless rec's AppendJSON, and MarshalJSON where the
// type has one, write what the reference writes, or fail as it fails.
func checkJSON(t *testing.T, name string, rec jsonAppender) []byte {
	t.Helper()
	want, werr := referenceJSON(rec)
	prefix := []byte("prefix")
	got, err := rec.AppendJSON(prefix)
	if (err != nil) != (werr != nil) || err != nil && err.Error() != werr.Error() {
		t.Fatalf("%s: AppendJSON error %v, want %v", name, err, werr)
	}
	if err != nil {
		if string(got) != "prefix" {
			t.Errorf("%s: AppendJSON changed b on error: %q", name, got)
		}
		return nil
	}
	if !bytes.HasPrefix(got, prefix) || !bytes.Equal(got[len(prefix):], want) {
		t.Fatalf("%s: AppendJSON\n got %s\nwant %s", name, got, want)
	}
	if m, ok := rec.(json.Marshaler); ok {
		if b, err := m.MarshalJSON(); err != nil || !bytes.Equal(b, want) {
			t.Fatalf("%s: MarshalJSON = %s, %v\nwant %s", name, b, err, want)
		}
	}
	return want
}

var jsonTestStrings = []string{
	"",
	"plain",
	`say "hi"`,
	`back\slash\\`,
	"ctrl\x00\x01\x07\x1f\x7f\b\f\n\r\t end",
	"<script>alert('x')</script> & &amp;",
	"line\u2028sep\u2029para\u2027\u202a",
	"bad\xffutf8\xc3",
	"\xed\xa0\x80 surrogate, \xf4\x90\x80\x80 too big, \xc0\xaf overlong",
	"truncated \xe4\xb8",
	"emoji 😀👍🏽🇨🇳",
	"中文名字 张伟",
	"e\u0301 \ufffd literal",
	strings.Repeat("long ", 100) + "\x02",
}

var (
	zoneNepal = time.FixedZone("NPT", 5*3600+45*60)
	zoneOdd   = time.FixedZone("LMT", -(3*3600 + 30*60 + 17))
)

var jsonTestTimes = []time.Time{
	{},
	time.Time{}.In(zoneNepal),
	time.Date(2026, 11, 28, 12, 33, 1, 220518000, time.UTC),
	time.Date(2026, 3, 1, 0, 0, 0, 1, zoneNepal),
	time.Date(1999, 12, 31, 23, 59, 59, 999999999, zoneOdd),
	time.Date(2024, 2, 29, 8, 0, 0, 0, time.Local),
	time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
	time.Date(9999, 12, 31, 23, 59, 59, 500, time.UTC),
	time.Unix(1700000000, 123456789),
}

// badTimes are times json.Marshal cannot write.
var badTimes = []time.Time{
	time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
	time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("far", 24*3600)),
}

var jsonTestDates = []Date{
	{}, {2026, 11, 28}, {1985, 4, 2}, {0, 1, 1}, {-5, 13, -1}, {12345, 0, 100}, {0, 0, 1},
}

func ptr(n int) *int { return &n }

// idOf makes an ID of any bytes from t, zero or not.
func idOf(t time.Time) ID {
	var id ID
	binary.BigEndian.PutUint64(id[:8], uint64(t.Unix()))
	binary.BigEndian.PutUint64(id[8:], uint64(t.Nanosecond())*0x9e3779b97f4a7c15)
	return id
}

func jsonContact(s string, t time.Time, d Date) *Contact {
	return &Contact{
		ID: idOf(t), Name: s, CompanyID: idOf(t), Title: s + "t", Tags: []string{s, "vip"},
		Emails: []Email{{Address: s, Label: s}, {Address: "a@b.c"}},
		Phones: []Phone{{Number: s, Original: s, Label: s}, {Number: "+14155550100"}},
		Source: s, Owner: s, Lifecycle: s, Custom: map[string]string{s: s, "b": "1", "a<": s, "": "empty key"},
		Birthday: d, Addresses: []Address{{}, {Label: s, Street: s, City: s, Region: s, Postcode: s, Country: s}, {City: s}},
		Links: []string{s, "https://x.test/?a=1&b=2"}, CreatedAt: t, UpdatedAt: t.Add(time.Hour),
	}
}

func jsonCompany(s string, t time.Time) *Company {
	return &Company{
		ID: idOf(t), Name: s, Domain: s, Industry: s, Size: s, Phone: s,
		Address: Address{Label: s, Street: s, City: "x", Region: s, Postcode: s, Country: s},
		Tags:    []string{s}, Owner: s, Custom: map[string]string{s: s, "z": ""}, CreatedAt: t, UpdatedAt: t,
	}
}

func jsonDeal(s string, t time.Time, d Date) *Deal {
	return &Deal{
		ID: idOf(t), Title: s, ContactID: idOf(t), CompanyID: idOf(t), Value: Money{Minor: -123456, Currency: "KWD"},
		Stage: s, Probability: ptr(0), Status: s, CloseDate: d, ClosedAt: t, LostReason: s,
		History: []StageMove{{Stage: s, At: t}, {}}, Owner: s, Source: s, Tags: []string{s, s + "2"},
		Custom: map[string]string{s: s}, CreatedAt: t, UpdatedAt: t,
	}
}

func jsonTask(s string, t time.Time, d Date) *Task {
	return &Task{
		ID: idOf(t), Title: s, Due: Due{Date: d, At: t}, ContactID: idOf(t), DealID: idOf(t), CompanyID: idOf(t),
		Priority: s, DoneAt: t, Repeat: Repeat{Every: 3, Unit: s}, Notes: s, Owner: s, CreatedAt: t, UpdatedAt: t,
	}
}

func jsonActivity(s string, t time.Time) *Activity {
	return &Activity{
		ID: idOf(t), Kind: s, At: t, Direction: s, Channel: s, ContactID: idOf(t), DealID: idOf(t), CompanyID: idOf(t),
		Body: s, Score: ptr(-7), State: s, ResolvedAt: t, Owner: s, CreatedAt: t,
	}
}

func TestAppendJSONEmptyRecords(t *testing.T) {
	for _, rec := range []jsonAppender{
		&Contact{}, &Company{}, &Deal{}, &Task{}, &Activity{},
		&Contact{Tags: []string{}, Emails: []Email{}, Phones: []Phone{}, Custom: map[string]string{}, Addresses: []Address{}, Links: []string{}},
		&Company{Tags: []string{}, Custom: map[string]string{}, Address: Address{Label: "label only"}},
		&Deal{History: []StageMove{}, Tags: []string{}, Custom: map[string]string{}, Probability: ptr(100), Value: Money{Minor: 5}},
		&Task{Due: Due{At: time.Now()}, Repeat: Repeat{Every: 1, Unit: "weekday"}},
		&Task{Due: DueOn(Date{2026, 1, 2}), Repeat: Repeat{Every: 1, Unit: "day"}},
		&Task{Repeat: Repeat{Every: 1, Unit: "fortnight"}},
		&Activity{Score: ptr(0)},
		&Contact{Emails: []Email{{}}, Phones: []Phone{{}}, Addresses: []Address{{}}, Links: []string{""}, Tags: []string{""}},
	} {
		checkJSON(t, fmt.Sprintf("%T %+v", rec, rec), rec)
	}
}

func TestAppendJSONEdgeCases(t *testing.T) {
	for i, s := range jsonTestStrings {
		for j, tm := range jsonTestTimes {
			d := jsonTestDates[(i+j)%len(jsonTestDates)]
			name := fmt.Sprintf("string %d time %d", i, j)
			checkJSON(t, name+" contact", jsonContact(s, tm, d))
			checkJSON(t, name+" company", jsonCompany(s, tm))
			checkJSON(t, name+" deal", jsonDeal(s, tm, d))
			checkJSON(t, name+" task", jsonTask(s, tm, d))
			checkJSON(t, name+" task on a day", &Task{Title: s, Due: DueOn(d), CreatedAt: tm})
			checkJSON(t, name+" activity", jsonActivity(s, tm))
		}
	}
}

func TestAppendJSONDates(t *testing.T) {
	for _, d := range jsonTestDates {
		checkJSON(t, d.String()+" birthday", &Contact{Birthday: d})
		checkJSON(t, d.String()+" close date", &Deal{CloseDate: d})
		checkJSON(t, d.String()+" due", &Task{Due: DueOn(d)})
	}
}

func TestAppendJSONMoney(t *testing.T) {
	for _, m := range []Money{
		{}, {Minor: 1, Currency: "USD"}, {Minor: -1, Currency: "JPY"}, {Minor: 123456789, Currency: "KWD"},
		{Minor: -9223372036854775808, Currency: "CLF"}, {Minor: 5, Currency: "a<&"},
	} {
		checkJSON(t, m.Decimal()+" "+m.Currency, &Deal{Value: m})
	}
}

func TestAppendJSONBadTimes(t *testing.T) {
	for i, bad := range badTimes {
		name := fmt.Sprintf("bad time %d", i)
		checkJSON(t, name+" contact", &Contact{UpdatedAt: bad})
		checkJSON(t, name+" company", &Company{CreatedAt: bad})
		checkJSON(t, name+" deal", &Deal{History: []StageMove{{At: bad}}})
		checkJSON(t, name+" deal closed", &Deal{ClosedAt: bad})
		checkJSON(t, name+" task", &Task{DoneAt: bad})
		checkJSON(t, name+" task due", &Task{Due: DueAt(bad)})
		checkJSON(t, name+" activity", &Activity{ResolvedAt: bad})
	}
}

// FuzzAppendJSON builds records of every type from fuzzed values and
// checks AppendJSON against json.Marshal, and that what it writes reads
// back to a record that writes the same.
func FuzzAppendJSON(f *testing.F) {
	for i, s := range jsonTestStrings {
		f.Add(s, jsonTestStrings[(i+1)%len(jsonTestStrings)], int64(1700000000+i), int64(i*1000), 330, int64(i*-12345))
	}
	f.Add("x", "y", int64(253402300800), int64(0), 0, int64(0)) // year 10000
	f.Add("", "", int64(-62135596801), int64(5), -1440, int64(1))
	f.Fuzz(func(t *testing.T, s, s2 string, sec, nsec int64, offMinutes int, minor int64) {
		loc := time.FixedZone("", (offMinutes%(48*60))*60)
		tm := time.Unix(sec, nsec).In(loc)
		inRange := time.Unix(sec%(200*365*86400)+946684800, nsec).In(loc) // 1830 to 2170
		d := DateOf(inRange)
		recs := []jsonAppender{
			&Contact{
				ID: idOf(inRange), Name: s, CompanyID: idOf(tm), Title: s2, Tags: []string{s, s2},
				Emails: []Email{{Address: s, Label: s2}}, Phones: []Phone{{Number: s2, Original: s}},
				Custom: map[string]string{s: s2, s2: s}, Birthday: d, Addresses: []Address{{Street: s, Label: s2}},
				Links: []string{s2}, CreatedAt: inRange, UpdatedAt: tm,
			},
			&Company{ID: idOf(tm), Name: s, Domain: s2, Address: Address{City: s}, Tags: []string{s2}, Custom: map[string]string{s2: s}, CreatedAt: tm, UpdatedAt: inRange},
			&Deal{
				ID: idOf(tm), Title: s, Stage: s2, Status: s, Value: Money{Minor: minor % 1e15, Currency: []string{"", "USD", "JPY", "KWD", "CLF"}[uint64(minor)%5]},
				Probability: ptr(int(minor % 1000)), CloseDate: d, ClosedAt: tm, History: []StageMove{{Stage: s2, At: inRange}},
				Custom: map[string]string{s: s}, CreatedAt: inRange, UpdatedAt: inRange,
			},
			&Task{
				ID: idOf(tm), Title: s, Due: []Due{{}, DueOn(d), DueAt(inRange)}[uint64(sec)%3], Priority: s2, DoneAt: tm,
				Repeat: []Repeat{{}, {1, "weekday"}, {1, "month"}, {2, "week"}}[uint64(nsec)%4], Notes: s2, CreatedAt: inRange, UpdatedAt: inRange,
			},
			&Activity{ID: idOf(tm), Kind: s, At: inRange, Body: s2, Channel: s, Score: ptr(int(minor)), ResolvedAt: tm, CreatedAt: inRange},
		}
		for _, rec := range recs {
			out := checkJSON(t, fmt.Sprintf("%T", rec), rec)
			if out == nil {
				continue
			}
			if !json.Valid(out) {
				t.Fatalf("%T: invalid JSON %s", rec, out)
			}
			if utf8.ValidString(s) && utf8.ValidString(s2) {
				checkRoundTrip(t, rec, out)
			}
		}
	})
}

// checkRoundTrip reads out into a new record of rec's type and checks
// that it writes out again.
func checkRoundTrip(t *testing.T, rec jsonAppender, out []byte) {
	t.Helper()
	var back jsonAppender
	switch rec.(type) {
	case *Contact:
		back = new(Contact)
	case *Company:
		back = new(Company)
	case *Deal:
		back = new(Deal)
	case *Task:
		back = new(Task)
	case *Activity:
		back = new(Activity)
	}
	if err := json.Unmarshal(out, back); err != nil {
		t.Fatalf("%T: reading back %s: %v", rec, out, err)
	}
	again, err := back.AppendJSON(nil)
	if err != nil || !bytes.Equal(again, out) {
		t.Fatalf("%T: round trip\n got %s, %v\nwant %s", rec, again, err, out)
	}
}

func BenchmarkContactJSON(b *testing.B) {
	at := time.Date(2026, 11, 28, 12, 33, 1, 220518000, time.UTC)
	c := &Contact{
		ID: idOf(at), Name: "Maria García", CompanyID: idOf(at.Add(time.Second)), Title: "CTO", Tags: []string{"vip", "beijing"},
		Emails: []Email{{Address: "maria@acme.com", Label: "work"}}, Phones: []Phone{{Number: "+14155550100", Original: "(415) 555-0100"}},
		Source: "referral", Owner: "li", Custom: map[string]string{"wechat": "maria_g"}, Birthday: Date{1985, 4, 2},
		CreatedAt: at, UpdatedAt: at,
	}
	b.Run("reflect", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := referenceJSON(c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.MarshalJSON(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkActivityJSON(b *testing.B) {
	a := jsonActivity("Called about the renewal; they want 10% off & a demo.", time.Date(2026, 11, 28, 12, 33, 1, 220518000, time.UTC))
	b.Run("reflect", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := referenceJSON(a); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			var err error
			if buf, err = a.AppendJSON(buf[:0]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
