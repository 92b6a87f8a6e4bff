package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Task priorities.
const (
	PriorityLow    = "low"
	PriorityNormal = "normal"
	PriorityHigh   = "high"
)

// Task is a follow-up: something to do for a contact or a deal, by a date.
type Task struct {
	ID        ID        `json:"id"`
	Title     string    `json:"title"`
	Due       Due       `json:"due"`
	ContactID ID        `json:"contact_id,omitzero"`
	DealID    ID        `json:"deal_id,omitzero"`
	CompanyID ID        `json:"company_id,omitzero"`
	Priority  string    `json:"priority"`
	DoneAt    time.Time `json:"done_at,omitzero"`
	Repeat    Repeat    `json:"repeat,omitzero"`
	Notes     string    `json:"notes,omitempty"`
	Owner     string    `json:"owner,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Done reports whether the task is completed.
func (t Task) Done() bool { return !t.DoneAt.IsZero() }

// Overdue reports whether an open task's due moment has passed at now.
func (t Task) Overdue(now time.Time) bool {
	if t.Done() || t.Due.IsZero() {
		return false
	}
	if t.Due.HasTime() {
		return t.Due.At.Before(now)
	}
	return t.Due.Date.Before(DateOf(now))
}

// Normalize validates t.
func (t *Task) Normalize(Rules) error {
	t.Title = strings.TrimSpace(t.Title)
	if t.Title == "" {
		return invalid("title", "", "model.task.title")
	}
	switch strings.ToLower(strings.TrimSpace(t.Priority)) {
	case "", PriorityNormal, "medium", "2", "中":
		t.Priority = PriorityNormal
	case PriorityHigh, "urgent", "1", "高":
		t.Priority = PriorityHigh
	case PriorityLow, "3", "低":
		t.Priority = PriorityLow
	default:
		return invalid("priority", t.Priority, "model.oneof", "low, normal, high")
	}
	if !t.Repeat.IsZero() && !t.Repeat.valid() {
		return invalid("repeat", fmt.Sprintf("every %d %s", t.Repeat.Every, t.Repeat.Unit), "model.repeat.rule")
	}
	if !t.Repeat.IsZero() && t.Due.IsZero() {
		return invalid("repeat", t.Repeat.String(), "model.repeat.due")
	}
	return nil
}

// Complete marks t done at time at. For a repeating task it returns the
// next occurrence (without an ID) to be saved as a new task. Completing a
// task that is already done changes nothing and returns nil, so doing it
// twice does not make two next occurrences.
func (t *Task) Complete(at time.Time) (next *Task) {
	if t.Done() {
		return nil
	}
	t.DoneAt = at.UTC()
	if t.Repeat.IsZero() {
		return nil
	}
	n := *t
	n.ID, n.DoneAt, n.CreatedAt, n.UpdatedAt = ID{}, time.Time{}, at.UTC(), at.UTC()
	n.Due = t.Repeat.Next(t.Due, at)
	return &n
}

// Repeat is how often a task comes back once done.
type Repeat struct {
	Every int    // how many units between occurrences, 1 to 1000 (1 for "weekday")
	Unit  string // "day", "week", "month", "year" or "weekday"
}

// IsZero reports whether the task does not repeat.
func (r Repeat) IsZero() bool { return r.Every == 0 }

// valid reports whether r is a rule ParseRepeat could have made, and so
// one that String writes without loss.
func (r Repeat) valid() bool {
	switch r.Unit {
	case "day", "week", "month", "year":
		return r.Every >= 1 && r.Every <= 1000
	case "weekday":
		return r.Every == 1
	}
	return false
}

// ParseRepeat reads "daily", "weekly", "monthly", "yearly", "weekdays",
// "every 2 weeks", "每天", "每周", "每月", "每年", "每2周", "每两周".
func ParseRepeat(s string) (Repeat, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "never", "none":
		return Repeat{}, nil
	case "daily", "every day", "每天", "每日":
		return Repeat{1, "day"}, nil
	case "weekly", "every week", "每周", "每星期":
		return Repeat{1, "week"}, nil
	case "monthly", "every month", "每月", "每个月":
		return Repeat{1, "month"}, nil
	case "yearly", "annually", "every year", "每年":
		return Repeat{1, "year"}, nil
	case "weekdays", "every weekday", "工作日", "每个工作日":
		return Repeat{1, "weekday"}, nil
	}
	var n int
	var unit string
	if rest, ok := strings.CutPrefix(s, "每"); ok {
		rest = strings.ReplaceAll(strings.ReplaceAll(rest, " ", ""), "两", "2") // 每两周
		num := strings.TrimRight(rest, "天日周星期个月年")
		u := strings.TrimPrefix(rest, num)
		var err error
		if n, err = strconv.Atoi(num); err == nil {
			unit = map[string]string{"天": "day", "日": "day", "周": "week", "星期": "week", "个月": "month", "月": "month", "年": "year"}[u]
		}
	} else if f := strings.Fields(s); len(f) == 3 && f[0] == "every" {
		var err error
		if n, err = strconv.Atoi(f[1]); err == nil {
			unit = strings.TrimSuffix(f[2], "s")
		}
	}
	if r := (Repeat{n, unit}); r.valid() {
		return r, nil
	}
	return Repeat{}, invalid("repeat", s, "model.repeat.use")
}

// String writes the rule in the form ParseRepeat reads.
func (r Repeat) String() string {
	switch {
	case r.IsZero():
		return ""
	case r.Unit == "weekday":
		return "weekdays"
	case r.Every == 1:
		return map[string]string{"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}[r.Unit]
	}
	return fmt.Sprintf("every %d %ss", r.Every, r.Unit)
}

// MarshalText writes String.
func (r Repeat) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads what ParseRepeat reads.
func (r *Repeat) UnmarshalText(b []byte) error {
	v, err := ParseRepeat(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Next returns the first occurrence after the one due at d that is not
// already in the past at now: a task completed late skips the occurrences
// it missed. A day-based due steps in UTC days, a timed one in time.Local
// so that it keeps its wall-clock time across daylight-saving changes.
//
// Months and years step by calendar, clamped to the end of a shorter
// month: a monthly task due Jan 31 comes back Feb 28 (29 in a leap year),
// then Mar 28, since the rule keeps no memory of the 31st; a yearly one due
// Feb 29 comes back Feb 28. (time.AddDate would instead overflow into the
// next month: Jan 31 + 1 month is Mar 3, or Mar 2 in a leap year.)
func (r Repeat) Next(d Due, now time.Time) Due {
	if d.IsZero() {
		d = DueOn(DateOf(now))
	}
	next := r.step(d)
	for i := 0; i < 10000 && next.Instant(now.Location()).Before(now); i++ {
		next = r.step(next)
	}
	return next
}

func (r Repeat) step(d Due) Due {
	move := func(t time.Time) time.Time {
		switch r.Unit {
		case "day":
			return t.AddDate(0, 0, r.Every)
		case "week":
			return t.AddDate(0, 0, 7*r.Every)
		case "month":
			return addMonths(t, r.Every)
		case "year":
			return addMonths(t, 12*r.Every)
		}
		t = t.AddDate(0, 0, 1)
		for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
	if d.HasTime() {
		return DueAt(move(d.At.In(time.Local)))
	}
	return DueOn(DateOf(move(d.Date.In(time.UTC))))
}

// addMonths moves t by n calendar months, keeping its day of the month
// unless the target month is shorter, then taking its last day.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	last := time.Date(y, m+time.Month(n)+1, 0, 0, 0, 0, 0, t.Location()).Day()
	return time.Date(y, m+time.Month(n), min(d, last), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// AppendJSON appends the task's JSON, as json.Marshal writes it, to b.
// On error it returns b unchanged. (Task has no MarshalJSON, for the
// reason given on Company.AppendJSON.)
func (t *Task) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.raw(`{"id":`)
	w.id(t.ID)
	w.raw(`,"title":`)
	w.str(t.Title)
	w.raw(`,"due":`)
	w.b = t.Due.appendJSON(w.b)
	w.optID(`,"contact_id":`, t.ContactID)
	w.optID(`,"deal_id":`, t.DealID)
	w.optID(`,"company_id":`, t.CompanyID)
	w.raw(`,"priority":`)
	w.str(t.Priority)
	w.optTime(`,"done_at":`, t.DoneAt)
	if !t.Repeat.IsZero() {
		w.raw(`,"repeat":`)
		w.str(t.Repeat.String())
	}
	w.optStr(`,"notes":`, t.Notes)
	w.optStr(`,"owner":`, t.Owner)
	w.raw(`,"created_at":`)
	w.time(t.CreatedAt)
	w.raw(`,"updated_at":`)
	w.time(t.UpdatedAt)
	w.raw("}")
	return w.result(b)
}
