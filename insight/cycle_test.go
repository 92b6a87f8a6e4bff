package insight

import (
	"fmt"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

// Won deals take 2 (across the 2024 leap day), 20, 40 and 60 days.
//
//	1 lead 01-01 → qualified 01-11 → proposal 01-21 → won 02-10   40 days
//	2 lead 01-01 → proposal 01-06 → won 01-21                      20 days
//	3 lead 03-01 → won 04-30                                        60 days
//	4 lead 2024-02-28 → won 2024-03-01                               2 days
//	5 lead 01-01 → qualified 01-31 → lost 02-05                     (lost)
//	6 lead 05-01 → qualified 05-11, open
func cycleData() *Data {
	return &Data{Pipeline: model.DefaultPipeline(), Deals: []model.Deal{
		deal(1, "lead", utc("2026-01-01 00:00"), "1.00 CNY", moved("qualified", utc("2026-01-11 00:00")),
			moved("proposal", utc("2026-01-21 00:00")), won(utc("2026-02-10 00:00"))),
		deal(2, "lead", utc("2026-01-01 00:00"), "1.00 CNY", moved("proposal", utc("2026-01-06 00:00")), won(utc("2026-01-21 00:00"))),
		deal(3, "lead", utc("2026-03-01 00:00"), "1.00 CNY", won(utc("2026-04-30 00:00"))),
		deal(4, "lead", utc("2024-02-28 00:00"), "1.00 CNY", won(utc("2024-03-01 00:00"))),
		deal(5, "lead", utc("2026-01-01 00:00"), "1.00 CNY", moved("qualified", utc("2026-01-31 00:00")), lost(utc("2026-02-05 00:00"), "")),
		deal(6, "lead", utc("2026-05-01 00:00"), "1.00 CNY", moved("qualified", utc("2026-05-11 00:00"))),
	}}
}

func TestCycle(t *testing.T) {
	r := Cycle(cycleData(), query(at("2026-06-15 12:00")))
	// [2 20 40 60]: the median is (20+40)/2; p75 is at rank 3×0.75 = 2.25,
	// 40 + 0.25×(60-40) = 45.
	if r.Won != 4 || !eqPtr(r.MedianDays, f64(30)) || !eqPtr(r.P75Days, f64(45)) {
		t.Errorf("cycle: %d won, median %s, p75 %s", r.Won, ptr(r.MedianDays), ptr(r.P75Days))
	}
	// lead stays [2 5 10 10 30 60]: median 10, p75 at rank 3.75: 10 + 0.75×20 = 25.
	// qualified [5 10]: 7.5 and 5 + 0.75×5 = 8.75, shown 8.8; proposal [15 20]: 17.5, 18.75 → 18.8.
	want := `lead 6 10 25;qualified 2 7.5 8.8;proposal 2 17.5 18.8;negotiation 0 null null;`
	got := ""
	for _, s := range r.Stages {
		got += fmt.Sprintf("%s %d %s %s;", s.Stage, s.Stays, ptr(s.MedianDays), ptr(s.P75Days))
	}
	if got != want {
		t.Errorf("velocity: %s, want %s", got, want)
	}
	got = ""
	for _, q := range r.ByQuarter {
		got += fmt.Sprintf("%s %d %s %s;", q.Quarter, q.Won, ptr(q.MedianDays), ptr(q.P75Days))
	}
	if want := `2024-Q1 1 2 2;2026-Q1 2 30 35;2026-Q2 1 60 60;`; got != want {
		t.Errorf("by quarter: %s, want %s", got, want)
	}
}

func TestCyclePeriod(t *testing.T) {
	q := query(at("2026-06-15 12:00"))
	q.Since, q.Until = utc("2026-01-01 00:00"), utc("2026-03-01 00:00")
	r := Cycle(cycleData(), q)
	// Won in Jan-Feb: deals 1 and 2. Stays ending in Jan-Feb: lead 10, 5, 30;
	// qualified 10, 5; proposal 20, 15.
	if r.Won != 2 || !eqPtr(r.MedianDays, f64(30)) || r.Stages[0].Stays != 3 || !eqPtr(r.Stages[0].MedianDays, f64(10)) {
		t.Errorf("Jan-Feb: %+v", r)
	}
}

func TestCycleAllLost(t *testing.T) {
	d := &Data{Pipeline: model.DefaultPipeline(), Deals: []model.Deal{
		deal(1, "lead", utc("2026-01-01 00:00"), "1.00 CNY", lost(utc("2026-01-03 00:00"), "")),
	}}
	r := Cycle(d, query(at("2026-06-15 12:00")))
	if r.Won != 0 || r.MedianDays != nil || len(r.ByQuarter) != 0 || r.Stages[0].Stays != 1 || !eqPtr(r.Stages[0].MedianDays, f64(2)) {
		t.Errorf("all lost: %+v", r)
	}
}
