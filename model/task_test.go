package model

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestTaskNormalizePriority(t *testing.T) {
	for in, want := range map[string]string{
		"": PriorityNormal, "normal": PriorityNormal, "Medium": PriorityNormal, "2": PriorityNormal, "中": PriorityNormal,
		"high": PriorityHigh, " HIGH ": PriorityHigh, "urgent": PriorityHigh, "1": PriorityHigh, "高": PriorityHigh,
		"low": PriorityLow, "Low": PriorityLow, "3": PriorityLow, "低": PriorityLow,
	} {
		task := Task{Title: "call", Priority: in}
		if err := task.Normalize(Rules{}); err != nil || task.Priority != want {
			t.Errorf("priority %q -> %q, %v; want %q", in, task.Priority, err, want)
		}
	}
}

func TestTaskNormalizeErrors(t *testing.T) {
	due := DueOn(Date{2026, 3, 2})
	tests := []struct {
		name  string
		task  Task
		field string
	}{
		{"no title", Task{Title: "  "}, "title"},
		{"unknown priority", Task{Title: "x", Priority: "asap"}, "priority"},
		{"repeat without due", Task{Title: "x", Repeat: Repeat{1, "week"}}, "repeat"},
		{"unknown repeat unit", Task{Title: "x", Due: due, Repeat: Repeat{1, "fortnight"}}, "repeat"},
		{"negative repeat", Task{Title: "x", Due: due, Repeat: Repeat{-1, "day"}}, "repeat"},
		{"every 3 weekdays", Task{Title: "x", Due: due, Repeat: Repeat{3, "weekday"}}, "repeat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expectInvalid(t, tt.task.Normalize(Rules{}), tt.field) })
	}
	task := Task{Title: " call Li ", Due: due, Repeat: Repeat{2, "week"}}
	if err := task.Normalize(Rules{}); err != nil || task.Title != "call Li" {
		t.Errorf("Normalize = %+v, %v", task, err)
	}
}

func TestParseRepeat(t *testing.T) {
	tests := []struct {
		in   string
		want Repeat
	}{
		{"", Repeat{}},
		{"never", Repeat{}},
		{"daily", Repeat{1, "day"}},
		{" Daily ", Repeat{1, "day"}},
		{"every day", Repeat{1, "day"}},
		{"weekly", Repeat{1, "week"}},
		{"monthly", Repeat{1, "month"}},
		{"yearly", Repeat{1, "year"}},
		{"annually", Repeat{1, "year"}},
		{"weekdays", Repeat{1, "weekday"}},
		{"every weekday", Repeat{1, "weekday"}},
		{"every 2 weeks", Repeat{2, "week"}},
		{"Every 3 Days", Repeat{3, "day"}},
		{"every 1 month", Repeat{1, "month"}},
		{"every  6  months", Repeat{6, "month"}},
		{"every 1000 years", Repeat{1000, "year"}},
		{"每天", Repeat{1, "day"}},
		{"每日", Repeat{1, "day"}},
		{"每周", Repeat{1, "week"}},
		{"每星期", Repeat{1, "week"}},
		{"每月", Repeat{1, "month"}},
		{"每个月", Repeat{1, "month"}},
		{"每年", Repeat{1, "year"}},
		{"工作日", Repeat{1, "weekday"}},
		{"每2周", Repeat{2, "week"}},
		{"每 2 周", Repeat{2, "week"}},
		{"每两周", Repeat{2, "week"}},
		{"每3天", Repeat{3, "day"}},
		{"每3个月", Repeat{3, "month"}},
		{"每2星期", Repeat{2, "week"}},
	}
	for _, tt := range tests {
		got, err := ParseRepeat(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseRepeat(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{
		"sometimes", "every", "every 0 days", "every -1 days", "every 1001 days", "every 2 fortnights",
		"every 2 weeks please", "every 2weeks", "every two weeks", "每", "每0天", "每2期", "每x周",
	} {
		got, err := ParseRepeat(in)
		if err == nil {
			t.Errorf("ParseRepeat(%q) = %+v, want an error", in, got)
			continue
		}
		expectInvalid(t, err, "repeat")
	}
}

func TestRepeatString(t *testing.T) {
	tests := []struct {
		r    Repeat
		want string
	}{
		{Repeat{}, ""},
		{Repeat{1, "day"}, "daily"},
		{Repeat{1, "week"}, "weekly"},
		{Repeat{1, "month"}, "monthly"},
		{Repeat{1, "year"}, "yearly"},
		{Repeat{1, "weekday"}, "weekdays"},
		{Repeat{2, "week"}, "every 2 weeks"},
		{Repeat{10, "day"}, "every 10 days"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.r, got, tt.want)
		}
		back, err := ParseRepeat(tt.r.String())
		if err != nil || back != tt.r {
			t.Errorf("ParseRepeat(%q) = %+v, %v; want %+v", tt.r.String(), back, err, tt.r)
		}
	}
}

func TestRepeatNext(t *testing.T) {
	on := func(y int, m time.Month, d int) Due { return DueOn(Date{y, m, d}) }
	// now is early on the due day, so nothing has been missed unless said.
	early := func(d Due) time.Time { return d.Date.In(time.UTC).Add(time.Hour) }
	tests := []struct {
		name string
		r    Repeat
		due  Due
		now  time.Time // zero: early on the due day
		want Due
	}{
		{"daily", Repeat{1, "day"}, on(2026, 3, 2), time.Time{}, on(2026, 3, 3)},
		{"every 3 days", Repeat{3, "day"}, on(2026, 2, 27), time.Time{}, on(2026, 3, 2)},
		{"weekly", Repeat{1, "week"}, on(2026, 3, 2), time.Time{}, on(2026, 3, 9)},
		{"every 2 weeks", Repeat{2, "week"}, on(2026, 12, 25), time.Time{}, on(2027, 1, 8)},
		{"monthly", Repeat{1, "month"}, on(2026, 3, 15), time.Time{}, on(2026, 4, 15)},
		// time.AddDate would overflow Jan 31 + 1 month to Mar 3; Next clamps.
		{"monthly from Jan 31", Repeat{1, "month"}, on(2026, 1, 31), time.Time{}, on(2026, 2, 28)},
		{"monthly from Jan 31, leap year", Repeat{1, "month"}, on(2028, 1, 31), time.Time{}, on(2028, 2, 29)},
		{"monthly from Feb 28 does not return to the 31st", Repeat{1, "month"}, on(2026, 2, 28), time.Time{}, on(2026, 3, 28)},
		{"monthly from Mar 31", Repeat{1, "month"}, on(2026, 3, 31), time.Time{}, on(2026, 4, 30)},
		{"every 3 months from Nov 30", Repeat{3, "month"}, on(2026, 11, 30), time.Time{}, on(2027, 2, 28)},
		{"monthly across the year", Repeat{1, "month"}, on(2026, 12, 31), time.Time{}, on(2027, 1, 31)},
		{"yearly", Repeat{1, "year"}, on(2026, 3, 2), time.Time{}, on(2027, 3, 2)},
		{"yearly from Feb 29", Repeat{1, "year"}, on(2028, 2, 29), time.Time{}, on(2029, 2, 28)},
		{"every 4 years from Feb 29", Repeat{4, "year"}, on(2028, 2, 29), time.Time{}, on(2032, 2, 29)},
		{"weekdays from Monday", Repeat{1, "weekday"}, on(2026, 3, 2), time.Time{}, on(2026, 3, 3)},
		{"weekdays from Friday skip the weekend", Repeat{1, "weekday"}, on(2026, 3, 6), time.Time{}, on(2026, 3, 9)},
		{"weekdays from Saturday", Repeat{1, "weekday"}, on(2026, 3, 7), time.Time{}, on(2026, 3, 9)},
		{"weekdays from Sunday", Repeat{1, "weekday"}, on(2026, 3, 8), time.Time{}, on(2026, 3, 9)},
		{"missed occurrences are skipped", Repeat{1, "day"}, on(2026, 3, 2),
			time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC), on(2026, 3, 10)},
		{"weekly, completed late", Repeat{1, "week"}, on(2026, 3, 2),
			time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC), on(2026, 3, 23)},
		{"weekdays, completed late on a Saturday", Repeat{1, "weekday"}, on(2026, 3, 2),
			time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC), on(2026, 3, 9)},
		{"completed early", Repeat{1, "week"}, on(2026, 3, 9),
			time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), on(2026, 3, 16)},
		{"no due date counts from now", Repeat{1, "day"}, Due{},
			time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), on(2026, 3, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := tt.now
			if now.IsZero() {
				now = early(tt.due)
			}
			if got := tt.r.Next(tt.due, now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Next = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRepeatNextTimed(t *testing.T) {
	due := DueAt(time.Date(2026, 1, 31, 9, 30, 0, 0, time.Local))
	now := due.At.Add(-time.Hour)
	tests := []struct {
		r    Repeat
		want time.Time
	}{
		{Repeat{1, "day"}, time.Date(2026, 2, 1, 9, 30, 0, 0, time.Local)},
		{Repeat{1, "week"}, time.Date(2026, 2, 7, 9, 30, 0, 0, time.Local)},
		{Repeat{1, "month"}, time.Date(2026, 2, 28, 9, 30, 0, 0, time.Local)},
		{Repeat{1, "weekday"}, time.Date(2026, 2, 2, 9, 30, 0, 0, time.Local)}, // Jan 31 is a Saturday
	}
	for _, tt := range tests {
		got := tt.r.Next(due, now)
		if !reflect.DeepEqual(got, DueAt(tt.want)) {
			t.Errorf("%v: Next = %v, want %v", tt.r, got, DueAt(tt.want))
		}
	}
	// Missed occurrences of a timed task are skipped to the first one still ahead.
	late := time.Date(2026, 2, 3, 10, 0, 0, 0, time.Local)
	if got, want := (Repeat{1, "day"}).Next(due, late), DueAt(time.Date(2026, 2, 4, 9, 30, 0, 0, time.Local)); !reflect.DeepEqual(got, want) {
		t.Errorf("late: Next = %v, want %v", got, want)
	}
}

func TestTaskComplete(t *testing.T) {
	done := time.Date(2026, 3, 2, 18, 0, 0, 0, time.FixedZone("CST", 8*3600))
	once := Task{ID: NewID(mar1), Title: "send quote", Due: DueOn(Date{2026, 3, 2})}
	if next := once.Complete(done); next != nil {
		t.Errorf("a one-off task came back: %+v", next)
	}
	if !once.Done() || !once.DoneAt.Equal(done) || once.DoneAt.Location() != time.UTC {
		t.Errorf("DoneAt = %v", once.DoneAt)
	}

	weekly := Task{ID: NewID(mar1), Title: "check in", Due: DueOn(Date{2026, 3, 2}), Repeat: Repeat{1, "week"},
		ContactID: NewID(mar1), Priority: PriorityHigh, Notes: "n", Owner: "li", CreatedAt: mar1, UpdatedAt: mar1}
	next := weekly.Complete(done)
	if next == nil {
		t.Fatal("a weekly task did not come back")
	}
	want := weekly
	want.ID, want.DoneAt, want.CreatedAt, want.UpdatedAt = ID{}, time.Time{}, done.UTC(), done.UTC()
	want.Due = DueOn(Date{2026, 3, 9})
	if !reflect.DeepEqual(*next, want) {
		t.Errorf("next\ngot  %+v\nwant %+v", *next, want)
	}
	if !weekly.Done() {
		t.Error("the completed occurrence is not done")
	}

	// Completing again changes nothing and makes no second occurrence.
	before := weekly
	if again := weekly.Complete(done.Add(time.Hour)); again != nil || !reflect.DeepEqual(weekly, before) {
		t.Errorf("completing twice: next %+v, task %+v", again, weekly)
	}
}

func TestTaskOverdue(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		task Task
		want bool
	}{
		{"no due", Task{}, false},
		{"due yesterday", Task{Due: DueOn(Date{2026, 3, 1})}, true},
		{"due today", Task{Due: DueOn(Date{2026, 3, 2})}, false},
		{"due an hour ago", Task{Due: DueAt(now.Add(-time.Hour))}, true},
		{"due in an hour", Task{Due: DueAt(now.Add(time.Hour))}, false},
		{"done", Task{Due: DueOn(Date{2026, 3, 1}), DoneAt: now}, false},
	}
	for _, tt := range tests {
		if got := tt.task.Overdue(now); got != tt.want {
			t.Errorf("%s: Overdue = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestTaskJSON(t *testing.T) {
	tasks := []Task{
		{Title: "bare", Priority: PriorityNormal},
		{ID: NewID(mar1), Title: "call", Due: DueOn(Date{2026, 3, 2}), ContactID: NewID(mar1), DealID: NewID(mar1),
			CompanyID: NewID(mar1), Priority: PriorityHigh, DoneAt: mar5, Repeat: Repeat{2, "week"}, Notes: "n",
			Owner: "li", CreatedAt: mar1, UpdatedAt: mar5},
		{Title: "timed", Due: DueAt(time.Date(2026, 3, 2, 15, 0, 0, 0, time.Local)), Repeat: Repeat{1, "weekday"}},
	}
	for _, task := range tasks {
		got, keys := roundTripJSON(t, task)
		if !reflect.DeepEqual(got, task) {
			t.Errorf("round trip\ngot  %+v\nwant %+v", got, task)
		}
		if _, ok := keys["due"]; !ok {
			t.Errorf("no due key in %v", keys)
		}
	}
	var task Task
	if err := json.Unmarshal([]byte(`{"title":"x","repeat":"every fortnight"}`), &task); err == nil {
		t.Error("an unknown repeat rule was accepted")
	}
	if err := json.Unmarshal([]byte(`{"title":"x","repeat":"每周","due":"2026-03-02"}`), &task); err != nil || task.Repeat != (Repeat{1, "week"}) {
		t.Errorf("repeat 每周 reads as %+v, %v", task.Repeat, err)
	}
}
