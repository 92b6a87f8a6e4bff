package insight

import (
	"time"

	"github.com/rolo-crm/rolo/model"
)

// ForecastReport is the open pipeline by expected close month.
type ForecastReport struct {
	AsOf              time.Time       `json:"as_of"`
	CommitProbability int             `json:"commit_probability"`
	Months            []ForecastMonth `json:"months"`
	Later             ForecastBucket  `json:"later"`   // expected after the last month
	Overdue           []DealLine      `json:"overdue"` // expected close date already passed
	Undated           []DealLine      `json:"undated"` // no expected close date
}

// ForecastMonth is the deals expected to close in one calendar month.
type ForecastMonth struct {
	Month string `json:"month"` // "2026-11"
	ForecastBucket
}

// ForecastBucket is a set of open deals and their value per currency.
type ForecastBucket struct {
	Deals   int              `json:"deals"`
	Amounts []ForecastAmount `json:"amounts"`
	Items   []DealLine       `json:"items"`

	sums *byCurrency[ForecastAmount]
}

// ForecastAmount is the value of a bucket's deals in one currency: best
// case counts every deal in full, commit the deals at or above the
// commit probability in full, weighted each deal times its probability.
type ForecastAmount struct {
	Currency string `json:"currency"`
	BestCase Amount `json:"best_case"`
	Commit   Amount `json:"commit"`
	Weighted Amount `json:"weighted"`
}

func (b *ForecastBucket) add(line DealLine, commit bool) {
	if b.sums == nil {
		b.sums = newByCurrency(func(c string) ForecastAmount {
			return ForecastAmount{Currency: c, BestCase: amount(0, c), Commit: amount(0, c), Weighted: amount(0, c)}
		})
	}
	a := b.sums.at(line.Currency)
	a.BestCase.Minor += line.Amount.Minor
	a.Weighted.Minor += line.Weighted.Minor
	if commit {
		a.Commit.Minor += line.Amount.Minor
	}
	b.Items = append(b.Items, line)
}

func (b *ForecastBucket) finish() {
	b.Deals = len(b.Items)
	b.Amounts = []ForecastAmount{}
	if b.sums != nil {
		b.Amounts = b.sums.list()
	}
	if b.Items == nil {
		b.Items = []DealLine{}
	}
}

// Forecast reports the open deals created in the period by the month of
// their expected close date, for Params.ForecastMonths months starting
// with the current one. Deals whose date has passed (before today) and
// deals without one are listed apart.
func Forecast(d *Data, q Query) ForecastReport {
	r := ForecastReport{AsOf: q.Now.UTC(), CommitProbability: q.Params.CommitProbability,
		Months: make([]ForecastMonth, max(q.Params.ForecastMonths, 0)), Overdue: []DealLine{}, Undated: []DealLine{}}
	today := q.today()
	first := today.Year*12 + int(today.Month) - 1
	for i := range r.Months {
		m := first + i
		r.Months[i].Month = monthKey(m/12, time.Month(m%12+1))
	}
	for i := range d.Deals {
		deal := &d.Deals[i]
		if deal.Status != model.StatusOpen || !q.inPeriod(deal.CreatedAt) || !q.dealOK(deal) {
			continue
		}
		line := d.dealLine(deal)
		commit := line.Probability >= q.Params.CommitProbability
		switch cd := deal.CloseDate; {
		case cd.IsZero():
			r.Undated = append(r.Undated, line)
		case cd.Before(today):
			r.Overdue = append(r.Overdue, line)
		case cd.Year*12+int(cd.Month)-1-first < len(r.Months):
			r.Months[cd.Year*12+int(cd.Month)-1-first].add(line, commit)
		default:
			r.Later.add(line, commit)
		}
	}
	for i := range r.Months {
		r.Months[i].finish()
	}
	r.Later.finish()
	return r
}
