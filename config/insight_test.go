package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

func TestInsightDefaults(t *testing.T) {
	c, warn, err := Load(write(t, "currency = \"CNY\"\nphone_region = \"CN\"\n"), true)
	if err != nil || len(warn) != 0 {
		t.Fatal(err, warn)
	}
	if c.Insight != DefaultInsight() || c.Insight.StuckDays != 30 || c.Insight.DiscountRate != 0.1 {
		t.Errorf("defaults: %+v", c.Insight)
	}
}

func TestInsightValues(t *testing.T) {
	c, warn, err := Load(write(t, `currency = "CNY"
phone_region = "CN"

[insight]
stuck_days = 14
commit_probability = 0
forecast_months = 12
churn_days = 730
overdue_factor = 2
stale_factor = 1.25
clv_lifespan_years = 2.5
clv_discount_rate = 0
speed = "fast"
`), true)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultInsight()
	want.StuckDays, want.CommitProbability, want.ForecastMonths, want.ChurnDays = 14, 0, 12, 730
	want.OverdueFactor, want.StaleFactor, want.LifespanYears, want.DiscountRate = 2, 1.25, 2.5, 0
	if c.Insight != want {
		t.Errorf("got %+v\nwant %+v", c.Insight, want)
	}
	if len(warn) != 1 || !strings.Contains(warn[0], `:13: unknown key "insight.speed"`) {
		t.Errorf("an unknown key in [insight] is a warning with its line: %v", warn)
	}
}

func TestInsightBadValues(t *testing.T) {
	for _, c := range []struct{ line, msg string }{
		{"stuck_days = 0", "0 is not a number of days"},
		{"engaged_days = 1.5", "1.5 is not a number of days"},
		{"commit_probability = 101", "101 is not a percentage"},
		{"forecast_months = 0", "0 is not a number of months"},
		{"overdue_factor = 0", "0 is not a factor"},
		{`stale_factor = "two"`, "two is not a factor"},
		{"clv_lifespan_years = -1", "-1 is not a number of years"},
		{"clv_discount_rate = 1.5", "1.5 is not a rate"},
		{"clv_discount_rate = nan", "NaN is not a rate"},
	} {
		_, _, err := Load(write(t, "currency = \"CNY\"\n\n[insight]\n"+c.line+"\n"), true)
		if err == nil || !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), ":4: "+c.msg) {
			t.Errorf("%s: %v", c.line, err)
		}
	}
}
