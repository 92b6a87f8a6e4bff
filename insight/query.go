package insight

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// Params are the thresholds of the reports, from config.toml [insight]
// (and quiet_days). docs/insight.md explains each.
type Params struct {
	StuckDays         int     // pipeline: an open deal with no stage move for this many days is stuck
	CommitProbability int     // forecast: open deals at or above this probability (percent) are commit
	ForecastMonths    int     // forecast: how many months, starting with the current one
	QuietDays         int     // stale: the fewest days of silence that count as going quiet
	StaleFactor       float64 // stale, lifecycle: quiet when silent for more than this many usual gaps
	EngagedDays       int     // lifecycle: a prospect touched within this many days is in exploration
	FormationDays     int     // lifecycle: a first purchase within this many days is formation
	ChurnDays         int     // lifecycle: a customer silent for more than this many days has churned
	OverdueFactor     float64 // lifecycle: overdue when the next purchase is this many usual gaps late
	LifespanYears     float64 // clv: the expected customer lifespan
	DiscountRate      float64 // clv: the yearly discount rate (0.1 is 10 %)
}

// DefaultParams returns the thresholds config.toml starts from.
func DefaultParams() Params {
	return Params{
		StuckDays:         30,
		CommitProbability: 75,
		ForecastMonths:    6,
		QuietDays:         30,
		StaleFactor:       2,
		EngagedDays:       90,
		FormationDays:     180,
		ChurnDays:         365,
		OverdueFactor:     1.5,
		LifespanYears:     3,
		DiscountRate:      0.1,
	}
}

// Query is what a report is asked: when, with which thresholds, about
// which records.
type Query struct {
	// Now is the moment the report is made at. Its location is the
	// calendar: which day is today, where weeks (from Monday), months and
	// quarters begin.
	Now    time.Time
	Params Params
	// Since and Until bound the period, Since included and Until not;
	// zero leaves that end open. Which time of a record falls in the
	// period depends on the report (docs/insight.md).
	Since, Until time.Time
	// Owner keeps records of one owner (ignoring case); Tag keeps records
	// carrying a tag; Currency keeps amounts in one currency.
	Owner, Tag, Currency string
}

func (q Query) loc() *time.Location { return q.Now.Location() }

// today is the calendar day of Now.
func (q Query) today() model.Date { return model.DateOf(q.Now) }

// inPeriod reports whether t falls in [Since, Until).
func (q Query) inPeriod(t time.Time) bool {
	return (q.Since.IsZero() || !t.Before(q.Since)) && (q.Until.IsZero() || t.Before(q.Until))
}

// asOf is the moment a customer report looks back from: Now, or the end
// of the period when that is earlier.
func (q Query) asOf() time.Time {
	if !q.Until.IsZero() && q.Until.Before(q.Now) {
		return q.Until
	}
	return q.Now
}

func (q Query) ownerOK(owner string) bool { return q.Owner == "" || strings.EqualFold(q.Owner, owner) }

func (q Query) currencyOK(c string) bool { return q.Currency == "" || strings.EqualFold(q.Currency, c) }

// dealOK applies the owner, tag and currency filters to a deal.
func (q Query) dealOK(d *model.Deal) bool {
	return q.ownerOK(d.Owner) && (q.Tag == "" || model.HasTag(d.Tags, q.Tag)) && q.currencyOK(d.Value.Currency)
}

// Day numbers count calendar days from 1970-01-01: consecutive days have
// consecutive numbers, whatever the clocks did in between.

func dateOfDay(n int) model.Date { return model.DateOf(time.Unix(int64(n)*86400, 0).UTC()) }

// monthKey names a calendar month: "2026-02".
func monthKey(y int, m time.Month) string { return fmt.Sprintf("%04d-%02d", y, m) }

// quarterKey names the calendar quarter of t in loc: "2026-Q1".
func quarterKey(t time.Time, loc *time.Location) string {
	y, m, _ := t.In(loc).Date()
	return fmt.Sprintf("%04d-Q%d", y, (int(m)+2)/3)
}

// weekStart returns the Monday of the week of day n (a day number).
func weekStart(n int) int {
	wd := int(dateOfDay(n).In(time.UTC).Weekday()) // Sunday 0
	return n - (wd+6)%7
}

// elapsedDays is the time from a to b in days of 24 hours.
func elapsedDays(a, b time.Time) float64 { return b.Sub(a).Hours() / 24 }

// dayClock turns instants into day numbers in one location quickly:
// while instants stay within one period of constant UTC offset (years,
// for most zones) it needs no zone lookup.
type dayClock struct {
	loc        *time.Location
	start, end int64 // the cached period, in Unix seconds; empty at first
	offset     int64
}

func newDayClock(loc *time.Location) *dayClock { return &dayClock{loc: loc} }

// day returns the day number of t's calendar day in the clock's location.
func (c *dayClock) day(t time.Time) int {
	u := t.Unix()
	if u < c.start || u >= c.end {
		lt := t.In(c.loc)
		_, off := lt.Zone()
		s, e := lt.ZoneBounds()
		c.offset, c.start, c.end = int64(off), math.MinInt64, math.MaxInt64
		if !s.IsZero() {
			c.start = s.Unix()
		}
		if !e.IsZero() {
			c.end = e.Unix()
		}
	}
	v := u + c.offset
	n := v / 86400
	if v%86400 < 0 {
		n--
	}
	return int(n)
}

// daysPerYear is the length of a year in the CLV and value-at-risk
// formulas.
const daysPerYear = 365.25
