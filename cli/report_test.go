package cli

import (
	"testing"

	"github.com/rolo-crm/rolo/config"
	"github.com/rolo-crm/rolo/insight"
)

// config.toml's defaults and the insight package's are the same numbers:
// a report run without a config file and one run by a program that takes
// insight.DefaultParams agree.
func TestInsightDefaultsAgree(t *testing.T) {
	if got, want := insightParams(config.Default()), insight.DefaultParams(); got != want {
		t.Errorf("config defaults %+v\ninsight defaults %+v", got, want)
	}
}

func TestInsightParams(t *testing.T) {
	c := config.Default()
	c.QuietDays = 21
	c.Insight.StuckDays, c.Insight.CommitProbability, c.Insight.DiscountRate = 14, 80, 0.08
	p := insightParams(c)
	if p.QuietDays != 21 || p.StuckDays != 14 || p.CommitProbability != 80 || p.DiscountRate != 0.08 || p.ChurnDays != 365 {
		t.Errorf("params: %+v", p)
	}
}
