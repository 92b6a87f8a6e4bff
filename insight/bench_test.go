package insight

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/demo"
	"github.com/rolo-crm/rolo/store"
)

// The benchmarks run on the demo database of the performance targets:
// 100,000 contacts, 12,500 companies, 20,000 deals, 50,000 tasks and
// 200,000 activities. It takes about 20 s to build, so it is built once,
// kept in the temporary directory under a name that says what it holds,
// and reused by later runs:
//
//	go test -run '^$' -bench . -benchtime 10x ./insight/

// benchNow is the demo's "today" and the reports' now.
var benchNow = time.Date(2026, 11, 28, 10, 0, 0, 0, time.FixedZone("CST", 8*60*60))

const benchContacts = 100_000

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchDB returns the path of the benchmark database, building it when
// no earlier run left it behind.
func benchDB(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		benchPath = filepath.Join(os.TempDir(), fmt.Sprintf("rolo-insight-bench-%d-%s.db", benchContacts, benchNow.Format("20060102")))
		if _, err := os.Stat(benchPath + ".done"); err == nil {
			return
		}
		tmp := benchPath + ".building"
		os.Remove(tmp)
		s, err := store.Open(tmp, store.Options{Now: func() time.Time { return benchNow }})
		if err != nil {
			benchErr = err
			return
		}
		start := time.Now()
		_, benchErr = demo.Generate(s, demo.Options{Contacts: benchContacts, Seed: 1, Now: benchNow})
		if err := s.Close(); benchErr == nil {
			benchErr = err
		}
		if benchErr == nil {
			benchErr = os.Rename(tmp, benchPath)
		}
		if benchErr == nil {
			benchErr = os.WriteFile(benchPath+".done", nil, 0o600)
		}
		fmt.Fprintf(os.Stderr, "built %s in %v\n", benchPath, time.Since(start).Round(time.Second))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

// benchData loads what need names from the benchmark database.
func benchData(b *testing.B, need Need) *Data {
	b.Helper()
	s, err := store.Open(benchDB(b), store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var d *Data
	err = s.View(func(tx *store.Tx) error {
		d, err = Load(tx, need)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func benchQuery() Query { return Query{Now: benchNow, Params: DefaultParams()} }

// BenchmarkLoad reads what each kind of report needs.
func BenchmarkLoad(b *testing.B) {
	s, err := store.Open(benchDB(b), store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, name := range []string{"winrate", "pipeline", "rfm", "activity", "lifecycle"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				err := s.View(func(tx *store.Tx) error {
					_, err := Load(tx, Needs(name, benchQuery()))
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReport times each report on the data Load reads for it.
func BenchmarkReport(b *testing.B) {
	q := benchQuery()
	for _, r := range []struct {
		name, report string // report names the data to load, when not name
		fn           func(*Data, Query) any
	}{
		{"pipeline", "", func(d *Data, q Query) any { return Pipeline(d, q) }},
		{"forecast", "", func(d *Data, q Query) any { return Forecast(d, q) }},
		{"winrate", "", func(d *Data, q Query) any { return WinRate(d, q) }},
		{"cycle", "", func(d *Data, q Query) any { return Cycle(d, q) }},
		{"activity", "", func(d *Data, q Query) any { return Activity(d, q) }},
		{"lifecycle", "", func(d *Data, q Query) any { return Lifecycle(d, q) }},
		{"lifecycle_counts", "lifecycle", func(d *Data, q Query) any { return LifecycleCounts(d, q) }},
		{"rfm", "", func(d *Data, q Query) any { return RFM(d, q) }},
		{"clv", "", func(d *Data, q Query) any { return CLV(d, q) }},
		{"pareto", "", func(d *Data, q Query) any { return Pareto(d, q) }},
		{"stale", "", func(d *Data, q Query) any { return Stale(d, q) }},
		{"nps", "", func(d *Data, q Query) any { return NPS(d, q) }},
	} {
		b.Run(r.name, func(b *testing.B) {
			d := benchData(b, Needs(cmp.Or(r.report, r.name), q))
			for b.Loop() {
				r.fn(d, q)
			}
		})
	}
}

// BenchmarkLifecycleAll and BenchmarkRFMAll carry the target of the
// issue: lifecycle and RFM for all 100,000 contacts, loading included,
// under 500 ms.
func BenchmarkLifecycleAll(b *testing.B) {
	benchLoadAndRun(b, "lifecycle", func(d *Data) { Lifecycle(d, benchQuery()) })
}

// BenchmarkRFMAll: see BenchmarkLifecycleAll.
func BenchmarkRFMAll(b *testing.B) { benchLoadAndRun(b, "rfm", func(d *Data) { RFM(d, benchQuery()) }) }

func benchLoadAndRun(b *testing.B, name string, run func(*Data)) {
	s, err := store.Open(benchDB(b), store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		err := s.View(func(tx *store.Tx) error {
			d, err := Load(tx, Needs(name, benchQuery()))
			if err == nil {
				run(d)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
