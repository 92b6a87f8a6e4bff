package ui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// thousands writes n with grouped thousands: 100,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// fmtDay writes a day as people read it in a list: "today", "tomorrow",
// a weekday within the week ahead, else the date.
func (s *shared) fmtDay(d model.Date) string {
	if d.IsZero() {
		return ""
	}
	today := s.today()
	switch n := today.DaysUntil(d); {
	case n == 0:
		return s.T("tui.day.today")
	case n == 1:
		return s.T("tui.day.tomorrow")
	case n == -1:
		return s.T("tui.day.yesterday")
	case n > 1 && n < 7:
		return s.T("tui.weekday." + strconv.Itoa(int(d.In(time.UTC).Weekday())))
	case d.Year == today.Year:
		return s.T("tui.date.short", s.T("tui.month."+strconv.Itoa(int(d.Month))), d.Day)
	}
	return d.String()
}

// fmtDue writes a follow-up's due day, with its time of day when it has one.
func (s *shared) fmtDue(d model.Due) string {
	if d.IsZero() {
		return s.T("tui.due.none")
	}
	day := s.fmtDay(d.Date)
	if d.HasTime() {
		return day + " " + d.At.In(s.now().Location()).Format("15:04")
	}
	return day
}

// fmtTime writes an instant as a day and a time of day.
func (s *shared) fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	lt := t.In(s.now().Location())
	return s.fmtDay(model.DateOf(lt)) + " " + lt.Format("15:04")
}

// fmtAgo writes how long ago t was in days: "today", "3d ago".
func (s *shared) fmtAgo(t time.Time) string {
	n := model.DateOf(t.In(s.now().Location())).DaysUntil(s.today())
	if n <= 0 {
		return s.T("tui.day.today")
	}
	return s.T("tui.ago.days", n)
}

// money sums amounts per currency, in a stable (alphabetical) order.
type money map[string]int64

func (m money) add(v model.Money) {
	if v.Minor != 0 || v.Currency != "" {
		m[v.Currency] += v.Minor
	}
}

// list returns the amounts, largest currency code first in alphabetical
// order, for display.
func (m money) list() []model.Money {
	out := make([]model.Money, 0, len(m))
	for c, v := range m {
		out = append(out, model.Money{Minor: v, Currency: c})
	}
	slices.SortFunc(out, func(a, b model.Money) int { return strings.Compare(a.Currency, b.Currency) })
	return out
}

// kindLabel is an activity kind in the interface language.
func (s *shared) kindLabel(kind string) string { return s.T("tui.kind." + kind) }

// priorityMark flags a follow-up's priority in one cell.
func priorityMark(p string) string {
	switch p {
	case model.PriorityHigh:
		return "!"
	case model.PriorityLow:
		return "·"
	}
	return " "
}
