package config

import (
	"fmt"
	"math"
)

// Insight is the [insight] table: the thresholds of the reports.
// docs/insight.md explains each; quiet_days (top level) is the fewest
// days of silence the stale report counts as going quiet.
type Insight struct {
	// StuckDays: an open deal with no stage move for this many days is stuck.
	StuckDays Days `toml:"stuck_days"`
	// CommitProbability: open deals at or above it (percent) are the commit forecast.
	CommitProbability Percent `toml:"commit_probability"`
	// ForecastMonths: how many months the forecast covers, the current one first.
	ForecastMonths Months `toml:"forecast_months"`
	// EngagedDays: a prospect touched within this many days is exploring.
	EngagedDays Days `toml:"engaged_days"`
	// FormationDays: a customer whose one purchase is this recent is forming.
	FormationDays Days `toml:"formation_days"`
	// ChurnDays: a customer silent for longer, with no open deal, has churned.
	ChurnDays Days `toml:"churn_days"`
	// OverdueFactor: a repeat customer is overdue when its next purchase is
	// later than this many of its usual gaps between purchases.
	OverdueFactor Factor `toml:"overdue_factor"`
	// StaleFactor: quiet when silent for longer than this many usual gaps
	// between touches (and at least quiet_days).
	StaleFactor Factor `toml:"stale_factor"`
	// LifespanYears: the expected customer lifespan of the CLV.
	LifespanYears Years `toml:"clv_lifespan_years"`
	// DiscountRate: the yearly discount rate of the CLV (0.1 is 10 %).
	DiscountRate Rate `toml:"clv_discount_rate"`
}

// DefaultInsight returns the [insight] settings used when config.toml
// sets none.
func DefaultInsight() Insight {
	return Insight{
		StuckDays:         30,
		CommitProbability: 75,
		ForecastMonths:    6,
		EngagedDays:       90,
		FormationDays:     180,
		ChurnDays:         365,
		OverdueFactor:     1.5,
		StaleFactor:       2,
		LifespanYears:     3,
		DiscountRate:      0.1,
	}
}

// The value types of [insight] check their range as they are read, so a
// bad value is reported with its line like any other.

// Days is a whole number of days, 1 to 36500.
type Days int

// UnmarshalTOML reads and checks a number of days.
func (d *Days) UnmarshalTOML(v any) error {
	n, err := whole(v, 1, 36500, "a number of days")
	*d = Days(n)
	return err
}

// Percent is a whole percentage, 0 to 100.
type Percent int

// UnmarshalTOML reads and checks a percentage.
func (p *Percent) UnmarshalTOML(v any) error {
	n, err := whole(v, 0, 100, "a percentage")
	*p = Percent(n)
	return err
}

// Months is a whole number of months, 1 to 60.
type Months int

// UnmarshalTOML reads and checks a number of months.
func (m *Months) UnmarshalTOML(v any) error {
	n, err := whole(v, 1, 60, "a number of months")
	*m = Months(n)
	return err
}

// Factor is a multiple of a customer's usual gap, above 0 and at most 100.
type Factor float64

// UnmarshalTOML reads and checks a factor.
func (f *Factor) UnmarshalTOML(v any) error {
	x, err := number(v, 0, 100, false, "a factor")
	*f = Factor(x)
	return err
}

// Years is a lifespan in years, above 0 and at most 100.
type Years float64

// UnmarshalTOML reads and checks a number of years.
func (y *Years) UnmarshalTOML(v any) error {
	x, err := number(v, 0, 100, false, "a number of years")
	*y = Years(x)
	return err
}

// Rate is a yearly rate as a fraction, 0 (included) to 1.
type Rate float64

// UnmarshalTOML reads and checks a rate.
func (r *Rate) UnmarshalTOML(v any) error {
	x, err := number(v, 0, 1, true, "a rate such as 0.1 for 10 %")
	*r = Rate(x)
	return err
}

// whole reads a TOML integer within [lo, hi].
func whole(v any, lo, hi int64, what string) (int64, error) {
	n, ok := v.(int64)
	if !ok || n < lo || n > hi {
		return 0, fmt.Errorf("%v is not %s: use a whole number from %d to %d", v, what, lo, hi)
	}
	return n, nil
}

// number reads a TOML integer or float above lo (or at lo, when
// loIncluded) and at most hi.
func number(v any, lo, hi float64, loIncluded bool, what string) (float64, error) {
	var x float64
	switch n := v.(type) {
	case int64:
		x = float64(n)
	case float64:
		x = n
	default:
		return 0, fmt.Errorf("%v is not %s", v, what)
	}
	above := x > lo || loIncluded && x == lo
	if math.IsNaN(x) || !above || x > hi {
		bound := "above"
		if loIncluded {
			bound = "from"
		}
		return 0, fmt.Errorf("%v is not %s: use a number %s %v to %v", v, what, bound, lo, hi)
	}
	return x, nil
}
