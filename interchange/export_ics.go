package interchange

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// ExportICS writes the follow-up tasks as an iCalendar file: every task
// as a VTODO (due date, priority, repeat rule, done or not), and every
// open task with a due date also as a VEVENT with a reminder (VALARM), so
// that it shows in calendars that ignore to-dos. A timed task's reminder
// rings 15 minutes before; an all-day task's at 09:00 on the day.
//
// The calendar is written task by task; DTSTAMP is the task's updated_at,
// so the same data always gives the same file.
func ExportICS(tx *store.Tx, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	cfg := &ics.SerializationConfiguration{MaxLength: 75, PropertyMaxLength: 75, NewLine: "\r\n"}
	head := ics.NewCalendarFor("rolo")
	head.SetProductId("-//rolo//rolo CRM//EN")
	head.SetCalscale("GREGORIAN")
	head.SetXWRCalName("rolo follow-ups")
	bw.WriteString("BEGIN:VCALENDAR\r\n")
	for _, p := range head.CalendarProperties {
		if err := p.SerializeTo(bw, cfg); err != nil {
			return 0, err
		}
	}
	names := newNameCache(tx)
	n := 0
	err := tx.EachTask(func(t *model.Task) error {
		n++
		if err := todo(t, names).SerializeTo(bw, cfg); err != nil {
			return err
		}
		if t.Done() || t.Due.IsZero() {
			return nil
		}
		return event(t, names).SerializeTo(bw, cfg)
	})
	if err != nil {
		return n, err
	}
	bw.WriteString("END:VCALENDAR\r\n")
	return n, bw.Flush()
}

func todo(t *model.Task, names *nameCache) *ics.VTodo {
	v := ics.NewTodo(t.ID.String() + "@rolo")
	v.SetDtStampTime(t.UpdatedAt)
	v.SetCreatedTime(t.CreatedAt)
	v.SetModifiedAt(t.UpdatedAt)
	v.SetSummary(t.Title)
	if d := taskDescription(t, names); d != "" {
		v.SetDescription(d)
	}
	switch {
	case t.Due.HasTime():
		v.SetDueAt(t.Due.At)
	case !t.Due.IsZero():
		v.SetAllDayDueAt(t.Due.Date.In(time.UTC))
	}
	v.SetPriority(map[string]int{model.PriorityHigh: 1, model.PriorityNormal: 5, model.PriorityLow: 9}[t.Priority])
	if t.Done() {
		v.SetStatus(ics.ObjectStatusCompleted)
		v.SetCompletedAt(t.DoneAt)
	} else {
		v.SetStatus(ics.ObjectStatusNeedsAction)
	}
	if r := rrule(t.Repeat); r != "" {
		v.AddRrule(r)
	}
	return v
}

func event(t *model.Task, names *nameCache) *ics.VEvent {
	v := ics.NewEvent(t.ID.String() + "-due@rolo")
	v.SetDtStampTime(t.UpdatedAt)
	v.SetSummary(t.Title)
	if d := taskDescription(t, names); d != "" {
		v.SetDescription(d)
	}
	a := v.AddAlarm()
	a.SetAction(ics.ActionDisplay)
	a.SetProperty(ics.ComponentPropertyDescription, t.Title)
	if t.Due.HasTime() {
		v.SetStartAt(t.Due.At)
		v.SetEndAt(t.Due.At.Add(30 * time.Minute))
		a.SetTrigger("-PT15M")
	} else {
		day := t.Due.Date.In(time.UTC)
		v.SetAllDayStartAt(day)
		v.SetAllDayEndAt(day.AddDate(0, 0, 1))
		a.SetTrigger("PT9H")
	}
	if r := rrule(t.Repeat); r != "" {
		v.AddRrule(r)
	}
	return v
}

// taskDescription is the task's notes with whom and what it is for.
func taskDescription(t *model.Task, names *nameCache) string {
	var lines []string
	if t.Notes != "" {
		lines = append(lines, t.Notes)
	}
	if c := names.contact(t.ContactID); c != "" {
		lines = append(lines, "Contact: "+c)
	}
	if d := names.deal(t.DealID); d != "" {
		lines = append(lines, "Deal: "+d)
	}
	if c := names.company(t.CompanyID); c != "" {
		lines = append(lines, "Company: "+c)
	}
	return strings.Join(lines, "\n")
}

// rrule writes a repeat rule as an iCalendar RRULE.
func rrule(r model.Repeat) string {
	if r.IsZero() {
		return ""
	}
	if r.Unit == "weekday" {
		return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
	}
	freq := map[string]string{"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}[r.Unit]
	if r.Every == 1 {
		return "FREQ=" + freq
	}
	return fmt.Sprintf("FREQ=%s;INTERVAL=%d", freq, r.Every)
}
