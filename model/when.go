package model

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	whenrules "github.com/olebedev/when/rules"
	whencommon "github.com/olebedev/when/rules/common"
	whenen "github.com/olebedev/when/rules/en"

	"github.com/rolo-crm/rolo/i18n"
)

// maxWhenLen bounds the input in bytes: no due date needs more, and it keeps
// the search for the day phrase cheap.
const maxWhenLen = 100

var (
	errNotWhen   = because("model.due.notwhen")
	errNoSuchDay = because("model.due.nosuchday")
)

// ParseWhen reads a due date or time as people type it, in English or
// Simplified Chinese, relative to now and in now's location. It returns
// DueOn(day) when no time of day was given and DueAt(t) when one was.
//
// Machine forms: 2026-12-01, 2026/12/01, 2026-12-01 15:00, RFC 3339
// (2026-12-01T15:00:00Z) and 12/01 or 12/01/2026 (month first).
//
// English: today, tonight (20:00), eod (17:00), now, tomorrow, yesterday,
// friday, this friday, next friday, last friday, friday next week, next
// week (its Monday), next month (its 1st), next year, end of month, Dec 1,
// 1 December 2026, in 3 days, in 2 weeks, in 1 month, in 2 hours, 3 days
// ago; a day may come with a time of day before or after it: 3pm, 3:30pm,
// 15:30, at noon, in the afternoon.
//
// Chinese: 今天 明天 后天 大后天 昨天 前天, 今晚 明早, 周五 星期五 礼拜五, 本周五,
// 下周五, 下下周一, 下周, 3天后, 两周后, 一个月后, 3天前, 12月1日, 2026年12月1日,
// 15号, 下个月1号, 下个月, 月底, 年底; a day may be followed by a time of day:
// 下午3点, 上午10点半, 晚上8点, 3点15分, 10点一刻, 中午, 15:30. Full-width
// digits and the numerals 〇 to 十 and 两 read as digits.
//
// Ambiguous forms resolve by fixed rules:
//   - A weekday alone, or "this friday", is the next such day on or after
//     today: "friday" on a Friday is today.
//   - "next friday" is the first Friday after today: on a Wednesday two days
//     away, on a Friday a week away. "friday next week" and 下周五 are the
//     Friday of the next calendar week; weeks start on Monday. 本周五 is this
//     calendar week's Friday even when it has passed; "last friday" is the
//     latest Friday before today.
//   - A day without a year (12/01, Dec 1, 12月1日) is the next such day on or
//     after today; 15号 the next 15th on or after today.
//   - A time without a day ("3pm", 下午3点) is today, even when it has passed.
//   - A Chinese hour without 上午, 下午 or 晚上 is on the 24-hour clock:
//     明天3点 is 03:00. 晚上12点 is the midnight ending that evening, 00:00 of
//     the next day; 12am is 00:00 of the same day.
//   - Months step by the calendar and stay in the shorter month: "in 1
//     month" from Jan 31 is Feb 28 (29 in a leap year).
//   - "in 2 hours" is an exact instant, to the minute; "in 2 days" a day.
//   - A part of the day alone: morning/早上 08:00, 上午 09:00, noon/中午
//     12:00, afternoon/下午 15:00, evening/傍晚 18:00, 晚上/今晚 20:00.
//
// Empty input, input it cannot read whole ("blah tomorrow blah") and days
// that do not exist (2026-02-30) return an error wrapping ErrInvalid.
func ParseWhen(s string, now time.Time) (Due, error) {
	text := strings.TrimSpace(foldWidth(s))
	switch {
	case text == "":
		return Due{}, invalid("due", "", "model.due.hint", i18n.Msg{Key: "model.due.empty"})
	case len(text) > maxWhenLen:
		return Due{}, invalid("due", s, "model.due.hint", i18n.Msg{Key: "model.due.long"})
	}
	read := readEnglish
	if strings.ContainsFunc(text, isHan) {
		read = readChinese
	}
	m, err := read(text, now)
	if err != nil {
		return Due{}, invalid("due", s, "model.due.hint", reasonOf(err))
	}
	d := m.due(now.Location())
	if d.Date.Year < 1 || d.Date.Year > 9999 {
		return Due{}, invalid("due", s, "model.due.hint", i18n.Msg{Key: "model.due.far"})
	}
	return d, nil
}

// moment is what a phrase names: a day, perhaps with a time of day, or an
// exact instant.
type moment struct {
	day     Date
	clock   *timeOfDay // nil for the whole day
	instant time.Time  // set by "now", "in 2 hours" and RFC 3339, which need no day or clock
}

// timeOfDay is a wall-clock reading; hour 24 is the midnight ending the day.
type timeOfDay struct{ hour, minute int }

// at gives m the time of day c, replacing a default one ("tonight"); nil
// leaves m as it is. An exact instant takes no time of day.
func (m moment) at(c *timeOfDay) (moment, bool) {
	if c == nil {
		return m, true
	}
	if !m.instant.IsZero() {
		return moment{}, false
	}
	m.clock = c
	return m, true
}

func (m moment) due(loc *time.Location) Due {
	switch {
	case !m.instant.IsZero():
		return DueAt(m.instant.In(loc))
	case m.clock == nil:
		return DueOn(m.day)
	}
	// time.Date carries hour 24 over to 00:00 of the next day.
	return DueAt(time.Date(m.day.Year, m.day.Month, m.day.Day, m.clock.hour, m.clock.minute, 0, 0, loc))
}

// dayRule reads one form of day phrase. The pattern is anchored at the
// start; read turns its submatches into a moment, or returns an error when
// the phrase has the form but names no real day (2026-02-30), which ends the
// search rather than letting a looser rule guess.
type dayRule struct {
	re   *regexp.Regexp
	read func(m []string, now time.Time) (moment, error)
}

func rule(pattern string, read func(m []string, now time.Time) (moment, error)) dayRule {
	return dayRule{regexp.MustCompile(pattern), read}
}

// findDay applies the first of rules that matches the start of s and
// returns its moment and the length of the match.
func findDay(rules []dayRule, s string, now time.Time) (m moment, n int, found bool, err error) {
	for _, r := range rules {
		if sub := r.re.FindStringSubmatch(s); sub != nil {
			m, err = r.read(sub, now)
			return m, len(sub[0]), true, err
		}
	}
	return moment{}, 0, false, nil
}

// English day phrases. The weekday, month and number words are
// olebedev/when's own tables.
var (
	enWeekday = "(" + whenen.WEEKDAY_OFFSET_PATTERN + ")"
	enMonth   = "(" + whenen.MONTH_OFFSET_PATTERN + ")"
	enDay     = `(\d{1,2})(?:st|nd|rd|th)?`
	enYear    = `(?: (\d{4}))?`
	enCount   = `(\d{1,4}|an?|` + whenen.INTEGER_WORDS_PATTERN + ")"
)

var englishUnits = map[string]string{
	"minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
	"hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour",
	"day": "day", "days": "day", "week": "week", "weeks": "week",
	"month": "month", "months": "month", "year": "year", "years": "year",
}

// englishDayWords are days named from today; tonight and eod also bring a
// time of day, which an explicit one replaces ("tonight 9pm").
var englishDayWords = map[string]struct {
	offset int
	clock  *timeOfDay
}{
	"today": {0, nil}, "tomorrow": {1, nil}, "tmr": {1, nil}, "tmrw": {1, nil},
	"yesterday": {-1, nil}, "day after tomorrow": {2, nil}, "day before yesterday": {-2, nil},
	"tonight": {0, &timeOfDay{20, 0}}, "eod": {0, &timeOfDay{17, 0}}, "end of day": {0, &timeOfDay{17, 0}},
}

// englishDays must each match a whole phrase: readEnglish tries every split
// of the input into a day phrase and a time of day. Like every pattern
// table here it is compiled on first use, since every rolo process imports
// this package and few of them read a date.
var englishDays = sync.OnceValue(func() []dayRule {
	return []dayRule{
		rule(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`, func(m []string, _ time.Time) (moment, error) {
			return onDay(dateIn(num(m[1]), num(m[2]), num(m[3])))
		}),
		rule(`^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$`, func(m []string, now time.Time) (moment, error) {
			return onDay(calendarDay(DateOf(now), m[3], num(m[1]), num(m[2])))
		}),
		rule(`^`+enMonth+` `+enDay+enYear+`$`, func(m []string, now time.Time) (moment, error) {
			return onDay(calendarDay(DateOf(now), m[3], whenen.MONTH_OFFSET[m[1]], num(m[2])))
		}),
		rule(`^`+enDay+`(?: of)? `+enMonth+enYear+`$`, func(m []string, now time.Time) (moment, error) {
			return onDay(calendarDay(DateOf(now), m[3], whenen.MONTH_OFFSET[m[2]], num(m[1])))
		}),
		rule(`^`+alternation(englishDayWords)+`$`, func(m []string, now time.Time) (moment, error) {
			w := englishDayWords[m[1]]
			return moment{day: DateOf(now).AddDays(w.offset), clock: w.clock}, nil
		}),
		rule(`^now$`, func(_ []string, now time.Time) (moment, error) {
			return moment{instant: now}, nil
		}),
		rule(`^(?:(this|next|last) )?`+enWeekday+`$`, readEnglishWeekday),
		rule(`^(?:`+enWeekday+` next week|next week `+enWeekday+`)$`, func(m []string, now time.Time) (moment, error) {
			return moment{day: inWeek(DateOf(now), 1, weekdayWord(m[1]+m[2]))}, nil
		}),
		rule(`^next (week|month|year)$`, func(m []string, now time.Time) (moment, error) {
			today := DateOf(now)
			switch m[1] {
			case "week":
				return moment{day: inWeek(today, 1, time.Monday)}, nil
			case "month":
				return moment{day: monthStart(today, 1)}, nil
			}
			return moment{day: Date{today.Year + 1, time.January, 1}}, nil
		}),
		rule(`^(?:end of (?:the )?month|eom)$`, func(_ []string, now time.Time) (moment, error) {
			return moment{day: monthEnd(DateOf(now), 0)}, nil
		}),
		rule(`^in `+enCount+` `+alternation(englishUnits)+`$`, func(m []string, now time.Time) (moment, error) {
			return shift(now, englishCount(m[1]), englishUnits[m[2]]), nil
		}),
		rule(`^`+enCount+` `+alternation(englishUnits)+` ago$`, func(m []string, now time.Time) (moment, error) {
			return shift(now, -englishCount(m[1]), englishUnits[m[2]]), nil
		}),
	}
})

func readEnglishWeekday(m []string, now time.Time) (moment, error) {
	today, wd := DateOf(now), weekdayWord(m[2])
	switch m[1] {
	case "next":
		return moment{day: onOrAfter(today.AddDays(1), wd)}, nil
	case "last":
		return moment{day: onOrAfter(today.AddDays(-7), wd)}, nil
	}
	return moment{day: onOrAfter(today, wd)}, nil
}

func weekdayWord(s string) time.Weekday { return time.Weekday(whenen.WEEKDAY_OFFSET[s]) }

func englishCount(s string) int {
	if n, ok := whenen.INTEGER_WORDS[s]; ok {
		return n
	}
	if s == "a" || s == "an" {
		return 1
	}
	return num(s)
}

// leadingFiller are words that may open a due date and mean nothing:
// "on friday", "by tomorrow".
var leadingFiller = map[string]bool{"on": true, "by": true, "due": true, "at": true}

// readEnglish splits the words into a day phrase, taken from the start or
// the end and longest first, and a time of day for the rest ("tomorrow
// 3pm", "3pm tomorrow"); without a day phrase the whole input must be a
// time of day, which is then today.
func readEnglish(text string, now time.Time) (moment, error) {
	if m, ok := readTimestamp(text, now.Location()); ok {
		return m, nil
	}
	words := strings.Fields(strings.ReplaceAll(strings.ToLower(text), ",", " "))
	for len(words) > 1 && leadingFiller[words[0]] {
		words = words[1:]
	}
	for n := len(words); n > 0; n-- {
		for _, cut := range cuts(words, n) {
			m, _, found, err := findDay(englishDays(), cut[0], now)
			if err != nil {
				return moment{}, err
			}
			if !found {
				continue
			}
			if c, ok := readEnglishClock(cut[1], now); ok {
				if m, ok := m.at(c); ok {
					return m, nil
				}
			}
		}
	}
	c, ok := readEnglishClock(strings.Join(words, " "), now)
	if !ok || c == nil {
		return moment{}, errNotWhen
	}
	return moment{day: DateOf(now), clock: c}, nil
}

// cuts splits words into a phrase of n words and the rest, the phrase taken
// from the start and from the end.
func cuts(words []string, n int) [][2]string {
	head := [2]string{strings.Join(words[:n], " "), strings.Join(words[n:], " ")}
	if n == len(words) {
		return [][2]string{head}
	}
	k := len(words) - n
	return [][2]string{head, {strings.Join(words[k:], " "), strings.Join(words[:k], " ")}}
}

// readTimestamp reads the machine forms that carry a time: RFC 3339, as
// --json writes it, and ISO 8601 local time.
func readTimestamp(s string, loc *time.Location) (moment, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return moment{instant: t}, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return moment{instant: t}, true
		}
	}
	return moment{}, false
}

// whenRules are olebedev/when's English and language-neutral rules. Its
// Chinese rules panic and are never used; its day words are not used either,
// as rolo's own rules above give them fixed meanings ("friday" on a Friday is
// today) and step days by the calendar rather than by 24 hours.
var whenRules = append(slices.Clone(whenen.All), whencommon.All...)

// clockFiller are words a time of day may carry: "at 3pm", "in the afternoon".
var clockFiller = map[string]bool{"at": true, "on": true, "by": true, "in": true, "the": true, "around": true, "about": true}

// twelveAM finds "12am", which olebedev/when reads as noon.
var twelveAM = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b12(?:[:-][0-5]\d)?\s*a\.?m?\b`)
})

// readEnglishClock reads an English time of day ("3pm", "3:30 p.m.",
// "15:30", "at noon", "in the afternoon") with olebedev/when's rules. It
// returns nil and true when s holds only filler words. The text must be
// read whole and name nothing but a time of day: the rules find a time
// anywhere in a text, so what they did not consume is checked here.
func readEnglishClock(s string, now time.Time) (*timeOfDay, bool) {
	if onlyFiller(s) {
		return nil, true
	}
	c, spans, ok := applyWhenRules(s, now)
	if !ok || !onlyFiller(uncovered(s, spans)) {
		return nil, false
	}
	if c.Hour == nil || c.Duration != 0 || c.Year != nil || c.Month != nil || c.Weekday != nil || c.Day != nil {
		return nil, false
	}
	t := timeOfDay{hour: *c.Hour}
	if c.Minute != nil {
		t.minute = *c.Minute
	}
	if t.hour == 12 && twelveAM().MatchString(s) {
		t.hour = 0
	}
	return &t, true
}

// whenOptions are olebedev/when's defaults.
var whenOptions = &whenrules.Options{Distance: 5, MatchByOrder: true}

// applyWhenRules does what olebedev/when's Parser.Parse does with whenRules
// (find every rule's match, keep the first cluster of nearby matches, apply
// them in rule order), and also returns the context the rules filled and
// the spans of text they consumed, which tell a time of day from a date and
// show what was left unread. rolo calls the rules itself rather than
// importing the when package, whose import alone compiles its Dutch,
// Russian and Portuguese rules in every process (~4 ms).
func applyWhenRules(text string, ref time.Time) (*whenrules.Context, [][2]int, bool) {
	var matches []*whenrules.Match
	for i, rule := range whenRules {
		if m := rule.Find(text); m != nil {
			m.Order = float64(i)
			matches = append(matches, m)
		}
	}
	if len(matches) == 0 {
		return nil, nil, false
	}
	sort.Sort(whenrules.MatchByIndex(matches))
	start, end := matches[0].Left, matches[0].Right
	for i, m := range matches {
		if m.Left > end+whenOptions.Distance {
			matches = matches[:i]
			break
		}
		end = m.Right
	}
	sort.Sort(whenrules.MatchByOrder(matches))
	ctx := &whenrules.Context{Text: text[start:end]}
	var spans [][2]int
	for _, m := range matches {
		ok, err := m.Apply(ctx, whenOptions, ref)
		if err != nil {
			return nil, nil, false
		}
		if ok {
			spans = append(spans, [2]int{m.Left, m.Right})
		}
	}
	if len(spans) == 0 {
		return nil, nil, false
	}
	if _, err := ctx.Time(ref); err != nil {
		return nil, nil, false
	}
	return ctx, spans, true
}

func onlyFiller(s string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if !clockFiller[w] {
			return false
		}
	}
	return true
}

// uncovered returns s with the consumed spans blanked out.
func uncovered(s string, spans [][2]int) string {
	b := []byte(s)
	for _, sp := range spans {
		for i := sp[0]; i < sp[1]; i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// chineseOffsets count weeks or months from this one: 下周, 上个月.
var chineseOffsets = map[string]int{"上上": -2, "上": -1, "本": 0, "这": 0, "下": 1, "下下": 2}

var chineseUnits = map[string]string{
	"分钟": "minute", "小时": "hour", "钟头": "hour", "天": "day", "日": "day",
	"周": "week", "星期": "week", "礼拜": "week", "月": "month", "年": "year",
}

var chineseDayWords = map[string]int{
	"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3,
	"昨天": -1, "昨日": -1, "前天": -2, "大前天": -3,
}

// chineseContractions spell out a day fused with a part of it (今晚 is
// 今天 + 晚), so that 今晚8点 reads 8 as p.m.
var chineseContractions = strings.NewReplacer(
	"今晚", "今天晚", "明晚", "明天晚", "昨晚", "昨天晚", "今早", "今天早", "明早", "明天早",
)

// chineseDays match a prefix of the input, which may go on with a time of
// day. The first rule that matches decides, so the order matters: 3天后
// before 3日, 下个月1号 before 下个月.
var chineseDays = sync.OnceValue(func() []dayRule {
	zhOffset := alternation(chineseOffsets)
	return []dayRule{
		rule(`^(\d{1,4})个?`+alternation(chineseUnits)+`(以后|之后|后|以前|之前|前)`, func(m []string, now time.Time) (moment, error) {
			n := num(m[1])
			if !strings.HasSuffix(m[3], "后") {
				n = -n
			}
			return shift(now, n, chineseUnits[m[2]]), nil
		}),
		rule(`^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?`, func(m []string, _ time.Time) (moment, error) {
			return onDay(dateIn(num(m[1]), num(m[2]), num(m[3])))
		}),
		rule(`^(\d{1,2})月(\d{1,2})[日号]?`, func(m []string, now time.Time) (moment, error) {
			return onDay(calendarDay(DateOf(now), "", num(m[1]), num(m[2])))
		}),
		rule(`^`+zhOffset+`个?月(\d{1,2})[日号]?`, func(m []string, now time.Time) (moment, error) {
			first := monthStart(DateOf(now), chineseOffsets[m[1]])
			return onDay(dateIn(first.Year, int(first.Month), num(m[2])))
		}),
		rule(`^`+zhOffset+`?个?月底`, func(m []string, now time.Time) (moment, error) {
			return moment{day: monthEnd(DateOf(now), chineseOffsets[m[1]])}, nil
		}),
		rule(`^`+zhOffset+`个?月`, func(m []string, now time.Time) (moment, error) {
			return moment{day: monthStart(DateOf(now), chineseOffsets[m[1]])}, nil
		}),
		rule(`^年底`, func(_ []string, now time.Time) (moment, error) {
			return moment{day: Date{now.Year(), time.December, 31}}, nil
		}),
		rule(`^`+zhOffset+`?个?(?:周|星期|礼拜)([1-7日天])`, readChineseWeekday),
		rule(`^`+zhOffset+`个?(?:周|星期|礼拜)`, func(m []string, now time.Time) (moment, error) {
			return moment{day: inWeek(DateOf(now), chineseOffsets[m[1]], time.Monday)}, nil
		}),
		rule(`^`+alternation(chineseDayWords), func(m []string, now time.Time) (moment, error) {
			return moment{day: DateOf(now).AddDays(chineseDayWords[m[1]])}, nil
		}),
		rule(`^(\d{1,2})[日号]`, func(m []string, now time.Time) (moment, error) {
			return onDay(nextDayOfMonth(DateOf(now), num(m[1])))
		}),
	}
})

// readChineseWeekday reads 周五 as the next Friday on or after today, and
// 本周五, 下周五, 下下周五 as the Friday of that calendar week.
func readChineseWeekday(m []string, now time.Time) (moment, error) {
	wd := time.Sunday
	if d := m[2]; d != "日" && d != "天" && d != "7" {
		wd = time.Weekday(num(d))
	}
	if m[1] == "" {
		return moment{day: onOrAfter(DateOf(now), wd)}, nil
	}
	return moment{day: inWeek(DateOf(now), chineseOffsets[m[1]], wd)}, nil
}

// readChinese reads a day phrase from the start of the text, then a time of
// day from the rest, in Chinese (下午3点) or English (3pm); without a day
// phrase the whole text must be a time of day, which is then today.
func readChinese(text string, now time.Time) (moment, error) {
	s := chineseContractions.Replace(chineseNumerals(joinChinese(text)))
	m, n, found, err := findDay(chineseDays(), s, now)
	if err != nil {
		return moment{}, err
	}
	if !found {
		m = moment{day: DateOf(now)}
	}
	rest := s[n:]
	var c *timeOfDay
	ok := true
	switch {
	case rest == "":
	case strings.ContainsFunc(rest, isHan):
		c, ok = readChineseClock(rest)
	default:
		c, ok = readEnglishClock(strings.ToLower(rest), now)
	}
	if !ok || !found && c == nil {
		return moment{}, errNotWhen
	}
	if m, ok = m.at(c); !ok {
		return moment{}, errNotWhen
	}
	return m, nil
}

// dayPeriod is a part of the day: it turns a spoken hour into one on the
// 24-hour clock, and gives the hour meant when it is said alone (-1 when it
// needs an hour).
type dayPeriod struct {
	alone int
	hour  func(h int) (int, bool)
}

var dayPeriods = map[string]dayPeriod{
	"凌晨": {-1, smallHour},
	"早上": {8, morningHour}, "早晨": {8, morningHour}, "早": {8, morningHour}, "上午": {9, morningHour},
	"中午": {12, noonHour},
	"下午": {15, afternoonHour}, "傍晚": {18, afternoonHour},
	"晚上": {20, eveningHour}, "晚": {20, eveningHour},
}

// 凌晨12点 is midnight.
func smallHour(h int) (int, bool) { return h % 12, h <= 12 }

// 上午12点 is noon.
func morningHour(h int) (int, bool) { return h, h <= 12 }

// 中午1点 is 13:00, 中午12点 noon.
func noonHour(h int) (int, bool) {
	if h >= 1 && h <= 5 {
		return h + 12, true
	}
	return h, h >= 11 && h <= 14
}

// 下午3点 and 下午15点 are both 15:00.
func afternoonHour(h int) (int, bool) {
	if h >= 1 && h <= 11 {
		return h + 12, true
	}
	return h, h >= 12 && h <= 23
}

// 晚上12点 is the midnight that ends the evening.
func eveningHour(h int) (int, bool) {
	if h == 12 {
		return 24, true
	}
	return afternoonHour(h)
}

// chineseClock reads [part of day][hour (点|时|:) minutes]: 下午3点, 3点半,
// 10点1刻, 3点15分, 15:30, 中午.
var chineseClock = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^` + alternation(dayPeriods) +
		`?(?:(\d{1,2}):(\d{2})|(\d{1,2})[点时]钟?(?:(半)|([1-3])刻|(\d{1,2})分?|整)?)?$`)
})

func readChineseClock(s string) (*timeOfDay, bool) {
	m := chineseClock().FindStringSubmatch(s)
	if m == nil || m[0] == "" {
		return nil, false
	}
	period, hasPeriod := dayPeriods[m[1]]
	hour, minute := m[2]+m[4], 0 // one of the two hour forms is empty
	switch {
	case m[3] != "":
		minute = num(m[3])
	case m[5] != "":
		minute = 30
	case m[6] != "":
		minute = 15 * num(m[6])
	case m[7] != "":
		minute = num(m[7])
	}
	if hour == "" {
		return &timeOfDay{period.alone, 0}, period.alone >= 0
	}
	h, ok := num(hour), true
	if hasPeriod {
		h, ok = period.hour(h)
	}
	return &timeOfDay{h, minute}, ok && h <= 24 && minute <= 59
}

// chineseNumerals rewrites runs of Chinese numerals as digits: 三 -> 3,
// 十五 -> 15, 二十三 -> 23, 两 -> 2, 二〇二六 -> 2026. A run it cannot read
// (十十) stays as it is and then matches no rule.
func chineseNumerals(s string) string {
	var b strings.Builder
	var run []rune
	flush := func() {
		b.WriteString(numeralRun(run))
		run = run[:0]
	}
	for _, r := range s {
		if _, ok := chineseDigits[r]; ok || r == '十' {
			run = append(run, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

var chineseDigits = map[rune]int{
	'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

func numeralRun(run []rune) string {
	ten := slices.Index(run, '十')
	if ten < 0 { // digit by digit, as years are written
		var b strings.Builder
		for _, r := range run {
			b.WriteByte(byte('0' + chineseDigits[r]))
		}
		return b.String()
	}
	before, after := run[:ten], run[ten+1:]
	if len(before) > 1 || len(after) > 1 || slices.Contains(after, '十') {
		return string(run)
	}
	tens, ones := 1, 0
	if len(before) == 1 {
		tens = chineseDigits[before[0]]
	}
	if len(after) == 1 {
		ones = chineseDigits[after[0]]
	}
	return strconv.Itoa(10*tens + ones)
}

// joinChinese drops the spaces Chinese does without ("12月1日 下午3点") but
// keeps one between two ASCII words ("明天 at 3pm").
func joinChinese(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(s) {
		if b.Len() > 0 && isASCIIWordByte(b.String()[b.Len()-1]) && isASCIIWordByte(w[0]) {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

func isASCIIWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// shift moves now by n units: minutes and hours give an instant, to the
// minute; days and longer give a day, stepped by the calendar so that a
// daylight-saving change cannot move it.
func shift(now time.Time, n int, unit string) moment {
	today := DateOf(now)
	switch unit {
	case "minute":
		return moment{instant: now.Add(time.Duration(n) * time.Minute).Truncate(time.Minute)}
	case "hour":
		return moment{instant: now.Add(time.Duration(n) * time.Hour).Truncate(time.Minute)}
	case "week":
		return moment{day: today.AddDays(7 * n)}
	case "month":
		return moment{day: DateOf(addMonths(today.In(time.UTC), n))}
	case "year":
		return moment{day: DateOf(addMonths(today.In(time.UTC), 12*n))}
	}
	return moment{day: today.AddDays(n)}
}

func onDay(d Date, err error) (moment, error) { return moment{day: d}, err }

// num reads a run of ASCII digits; the patterns admit no more than four.
func num(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// dateIn returns the day y-m-d, or errNoSuchDay for one such as Feb 30.
func dateIn(y, m, d int) (Date, error) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || t.Day() != d {
		return Date{}, errNoSuchDay
	}
	return DateOf(t), nil
}

// calendarDay returns month/day of the given year, or without a year the
// next such day on or after today (a Feb 29 may be years away).
func calendarDay(today Date, year string, month, day int) (Date, error) {
	if year != "" {
		return dateIn(num(year), month, day)
	}
	for y := today.Year; y <= today.Year+8; y++ {
		if d, err := dateIn(y, month, day); err == nil && !d.Before(today) {
			return d, nil
		}
	}
	return Date{}, errNoSuchDay
}

// nextDayOfMonth returns the next day-th of a month on or after today,
// skipping months too short to have one.
func nextDayOfMonth(today Date, day int) (Date, error) {
	for n := 0; n < 12; n++ {
		first := monthStart(today, n)
		if d, err := dateIn(first.Year, int(first.Month), day); err == nil && !d.Before(today) {
			return d, nil
		}
	}
	return Date{}, errNoSuchDay
}

// monthStart returns the 1st of the month n months from today's.
func monthStart(today Date, n int) Date {
	return DateOf(time.Date(today.Year, today.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC))
}

// monthEnd returns the last day of the month n months from today's.
func monthEnd(today Date, n int) Date { return monthStart(today, n+1).AddDays(-1) }

func weekdayOf(d Date) time.Weekday { return d.In(time.UTC).Weekday() }

// onOrAfter returns the first day on or after from that falls on wd.
func onOrAfter(from Date, wd time.Weekday) Date {
	return from.AddDays((int(wd) - int(weekdayOf(from)) + 7) % 7)
}

// inWeek returns weekday wd of the calendar week that is weeks after
// today's; weeks run from Monday to Sunday.
func inWeek(today Date, weeks int, wd time.Weekday) Date {
	monday := today.AddDays(-daysFromMonday(weekdayOf(today)))
	return monday.AddDays(7*weeks + daysFromMonday(wd))
}

func daysFromMonday(wd time.Weekday) int { return (int(wd) + 6) % 7 }

// alternation returns a regexp group matching any key of words, longest
// first so that a word wins over its prefix (大后天 over 后天, 早上 over 早).
func alternation[V any](words map[string]V) string {
	keys := slices.SortedFunc(maps.Keys(words), func(a, b string) int {
		return cmp.Or(len(b)-len(a), strings.Compare(a, b))
	})
	for i, k := range keys {
		keys[i] = regexp.QuoteMeta(k)
	}
	return "(" + strings.Join(keys, "|") + ")"
}
