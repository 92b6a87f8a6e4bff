package insight

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// store writes a hand-built data set into a new database, keeping ids.
func storeOf(t *testing.T, d *Data) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "rolo.db"), store.Options{
		Rules: model.Rules{Region: "CN", Currency: "CNY"},
		Now:   func() time.Time { return at("2026-06-15 12:00") },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.Update(func(tx *store.Tx) error {
		for i := range d.Companies {
			if err := tx.PutCompany(&d.Companies[i]); err != nil {
				return err
			}
		}
		for i := range d.Contacts {
			if err := tx.PutContact(&d.Contacts[i]); err != nil {
				return err
			}
		}
		for i := range d.Deals {
			if err := tx.PutDeal(&d.Deals[i]); err != nil {
				return err
			}
		}
		for i := range d.Tasks {
			if err := tx.PutTask(&d.Tasks[i]); err != nil {
				return err
			}
		}
		for i := range d.Activities {
			if err := tx.AddActivity(&d.Activities[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Reports on what Load reads (brief records, the timelines of the
// store's indexes, only the contacts deals name) must equal the reports
// on the records as built by hand.
func TestLoadMatchesHandBuilt(t *testing.T) {
	q := query(at("2026-06-15 12:00"))
	activityQ := q
	activityQ.Since, activityQ.Until = at("2026-06-01 00:00"), at("2026-06-15 00:00")
	vip, li := q, q // the tag filter reads every contact; the owner filter the deals' customers
	vip.Tag, li.Owner = "vip", "li"
	for _, c := range []struct {
		report string
		data   func() *Data
		q      Query
		run    func(*Data, Query) any
	}{
		{"pipeline", pipelineData, q, func(d *Data, q Query) any { return Pipeline(d, q) }},
		{"forecast", pipelineData, q, func(d *Data, q Query) any { return Forecast(d, q) }},
		{"winrate", winRateData, q, func(d *Data, q Query) any { return WinRate(d, q) }},
		{"cycle", cycleData, q, func(d *Data, q Query) any { return Cycle(d, q) }},
		{"activity", activityData, activityQ, func(d *Data, q Query) any { return Activity(d, q) }},
		{"nps", activityData, q, func(d *Data, q Query) any { return NPS(d, q) }},
		{"lifecycle", lifecycleData, q, func(d *Data, q Query) any { return Lifecycle(d, q) }},
		{"stale", staleData, q, func(d *Data, q Query) any { return Stale(d, q) }},
		{"stale", lifecycleData, q, func(d *Data, q Query) any { return Stale(d, q) }},
		{"rfm", rfmData, q, func(d *Data, q Query) any { return RFM(d, q) }},
		{"rfm", lifecycleData, vip, func(d *Data, q Query) any { return RFM(d, q) }},
		{"pareto", rfmData, vip, func(d *Data, q Query) any { return Pareto(d, q) }},
		{"clv", lifecycleData, li, func(d *Data, q Query) any { return CLV(d, q) }},
		{"lifecycle", lifecycleData, vip, func(d *Data, q Query) any { return Lifecycle(d, q) }},
		{"stale", staleData, vip, func(d *Data, q Query) any { return Stale(d, q) }},
		{"activity", activityData, func() Query { a := activityQ; a.Tag = "vip"; return a }(), func(d *Data, q Query) any { return Activity(d, q) }},
		{"clv", rfmData, q, func(d *Data, q Query) any { return CLV(d, q) }},
		{"pareto", rfmData, q, func(d *Data, q Query) any { return Pareto(d, q) }},
	} {
		t.Run(c.report, func(t *testing.T) {
			hand := c.data()
			s := storeOf(t, c.data())
			var loaded *Data
			err := s.View(func(tx *store.Tx) error {
				var err error
				loaded, err = Load(tx, Needs(c.report, c.q))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(c.run(hand, c.q))
			got, _ := json.Marshal(c.run(loaded, c.q))
			if string(got) != string(want) {
				t.Errorf("loaded:\n%s\nhand-built:\n%s", got, want)
			}
		})
	}
}

// One contact's or company's stage, read from the store alone, is the
// one the whole report gives it.
func TestContactLifecycle(t *testing.T) {
	hand := lifecycleData()
	q := query(at("2026-06-15 12:00"))
	want := Lifecycle(hand, q)
	s := storeOf(t, lifecycleData())
	err := s.View(func(tx *store.Tx) error {
		for _, c := range want.Contacts {
			got, err := ContactLifecycle(tx, c.ID, q)
			if err != nil {
				return err
			}
			if g, w := mustJSON(t, got), mustJSON(t, c); g != w {
				t.Errorf("%s:\n got %s\nwant %s", c.Name, g, w)
			}
		}
		for _, c := range want.Companies {
			got, err := CompanyLifecycle(tx, c.ID, q)
			if err != nil {
				return err
			}
			if g, w := mustJSON(t, got), mustJSON(t, c); g != w {
				t.Errorf("%s:\n got %s\nwant %s", c.Name, g, w)
			}
		}
		if _, err := ContactLifecycle(tx, contactID(999), q); err == nil {
			t.Error("an unknown contact is an error")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
