package model

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	whenZone  = time.FixedZone("CST", 8*3600)
	whenWed   = time.Date(2026, 6, 10, 10, 0, 0, 0, whenZone)  // a Wednesday
	whenFri   = time.Date(2026, 6, 12, 10, 0, 0, 0, whenZone)  // a Friday
	whenSun   = time.Date(2026, 6, 14, 10, 0, 0, 0, whenZone)  // a Sunday, the last day of its week
	whenJan31 = time.Date(2026, 1, 31, 10, 0, 0, 0, whenZone)  // the last day of a month, before a short one
	whenDec31 = time.Date(2026, 12, 31, 22, 0, 0, 0, whenZone) // the last day of a year
)

// showDue writes a whole-day Due as YYYY-MM-DD and a timed one as
// "YYYY-MM-DD hh:mm" in loc.
func showDue(d Due, loc *time.Location) string {
	if d.HasTime() {
		return d.At.In(loc).Format("2006-01-02 15:04")
	}
	return d.Date.String()
}

var whenCases = []struct {
	now  time.Time
	in   string
	want string
}{
	// Machine forms.
	{whenWed, "2026-12-01", "2026-12-01"},
	{whenWed, "2026-12-01 15:00", "2026-12-01 15:00"},
	{whenWed, "2026-12-01T15:00:00Z", "2026-12-01 23:00"},
	{whenWed, "2026-12-01T15:00", "2026-12-01 15:00"},
	{whenWed, "2026/12/01", "2026-12-01"},
	{whenWed, "2026/12/1", "2026-12-01"},
	{whenWed, "12/01", "2026-12-01"},
	{whenWed, "06/10", "2026-06-10"},
	{whenWed, "06/09", "2027-06-09"},
	{whenWed, "12/01/2027", "2027-12-01"},
	{whenWed, "２０２６-１２-０１", "2026-12-01"},

	// English month names.
	{whenWed, "Dec 1", "2026-12-01"},
	{whenWed, "dec. 1", "2026-12-01"},
	{whenWed, "December 1st, 2026", "2026-12-01"},
	{whenWed, "1 December 2026", "2026-12-01"},
	{whenWed, "1st of december", "2026-12-01"},
	{whenWed, "june 9", "2027-06-09"},
	{whenWed, "Dec 1 3pm", "2026-12-01 15:00"},

	// English day words and times of day.
	{whenWed, "today", "2026-06-10"},
	{whenWed, "TODAY", "2026-06-10"},
	{whenWed, "ｔｏｍｏｒｒｏｗ", "2026-06-11"},
	{whenWed, "tonight", "2026-06-10 20:00"},
	{whenWed, "tonight 9pm", "2026-06-10 21:00"},
	{whenWed, "tomorrow", "2026-06-11"},
	{whenWed, "tmr", "2026-06-11"},
	{whenWed, "tomorrow 3pm", "2026-06-11 15:00"},
	{whenWed, "tomorrow at 15:30", "2026-06-11 15:30"},
	{whenWed, "3pm tomorrow", "2026-06-11 15:00"},
	{whenWed, "tomorrow morning", "2026-06-11 08:00"},
	{whenWed, "tomorrow in the afternoon", "2026-06-11 15:00"},
	{whenWed, "by tomorrow", "2026-06-11"},
	{whenWed, "day after tomorrow", "2026-06-12"},
	{whenWed, "yesterday", "2026-06-09"},
	{whenWed, "noon", "2026-06-10 12:00"},
	{whenWed, "at noon", "2026-06-10 12:00"},
	{whenWed, "this afternoon", "2026-06-10 15:00"},
	{whenWed, "eod", "2026-06-10 17:00"},
	{whenWed, "3pm", "2026-06-10 15:00"},
	{whenWed, "9am", "2026-06-10 09:00"}, // already past: still today
	{whenWed, "3 p.m.", "2026-06-10 15:00"},
	{whenWed, "3:30pm", "2026-06-10 15:30"},
	{whenWed, "15:30", "2026-06-10 15:30"},
	{whenWed, "12am", "2026-06-10 00:00"},
	{whenWed, "12:30am", "2026-06-10 00:30"},
	{whenWed, "12pm", "2026-06-10 12:00"},
	{whenWed, "now", "2026-06-10 10:00"},

	// English weekdays: on a Wednesday, "next friday" is the coming one.
	{whenWed, "friday", "2026-06-12"},
	{whenWed, "this friday", "2026-06-12"},
	{whenWed, "next friday", "2026-06-12"},
	{whenWed, "fri 10am", "2026-06-12 10:00"},
	{whenWed, "on friday at 3:30pm", "2026-06-12 15:30"},
	{whenWed, "friday next week", "2026-06-19"},
	{whenWed, "next week friday", "2026-06-19"},
	{whenWed, "last friday", "2026-06-05"},
	{whenWed, "monday", "2026-06-15"},
	{whenWed, "wednesday", "2026-06-10"},
	{whenWed, "next wednesday", "2026-06-17"},
	{whenFri, "friday", "2026-06-12"},
	{whenFri, "this friday", "2026-06-12"},
	{whenFri, "next friday", "2026-06-19"},
	{whenFri, "last friday", "2026-06-05"},
	{whenFri, "friday next week", "2026-06-19"},
	{whenSun, "sunday", "2026-06-14"},
	{whenSun, "next sunday", "2026-06-21"},
	{whenSun, "monday", "2026-06-15"},
	{whenSun, "next monday", "2026-06-15"},
	{whenSun, "friday next week", "2026-06-19"},
	{whenDec31, "friday", "2027-01-01"},

	// English relative days and periods.
	{whenWed, "in 3 days", "2026-06-13"},
	{whenWed, "in three days", "2026-06-13"},
	{whenWed, "in a week", "2026-06-17"},
	{whenWed, "in 2 weeks", "2026-06-24"},
	{whenWed, "in 1 month", "2026-07-10"},
	{whenWed, "in 2 hours", "2026-06-10 12:00"},
	{whenWed, "in 30 minutes", "2026-06-10 10:30"},
	{whenWed, "3 days ago", "2026-06-07"},
	{whenWed, "2 weeks ago", "2026-05-27"},
	{whenWed, "next week", "2026-06-15"},
	{whenWed, "next month", "2026-07-01"},
	{whenWed, "next year", "2027-01-01"},
	{whenWed, "end of month", "2026-06-30"},
	{whenFri, "next week", "2026-06-15"},
	{whenSun, "next week", "2026-06-15"},
	{whenJan31, "tomorrow", "2026-02-01"},
	{whenJan31, "in 1 month", "2026-02-28"},
	{whenJan31, "next month", "2026-02-01"},
	{whenJan31, "next week", "2026-02-02"},
	{whenJan31, "2/29", "2028-02-29"},
	{whenDec31, "tomorrow", "2027-01-01"},
	{whenDec31, "12/01", "2027-12-01"},
	{whenDec31, "12/31", "2026-12-31"},
	{whenDec31, "Dec 1", "2027-12-01"},
	{whenDec31, "next month", "2027-01-01"},
	{whenDec31, "next year", "2027-01-01"},
	{whenDec31, "next week", "2027-01-04"},
	{whenDec31, "in 2 weeks", "2027-01-14"},
	{whenDec31, "in 3 hours", "2027-01-01 01:00"},
	{whenDec31, "3pm", "2026-12-31 15:00"},
	{whenDec31, "tonight", "2026-12-31 20:00"},

	// Chinese days.
	{whenWed, "今天", "2026-06-10"},
	{whenWed, "明天", "2026-06-11"},
	{whenWed, "后天", "2026-06-12"},
	{whenWed, "大后天", "2026-06-13"},
	{whenWed, "昨天", "2026-06-09"},
	{whenWed, "前天", "2026-06-08"},
	{whenWed, "12月1日", "2026-12-01"},
	{whenWed, "十二月一日", "2026-12-01"},
	{whenWed, "１２月１日", "2026-12-01"},
	{whenWed, "2026年12月1日", "2026-12-01"},
	{whenWed, "二〇二六年十二月一日", "2026-12-01"},
	{whenWed, "月底", "2026-06-30"},
	{whenWed, "下月底", "2026-07-31"},
	{whenWed, "年底", "2026-12-31"},
	{whenWed, "下个月1号", "2026-07-01"},
	{whenWed, "下个月", "2026-07-01"},
	{whenWed, "15号", "2026-06-15"},
	{whenWed, "5号", "2026-07-05"},
	{whenJan31, "月底", "2026-01-31"},
	{whenJan31, "下个月1号", "2026-02-01"},
	{whenJan31, "下月底", "2026-02-28"},
	{whenJan31, "31号", "2026-01-31"},
	{whenJan31, "30号", "2026-03-30"},
	{whenDec31, "12月1日", "2027-12-01"},
	{whenDec31, "后天", "2027-01-02"},
	{whenDec31, "1号", "2027-01-01"},
	{whenDec31, "年底", "2026-12-31"},

	// Chinese weeks: 下周五 is always next calendar week's Friday.
	{whenWed, "周五", "2026-06-12"},
	{whenWed, "星期五", "2026-06-12"},
	{whenWed, "礼拜五", "2026-06-12"},
	{whenWed, "周三", "2026-06-10"},
	{whenWed, "周一", "2026-06-15"},
	{whenWed, "本周五", "2026-06-12"},
	{whenWed, "这周五", "2026-06-12"},
	{whenWed, "本周一", "2026-06-08"},
	{whenWed, "下周五", "2026-06-19"},
	{whenWed, "下星期五", "2026-06-19"},
	{whenWed, "下个星期五", "2026-06-19"},
	{whenWed, "下下周一", "2026-06-22"},
	{whenWed, "上周五", "2026-06-05"},
	{whenWed, "周日", "2026-06-14"},
	{whenWed, "星期天", "2026-06-14"},
	{whenWed, "下周日", "2026-06-21"},
	{whenWed, "下周", "2026-06-15"},
	{whenFri, "周五", "2026-06-12"},
	{whenFri, "本周五", "2026-06-12"},
	{whenFri, "下周五", "2026-06-19"},
	{whenFri, "下周", "2026-06-15"},
	{whenSun, "周五", "2026-06-19"},
	{whenSun, "本周五", "2026-06-12"},
	{whenSun, "本周一", "2026-06-08"},
	{whenSun, "下周一", "2026-06-15"},
	{whenSun, "周日", "2026-06-14"},
	{whenSun, "下周日", "2026-06-21"},
	{whenSun, "下周", "2026-06-15"},
	{whenDec31, "下周五", "2027-01-08"},

	// Chinese relative days.
	{whenWed, "3天后", "2026-06-13"},
	{whenWed, "三天后", "2026-06-13"},
	{whenWed, "两周后", "2026-06-24"},
	{whenWed, "一个月后", "2026-07-10"},
	{whenWed, "3天前", "2026-06-07"},
	{whenWed, "2小时后", "2026-06-10 12:00"},
	{whenWed, "3天后下午3点", "2026-06-13 15:00"},
	{whenJan31, "一个月后", "2026-02-28"},
	{whenDec31, "一个月后", "2027-01-31"},

	// Chinese times of day.
	{whenWed, "明天下午3点", "2026-06-11 15:00"},
	{whenWed, "明天上午10点半", "2026-06-11 10:30"},
	{whenWed, "明天晚上8点", "2026-06-11 20:00"},
	{whenWed, "明早9点", "2026-06-11 09:00"},
	{whenWed, "明早", "2026-06-11 08:00"},
	{whenWed, "今晚", "2026-06-10 20:00"},
	{whenWed, "今晚8点", "2026-06-10 20:00"},
	{whenWed, "中午", "2026-06-10 12:00"},
	{whenWed, "中午1点", "2026-06-10 13:00"},
	{whenWed, "下午3点15分", "2026-06-10 15:15"},
	{whenWed, "下午三点", "2026-06-10 15:00"},
	{whenWed, "下午15点", "2026-06-10 15:00"},
	{whenWed, "下午3:30", "2026-06-10 15:30"},
	{whenWed, "十点一刻", "2026-06-10 10:15"},
	{whenWed, "十点三刻", "2026-06-10 10:45"},
	{whenWed, "凌晨2点", "2026-06-10 02:00"},
	{whenWed, "晚上12点", "2026-06-11 00:00"},
	{whenWed, "明天晚上12点", "2026-06-12 00:00"},
	{whenWed, "明天3点", "2026-06-11 03:00"},
	{whenWed, "明天15:30", "2026-06-11 15:30"},
	{whenWed, "明天 3pm", "2026-06-11 15:00"},
	{whenWed, "明天 下午 3 点", "2026-06-11 15:00"},
	{whenWed, "明天下午３点", "2026-06-11 15:00"},
	{whenWed, "周五下午3点", "2026-06-12 15:00"},
	{whenWed, "12月1号下午3点半", "2026-12-01 15:30"},
	{whenDec31, "晚上12点", "2027-01-01 00:00"},
}

func TestParseWhen(t *testing.T) {
	for _, c := range whenCases {
		t.Run(c.now.Format("Mon_")+c.in, func(t *testing.T) {
			t.Parallel() // ParseWhen is called from many goroutines; -race checks it
			d, err := ParseWhen(c.in, c.now)
			if err != nil {
				t.Fatalf("ParseWhen(%q) at %s: %v", c.in, c.now, err)
			}
			if got := showDue(d, whenZone); got != c.want {
				t.Errorf("ParseWhen(%q) at %s = %s, want %s", c.in, c.now.Format(time.DateTime), got, c.want)
			}
			if d.HasTime() && DateOf(d.At.In(whenZone)) != d.Date {
				t.Errorf("ParseWhen(%q): Date %s is not the local day of %s", c.in, d.Date, d.At)
			}
		})
	}
}

func TestParseWhenInvalid(t *testing.T) {
	cases := []struct {
		now time.Time
		in  string
	}{
		{whenWed, ""},
		{whenWed, "   "},
		{whenWed, "blah"},
		{whenWed, "32/13"},
		{whenWed, "13/01"},
		{whenWed, "2026-02-30"},
		{whenWed, "2026-02-30 15:00"},
		{whenWed, "2026-13-01"},
		{whenWed, "明天下午25点"},
		{whenWed, "blah tomorrow blah"},
		{whenWed, "tomorrow blah"},
		{whenWed, "3pm blah"},
		{whenWed, "friday friday"},
		{whenWed, "tomorrow yesterday"},
		{whenWed, "25:00"},
		{whenWed, "13pm"},
		{whenWed, "in 2 hours 3pm"},
		{whenWed, "in 99999 days"},
		{whenWed, "in 9999 years"},
		{whenWed, "明天blah"},
		{whenWed, "周八"},
		{whenWed, "凌晨"},
		{whenWed, "十十点"},
		{whenWed, "下午3点61分"},
		{whenWed, "2小时后下午3点"},
		{whenJan31, "下个月30号"},
		{whenWed, strings.Repeat("tomorrow ", 20)},
	}
	for _, c := range cases {
		_, err := ParseWhen(c.in, c.now)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseWhen(%q) error = %v, want one wrapping ErrInvalid", c.in, err)
			continue
		}
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "due" || !strings.Contains(fe.Reason, "tomorrow 3pm") {
			t.Errorf("ParseWhen(%q) error = %v, want a due error listing example forms", c.in, err)
		}
	}
}

func FuzzParseWhen(f *testing.F) {
	for _, c := range whenCases {
		f.Add(c.in, c.now.Unix())
	}
	f.Add("blah tomorrow blah", whenWed.Unix())
	f.Add("明天下午25点", whenDec31.Unix())
	f.Fuzz(func(t *testing.T, s string, unix int64) {
		now := time.Unix(unix%(1<<34), 0).In(whenZone) // keep now within years 1425 to 2514
		d, err := ParseWhen(s, now)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseWhen(%q) error %v does not wrap ErrInvalid", s, err)
			}
			return
		}
		if d.IsZero() {
			t.Fatalf("ParseWhen(%q) returned no date and no error", s)
		}
		if d.HasTime() && DateOf(d.At.In(whenZone)) != d.Date {
			t.Fatalf("ParseWhen(%q): Date %s is not the local day of %s", s, d.Date, d.At)
		}
	})
}
