package insight

import (
	"fmt"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

func forecastAmounts(as []ForecastAmount) string {
	s := ""
	for _, a := range as {
		s += fmt.Sprintf("%s %s/%s/%s;", a.Currency, a.BestCase.Decimal(), a.Commit.Decimal(), a.Weighted.Decimal())
	}
	return s
}

// Today is 2026-06-15 (CST); the six months are June to November.
//
//	1 lead 10 %             1000.00 CNY  06-20  June
//	2 negotiation 75 %      2000.00 CNY  06-30  June, commit (75 >= 75)
//	3 proposal 90 % (override) 100.00 USD 07-01 July, commit
//	4 lead                   400.00 CNY  06-14  overdue (yesterday)
//	5 lead                   300.00 CNY  none   undated
//	6 lead                   700.00 CNY  12-01  later
//	7 qualified 25 %         500.00 CNY  11-30  November
//	8 won                                 06-20  not open
func TestForecast(t *testing.T) {
	d := &Data{Pipeline: model.DefaultPipeline(), Deals: []model.Deal{
		deal(1, "lead", at("2026-06-01 12:00"), "1000.00 CNY", closing("2026-06-20")),
		deal(2, "negotiation", at("2026-06-01 12:00"), "2000.00 CNY", closing("2026-06-30")),
		deal(3, "proposal", at("2026-06-01 12:00"), "100.00 USD", closing("2026-07-01"), probability(90)),
		deal(4, "lead", at("2026-06-01 12:00"), "400.00 CNY", closing("2026-06-14")),
		deal(5, "lead", at("2026-06-01 12:00"), "300.00 CNY"),
		deal(6, "lead", at("2026-06-01 12:00"), "700.00 CNY", closing("2026-12-01")),
		deal(7, "qualified", at("2026-06-01 12:00"), "500.00 CNY", closing("2026-11-30")),
		deal(8, "lead", at("2026-06-01 12:00"), "900.00 CNY", closing("2026-06-20"), won(at("2026-06-02 12:00"))),
	}}
	r := Forecast(d, query(at("2026-06-15 12:00")))
	want := []struct {
		month   string
		deals   int
		amounts string
	}{
		{"2026-06", 2, "CNY 3000.00/2000.00/1600.00;"},
		{"2026-07", 1, "USD 100.00/100.00/90.00;"},
		{"2026-08", 0, ""},
		{"2026-09", 0, ""},
		{"2026-10", 0, ""},
		{"2026-11", 1, "CNY 500.00/0.00/125.00;"},
	}
	if len(r.Months) != len(want) {
		t.Fatalf("months: %+v", r.Months)
	}
	for i, w := range want {
		m := r.Months[i]
		if m.Month != w.month || m.Deals != w.deals || forecastAmounts(m.Amounts) != w.amounts {
			t.Errorf("month %d: %s %d %s, want %+v", i, m.Month, m.Deals, forecastAmounts(m.Amounts), w)
		}
	}
	if r.Later.Deals != 1 || forecastAmounts(r.Later.Amounts) != "CNY 700.00/0.00/70.00;" {
		t.Errorf("later: %+v", r.Later)
	}
	if len(r.Overdue) != 1 || r.Overdue[0].ID != dealID(4) || len(r.Undated) != 1 || r.Undated[0].ID != dealID(5) {
		t.Errorf("overdue %+v, undated %+v", r.Overdue, r.Undated)
	}
}

// On 2028-02-29 a deal expected that day is due today, not overdue; in
// UTC+8, 16:30 UTC is already 1 March, and the same deal is overdue.
func TestForecastLeapDayAndZone(t *testing.T) {
	d := &Data{Pipeline: model.DefaultPipeline(), Deals: []model.Deal{
		deal(1, "lead", utc("2028-01-01 00:00"), "100.00 CNY", closing("2028-02-29")),
		deal(2, "lead", utc("2028-01-01 00:00"), "100.00 CNY", closing("2028-02-28")),
	}}
	r := Forecast(d, query(utc("2028-02-29 16:30")))
	if r.Months[0].Month != "2028-02" || r.Months[0].Deals != 1 || len(r.Overdue) != 1 || r.Overdue[0].ID != dealID(2) {
		t.Errorf("UTC: %+v overdue %+v", r.Months[0], r.Overdue)
	}
	r = Forecast(d, query(utc("2028-02-29 16:30").In(cst)))
	if r.Months[0].Month != "2028-03" || r.Months[0].Deals != 0 || len(r.Overdue) != 2 {
		t.Errorf("CST: %+v overdue %+v", r.Months[0], r.Overdue)
	}
}

func TestForecastCommitThreshold(t *testing.T) {
	d := &Data{Pipeline: model.DefaultPipeline(), Deals: []model.Deal{
		deal(1, "proposal", at("2026-06-01 12:00"), "100.00 CNY", closing("2026-06-20")),
	}}
	q := query(at("2026-06-15 12:00"))
	q.Params.CommitProbability = 50
	q.Params.ForecastMonths = 1
	r := Forecast(d, q)
	if len(r.Months) != 1 || forecastAmounts(r.Months[0].Amounts) != "CNY 100.00/100.00/50.00;" {
		t.Errorf("50 %% is commit at a threshold of 50: %+v", r.Months)
	}
}
