package insight

import "github.com/rolo-crm/rolo/config"

// ParamsOf returns the thresholds config.toml sets ([insight] and
// quiet_days). A nil config, or one whose [insight] table is all zero (a
// Config built in code rather than loaded), gives DefaultParams.
func ParamsOf(c *config.Config) Params {
	p := DefaultParams()
	if c == nil {
		return p
	}
	if i := c.Insight; i != (config.Insight{}) {
		p = Params{
			StuckDays:         int(i.StuckDays),
			CommitProbability: int(i.CommitProbability),
			ForecastMonths:    int(i.ForecastMonths),
			QuietDays:         c.QuietDays,
			StaleFactor:       float64(i.StaleFactor),
			EngagedDays:       int(i.EngagedDays),
			FormationDays:     int(i.FormationDays),
			ChurnDays:         int(i.ChurnDays),
			OverdueFactor:     float64(i.OverdueFactor),
			LifespanYears:     float64(i.LifespanYears),
			DiscountRate:      float64(i.DiscountRate),
		}
	}
	if c.QuietDays > 0 {
		p.QuietDays = c.QuietDays
	}
	return p
}
