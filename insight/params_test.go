package insight

import (
	"testing"

	"github.com/rolo-crm/rolo/config"
)

// config.toml's defaults and the insight package's are the same numbers:
// a report run without a config file and one run by a program that takes
// DefaultParams agree.
func TestConfigDefaultsAgree(t *testing.T) {
	if got, want := ParamsOf(config.Default()), DefaultParams(); got != want {
		t.Errorf("config defaults %+v\ninsight defaults %+v", got, want)
	}
	if got, want := ParamsOf(nil), DefaultParams(); got != want {
		t.Errorf("no config: %+v", got)
	}
	if got, want := ParamsOf(&config.Config{}), DefaultParams(); got != want {
		t.Errorf("empty config: %+v", got)
	}
}

func TestParamsOf(t *testing.T) {
	c := config.Default()
	c.QuietDays = 21
	c.Insight.StuckDays, c.Insight.CommitProbability, c.Insight.DiscountRate = 14, 80, 0.08
	p := ParamsOf(c)
	if p.QuietDays != 21 || p.StuckDays != 14 || p.CommitProbability != 80 || p.DiscountRate != 0.08 || p.ChurnDays != 365 {
		t.Errorf("params: %+v", p)
	}
}
